//! `actionlog sync` against a real `@logux/server` 0.14, with a real
//! `@logux/client` 0.23 beside it.

use std::io::{BufRead, BufReader};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::peers::{LoguxServer, free_port, logux_client};
use crate::{actionlog, output, text};

const LOG: &str = "actionlog.jsonl";

fn entries(dir: &std::path::Path) -> Vec<(serde_json::Value, serde_json::Value)> {
    std::fs::read_to_string(dir.join(LOG))
        .unwrap_or_default()
        .lines()
        .filter(|line| line.starts_with('['))
        .map(|line| {
            let [action, meta]: [serde_json::Value; 2] =
                serde_json::from_str(line).expect("an entry");
            (action, meta)
        })
        .collect()
}

fn header(dir: &std::path::Path) -> serde_json::Value {
    let log = std::fs::read_to_string(dir.join(LOG)).unwrap();
    serde_json::from_str(log.lines().next().unwrap()).unwrap()
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
}

/// The lines `from` prints, as they come.
fn lines_of(from: std::process::ChildStdout) -> std::sync::mpsc::Receiver<String> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(from).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

#[track_caller]
fn add(dir: &std::path::Path, node: &str, action: &str) {
    let ran = output(actionlog(dir, node).args(["add", action, "--reason", "mine"]));
    assert!(ran.status.success(), "{}", text(&ran.stderr));
}

#[test]
fn refused_credentials_end_with_their_status_and_an_unchanged_log() {
    let server = LoguxServer::start();
    let dir = tempfile::tempdir().unwrap();
    add(dir.path(), "10:cli", r#"{"type":"echo","payload":1}"#);
    let before = std::fs::read(dir.path().join(LOG)).unwrap();
    let ran = output(actionlog(dir.path(), "10:cli").args([
        "sync",
        &server.url(),
        "--token",
        "secret-11",
        "--subprotocol",
        "2",
    ]));
    assert_eq!(ran.status.code(), Some(7), "{}", text(&ran.stderr));
    assert_eq!(
        text(&ran.stderr),
        format!(
            "actionlog: {} refused the credentials (wrong-credentials)\n",
            server.url()
        )
    );
    assert_eq!(std::fs::read(dir.path().join(LOG)).unwrap(), before);
    assert!(server.added().is_empty());

    // The token from the environment, and an old subprotocol.
    let ran = output(
        actionlog(dir.path(), "10:cli")
            .env("ACTIONLOG_TOKEN", "secret-10")
            .args(["sync", &server.url(), "--subprotocol", "1"]),
    );
    assert_eq!(ran.status.code(), Some(8), "{}", text(&ran.stderr));
    assert!(
        text(&ran.stderr).contains("wrong-subprotocol): it supports 2, this node sent 1"),
        "{}",
        text(&ran.stderr)
    );
    assert_eq!(std::fs::read(dir.path().join(LOG)).unwrap(), before);

    // Nothing listening.
    let ran = output(
        actionlog(dir.path(), "10:cli").args(["sync", &format!("ws://127.0.0.1:{}", free_port())]),
    );
    assert_eq!(ran.status.code(), Some(9), "{}", text(&ran.stderr));
    assert!(text(&ran.stderr).contains("cannot connect to ws://127.0.0.1:"));
    assert_eq!(std::fs::read(dir.path().join(LOG)).unwrap(), before);
}

#[test]
fn pushes_what_the_server_has_not_acknowledged_and_stores_its_answers() {
    let server = LoguxServer::start();
    let dir = tempfile::tempdir().unwrap();
    add(dir.path(), "10:cli", r#"{"type":"echo","payload":1}"#);
    add(dir.path(), "10:cli", r#"{"type":"deny-me"}"#);
    let sync = || {
        output(actionlog(dir.path(), "10:cli").args([
            "sync",
            &server.url(),
            "--token",
            "secret-10",
            "--subprotocol",
            "2",
            "--reason",
            "synced",
        ]))
    };
    let ran = sync();
    assert!(ran.status.success(), "{}", text(&ran.stderr));
    let ours = entries(dir.path());
    let (echo_id, deny_id) = (ours[0].1["id"].clone(), ours[1].1["id"].clone());

    // The server got our echo, with only id, time and subprotocol, and
    // denied the other.
    let added = server.added();
    let echo = added
        .iter()
        .find(|(action, _)| action["type"] == "echo")
        .expect("the server added the echo");
    assert_eq!(echo.1["id"], echo_id);
    assert!(
        echo.1
            .get("reasons")
            .is_none_or(|r| r == &serde_json::json!([]))
    );
    assert!(!added.iter().any(|(action, _)| action["type"] == "deny-me"));

    // Its answers are in the log: the echo's result, the processed and the
    // undo; the undo was printed as an event of its own.
    let stdout = text(&ran.stdout);
    let undo_line = stdout
        .lines()
        .find(|line| line.starts_with(r#"{"event":"undo""#))
        .expect("an undo event");
    let undo: serde_json::Value = serde_json::from_str(undo_line).unwrap();
    assert_eq!(undo["id"], deny_id);
    assert_eq!(undo["reason"], "denied");
    assert_eq!(undo["action"], serde_json::json!({"type": "deny-me"}));
    let log = entries(dir.path());
    let types: Vec<&str> = log
        .iter()
        .map(|(a, _)| a["type"].as_str().unwrap())
        .collect();
    assert!(types.contains(&"echoed"), "{types:?}");
    assert!(types.contains(&"logux/undo"), "{types:?}");
    assert!(
        log.iter()
            .any(|(a, _)| a["type"] == "logux/processed" && a["id"] == echo_id)
    );
    for (_, meta) in &log[2..] {
        assert_eq!(meta["reasons"], serde_json::json!(["synced"]));
        assert!(meta["id"].as_str().unwrap().contains(" server:"));
    }
    let last_added = log.last().unwrap().1["added"].clone();
    assert_eq!(header(dir.path())["lastSynced"]["sent"], last_added);

    // Again: nothing to send, nothing new.
    let before = std::fs::read(dir.path().join(LOG)).unwrap();
    let count = server.added().len();
    let ran = sync();
    assert!(ran.status.success(), "{}", text(&ran.stderr));
    assert_eq!(text(&ran.stdout), "");
    assert_eq!(std::fs::read(dir.path().join(LOG)).unwrap(), before);
    assert_eq!(server.added().len(), count);
}

#[test]
fn pulls_a_channel_through_a_subscription() {
    let server = LoguxServer::start();
    let dir = tempfile::tempdir().unwrap();
    let ran = output(
        actionlog(dir.path(), "10:cli")
            .env("ACTIONLOG_TOKEN", "secret-10")
            .args([
                "sync",
                &server.url(),
                "--subprotocol",
                "2",
                "--subscribe",
                "users/10",
                "--reason",
                "users",
            ]),
    );
    assert!(ran.status.success(), "{}", text(&ran.stderr));
    let log = entries(dir.path());
    let loaded = log
        .iter()
        .find(|(action, _)| action["type"] == "users/loaded")
        .expect("the channel's data");
    assert_eq!(
        loaded.0,
        serde_json::json!({"type": "users/loaded", "id": "10", "name": "Alice"})
    );
    assert_eq!(loaded.1["subprotocol"], 2);
    assert_eq!(loaded.1["reasons"], serde_json::json!(["users"]));
    // The server saw the subscription under our node's ID.
    assert!(
        server
            .log_text()
            .contains(r#""msg":"Client was subscribed""#)
    );
    assert!(
        server
            .added()
            .iter()
            .any(|(action, meta)| action["type"] == "logux/subscribe"
                && meta["id"].as_str().unwrap().ends_with(" 10:cli 0"))
    );
}

#[test]
fn the_time_fix_takes_a_clock_60_seconds_ahead_off_what_is_sent() {
    let server = LoguxServer::start();
    let dir = tempfile::tempdir().unwrap();
    let ahead = now_ms() + 60_000;
    let ran = output(
        actionlog(dir.path(), "10:cli")
            .env("ACTIONLOG_NOW", ahead.to_string())
            .args([
                "add",
                r#"{"type":"echo","payload":"late"}"#,
                "--reason",
                "mine",
            ]),
    );
    assert!(ran.status.success());
    let ran = output(
        actionlog(dir.path(), "10:cli")
            .env("ACTIONLOG_NOW", ahead.to_string())
            .args([
                "sync",
                &server.url(),
                "--token",
                "secret-10",
                "--subprotocol",
                "2",
                "--reason",
                "r",
                "--format",
                "jsonl",
            ]),
    );
    assert!(ran.status.success(), "{}", text(&ran.stderr));
    let added = server.added();
    let (_, meta) = added
        .iter()
        .find(|(action, _)| action["type"] == "echo")
        .expect("the echo reached the server");
    // The ID never changes; the time is the server's.
    assert_eq!(meta["id"], format!("{ahead} 10:cli 0"));
    let time = meta["time"].as_f64().unwrap();
    let real = now_ms() as f64;
    assert!((real - 10_000.0..=real).contains(&time), "{time} vs {real}");
    // And what comes back is moved onto this node's clock.
    let echoed = entries(dir.path())
        .into_iter()
        .find(|(action, _)| action["type"] == "echoed")
        .expect("the answer");
    let time = echoed.1["time"].as_f64().unwrap();
    assert!(
        (ahead as f64 - 10_000.0..=ahead as f64 + 10_000.0).contains(&time),
        "{time} vs {ahead}"
    );
}

/// `sync --follow` of the real server's channel `chat/1` as user 10, with
/// `extra` options, printing `jsonl`; and what gives its next line (within
/// 20 s).
fn follow_chat_1(
    server: &LoguxServer,
    dir: &std::path::Path,
    extra: &[&str],
) -> (std::process::Child, impl Fn() -> String) {
    let mut follower = actionlog(dir, "10:cli")
        .args([
            "sync",
            &server.url(),
            "--token",
            "secret-10",
            "--subprotocol",
            "2",
        ])
        .args(["--subscribe", "chat/1", "--follow", "--format", "jsonl"])
        .args(extra)
        .spawn()
        .expect("start actionlog");
    let rx = lines_of(follower.stdout.take().unwrap());
    let next = move || {
        rx.recv_timeout(Duration::from_secs(20))
            .expect("an event from sync --follow")
    };
    (follower, next)
}

/// SIGTERM: a follower saves and exits 0. What it printed.
fn stop_follower(follower: std::process::Child) -> std::process::Output {
    unsafe { libc::kill(follower.id() as i32, libc::SIGTERM) };
    let ended = follower.wait_with_output().unwrap();
    assert_eq!(ended.status.code(), Some(0), "{}", text(&ended.stderr));
    ended
}

#[test]
fn follow_prints_a_channel_live_while_a_real_client_posts_to_it() {
    let server = LoguxServer::start();
    let dir = tempfile::tempdir().unwrap();
    let (follower, next) = follow_chat_1(&server, dir.path(), &["--reason", "chat"]);
    // Subscribed: the server's logux/processed comes first.
    let first: serde_json::Value = serde_json::from_str(&next()).unwrap();
    assert_eq!(first["action"]["type"], "logux/processed");

    let posted = logux_client(
        &server.url(),
        "20",
        &[
            r#"{"type":"chat/post","chat":"1","text":"hi"}"#,
            r#"{"type":"chat/post","chat":"2","text":"elsewhere"}"#,
            r#"{"type":"chat/post","chat":"1","text":"again"}"#,
        ],
    );
    assert!(posted.status.success(), "{}", text(&posted.stderr));
    let mut texts = Vec::new();
    while texts.len() < 2 {
        let event: serde_json::Value = serde_json::from_str(&next()).unwrap();
        assert_eq!(event["event"], "add");
        assert_eq!(event["action"]["type"], "chat/post");
        assert!(event["meta"]["id"].as_str().unwrap().contains(" 20:"));
        texts.push(event["action"]["text"].as_str().unwrap().to_owned());
    }
    assert_eq!(texts, ["hi", "again"]);
    // Stored as they came, before it was stopped.
    assert_eq!(entries(dir.path()).len(), 3);

    let ended = stop_follower(follower);
    assert!(text(&ended.stderr).contains("connected to ws://127.0.0.1:"));
    let log = entries(dir.path());
    assert_eq!(log.len(), 3);
    assert!(
        log.iter()
            .all(|(_, meta)| meta["reasons"] == serde_json::json!(["chat"]))
    );
}

#[test]
fn a_follower_that_keeps_nothing_prints_as_it_comes_and_stores_its_header() {
    // Without reasons what comes is added and cleaned at once, printed as
    // it comes; each burst is still stored (`lastSynced`), which makes the
    // log file if there was none, as before events were printed so.
    let server = LoguxServer::start();
    let dir = tempfile::tempdir().unwrap();
    let (follower, line) = follow_chat_1(&server, dir.path(), &[]);
    let next = || {
        let event: serde_json::Value = serde_json::from_str(&line()).unwrap();
        format!("{} {}", event["event"], event["action"]["type"])
    };
    assert_eq!(next(), r#""add" "logux/processed""#);
    assert_eq!(next(), r#""clean" "logux/processed""#);
    let posted = logux_client(
        &server.url(),
        "20",
        &[r#"{"type":"chat/post","chat":"1","text":"hi"}"#],
    );
    assert!(posted.status.success(), "{}", text(&posted.stderr));
    assert_eq!(next(), r#""add" "chat/post""#);
    assert_eq!(next(), r#""clean" "chat/post""#);
    stop_follower(follower);
    assert!(entries(dir.path()).is_empty());
    assert_eq!(header(dir.path())["lastSynced"]["sent"], 0);
}

#[test]
fn follow_connects_again_after_the_server_restarts() {
    let server = LoguxServer::start();
    let port = server.port;
    let dir = tempfile::tempdir().unwrap();
    let mut follower = actionlog(dir.path(), "10:cli")
        .env("ACTIONLOG_TOKEN", "secret-10")
        .args(["sync", &server.url(), "--subprotocol", "2"])
        .args(["--subscribe", "chat/7", "--reason", "chat", "--follow"])
        // A connection to a server that is still starting, or already
        // going, and never answers is given up after 5 s, not 70.
        .args(["--format", "jsonl", "--ping", "300", "--timeout", "5000"])
        .spawn()
        .expect("start actionlog");
    let rx = lines_of(follower.stdout.take().unwrap());
    // What it says on stderr, to show if an event does not come.
    let said = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let stderr = follower.stderr.take().unwrap();
    let into = std::sync::Arc::clone(&said);
    let reader = std::thread::spawn(move || {
        use std::io::BufRead;
        for line in std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
        {
            into.lock().unwrap().push_str(&format!("{line}\n"));
        }
    });
    let next = || {
        let line = rx
            .recv_timeout(Duration::from_secs(30))
            .unwrap_or_else(|e| {
                panic!(
                    "no event from sync --follow ({e}); it said:\n{}",
                    said.lock().unwrap()
                )
            });
        serde_json::from_str::<serde_json::Value>(&line).unwrap()
    };
    assert_eq!(next()["action"]["type"], "logux/processed");
    // The server goes away, and comes back on the same port.
    drop(server);
    std::thread::sleep(Duration::from_millis(500));
    let server = LoguxServer::start_on(port);
    // Subscribed again on the new server.
    assert_eq!(next()["action"]["type"], "logux/processed");
    let posted = logux_client(
        &server.url(),
        "20",
        &[r#"{"type":"chat/post","chat":"7","text":"back"}"#],
    );
    assert!(posted.status.success(), "{}", text(&posted.stderr));
    let event = next();
    assert_eq!(event["action"]["text"], "back");
    unsafe { libc::kill(follower.id() as i32, libc::SIGINT) };
    let ended = follower.wait_with_output().unwrap();
    assert_eq!(ended.status.code(), Some(0));
    reader.join().unwrap();
    let stderr = said.lock().unwrap().clone();
    assert!(stderr.contains("connecting again in"), "{stderr}");
    assert_eq!(stderr.matches("connected to ws://").count(), 2, "{stderr}");
    assert!(
        entries(dir.path())
            .iter()
            .any(|(action, _)| action["text"] == "back")
    );
}
