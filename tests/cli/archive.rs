//! `--archive`: every cleaned entry appended to a file, and read back with
//! `order --archived` and `get --archived`.

use std::fs;

use crate::harness::Test;

const ENTRY: &str = r#"[{"type":"a"},{"id":"1 n 0","time":1,"reasons":["r"],"added":1}]"#;

#[test]
fn cleaned_entries_go_to_the_archive() {
    let ran = Test::new()
        .log(&format!("{ENTRY}\n"))
        .args(["--archive", "archive.jsonl", "add", r#"{"type":"b"}"#])
        .run();
    let ran = Test::in_dir(ran.dir)
        .env("ACTIONLOG_ARCHIVE", "archive.jsonl")
        .args(["remove-reason", "r"])
        .run();
    let archive = fs::read_to_string(ran.dir.path().join("archive.jsonl")).unwrap();
    assert_eq!(
        archive,
        concat!(
            r#"[{"type":"b"},{"id":"1000 test 0","time":1000,"reasons":[]}]"#,
            "\n",
            r#"[{"type":"a"},{"id":"1 n 0","time":1,"reasons":[],"added":1}]"#,
            "\n",
        )
    );
    assert_eq!(
        ran.log(),
        "{\"actionlog\":1,\"lastAdded\":1,\"lastSynced\":{\"sent\":0,\"received\":0}}\n"
    );
    // Read back, in created order; never-stored entries have no `added`.
    let ran = Test::in_dir(ran.dir)
        .args(["--archive", "archive.jsonl", "order", "--archived"])
        .stdout(concat!(
            r#"[{"type":"a"},{"id":"1 n 0","time":1,"reasons":[],"added":1}]"#,
            "\n",
            r#"[{"type":"b"},{"id":"1000 test 0","time":1000,"reasons":[]}]"#,
            "\n",
        ))
        .run();
    Test::in_dir(ran.dir)
        .args(["--archive", "archive.jsonl", "get", "1 n 0", "--archived"])
        .stdout(&format!("{}\n", ENTRY.replace(r#"["r"]"#, "[]")))
        .run();
}

#[test]
fn without_an_archive_nothing_is_written_and_archived_asks_for_one() {
    let ran = Test::new()
        .log(&format!("{ENTRY}\n"))
        .args(["remove-reason", "r"])
        .run();
    assert_eq!(
        fs::read_dir(ran.dir.path()).unwrap().count(),
        2,
        "log and lock only"
    );
    Test::in_dir(ran.dir)
        .args(["order", "--archived"])
        .status(2)
        .stderr("actionlog: --archived needs the archive: give --archive FILE or set ACTIONLOG_ARCHIVE\n")
        .run();
}

#[test]
fn a_dry_run_and_a_failed_command_archive_nothing() {
    let other = format!("{ENTRY}\n");
    let ran = Test::new()
        .file("other.jsonl", &other)
        .args([
            "--archive",
            "archive.jsonl",
            "merge",
            "other.jsonl",
            "--dry-run",
        ])
        .run();
    assert!(ran.stdout.contains("\"event\":\"clean\""), "{}", ran.stdout);
    assert!(!ran.dir.path().join("archive.jsonl").exists());
    let ran = Test::in_dir(ran.dir)
        .args([
            "--archive",
            "archive.jsonl",
            "add",
            r#"{"type":"b"}"#,
            "--id",
            "bad",
        ])
        .status(3)
        .run();
    assert!(!ran.dir.path().join("archive.jsonl").exists());
}

#[test]
fn an_archive_that_cannot_be_written_leaves_the_log_unchanged() {
    Test::new()
        .log(&format!("{ENTRY}\n"))
        .args([
            "--archive",
            "no-such-folder/archive.jsonl",
            "remove-reason",
            "r",
        ])
        .status(5)
        .stderr_contains("cannot append to the archive no-such-folder/archive.jsonl")
        .stdout("")
        .log_unchanged()
        .run();
}
