use crate::harness::Test;

const LOG: &str = concat!(
    r#"[{"type":"a"},{"id":"1 n 0","time":1,"reasons":["r"],"status":"new","added":1}]"#,
    "\n",
    r#"[{"type":"b"},{"id":"2 n 0","time":2,"reasons":["r"],"added":2}]"#,
    "\n"
);

#[test]
fn assigns_keys_in_place_and_appends_new_ones() {
    Test::new()
        .log(LOG)
        .args(["change-meta", "1 n 0", r#"{"status":"done","by":{"user":1}}"#])
        .stdout("")
        .log_is(concat!(
            r#"{"actionlog":1,"lastAdded":2,"lastSynced":{"sent":0,"received":0}}"#,
            "\n",
            r#"[{"type":"a"},{"id":"1 n 0","time":1,"reasons":["r"],"status":"done","added":1,"by":{"user":1}}]"#,
            "\n",
            r#"[{"type":"b"},{"id":"2 n 0","time":2,"reasons":["r"],"added":2}]"#,
            "\n"
        ))
        .run();
}

#[test]
fn empty_reasons_remove_the_entry_and_report_it_cleaned() {
    Test::new()
        .log(LOG)
        .args(["change-meta", "2 n 0", r#"{"reasons":[],"note":1}"#])
        .stdout(concat!(
            r#"{"event":"clean","action":{"type":"b"},"meta":{"id":"2 n 0","time":2,"reasons":[],"added":2,"note":1}}"#,
            "\n"
        ))
        .log_is(concat!(
            r#"{"actionlog":1,"lastAdded":2,"lastSynced":{"sent":0,"received":0}}"#,
            "\n",
            r#"[{"type":"a"},{"id":"1 n 0","time":1,"reasons":["r"],"status":"new","added":1}]"#,
            "\n"
        ))
        .run();
}

#[test]
fn read_only_keys_are_refused() {
    for key in ["id", "added", "time", "subprotocol", "indexes"] {
        Test::new()
            .log(LOG)
            .args([
                "change-meta",
                "1 n 0",
                &format!(r#"{{"status":"x","{key}":1}}"#),
            ])
            .status(3)
            .stderr(&format!("actionlog: Meta \"{key}\" is read-only\n"))
            .log_unchanged()
            .run();
    }
}

#[test]
fn an_unknown_id_is_reported_with_status_1() {
    Test::new()
        .log(LOG)
        .args(["change-meta", "9 n 0", r#"{"status":"x"}"#])
        .status(1)
        .stderr("actionlog: no action with ID \"9 n 0\" in the log\n")
        .log_unchanged()
        .run();
}

#[test]
fn reasons_must_stay_an_array_of_strings() {
    Test::new()
        .log(LOG)
        .args(["change-meta", "1 n 0", r#"{"reasons":[1]}"#])
        .status(3)
        .stderr("actionlog: meta \"reasons\" must be an array of strings\n")
        .log_unchanged()
        .run();
}

#[test]
fn the_diff_must_be_a_json_object() {
    Test::new()
        .log(LOG)
        .args(["change-meta", "1 n 0", "[1]"])
        .status(3)
        .stderr("actionlog: DIFF_JSON: expected a JSON object\n")
        .log_unchanged()
        .run();
    Test::new()
        .log(LOG)
        .args(["change-meta", "1 n 0", "{"])
        .status(3)
        .stderr_contains("DIFF_JSON: invalid JSON")
        .log_unchanged()
        .run();
}

#[test]
fn many_pairs_from_stdin_in_one_change() {
    Test::new()
        .log(LOG)
        .args(["change-meta"])
        .stdin(concat!(
            r#"["1 n 0", {"status": "done"}]"#,
            "\n",
            // An array of pairs, pretty-printed.
            "[\n  [\"2 n 0\", {\"by\": 1}],\n  [\"1 n 0\", {\"reasons\": []}]\n]\n",
        ))
        .stdout(concat!(
            r#"{"event":"clean","action":{"type":"a"},"meta":{"id":"1 n 0","time":1,"reasons":[],"status":"done","added":1}}"#,
            "\n"
        ))
        .log_is(concat!(
            r#"{"actionlog":1,"lastAdded":2,"lastSynced":{"sent":0,"received":0}}"#,
            "\n",
            r#"[{"type":"b"},{"id":"2 n 0","time":2,"reasons":["r"],"added":2,"by":1}]"#,
            "\n"
        ))
        .run();
}

#[test]
fn a_bad_pair_names_its_line_and_changes_nothing() {
    for (stdin, status, message) in [
        (
            "[\"1 n 0\", {\"status\": \"x\"}]\n[\"9 n 0\", {\"a\": 1}]\n",
            1,
            "actionlog: stdin line 2: no action with ID \"9 n 0\" in the log\n",
        ),
        (
            "[\"1 n 0\", {\"status\": \"x\"}]\n\n[\"2 n 0\", {\"time\": 1}]\n",
            3,
            "actionlog: stdin line 3: Meta \"time\" is read-only\n",
        ),
        (
            "[\"1 n 0\"]\n",
            3,
            "actionlog: stdin line 1: input: expected an [ID, DIFF] pair or an array of them\n",
        ),
        (
            "[\"1 n 0\", {\"a\": 1}\n",
            3,
            "actionlog: stdin line 1: input: invalid JSON: unexpected end of input in array: \
             the value that begins on this line does not end\n",
        ),
    ] {
        Test::new()
            .log(LOG)
            .args(["change-meta", "-"])
            .stdin(stdin)
            .status(status)
            .stderr(message)
            .log_unchanged()
            .run();
    }
    Test::new()
        .log(LOG)
        .args(["change-meta", "1 n 0"])
        .status(2)
        .stderr_contains("DIFF_JSON is missing")
        .log_unchanged()
        .run();
}
