use crate::harness::Test;

/// Three entries with reason `a`, added 1..3, created 1..3; the second also
/// has `b`.
fn three() -> Test {
    Test::new().log(concat!(
        r#"[{"type":"1"},{"id":"1 n 0","time":1,"reasons":["a"],"added":1}]"#,
        "\n",
        r#"[{"type":"2"},{"id":"2 n 0","time":2,"reasons":["a","b"],"added":2}]"#,
        "\n",
        r#"[{"type":"3"},{"id":"3 n 0","time":3,"reasons":["a"],"added":3}]"#,
        "\n"
    ))
}

fn types_left(log: &str) -> Vec<String> {
    log.lines()
        .filter(|line| line.starts_with('['))
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            value[0]["type"].as_str().unwrap().to_owned()
        })
        .collect()
}

#[track_caller]
fn check(args: &[&str], left: &[&str]) {
    let mut all = vec!["remove-reason", "a"];
    all.extend_from_slice(args);
    let ran = three().args(all).run();
    assert_eq!(types_left(&ran.log()), left, "{args:?}");
}

#[test]
fn every_criterion_alone_and_combined() {
    check(&[], &["2"]);
    check(
        &["--older-than", "3 n 0", "--younger-than", "1 n 0"],
        &["1", "2", "3"],
    );
    check(&["--older-than", "2 n 0"], &["2", "3"]);
    check(&["--younger-than", "2 n 0"], &["1", "2"]);
    check(&["--min-added", "2"], &["1", "2"]);
    check(&["--max-added", "2"], &["2", "3"]);
    check(&["--min-added", "2", "--max-added", "2"], &["1", "2", "3"]);
    check(&["--max-added", "0"], &["1", "2", "3"]);
    check(&["--id", "1 n 0"], &["2", "3"]);
    check(&["--id", "3 n 0", "--max-added", "2"], &["1", "2", "3"]);
    check(&["--id", "9 n 0"], &["1", "2", "3"]);
}

#[test]
fn cleans_are_reported_in_created_order_and_survivors_lose_the_reason() {
    three()
        .args(["remove-reason", "a"])
        .stdout(concat!(
            r#"{"event":"clean","action":{"type":"1"},"meta":{"id":"1 n 0","time":1,"reasons":[],"added":1}}"#,
            "\n",
            r#"{"event":"clean","action":{"type":"3"},"meta":{"id":"3 n 0","time":3,"reasons":[],"added":3}}"#,
            "\n"
        ))
        .log_is(concat!(
            r#"{"actionlog":1,"lastAdded":3,"lastSynced":{"sent":0,"received":0}}"#,
            "\n",
            r#"[{"type":"2"},{"id":"2 n 0","time":2,"reasons":["b"],"added":2}]"#,
            "\n"
        ))
        .run();
}

#[test]
fn a_bound_not_in_the_log_is_read_as_a_bare_id() {
    check(&["--older-than", "3 z 0"], &["2"]);
    check(&["--older-than", "2 a 0"], &["2", "3"]);
}

#[test]
fn a_bound_in_the_log_uses_its_meta_time() {
    Test::new()
        .log(concat!(
            r#"[{"type":"1"},{"id":"1 n 0","time":10,"reasons":["a"],"added":1}]"#,
            "\n",
            r#"[{"type":"2"},{"id":"5 n 0","time":5,"reasons":["a"],"added":2}]"#,
            "\n"
        ))
        .args(["remove-reason", "a", "--older-than", "1 n 0"])
        .stdout(concat!(
            r#"{"event":"clean","action":{"type":"2"},"meta":{"id":"5 n 0","time":5,"reasons":[],"added":2}}"#,
            "\n"
        ))
        .run();
}

#[test]
fn an_invalid_bound_is_bad_input() {
    three()
        .args(["remove-reason", "a", "--older-than", "yesterday"])
        .status(3)
        .stderr_contains("--older-than: invalid action ID \"yesterday\"")
        .log_unchanged()
        .run();
}

#[test]
fn an_unknown_reason_changes_nothing() {
    three()
        .args(["remove-reason", "zzz"])
        .stdout("")
        .log_unchanged()
        .run();
}

/// [`three`] with indexes: the first in `x`, the second in `x` and `y`.
fn indexed() -> Test {
    Test::new().log(concat!(
        r#"[{"type":"1"},{"id":"1 n 0","time":1,"reasons":["a"],"indexes":["x"],"added":1}]"#,
        "\n",
        r#"[{"type":"2"},{"id":"2 n 0","time":2,"reasons":["a","b"],"indexes":["x","y"],"added":2}]"#,
        "\n",
        r#"[{"type":"3"},{"id":"3 n 0","time":3,"reasons":["a"],"added":3}]"#,
        "\n"
    ))
}

#[track_caller]
fn check_indexed(args: &[&str], left: &[&str]) {
    let mut all = vec!["remove-reason", "a"];
    all.extend_from_slice(args);
    let ran = indexed().args(all).run();
    assert_eq!(types_left(&ran.log()), left, "{args:?}");
}

#[test]
fn ids_index_and_except_index_as_logux_core_0_12() {
    check_indexed(&["--index", "x"], &["2", "3"]);
    check_indexed(&["--index", "y"], &["1", "2", "3"]);
    check_indexed(&["--index", "nowhere"], &["1", "2", "3"]);
    check_indexed(&["--except-index", "x"], &["1", "2"]);
    check_indexed(&["--except-index", "nowhere"], &["2"]);
    check_indexed(&["--index", "x", "--except-index", "y"], &["2", "3"]);
    check_indexed(&["--ids", "1 n 0", "3 n 0"], &["2"]);
    check_indexed(&["--ids", "1 n 0", "--ids", "9 n 0"], &["2", "3"]);
    check_indexed(&["--ids", "1 n 0", "--min-added", "2"], &["1", "2", "3"]);
    // IDs from stdin, one a line.
    let ran = indexed()
        .args(["remove-reason", "a", "--ids", "-"])
        .stdin("3 n 0\n\n1 n 0\n")
        .run();
    assert_eq!(types_left(&ran.log()), ["2"]);
    // A typo is an error, not "nothing matched".
    indexed()
        .args(["remove-reason", "a", "--ids", "1 n 0", "oops"])
        .status(3)
        .stderr_contains("--ids: ")
        .log_unchanged()
        .run();
}

#[test]
fn alone_cleans_only_what_the_reason_alone_keeps() {
    let ran = indexed()
        .args(["remove-reason", "a", "--alone"])
        .stdout(concat!(
            r#"{"event":"clean","action":{"type":"1"},"meta":{"id":"1 n 0","time":1,"reasons":[],"indexes":["x"],"added":1}}"#,
            "\n",
            r#"{"event":"clean","action":{"type":"3"},"meta":{"id":"3 n 0","time":3,"reasons":[],"added":3}}"#,
            "\n"
        ))
        .run();
    // The entry with another reason keeps `a` too.
    assert!(
        ran.log().contains(r#""reasons":["a","b"]"#),
        "{}",
        ran.log()
    );
    let ran = indexed()
        .args(["remove-reason", "a", "--alone", "--index", "x"])
        .run();
    assert_eq!(types_left(&ran.log()), ["2", "3"]);
}

#[test]
fn add_reason_puts_reasons_on_with_the_same_criteria() {
    let ran = indexed()
        .args(["add-reason", "k", "b", "--index", "x"])
        .stdout("")
        .run();
    let log = ran.log();
    assert!(
        log.contains(r#""reasons":["a","k","b"],"indexes":["x"]"#),
        "{log}"
    );
    assert!(
        log.contains(r#""reasons":["a","b","k"],"indexes":["x","y"]"#),
        "{log}"
    );
    assert!(
        log.contains(r#"{"id":"3 n 0","time":3,"reasons":["a"],"added":3}"#),
        "{log}"
    );
    // Then `remove-reason a` cleans only the entry no other reason keeps.
    let ran = Test::in_dir(ran.dir).args(["remove-reason", "a"]).run();
    assert_eq!(types_left(&ran.log()), ["1", "2"]);
    // A dry run changes nothing.
    indexed()
        .args(["add-reason", "k", "--dry-run"])
        .stdout("")
        .log_unchanged()
        .run();
    indexed()
        .args(["add-reason", "k", "--younger-than", "1 n 0", "--max-added", "2"])
        .log_is(concat!(
            r#"{"actionlog":1,"lastAdded":3,"lastSynced":{"sent":0,"received":0}}"#,
            "\n",
            r#"[{"type":"1"},{"id":"1 n 0","time":1,"reasons":["a"],"indexes":["x"],"added":1}]"#,
            "\n",
            r#"[{"type":"2"},{"id":"2 n 0","time":2,"reasons":["a","b","k"],"indexes":["x","y"],"added":2}]"#,
            "\n",
            r#"[{"type":"3"},{"id":"3 n 0","time":3,"reasons":["a"],"added":3}]"#,
            "\n"
        ))
        .run();
}
