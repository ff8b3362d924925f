//! A property test: every way of reading a log file (the full read, the
//! streaming read in pieces of any size, the sparse read of a plain `add`
//! or `get`, and `check`) agrees on every input, good or bad.

use std::io::Read;
use std::path::Path;

use proptest::prelude::*;

use super::Stored;
use super::read::{Wanted, parse, read_raw_stream, read_sparse, read_stream_in_pieces};

/// IDs from a small set, so that duplicates are common; some written with
/// escapes, as any JSON encoder may write them.
fn id() -> impl Strategy<Value = (String, String)> {
    (
        1u64..4,
        prop::sample::select(vec!["n", "m", "a/b", "é"]),
        0u64..2,
        0u8..4,
    )
        .prop_map(|(ms, node, counter, escape)| {
            let id = format!("{ms} {node} {counter}");
            let written = match escape {
                0 => id.replace('n', "\\u006e"),
                1 => id.replace('/', "\\/"),
                _ => id.clone(),
            };
            (id, written)
        })
}

/// One line of a log file, good or bad, as bytes.
fn line() -> impl Strategy<Value = Vec<u8>> {
    let entry = (id(), prop::option::of(0u64..8), any::<bool>(), 0u8..3).prop_map(
        |((_, written), added, reasons, extra)| {
            let added = added.map_or(String::new(), |a| format!(",\"added\":{a}"));
            let reasons = if reasons { r#","reasons":["r"]"# } else { "" };
            let action = match extra {
                0 => r#"{"type":"a"}"#,
                1 => r#"{"type":"b","t":"x\"y"}"#,
                _ => r#"{ "type" : "c" }"#,
            };
            format!("[{action},{{\"id\":\"{written}\"{reasons}{added}}}]").into_bytes()
        },
    );
    prop_oneof![
        6 => entry,
        1 => Just(b"".to_vec()),
        1 => Just(b" \t\r".to_vec()),
        1 => Just(b"\x0c".to_vec()),
        1 => Just(br#"{"actionlog":1,"lastAdded":6}"#.to_vec()),
        1 => Just(br#"{"lastAdded":"x"}"#.to_vec()),
        1 => Just(br#"[{"type":"a"},{"id":"1 n 0"}] x"#.to_vec()),
        1 => Just(br#"[{"type":"a"},{"id":"1 n 0""#.to_vec()),
        1 => Just(b"[{\"type\":\"a\0\"},{\"id\":\"1 n 0\"}]".to_vec()),
        1 => Just(b"[{\"type\":\"\xff\"},{\"id\":\"9 n 0\"}]".to_vec()),
        1 => Just(b"\0\0\0".to_vec()),
        1 => Just(b"y".to_vec()),
        1 => Just("[{\"type\":\"\u{202e}\"},{\"id\":\"2 n 1\",\"reasons\":[\"r\"]}]".as_bytes().to_vec()),
    ]
}

/// A whole file: an optional byte order mark, lines, `\n` or `\r\n`, and a
/// last line with or without its break.
fn file() -> impl Strategy<Value = Vec<u8>> {
    (
        any::<bool>(),
        prop::collection::vec(line(), 0..10),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(bom, lines, crlf, last_break)| {
            let mut bytes = Vec::new();
            if bom {
                bytes.extend_from_slice("\u{feff}".as_bytes());
            }
            let count = lines.len();
            for (i, line) in lines.into_iter().enumerate() {
                bytes.extend_from_slice(&line);
                if i + 1 < count || last_break {
                    bytes.extend_from_slice(if crlf { b"\r\n" } else { b"\n" });
                }
            }
            bytes
        })
}

/// What a read gives, to compare reads by: the entries' lines and `added`,
/// `lastAdded` in memory and as the file says it, and whether it may be
/// appended to; or the error.
#[derive(Debug, PartialEq)]
struct Outcome {
    entries: Vec<(String, u64)>,
    last_added: u64,
    file_last_added: u64,
    appendable: bool,
}

fn outcome(read: &crate::Result<Stored>) -> Result<Outcome, String> {
    match read {
        Err(e) => Err(e.to_string()),
        Ok(stored) => Ok(Outcome {
            entries: stored
                .log
                .entries(crate::log::Order::Added, None)
                .map(|e| (e.line().into_owned(), e.added()))
                .collect(),
            last_added: stored.log.last_added(),
            file_last_added: stored.file_last_added,
            appendable: stored.appendable,
        }),
    }
}

/// A reader that gives at most `step` bytes a call.
struct Trickle<'a> {
    bytes: &'a [u8],
    step: usize,
}

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.step.min(buf.len()).min(self.bytes.len());
        buf[..n].copy_from_slice(&self.bytes[..n]);
        self.bytes = &self.bytes[n..];
        Ok(n)
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn every_read_of_a_log_agrees(bytes in file(), piece in 1u64..40, step in 1usize..7) {
        let path = Path::new("log");
        let full = parse(bytes.clone(), path);
        let streamed = read_stream_in_pieces(Trickle { bytes: &bytes, step }, path, u64::MAX, piece);
        prop_assert_eq!(outcome(&full), outcome(&streamed));

        let report = crate::check::check(&bytes);
        match &full {
            Ok(stored) => {
                prop_assert!(report.problems.is_empty(), "{:?}", report.problems);
                prop_assert_eq!(report.entries, stored.log.len());
            }
            Err(error) => {
                let first = report.problems.first();
                prop_assert!(first.is_some(), "check finds nothing wrong with {:?}", error);
                let first = first.unwrap();
                let reported = format!("log:{}: {}", first.line, first.message);
                let error = error.to_string();
                prop_assert!(
                    reported == error || reported == format!("{error} (the file ends inside this line)"),
                    "check says {:?}, reading says {:?}", reported, error
                );
            }
        }

        // `check` of a pipe stops at a line no log can go on from: its
        // first problem is still the one it finds in the whole file.
        let (raw, stopped) = read_raw_stream(Trickle { bytes: &bytes, step }, path, u64::MAX).unwrap();
        let streamed = crate::check::check_raw(crate::text::RawBytes::Heap(raw), None, stopped);
        let first = |report: &crate::check::Report| {
            report.problems.first().map(|p| {
                let message = p.message.replace(" (the file ends inside this line)", "");
                (p.line, message.replace(" (reading stopped inside this line)", ""))
            })
        };
        prop_assert_eq!(first(&streamed), first(&report));
        if report.problems.is_empty() {
            prop_assert!(!stopped);
            prop_assert_eq!(streamed.entries, report.entries);
        }

        // The compact read of `order` takes only what the full read takes,
        // and prints the same lines in the same orders; it leaves to the
        // full read only entries without `added` and escapes.
        if let Ok(text) = std::str::from_utf8(&bytes) {
            for order in [crate::log::Order::Created, crate::log::Order::Added] {
                let buf = std::sync::Arc::new(crate::text::Buffer::Heap(text.to_owned()));
                let index = super::index::read(buf, order == crate::log::Order::Created, &mut super::Silent);
                let Ok(stored) = &full else {
                    prop_assert!(index.is_none());
                    continue;
                };
                let expected: Vec<String> = stored
                    .log
                    .entries(order, None)
                    .map(|e| e.line_with_added().into_owned())
                    .collect();
                let Some(index) = index else {
                    let without_added = stored
                        .log
                        .entries(order, None)
                        .any(|e| !e.line().contains("\"added\""));
                    prop_assert!(
                        text.contains('\\') || without_added,
                        "the compact read leaves {:?} to the full read", text
                    );
                    continue;
                };
                let lines: Vec<&str> = index.lines(0..index.len()).collect();
                prop_assert_eq!(&lines, &expected);
                let mut joined = Vec::new();
                for (piece, needs_break) in index.pieces(0..index.len()) {
                    joined.extend_from_slice(piece);
                    if needs_break {
                        joined.push(b'\n');
                    }
                }
                let mut printed = String::new();
                for line in &expected {
                    printed.push_str(line);
                    printed.push('\n');
                }
                prop_assert_eq!(String::from_utf8(joined).unwrap(), printed);
            }
        }

        // The sparse read answers only what it was asked, but that as the
        // full read does; where it cannot, it says so.
        if let Ok(stored) = &full {
            let ids: Vec<String> = stored
                .log
                .entries(crate::log::Order::Added, None)
                .map(|e| e.id().to_owned())
                .chain(["9 n 0".to_owned(), "1 a/b 0".to_owned()])
                .collect();
            for id in ids {
                if let Some(sparse) = read_sparse(&bytes, &[Wanted::Id(id.clone())], &|_| {}) {
                    let line = |s: &Stored| s.log.get(&id).map(|e| (e.line().into_owned(), e.added()));
                    prop_assert_eq!(line(&sparse), line(stored));
                    prop_assert_eq!(sparse.log.last_added(), stored.log.last_added());
                }
            }
            for node in ["n", "m", "a/b", "é"] {
                if let Some(sparse) = read_sparse(&bytes, &[Wanted::Node(node.to_owned())], &|_| {}) {
                    prop_assert_eq!(sparse.log.newest_id_of(node), stored.log.newest_id_of(node));
                    prop_assert_eq!(sparse.log.last_added(), stored.log.last_added());
                }
            }
        }
    }

    #[test]
    fn a_streamed_read_stops_at_the_limit(bytes in file(), limit in 0u64..64) {
        let streamed = read_stream_in_pieces(&bytes[..], Path::new("log"), limit, 8);
        if bytes.len() as u64 > limit {
            prop_assert!(streamed.is_err());
        }
    }
}
