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

/// What a merge printed as JSON lines or as a JSON array: the events.
fn events(printed: &str) -> Vec<serde_json::Value> {
    if printed.starts_with('[') {
        serde_json::from_str(printed).unwrap()
    } else {
        printed
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect()
    }
}

/// A big other log (read a block at a time, its lines made and appended
/// one by one) merges as the general merge does, into a small log (read
/// whole) and into a big one (of which only the lines that may share an
/// ID with it are read): the same file, events and next ID of this node,
/// which some of the incoming IDs are of. The general merge runs for
/// `--format json`, whose events are printed together.
#[test]
fn a_big_log_merges_as_the_general_merge_does() {
    use crate::harness::{big_log, ok};
    // Some of the incoming IDs are this node's ("test"), newer than any
    // it has.
    let other = big_log(6_000).replace(" z ", " test ");
    let incoming: Vec<&str> = other.lines().skip(1).collect();
    // The small log: one of the incoming IDs written with escapes, one
    // as it is, and one of its own.
    let escaped = incoming[10].replacen("\"id\":\"1010 a", "\"id\":\"\\u0031010 a", 1);
    assert_ne!(escaped, incoming[10]);
    let own = r#"[{"type":"own"},{"id":"999 test 0","time":999,"reasons":["own"],"added":1}]"#;
    let mine = [escaped.as_str(), incoming[4_001], own];
    let numbered = |first: usize| -> String {
        mine.iter()
            .enumerate()
            .map(|(n, line)| {
                let cut = line.rfind("\"added\":").unwrap();
                format!("{}\"added\":{}}}]\n", &line[..cut], first + n)
            })
            .collect()
    };
    let small = numbered(1);
    // The big log: other nodes' entries, then the three.
    let big = big_log(6_000)
        .replace(" a ", " mine ")
        .replace(" b:1 ", " mine2 ")
        .replace(" z ", " mine3 ")
        .replace('\u{ff61}', "m4")
        .replace('\u{1f600}', "m5")
        + &numbered(6_001);
    assert!(big.len() > 1 << 20);
    for (name, log) in [("small", small), ("big", big)] {
        let mut runs = Vec::new();
        for format in ["jsonl", "json"] {
            let test = Test::new().log(&log).file("other.jsonl", &other);
            let dir = test.into_dir();
            let args = [
                "--format",
                format,
                "merge",
                "other.jsonl",
                "--reason",
                "sync",
                "--reason",
                "two",
                "--time-fix",
                "2.5",
            ];
            let printed = ok(dir.path(), &args);
            let merged = std::fs::read_to_string(dir.path().join("actionlog.jsonl")).unwrap();
            // Again: nothing new, nothing changed.
            assert_eq!(ok(dir.path(), &args), "", "{name}");
            let again = std::fs::read_to_string(dir.path().join("actionlog.jsonl")).unwrap();
            assert_eq!(again, merged, "{name}");
            let next = ok(dir.path(), &["generate-id"]);
            runs.push((events(&printed), merged, next));
        }
        let (streamed, general) = (&runs[0], &runs[1]);
        assert_eq!(streamed.0.len(), incoming.len() - 2, "{name}");
        assert_eq!(streamed.0, general.0, "{name}");
        assert!(streamed.1 == general.1, "{name}: the merged logs differ");
        assert_eq!(streamed.2, general.2, "{name}");
        // Newer than every incoming ID of this node, which go up to 1012.
        assert!(
            streamed.2.starts_with("1012 test "),
            "{name}: {}",
            streamed.2
        );
    }
}
