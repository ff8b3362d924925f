//! Actions and entries as people have them: JSON arrays, pretty-printed
//! JSON, values one after another, and what `order` prints, read back by
//! `add` and `merge`.

use crate::harness::{LOG, Test, command, ok};

const CHAT: &str = include_str!("../../examples/chat.jsonl");

/// The log without its `added` numbers: what a log read back must keep.
fn without_added(log: &str) -> String {
    log.lines()
        .filter(|line| line.starts_with('['))
        .map(|line| {
            let at = line.rfind(",\"added\":").expect("an added");
            format!("{}}}]", &line[..at])
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn added_types(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .filter(|line| line.starts_with(r#"{"event":"add""#))
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).expect("JSON");
            value["action"]["type"].as_str().expect("a type").to_owned()
        })
        .collect()
}

#[test]
fn add_reads_arrays_pretty_json_and_values_one_after_another() {
    let stdin = concat!(
        // An array of actions and pairs.
        r#"[{"type":"a"}, [{"type":"b"},{"tab":"1"}], {"type":"c"}]"#,
        "\n",
        // Pretty-printed, as `jq .` prints.
        "{\n  \"type\": \"d\",\n  \"nested\": {\"x\": [1, 2]}\n}\n",
        // Several on a line.
        r#"{"type":"e"} {"type":"f"}[{"type":"g"},{"reasons":["own"]}]"#,
        "\n",
        // An empty array adds nothing.
        "[]\n",
    );
    let ran = Test::new()
        .args(["add", "--reason", "r"])
        .stdin(stdin)
        .run();
    assert_eq!(
        added_types(&ran.stdout),
        ["a", "b", "c", "d", "e", "f", "g"]
    );
    let log = ran.log();
    assert!(
        log.contains(r#"[{"type":"d","nested":{"x":[1,2]}},"#),
        "{log}"
    );
    assert!(log.contains(r#"{"tab":"1","reasons":["r"]"#), "{log}");
    assert!(log.contains(r#"{"reasons":["own","r"]"#), "{log}");
}

#[test]
fn add_takes_a_pair_or_an_array_as_its_argument() {
    let ran = Test::new()
        .args(["add", r#"[{"type":"a"},{"reasons":["x"],"tab":"2"}]"#])
        .run();
    assert!(
        ran.log()
            .contains(r#"[{"type":"a"},{"reasons":["x"],"tab":"2","id":"1000 test 0""#),
        "{}",
        ran.log()
    );
    let ran = Test::new()
        .args(["add", r#"[{"type":"a"},{"type":"b"}]"#, "--reason", "r"])
        .run();
    assert_eq!(added_types(&ran.stdout), ["a", "b"]);
}

#[test]
fn what_order_prints_add_and_merge_read_back() {
    for format in ["json", "jsonl"] {
        let dir = Test::new().log(CHAT).into_dir();
        let printed = ok(dir.path(), &["order", "--format", format]);
        let args: Vec<String> = ["--log", "added.jsonl", "add"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let out = command(dir.path(), &args, &[], Some(printed.as_bytes()));
        assert!(out.status.success(), "{format}: {out:?}");
        let back = ok(dir.path(), &["--log", "added.jsonl", "order"]);
        assert_eq!(back.lines().count(), CHAT.lines().count() - 1, "{back}");
        assert!(back.contains(r#""status":"processed""#), "{back}");
        // Merged with a reason: the same actions, IDs and times, in the
        // order the log added them.
        let args: Vec<String> = ["--log", "kept.jsonl", "merge", "-", "--reason", "sync"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let out = command(dir.path(), &args, &[], Some(printed.as_bytes()));
        assert!(out.status.success(), "{out:?}");
        let kept = ok(
            dir.path(),
            &["--log", "kept.jsonl", "order", "--by", "added"],
        );
        let ids = |text: &str| -> Vec<String> {
            text.lines()
                .map(|line| {
                    let value: serde_json::Value = serde_json::from_str(line).unwrap();
                    value[1]["id"].as_str().unwrap().to_owned()
                })
                .collect()
        };
        assert_eq!(
            ids(&kept),
            ids(&ok(dir.path(), &["order", "--by", "added"])),
            "{format}"
        );
    }
    // The round trip through `add` keeps every action and meta.
    let dir = Test::new().log(CHAT).into_dir();
    let printed = ok(dir.path(), &["order", "--by", "added", "--format", "json"]);
    let args: Vec<String> = ["--log", "back.jsonl", "add"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert!(
        command(dir.path(), &args, &[], Some(printed.as_bytes()))
            .status
            .success()
    );
    let back = std::fs::read_to_string(dir.path().join("back.jsonl")).unwrap();
    let original = std::fs::read_to_string(dir.path().join(LOG)).unwrap();
    // keepLast puts its reason on again, as @logux/core's add does.
    let dedupe = |text: String| {
        text.replace(r#""user/12/name","user/12/name""#, r#""user/12/name""#)
            .replace(r#""user/11/name","user/11/name""#, r#""user/11/name""#)
            .replace(r#""user/10/name","user/10/name""#, r#""user/10/name""#)
    };
    assert_eq!(dedupe(without_added(&back)), without_added(&original));
}

#[test]
fn merge_reads_pretty_json_and_arrays_from_a_file() {
    let pretty = concat!(
        "[\n",
        "  [\n    {\"type\": \"a\"},\n    {\"id\": \"10 other 0\", \"time\": 10, \"added\": 2}\n  ],\n",
        "  [{\"type\": \"b\"}, {\"id\": \"5 other 0\", \"time\": 5, \"added\": 1}]\n",
        "]\n"
    );
    let ran = Test::new()
        .file("other.json", pretty)
        .args(["merge", "other.json", "--reason", "sync"])
        .run();
    // In the order the other log added them.
    assert_eq!(added_types(&ran.stdout), ["b", "a"]);
}

#[test]
fn bad_input_names_its_line() {
    // A line of JSON lines that lost its end.
    Test::new()
        .args(["add", "--reason", "r"])
        .stdin("{\"type\":\"a\"}\n{\"type\":\"b\"\n")
        .status(3)
        .stderr(
            "actionlog: stdin line 2: input: invalid JSON: unexpected end of input in object: \
             the value that begins on this line does not end\n",
        )
        .run();
    // A mistake inside a pretty-printed value: its own line.
    Test::new()
        .args(["add", "--reason", "r"])
        .stdin("{\"type\":\"a\"}\n[\n  {\"type\": \"b\"},\n  {\"type\" \"c\"}\n]\n")
        .status(3)
        .stderr(
            "actionlog: stdin line 4: input: invalid JSON: expected ':' after object key at byte 11 \
             (in the value that begins on line 2)\n",
        )
        .run();
    // An item that is neither an action nor a pair.
    Test::new()
        .args(["add", "--reason", "r"])
        .stdin("[\n  {\"type\": \"b\"},\n  7\n]\n")
        .status(3)
        .stderr(
            "actionlog: stdin line 3: input: expected an action object, an [action, meta] pair, \
             or an array of those\n",
        )
        .log_unchanged()
        .run();
    // Merge needs IDs: an action alone has none.
    Test::new()
        .file(
            "other.json",
            "[\n  [{\"type\": \"a\"}, {\"id\": \"1 o 0\", \"time\": 1}],\n  {\"type\": \"b\"}\n]\n",
        )
        .args(["merge", "other.json", "--reason", "sync"])
        .status(4)
        .stderr(
            "actionlog: other.json:3: an action without its meta has no ID to merge by: \
             give [action, meta] pairs\n",
        )
        .log_unchanged()
        .run();
}

/// Runs a shell pipeline in `dir` with the test environment; it must end
/// within 60 s (a pipeline whose ends wait for each other never does).
fn pipeline(dir: &std::path::Path, script: &str) -> std::process::Output {
    use std::os::unix::process::CommandExt;
    let mut child = std::process::Command::new("bash")
        .args(["-o", "pipefail", "-c", script])
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("ACTIONLOG_NODE_ID", "test")
        .env("ACTIONLOG_NOW", "1000")
        .env("BIN", crate::harness::BIN)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .process_group(0)
        .spawn()
        .expect("bash");
    let started = std::time::Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if started.elapsed() > std::time::Duration::from_secs(60) {
            // The whole pipeline: its own process group.
            let _ = std::process::Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", child.id())])
                .status();
            panic!("the pipeline did not end: {script}");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.wait_with_output().expect("output")
}

#[test]
fn a_pipeline_from_the_same_log_back_into_it_does_not_wait_forever() {
    // More than a pipe holds, so that the reader's end fills up.
    let mut log = String::new();
    for k in 1..=3000 {
        log.push_str(&format!(
            "[{{\"type\":\"t\",\"text\":\"{}\"}},{{\"id\":\"{k} n 0\",\"time\":{k},\"reasons\":[\"r\"],\"added\":{k}}}]\n",
            "x".repeat(100)
        ));
    }
    let dir = Test::new().log(&log).into_dir();
    for script in [
        r#""$BIN" order | "$BIN" add"#,
        r#""$BIN" order --format json | "$BIN" merge - --reason r"#,
        r#""$BIN" order --limit 2000 | sed 's/^\[[^]]*},{"id":\("[^"]*"\).*/[\1,{"status":"seen"}]/' | "$BIN" change-meta"#,
        r#""$BIN" order --last 10 | sed 's/.*"id":"\([^"]*\)".*/\1/' | "$BIN" remove-reason r --ids -"#,
    ] {
        let out = pipeline(dir.path(), script);
        assert!(out.status.success(), "{script}: {out:?}");
    }
    let after = std::fs::read_to_string(dir.path().join(LOG)).unwrap();
    assert_eq!(after.matches(r#""status":"seen""#).count(), 2000);
    assert_eq!(after.lines().filter(|l| l.starts_with('[')).count(), 2990);
}

#[test]
fn errors_name_the_byte_on_the_line_and_odd_input_is_named() {
    // A value that begins mid-line: the byte counts from the line's start.
    Test::new()
        .args(["add", "--reason", "r"])
        .stdin("{\"type\":\"a\"} {\"type\":b}\n")
        .status(3)
        .stderr("actionlog: stdin line 1: input: invalid JSON: expected a JSON value at byte 22\n")
        .run();
    // An argument: the byte in it as given, not as compacted.
    Test::new()
        .args(["add", r#"{ "type" : "a" , x }"#, "--reason", "r"])
        .status(3)
        .stderr("actionlog: action: invalid JSON: expected a string key in object at byte 18\n")
        .run();
    Test::new()
        .args(["add", "  "])
        .status(3)
        .stderr("actionlog: action: empty: expected a JSON value\n")
        .run();
    // A byte-order mark, as some editors write, is not part of the JSON.
    let ran = Test::new()
        .args(["add", "--reason", "r"])
        .stdin(&b"\xef\xbb\xbf{\"type\":\"a\"}\n"[..])
        .run();
    assert!(
        ran.stdout
            .starts_with(r#"{"event":"add","action":{"type":"a"}"#)
    );
    // More than the stream limit from a pipe: an error of reading.
    Test::new()
        .args(["add", "--reason", "r"])
        .env("ACTIONLOG_STREAM_MAX_BYTES", "100")
        .stdin("{\"type\":\"a\"}\n".repeat(20))
        .status(5)
        .stderr("actionlog: cannot read stdin: more than 100 bytes (set ACTIONLOG_STREAM_MAX_BYTES for more)\n")
        .log_unchanged()
        .run();
    // One line of a big array: the item's own byte.
    let mut array = String::from("[");
    for k in 0..1000 {
        array.push_str(&format!("{{\"type\":\"t{k}\"}},"));
    }
    array.push_str("7]");
    Test::new()
        .args(["add", "--reason", "r"])
        .stdin(array.clone())
        .status(3)
        .stderr("actionlog: stdin line 1: input: expected an action object, an [action, meta] pair, or an array of those\n")
        .run();
}

#[test]
fn merge_names_what_is_wrong_with_entries_as_order_prints_them() {
    let dir = Test::new().log(CHAT).into_dir();
    let printed = ok(dir.path(), &["order"]);
    // Line 5 is broken; the lines are in created order, not added order,
    // which is no problem here.
    let broken: String = printed
        .lines()
        .enumerate()
        .map(|(i, line)| {
            if i == 4 {
                line.replacen("\"type\"", "type", 1)
            } else {
                line.to_owned()
            }
        })
        .map(|line| line + "\n")
        .collect();
    let args: Vec<String> = ["--log", "new.jsonl", "merge", "-", "--reason", "r"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let out = command(dir.path(), &args, &[], Some(broken.as_bytes()));
    assert_eq!(out.status.code(), Some(4));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "actionlog: <stdin>:5: OTHER: invalid JSON: expected a string key in object at byte 3\n"
    );
    // An action alone is no log's header.
    let out = command(dir.path(), &args, &[], Some(b"{\"type\":\"a\"}\n"));
    assert_eq!(out.status.code(), Some(4));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "actionlog: <stdin>:1: an action without its meta has no ID to merge by: give [action, meta] pairs\n"
    );
    // Two logs one after the other: their `added` numbers say nothing of
    // one order, so the order given is taken.
    ok(
        dir.path(),
        &[
            "--log",
            "b.jsonl",
            "add",
            r#"[{"type":"x"},{"id":"1 o 0","reasons":["r"]}]"#,
        ],
    );
    ok(
        dir.path(),
        &[
            "--log",
            "b.jsonl",
            "add",
            r#"[{"type":"y"},{"id":"2 o 0","reasons":["r"]}]"#,
        ],
    );
    let mut two = ok(dir.path(), &["order", "--by", "added", "--type", "user/"]);
    two.push_str(&ok(
        dir.path(),
        &["--log", "b.jsonl", "order", "--by", "added"],
    ));
    let out = command(dir.path(), &args, &[], Some(two.as_bytes()));
    assert!(out.status.success(), "{out:?}");
    let merged = ok(
        dir.path(),
        &["--log", "new.jsonl", "order", "--by", "added"],
    );
    let types: Vec<&str> = merged
        .lines()
        .map(|line| line.split('"').nth(3).unwrap_or_default())
        .collect();
    assert_eq!(
        types,
        ["user/rename", "user/rename", "user/rename", "x", "y"]
    );
}
