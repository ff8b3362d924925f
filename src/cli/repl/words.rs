//! Splits a REPL line into words. A word that starts with `{` or `[` runs to
//! its matching bracket and is taken verbatim, so JSON needs no quoting;
//! `"…"` holds a word with spaces (an action ID), with `\"` and `\\`
//! escapes; `'…'` holds one verbatim. Other words end at whitespace.

/// One word and where it starts in the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub start: usize,
    pub text: String,
    /// The line ended before the word did: an open bracket or quote.
    pub open: bool,
}

/// The words of `line`. The last one may be unfinished (`open`).
pub fn split(line: &str) -> Vec<Word> {
    let bytes = line.as_bytes();
    let mut words = Vec::new();
    let mut p = 0;
    loop {
        while p < bytes.len() && bytes[p].is_ascii_whitespace() {
            p += 1;
        }
        if p >= bytes.len() {
            return words;
        }
        let start = p;
        let (text, end, open) = match bytes[p] {
            b'{' | b'[' => {
                let (end, open) = bracketed(bytes, p);
                (line[start..end].to_owned(), end, open)
            }
            b'"' => double_quoted(line, p),
            b'\'' => match line[p + 1..].find('\'') {
                Some(close) => (line[p + 1..p + 1 + close].to_owned(), p + close + 2, false),
                None => (line[p + 1..].to_owned(), line.len(), true),
            },
            _ => {
                let end = line[p..]
                    .find(|c: char| c.is_ascii_whitespace())
                    .map_or(line.len(), |i| p + i);
                (line[p..end].to_owned(), end, false)
            }
        };
        words.push(Word { start, text, open });
        p = end;
    }
}

/// The end of the bracketed JSON that starts at `start`, skipping brackets
/// inside strings; `open` if the line ends first.
fn bracketed(bytes: &[u8], start: usize) -> (usize, bool) {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut p = start;
    while p < bytes.len() {
        let b = bytes[p];
        if in_string {
            match b {
                b'\\' => p += 1,
                b'"' => in_string = false,
                _ => {}
            }
        } else {
            match b {
                b'"' => in_string = true,
                b'{' | b'[' => depth += 1,
                b'}' | b']' => {
                    depth -= 1;
                    if depth == 0 {
                        return (p + 1, false);
                    }
                }
                _ => {}
            }
        }
        p += 1;
    }
    (bytes.len(), true)
}

fn double_quoted(line: &str, start: usize) -> (String, usize, bool) {
    let mut text = String::new();
    let mut chars = line[start + 1..].char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return (text, start + 1 + i + 1, false),
            '\\' => match chars.next() {
                Some((_, escaped)) => text.push(escaped),
                None => return (text, line.len(), true),
            },
            c => text.push(c),
        }
    }
    (text, line.len(), true)
}

/// `text` as one word: bare if it can be, else in double quotes.
pub fn quote(text: &str) -> String {
    let plain = !text.is_empty()
        && !text.starts_with(['{', '[', '"', '\''])
        && !text.contains(|c: char| c.is_ascii_whitespace());
    if plain {
        text.to_owned()
    } else {
        format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(line: &str) -> Vec<String> {
        split(line).into_iter().map(|w| w.text).collect()
    }

    #[test]
    fn json_runs_to_its_matching_bracket() {
        assert_eq!(
            texts(r#"add {"type": "a b", "x": [1, {"y": "}"}]} --reason r"#),
            [
                "add",
                r#"{"type": "a b", "x": [1, {"y": "}"}]}"#,
                "--reason",
                "r"
            ]
        );
        assert_eq!(
            texts(r#"change-meta "1 n 0" {"reasons":[]}"#),
            ["change-meta", "1 n 0", r#"{"reasons":[]}"#]
        );
        assert_eq!(texts(r#"x {"a":"\"}"}"#), ["x", r#"{"a":"\"}"}"#]);
    }

    #[test]
    fn quotes_hold_spaces() {
        assert_eq!(
            texts(r#"get "1 a\"b 0" '2 c 0'"#),
            ["get", "1 a\"b 0", "2 c 0"]
        );
        assert_eq!(quote("1 a 0"), "\"1 a 0\"");
        assert_eq!(quote("user/1"), "user/1");
        assert_eq!(
            texts(&format!("get {}", quote("1 a\"\\ 0"))),
            ["get", "1 a\"\\ 0"]
        );
    }

    #[test]
    fn unfinished_words_are_open() {
        let words = split(r#"add {"type":"a""#);
        assert!(words[1].open);
        assert!(split("get \"1 a").last().unwrap().open);
        assert!(!split("get x").last().unwrap().open);
        assert_eq!(split("  get  x").last().unwrap().start, 7);
    }
}
