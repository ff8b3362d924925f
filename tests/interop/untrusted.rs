//! What comes from the network is untrusted: a scripted peer, written here
//! with tungstenite, answers `connect` and then sends what no Logux server
//! should. Each bad message gets the protocol's error back, a clear line,
//! its own exit status, and stores nothing.

use std::net::TcpListener;
use std::thread::JoinHandle;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tungstenite::Message;

use crate::{actionlog, output, text};

const LOG: &str = "actionlog.jsonl";

/// What the scripted peer does after `connected`.
enum Step {
    Send(String),
    /// Sends a frame of this many bytes.
    Huge(usize),
    /// Waits for the client's next message.
    Read,
    /// Tells the test it got here.
    Signal(std::sync::mpsc::Sender<()>),
    /// Waits for the test to say go on.
    Wait(std::sync::mpsc::Receiver<()>),
    /// Reads what the client sends until its `ping`, and answers it (with
    /// this `synced`) and each `sync` on the way.
    AnswerPing(u64),
    Close,
}

/// A one-connection server playing `steps`; gives back every text the
/// client sent.
struct ScriptedPeer {
    url: String,
    thread: JoinHandle<Vec<String>>,
}

impl ScriptedPeer {
    fn start(steps: Vec<Step>) -> ScriptedPeer {
        let now = now_ms();
        ScriptedPeer::start_answering(
            &format!(r#"["connected",5,"server:fake",[{now},{now}]]"#),
            steps,
        )
    }

    /// Answers `connect` with `connected`, then plays `steps`.
    fn start_answering(connected: &str, steps: Vec<Step>) -> ScriptedPeer {
        let connected = connected.to_owned();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("ws://{}", listener.local_addr().unwrap());
        let thread = std::thread::spawn(move || {
            let (tcp, _) = listener.accept().unwrap();
            tcp.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
            let mut ws = tungstenite::accept(tcp).unwrap();
            let mut got = Vec::new();
            let read = |ws: &mut tungstenite::WebSocket<_>, got: &mut Vec<String>| {
                if let Ok(Message::Text(t)) = ws.read() {
                    got.push(t.as_str().to_owned());
                }
            };
            read(&mut ws, &mut got);
            let _ = ws.send(Message::text(connected));
            for step in steps {
                match step {
                    Step::Send(frame) => {
                        let _ = ws.send(Message::text(frame));
                    }
                    Step::Huge(len) => {
                        let _ = ws.send(Message::text("x".repeat(len)));
                    }
                    Step::Read => read(&mut ws, &mut got),
                    Step::Signal(to) => {
                        let _ = to.send(());
                    }
                    Step::Wait(from) => {
                        let _ = from.recv_timeout(Duration::from_secs(10));
                    }
                    Step::AnswerPing(synced) => loop {
                        read(&mut ws, &mut got);
                        let Some(last) = got.last() else { break };
                        if last.starts_with(r#"["ping""#) {
                            let _ = ws.send(Message::text(format!(r#"["pong",{synced}]"#)));
                            break;
                        }
                        if let Some(rest) = last.strip_prefix(r#"["sync","#) {
                            let added: String =
                                rest.chars().take_while(char::is_ascii_digit).collect();
                            let _ = ws.send(Message::text(format!(r#"["synced",{added}]"#)));
                        }
                    },
                    Step::Close => {
                        let _ = ws.close(None);
                        let _ = ws.flush();
                        return got;
                    }
                }
            }
            // Whatever else the client says, until it closes.
            while let Ok(message) = ws.read() {
                if let Message::Text(t) = message {
                    got.push(t.as_str().to_owned());
                }
            }
            got
        });
        ScriptedPeer { url, thread }
    }

    fn received(self) -> Vec<String> {
        self.thread.join().unwrap()
    }
}

/// This machine's clock, in milliseconds, as a peer's `connected` tells it.
fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

/// A peer's `sync` of the entry `{"type":"b"}` with the ID "2 20:x 0", to a
/// node whose base time is `now`.
fn sends_back_b(now: i64) -> Step {
    Step::Send(format!(
        r#"["sync",0,{{"type":"b"}},{{"id":[{},"20:x",0],"time":0}}]"#,
        2 - now
    ))
}

/// A log with one entry of our own, and its bytes.
fn log_with_one_entry() -> (tempfile::TempDir, Vec<u8>) {
    let dir = tempfile::tempdir().unwrap();
    add_kept(dir.path(), r#"{"type":"a"}"#, "1 10:cli 0");
    let bytes = std::fs::read(dir.path().join(LOG)).unwrap();
    (dir, bytes)
}

/// Adds `action` with the ID `id` and a reason to the log in `dir`.
fn add_kept(dir: &std::path::Path, action: &str, id: &str) {
    let ran = output(actionlog(dir, "10:cli").args(["add", action, "--reason", "r", "--id", id]));
    assert!(
        ran.status.success(),
        "{}",
        String::from_utf8_lossy(&ran.stderr)
    );
}

#[test]
fn bad_messages_get_the_protocols_error_and_store_nothing() {
    for (frame, answer, says) in [
        (
            "hello".to_owned(),
            r#"["error","wrong-format","hello"]"#.to_owned(),
            "wrong message format: hello",
        ),
        (
            r#"["foo",1]"#.to_owned(),
            r#"["error","unknown-message","foo"]"#.to_owned(),
            "unknown message \"foo\"",
        ),
        (
            r#"["sync","1"]"#.to_owned(),
            r#"["error","wrong-format","[\"sync\",\"1\"]"]"#.to_owned(),
            "wrong message format",
        ),
        (
            // One good action and one whose ID is not an ID: neither is
            // stored.
            r#"["sync",2,{"type":"good"},{"id":1,"time":1},{"type":"b"},{"id":[1,"two words",0],"time":1}]"#.to_owned(),
            r#"["error","wrong-format","invalid action ID \"#.to_owned(),
            "invalid action ID",
        ),
        (
            r#"["sync",1,{"type":"b"},{"id":1,"time":1,"added":99}]"#.to_owned(),
            r#"["error","wrong-format","meta \"added\" is read-only"]"#.to_owned(),
            "meta \"added\" is read-only",
        ),
        (
            r#"["sync",1,{"type":"b","length":3},{"id":1,"time":1}]"#.to_owned(),
            r#"["error","wrong-format","#.to_owned(),
            "wrong message format",
        ),
        (
            format!(r#"["sync",1,{{"type":"deep","x":{}1{}}},{{"id":1,"time":1}}]"#, "[".repeat(200), "]".repeat(200)),
            r#"["error","wrong-format","#.to_owned(),
            "wrong message format",
        ),
    ] {
        let (dir, before) = log_with_one_entry();
        let peer = ScriptedPeer::start(vec![Step::Send(frame.clone())]);
        let ran = output(actionlog(dir.path(), "10:cli").args([
            "sync",
            &peer.url,
            "--reason",
            "r",
            "--timeout",
            "5000",
        ]));
        let stderr = text(&ran.stderr);
        assert_eq!(ran.status.code(), Some(12), "{frame}: {stderr}");
        assert!(stderr.starts_with(&format!("actionlog: {}: ", peer.url)), "{stderr}");
        assert!(stderr.contains(says), "{frame}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert_eq!(std::fs::read(dir.path().join(LOG)).unwrap(), before, "{frame}");
        let sent = peer.received();
        assert!(
            sent.iter().any(|message| message.starts_with(&answer)),
            "{frame}: the client sent {sent:?}"
        );
    }
}

/// Syncs the log in `dir` with `url` under a 300 ms timeout, which must
/// run out, leaving the log as it was (`before`).
#[track_caller]
fn sync_times_out(dir: &std::path::Path, url: &str, before: &[u8]) {
    let ran = output(actionlog(dir, "10:cli").args(["sync", url, "--timeout", "300"]));
    let stderr = text(&ran.stderr);
    assert_eq!(ran.status.code(), Some(11), "{stderr}");
    assert!(
        stderr.contains("did not answer within 300 ms (timeout)"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(dir.join(LOG)).unwrap(), before);
}

#[test]
fn a_server_that_acknowledges_but_never_answers_an_action_times_out() {
    // A server answers each action with logux/processed; one that only
    // acknowledges the sync leaves the action's answer due.
    let (dir, before) = log_with_one_entry();
    let peer = ScriptedPeer::start(vec![
        Step::Read,
        Step::Send(r#"["synced",1]"#.to_owned()),
        Step::Read,
    ]);
    let started = std::time::Instant::now();
    sync_times_out(dir.path(), &peer.url, &before);
    assert!(started.elapsed() < Duration::from_secs(5));
    drop(peer);
}

#[test]
fn a_huge_message_is_refused_without_being_read() {
    let (dir, before) = log_with_one_entry();
    let peer = ScriptedPeer::start(vec![Step::Huge(65 << 20)]);
    let ran = output(actionlog(dir.path(), "10:cli").args(["sync", &peer.url]));
    let stderr = text(&ran.stderr);
    assert_eq!(ran.status.code(), Some(12), "{stderr}");
    assert!(stderr.contains("over the limit"), "{stderr}");
    assert_eq!(std::fs::read(dir.path().join(LOG)).unwrap(), before);
    drop(peer);
}

#[test]
fn a_silent_peer_times_out_and_a_closed_one_is_a_dropped_connection() {
    let (dir, before) = log_with_one_entry();
    // Our entry goes out in a sync that is never acknowledged.
    let peer = ScriptedPeer::start(vec![Step::Read]);
    sync_times_out(dir.path(), &peer.url, &before);
    let sent = peer.received();
    assert!(
        sent[1].starts_with(r#"["sync",1,{"type":"a"},{"id":-"#),
        "{sent:?}"
    );

    let peer = ScriptedPeer::start(vec![
        Step::Send(r#"["sync",5,{"type":"b"},{"id":1,"time":1}]"#.into()),
        Step::Close,
    ]);
    let ran = output(actionlog(dir.path(), "10:cli").args(["sync", &peer.url, "--reason", "r"]));
    let stderr = text(&ran.stderr);
    assert_eq!(ran.status.code(), Some(10), "{stderr}");
    assert_eq!(
        stderr,
        format!("actionlog: {} closed the connection\n", peer.url)
    );
    // What came before the drop is not kept: the log is as it was.
    assert_eq!(std::fs::read(dir.path().join(LOG)).unwrap(), before);
    drop(peer);
}

#[test]
fn what_nothing_keeps_is_printed_as_it_comes_even_when_the_sync_then_fails() {
    // Without reasons an action that comes is reported added and cleaned
    // at once (`jsonl`); the connection then drops: the log and its
    // `lastSynced` are as they were, so the next sync gets it again.
    let (dir, before) = log_with_one_entry();
    let peer = ScriptedPeer::start(vec![
        Step::Send(r#"["sync",5,{"type":"b"},{"id":1,"time":1}]"#.into()),
        Step::Close,
    ]);
    let ran = output(actionlog(dir.path(), "10:cli").args(["sync", &peer.url]));
    let stderr = text(&ran.stderr);
    assert_eq!(ran.status.code(), Some(10), "{stderr}");
    let events: Vec<String> = text(&ran.stdout)
        .lines()
        .map(|line| {
            let event: serde_json::Value = serde_json::from_str(line).unwrap();
            format!("{} {}", event["event"], event["action"]["type"])
        })
        .collect();
    assert_eq!(events, [r#""add" "b""#, r#""clean" "b""#]);
    assert_eq!(std::fs::read(dir.path().join(LOG)).unwrap(), before);
    drop(peer);
}

#[test]
fn a_peer_cannot_hand_this_node_its_own_ids() {
    // An ID of this very node that the log does not have would set where
    // its next IDs start: far in the future, or past the last counter.
    let (dir, before) = log_with_one_entry();
    let peer = ScriptedPeer::start(vec![Step::Send(
        r#"["sync",1,{"type":"b"},{"id":[31536000000000,"10:cli",5],"time":1}]"#.into(),
    )]);
    let ran = output(actionlog(dir.path(), "10:cli").args(["sync", &peer.url, "--reason", "r"]));
    let stderr = text(&ran.stderr);
    assert_eq!(ran.status.code(), Some(12), "{stderr}");
    assert!(
        stderr.contains("an action under this node's own ID"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(dir.path().join(LOG)).unwrap(), before);
    drop(peer);
    let ran = output(actionlog(dir.path(), "10:cli").args(["add", r#"{"type":"c"}"#]));
    assert!(ran.status.success(), "{}", text(&ran.stderr));
}

#[test]
fn an_older_protocol_is_its_own_failure() {
    let (dir, before) = log_with_one_entry();
    let peer = ScriptedPeer::start_answering(r#"["connected",4,"server:old",[1,1]]"#, vec![]);
    let ran = output(actionlog(dir.path(), "10:cli").args(["sync", &peer.url]));
    let stderr = text(&ran.stderr);
    assert_eq!(ran.status.code(), Some(8), "{stderr}");
    assert!(
        stderr.contains("speaks an older Logux protocol"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(dir.path().join(LOG)).unwrap(), before);
    assert!(
        peer.received()
            .iter()
            .any(|m| m == r#"["error","wrong-protocol",{"supported":5,"used":4}]"#)
    );
}

#[test]
fn a_handshake_sent_a_byte_at_a_time_times_out() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("ws://{}", listener.local_addr().unwrap());
    let dribbler = std::thread::spawn(move || {
        let (mut tcp, _) = listener.accept().unwrap();
        for byte in b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
            .iter()
            .cycle()
            .take(200)
        {
            if std::io::Write::write_all(&mut tcp, &[*byte]).is_err() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    });
    let (dir, before) = log_with_one_entry();
    let started = std::time::Instant::now();
    let ran = output(actionlog(dir.path(), "10:cli").args(["sync", &url, "--timeout", "1000"]));
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "{:?}",
        started.elapsed()
    );
    let stderr = text(&ran.stderr);
    assert_eq!(ran.status.code(), Some(9), "{stderr}");
    assert!(stderr.contains("took too long"), "{stderr}");
    assert_eq!(std::fs::read(dir.path().join(LOG)).unwrap(), before);
    drop(dribbler);
}

/// Follows `url` with the log in `dir` until its `lastSynced.sent` is
/// `sent`, then stops the follower as a user would.
fn follow_until_sent(dir: &std::path::Path, url: &str, sent: u64) {
    let mut follower = actionlog(dir, "10:cli")
        .args(["sync", url, "--reason", "r", "--follow"])
        .spawn()
        .unwrap();
    let header = || {
        let log = std::fs::read_to_string(dir.join(LOG)).unwrap();
        serde_json::from_str::<serde_json::Value>(log.lines().next().unwrap()).unwrap()
    };
    let started = std::time::Instant::now();
    while header()["lastSynced"]["sent"] != sent {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "lastSynced is {}",
            header()["lastSynced"]
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    unsafe { libc::kill(follower.id() as i32, libc::SIGTERM) };
    assert!(follower.wait().unwrap().success());
}

#[test]
fn a_follower_stores_a_burst_of_messages_and_the_last_received() {
    // A server resending a channel's actions sends one message each: the
    // follower gathers what comes in a burst before storing it.
    let (dir, _) = log_with_one_entry();
    let mut steps = vec![Step::Read];
    for n in 1..=50u64 {
        steps.push(Step::Send(format!(
            r#"["sync",{n},{{"type":"burst","n":{n}}},{{"id":[{n},"20:x",0],"time":{n}}}]"#
        )));
    }
    let peer = ScriptedPeer::start(steps);
    let mut follower = actionlog(dir.path(), "10:cli")
        .args(["sync", &peer.url, "--reason", "r", "--follow"])
        .spawn()
        .unwrap();
    let entries = || {
        std::fs::read_to_string(dir.path().join(LOG))
            .unwrap()
            .lines()
            .count()
    };
    let started = std::time::Instant::now();
    while entries() < 52 {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{} lines",
            entries()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    unsafe { libc::kill(follower.id() as i32, libc::SIGTERM) };
    assert!(follower.wait().unwrap().success());
    let log = std::fs::read_to_string(dir.path().join(LOG)).unwrap();
    let header: serde_json::Value = serde_json::from_str(log.lines().next().unwrap()).unwrap();
    assert_eq!(header["lastSynced"]["received"], 50, "{header}");
    let burst: Vec<u64> = log
        .lines()
        .skip(2)
        .map(|line| {
            serde_json::from_str::<serde_json::Value>(line).unwrap()[0]["n"]
                .as_u64()
                .unwrap()
        })
        .collect();
    assert_eq!(burst, (1..=50).collect::<Vec<_>>());
    drop(peer);
}

#[test]
fn an_action_the_peer_sends_back_counts_as_one_it_has() {
    // The peer sends this log's own action back before acknowledging it:
    // the log had it, so nothing is added, and the peer has it, so `sent`
    // goes past it without the acknowledgement.
    let (dir, _) = log_with_one_entry();
    let now = now_ms();
    let peer = ScriptedPeer::start_answering(
        &format!(r#"["connected",5,"server:fake",[{now},{now}]]"#),
        vec![
            Step::Read,
            Step::Send(format!(
                r#"["sync",0,{{"type":"a"}},{{"id":[{},"10:cli",0],"time":0}}]"#,
                1 - now
            )),
        ],
    );
    follow_until_sent(dir.path(), &peer.url, 1);
    let log = std::fs::read_to_string(dir.path().join(LOG)).unwrap();
    assert_eq!(log.lines().count(), 2, "{log}");
    drop(peer);
}

#[test]
fn an_entry_the_peer_sends_back_unkept_counts_as_one_it_has() {
    // Without --reason nothing that comes is kept. An entry of the log
    // that the peer sends still tells that the peer has it: `sent` goes
    // past it, though the filter left it out of what was sent.
    let (dir, _) = log_with_one_entry();
    add_kept(dir.path(), r#"{"type":"b"}"#, "2 20:x 0");
    let now = now_ms();
    let peer = ScriptedPeer::start_answering(
        &format!(r#"["connected",5,"20:peer",[{now},{now}]]"#),
        vec![
            Step::Read,
            sends_back_b(now),
            Step::Send(r#"["synced",1]"#.into()),
            Step::Read,
            Step::Send(r#"["pong",2]"#.into()),
        ],
    );
    // Nothing was added or cleaned: the log had it.
    sync_of_type_prints_nothing(dir.path(), &peer.url, "a");
    let sent = peer.received();
    assert_eq!(
        sent.iter().filter(|m| m.starts_with(r#"["sync""#)).count(),
        1
    );
    assert!(!sent.iter().any(|m| m.contains("20:x")), "{sent:?}");
    assert_eq!(last_synced_sent(dir.path()), 2);
}

/// Syncs only the actions of `kind` with the peer at `url`, which must
/// succeed and print nothing.
fn sync_of_type_prints_nothing(dir: &std::path::Path, url: &str, kind: &str) {
    let ran =
        output(actionlog(dir, "10:cli").args(["sync", url, "--type", kind, "--timeout", "5000"]));
    assert!(
        ran.status.success(),
        "{}",
        String::from_utf8_lossy(&ran.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&ran.stdout), "");
}

/// The log's `lastSynced.sent`.
fn last_synced_sent(dir: &std::path::Path) -> serde_json::Value {
    let log = std::fs::read_to_string(dir.join(LOG)).unwrap();
    let header: serde_json::Value = serde_json::from_str(log.lines().next().unwrap()).unwrap();
    header["lastSynced"]["sent"].clone()
}

#[test]
fn an_entry_the_peer_sends_back_counts_when_nothing_was_sent() {
    // The filter leaves nothing to send, so nothing is acknowledged; the
    // peer sends back the log's first entry, which it therefore has:
    // `sent` goes past it (and stops at the next, which it lacks).
    let dir = tempfile::tempdir().unwrap();
    for (action, id) in [
        (r#"{"type":"b"}"#, "2 20:x 0"),
        (r#"{"type":"a"}"#, "3 10:cli 0"),
    ] {
        add_kept(dir.path(), action, id);
    }
    let now = now_ms();
    let peer = ScriptedPeer::start_answering(
        &format!(r#"["connected",5,"20:peer",[{now},{now}]]"#),
        vec![
            sends_back_b(now),
            Step::Read,
            Step::Send(r#"["pong",0]"#.into()),
        ],
    );
    sync_of_type_prints_nothing(dir.path(), &peer.url, "c");
    let sent = peer.received();
    assert!(
        !sent.iter().any(|m| m.starts_with(r#"["sync""#)),
        "{sent:?}"
    );
    assert_eq!(last_synced_sent(dir.path()), 1);
}

#[test]
fn what_came_from_the_peer_is_never_sent_back_to_it() {
    // Following, an action of another client comes before the peer has
    // acknowledged ours: it is stored first, and must still count as
    // something the peer has.
    let (dir, _) = log_with_one_entry();
    let peer = ScriptedPeer::start(vec![
        Step::Read,
        Step::Send(r#"["sync",0,{"type":"other"},{"id":[5,"20:x",0],"time":5}]"#.into()),
        Step::Send(r#"["synced",1]"#.into()),
    ]);
    follow_until_sent(dir.path(), &peer.url, 2);
    let sent = peer.received();
    assert!(!sent.iter().any(|m| m.contains("20:x")), "{sent:?}");
    // The next sync has nothing to send.
    let peer = ScriptedPeer::start(vec![Step::Read]);
    let ran = output(actionlog(dir.path(), "10:cli").args(["sync", &peer.url, "--timeout", "300"]));
    let sent = peer.received();
    assert!(
        !sent.iter().any(|m| m.starts_with(r#"["sync""#)),
        "{sent:?}"
    );
    drop(ran);
}

/// Pulls from a scripted peer with `--reason r` in `format`, running
/// `meanwhile` once the peer has the client's `connect` (the client has
/// read the log) and before the peer sends `steps`: the events printed
/// and the log's lines, as JSON, without the times (which follow the
/// clock, through each run's time fix).
fn pull(
    dir: &std::path::Path,
    format: &str,
    now: i64,
    steps: Vec<Step>,
    meanwhile: impl FnOnce(),
) -> (Vec<serde_json::Value>, Vec<serde_json::Value>) {
    let (connected, go_on) = (std::sync::mpsc::channel(), std::sync::mpsc::channel());
    let mut script = vec![Step::Signal(connected.0), Step::Wait(go_on.1)];
    script.extend(steps);
    let peer = ScriptedPeer::start_answering(
        &format!(r#"["connected",5,"20:peer",[{now},{now}]]"#),
        script,
    );
    let client = actionlog(dir, "10:cli")
        .args(pull_args(format, &peer.url))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    connected.1.recv_timeout(Duration::from_secs(10)).unwrap();
    meanwhile();
    go_on.0.send(()).unwrap();
    let ran = client.wait_with_output().unwrap();
    assert!(ran.status.success(), "{}", text(&ran.stderr));
    drop(peer);
    let without_time = |mut value: serde_json::Value, meta: &str| {
        if let Some(meta) = value.pointer_mut(meta).and_then(|m| m.as_object_mut()) {
            meta.remove("time");
        }
        value
    };
    let printed = text(&ran.stdout);
    let events: Vec<serde_json::Value> = if format == "json" {
        serde_json::from_str(&printed).unwrap()
    } else {
        printed
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect()
    };
    let log = std::fs::read_to_string(dir.join(LOG)).unwrap();
    (
        events
            .into_iter()
            .map(|e| without_time(e, "/meta"))
            .collect(),
        log.lines()
            .map(|line| without_time(serde_json::from_str(line).unwrap(), "/1"))
            .collect(),
    )
}

/// The arguments of a pull from `url` that keeps what comes by a
/// reason, printing `format`.
fn pull_args<'a>(format: &'a str, url: &'a str) -> [&'a str; 8] {
    [
        "--format",
        format,
        "sync",
        url,
        "--reason",
        "r",
        "--timeout",
        "5000",
    ]
}

/// A peer's `sync` of `action` with the ID "MS 20:x 0" to a node whose
/// base time is `now`, numbered `added`, its meta ending in `extra`.
fn sync_of(now: i64, added: u64, action: &str, ms: i64, extra: &str) -> Step {
    Step::Send(format!(
        r#"["sync",{added},{action},{{"id":[{},"20:x",0],"time":0{extra}}}]"#,
        ms - now
    ))
}

/// What another process does to the log while a pull is under way.
#[derive(Clone, Copy, Debug)]
enum Meanwhile {
    Nothing,
    /// Adds an entry of its own.
    Adds,
    /// Cleans the entry the peer is to send again ("b").
    CleansB,
}

#[test]
fn a_pull_stores_each_action_once_in_order_as_the_general_add_does() {
    // What a pull keeps is made into lines as it comes (JSON lines), or
    // added to the log in memory at the store (`--format json`): the same
    // log and events either way. The peer sends an action twice, one the
    // log has, and one with a key that does not travel. When another
    // process changes the log meanwhile, what came is added the general
    // way at the store, against the log as it is then: numbered after an
    // entry added meanwhile, and the entry cleaned meanwhile added again.
    for meanwhile in [Meanwhile::Nothing, Meanwhile::Adds, Meanwhile::CleansB] {
        let mut runs = Vec::new();
        for format in ["jsonl", "json"] {
            let dir = tempfile::tempdir().unwrap();
            add_kept(dir.path(), r#"{"type":"b"}"#, "2 20:x 0");
            // One clock reading for the handshake and the IDs: the peer
            // writes IDs relative to it.
            let now = now_ms();
            let steps = vec![
                sync_of(now, 1, r#"{"type":"one"}"#, 5, ""),
                sync_of(now, 2, r#"{"type":"one"}"#, 5, ""),
                sync_of(now, 3, r#"{"type":"b"}"#, 2, ""),
                sync_of(now, 4, r#"{"type":"extra"}"#, 7, r#","extra":{"a": 1}"#),
                sync_of(now, 5, r#"{"type":"two"}"#, 6, r#","subprotocol":"1.0.0""#),
                Step::AnswerPing(5),
            ];
            runs.push(pull(dir.path(), format, now, steps, || match meanwhile {
                Meanwhile::Nothing => {}
                Meanwhile::Adds => {
                    add_kept(dir.path(), r#"{"type":"meanwhile"}"#, "3 10:cli 0");
                }
                Meanwhile::CleansB => {
                    let ran = output(actionlog(dir.path(), "10:cli").args([
                        "remove-reason",
                        "r",
                        "--id",
                        "2 20:x 0",
                    ]));
                    assert!(ran.status.success(), "{}", text(&ran.stderr));
                }
            }));
        }
        let (lines, general) = (&runs[0], &runs[1]);
        let types = |values: &[serde_json::Value], at: &str| -> Vec<String> {
            values
                .iter()
                .filter_map(|value| {
                    value
                        .pointer(at)
                        .and_then(|t| t.as_str())
                        .map(str::to_owned)
                })
                .collect()
        };
        let (added, stored): (&[&str], &[&str]) = match meanwhile {
            Meanwhile::Nothing => (&["one", "extra", "two"], &["b", "one", "extra", "two"]),
            Meanwhile::Adds => (
                &["one", "extra", "two"],
                &["b", "meanwhile", "one", "extra", "two"],
            ),
            Meanwhile::CleansB => (&["one", "b", "extra", "two"], &["one", "b", "extra", "two"]),
        };
        assert_eq!(types(&lines.0, "/action/type"), added, "{meanwhile:?}");
        assert_eq!(types(&lines.1, "/0/type"), stored, "{meanwhile:?}");
        assert_eq!(lines.0, general.0, "{meanwhile:?}");
        assert_eq!(lines.1, general.1, "{meanwhile:?}");
        assert_eq!(lines.1[0]["lastSynced"]["received"], 5);
    }
}

#[test]
fn a_pull_refuses_what_it_cannot_store_even_when_the_log_has_its_id() {
    // The general add checks an action before it finds its ID taken: a
    // subprotocol that is none is refused, whichever way the pull stores.
    for format in ["jsonl", "json"] {
        let (dir, before) = log_with_one_entry();
        add_kept(dir.path(), r#"{"type":"b"}"#, "2 20:x 0");
        let before_b = std::fs::read(dir.path().join(LOG)).unwrap();
        assert_ne!(before, before_b);
        let now = now_ms();
        let peer = ScriptedPeer::start_answering(
            &format!(r#"["connected",5,"20:peer",[{now},{now}]]"#),
            vec![
                sync_of(now, 1, r#"{"type":"one"}"#, 5, ""),
                sync_of(now, 2, r#"{"type":"b"}"#, 2, r#","subprotocol":null"#),
                Step::AnswerPing(2),
            ],
        );
        let ran = output(actionlog(dir.path(), "10:cli").args(pull_args(format, &peer.url)));
        drop(peer);
        assert_eq!(
            ran.status.code(),
            Some(12),
            "{format}: {}",
            text(&ran.stderr)
        );
        assert!(
            text(&ran.stderr).contains(
                "sent an action that cannot be stored (2 20:x 0): meta \"subprotocol\" must be a number or a string"
            ),
            "{format}: {}",
            text(&ran.stderr)
        );
        assert_eq!(text(&ran.stdout), "", "{format}");
        assert_eq!(
            std::fs::read(dir.path().join(LOG)).unwrap(),
            before_b,
            "{format}"
        );
    }
}

/// How a big log's push goes besides sending its entries.
#[derive(Clone, Copy, Debug)]
enum PushCase {
    /// Everything sent is acknowledged, and nothing comes.
    Plain,
    /// The log was pushed before up to near its end: only its last
    /// entries are news.
    SentBefore,
    /// The log's newest entry is of the peer's node: never sent, so never
    /// acknowledged.
    PeersNewest,
    /// The peer sends an action the log has, and one it has not, while
    /// the client waits for it to acknowledge what it sent (the log is
    /// longer than what may go unacknowledged).
    SendsBack,
    /// Another process adds an entry while the push is under way.
    Meanwhile,
    /// Another process adds an entry, then the peer sends it, and one the
    /// log had: the log read whole then is the one read at the start.
    MeanwhileSendsBack,
}

/// Pushes a big log (more than a mebibyte: read from the file as it is
/// sent, unless `whole`, when a filter that every entry passes has it read
/// whole) to a scripted peer; what the peer got, what the client printed,
/// and the log after.
fn push_big_log(case: PushCase, whole: bool) -> (Vec<String>, String, String) {
    const T: i64 = 1_800_000_000_000;
    let dir = tempfile::tempdir().unwrap();
    let count = match case {
        PushCase::SendsBack | PushCase::MeanwhileSendsBack => 30_000,
        _ => 7_000,
    };
    let mut log = crate::own_log(count, |i| {
        let text = if i % 1000 == 9 {
            "é…\\\"".repeat(20)
        } else {
            "x".repeat(80)
        };
        format!(r#"{{"type":"bulk","n":{i},"text":"{text}"}}"#)
    });
    // Some entries travel with their subprotocol.
    for i in (7..count).step_by(1000) {
        let id = format!("\"{} 10:cli 0\",", 1_000_000 + i);
        log = log.replacen(&id, &format!("{id}\"subprotocol\":\"1.0.0\","), 1);
    }
    assert!(log.len() > 1 << 20);
    if let PushCase::SendsBack | PushCase::MeanwhileSendsBack = case {
        log = log.replace("\"1000005 10:cli 0\"", "\"1000005 20:x 0\"");
    }
    if let PushCase::SentBefore = case {
        log = log.replacen(
            "{\"actionlog\":1}",
            r#"{"actionlog":1,"lastSynced":{"sent":6990,"received":0}}"#,
            1,
        );
    }
    if let PushCase::PeersNewest = case {
        let newest = format!("\"{} 10:cli 0\"", 1_000_000 + count - 1);
        log = log.replace(&newest, &format!("\"{} 20:peer 0\"", 1_000_000 + count - 1));
    }
    std::fs::write(dir.path().join(LOG), &log).unwrap();
    let (connected, go_on) = (std::sync::mpsc::channel(), std::sync::mpsc::channel());
    let mut steps = vec![Step::Signal(connected.0), Step::Wait(go_on.1)];
    match case {
        PushCase::SendsBack => {
            steps.push(sync_of(T, 1, r#"{"type":"bulk","n":5}"#, 1_000_005, ""));
            steps.push(sync_of(T, 2, r#"{"type":"new"}"#, 1_000_100, ""));
        }
        PushCase::MeanwhileSendsBack => {
            steps.push(sync_of(T, 1, r#"{"type":"bulk","n":5}"#, 1_000_005, ""));
            steps.push(sync_of(T, 2, r#"{"type":"meanwhile"}"#, 3, ""));
        }
        _ => {}
    }
    steps.push(Step::AnswerPing(2));
    let peer =
        ScriptedPeer::start_answering(&format!(r#"["connected",5,"20:peer",[{T},{T}]]"#), steps);
    let mut args = vec!["sync", &peer.url, "--timeout", "5000"];
    if whole {
        args.extend(["--kept-for", "r"]);
    }
    let client = actionlog(dir.path(), "10:cli")
        .env("ACTIONLOG_NOW", T.to_string())
        .args(args)
        .spawn()
        .unwrap();
    connected.1.recv_timeout(Duration::from_secs(10)).unwrap();
    match case {
        PushCase::Meanwhile => add_kept(dir.path(), r#"{"type":"meanwhile"}"#, "3 10:cli 0"),
        PushCase::MeanwhileSendsBack => {
            add_kept(dir.path(), r#"{"type":"meanwhile"}"#, "3 20:x 0");
        }
        _ => {}
    }
    go_on.0.send(()).unwrap();
    let ran = client.wait_with_output().unwrap();
    assert!(ran.status.success(), "{case:?}: {}", text(&ran.stderr));
    let got = peer.received();
    let after = std::fs::read_to_string(dir.path().join(LOG)).unwrap();
    (got, text(&ran.stdout), after)
}

#[test]
fn a_push_of_a_big_log_read_as_it_is_sent_does_what_the_push_of_the_whole_log_does() {
    // A big log whose file has one name is checked, then read again as
    // it is sent; the session holds it in part, and reads it whole when an
    // action comes under an ID whose hash it has, or when the store must
    // walk its entries. The same messages, events and file as a push of
    // the log held whole, in every case.
    for case in [
        PushCase::Plain,
        PushCase::SentBefore,
        PushCase::PeersNewest,
        PushCase::SendsBack,
        PushCase::Meanwhile,
        PushCase::MeanwhileSendsBack,
    ] {
        let (streamed, whole) = (push_big_log(case, false), push_big_log(case, true));
        let syncs = streamed
            .0
            .iter()
            .filter(|m| m.starts_with(r#"["sync""#))
            .collect::<Vec<_>>();
        match case {
            // The ten entries after `sent`, in one message.
            PushCase::SentBefore => {
                assert_eq!(syncs.len(), 1, "{case:?}");
                assert_eq!(
                    syncs[0].matches(r#"{"type":"bulk""#).count(),
                    10,
                    "{}",
                    syncs[0]
                );
            }
            _ => assert!(syncs.len() >= 2, "{case:?}: {} sync messages", syncs.len()),
        }
        // The first line that differs, rather than a log of megabytes.
        let first_difference = |a: &[String], b: &[String]| {
            let at = a.iter().zip(b).position(|(a, b)| a != b);
            at.map(|at| (at, a[at].clone(), b[at].clone())).or_else(|| {
                (a.len() != b.len()).then(|| (a.len().min(b.len()), String::new(), String::new()))
            })
        };
        let lines = |text: &str| text.lines().map(str::to_owned).collect::<Vec<_>>();
        assert_eq!(
            first_difference(&streamed.0, &whole.0),
            None,
            "{case:?}: what the peer got"
        );
        assert_eq!(streamed.1, whole.1, "{case:?}: what was printed");
        assert_eq!(
            first_difference(&lines(&streamed.2), &lines(&whole.2)),
            None,
            "{case:?}: the log after"
        );
        let header: serde_json::Value =
            serde_json::from_str(streamed.2.lines().next().unwrap()).unwrap();
        let sent = match case {
            PushCase::PeersNewest => 6_999,
            PushCase::SendsBack | PushCase::MeanwhileSendsBack => 30_000,
            _ => 7_000,
        };
        assert_eq!(header["lastSynced"]["sent"], sent, "{case:?}");
        match case {
            PushCase::SendsBack => {
                assert!(streamed.1.contains(r#""type":"new""#), "{}", streamed.1);
                assert!(!streamed.1.contains(r#""n":5"#), "{}", streamed.1);
            }
            PushCase::Meanwhile => assert!(streamed.2.contains("meanwhile")),
            // Not in the log when the push read it: reported as it came.
            PushCase::MeanwhileSendsBack => {
                assert!(
                    streamed.1.contains(r#""type":"meanwhile""#),
                    "{}",
                    streamed.1
                );
            }
            _ => assert_eq!(streamed.1, "", "{case:?}"),
        }
    }
}

#[test]
fn a_push_refuses_a_log_another_program_changed_in_place_while_it_was_sent() {
    // A program that does not take the lock rewrites the log's last line
    // in place, keeping its length, or blanks it, once the push has
    // checked the log and sent what may go unacknowledged: what is read
    // again to send is not what was checked. The push stops with status 6
    // and leaves the header as it was. The log is long enough (11 MB)
    // that its last line is read again only after the acknowledgements:
    // four messages of a mebibyte go unacknowledged, and lines are read
    // four mebibytes at a time.
    const T: i64 = 1_800_000_000_000;
    for change in ["same length", "blanked"] {
        let dir = tempfile::tempdir().unwrap();
        let count = 60_000;
        let log = crate::own_log(count, |i| {
            format!(r#"{{"type":"bulk","n":{i},"text":"{}"}}"#, "x".repeat(80))
        });
        std::fs::write(dir.path().join(LOG), &log).unwrap();
        let (connected, go_on) = (std::sync::mpsc::channel(), std::sync::mpsc::channel());
        let steps = vec![
            Step::Signal(connected.0),
            Step::Wait(go_on.1),
            Step::AnswerPing(0),
        ];
        let peer = ScriptedPeer::start_answering(
            &format!(r#"["connected",5,"20:peer",[{T},{T}]]"#),
            steps,
        );
        let client = actionlog(dir.path(), "10:cli")
            .env("ACTIONLOG_NOW", T.to_string())
            .args(["sync", &peer.url, "--timeout", "5000"])
            .spawn()
            .unwrap();
        connected.1.recv_timeout(Duration::from_secs(10)).unwrap();
        let last_start = log.trim_end().rfind('\n').unwrap() + 1;
        let last_len = log.len() - 1 - last_start;
        let replacement = match change {
            "same length" => log[last_start..log.len() - 1].replacen("bulk", "BULK", 1),
            _ => " ".repeat(last_len),
        };
        {
            use std::os::unix::fs::FileExt;
            let file = std::fs::OpenOptions::new()
                .write(true)
                .open(dir.path().join(LOG))
                .unwrap();
            file.write_all_at(replacement.as_bytes(), last_start as u64)
                .unwrap();
        }
        go_on.0.send(()).unwrap();
        let ran = client.wait_with_output().unwrap();
        drop(peer);
        assert_eq!(
            ran.status.code(),
            Some(6),
            "{change}: {}",
            text(&ran.stderr)
        );
        assert!(
            text(&ran.stderr).contains("changed while it was read"),
            "{change}: {}",
            text(&ran.stderr)
        );
        let after = std::fs::read_to_string(dir.path().join(LOG)).unwrap();
        assert!(after.starts_with("{\"actionlog\":1}\n"), "{change}");
    }
}
