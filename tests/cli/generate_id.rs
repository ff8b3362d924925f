use crate::harness::Test;

#[test]
fn counts_within_one_millisecond() {
    Test::new()
        .args(["generate-id", "--count", "3"])
        .stdout("1000 test 0\n1000 test 1\n1000 test 2\n")
        .run();
}

#[test]
fn continues_after_the_newest_id_of_this_node_in_the_log() {
    Test::new()
        .log(concat!(
            r#"[{"type":"a"},{"id":"5000 test 3","time":1,"reasons":["r"],"added":1}]"#,
            "\n",
            r#"[{"type":"a"},{"id":"9000 other 0","time":1,"reasons":["r"],"added":2}]"#,
            "\n"
        ))
        .args(["generate-id", "--count", "2"])
        .stdout("5000 test 4\n5000 test 5\n")
        .run();
}

#[test]
fn ids_grow_across_processes_adding_to_one_log() {
    let ran = Test::new()
        .args(["add", r#"{"type":"a"}"#, "--reason", "r"])
        .run();
    let ran = ran
        .then()
        .args(["add", r#"{"type":"b"}"#, "--reason", "r"])
        .run();
    ran.then()
        .args(["order", "--by", "added", "--format", "jsonl"])
        .stdout(concat!(
            r#"[{"type":"a"},{"reasons":["r"],"id":"1000 test 0","time":1000,"added":1}]"#,
            "\n",
            r#"[{"type":"b"},{"reasons":["r"],"id":"1000 test 1","time":1000,"added":2}]"#,
            "\n"
        ))
        .run();
}

#[test]
fn json_format_prints_an_array() {
    Test::new()
        .args(["generate-id", "--format", "json", "--node-id", "u:c"])
        .stdout("[\n\"1000 u:c 0\"\n]\n")
        .run();
}

#[test]
fn node_ids_with_spaces_are_refused() {
    Test::new()
        .args(["generate-id", "--node-id", "a b"])
        .status(2)
        .stderr("actionlog: --node-id: invalid node ID \"a b\": spaces are not allowed\n")
        .run();
}

#[test]
fn the_pinned_clock_must_be_a_number() {
    Test::new()
        .args(["generate-id"])
        .env("ACTIONLOG_NOW", "soon")
        .status(2)
        .stderr_contains("ACTIONLOG_NOW must be a whole number of milliseconds")
        .run();
}

#[test]
fn ids_never_repeat_across_processes_even_when_not_stored() {
    let ran = Test::new()
        .args(["generate-id"])
        .stdout("1000 test 0\n")
        .run();
    let ran = ran
        .then()
        .args(["generate-id"])
        .stdout("1000 test 1\n")
        .run();
    let ran = ran
        .then()
        .args(["add", r#"{"type":"reasonless"}"#])
        .stdout(concat!(
            r#"{"event":"add","action":{"type":"reasonless"},"meta":{"id":"1000 test 2","time":1000,"reasons":[]}}"#,
            "\n",
            r#"{"event":"clean","action":{"type":"reasonless"},"meta":{"id":"1000 test 2","time":1000,"reasons":[]}}"#,
            "\n"
        ))
        .run();
    assert!(
        !ran.dir.path().join("actionlog.jsonl").exists(),
        "nothing was stored"
    );
    ran.then()
        .args(["add", r#"{"type":"kept"}"#, "--reason", "r"])
        .log_is(concat!(
            r#"[{"type":"kept"},{"reasons":["r"],"id":"1000 test 3","time":1000,"added":1}]"#,
            "\n"
        ))
        .run();
}

#[test]
fn with_the_log_on_stdin_ids_continue_after_the_log() {
    Test::new()
        .args(["--log", "-", "generate-id"])
        .stdin(concat!(
            r#"[{"type":"a"},{"id":"1000 test 4","reasons":["r"]}]"#,
            "\n"
        ))
        .stdout("1000 test 5\n")
        .run();
}
