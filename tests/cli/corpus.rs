//! The bad-input corpus (`tests/corpus/`): each file with what reading it
//! does, what `check` reports, and proof that no command changes a file it
//! cannot read. Files read tolerantly are documented in the README ("The
//! file").

use std::fs;
use std::path::Path;

use crate::harness::Test;

/// A corpus file and its expected outcome: the error of any command that
/// reads the log (`None`: it reads), and `check`'s report, line by line.
struct Case {
    file: &'static str,
    error: Option<&'static str>,
    check: &'static str,
}

const CASES: &[Case] = &[
    Case {
        file: "truncated-line.jsonl",
        error: Some("actionlog.jsonl:2: unterminated string at byte 29"),
        check: "actionlog.jsonl:2: unterminated string at byte 29 (the file ends inside this line)\n\
                actionlog.jsonl: 1 problem; 1 entry read\n",
    },
    Case {
        file: "invalid-utf8.jsonl",
        error: Some("actionlog.jsonl:2: invalid UTF-8 at byte 11"),
        check: "actionlog.jsonl:2: invalid UTF-8 at byte 11\nactionlog.jsonl: 1 problem; 1 entry read\n",
    },
    Case {
        // Read as JavaScript reads it: a double. Its text is kept as it is.
        file: "time-beyond-64-bits.jsonl",
        error: None,
        check: "actionlog.jsonl: 1 entry, no problems\n",
    },
    Case {
        file: "time-beyond-double.jsonl",
        error: Some("actionlog.jsonl:1: meta \"time\" 1e400 is out of range"),
        check: "actionlog.jsonl:1: meta \"time\" 1e400 is out of range\n\
                actionlog.jsonl: 1 problem; 0 entries read\n",
    },
    Case {
        file: "reasons-not-array.jsonl",
        error: Some("actionlog.jsonl:1: meta \"reasons\" must be an array of strings"),
        check: "actionlog.jsonl:1: meta \"reasons\" must be an array of strings\n\
                actionlog.jsonl: 1 problem; 0 entries read\n",
    },
    Case {
        file: "id-missing-counter.jsonl",
        error: Some(
            "actionlog.jsonl:1: invalid action ID \"1 n\": expected \"<ms> <node ID> <counter>\"",
        ),
        check: "actionlog.jsonl:1: invalid action ID \"1 n\": expected \"<ms> <node ID> <counter>\"\n\
                actionlog.jsonl: 1 problem; 0 entries read\n",
    },
    Case {
        file: "id-extra-spaces.jsonl",
        error: Some(
            "actionlog.jsonl:1: invalid action ID \"1  n 0\": the node ID must be one word without spaces",
        ),
        check: "actionlog.jsonl:1: invalid action ID \"1  n 0\": the node ID must be one word without spaces\n\
                actionlog.jsonl: 1 problem; 0 entries read\n",
    },
    Case {
        file: "id-missing.jsonl",
        error: Some("actionlog.jsonl:1: meta has no \"id\""),
        check: "actionlog.jsonl:1: meta has no \"id\"\nactionlog.jsonl: 1 problem; 0 entries read\n",
    },
    Case {
        file: "id-time-beyond-2-53.jsonl",
        error: Some(
            "actionlog.jsonl:1: invalid action ID \"99999999999999999 n 0\": the time must be a whole number of milliseconds",
        ),
        check: "actionlog.jsonl:1: invalid action ID \"99999999999999999 n 0\": the time must be a whole number of milliseconds\n\
                actionlog.jsonl: 1 problem; 0 entries read\n",
    },
    Case {
        file: "type-not-string.jsonl",
        error: Some("actionlog.jsonl:1: action \"type\" must be a string"),
        check: "actionlog.jsonl:1: action \"type\" must be a string\n\
                actionlog.jsonl: 1 problem; 0 entries read\n",
    },
    Case {
        file: "text-after-entry.jsonl",
        error: Some("actionlog.jsonl:1: unexpected text after the [action, meta] array"),
        check: "actionlog.jsonl:1: unexpected text after the [action, meta] array\n\
                actionlog.jsonl: 1 problem; 0 entries read\n",
    },
    Case {
        file: "duplicate-ids.jsonl",
        error: Some("actionlog.jsonl:2: duplicate ID \"1 n 0\" (first on line 1)"),
        check: "actionlog.jsonl:2: duplicate ID \"1 n 0\" (first on line 1)\n\
                actionlog.jsonl: 1 problem; 1 entry read\n",
    },
    Case {
        file: "added-backwards.jsonl",
        error: Some(
            "actionlog.jsonl:2: meta \"added\" 1 is not greater than 2 of the entry before it",
        ),
        check: "actionlog.jsonl:2: meta \"added\" 1 is not greater than 2 of the entry before it\n\
                actionlog.jsonl: 1 problem; 2 entries read\n",
    },
    Case {
        file: "header-not-first.jsonl",
        error: Some("actionlog.jsonl:2: a header object is only allowed on the first line"),
        check: "actionlog.jsonl:2: a header object is only allowed on the first line\n\
                actionlog.jsonl: 1 problem; 1 entry read\n",
    },
    Case {
        file: "header-bad-last-added.jsonl",
        error: Some(
            "actionlog.jsonl:1: log header: \"lastAdded\" must be a whole number up to 9007199254740991, not \"many\"",
        ),
        check: "actionlog.jsonl:1: log header: \"lastAdded\" must be a whole number up to 9007199254740991, not \"many\"\n\
                actionlog.jsonl: 1 problem; 1 entry read\n",
    },
    Case {
        file: "empty.jsonl",
        error: None,
        check: "actionlog.jsonl: 0 entries, no problems\n",
    },
    Case {
        file: "header-only.jsonl",
        error: None,
        check: "actionlog.jsonl: 0 entries, no problems\n",
    },
    Case {
        file: "crlf.jsonl",
        error: None,
        check: "actionlog.jsonl: 2 entries, no problems\n",
    },
    Case {
        file: "bom.jsonl",
        error: None,
        check: "actionlog.jsonl: 1 entry, no problems\n",
    },
    Case {
        file: "no-final-line-break.jsonl",
        error: None,
        check: "actionlog.jsonl: 2 entries, no problems\n",
    },
    Case {
        file: "no-added-and-blank-lines.jsonl",
        error: None,
        check: "actionlog.jsonl: 2 entries, no problems\n",
    },
];

fn corpus(file: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus")
        .join(file);
    fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn every_corpus_file_has_an_expected_outcome() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut files: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".jsonl"))
        .collect();
    files.sort();
    let mut cased: Vec<String> = CASES.iter().map(|c| c.file.to_owned()).collect();
    cased.sort();
    assert_eq!(files, cased);
}

#[test]
fn reading_reports_the_file_and_line_or_reads_tolerantly() {
    for case in CASES {
        let bytes = corpus(case.file);
        let test = Test::new()
            .log_bytes(&bytes)
            .args(["order", "--format", "jsonl"])
            .log_unchanged();
        match case.error {
            Some(error) => test
                .status(4)
                .stdout("")
                .stderr(&format!("actionlog: {error}\n"))
                .run(),
            None => test.stderr("").run(),
        };
    }
}

#[test]
fn no_command_changes_a_file_it_cannot_read() {
    let changes: [&[&str]; 4] = [
        &["add", r#"{"type":"x"}"#, "--reason", "r"],
        &["add", r#"{"type":"x"}"#, "--keep-last", "r"],
        &["change-meta", "1 n 0", r#"{"seen":true}"#],
        &["remove-reason", "r"],
    ];
    for case in CASES.iter().filter(|c| c.error.is_some()) {
        for args in changes {
            Test::new()
                .log_bytes(&corpus(case.file))
                .args(args.iter().copied())
                .status(4)
                .stderr(&format!("actionlog: {}\n", case.error.unwrap()))
                .log_unchanged()
                .run();
        }
    }
}

#[test]
fn check_reports_each_file_as_documented() {
    for case in CASES {
        Test::new()
            .log_bytes(&corpus(case.file))
            .args(["check", "--format", "table"])
            .status(if case.error.is_some() { 4 } else { 0 })
            .stdout(case.check)
            .log_unchanged()
            .run();
    }
}

#[test]
fn tolerated_files_are_written_back_in_the_usual_form() {
    // A change rewrites the file: CRLF, a byte order mark and blank lines go,
    // missing `added` numbers are written, the entries' text stays.
    let ran = Test::new()
        .log_bytes(&corpus("no-added-and-blank-lines.jsonl"))
        .args(["change-meta", "2 n 0", r#"{"seen":true}"#])
        .run();
    assert_eq!(
        ran.log(),
        concat!(
            r#"{"actionlog":1,"lastAdded":2,"lastSynced":{"sent":0,"received":0}}"#,
            "\n",
            r#"[{"type":"a"},{"id":"1 n 0","time":1,"reasons":["r"],"added":1}]"#,
            "\n",
            r#"[{"type":"b"},{"id":"2 n 0","time":2,"reasons":["r"],"seen":true,"added":2}]"#,
            "\n",
        )
    );
    let ran = Test::new()
        .log_bytes(&corpus("crlf.jsonl"))
        .args(["remove-reason", "r", "--id", "2 n 0"])
        .run();
    assert_eq!(
        ran.log(),
        concat!(
            r#"{"actionlog":1,"lastAdded":2,"lastSynced":{"sent":0,"received":0}}"#,
            "\n",
            r#"[{"type":"a"},{"id":"1 n 0","time":1,"reasons":["r"],"added":1}]"#,
            "\n",
        )
    );
}

/// A line of about 100 MB: one action with a long string.
fn huge_line() -> String {
    let text = "x".repeat(100 << 20);
    format!(
        r#"[{{"type":"big","text":"{text}"}},{{"id":"2 n 0","time":2,"reasons":["r"],"added":2}}]"#
    )
}

#[test]
fn a_100_mb_line_is_read_and_kept() {
    let small = r#"[{"type":"a"},{"id":"1 n 0","time":1,"reasons":["r"],"added":1}]"#;
    let log = format!("{small}\n{}\n", huge_line());
    let ran = Test::new()
        .log(&log)
        .args(["order", "--by", "added", "--format", "jsonl"])
        .log_unchanged()
        .run();
    assert!(ran.stdout == log, "order prints the log as it is");
    Test::in_dir(ran.dir)
        .args(["check", "--format", "table"])
        .stdout("actionlog.jsonl: 2 entries, no problems\n")
        .log_unchanged()
        .run();
}

#[test]
fn a_100_mb_line_that_is_not_an_entry_is_named() {
    let small = r#"[{"type":"a"},{"id":"1 n 0","time":1,"reasons":["r"],"added":1}]"#;
    let broken = huge_line().replace(r#""added":2}]"#, r#""added":2}"#);
    let log = format!("{small}\n{broken}\n");
    let ran = Test::new()
        .log(&log)
        .args(["add", r#"{"type":"x"}"#, "--reason", "r"])
        .status(4)
        .stderr_contains("actionlog.jsonl:2: ")
        .log_unchanged()
        .run();
    Test::in_dir(ran.dir)
        .args(["check", "--format", "table"])
        .status(4)
        .stderr("")
        .log_unchanged()
        .run();
}
