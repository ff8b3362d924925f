//! Bad input: each a one-line message naming what and where, a documented
//! status, and the log left byte for byte as it was.

use crate::harness::Test;

const LOG: &str = concat!(
    r#"{"actionlog":1,"lastAdded":1,"lastSynced":{"sent":0,"received":0}}"#,
    "\n",
    r#"[{"type":"a"},{"id":"1 n 0","time":1,"reasons":["r"],"added":1}]"#,
    "\n"
);

#[track_caller]
fn refused(args: &[&str], status: i32, message: &str) {
    Test::new()
        .log(LOG)
        .args(args.iter().copied())
        .status(status)
        .stdout("")
        .stderr(&format!("actionlog: {message}\n"))
        .log_unchanged()
        .run();
}

#[test]
fn bad_action_json() {
    refused(
        &["add", "{\"type\":"],
        3,
        "action: invalid JSON: unexpected end of input at byte 9",
    );
    refused(
        &["add", "[]"],
        3,
        "action: an empty array, no action to add",
    );
    refused(
        &["add", "[1]"],
        3,
        "action: expected an action object, an [action, meta] pair, or an array of those",
    );
}

#[test]
fn an_action_without_type() {
    refused(
        &["add", r#"{"name":"x"}"#, "--reason", "r"],
        3,
        "expected \"type\" in action",
    );
    refused(
        &["add", r#"{"type":5}"#, "--reason", "r"],
        3,
        "action \"type\" must be a string",
    );
}

#[test]
fn reasons_and_indexes_that_are_not_arrays_of_strings() {
    refused(
        &["add", r#"{"type":"a"}"#, "--meta", r#"{"reasons":"r"}"#],
        3,
        "meta \"reasons\" must be an array of strings",
    );
    refused(
        &["add", r#"{"type":"a"}"#, "--meta", r#"{"reasons":[1]}"#],
        3,
        "meta \"reasons\" must be an array of strings",
    );
    refused(
        &[
            "add",
            r#"{"type":"a"}"#,
            "--meta",
            r#"{"indexes":[null],"reasons":["r"]}"#,
        ],
        3,
        "meta \"indexes\" must be an array of strings",
    );
    refused(
        &[
            "add",
            r#"{"type":"a"}"#,
            "--meta",
            r#"{"reasons":"r"}"#,
            "--reason",
            "s",
        ],
        3,
        "meta \"reasons\" must be an array of strings",
    );
}

#[test]
fn invalid_ids() {
    refused(
        &["add", r#"{"type":"a"}"#, "--id", "1 n"],
        3,
        "--id: invalid action ID \"1 n\": expected \"<ms> <node ID> <counter>\"",
    );
    refused(
        &[
            "add",
            r#"{"type":"a"}"#,
            "--meta",
            r#"{"id":"01 n 0","reasons":["r"]}"#,
        ],
        3,
        "invalid action ID \"01 n 0\": the time must be a whole number of milliseconds",
    );
    refused(
        &["add", r#"{"type":"a"}"#, "--meta", r#"{"id":5}"#],
        3,
        "meta \"id\" must be a string",
    );
}

#[test]
fn bad_time() {
    refused(
        &["add", r#"{"type":"a"}"#, "--time", "noon"],
        3,
        "--time: expected milliseconds, not \"noon\"",
    );
    refused(
        &["add", r#"{"type":"a"}"#, "--meta", r#"{"time":"1"}"#],
        3,
        "meta \"time\" must be a number",
    );
}

#[test]
fn bad_keep_last() {
    refused(
        &["add", r#"{"type":"a"}"#, "--meta", r#"{"keepLast":{}}"#],
        3,
        "meta \"keepLast\" must be a string or an array of strings",
    );
}

#[test]
fn usage_errors_have_status_2() {
    for args in [
        vec!["add", r#"{"type":"a"}"#, "--reason"],
        vec!["remove-reason", "r", "--max-added", "-1"],
        vec!["order", "--by", "size"],
        vec!["frobnicate"],
        vec!["get"],
        vec!["--format", "xml", "order"],
    ] {
        Test::new()
            .log(LOG)
            .args(args)
            .status(2)
            .stdout("")
            .log_unchanged()
            .run();
    }
}

#[test]
fn help_and_version_succeed() {
    let ran = Test::new().args(["--help"]).run();
    assert!(ran.stdout.contains("Exit status:"), "{}", ran.stdout);
    let ran = Test::new().args(["add", "--help"]).run();
    assert!(ran.stdout.contains("Examples:"), "{}", ran.stdout);
    let ran = Test::new().args(["--version"]).run();
    assert!(ran.stdout.starts_with("actionlog "), "{}", ran.stdout);
}

#[test]
fn a_malformed_log_line_names_the_file_and_line() {
    for (content, message) in [
        (
            "[{\"type\":\"a\"},{\"id\":\"1 n 0\"}]\n[{\"type\":\"a\"}\n",
            "actionlog.jsonl:2: expected an [action, meta] array",
        ),
        (
            "\n\n[1,2]\n",
            "actionlog.jsonl:3: the action must be a JSON object",
        ),
        (
            "[{\"type\":\"a\"},{\"time\":1}]\n",
            "actionlog.jsonl:1: meta has no \"id\"",
        ),
        (
            "[{\"type\":\"a\"},{\"id\":\"1 n 0\",\"reasons\":\"r\"}]\n",
            "actionlog.jsonl:1: meta \"reasons\" must be an array of strings",
        ),
        (
            "[{\"type\":\"a\"},{\"id\":\"1 n 0\"}]\n[{\"type\":\"b\"},{\"id\":\"1 n 0\"}]\n",
            "actionlog.jsonl:2: duplicate ID \"1 n 0\" (first on line 1)",
        ),
        (
            "[{\"type\":\"a\"},{\"id\":\"1 n 0\",\"added\":5}]\n[{\"type\":\"b\"},{\"id\":\"2 n 0\",\"added\":3}]\n",
            "actionlog.jsonl:2: meta \"added\" 3 is not greater than 5 of the entry before it",
        ),
        (
            "[{\"type\":\"a\"},{\"id\":\"1 n 0\"}]\n{\"lastAdded\":1}\n",
            "actionlog.jsonl:2: a header object is only allowed on the first line",
        ),
        (
            "{\"lastAdded\":\"x\"}\n",
            "actionlog.jsonl:1: log header: \"lastAdded\" must be a whole number up to 9007199254740991, not \"x\"",
        ),
    ] {
        for args in [
            vec!["order"],
            vec!["add", r#"{"type":"x"}"#, "--reason", "r"],
            vec!["remove-reason", "r"],
        ] {
            Test::new()
                .log(content)
                .args(args)
                .status(4)
                .stderr(&format!("actionlog: {message}\n"))
                .log_unchanged()
                .run();
        }
    }
}

#[test]
fn invalid_utf8_names_the_line() {
    let test = Test::new();
    std::fs::write(
        test.path().join("actionlog.jsonl"),
        b"[{\"type\":\"a\"},{\"id\":\"1 n 0\"}]\n[{\"type\":\"\xff\"},{\"id\":\"2 n 0\"}]\n",
    )
    .unwrap();
    test.args(["order"])
        .status(4)
        .stderr("actionlog: actionlog.jsonl:2: invalid UTF-8 at byte 11\n")
        .log_unchanged()
        .run();
}
