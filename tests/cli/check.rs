//! `check`: every problem with its line, and `--repair` writing a copy.

use std::fs;

use crate::harness::{Test, cut_short_append};

const MANY_PROBLEMS: &str = concat!(
    r#"{"actionlog":1,"lastAdded":3}"#,
    "\n",
    r#"[{"type":"a"},{"id":"1 n 0","time":1,"reasons":["r"],"added":1}]"#,
    "\n",
    r#"[{"type":"b"},{"id":"1 n 0","time":1,"reasons":["r"],"added":2}]"#,
    "\n",
    "not json\n",
    r#"[{"type":"c"},{"id":"3 n 0","time":3,"reasons":["r"],"added":1}]"#,
    "\n",
    r#"{"actionlog":1}"#,
    "\n",
    r#"[{"type":"d"},{"id":"4 n","time":3,"reasons":["r"],"added":5}]"#,
    "\n",
    r#"[{"type":"f"},{"id":"6 n 0","time":6,"reasons":["r"],"added":7}]"#,
    "\n",
);

#[test]
fn reports_every_problem_not_only_the_first() {
    Test::new()
        .log(MANY_PROBLEMS)
        .args(["check", "--format", "table"])
        .status(4)
        .stdout(concat!(
            "actionlog.jsonl:3: duplicate ID \"1 n 0\" (first on line 2)\n",
            "actionlog.jsonl:4: expected an [action, meta] array\n",
            "actionlog.jsonl:5: meta \"added\" 1 is not greater than 1 of the entry before it\n",
            "actionlog.jsonl:6: a header object is only allowed on the first line\n",
            "actionlog.jsonl:7: invalid action ID \"4 n\": expected \"<ms> <node ID> <counter>\"\n",
            "actionlog.jsonl: 5 problems; 3 entries read\n",
        ))
        .log_unchanged()
        .run();
}

#[test]
fn reports_as_json_for_scripts() {
    Test::new()
        .log(MANY_PROBLEMS)
        .args(["check"])
        .status(4)
        .stdout(concat!(
            r#"{"file":"actionlog.jsonl","entries":3,"unfinishedAppendFrom":null,"problems":["#,
            r#"{"line":3,"problem":"duplicate ID \"1 n 0\" (first on line 2)","repair":"leave out"},"#,
            r#"{"line":4,"problem":"expected an [action, meta] array","repair":"leave out"},"#,
            r#"{"line":5,"problem":"meta \"added\" 1 is not greater than 1 of the entry before it","repair":"renumber","added":2},"#,
            r#"{"line":6,"problem":"a header object is only allowed on the first line","repair":"leave out"},"#,
            r#"{"line":7,"problem":"invalid action ID \"4 n\": expected \"<ms> <node ID> <counter>\"","repair":"leave out"}"#,
            r#"],"repaired":null}"#,
            "\n"
        ))
        .run();
}

#[test]
fn repair_writes_a_copy_that_reads_and_leaves_the_log_alone() {
    let ran = Test::new()
        .log(MANY_PROBLEMS)
        .args(["check", "--repair", "--format", "table"])
        .status(4)
        .stdout(concat!(
            "actionlog.jsonl:3: duplicate ID \"1 n 0\" (first on line 2) [left out]\n",
            "actionlog.jsonl:4: expected an [action, meta] array [left out]\n",
            "actionlog.jsonl:5: meta \"added\" 1 is not greater than 1 of the entry before it [added becomes 2]\n",
            "actionlog.jsonl:6: a header object is only allowed on the first line [left out]\n",
            "actionlog.jsonl:7: invalid action ID \"4 n\": expected \"<ms> <node ID> <counter>\" [left out]\n",
            "actionlog.jsonl: 5 problems; 3 entries read\n",
            "wrote actionlog.repaired.jsonl (3 entries)\n",
        ))
        .log_unchanged()
        .run();
    let repaired = fs::read_to_string(ran.dir.path().join("actionlog.repaired.jsonl")).unwrap();
    assert_eq!(
        repaired,
        concat!(
            r#"{"actionlog":1,"lastAdded":7,"lastSynced":{"sent":0,"received":0}}"#,
            "\n",
            r#"[{"type":"a"},{"id":"1 n 0","time":1,"reasons":["r"],"added":1}]"#,
            "\n",
            r#"[{"type":"c"},{"id":"3 n 0","time":3,"reasons":["r"],"added":2}]"#,
            "\n",
            r#"[{"type":"f"},{"id":"6 n 0","time":6,"reasons":["r"],"added":7}]"#,
            "\n",
        )
    );
    let ran = Test::in_dir(ran.dir)
        .args([
            "--log",
            "actionlog.repaired.jsonl",
            "check",
            "--format",
            "table",
        ])
        .stdout("actionlog.repaired.jsonl: 3 entries, no problems\n")
        .run();
    // Never over an existing file.
    Test::in_dir(ran.dir)
        .args(["check", "--repair"])
        .status(2)
        .stderr(
            "actionlog: actionlog.repaired.jsonl already exists; remove it or name another file with --output\n",
        )
        .stdout("")
        .run();
}

#[test]
fn repair_can_write_elsewhere() {
    let ran = Test::new()
        .log(MANY_PROBLEMS)
        .args(["check", "--repair", "--output", "fixed.jsonl"])
        .status(4)
        .run();
    assert!(
        ran.stdout.ends_with("\"repaired\":\"fixed.jsonl\"}\n"),
        "{}",
        ran.stdout
    );
    assert!(ran.dir.path().join("fixed.jsonl").exists());
    assert!(!ran.dir.path().join("actionlog.repaired.jsonl").exists());
}

#[test]
fn a_missing_log_is_an_error_and_stdin_cannot_be_checked() {
    Test::new()
        .args(["check"])
        .status(5)
        .stderr("actionlog: cannot read actionlog.jsonl: No such file or directory (os error 2)\n")
        .run();
    Test::new()
        .args(["--log", "-", "check"])
        .stdin("")
        .status(2)
        .stderr("actionlog: check reads a log file, not stdin\n")
        .run();
}

#[test]
fn an_unfinished_append_is_reported_and_not_read() {
    let entry = r#"[{"type":"a"},{"id":"1 n 0","time":1,"reasons":["r"],"added":1}]"#;
    let test = Test::new().log(&format!("{entry}\n"));
    let old_len = cut_short_append(test.path());
    test.args(["check", "--format", "table"])
        .stdout(&format!(
            "actionlog.jsonl: an append was cut short at byte {old_len}; what follows is not part of the log and the next change takes it back\n\
             actionlog.jsonl: 1 entry, no problems\n"
        ))
        .log_unchanged()
        .run();
}

#[test]
fn a_record_in_the_lock_file_that_proves_nothing_is_not_obeyed() {
    // Not this format, so not an append record: the line cut short is a
    // problem of the log.
    let entry = r#"[{"type":"a"},{"id":"1 n 0","time":1,"reasons":["r"],"added":1}]"#;
    let log = format!("{entry}\n[{{\"type\":\"cut");
    Test::new()
        .log(&log)
        .file(
            "actionlog.jsonl.lock",
            &format!(r#"{{"pending append":{}}}"#, entry.len() + 1),
        )
        .args(["check", "--format", "table"])
        .status(4)
        .stdout(
            "actionlog.jsonl:2: unterminated string at byte 10 (the file ends inside this line)\n\
             actionlog.jsonl: 1 problem; 1 entry read\n",
        )
        .log_unchanged()
        .run();
}

#[test]
fn a_big_log_is_checked_as_a_small_one_is() {
    let log = crate::harness::big_log(8_000);
    Test::new()
        .log(&log)
        .args(["--format", "table", "check"])
        .stdout("actionlog.jsonl: 8000 entries, no problems\n")
        .run();
    // A problem at the end of a big log: every problem is reported, as
    // for any log.
    let last = log.lines().last().unwrap();
    Test::new()
        .log(&format!("{log}{last}\nx\n"))
        .args(["--format", "table", "check"])
        .status(4)
        .stdout(concat!(
            "actionlog.jsonl:8002: duplicate ID \"1004 z 2666\" (first on line 8001)\n",
            "actionlog.jsonl:8003: expected an [action, meta] array\n",
            "actionlog.jsonl: 2 problems; 8000 entries read\n"
        ))
        .log_unchanged()
        .run();
}
