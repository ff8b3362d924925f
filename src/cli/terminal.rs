//! What the tool needs to know about terminals: whether a stream is one, and
//! how to show text from a log on one without letting it steer the terminal.

use std::io::IsTerminal;

pub fn stdout_is_terminal() -> bool {
    std::io::stdout().is_terminal()
}

pub fn stdin_is_terminal() -> bool {
    std::io::stdin().is_terminal()
}

/// Whether a character would steer a terminal rather than show: a control
/// character (escape sequences, carriage returns, bells) or a bidirectional
/// formatting character, which reorders what follows it on the line (a
/// name ending in U+202E shows the next text backwards).
fn steers(ch: char) -> bool {
    ch.is_control()
        || matches!(
            ch,
            '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

/// JSON text (a string literal) with the characters that steer a terminal
/// written as `\uXXXX` escapes, which JSON reads as the same characters.
pub fn escape_in_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for ch in json.chars() {
        if steers(ch) {
            let mut units = [0u16; 2];
            for unit in ch.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            out.push(ch);
        }
    }
    out
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
        assert_eq!(super::escape_in_json("\"a\u{202e}\""), "\"a\\u202e\"");
    }
}
