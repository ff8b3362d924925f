//! `order --follow`: the log, then every entry other processes add, as it
//! comes, through rewrites, without printing anything twice.

use std::io::BufRead;
use std::process::{Child, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use crate::harness::{Test, actionlog, ok, run};

const LOG: &str = concat!(
    r#"[{"type":"m/a"},{"id":"1 n 0","time":1,"reasons":["r","s"],"added":1}]"#,
    "\n",
    r#"[{"type":"x"},{"id":"2 n 0","time":2,"reasons":["s"],"added":2}]"#,
    "\n",
    r#"[{"type":"m/b"},{"id":"3 n 0","time":3,"reasons":["s"],"added":3}]"#,
    "\n"
);

/// A follower, killed when dropped, with its lines as they come.
struct Follower {
    child: Child,
    lines: Receiver<String>,
}

impl Drop for Follower {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Follower {
    fn start(dir: &std::path::Path, args: &[&str]) -> Follower {
        let mut child = actionlog(dir)
            .args(["order", "--follow", "--format", "jsonl"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the follower");
        let stdout = child.stdout.take().expect("stdout");
        let (sender, lines) = channel();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        Follower { child, lines }
    }

    /// The ID of the next entry printed.
    #[track_caller]
    fn next_id(&self) -> String {
        let line = self
            .lines
            .recv_timeout(Duration::from_secs(20))
            .expect("a line within 20 s");
        let value: serde_json::Value = serde_json::from_str(&line).expect("JSON");
        value[1]["id"].as_str().expect("an ID").to_owned()
    }

    /// Nothing more is printed for a while.
    #[track_caller]
    fn nothing_more(&self) {
        if let Ok(line) = self.lines.recv_timeout(Duration::from_millis(700)) {
            panic!("printed again: {line}");
        }
    }
}

#[test]
fn prints_the_log_then_each_new_entry_once() {
    let dir = Test::new().log(LOG).into_dir();
    let d = dir.path();
    let follower = Follower::start(d, &["--type", "m/", "--last", "1"]);
    assert_eq!(follower.next_id(), "3 n 0");
    // Until the follower prints, it may not have started watching: its
    // first line says it has.
    ok(
        d,
        &[
            "add",
            r#"{"type":"m/c"}"#,
            "--reason",
            "r",
            "--id",
            "10 n 0",
        ],
    );
    assert_eq!(follower.next_id(), "10 n 0");
    // Filtered out.
    ok(
        d,
        &["add", r#"{"type":"y"}"#, "--reason", "r", "--id", "11 n 0"],
    );
    // Rewrites of the file: nothing is printed again.
    ok(d, &["remove-reason", "s"]);
    ok(d, &["change-meta", "10 n 0", r#"{"seen":true}"#]);
    follower.nothing_more();
    // A bulk add: each in added order.
    let out = crate::harness::command(
        d,
        &["add".into(), "--reason".into(), "r".into()],
        &[],
        Some(b"[{\"type\":\"m/d\"},{\"id\":\"12 n 0\"}]\n{\"type\":\"m/e\"}\n"),
    );
    assert!(out.status.success());
    assert_eq!(follower.next_id(), "12 n 0");
    assert_eq!(follower.next_id(), "1000 test 0");
    follower.nothing_more();
    // Waiting costs nothing: it sleeps until the system says the file
    // changed, and does not poll.
    let before = cpu_ticks(follower.child.id());
    std::thread::sleep(Duration::from_millis(1500));
    let used = cpu_ticks(follower.child.id()) - before;
    assert!(used < 20, "{used} ticks of CPU while nothing changed");
}

/// The CPU time a process has used, in clock ticks (user and system).
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("its stat");
    let fields: Vec<&str> = stat[stat.rfind(')').expect("the name's end") + 2..]
        .split(' ')
        .collect();
    // utime and stime: fields 14 and 15, counted from the pid.
    fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
}

#[test]
fn follow_refuses_what_it_cannot_do() {
    let dir = Test::new().log(LOG).into_dir();
    for extra in [
        &["--count"][..],
        &["--reverse"],
        &["--limit", "1"],
        &["1 n 0"],
    ] {
        let mut args = vec!["order", "--follow"];
        args.extend_from_slice(extra);
        let out = run(dir.path(), &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
    let out = run(dir.path(), &["--log", "-", "order", "--follow"]);
    assert_eq!(out.status.code(), Some(2));
}
