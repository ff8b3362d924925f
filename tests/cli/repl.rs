//! The REPL: a piped script prints what the same commands print one per
//! process; on a terminal, completion, history, undo and save work.

use rexpect::reader::Options;
use rexpect::session::{PtySession, spawn_with_options};

use crate::harness::{LOG, RunningRepl, Test, actionlog, command, ok};

const START: &str = concat!(
    r#"[{"type":"alpha/one"},{"id":"1 a 0","time":1,"reasons":["keep"],"added":1}]"#,
    "\n",
    r#"[{"type":"beta"},{"id":"2 b 0","time":2,"reasons":["keep","other"],"indexes":["i"],"added":2}]"#,
    "\n"
);

const SCRIPT: &[&str] = &[
    r#"add {"type": "gamma", "text": "a b"} --reason keep"#,
    r#"add {"type":"reasonless"}"#,
    r#"change-meta "1 a 0" {"status": "seen"}"#,
    r#"get "1 a 0""#,
    r#"get "9 z 0""#,
    "remove-reason other",
    "order --by added",
    "order --index i",
    "generate-id --count 2",
    r#"add {"type":"delta"} --keep-last keep"#,
    "order",
    r#"is-older "1 a 0" "2 b 0""#,
    "parse-id a:b:c",
];

/// The argument words of a script line, as the REPL splits them.
fn words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut rest = line.trim();
    while !rest.is_empty() {
        let (word, tail) = match rest.as_bytes()[0] {
            b'"' => {
                let end = rest[1..].find('"').unwrap() + 1;
                (rest[1..end].to_owned(), &rest[end + 1..])
            }
            b'{' => {
                let end = rest.rfind('}').unwrap() + 1;
                (rest[..end].to_owned(), &rest[end..])
            }
            _ => {
                let end = rest.find(' ').unwrap_or(rest.len());
                (rest[..end].to_owned(), &rest[end..])
            }
        };
        words.push(word);
        rest = tail.trim_start();
    }
    words
}

#[test]
fn a_piped_script_prints_what_the_commands_print_one_per_process() {
    let one_by_one = Test::new().log(START);
    let mut expected_stdout = String::new();
    let mut failures = 0;
    for line in SCRIPT {
        let output = command(one_by_one.path(), &words(line), &[], None);
        expected_stdout.push_str(&String::from_utf8_lossy(&output.stdout));
        if !output.status.success() {
            failures += 1;
        }
    }
    assert_eq!(failures, 1, "only `get \"9 z 0\"` fails");
    let expected_log = std::fs::read_to_string(one_by_one.path().join(LOG)).unwrap();

    let script = SCRIPT.join("\n") + "\n";
    let ran = Test::new()
        .log(START)
        .args(["repl"])
        .stdin(script)
        .status(1)
        .stdout(&expected_stdout)
        // The same error, with the script's line.
        .stderr("actionlog: line 5: no action with ID \"9 z 0\" in the log\n")
        .run();
    let entries = |log: &str| {
        log.lines()
            .filter(|l| l.starts_with('['))
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    assert_eq!(entries(&ran.log()), entries(&expected_log));
}

#[test]
fn a_piped_script_goes_on_after_errors_and_skips_comments() {
    Test::new()
        .args(["repl"])
        // A word still open at the end goes on to the next lines (JSON
        // over several lines); at the end of the script, it is unfinished.
        .stdin("# comment\n\nbogus\nadd {\"type\":\"a\"} --reason r --id \"1 n 0\"\nget \"1 n 0\"\nadd {\"type\":\"a\"\n--reason r\n")
        .status(2)
        .stdout(concat!(
            r#"{"event":"add","action":{"type":"a"},"meta":{"id":"1 n 0","reasons":["r"],"time":1,"added":1}}"#,
            "\n",
            r#"[{"type":"a"},{"id":"1 n 0","reasons":["r"],"time":1,"added":1}]"#,
            "\n"
        ))
        .stderr("actionlog: line 3: unrecognized subcommand 'bogus'\nactionlog: line 6: unfinished word: {\"type\":\"a\"…\n")
        .run();
}

#[test]
fn no_save_leaves_the_file_alone() {
    Test::new()
        .log(START)
        .args(["repl", "--no-save"])
        .stdin("add {\"type\":\"x\"} --reason r\nremove-reason keep\n")
        .log_unchanged()
        .run();
}

#[test]
fn repl_commands_cannot_read_stdin_or_nest() {
    Test::new()
        .args(["repl"])
        .stdin("add\nrepl\n")
        .status(2)
        .stderr("actionlog: line 1: in the REPL, give the action as an argument\nactionlog: line 2: already in the REPL\n")
        .run();
    Test::new()
        .args(["--log", "-", "repl"])
        .stdin("")
        .status(2)
        .stderr_contains("the REPL reads commands from stdin")
        .run();
}

#[test]
fn undo_and_status_in_a_script() {
    Test::new()
        .log(START)
        .args(["repl"])
        .stdin("status\nremove-reason keep\nstatus\nundo\nstatus\nundo\n")
        .status(2)
        .stdout(concat!(
            "file: actionlog.jsonl\nentries: 2\nlastAdded: 2\nunsaved changes: no\n",
            r#"{"event":"clean","action":{"type":"alpha/one"},"meta":{"id":"1 a 0","time":1,"reasons":[],"added":1}}"#,
            "\n",
            "file: actionlog.jsonl\nentries: 1\nlastAdded: 2\nunsaved changes: yes\n",
            "file: actionlog.jsonl\nentries: 2\nlastAdded: 2\nunsaved changes: no\n",
        ))
        .stderr("actionlog: line 6: nothing to undo\n")
        .log_unchanged()
        .run();
}

/// Starts the REPL on a terminal in `dir`.
fn terminal(dir: &std::path::Path, extra: &[&str]) -> PtySession {
    let mut command = actionlog(dir);
    command
        .args(["--format", "jsonl", "--color", "never"])
        .arg("repl")
        .args(extra)
        .env("XDG_CACHE_HOME", dir.join("cache"))
        .env("TERM", "xterm");
    let options = Options::new()
        .timeout_ms(Some(10_000))
        .strip_ansi_escape_codes(true);
    let mut repl = spawn_with_options(command, options).expect("start the REPL");
    repl.exp_string("Type help").unwrap();
    prompt(&mut repl);
    repl
}

/// Waits for the prompt, and a little more: rustyline may take keys typed
/// while it sets up the line for a terminal's reply to its cursor query.
#[track_caller]
fn prompt(repl: &mut PtySession) {
    repl.exp_regex(r"actionlog\.jsonl\*?> ").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(250));
}

/// Types keys (without Enter, unless they hold one).
#[track_caller]
fn keys(repl: &mut PtySession, keys: &str) {
    repl.send(keys).unwrap();
    repl.flush().unwrap();
}

/// Sends a line, waits for `expected` and then for the next prompt.
#[track_caller]
fn run(repl: &mut PtySession, line: &str, expected: &str) {
    repl.send_line(line).unwrap();
    repl.exp_string(expected).unwrap();
    prompt(repl);
}

#[test]
fn on_a_terminal_completion_history_undo_and_save_work() {
    let test = Test::new().log(START);
    let dir = test.path().to_owned();

    let mut repl = terminal(&dir, &[]);
    keys(&mut repl, "ord\t");
    repl.exp_string("order").unwrap();
    keys(&mut repl, " --by add\t");
    repl.exp_string("added").unwrap();
    keys(&mut repl, "\r");
    repl.exp_string(r#"[{"type":"beta"}"#).unwrap();
    prompt(&mut repl);

    keys(&mut repl, "get \"2\t");
    repl.exp_string("\"2 b 0\"").unwrap();
    keys(&mut repl, "\r");
    repl.exp_string(r#""indexes":["i"]"#).unwrap();
    prompt(&mut repl);

    keys(&mut repl, "add {\"type\":\"al\t");
    repl.exp_string("alpha/one").unwrap();
    keys(&mut repl, "} --reason kee\t");
    repl.exp_string("keep").unwrap();
    keys(&mut repl, "\r");
    repl.exp_string(r#"{"event":"add","action":{"type":"alpha/one"},"meta":{"reasons":["keep"],"id":"1000 test 0""#)
        .unwrap();
    repl.exp_string("actionlog.jsonl*>").unwrap();

    run(&mut repl, "undo", "undid: add");
    run(&mut repl, "status", "unsaved changes: no");
    run(
        &mut repl,
        "add {\"type\": \"saved\"} --reason keep",
        r#""id":"1000 test 1""#,
    );
    // Each change ends with its summary.
    run(
        &mut repl,
        "add {\"type\": \"gone\"}",
        "1 entry added, 1 cleaned",
    );
    run(&mut repl, "save", "saved actionlog.jsonl");
    repl.send_line("exit").unwrap();
    repl.exp_eof().unwrap();
    let log = std::fs::read_to_string(dir.join(LOG)).unwrap();
    assert!(log.ends_with("[{\"type\":\"saved\"},{\"reasons\":[\"keep\"],\"id\":\"1000 test 1\",\"time\":1000,\"added\":4}]\n"), "{log}");

    // History survives the session: two steps up is `save`.
    let mut repl = terminal(&dir, &[]);
    keys(&mut repl, "\x1b[A\x1b[A");
    repl.exp_string("save").unwrap();
    keys(&mut repl, "\r");
    repl.exp_string("no changes to save").unwrap();
    prompt(&mut repl);
    repl.send_control('d').unwrap();
    repl.exp_eof().unwrap();
}

#[test]
fn on_a_terminal_ctrl_c_clears_the_line_and_no_save_says_so() {
    let test = Test::new().log(START);
    let dir = test.path().to_owned();
    let mut repl = terminal(&dir, &["--no-save"]);
    keys(&mut repl, "remove-reason keep");
    repl.exp_string("remove-reason keep").unwrap();
    repl.send_control('c').unwrap();
    prompt(&mut repl);
    run(&mut repl, "status", "entries: 2");
    run(&mut repl, "remove-reason keep", r#"{"event":"clean""#);
    repl.send_line("exit").unwrap();
    repl.exp_string("left without saving").unwrap();
    repl.exp_eof().unwrap();
    assert_eq!(std::fs::read_to_string(dir.join(LOG)).unwrap(), START);
}

#[test]
fn on_a_terminal_save_refuses_to_overwrite_changes_made_by_another_process() {
    let test = Test::new().log(START);
    let dir = test.path().to_owned();
    let mut repl = terminal(&dir, &[]);
    run(&mut repl, "remove-reason keep", r#"{"event":"clean""#);

    // The REPL holds no lock between commands, so another process can add.
    let args: Vec<String> = ["add", r#"{"type":"outside"}"#, "--reason", "r"]
        .map(String::from)
        .to_vec();
    let output = command(
        &dir,
        &args,
        &[("ACTIONLOG_NODE_ID".into(), "other".into())],
        None,
    );
    assert!(output.status.success());

    run(&mut repl, "save", "changed on disk since it was read");
    run(
        &mut repl,
        "reload",
        "reloaded: 3 entries, unsaved changes dropped",
    );
    run(&mut repl, "get \"1000 other 0\"", r#"{"type":"outside"}"#);
    repl.send_line("exit").unwrap();
    repl.exp_eof().unwrap();
    let log = std::fs::read_to_string(dir.join(LOG)).unwrap();
    assert!(log.starts_with(START) && log.contains("outside"), "{log}");
}

#[test]
fn big_logs_show_progress_on_a_terminal_only() {
    let mut log = String::new();
    for i in 0..2000 {
        log.push_str(&format!(
            "[{{\"type\":\"a\"}},{{\"id\":\"{i} n 0\",\"reasons\":[\"r\"],\"added\":{}}}]\n",
            i + 1
        ));
    }
    let test = Test::new().log(&log);
    let dir = test.path().to_owned();
    let mut command = actionlog(&dir);
    command
        .args(["remove-reason", "r", "--max-added", "1"])
        .env("ACTIONLOG_PROGRESS_MIN_BYTES", "1000")
        .env("TERM", "xterm");
    let options = Options::new()
        .timeout_ms(Some(10_000))
        .strip_ansi_escape_codes(true);
    let mut run = spawn_with_options(command, options).unwrap();
    run.exp_string("loading").unwrap();
    run.exp_string("saving").unwrap();
    run.exp_eof().unwrap();
    // Not a terminal: nothing on stderr.
    Test::in_dir(test.into_dir())
        .args(["remove-reason", "r", "--max-added", "2"])
        .env("ACTIONLOG_PROGRESS_MIN_BYTES", "1000")
        .stderr("")
        .run();
}

#[test]
fn on_a_terminal_text_that_would_steer_it_is_shown_escaped() {
    // A log whose file name and one action type hold a "clear screen"
    // sequence and a right-to-left override.
    let name = "evil\u{1b}[2J\u{202e}.jsonl";
    let test = Test::new().file(
        name,
        concat!(
            r#"[{"type":"t\u001b[2Jx"},{"id":"1 a 0","time":1,"reasons":["keep"],"added":1}]"#,
            "\n"
        ),
    );
    let mut command = actionlog(test.path());
    command
        .args([
            "--log", name, "--format", "jsonl", "--color", "never", "repl",
        ])
        .env("XDG_CACHE_HOME", test.path().join("cache"))
        .env("TERM", "xterm");
    let options = Options::new()
        .timeout_ms(Some(10_000))
        .strip_ansi_escape_codes(false);
    let mut repl = spawn_with_options(command, options).expect("start the REPL");
    let banner = repl.exp_string("Type help").unwrap();
    assert!(
        banner.contains("evil\\u{1b}[2J\\u{202e}.jsonl"),
        "{banner:?}"
    );
    let prompt = repl.exp_string(".jsonl> ").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(250));
    keys(&mut repl, "add {\"type\":\"t\t");
    // The type is completed as JSON writes it: the escape, not the key.
    let typed = repl.exp_string("\\u001b[2Jx\"").unwrap();
    keys(&mut repl, "} --reason keep\r");
    let added = repl.exp_string(r#""id":"1000 test 0""#).unwrap();
    repl.exp_string(".jsonl*> ").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(250));
    repl.send_line("save").unwrap();
    let saved = repl
        .exp_string("saved evil\\u{1b}[2J\\u{202e}.jsonl")
        .unwrap();
    repl.send_line("exit").unwrap();
    let rest = repl.exp_eof().unwrap();
    for shown in [&banner, &prompt, &typed, &added, &saved, &rest] {
        assert!(!shown.contains("\u{1b}[2J"), "{shown:?}");
        assert!(!shown.contains('\u{202e}'), "{shown:?}");
    }
    let log = std::fs::read_to_string(test.path().join(name)).unwrap();
    assert!(
        log.contains(r#"[{"type":"t\u001b[2Jx"},{"reasons":["keep"],"#),
        "{log}"
    );
}

#[test]
fn on_a_terminal_ctrl_c_stops_a_waiting_command_not_the_session() {
    let test = Test::new().log(START);
    let dir = test.path().to_owned();
    let pipe = std::ffi::CString::new(dir.join("pipe.jsonl").into_os_string().into_encoded_bytes())
        .unwrap();
    // SAFETY: a valid C string; mkfifo only makes a file.
    assert_eq!(unsafe { libc::mkfifo(pipe.as_ptr(), 0o644) }, 0);
    let mut repl = terminal(&dir, &[]);
    run(
        &mut repl,
        r#"add {"type": "unsaved"} --reason keep"#,
        r#""type":"unsaved""#,
    );
    // `merge` waits for a writer to open the pipe; Ctrl-C stops the wait.
    repl.send_line("merge pipe.jsonl --reason r").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(500));
    repl.send_control('c').unwrap();
    repl.exp_string("cannot read pipe.jsonl: interrupted")
        .unwrap();
    prompt(&mut repl);
    run(&mut repl, "save", "saved actionlog.jsonl");
    repl.send_line("exit").unwrap();
    repl.exp_eof().unwrap();
    let log = std::fs::read_to_string(dir.join(LOG)).unwrap();
    assert!(log.contains("unsaved"), "{log}");
}

#[test]
fn on_a_terminal_type_and_node_values_complete_from_the_log() {
    let test = Test::new().log(START);
    let dir = test.path().to_owned();
    let mut repl = terminal(&dir, &[]);
    keys(&mut repl, "order --type be\t");
    repl.exp_string("beta").unwrap();
    keys(&mut repl, " --node b\t\r");
    repl.exp_string(r#"[{"type":"beta"}"#).unwrap();
    prompt(&mut repl);
    keys(&mut repl, "order -t alpha\t");
    repl.exp_string("alpha/").unwrap();
    keys(&mut repl, "o\t\r");
    repl.exp_string(r#"[{"type":"alpha/one"}"#).unwrap();
    prompt(&mut repl);
    repl.send_control('d').unwrap();
    repl.exp_eof().unwrap();
}

#[test]
fn a_command_takes_its_own_format_and_set_changes_the_default() {
    let test = Test::new().log(START);
    let script = concat!(
        "get \"1 a 0\" --format json\n",
        "set format json\n",
        "set\n",
        "get \"1 a 0\"\n",
        "get \"1 a 0\" -o jsonl\n",
        "set format xml\n",
        "save --format json\n",
    );
    let ran = test
        .args(["repl"])
        .stdin(script)
        .status(2)
        .stderr(concat!(
            "actionlog: line 6: invalid value 'xml' for format (possible values: table, json, jsonl)\n",
            "actionlog: line 7: --format, --color, --archive and --local-time go with a command of the log; `set` changes them for the session\n",
        ))
        .run();
    let one = r#"[{"type":"alpha/one"},{"id":"1 a 0","time":1,"reasons":["keep"],"added":1}]"#;
    assert_eq!(
        ran.stdout,
        format!(
            "[\n{one}\n]\nformat: json\ncolor: off\narchive: none\nlocal-time: off\n[\n{one}\n]\n{one}\n"
        )
    );
}

#[test]
fn a_batch_names_the_failing_line_keeps_clap_tips_and_reads_json_over_lines() {
    let test = Test::new().log(START);
    let script = concat!(
        "order --revrse\n",
        "add {\n",
        "  \"type\": \"multi\",\n",
        "  \"list\": [1,\n",
        "    2]\n",
        "} --reason keep\n",
        "get \"9 z 0\"\n",
    );
    let ran = test
        .args(["repl"])
        .stdin(script)
        .status(2)
        .stderr(concat!(
            "actionlog: line 1: unexpected argument '--revrse' found (tip: a similar argument exists: '--reverse')\n",
            "actionlog: line 7: no action with ID \"9 z 0\" in the log\n",
        ))
        .run();
    assert!(
        ran.stdout
            .contains(r#"{"event":"add","action":{"type":"multi","list":[1,2]}"#),
        "{}",
        ran.stdout
    );
}

#[test]
fn a_change_on_disk_is_told_and_reload_keep_redoes_the_unsaved_changes() {
    let test = Test::new().log(START);
    let dir = test.path().to_owned();
    let mut repl = RunningRepl::start(&dir, &[]);
    repl.send(r#"add {"type":"mine"} --reason keep --id "5 m 0""#);
    assert!(repl.read_line().contains(r#""type":"mine""#));
    // Another program changes the file meanwhile.
    ok(
        &dir,
        &[
            "add",
            r#"{"type":"theirs"}"#,
            "--reason",
            "keep",
            "--id",
            "6 t 0",
        ],
    );
    repl.send("status");
    assert_eq!(repl.read_line(), "file: actionlog.jsonl\n");
    repl.send("reload --keep");
    repl.send("order --by added");
    let (rest, output) = repl.finish();
    let types: Vec<&str> = rest
        .lines()
        .filter(|line| line.starts_with('['))
        .map(|line| line.split('"').nth(3).unwrap_or_default())
        .collect();
    assert_eq!(types, ["alpha/one", "beta", "theirs", "mine"], "{rest}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        stderr,
        "actionlog.jsonl changed on disk since it was read: `reload --keep` reads it again and redoes your unsaved changes on it, `reload` drops them\n"
    );
    assert!(output.status.success());
    // Saved on leaving: both changes are in the file.
    let log = std::fs::read_to_string(dir.join(LOG)).unwrap();
    assert!(
        log.contains(r#""6 t 0""#) && log.contains(r#""5 m 0""#),
        "{log}"
    );
}
