//! A full disk, simulated with a file size limit (`ulimit -f`): a clear
//! error, the old log intact, nothing left half-written.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use crate::harness::{BIN, LOG, append_under_way};

/// About 1 MB.
fn log() -> String {
    (0..10_000)
        .map(|i| {
            format!(
                "[{{\"type\":\"t\",\"n\":{i},\"text\":\"filler\"}},{{\"id\":\"{} n 0\",\"time\":{},\"reasons\":[\"a\",\"b\"],\"added\":{}}}]\n",
                i + 1,
                i + 1,
                i + 1
            )
        })
        .collect()
}

/// Runs actionlog in `dir` with files limited to `kib` KiB.
fn limited(dir: &Path, kib: u32, args: &str, stdin: &str) -> Output {
    let script = format!("ulimit -f {kib}; exec {BIN} {args}");
    let mut child = Command::new("bash")
        .current_dir(dir)
        .args(["-c", &script])
        .env_clear()
        .env("ACTIONLOG_NODE_ID", "test")
        .env("ACTIONLOG_NOW", "1000")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut pipe = child.stdin.take().unwrap();
    let input = stdin.to_owned();
    std::thread::spawn(move || std::io::Write::write_all(&mut pipe, input.as_bytes()));
    child.wait_with_output().unwrap()
}

fn leftovers(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name != LOG && name != &format!("{LOG}.lock"))
        .collect()
}

#[test]
fn a_rewrite_that_does_not_fit_leaves_the_old_log() {
    let dir = tempfile::tempdir().unwrap();
    let old = log();
    fs::write(dir.path().join(LOG), &old).unwrap();
    let output = limited(dir.path(), 500, "remove-reason a --max-added 5000", "");
    assert_eq!(output.status.code(), Some(5));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "actionlog: the log was not saved: cannot write actionlog.jsonl: File too large (os error 27)\n"
    );
    assert_eq!(output.stdout, b"");
    assert!(fs::read_to_string(dir.path().join(LOG)).unwrap() == old);
    assert_eq!(leftovers(dir.path()), Vec::<String>::new());
}

#[test]
fn an_append_that_does_not_fit_is_taken_back() {
    let dir = tempfile::tempdir().unwrap();
    let old = log();
    fs::write(dir.path().join(LOG), &old).unwrap();
    let actions: String = (0..20_000)
        .map(|i| format!("{{\"type\":\"new\",\"n\":{i}}}\n"))
        .collect();
    // Room for part of the new lines only.
    let kib = (old.len() / 1024 + 200) as u32;
    let output = limited(dir.path(), kib, "add --reason r", &actions);
    assert_eq!(output.status.code(), Some(5));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "actionlog: the log was not saved: cannot append to actionlog.jsonl: File too large (os error 27)\n"
    );
    assert_eq!(
        output.stdout, b"",
        "no events for actions that were not saved"
    );
    assert!(fs::read_to_string(dir.path().join(LOG)).unwrap() == old);
    assert!(!append_under_way(&dir.path().join(format!("{LOG}.lock"))));
    assert_eq!(leftovers(dir.path()), Vec::<String>::new());
}
