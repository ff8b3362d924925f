//! Completion from the log: the dynamic completion the shells' scripts ask
//! the binary for (`ACTIONLOG_COMPLETE=SHELL actionlog`), and the same in
//! a real bash.

use std::process::Command;

use crate::harness::{BIN, Test};

const CHAT: &str = include_str!("../../examples/chat.jsonl");

/// What the binary offers for the last of `words` (the command line up to
/// the cursor), asked as `shell`'s script asks.
fn offered(dir: &std::path::Path, shell: &str, words: &[&str]) -> Vec<String> {
    let out = Command::new(BIN)
        .current_dir(dir)
        .env_clear()
        .env("ACTIONLOG_COMPLETE", shell)
        .env("_CLAP_IFS", "\n")
        .env("_CLAP_COMPLETE_INDEX", (words.len() - 1).to_string())
        .arg("--")
        .args(words)
        .output()
        .expect("run the completion");
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        // fish shows a description after a tab; zsh's candidates escape
        // the colon, which separates a description there.
        .map(|line| {
            line.split('\t')
                .next()
                .unwrap_or_default()
                .replace("\\:", ":")
        })
        .filter(|line| !line.is_empty())
        .collect()
}

#[test]
fn values_come_from_the_log_named_on_the_line() {
    let dir = Test::new().file("chat.jsonl", CHAT).into_dir();
    let d = dir.path();
    for shell in ["bash", "zsh", "fish"] {
        let ask = |words: &[&str]| offered(d, shell, words);
        assert_eq!(
            ask(&[
                "actionlog",
                "--log",
                "chat.jsonl",
                "order",
                "--type",
                "user/"
            ]),
            ["user/", "user/rename"],
            "{shell}"
        );
        assert_eq!(
            ask(&["actionlog", "-l", "chat.jsonl", "order", "-r", "channel/r"]),
            ["channel/random", "channel/random/messages"],
            "{shell}"
        );
        assert_eq!(
            ask(&["actionlog", "--log=chat.jsonl", "order", "--index", ""]),
            ["channel/general", "channel/random"],
            "{shell}"
        );
        assert_eq!(
            ask(&["actionlog", "-lchat.jsonl", "stats", "--node", "10"]),
            ["10:uImkcF4z:1", "10:uImkcF4z:3"],
            "{shell}"
        );
        assert_eq!(
            ask(&["actionlog", "-l", "chat.jsonl", "order", "--user", ""]),
            ["10", "11", "12", "server"],
            "{shell}"
        );
        assert_eq!(
            ask(&["actionlog", "-l", "chat.jsonl", "get", "1564508141"]),
            ["1564508141000 11:Pd3Qz1:2 0", "1564508141000 11:Pd3Qz1:2 1"],
            "{shell}"
        );
        assert_eq!(
            ask(&["actionlog", "-l", "chat.jsonl", "remove-reason", "user/1"]),
            ["user/10/name", "user/11/name", "user/12/name"],
            "{shell}"
        );
        // No log there: nothing offered, and no complaint.
        assert_eq!(
            ask(&["actionlog", "-l", "missing.jsonl", "order", "--type", ""]),
            Vec::<String>::new(),
            "{shell}"
        );
    }
}

#[test]
fn the_log_can_come_from_the_environment() {
    let dir = Test::new().file("chat.jsonl", CHAT).into_dir();
    let out = Command::new(BIN)
        .current_dir(dir.path())
        .env_clear()
        .env("ACTIONLOG_FILE", "chat.jsonl")
        .env("ACTIONLOG_COMPLETE", "bash")
        .env("_CLAP_IFS", "\n")
        .env("_CLAP_COMPLETE_INDEX", "3")
        .args(["--", "actionlog", "order", "--type", "channel/"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "channel/\nchannel/create"
    );
}

#[test]
fn a_real_bash_completes_from_the_log() {
    let dir = Test::new().file("chat.jsonl", CHAT).into_dir();
    let d = dir.path();
    std::os::unix::fs::symlink(BIN, d.join("actionlog")).unwrap();
    // Types the line, presses Tab, and prints what bash made of it.
    let script = "source <(ACTIONLOG_COMPLETE=bash actionlog)
COMP_WORDS=(actionlog -l chat.jsonl order --type user/r)
COMP_CWORD=5
COMP_LINE='actionlog -l chat.jsonl order --type user/r'
COMP_POINT=${#COMP_LINE}
_clap_complete_actionlog actionlog user/r --type
printf '%s\\n' \"${COMPREPLY[@]}\"
";
    let out = Command::new("bash")
        .args(["--norc", "--noprofile", "-c", script])
        .current_dir(d)
        .env_clear()
        .env("PATH", format!("{}:/usr/bin:/bin", d.display()))
        .output()
        .expect("bash");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "user/rename\n",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
