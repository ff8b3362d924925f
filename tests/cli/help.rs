//! Help that teaches: examples, global options under their own heading,
//! and short options for the options used most.

use crate::harness::{Test, ok};

const LOG: &str = concat!(
    r#"[{"type":"a/x","k":1},{"id":"1 n 0","time":1,"reasons":["r"],"indexes":["i"],"added":1}]"#,
    "\n",
    r#"[{"type":"b"},{"id":"2 n 0","time":2,"reasons":["s"],"added":2}]"#,
    "\n"
);

#[test]
fn top_level_help_has_examples_and_short_options() {
    let dir = Test::new().into_dir();
    let help = ok(dir.path(), &["--help"]);
    assert!(
        help.contains("\nExamples:\n  actionlog -l chat.jsonl order"),
        "{help}"
    );
    assert!(help.contains("\nShort options:\n"), "{help}");
    // The text after the options fits 80 columns.
    let after = &help[help.find("\nExamples:").unwrap()..];
    for line in after.lines() {
        assert!(line.chars().count() <= 80, "{line:?}");
    }
    assert!(
        help.contains("\nGlobal options:\n  -l, --log <FILE>"),
        "{help}"
    );
}

#[test]
fn each_command_shows_global_options_under_their_own_heading() {
    let dir = Test::new().into_dir();
    for command in [
        "add",
        "add-reason",
        "change-meta",
        "remove-reason",
        "generate-id",
        "order",
        "get",
        "merge",
        "import",
        "export",
        "synced",
        "sync",
        "serve",
        "check",
        "stats",
        "parse-id",
        "is-older",
        "completions",
        "repl",
    ] {
        let help = ok(dir.path(), &[command, "--help"]);
        let (own, global) = help
            .split_once("\nGlobal options:\n")
            .unwrap_or_else(|| panic!("{command}: no global heading:\n{help}"));
        assert!(!own.contains("--node-id <ID>"), "{command}: {own}");
        assert!(
            global.contains("--node-id") && global.contains("-o, --format"),
            "{command}"
        );
        assert!(help.contains("\nExamples:\n"), "{command} has no examples");
    }
}

#[test]
fn short_options_do_what_the_long_ones_do() {
    let dir = Test::new().log(LOG).into_dir();
    let d = dir.path();
    assert_eq!(
        ok(d, &["-l", "actionlog.jsonl", "order", "-t", "a/", "-c"]),
        "1\n"
    );
    assert_eq!(
        ok(d, &["order", "-r", "s", "-o", "json"]),
        ok(d, &["order", "--reason", "s", "--format", "json"])
    );
    assert_eq!(ok(d, &["order", "-i", "i", "-c"]), "1\n");
    assert_eq!(ok(d, &["order", "-a", "k=1", "-c"]), "1\n");
    assert_eq!(ok(d, &["order", "-m", "added=2", "-c"]), "1\n");
    let before = std::fs::read(d.join("actionlog.jsonl")).unwrap();
    let events = ok(d, &["remove-reason", "r", "-n"]);
    assert!(events.contains(r#""event":"clean""#), "{events}");
    let add = [
        "add",
        r#"{"type":"c"}"#,
        "-r",
        "x",
        "-i",
        "j",
        "-m",
        r#"{"tab":1}"#,
    ];
    ok(d, &[&add[..], &["-n"]].concat());
    assert_eq!(std::fs::read(d.join("actionlog.jsonl")).unwrap(), before);
    ok(d, &add);
    assert_eq!(
        ok(d, &["order", "-i", "j", "-r", "x", "-m", "tab=1", "-c"]),
        "1\n"
    );
}
