use crate::harness::{Test, big_log, ok, run};

/// Created order differs from added order; two entries are in index `x`.
const LOG: &str = concat!(
    r#"[{"type":"1"},{"id":"1 a 0","time":1,"reasons":["r"],"added":1}]"#,
    "\n",
    r#"[{"type":"2"},{"id":"1 c 0","time":2,"reasons":["r"],"indexes":["x"],"added":2}]"#,
    "\n",
    r#"[{"type":"3"},{"id":"1 b 1","time":2,"reasons":["r"],"added":3}]"#,
    "\n",
    r#"[{"type":"4"},{"id":"3 b 0","time":2,"reasons":["r"],"indexes":["x"],"added":4}]"#,
    "\n"
);

fn types(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            value[0]["type"].as_str().unwrap().to_owned()
        })
        .collect()
}

#[track_caller]
fn order(args: &[&str]) -> Vec<String> {
    let mut all = vec!["order"];
    all.extend_from_slice(args);
    types(&Test::new().log(LOG).args(all).run().stdout)
}

#[test]
fn created_and_added_orders() {
    assert_eq!(order(&[]), ["1", "4", "3", "2"]);
    assert_eq!(order(&["--by", "created"]), ["1", "4", "3", "2"]);
    assert_eq!(order(&["--by", "added"]), ["1", "2", "3", "4"]);
}

#[test]
fn an_index_filters_both_orders() {
    assert_eq!(order(&["--index", "x"]), ["4", "2"]);
    assert_eq!(order(&["--index", "x", "--by", "added"]), ["2", "4"]);
    assert_eq!(order(&["--index", "none"]), Vec::<String>::new());
}

#[test]
fn given_ids_are_sorted_oldest_first() {
    assert_eq!(order(&["1 c 0", "1 a 0", "3 b 0"]), ["1", "4", "2"]);
}

#[test]
fn an_unknown_id_is_reported() {
    Test::new()
        .log(LOG)
        .args(["order", "1 a 0", "7 q 0"])
        .status(1)
        .stdout("")
        .stderr("actionlog: no action with ID \"7 q 0\" in the log\n")
        .run();
}

#[test]
fn lines_are_printed_as_stored() {
    Test::new()
        .log(LOG)
        .args(["order", "--by", "added"])
        .stdout(LOG)
        .run();
}

#[test]
fn json_is_one_array() {
    Test::new()
        .log(LOG)
        .args(["order", "--format", "json", "--index", "x"])
        .stdout(concat!(
            "[\n",
            r#"[{"type":"4"},{"id":"3 b 0","time":2,"reasons":["r"],"indexes":["x"],"added":4}]"#,
            ",\n",
            r#"[{"type":"2"},{"id":"1 c 0","time":2,"reasons":["r"],"indexes":["x"],"added":2}]"#,
            "\n]\n"
        ))
        .run();
    Test::new()
        .log("")
        .args(["order", "--format", "json"])
        .stdout("[]\n")
        .run();
}

#[test]
fn table_shows_the_meta() {
    let ran = Test::new()
        .log(LOG)
        .args([
            "order", "--format", "table", "--color", "never", "--index", "x",
        ])
        .run();
    let lines: Vec<&str> = ran.stdout.lines().collect();
    assert_eq!(lines.len(), 8, "{}", ran.stdout);
    for (line, words) in [
        (
            1,
            &["type", "action", "id", "time", "added", "reasons", "meta"][..],
        ),
        (
            3,
            &[
                "4",
                "3 b 0",
                "1970-01-01T00:00:00.002Z",
                "4",
                "r",
                "indexes: [\"x\"]",
            ],
        ),
        (4, &["2"]),
        (
            5,
            &[
                "2",
                "1 c 0",
                "1970-01-01T00:00:00.002Z",
                "2",
                "r",
                "indexes: [\"x\"]",
            ],
        ),
    ] {
        let cells: Vec<&str> = lines[line]
            .split(['│', '┆'])
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect();
        assert_eq!(cells, words, "{}", ran.stdout);
    }
    Test::new()
        .log("")
        .args(["order", "--format", "table"])
        .stdout("(no entries)\n")
        .run();
}

#[test]
fn table_escapes_control_characters_from_the_log() {
    let ran = Test::new()
        .log(concat!(
            r#"[{"type":"evil\u001b[2J"},{"id":"1 a 0","reasons":["r\u0007"]}]"#,
            "\n"
        ))
        .args(["order", "--format", "table", "--color", "always"])
        .run();
    assert!(!ran.stdout.contains("\u{1b}[2J"), "{}", ran.stdout);
    assert!(!ran.stdout.contains('\u{7}'), "{}", ran.stdout);
    assert!(ran.stdout.contains("evil\\u{1b}[2J"), "{}", ran.stdout);
}

#[test]
fn get_prints_one_entry() {
    Test::new()
        .log(LOG)
        .args(["get", "1 b 1"])
        .stdout(concat!(
            r#"[{"type":"3"},{"id":"1 b 1","time":2,"reasons":["r"],"added":3}]"#,
            "\n"
        ))
        .run();
    Test::new()
        .log(LOG)
        .args(["get", "1 b 2"])
        .status(1)
        .stderr("actionlog: no action with ID \"1 b 2\" in the log\n")
        .run();
}

#[test]
fn reads_the_log_from_stdin() {
    Test::new()
        .args(["--log", "-", "order", "--by", "added"])
        .stdin(LOG)
        .stdout(LOG)
        .run();
}

#[test]
fn the_log_file_comes_from_the_environment() {
    Test::new()
        .file("other.jsonl", LOG)
        .env("ACTIONLOG_FILE", "other.jsonl")
        .args(["get", "1 a 0"])
        .stdout(concat!(
            r#"[{"type":"1"},{"id":"1 a 0","time":1,"reasons":["r"],"added":1}]"#,
            "\n"
        ))
        .run();
}

#[test]
fn a_missing_log_is_an_error_naming_it_and_is_not_created_by_reading() {
    for args in [
        vec!["--log", "typo.jsonl", "order"],
        vec!["--log", "typo.jsonl", "get", "1 a 0"],
        vec!["--log", "typo.jsonl", "export"],
        vec!["--log", "typo.jsonl", "stats"],
        vec!["--log", "typo.jsonl", "synced"],
        vec!["--log", "no-folder/typo.jsonl", "order"],
    ] {
        let ran = Test::new()
            .args(args.clone())
            .stdout("")
            .stderr_contains("cannot read ")
            .stderr_contains("typo.jsonl: No such file or directory")
            .status(5)
            .run();
        let files: Vec<_> = std::fs::read_dir(ran.dir.path()).unwrap().collect();
        assert!(files.is_empty(), "{args:?} left {files:?}");
    }
    // Commands that change a log make it; is-older needs none.
    Test::new()
        .args(["--log", "new.jsonl", "synced", "--sent", "0"])
        .stdout("{\"sent\":0,\"received\":0}\n")
        .run();
    Test::new()
        .args(["--log", "none.jsonl", "is-older", "1 a 0", "2 a 0"])
        .run();
}

#[test]
fn a_big_log_prints_as_the_full_read_prints_it() {
    let log = big_log(8_000)
        .replace("\"time\":1500,", "\"time\":1500,\"reasons\":[\"s\"],")
        .replace("{\"type\":\"t7\",", "{\"type\":\"g/t7\",");
    prints_as_the_full_read_prints(&log);
    // Lines as another program may write them: blank lines, spaces around
    // an entry, a carriage return, no line break at the end.
    let loose = log
        .replace("\"added\":5}]\n", "\"added\":5}]\n\n \t\n")
        .replace("[{\"type\":\"t9\"", " [{\"type\":\"t9\"")
        .replace("\"added\":3333}]\n", "\"added\":3333}]\r\n");
    prints_as_the_full_read_prints(loose.trim_end_matches('\n'));
}

fn prints_as_the_full_read_prints(log: &str) {
    let dir = Test::new().log(log).into_dir();
    // The compact read and the whole log (`read_whole`) must print the
    // same bytes, say the same and end the same.
    let shapes: [&[&str]; 7] = [
        &[],
        &["--by", "added"],
        &["--last", "700", "--reverse", "--limit", "9"],
        &["--by", "added", "--last", "3"],
        &["--count"],
        &["--limit", "0", "-e"],
        &["--reverse"],
    ];
    let filters: [&[&str]; 8] = [
        &[],
        &["--type", "g/"],
        &["--type", "t1", "--node", "a"],
        &["--reason", "s", "--user", "b"],
        &["--since", "1500"],
        &["--until", "1100", "--action", "pad=xx"],
        // Nothing kept: a hint for a type that begins others, and -e.
        &["--type", "g", "-e"],
        &["--type", "nowhere", "--count"],
    ];
    // Each shape without filters, each filter with two shapes.
    let pairs = shapes.iter().map(|shape| (*shape, filters[0])).chain(
        filters[1..]
            .iter()
            .flat_map(|filter| [(shapes[0], *filter), (shapes[2], *filter)]),
    );
    for (shape, filter) in pairs {
        let mut compact = vec!["order"];
        compact.extend(shape);
        compact.extend(filter);
        let full = crate::harness::read_whole(&compact);
        let compact_out = run(dir.path(), &compact);
        let full_out = run(dir.path(), &full);
        assert_eq!(
            compact_out.status.code(),
            full_out.status.code(),
            "{compact:?}"
        );
        assert!(
            compact_out.stdout == full_out.stdout,
            "{compact:?} prints otherwise"
        );
        assert_eq!(compact_out.stderr, full_out.stderr, "{compact:?}");
    }
    let printed = ok(dir.path(), &["order"]);
    assert_eq!(printed.lines().count(), 8_000);
    assert!(printed.starts_with("[{\"type\":\"t"));
    let hinted = run(dir.path(), &["order", "--type", "g"]);
    assert!(String::from_utf8_lossy(&hinted.stderr).contains("--type g/"));
    assert!(ok(dir.path(), &["order", "--reason", "s", "--count"]).trim() != "0");
}

#[test]
fn a_big_log_printed_where_it_cannot_go_says_so_or_ends_quietly() {
    // Its lines are written on a thread of their own: what stops that
    // writer is what the command reports, as a plain write would.
    let dir = Test::new().log(&big_log(40_000)).into_dir();
    let full = std::fs::File::options()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let output = crate::harness::actionlog(dir.path())
        .args(["order", "--by", "created"])
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(5));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "actionlog: No space left on device (os error 28)\n"
    );
    // A reader that leaves after the first line, as `head -1` does.
    let mut child = crate::harness::actionlog(dir.path())
        .args(["order", "--by", "created"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let line = crate::harness::first_line(&mut child);
    assert!(line.starts_with("[{\"type\":\"t"), "{line}");
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
}

#[test]
fn a_big_log_with_a_problem_is_named_as_the_full_read_names_it() {
    let log = big_log(8_000);
    let last_line = log.lines().last().unwrap();
    for (bad, message) in [
        (
            format!("{log}{last_line}\n"),
            "actionlog: actionlog.jsonl:8002: duplicate ID \"1004 z 2666\" (first on line 8001)\n",
        ),
        (
            format!("{log}[{{\"type\":\"a\"}},{{\"id\":\"1 a 0\"}}] x\n"),
            "actionlog: actionlog.jsonl:8002: unexpected text after the [action, meta] array\n",
        ),
    ] {
        Test::new()
            .log(&bad)
            .args(["order"])
            .status(4)
            .stdout("")
            .stderr(message)
            .log_unchanged()
            .run();
    }
}
