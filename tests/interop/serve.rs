//! `actionlog serve` with real clients: a `@logux/core` 0.10 `ClientNode`
//! and a `@logux/client` 0.23 `Client`; and actionlog against actionlog.

use std::io::Read;
use std::path::Path;
use std::process::Child;
use std::time::{Duration, Instant};

use crate::peers::{core_client, free_port, logux_client};
use crate::{actionlog, first_line, output, own_log, text};

/// `actionlog serve` on a free port, in `dir`, as node `me`; stopped with
/// SIGINT when dropped.
struct Served {
    child: Option<Child>,
    port: u16,
    /// What it prints, read as it comes (a full pipe would stop it).
    out: Option<std::thread::JoinHandle<String>>,
    err: Option<std::thread::JoinHandle<String>>,
}

fn read_all(mut from: impl Read + Send + 'static) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut text = String::new();
        let _ = from.read_to_string(&mut text);
        text
    })
}

impl Served {
    fn start(dir: &Path, extra: &[&str]) -> Served {
        let port = free_port();
        let listen = format!("127.0.0.1:{port}");
        let mut child = actionlog(dir, "me")
            .args(["serve", "--listen", &listen, "--format", "jsonl"])
            .args(extra)
            .spawn()
            .expect("start actionlog serve");
        let out = Some(read_all(child.stdout.take().unwrap()));
        let err = Some(read_all(child.stderr.take().unwrap()));
        let started = Instant::now();
        while std::net::TcpStream::connect(&listen).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "serve did not listen"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        Served {
            child: Some(child),
            port,
            out,
            err,
        }
    }

    fn url(&self) -> String {
        format!("ws://127.0.0.1:{}", self.port)
    }

    /// SIGINT, then what it printed on stdout and stderr.
    fn stop(mut self) -> (i32, String, String) {
        let mut child = self.child.take().unwrap();
        unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
        let status = child.wait().unwrap();
        let out = self.out.take().unwrap().join().unwrap();
        let err = self.err.take().unwrap().join().unwrap();
        (status.code().unwrap_or(-1), out, err)
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        if let Some(child) = &mut self.child {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Syncs the client log in `client_dir` (node `10:cli`, with `args` after
/// the URL) with a `serve --reason sync` of `server_dir`, both ending well;
/// the client's standard output and the server's standard error.
fn sync_through_serve(server_dir: &Path, client_dir: &Path, args: &[&str]) -> (String, String) {
    let served = Served::start(server_dir, &["--reason", "sync"]);
    let ran = output(
        actionlog(client_dir, "10:cli")
            .args(["sync", &served.url()])
            .args(args),
    );
    assert!(ran.status.success(), "{}", text(&ran.stderr));
    let (status, _, stderr) = served.stop();
    assert_eq!(status, 0, "{stderr}");
    (text(&ran.stdout), stderr)
}

fn lines(text: &str) -> Vec<serde_json::Value> {
    text.lines()
        .filter_map(|line| serde_json::from_str(line).ok())
        .collect()
}

#[test]
fn real_clients_sync_through_serve() {
    let dir = tempfile::tempdir().unwrap();
    let ran =
        output(actionlog(dir.path(), "me").args(["add", r#"{"type":"before"}"#, "--reason", "r"]));
    assert!(ran.status.success());
    // One token for everyone: the one peers/logux-client.mjs gives as user 20.
    let served = Served::start(dir.path(), &["--reason", "sync", "--token", "secret-20"]);

    // A ClientNode: caught up with what the log had, sends its own action,
    // stays to see what others send.
    let url = served.url();
    let core = std::thread::spawn(move || {
        core_client(
            &url,
            "30:core:t",
            "secret-20",
            2500,
            &[r#"{"type":"core/hi"}"#],
        )
    });
    std::thread::sleep(Duration::from_millis(800));
    // A @logux/client: its sync() resolves once the server has processed
    // the action.
    let posted = logux_client(
        &served.url(),
        "20",
        &[r#"{"type":"chat/post","text":"yo"}"#],
    );
    assert!(posted.status.success(), "{}", text(&posted.stderr));
    assert_eq!(text(&posted.stdout), "processed\n");
    let core = core.join().unwrap();
    assert!(core.status.success(), "{}", text(&core.stderr));
    let seen = lines(&text(&core.stdout));
    let types: Vec<&str> = seen
        .iter()
        .filter_map(|entry| entry[0]["type"].as_str())
        .collect();
    assert!(types.contains(&"before"), "{types:?}");
    assert!(types.contains(&"chat/post"), "{types:?}");
    assert!(
        seen.iter()
            .any(|entry| entry[0]["type"] == "logux/processed"
                && entry[0]["id"].as_str().unwrap().ends_with(" 30:core:t 0")),
        "{seen:?}"
    );

    let (status, stdout, stderr) = served.stop();
    assert_eq!(status, 0, "{stderr}");
    assert!(stderr.contains("client 30:core:t connected"), "{stderr}");
    let events = lines(&stdout);
    assert!(events.iter().any(|e| e["action"]["type"] == "core/hi"));
    // Stored, with the reason, for other actionlog processes to read.
    let ran = output(actionlog(dir.path(), "me").args(["order", "--by", "added"]));
    let log = lines(&text(&ran.stdout));
    let types: Vec<&str> = log.iter().map(|e| e[0]["type"].as_str().unwrap()).collect();
    assert_eq!(types, ["before", "core/hi", "chat/post"]);
    assert_eq!(log[1][1]["reasons"], serde_json::json!(["sync"]));
}

#[test]
fn wrong_tokens_and_garbage_cost_one_client_only() {
    let dir = tempfile::tempdir().unwrap();
    let served = Served::start(dir.path(), &["--token", "secret-20"]);
    let refused = core_client(&served.url(), "30:core:t", "nope", 200, &[]);
    assert!(
        text(&refused.stdout).contains(r#"["error","wrong-credentials",null]"#),
        "{}{}",
        text(&refused.stdout),
        text(&refused.stderr)
    );
    // Garbage from a raw socket: the protocol's error, and the end of that
    // connection only.
    let mut garbage = tungstenite::connect(served.url()).unwrap().0;
    garbage
        .send(tungstenite::Message::text("{not json"))
        .unwrap();
    let answer = garbage.read().unwrap();
    assert_eq!(
        answer.to_text().unwrap(),
        r#"["error","wrong-format","{not json"]"#
    );
    // The others go on.
    let posted = logux_client(&served.url(), "20", &[r#"{"type":"echo"}"#]);
    assert!(posted.status.success(), "{}", text(&posted.stderr));
    let (status, _, stderr) = served.stop();
    assert_eq!(status, 0, "{stderr}");
    assert!(stderr.contains("wrong credentials"), "{stderr}");
    assert!(
        stderr.contains("wrong message format: {not json"),
        "{stderr}"
    );
}

#[test]
fn actionlog_against_actionlog_ends_in_one_created_order() {
    let server_dir = tempfile::tempdir().unwrap();
    let client_dir = tempfile::tempdir().unwrap();
    for (dir, node, ms) in [
        (&server_dir, "me", ["1000", "3000"]),
        (&client_dir, "10:cli", ["2000", "4000"]),
    ] {
        for (i, now) in ms.iter().enumerate() {
            let ran = output(actionlog(dir.path(), node).env("ACTIONLOG_NOW", now).args([
                "add",
                &format!(r#"{{"type":"{node}/{i}"}}"#),
                "--reason",
                "r",
            ]));
            assert!(ran.status.success());
        }
    }
    sync_through_serve(server_dir.path(), client_dir.path(), &["--reason", "sync"]);
    let created = |dir: &Path| -> Vec<String> {
        let ran = output(actionlog(dir, "x").args(["order", "--by", "created"]));
        lines(&text(&ran.stdout))
            .iter()
            .filter(|e| e[0]["type"] != "logux/processed")
            .map(|e| e[1]["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let on_server = created(server_dir.path());
    assert_eq!(on_server, created(client_dir.path()));
    assert_eq!(on_server.len(), 4);
    // And a second sync has nothing to do.
    let ran = output(
        actionlog(client_dir.path(), "10:cli")
            .args(["sync", &Served::start(server_dir.path(), &[]).url()]),
    );
    assert!(ran.status.success());
    assert_eq!(text(&ran.stdout), "");
}

#[test]
fn a_push_bigger_than_the_sockets_buffers_goes_through() {
    // 50,000 actions: their answers alone are more than loopback buffers
    // hold, so a node that only wrote until it had sent everything would
    // wait forever on a server writing answers it does not read.
    let server_dir = tempfile::tempdir().unwrap();
    let client_dir = tempfile::tempdir().unwrap();
    let log = own_log(50_000, |i| format!(r#"{{"type":"bulk","n":{i}}}"#));
    std::fs::write(client_dir.path().join("actionlog.jsonl"), log).unwrap();
    sync_through_serve(
        server_dir.path(),
        client_dir.path(),
        &["--timeout", "20000"],
    );
    let ran = output(actionlog(server_dir.path(), "me").args(["stats"]));
    let stats: serde_json::Value = serde_json::from_slice(&ran.stdout).unwrap();
    assert_eq!(stats["entries"], 50_000);
}

#[test]
fn a_push_prints_the_same_events_in_every_format() {
    // Without reasons, `jsonl` prints the answers' events as they come;
    // `json` holds them to the store: both show the same, in one order.
    let mut printed = Vec::new();
    for format in ["jsonl", "json"] {
        let server_dir = tempfile::tempdir().unwrap();
        let client_dir = tempfile::tempdir().unwrap();
        let log = own_log(3_000, |i| format!(r#"{{"type":"bulk","n":{i}}}"#));
        std::fs::write(client_dir.path().join("actionlog.jsonl"), log).unwrap();
        let (stdout, _) =
            sync_through_serve(server_dir.path(), client_dir.path(), &["--format", format]);
        let events = match format {
            "json" => serde_json::from_str::<Vec<serde_json::Value>>(&stdout).unwrap(),
            _ => lines(&stdout),
        };
        let answered: Vec<(&str, &str)> = events
            .iter()
            .map(|e| {
                (
                    e["event"].as_str().unwrap(),
                    e["action"]["id"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(answered.len(), 6_000);
        assert_eq!(answered[0], ("add", "1000000 10:cli 0"));
        assert_eq!(answered[1], ("clean", "1000000 10:cli 0"));
        assert_eq!(answered[5_999], ("clean", "1002999 10:cli 0"));
        // The server's IDs differ from run to run.
        printed.push(
            answered
                .into_iter()
                .map(|(e, id)| format!("{e} {id}"))
                .collect::<Vec<_>>(),
        );
    }
    assert_eq!(printed[0], printed[1]);
}

#[test]
fn a_push_whose_reader_goes_away_still_stores() {
    // Its answers' events are printed as they come: the reader leaving
    // after the first line stops the printing, not the sync, whose
    // `lastSynced` is stored; then it ends as a closed pipe does, with 0.
    // The last entry, of another node, is undone by the server: the undo
    // that cannot be printed stops nothing either.
    let server_dir = tempfile::tempdir().unwrap();
    let client_dir = tempfile::tempdir().unwrap();
    let mut log = own_log(20_000, |i| format!(r#"{{"type":"bulk","n":{i}}}"#));
    log.push_str(concat!(
        r#"[{"type":"theirs"},{"id":"1020000 20:other 0","time":1020000,"#,
        r#""reasons":["r"],"added":20001}]"#,
        "\n"
    ));
    std::fs::write(client_dir.path().join("actionlog.jsonl"), log).unwrap();
    let served = Served::start(server_dir.path(), &["--reason", "sync"]);
    let mut child = actionlog(client_dir.path(), "10:cli")
        .args(["sync", &served.url(), "--timeout", "20000"])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let line = first_line(&mut child);
    assert!(line.starts_with(r#"{"event":"add","action":{"#), "{line}");
    assert!(child.wait().unwrap().success());
    let ran = output(actionlog(client_dir.path(), "10:cli").args(["synced"]));
    assert_eq!(text(&ran.stdout), "{\"sent\":20001,\"received\":0}\n");
    let (status, _, stderr) = served.stop();
    assert_eq!(status, 0, "{stderr}");
    let ran = output(actionlog(server_dir.path(), "me").args(["stats"]));
    let stats: serde_json::Value = serde_json::from_slice(&ran.stdout).unwrap();
    assert_eq!(stats["entries"], 20_000);
}

#[test]
fn a_client_adds_only_its_own_actions() {
    // As @logux/server: an action under another client's ID, or the
    // server's, is answered with logux/undo and never stored.
    let dir = tempfile::tempdir().unwrap();
    let served = Served::start(dir.path(), &["--reason", "sync"]);
    let mut ws = tungstenite::connect(served.url()).unwrap().0;
    ws.send(tungstenite::Message::text(r#"["connect",5,"30:raw:t",0]"#))
        .unwrap();
    let connected = loop {
        let text = ws.read().unwrap().into_text().unwrap();
        if text.starts_with(r#"["connected""#) {
            break text;
        }
    };
    let base: serde_json::Value = serde_json::from_str(connected.as_str()).unwrap();
    let base = base[3][1].as_u64().unwrap();
    ws.send(tungstenite::Message::text(concat!(
        r#"["sync",1,{"type":"spoof"},{"id":[0,"20:victim",0],"time":0},"#,
        r#"{"type":"spoof"},{"id":[0,"server:me",9007199254740991],"time":0},"#,
        r#"{"type":"mine"},{"id":[0,"30:raw:other-tab",0],"time":0}]"#
    )))
    .unwrap();
    let mut undone = Vec::new();
    let mut processed = Vec::new();
    while undone.len() + processed.len() < 3 {
        let text = ws.read().unwrap().into_text().unwrap();
        let message: serde_json::Value = serde_json::from_str(text.as_str()).unwrap();
        if message[0] != "sync" {
            continue;
        }
        for action in message.as_array().unwrap()[2..].iter().step_by(2) {
            match action["type"].as_str() {
                Some("logux/undo") => {
                    assert_eq!(action["reason"], "denied");
                    undone.push(action["id"].as_str().unwrap().to_owned());
                }
                Some("logux/processed") => {
                    processed.push(action["id"].as_str().unwrap().to_owned())
                }
                _ => {}
            }
        }
    }
    assert_eq!(
        undone,
        [
            format!("{base} 20:victim 0"),
            format!("{base} server:me 9007199254740991")
        ]
    );
    assert_eq!(processed, [format!("{base} 30:raw:other-tab 0")]);
    drop(ws);
    let (status, _, stderr) = served.stop();
    assert_eq!(status, 0, "{stderr}");
    let ran = output(actionlog(dir.path(), "me").args(["order"]));
    let log = lines(&text(&ran.stdout));
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!(log[0][0]["type"], "mine");
    // The server's own IDs go on as before.
    let ran = output(actionlog(dir.path(), "server:me").args(["generate-id"]));
    assert!(ran.status.success(), "{}", text(&ran.stderr));
}

#[test]
fn a_push_sends_each_entrys_subprotocol() {
    // Written as it is, with an escape in its name, or not at all: the
    // server stores what the client's entries say.
    let server_dir = tempfile::tempdir().unwrap();
    let client_dir = tempfile::tempdir().unwrap();
    let log = concat!(
        "{\"actionlog\":1}\n",
        r#"[{"type":"a"},{"id":"1000 10:cli 0","time":1000,"reasons":["r"],"subprotocol":"1.0.0","added":1}]"#,
        "\n",
        r#"[{"type":"b"},{"id":"1001 10:cli 0","time":1001,"reasons":["r"],"sub\u0070rotocol":2,"added":2}]"#,
        "\n",
        r#"[{"type":"c"},{"id":"1002 10:cli 0","time":1002,"reasons":["r"],"added":3}]"#,
        "\n",
    );
    std::fs::write(client_dir.path().join("actionlog.jsonl"), log).unwrap();
    sync_through_serve(server_dir.path(), client_dir.path(), &[]);
    let ran = output(actionlog(server_dir.path(), "me").args(["order", "--by", "added"]));
    let stored: Vec<(String, serde_json::Value)> = lines(&text(&ran.stdout))
        .iter()
        .map(|e| {
            (
                e[0]["type"].as_str().unwrap().to_owned(),
                e[1]["subprotocol"].clone(),
            )
        })
        .collect();
    assert_eq!(
        stored,
        [
            ("a".to_owned(), serde_json::json!("1.0.0")),
            ("b".to_owned(), serde_json::json!(2)),
            ("c".to_owned(), serde_json::Value::Null),
        ]
    );
}

#[test]
fn what_the_server_sends_while_news_are_still_going_out_is_not_sent_back() {
    // The client's news are more than the messages it may have in flight
    // (4 of 1 MiB), and end with X, an action of a third node that the
    // server has too: the server sends X on connecting, before the client
    // gets to it, so the client must not send it back (serve would refuse
    // an action of another client with logux/undo).
    let server_dir = tempfile::tempdir().unwrap();
    let client_dir = tempfile::tempdir().unwrap();
    let pad = "x".repeat(200);
    let count = 30_000u64;
    let mut log = own_log(count, |i| {
        format!(r#"{{"type":"bulk","pad":"{pad}","n":{i}}}"#)
    });
    let x = r#"[{"type":"shared"},{"id":"5 20:x 0","time":5,"reasons":["r"],"added":ADDED}]"#;
    log.push_str(&x.replace("ADDED", &(count + 1).to_string()));
    log.push('\n');
    std::fs::write(client_dir.path().join("actionlog.jsonl"), log).unwrap();
    std::fs::write(
        server_dir.path().join("actionlog.jsonl"),
        format!("{{\"actionlog\":1}}\n{}\n", x.replace("ADDED", "1")),
    )
    .unwrap();
    let (stdout, stderr) = sync_through_serve(
        server_dir.path(),
        client_dir.path(),
        &["--timeout", "20000"],
    );
    assert!(!stderr.contains("denied"), "{stderr}");
    assert!(
        !stdout.contains("\"undo\""),
        "{}",
        &stdout[..stdout.len().min(2000)]
    );
    let ran = output(actionlog(server_dir.path(), "me").args(["stats"]));
    let stats: serde_json::Value = serde_json::from_slice(&ran.stdout).unwrap();
    assert_eq!(stats["entries"], count + 1);
}
