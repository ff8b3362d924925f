//! `merge`: another node's entries, once each, with only synchronised meta.

use crate::harness::Test;

const OTHER: &str = concat!(
    r#"{"actionlog":1,"lastAdded":7}"#,
    "\n",
    r#"[{"type":"a"},{"id":"10 other 0","time":10,"reasons":["theirs"],"subprotocol":"1.0.0","custom":1,"added":6}]"#,
    "\n",
    r#"[{"type":"b"},{"id":"5 mine 0","time":5,"reasons":["theirs"],"added":7}]"#,
    "\n",
);

const MINE: &str = concat!(
    r#"[{"type":"b"},{"id":"5 mine 0","time":5,"reasons":["own"],"added":1}]"#,
    "\n"
);

#[test]
fn brings_new_actions_with_only_synchronised_meta_once() {
    let ran = Test::new()
        .log(MINE)
        .file("other.jsonl", OTHER)
        .args(["merge", "other.jsonl", "--reason", "sync", "--time-fix", "-3"])
        .stdout(concat!(
            r#"{"event":"add","action":{"type":"a"},"meta":{"id":"10 other 0","time":7,"subprotocol":"1.0.0","reasons":["sync"],"added":2}}"#,
            "\n"
        ))
        .run();
    assert_eq!(
        ran.log(),
        concat!(
            r#"[{"type":"b"},{"id":"5 mine 0","time":5,"reasons":["own"],"added":1}]"#,
            "\n",
            r#"[{"type":"a"},{"id":"10 other 0","time":7,"subprotocol":"1.0.0","reasons":["sync"],"added":2}]"#,
            "\n",
        )
    );
    // Again: nothing new.
    Test::in_dir(ran.dir)
        .args(["merge", "other.jsonl", "--reason", "sync"])
        .stdout("")
        .log_unchanged()
        .run();
}

#[test]
fn without_reasons_actions_are_added_and_cleaned() {
    Test::new()
        .log(MINE)
        .file("other.jsonl", OTHER)
        .args(["merge", "other.jsonl"])
        .stdout(concat!(
            r#"{"event":"add","action":{"type":"a"},"meta":{"id":"10 other 0","time":10,"subprotocol":"1.0.0","reasons":[]}}"#,
            "\n",
            r#"{"event":"clean","action":{"type":"a"},"meta":{"id":"10 other 0","time":10,"subprotocol":"1.0.0","reasons":[]}}"#,
            "\n",
        ))
        .log_unchanged()
        .run();
}

#[test]
fn dry_run_prints_and_changes_nothing() {
    Test::new()
        .log(MINE)
        .file("other.jsonl", OTHER)
        .args(["merge", "other.jsonl", "--reason", "sync", "--dry-run"])
        .stdout(concat!(
            r#"{"event":"add","action":{"type":"a"},"meta":{"id":"10 other 0","time":10,"subprotocol":"1.0.0","reasons":["sync"],"added":2}}"#,
            "\n"
        ))
        .log_unchanged()
        .run();
}

#[test]
fn reads_the_other_log_from_stdin() {
    Test::new()
        .log(MINE)
        .args(["merge", "-", "--reason", "sync"])
        .stdin(OTHER)
        .stdout(concat!(
            r#"{"event":"add","action":{"type":"a"},"meta":{"id":"10 other 0","time":10,"subprotocol":"1.0.0","reasons":["sync"],"added":2}}"#,
            "\n"
        ))
        .run();
}

#[test]
fn refuses_what_cannot_be_merged() {
    Test::new()
        .log(MINE)
        .file("other.jsonl", "[{\"type\":\"a\"},{\"id\":\"1 x\"}]\n")
        .args(["merge", "other.jsonl", "--reason", "sync"])
        .status(4)
        .stderr("actionlog: other.jsonl:1: invalid action ID \"1 x\": expected \"<ms> <node ID> <counter>\"\n")
        .log_unchanged()
        .run();
    // The log itself, under any name: refused at once (taking its lock a
    // second time would wait forever).
    for other in [
        "actionlog.jsonl",
        "./actionlog.jsonl",
        "link.jsonl",
        "hard.jsonl",
        "sub/../actionlog.jsonl",
    ] {
        let test = Test::new().log(MINE);
        std::os::unix::fs::symlink("actionlog.jsonl", test.path().join("link.jsonl")).unwrap();
        std::fs::hard_link(
            test.path().join("actionlog.jsonl"),
            test.path().join("hard.jsonl"),
        )
        .unwrap();
        std::fs::create_dir(test.path().join("sub")).unwrap();
        test.args(["merge", other])
            .status(2)
            .stderr(&format!(
                "actionlog: OTHER ({other}) is the log itself (actionlog.jsonl)\n"
            ))
            .log_unchanged()
            .run();
    }
    Test::new()
        .log(MINE)
        .file("link.jsonl", "")
        .args(["--log", "link.jsonl", "merge", "actionlog.jsonl"])
        .run();
    Test::new()
        .args(["--log", "-", "merge", "-"])
        .stdin("")
        .status(2)
        .stderr("actionlog: the log and OTHER cannot both be stdin\n")
        .run();
    Test::new()
        .log(MINE)
        .args(["merge", "missing.jsonl", "--reason", "sync"])
        .status(5)
        .stderr("actionlog: cannot read missing.jsonl: No such file or directory (os error 2)\n")
        .log_unchanged()
        .run();
}
