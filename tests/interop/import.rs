//! `import --from logux-server` of what a real `@logux/server` 0.14 logged.

use crate::peers::{LoguxServer, logux_client};
use crate::{actionlog, output, text};

#[test]
fn a_real_servers_log_becomes_its_history() {
    let server = LoguxServer::start();
    let posted = logux_client(
        &server.url(),
        "20",
        &[
            r#"{"type":"echo","payload":"one"}"#,
            r#"{"type":"chat/post","chat":"1","text":"hi"}"#,
        ],
    );
    assert!(posted.status.success(), "{}", text(&posted.stderr));
    let dir = tempfile::tempdir().unwrap();
    let log_file = server.log.to_str().unwrap().to_owned();
    let ran =
        output(actionlog(dir.path(), "me").args(["import", "--from", "logux-server", &log_file]));
    assert!(ran.status.success(), "{}", text(&ran.stderr));
    let stderr = text(&ran.stderr);
    assert!(
        stderr.contains(": imported 5 actions; skipped "),
        "{stderr}"
    );

    // Everything the server added, in the order it logged them.
    let ran = output(actionlog(dir.path(), "me").args(["order", "--by", "added"]));
    let entries: Vec<serde_json::Value> = text(&ran.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let types: Vec<&str> = entries
        .iter()
        .map(|entry| entry[0]["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types,
        [
            "echo",
            "echoed",
            "logux/processed",
            "chat/post",
            "logux/processed"
        ]
    );
    // With the meta the server logged, kept by the import.
    let echo = &entries[0][1];
    assert!(echo["id"].as_str().unwrap().contains(" 20:"));
    assert_eq!(echo["subprotocol"], 2);
    assert_eq!(echo["reasons"], serde_json::json!(["import"]));
    assert!(echo["server"].as_str().unwrap().starts_with("server:"));
    assert_eq!(entries[2][0]["id"], echo["id"]);

    // Imported again: each ID once.
    let ran = output(actionlog(dir.path(), "me").args([
        "import",
        "--from",
        "logux-server",
        &log_file,
        "--type",
        "chat/",
        "--reason",
        "audit",
    ]));
    assert!(ran.status.success(), "{}", text(&ran.stderr));
    assert_eq!(text(&ran.stdout), "");
    assert!(text(&ran.stderr).contains("imported 0 actions"));
    let ran = output(actionlog(dir.path(), "me").args(["stats"]));
    let stats: serde_json::Value = serde_json::from_slice(&ran.stdout).unwrap();
    assert_eq!(stats["entries"], 5);
}

#[test]
fn a_line_that_is_not_json_is_named_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("server.log"),
        concat!(
            r#"{"level":30,"msg":"Action was added","action":{"type":"a"},"meta":{"id":"1 s:x 0","time":1,"reasons":[]}}"#,
            "\n",
            "Logux server is listening\n"
        ),
    )
    .unwrap();
    let ran = output(actionlog(dir.path(), "me").args([
        "import",
        "--from",
        "logux-server",
        "server.log",
    ]));
    assert_eq!(ran.status.code(), Some(3));
    assert!(
        text(&ran.stderr).starts_with("actionlog: server.log:2: not JSON"),
        "{}",
        text(&ran.stderr)
    );
    assert!(!dir.path().join("actionlog.jsonl").exists());
}

#[test]
fn a_logged_keep_last_is_one_reason() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("server.log"),
        concat!(
            r#"{"level":30,"msg":"Action was added","action":{"type":"a"},"meta":{"id":"1 s:x 0","time":1,"reasons":[],"keepLast":"k"}}"#,
            "\n",
        ),
    )
    .unwrap();
    let ran = output(actionlog(dir.path(), "me").args([
        "import",
        "--from",
        "logux-server",
        "server.log",
    ]));
    assert!(ran.status.success(), "{}", text(&ran.stderr));
    let ran = output(actionlog(dir.path(), "me").args(["get", "1 s:x 0"]));
    let entry: serde_json::Value = serde_json::from_slice(&ran.stdout).unwrap();
    assert_eq!(entry[1]["reasons"], serde_json::json!(["import", "k"]));
}
