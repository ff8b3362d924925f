use crate::harness::{Test, in_arrays};

#[test]
fn adds_an_action_with_a_reason() {
    Test::new()
        .args(["add", r#"{"type":"user/rename","name":"Ann"}"#, "--reason", "user/1"])
        .stdout(concat!(
            r#"{"event":"add","action":{"type":"user/rename","name":"Ann"},"meta":{"reasons":["user/1"],"id":"1000 test 0","time":1000,"added":1}}"#,
            "\n"
        ))
        .log_is(concat!(
            r#"[{"type":"user/rename","name":"Ann"},{"reasons":["user/1"],"id":"1000 test 0","time":1000,"added":1}]"#,
            "\n"
        ))
        .run();
}

#[test]
fn compacts_the_json_it_is_given() {
    Test::new()
        .args([
            "add",
            "{ \"type\" : \"a\", \"n\" : 1.50 }",
            "--meta",
            "{ \"reasons\": [ \"r\" ] }",
        ])
        .log_is(concat!(
            r#"[{"type":"a","n":1.50},{"reasons":["r"],"id":"1000 test 0","time":1000,"added":1}]"#,
            "\n"
        ))
        .run();
}

#[test]
fn a_reasonless_action_is_added_and_cleaned_but_not_stored() {
    Test::new()
        .args(["add", r#"{"type":"a"}"#])
        .stdout(concat!(
            r#"{"event":"add","action":{"type":"a"},"meta":{"id":"1000 test 0","time":1000,"reasons":[]}}"#,
            "\n",
            r#"{"event":"clean","action":{"type":"a"},"meta":{"id":"1000 test 0","time":1000,"reasons":[]}}"#,
            "\n"
        ))
        .run();
}

#[test]
fn a_reasonless_action_with_an_id_in_the_log_is_ignored() {
    Test::new()
        .log(concat!(
            r#"[{"type":"a"},{"id":"1 n 0","time":1,"reasons":["r"],"added":1}]"#,
            "\n"
        ))
        .args(["add", r#"{"type":"b"}"#, "--id", "1 n 0"])
        .stdout("")
        .log_unchanged()
        .run();
}

#[test]
fn a_duplicate_id_is_ignored_whatever_its_time() {
    Test::new()
        .log(concat!(
            r#"[{"type":"a"},{"id":"1 n 0","time":1,"reasons":["r"],"added":1}]"#,
            "\n"
        ))
        .args([
            "add",
            r#"{"type":"b"}"#,
            "--id",
            "1 n 0",
            "--time",
            "5",
            "--reason",
            "r",
        ])
        .stdout("")
        .log_unchanged()
        .run();
}

#[test]
fn keep_last_moves_the_reason_to_the_newest_action() {
    let ran = Test::new()
        .args([
            "add",
            r#"{"type":"a"}"#,
            "--id",
            "2 n 0",
            "--keep-last",
            "k",
        ])
        .run();
    let ran = ran
        .then()
        .args(["add", r#"{"type":"b"}"#, "--id", "1 n 0", "--keep-last", "k"])
        .stdout(concat!(
            r#"{"event":"add","action":{"type":"b"},"meta":{"id":"1 n 0","keepLast":"k","time":1,"reasons":["k"],"added":2}}"#,
            "\n"
        ))
        .run();
    ran.then()
        .args(["add", r#"{"type":"c"}"#, "--id", "3 n 0", "--keep-last", "k"])
        .stdout(concat!(
            r#"{"event":"clean","action":{"type":"b"},"meta":{"id":"1 n 0","keepLast":"k","time":1,"reasons":[],"added":2}}"#,
            "\n",
            r#"{"event":"clean","action":{"type":"a"},"meta":{"id":"2 n 0","keepLast":"k","time":2,"reasons":[],"added":1}}"#,
            "\n",
            r#"{"event":"add","action":{"type":"c"},"meta":{"id":"3 n 0","keepLast":"k","time":3,"reasons":["k"],"added":3}}"#,
            "\n"
        ))
        .log_is(concat!(
            r#"{"actionlog":1,"lastAdded":3,"lastSynced":{"sent":0,"received":0}}"#,
            "\n",
            r#"[{"type":"c"},{"id":"3 n 0","keepLast":"k","time":3,"reasons":["k"],"added":3}]"#,
            "\n"
        ))
        .run();
}

#[test]
fn options_set_meta_keys() {
    Test::new()
        .args([
            "add", r#"{"type":"a"}"#, "--meta", r#"{"tab":"x","reasons":["m"]}"#, "--reason", "r",
            "--index", "i1", "--index", "i2", "--subprotocol", "1.0.0", "--time", "7", "--id", "5 n 0",
        ])
        .log_is(concat!(
            r#"[{"type":"a"},{"tab":"x","reasons":["m","r"],"id":"5 n 0","time":7,"subprotocol":"1.0.0","indexes":["i1","i2"],"added":1}]"#,
            "\n"
        ))
        .run();
}

#[test]
fn reads_actions_and_pairs_from_stdin() {
    Test::new()
        .args(["add", "--reason", "s"])
        .stdin(concat!(
            r#"{"type":"a"}"#,
            "\n\n",
            r#"[{"type":"b"},{"id":"1 other 0","reasons":["x"]}]"#,
            "\r\n",
            r#"[{"type":"c"}, {}]"#,
            "\n"
        ))
        .log_is(concat!(
            r#"[{"type":"a"},{"reasons":["s"],"id":"1000 test 0","time":1000,"added":1}]"#,
            "\n",
            r#"[{"type":"b"},{"id":"1 other 0","reasons":["x","s"],"time":1,"added":2}]"#,
            "\n",
            r#"[{"type":"c"},{"reasons":["s"],"id":"1000 test 1","time":1000,"added":3}]"#,
            "\n"
        ))
        .run();
}

#[test]
fn dash_reads_stdin_too() {
    Test::new()
        .args([
            "add", "-", "--reason", "s", "--format", "table", "--color", "never",
        ])
        .stdin(r#"{"type":"a"}"#)
        .stdout(concat!(
            "┌───────┬──────┬────────┬─────────────┬──────────────────────────┬───────┬─────────┬──────┐\n",
            "│ event ┆ type ┆ action ┆ id          ┆ time                     ┆ added ┆ reasons ┆ meta │\n",
            "╞═══════╪══════╪════════╪═════════════╪══════════════════════════╪═══════╪═════════╪══════╡\n",
            "│ add   ┆ a    ┆        ┆ 1000 test 0 ┆ 1970-01-01T00:00:01.000Z ┆     1 ┆ s       ┆      │\n",
            "│       ┆      ┆        ┆             ┆ 1000                     ┆       ┆         ┆      │\n",
            "└───────┴──────┴────────┴─────────────┴──────────────────────────┴───────┴─────────┴──────┘\n",
        ))
        .run();
}

#[test]
fn a_bad_stdin_line_names_the_line_and_adds_nothing() {
    Test::new()
        .log(concat!(
            r#"[{"type":"a"},{"id":"1 n 0","time":1,"reasons":["r"],"added":1}]"#,
            "\n"
        ))
        .args(["add", "--reason", "s"])
        .stdin(concat!(
            r#"{"type":"ok"}"#,
            "\n",
            r#"{"type":"b"}"#,
            "\n",
            r#"{"name":"no type"}"#,
            "\n"
        ))
        .status(3)
        .stderr("actionlog: stdin line 3: expected \"type\" in action\n")
        .stdout("")
        .log_unchanged()
        .run();
}

#[test]
fn a_bad_stdin_json_line_adds_nothing() {
    Test::new()
        .args(["add", "--reason", "s"])
        .stdin(concat!(r#"{"type":"ok"}"#, "\n", r#"{"type":"b""#, "\n"))
        .status(3)
        .stderr_contains("stdin line 2: input: invalid JSON")
        .run();
    Test::new()
        .args(["add", "--reason", "s"])
        .stdin("[1, 2]\n")
        .status(3)
        .stderr("actionlog: stdin line 1: input: expected an action object, an [action, meta] pair, or an array of those\n")
        .run();
}

#[test]
fn a_given_id_equal_to_one_generated_earlier_in_the_same_input_is_ignored() {
    // Generated IDs skip the ID index during a bulk add; a given ID must
    // still find them.
    let ran = Test::new()
        .log("")
        .args(["add", "--reason", "s"])
        .stdin(concat!(
            r#"{"type":"a"}"#,
            "\n",
            r#"{"type":"b"}"#,
            "\n",
            r#"[{"type":"c"},{"id":"1000 test 0"}]"#,
            "\n",
            r#"[{"type":"d"},{"id":"1000 test 1","reasons":["t"]}]"#,
            "\n",
            r#"{"type":"e"}"#,
            "\n",
        ))
        .stdout(concat!(
            r#"{"event":"add","action":{"type":"a"},"meta":{"reasons":["s"],"id":"1000 test 0","time":1000,"added":1}}"#,
            "\n",
            r#"{"event":"add","action":{"type":"b"},"meta":{"reasons":["s"],"id":"1000 test 1","time":1000,"added":2}}"#,
            "\n",
            r#"{"event":"add","action":{"type":"e"},"meta":{"reasons":["s"],"id":"1000 test 2","time":1000,"added":3}}"#,
            "\n",
        ))
        .run();
    assert_eq!(ran.log().lines().count(), 3, "{}", ran.log());
}

#[test]
fn stdin_that_is_not_utf8_names_its_line() {
    Test::new()
        .log("")
        .args(["add", "--reason", "s"])
        .stdin(b"{\"type\":\"ok\"}\r\n\n{\"type\":\"\xff\"}\n".to_vec())
        .status(3)
        .stderr("actionlog: stdin line 3: input: not UTF-8\n")
        .stdout("")
        .log_unchanged()
        .run();
}

#[test]
fn stdin_lines_may_end_in_crlf_or_not_at_all() {
    Test::new()
        .args(["add", "--reason", "s", "--id", "1 n 0"])
        .stdin("{\"type\":\"a\"}\r\n\r\n  \n{\"type\":\"b\"}")
        .stdout(concat!(
            r#"{"event":"add","action":{"type":"a"},"meta":{"id":"1 n 0","reasons":["s"],"time":1,"added":1}}"#,
            "\n"
        ))
        .run();
}

#[test]
fn stdin_cannot_be_both_the_log_and_the_actions() {
    Test::new()
        .args(["--log", "-", "add"])
        .stdin("")
        .status(2)
        .stderr_contains("the log is read from stdin")
        .run();
}

#[test]
fn with_the_log_on_stdin_the_new_log_goes_to_stdout() {
    Test::new()
        .args([
            "--log",
            "-",
            "add",
            r#"{"type":"b"}"#,
            "--reason",
            "r",
            "--id",
            "2 n 0",
        ])
        .stdin(concat!(
            r#"[{"type":"a"},{"id":"1 n 0","time":1,"reasons":["r"]}]"#,
            "\n"
        ))
        .stdout(concat!(
            r#"{"actionlog":1,"lastAdded":2,"lastSynced":{"sent":0,"received":0}}"#,
            "\n",
            r#"[{"type":"a"},{"id":"1 n 0","time":1,"reasons":["r"],"added":1}]"#,
            "\n",
            r#"[{"type":"b"},{"id":"2 n 0","reasons":["r"],"time":2,"added":2}]"#,
            "\n"
        ))
        .run();
}

#[test]
fn a_subprotocol_is_a_number_as_logux_0_10_writes_it_or_an_older_string() {
    // What @logux/server 0.14 and @logux/client 0.23 log and sync.
    let log = concat!(
        r#"[{"type":"a"},{"id":"1 n 0","time":1,"reasons":["r"],"subprotocol":1,"added":1}]"#,
        "\n",
        r#"[{"type":"b"},{"id":"2 n 0","time":2,"reasons":["r"],"subprotocol":"1.0.0","added":2}]"#,
        "\n"
    );
    let ran = Test::new()
        .log(log)
        .args(["order", "--by", "added"])
        .stdout(log)
        .run();
    let ran = ran
        .then()
        .args(["add", r#"{"type":"c"}"#, "--reason", "r", "--subprotocol", "2"])
        .stdout(concat!(
            r#"{"event":"add","action":{"type":"c"},"meta":{"subprotocol":2,"reasons":["r"],"id":"1000 test 0","time":1000,"added":3}}"#,
            "\n"
        ))
        .run();
    let ran = ran
        .then()
        .args(["add", r#"{"type":"d"}"#, "--reason", "r", "--subprotocol", "2.1.0"])
        .stdout(concat!(
            r#"{"event":"add","action":{"type":"d"},"meta":{"subprotocol":"2.1.0","reasons":["r"],"id":"1000 test 1","time":1000,"added":4}}"#,
            "\n"
        ))
        .run();
    ran.then()
        .args(["change-meta", "1 n 0", r#"{"subprotocol":2}"#])
        .status(3)
        .stderr("actionlog: Meta \"subprotocol\" is read-only\n")
        .log_unchanged()
        .run()
        .then()
        .args(["order", "--meta", "subprotocol=1"])
        .stdout(&format!("{}\n", log.lines().next().unwrap()))
        .run();
    Test::new()
        .log(concat!(
            r#"[{"type":"a"},{"id":"1 n 0","time":1,"reasons":["r"],"subprotocol":true,"added":1}]"#,
            "\n"
        ))
        .args(["order"])
        .status(4)
        .stderr("actionlog: actionlog.jsonl:1: meta \"subprotocol\" must be a number or a string\n")
        .run();
}

/// Plain actions one a line, as people write them: spaced, CRLF, blank
/// lines, escapes, a duplicate `type`, no newline at the end. `add` takes
/// these in bulk.
const PLAIN: &str = concat!(
    "{\"type\":\"a\"}\n",
    " { \"type\" : \"b\", \"n\" : [ 1 , 2.5e3 ] }\r\n",
    "\n\t\r\n",
    "{\"t\\u0079pe\":\"c\",\"s\":\"q\\\"é 🍕\"}\n",
    "{\"type\":\"d\",\"type\":\"e\"}\n",
    "{\"x\":{\"type\":1},\"type\":\"f\"}",
);

#[test]
fn plain_actions_from_stdin_are_added_as_the_same_actions_in_arrays_are() {
    // Entries of this node at a later time: new IDs continue after them.
    let log = concat!(
        "{\"actionlog\":1,\"lastAdded\":7}\n",
        r#"[{"type":"old"},{"id":"5000 test 3","time":5000,"reasons":["x"],"added":7}]"#,
        "\n"
    );
    let options: [&[&str]; 5] = [
        &["--reason", "r"],
        &["--meta", r#"{"added":5}"#, "-r", "r"],
        &["-r", "r", "-r", "s", "--index", "i", "--subprotocol", "3"],
        &[
            "--meta",
            r#"{"tab":"t","time":2,"reasons":["m"]}"#,
            "-r",
            "r",
        ],
        // No reason: added and cleaned, as the general path does it.
        &[],
    ];
    for log in [None, Some(log)] {
        for options in options {
            let test = |input: String| {
                let test = Test::new().args(["add"]).args(options.iter().copied());
                match log {
                    Some(log) => test.log(log),
                    None => test,
                }
                .stdin(input)
                .run()
            };
            let bulk = test(PLAIN.to_owned());
            let general = test(in_arrays(PLAIN));
            assert_eq!(bulk.stdout, general.stdout, "{options:?}");
            assert_eq!(bulk.log(), general.log(), "{options:?}");
            assert!(bulk.stdout.lines().count() >= 5, "{}", bulk.stdout);
            // The lock file remembers the same IDs, even once their
            // entries are gone.
            for ran in [&bulk, &general] {
                for reason in ["r", "s", "m"] {
                    crate::harness::ok(ran.dir.path(), &["remove-reason", reason]);
                }
            }
            assert_eq!(
                crate::harness::ok(bulk.dir.path(), &["generate-id"]),
                crate::harness::ok(general.dir.path(), &["generate-id"])
            );
        }
    }
}

#[test]
fn a_file_on_stdin_is_read_from_where_it_stands_whichever_way_it_is_added() {
    // Plain lines go in bulk; a pair after them sends the whole file the
    // general way, which reads it anew. The file is given from its start,
    // or after a shell has read its first line.
    for (skip, script) in [
        (false, "exec \"$0\" add -r r"),
        (true, "read -r skipped; exec \"$0\" add -r r"),
    ] {
        for rest in [
            format!("{PLAIN}\n"),
            format!("{PLAIN}\n[{{\"type\":\"z\"}},{{\"tab\":\"1\"}}]\n"),
        ] {
            let input = if skip {
                format!("{{\"type\":\"skipped\"}}\n{rest}")
            } else {
                rest.clone()
            };
            let piped = Test::new().args(["add", "-r", "r"]).stdin(rest).run();
            let dir = tempfile::tempdir().unwrap();
            let file = dir.path().join("actions.jsonl");
            std::fs::write(&file, &input).unwrap();
            let output = std::process::Command::new("/bin/sh")
                .current_dir(dir.path())
                .env_clear()
                .env("ACTIONLOG_NODE_ID", "test")
                .env("ACTIONLOG_NOW", "1000")
                .args(["-c", script, crate::harness::BIN])
                .stdin(std::fs::File::open(&file).unwrap())
                .output()
                .unwrap();
            assert!(output.status.success(), "{output:?}");
            assert_eq!(String::from_utf8(output.stdout).unwrap(), piped.stdout);
            assert!(!piped.stdout.contains("skipped"));
            assert_eq!(
                std::fs::read_to_string(dir.path().join(crate::harness::LOG)).unwrap(),
                piped.log()
            );
        }
    }
}

#[test]
fn plain_actions_with_bad_options_fail_as_other_input_does() {
    for options in [
        &["--meta", r#"{"reasons":5}"#][..],
        &["--meta", r#"{"time":"soon"}"#, "-r", "r"][..],
        &["--meta", "[1]"][..],
        &["--time", "x"][..],
    ] {
        let run = |input: String| {
            let dir = tempfile::tempdir().unwrap();
            let args: Vec<String> = ["add"]
                .iter()
                .chain(options)
                .map(|s| s.to_string())
                .collect();
            let output = crate::harness::command(dir.path(), &args, &[], Some(input.as_bytes()));
            assert!(
                !dir.path().join(crate::harness::LOG).exists(),
                "{options:?}"
            );
            (
                output.status.code(),
                String::from_utf8(output.stderr).unwrap(),
                output.stdout,
            )
        };
        let (status, stderr, stdout) = run(PLAIN.to_owned());
        assert_ne!(status, Some(0), "{options:?}");
        assert!(stdout.is_empty());
        assert_eq!(
            (status, stderr),
            {
                let (status, stderr, _) = run(in_arrays(PLAIN));
                (status, stderr)
            },
            "{options:?}"
        );
    }
}
