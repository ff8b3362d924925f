//! `--dry-run` on every command that changes the log: exactly the events
//! of the real run, and the log as it was.

use crate::harness::Test;

const CHAT: &str = include_str!("../../examples/chat.jsonl");

#[test]
fn a_dry_run_prints_the_real_runs_events_and_changes_nothing() {
    let server_log = concat!(
        r#"{"level":30,"msg":"Action was added","action":{"type":"a"},"meta":{"id":"1 s:x 0","time":1,"reasons":[]}}"#,
        "\n"
    );
    let other = r#"[{"type":"o"},{"id":"7 other 0","time":7,"reasons":["r"],"added":1}]"#;
    for args in [
        vec![
            "add",
            r#"{"type":"x"}"#,
            "--reason",
            "r",
            "--keep-last",
            "user/12/name",
        ],
        vec!["remove-reason", "syncing"],
        vec![
            "change-meta",
            "1564508138460 12:Kx8wQ1:1 0",
            r#"{"reasons":[]}"#,
        ],
        vec!["synced", "--sent", "3"],
        vec!["import", "--from", "logux-server", "server.log"],
        vec!["merge", "other.jsonl", "--reason", "m"],
    ] {
        let mut dry = args.clone();
        dry.push("--dry-run");
        let preview = Test::new()
            .log(CHAT)
            .file("server.log", server_log)
            .file("other.jsonl", other)
            .args(dry.clone())
            .log_unchanged()
            .run();
        assert!(!preview.stdout.is_empty(), "{dry:?} printed nothing");
        let real = Test::in_dir(preview.dir).args(args.clone()).run();
        assert_eq!(preview.stdout, real.stdout, "{args:?}");
        assert_ne!(real.log(), CHAT, "{args:?} changed nothing for real");
    }
}
