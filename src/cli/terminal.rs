//! What the tool needs to know about terminals: whether a stream is one, and
//! how to show text from a log on one without letting it steer the terminal.

use std::borrow::Cow;
use std::io::{IsTerminal, Write};

pub fn stdout_is_terminal() -> bool {
    std::io::stdout().is_terminal()
}

pub fn stdin_is_terminal() -> bool {
    std::io::stdin().is_terminal()
}

/// Whether a character would steer a terminal rather than show: a control
/// character (escape sequences, carriage returns, bells), a bidirectional
/// formatting character, which reorders what follows it on the line (a
/// name ending in U+202E shows the next text backwards), or one that does
/// not show at all.
fn steers(ch: char) -> bool {
    ch.is_control()
        || matches!(
            ch,
            '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
        // Invisible, or a line break of their own: a name holding one
        // would look like another.
        || matches!(ch, '\u{00ad}' | '\u{200b}' | '\u{2028}' | '\u{2029}' | '\u{feff}')
}

/// Standard output, made safe when it is a terminal: everything printed
/// there goes through [`for_screen`], but for tables, whose cells are made
/// safe one by one and then coloured ([`Styled`]). Elsewhere (a pipe, a
/// file) the bytes pass as they are, so that data stays byte for byte.
pub struct Screen<W: std::io::Write> {
    inner: W,
    escape: bool,
    /// The start of a character cut off at the end of the last write.
    carry: Vec<u8>,
}

impl<W: std::io::Write> Screen<W> {
    pub fn new(inner: W, escape: bool) -> Self {
        Screen {
            inner,
            escape,
            carry: Vec::new(),
        }
    }
}

/// A stream that also takes text already made safe, with the styling (the
/// colours) it was given, past [`Screen`]'s escaping.
pub trait Styled: std::io::Write {
    fn write_styled(&mut self, text: &str) -> std::io::Result<()>;
}

impl<W: std::io::Write> Styled for std::io::BufWriter<Screen<W>> {
    fn write_styled(&mut self, text: &str) -> std::io::Result<()> {
        // What is buffered was written first, so it goes first.
        self.flush()?;
        self.get_mut().inner.write_all(text.as_bytes())
    }
}

impl<W: std::io::Write> std::io::Write for Screen<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if !self.escape {
            return self.inner.write(buf);
        }
        self.carry.extend_from_slice(buf);
        let valid = match std::str::from_utf8(&self.carry) {
            Ok(text) => text.len(),
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            // Never printed by actionlog; shown as what it is not.
            Err(_) => {
                let text = String::from_utf8_lossy(&self.carry).into_owned();
                self.carry.clear();
                self.inner.write_all(for_screen(&text).as_bytes())?;
                return Ok(buf.len());
            }
        };
        let rest = self.carry.split_off(valid);
        let text = std::mem::replace(&mut self.carry, rest);
        // Checked above to be UTF-8.
        let text = String::from_utf8(text).unwrap_or_default();
        self.inner.write_all(for_screen(&text).as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Text for a terminal, whatever it is: JSON stays valid JSON that means
/// the same (a character that would steer the terminal can only be inside
/// a string, and becomes a `\uXXXX` escape; a tab or carriage return can
/// only be whitespace between values, and becomes a space), line breaks
/// stay, and text already made safe is left as it is.
pub fn for_screen(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c != '\n' && steers(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for ch in text.chars() {
        match ch {
            '\n' => out.push('\n'),
            '\t' | '\r' => out.push(' '),
            c if steers(c) => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Whether [`sanitize`] would change `text`.
pub fn needs_escape(text: &str) -> bool {
    text.chars().any(steers)
}

/// Text with the characters that steer a terminal shown as escapes, so
/// text from a log is displayed, never executed.
pub fn sanitize(text: &str) -> String {
    if !needs_escape(text) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for ch in text.chars() {
        match ch {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if steers(c) => out.push_str(&c.escape_unicode().to_string()),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(super::sanitize("a\u{1b}[31mb\n"), "a\\u{1b}[31mb\\n");
        assert_eq!(super::sanitize("plain é"), "plain é");
        assert_eq!(super::sanitize("abc\u{202e}def"), "abc\\u{202e}def");
        assert_eq!(
            super::for_screen("[\"a\u{202e}\u{9b}\"]\t\n"),
            "[\"a\\u202e\\u009b\"] \n"
        );
        let mut screen = super::Screen::new(Vec::new(), true);
        let bytes = "é\u{202e}".as_bytes();
        std::io::Write::write_all(&mut screen, &bytes[..1]).unwrap();
        std::io::Write::write_all(&mut screen, &bytes[1..]).unwrap();
        assert_eq!(screen.inner, "é\\u202e".as_bytes());
    }
}
