//! The file: appends, atomic rewrites, round trips, the header, files from
//! other tools, locking.

use std::io::{Read, Write};
use std::process::Stdio;

use crate::harness::{Test, actionlog, command, in_arrays};

/// Entries written by hand: odd spacing, number text, escapes, key order.
const HANDWRITTEN: &str = concat!(
    "[ {\"type\":\"a\", \"n\": 1.50e0, \"s\": \"\\u00e9\\/\"} , {\"z\":1,\"id\":\"1 n 0\",\"time\":1,\"reasons\":[\"r\"],\"added\":1} ]\n",
    "[{\"type\":\"b\"},{\"id\":\"2 n 0\",\"time\":2.0,\"reasons\":[\"r\",\"s\"],\"added\":2,\"big\":12345678901234567890}]\n",
    "[{\"type\":\"c\"},{\"id\":\"3 n 0\",\"time\":3,\"reasons\":[\"r\"],\"added\":3}]\n"
);

#[test]
fn a_plain_add_appends() {
    let ran = Test::new()
        .log(HANDWRITTEN)
        .args(["add", r#"{"type":"d"}"#, "--reason", "r"])
        .run();
    let log = ran.log();
    assert!(log.starts_with(HANDWRITTEN), "{log}");
    assert_eq!(
        &log[HANDWRITTEN.len()..],
        "[{\"type\":\"d\"},{\"reasons\":[\"r\"],\"id\":\"1000 test 0\",\"time\":1000,\"added\":4}]\n"
    );
}

#[test]
fn untouched_entries_keep_their_exact_text_through_a_rewrite() {
    let ran = Test::new()
        .log(HANDWRITTEN)
        .args(["remove-reason", "s"])
        .run();
    let log = ran.log();
    let lines: Vec<&str> = HANDWRITTEN.lines().collect();
    assert!(log.contains(&format!("{}\n", lines[0].trim())), "{log}");
    assert!(log.contains(&format!("{}\n", lines[2])), "{log}");
    assert!(
        log.contains("[{\"type\":\"b\"},{\"id\":\"2 n 0\",\"time\":2.0,\"reasons\":[\"r\"],\"added\":2,\"big\":12345678901234567890}]\n"),
        "{log}"
    );
}

#[test]
fn last_added_is_never_reused_after_the_newest_entry_goes() {
    let ran = Test::new()
        .log(HANDWRITTEN)
        .args(["change-meta", "3 n 0", r#"{"reasons":[]}"#])
        .run();
    assert!(
        ran.log().starts_with("{\"actionlog\":1,\"lastAdded\":3,"),
        "{}",
        ran.log()
    );
    let ran = ran
        .then()
        .args(["add", r#"{"type":"d"}"#, "--reason", "r"])
        .run();
    assert!(ran.stdout.contains("\"added\":4"), "{}", ran.stdout);
}

#[test]
fn a_header_keeps_its_other_keys() {
    Test::new()
        .log(concat!(
            r#"{"lastSynced":{"sent":5,"received":2},"lastAdded":9,"note":"kept"}"#,
            "\n",
            r#"[{"type":"a"},{"id":"1 n 0","time":1,"reasons":["r"],"added":1}]"#,
            "\n"
        ))
        .args(["add", r#"{"type":"b"}"#, "--reason", "r", "--id", "2 n 0"])
        .stdout(concat!(
            r#"{"event":"add","action":{"type":"b"},"meta":{"id":"2 n 0","reasons":["r"],"time":2,"added":10}}"#,
            "\n"
        ))
        .run()
        .then()
        .args(["remove-reason", "r", "--id", "1 n 0"])
        .log_is(concat!(
            r#"{"lastSynced":{"sent":5,"received":2},"lastAdded":10,"note":"kept","actionlog":1}"#,
            "\n",
            r#"[{"type":"b"},{"id":"2 n 0","reasons":["r"],"time":2,"added":10}]"#,
            "\n"
        ))
        .run();
}

#[test]
fn entries_without_added_are_numbered_by_position_and_keep_it() {
    let ran = Test::new()
        .log(concat!(
            "\u{feff}",
            r#"[{"type":"a"},{"id":"1 n 0","reasons":["r"]}]"#,
            "\r\n",
            r#"[{"type":"b"},{"id":"2 n 0","reasons":["r"]}]"#,
            "\r\n",
            r#"[{"type":"c"},{"id":"3 n 0","reasons":["r"]}]"#,
            "\r\n"
        ))
        .args(["order", "--by", "added"])
        .stdout(concat!(
            r#"[{"type":"a"},{"id":"1 n 0","reasons":["r"],"added":1}]"#,
            "\n",
            r#"[{"type":"b"},{"id":"2 n 0","reasons":["r"],"added":2}]"#,
            "\n",
            r#"[{"type":"c"},{"id":"3 n 0","reasons":["r"],"added":3}]"#,
            "\n"
        ))
        .run();
    ran.then()
        .args(["remove-reason", "r", "--id", "1 n 0"])
        .log_is(concat!(
            r#"{"actionlog":1,"lastAdded":3,"lastSynced":{"sent":0,"received":0}}"#,
            "\n",
            r#"[{"type":"b"},{"id":"2 n 0","reasons":["r"],"added":2}]"#,
            "\n",
            r#"[{"type":"c"},{"id":"3 n 0","reasons":["r"],"added":3}]"#,
            "\n"
        ))
        .run();
}

#[test]
fn a_rewrite_leaves_no_temporary_file_and_keeps_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let test = Test::new().log(HANDWRITTEN);
    let path = test.path().join("actionlog.jsonl");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    let ran = test.args(["remove-reason", "r"]).run();
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
    let mut names: Vec<String> = std::fs::read_dir(ran.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["actionlog.jsonl", "actionlog.jsonl.lock"]);
}

#[test]
fn concurrent_adds_lose_nothing() {
    let test = Test::new();
    let dir = test.path().to_owned();
    let workers: Vec<_> = (0..8)
        .map(|worker| {
            let dir = dir.clone();
            std::thread::spawn(move || {
                for i in 0..10 {
                    let action = format!(r#"{{"type":"w","worker":{worker},"i":{i}}}"#);
                    let node = format!("w{worker}");
                    let args: Vec<String> = ["--node-id", &node, "add", &action, "--reason", "r"]
                        .iter()
                        .map(|s| s.to_string())
                        .collect();
                    let output = command(&dir, &args, &[], None);
                    assert!(
                        output.status.success(),
                        "{}",
                        String::from_utf8_lossy(&output.stderr)
                    );
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().unwrap();
    }
    let log = std::fs::read_to_string(dir.join("actionlog.jsonl")).unwrap();
    let entries: Vec<serde_json::Value> = log
        .lines()
        .filter(|l| l.starts_with('['))
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(entries.len(), 80);
    let added: Vec<u64> = entries
        .iter()
        .map(|e| e[1]["added"].as_u64().unwrap())
        .collect();
    assert_eq!(added, (1..=80).collect::<Vec<_>>());
    drop(test);
}

/// Reads the first bytes `child` prints, then closes the pipe, as `head`
/// does.
fn read_a_little_and_leave(child: &mut std::process::Child) -> [u8; 10] {
    let mut first = [0u8; 10];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    drop(child.stdout.take());
    first
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let test = Test::new();
    let mut log = String::new();
    for i in 0..20_000 {
        log.push_str(&format!(
            "[{{\"type\":\"a\"}},{{\"id\":\"{i} n 0\",\"reasons\":[\"r\"]}}]\n"
        ));
    }
    let test = test.log(&log);
    let mut child = actionlog(test.path())
        .args(["order"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    read_a_little_and_leave(&mut child);
    let output = child.wait_with_output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
}

/// A log over 1 MiB, the size from which a plain add or a get reads only the
/// lines it needs.
fn big_log() -> String {
    let mut log = String::from(
        "{\"actionlog\":1,\"lastAdded\":9000,\"lastSynced\":{\"sent\":0,\"received\":0}}\n",
    );
    for i in 1..=6000 {
        log.push_str(&format!(
            "[{{\"type\":\"filler\",\"text\":\"{}\"}},{{\"id\":\"{i} node{} 0\",\"time\":{i},\"reasons\":[\"r\"],\"added\":{i}}}]\n",
            "x".repeat(150),
            i % 7
        ));
    }
    assert!(log.len() > 1 << 20);
    log
}

#[test]
fn a_closed_pipe_ends_a_repl_script_quietly() {
    // `status` and `set` answer on stdout themselves; a reader that leaves
    // must end the run as it ends any command, not panic.
    let test = Test::new().log("[{\"type\":\"a\"},{\"id\":\"1 n 0\",\"reasons\":[\"r\"]}]\n");
    let mut child = actionlog(test.path())
        .args(["repl", "--no-save"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let script = "status\nset\n".repeat(2_000);
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(script.as_bytes());
    });
    assert_eq!(&read_a_little_and_leave(&mut child), b"file: acti");
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_plain_add_to_a_big_log_appends_after_reading_only_what_it_needs() {
    let log = big_log();
    let ran = Test::new()
        .log(&log)
        .env("ACTIONLOG_NODE_ID", "node3")
        .env("ACTIONLOG_NOW", "1")
        .args(["add", r#"{"type":"new"}"#, "--reason", "r"])
        .stdout(concat!(
            r#"{"event":"add","action":{"type":"new"},"meta":{"reasons":["r"],"id":"5995 node3 1","time":5995,"added":9001}}"#,
            "\n"
        ))
        .run();
    assert_eq!(&ran.log()[..log.len()], log);
    let ran = ran
        .then()
        .args([
            "add",
            r#"{"type":"dup"}"#,
            "--reason",
            "r",
            "--id",
            "17 node3 0",
        ])
        .stdout("")
        .log_unchanged()
        .run();
    ran.then()
        .args(["get", "5995 node3 1"])
        .stdout(concat!(
            r#"[{"type":"new"},{"reasons":["r"],"id":"5995 node3 1","time":5995,"added":9001}]"#,
            "\n"
        ))
        .run()
        .then()
        .args(["get", "5995 node3 9"])
        .status(1)
        .run();
}

#[test]
fn a_big_log_is_read_whole_when_a_plain_add_cannot_do_with_less() {
    // keepLast touches older entries.
    let log = big_log();
    Test::new()
        .log(&log)
        .args(["add", r#"{"type":"new"}"#, "--keep-last", "r"])
        .run();
    let broken = log.replace("\"id\":\"77 node0 0\"", "\"id\":77");
    Test::new()
        .log(&broken)
        .args(["add", r#"{"type":"new"}"#, "--keep-last", "r"])
        .status(4)
        .stderr("actionlog: actionlog.jsonl:78: meta \"id\" must be a string\n")
        .log_unchanged()
        .run();
    // A plain add does not read that line, so it appends; the next full
    // read reports the line.
    Test::new()
        .log(&broken)
        .args(["add", r#"{"type":"new"}"#, "--reason", "r"])
        .run()
        .then()
        .args(["order"])
        .status(4)
        .stderr("actionlog: actionlog.jsonl:78: meta \"id\" must be a string\n")
        .run();
}

#[test]
fn plain_actions_piped_into_add_on_a_big_log_read_only_what_they_need() {
    let log = big_log();
    let input = "{\"type\":\"a\"}\n{ \"type\": \"b\" }\n";
    let expected = concat!(
        r#"{"event":"add","action":{"type":"a"},"meta":{"reasons":["r"],"id":"1000 test 0","time":1000,"added":9001}}"#,
        "\n",
        r#"{"event":"add","action":{"type":"b"},"meta":{"reasons":["r"],"id":"1000 test 1","time":1000,"added":9002}}"#,
        "\n"
    );
    let add = |log: &str, input: &str| {
        Test::new()
            .log(log)
            .args(["add", "--reason", "r"])
            .stdin(input)
    };
    let ran = add(&log, input).stdout(expected).run();
    assert_eq!(&ran.log()[..log.len()], log);
    let appended = ran.log();
    ran.then().args(["check"]).run();
    // The same actions in arrays are read with the whole log: the same.
    let whole = add(&log, &in_arrays(input)).stdout(expected).run();
    assert_eq!(whole.log(), appended);
    // With entries of this node, new IDs continue after the newest.
    let mine = log.clone()
        + r#"[{"type":"mine"},{"id":"5000 test 7","time":5000,"reasons":["r"],"added":9001}]"#
        + "\n";
    let bulk = add(&mine, input).run();
    assert!(
        bulk.stdout
            .contains(r#""id":"5000 test 9","time":5000,"added":9003}}"#)
    );
    let whole = add(&mine, &in_arrays(input)).run();
    assert_eq!(
        (bulk.stdout.clone(), bulk.log()),
        (whole.stdout.clone(), whole.log())
    );
    // A line they do not need is not read; a pair needs the whole log.
    let broken = log.replace("\"id\":\"77 node0 0\"", "\"id\":77");
    add(&broken, input)
        .stdout(expected)
        .run()
        .then()
        .args(["order"])
        .status(4)
        .stderr("actionlog: actionlog.jsonl:78: meta \"id\" must be a string\n")
        .run();
    add(
        &broken,
        &format!("{input}[{{\"type\":\"c\"}},{{\"id\":\"1 z 0\"}}]\n"),
    )
    .status(4)
    .stderr("actionlog: actionlog.jsonl:78: meta \"id\" must be a string\n")
    .log_unchanged()
    .run();
}

#[test]
fn a_plain_add_to_a_big_log_ending_in_blank_lines_numbers_after_its_last_entry() {
    // The header says 9000, but entries were appended after it was written.
    let log = big_log().replace("\"lastAdded\":9000", "\"lastAdded\":10")
        + "[{\"type\":\"late\"},{\"id\":\"7000 late 0\",\"time\":7000,\"reasons\":[\"r\"],\"added\":9500}]\n\n \n";
    Test::new()
        .log(&log)
        .args(["add", r#"{"type":"new"}"#, "--reason", "r"])
        .stdout(concat!(
            r#"{"event":"add","action":{"type":"new"},"meta":{"reasons":["r"],"id":"1000 test 0","time":1000,"added":9501}}"#,
            "\n"
        ))
        .run()
        .then()
        .args(["check"])
        .run();
}

#[test]
fn a_plain_add_or_get_on_a_big_log_finds_ids_written_with_escapes() {
    // Any character of a JSON string may be written as an escape: these
    // are "5995 node3 0" and "6001 a/b 0".
    let log = big_log().replace("\"5995 node3 0\"", r#""5995 node\u0033 0""#)
        + r#"[{"type":"slash"},{"id":"6001 a\/b 0","time":6001,"reasons":["r"],"added":6001}]"#
        + "\n";
    let ran = Test::new()
        .log(&log)
        .args(["get", "5995 node3 0"])
        .stdout(&format!(
            "[{{\"type\":\"filler\",\"text\":\"{}\"}},{{\"id\":\"5995 node\\u0033 0\",\"time\":5995,\"reasons\":[\"r\"],\"added\":5995}}]\n",
            "x".repeat(150)
        ))
        .run();
    let ran = ran
        .then()
        .args(["get", "6001 a/b 0"])
        .stdout(concat!(
            r#"[{"type":"slash"},{"id":"6001 a\/b 0","time":6001,"reasons":["r"],"added":6001}]"#,
            "\n"
        ))
        .run();
    // Taken: the add is ignored, and nothing is appended.
    let ran = ran
        .then()
        .args([
            "add",
            r#"{"type":"dup"}"#,
            "--reason",
            "r",
            "--id",
            "6001 a/b 0",
        ])
        .stdout("")
        .log_unchanged()
        .run();
    // A generated ID comes after the node's newest, however it is written.
    ran.then()
        .env("ACTIONLOG_NODE_ID", "node3")
        .env("ACTIONLOG_NOW", "1")
        .args(["add", r#"{"type":"new"}"#, "--reason", "r"])
        .stdout(concat!(
            r#"{"event":"add","action":{"type":"new"},"meta":{"reasons":["r"],"id":"5995 node3 1","time":5995,"added":9001}}"#,
            "\n"
        ))
        .run()
        .then()
        .args(["check"])
        .run();
}

/// A log over 4 MiB, which two threads parse, half each.
fn two_halves(line: impl Fn(usize) -> String) -> String {
    let mut log = String::new();
    let mut i = 1;
    while log.len() < 5 << 20 {
        log.push_str(&line(i));
        log.push('\n');
        i += 1;
    }
    log
}

fn filler(i: usize) -> String {
    format!(
        "[{{\"type\":\"t{}\",\"text\":\"{}\"}},{{\"id\":\"{i} n{} 0\",\"time\":{i},\"reasons\":[\"r{}\"],\"indexes\":[\"i{}\"]}}]",
        i % 5,
        "y".repeat(120),
        i % 3,
        i % 4,
        i % 2
    )
}

#[test]
fn a_log_parsed_in_two_halves_reads_as_one() {
    let log = two_halves(filler);
    let lines = log.lines().count();
    let ran = Test::new()
        .log(&log)
        .args(["order", "--by", "added", "--index", "i1"])
        .run();
    let added: Vec<u64> = ran
        .stdout
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()[1]["added"]
                .as_u64()
                .unwrap()
        })
        .collect();
    // Numbered by position across both halves; the index names interned by
    // the second thread mean the same as the first's.
    assert_eq!(
        added,
        (1..=lines as u64)
            .filter(|a| a % 2 == 1)
            .collect::<Vec<_>>()
    );
    let last = lines as u64;
    ran.then()
        .args([
            "remove-reason",
            &format!("r{}", last % 4),
            "--min-added",
            &last.to_string(),
        ])
        .run()
        .then()
        .args(["order", "--by", "created"])
        .run();
}

#[test]
fn errors_in_the_second_half_name_their_line() {
    let log = two_halves(filler);
    let lines = log.lines().count();
    let bad_line = lines - 3;
    Test::new()
        .log(&with_line(&log, bad_line, "[{\"type\":\"a\"},{}]"))
        .args(["order"])
        .status(4)
        .stderr(&format!(
            "actionlog: actionlog.jsonl:{bad_line}: meta has no \"id\"\n"
        ))
        .run();
    Test::new()
        .log(&with_line(&log, lines, &filler(2)))
        .args(["order"])
        .status(4)
        .stderr(&format!(
            "actionlog: actionlog.jsonl:{lines}: duplicate ID \"2 n2 0\" (first on line 2)\n"
        ))
        .run();
}

/// `log` with line `number` (from 1) replaced by `line`.
fn with_line(log: &str, number: usize, line: &str) -> String {
    log.lines()
        .enumerate()
        .map(|(i, l)| if i + 1 == number { line } else { l })
        .map(|l| format!("{l}\n"))
        .collect()
}

#[test]
fn a_big_log_from_another_tool_reads_the_same_in_every_path() {
    // A byte order mark, a header after blank lines, CRLF line ends, blank
    // lines between entries and no `added`: the parallel parse, the sparse
    // read of `get` and a small log must agree.
    let plain = two_halves(filler);
    let mut odd = String::from("\u{feff}\r\n\r\n{\"lastAdded\":3}\r\n");
    for (i, line) in plain.lines().enumerate() {
        odd.push_str(line);
        odd.push_str(if i % 1000 == 0 { "\r\n\r\n" } else { "\r\n" });
    }
    let ran = Test::new().log(&odd).args(["order", "--by", "added"]).run();
    let stdout = ran.stdout.clone();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), plain.lines().count());
    let expected_last = {
        let last = plain.lines().last().unwrap();
        format!("{},\"added\":{}}}]", &last[..last.len() - 2], lines.len())
    };
    assert_eq!(lines.last().unwrap(), &expected_last);
    let middle = lines.len() / 2 + 7;
    let id = format!("{middle} n{} 0", middle % 3);
    ran.then()
        .args(["get", &id])
        .stdout(&format!("{}\n", lines[middle - 1]))
        .run();
}

#[test]
fn a_meta_key_given_twice_counts_by_its_last_value_as_json_parse_reads_it() {
    let good = r#"[{"type":"a"},{"id":5,"id":"1 n 0","time":"x","time":1,"reasons":7,"reasons":["r"],"added":1}]"#;
    Test::new()
        .log(&format!("{good}\n"))
        .args(["check"])
        .run()
        .then()
        .args(["order", "--format", "json"])
        .stdout(&format!("[\n{good}\n]\n"))
        .run()
        .then()
        .args(["stats"])
        .run();
    // A wrong last value is wrong, whatever came before it.
    Test::new()
        .log(&format!(
            "{good}\n{}\n",
            r#"[{"type":"b"},{"id":"2 n 0","time":2,"reasons":["r"],"time":"x","added":2}]"#
        ))
        .args(["order"])
        .status(4)
        .stderr("actionlog: actionlog.jsonl:2: meta \"time\" must be a number\n")
        .run();
    Test::new()
        .args(["add", "--id", "3 n 0"])
        .stdin(r#"[{"type":"c"},{"reasons":5,"reasons":["x"]}]"#)
        .stdout(concat!(
            r#"{"event":"add","action":{"type":"c"},"meta":{"reasons":["x"],"id":"3 n 0","time":3,"added":1}}"#,
            "\n"
        ))
        .run();
}
