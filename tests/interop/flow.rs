//! A push bigger than the sockets' buffers, to a peer that answers each
//! action as it reads it and blocks while it writes (as `actionlog serve`
//! does): a node that wrote all it had before reading anything would wait
//! on it forever.

use std::io::Write;
use std::net::TcpListener;
use std::os::fd::AsRawFd;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tungstenite::Message;

use crate::{actionlog, output, own_log, text};

/// Makes the socket's buffers as small as the kernel allows.
fn small_buffers(socket: &impl AsRawFd) {
    let size: libc::c_int = 4096;
    for option in [libc::SO_RCVBUF, libc::SO_SNDBUF] {
        // SAFETY: setting an int option on an open socket.
        unsafe {
            libc::setsockopt(
                socket.as_raw_fd(),
                libc::SOL_SOCKET,
                option,
                (&size as *const libc::c_int).cast(),
                std::mem::size_of::<libc::c_int>() as libc::socklen_t,
            );
        }
    }
}

#[test]
fn a_push_bigger_than_the_buffers_reads_the_answers_as_it_goes() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    small_buffers(&listener);
    let url = format!("ws://{}", listener.local_addr().unwrap());
    let peer = std::thread::spawn(move || {
        let (tcp, _) = listener.accept().unwrap();
        small_buffers(&tcp);
        tcp.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        tcp.set_write_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        let mut ws = tungstenite::accept(tcp).unwrap();
        let _connect = ws.read().unwrap();
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_millis();
        ws.send(Message::text(format!(
            r#"["connected",5,"peer",[{now},{now}]]"#
        )))
        .unwrap();
        let mut actions = 0;
        // Every action is answered before the next message is read, and
        // the answers are written before anything else is read. A client
        // that does not read keeps its receive buffer at its first size.
        let padding = "x".repeat(400);
        loop {
            let Ok(Message::Text(text)) = ws.read() else {
                return actions;
            };
            let message: serde_json::Value = serde_json::from_str(text.as_str()).unwrap();
            if message[0] == "ping" {
                if ws.send(Message::text(r#"["pong",0]"#)).is_err() {
                    return actions;
                }
                continue;
            }
            if message[0] != "sync" {
                continue;
            }
            let count = (message.as_array().unwrap().len() - 2) / 2;
            actions += count;
            if ws
                .send(Message::text(format!(r#"["synced",{}]"#, message[1])))
                .is_err()
            {
                return actions;
            }
            for i in 0..count {
                let answer = format!(
                    r#"["sync",0,{{"type":"answer","pad":"{padding}"}},{{"id":[{i},"peer",{actions}],"time":0}}]"#
                );
                if ws.write(Message::text(answer)).is_err() {
                    return actions;
                }
            }
            if ws.flush().is_err() {
                return actions;
            }
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let payload = "y".repeat(2000);
    let log = own_log(5_000, |_| {
        format!(r#"{{"type":"bulk","text":"{payload}"}}"#)
    });
    std::fs::write(dir.path().join("actionlog.jsonl"), log).unwrap();
    let ran = output(actionlog(dir.path(), "10:cli").args(["sync", &url, "--timeout", "20000"]));
    assert!(ran.status.success(), "{}", text(&ran.stderr));
    assert_eq!(peer.join().unwrap(), 5_000);
    std::io::stdout().flush().unwrap();
}
