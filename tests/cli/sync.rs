//! `export` and `synced`: the sending half of an offline sync.

use crate::harness::Test;

const CHAT: &str = include_str!("../../examples/chat.jsonl");

#[test]
fn synced_reads_and_sets_last_synced() {
    let ran = Test::new()
        .log(CHAT)
        .args(["synced"])
        .stdout("{\"sent\":9,\"received\":6}\n")
        .log_unchanged()
        .run();
    let ran = Test::in_dir(ran.dir)
        .args(["synced", "--sent", "12"])
        .stdout("{\"sent\":12,\"received\":6}\n")
        .run();
    let log = ran.log();
    assert!(
        log.starts_with(r#"{"actionlog":1,"lastAdded":14,"lastSynced":{"sent":12,"received":6}}"#),
        "{log}"
    );
    assert_eq!(
        log.lines().skip(1).collect::<Vec<_>>(),
        CHAT.lines().skip(1).collect::<Vec<_>>()
    );
}

#[test]
fn synced_on_a_log_without_a_header_writes_one() {
    let entry = r#"[{"type":"a"},{"id":"1 n 0","time":1,"reasons":["r"],"added":1}]"#;
    let ran = Test::new()
        .log(&format!("{entry}\n"))
        .args(["synced", "--received", "3"])
        .stdout("{\"sent\":0,\"received\":3}\n")
        .run();
    assert_eq!(
        ran.log(),
        format!(
            "{{\"actionlog\":1,\"lastAdded\":1,\"lastSynced\":{{\"sent\":0,\"received\":3}}}}\n{entry}\n"
        )
    );
}

#[test]
fn export_sends_new_entries_with_synchronised_meta_only() {
    Test::new()
        .log(CHAT)
        .args(["export", "--since-added", "12"])
        .stdout(concat!(
            r#"[{"type":"message/add","channelId":"general","text":"Sure","userId":"10"},{"id":"1564508145000 10:uImkcF4z:3 0","time":1564508145000}]"#,
            "\n"
        ))
        .log_unchanged()
        .run();
    Test::new()
        .log(CHAT)
        .args(["export", "--type", "user/", "--user", "12"])
        .stdout(concat!(
            r#"[{"type":"user/rename","userId":"12","name":"Carol"},{"id":"1564508138460 12:Kx8wQ1:1 0","time":1564508138460,"subprotocol":"1.0.0"}]"#,
            "\n"
        ))
        .run();
}

#[test]
fn what_export_prints_merge_reads() {
    let ran = Test::new().log(CHAT).args(["export"]).run();
    let exported = ran.stdout;
    let ran = Test::new()
        .args(["merge", "-", "--reason", "sync"])
        .stdin(exported.clone())
        .run();
    assert_eq!(ran.stdout.lines().count(), 11);
    // Same actions, same created order.
    let ran = Test::in_dir(ran.dir).args(["export"]).run();
    let sorted = |text: &str| {
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        lines.sort();
        lines
    };
    assert_eq!(sorted(&ran.stdout), sorted(&exported));
}

#[test]
fn export_of_a_big_log_sends_what_the_full_read_sends() {
    let dir = crate::harness::Test::new()
        .log(&crate::harness::big_log(8_000))
        .into_dir();
    // Each compared with the whole log read (`read_whole`).
    let filters: [(&[&str], usize); 4] = [
        (&[], 8_000),
        (&["--since-added", "7990"], 10),
        (&["--type", "t7", "--type", "t8"], 2),
        (&["--node", "a", "--since", "1500"], 825),
    ];
    for (filters, lines) in filters {
        let mut compact = vec!["export"];
        compact.extend(filters);
        let full = crate::harness::read_whole(&compact);
        let exported = crate::harness::ok(dir.path(), &compact);
        assert_eq!(
            exported,
            crate::harness::ok(dir.path(), &full),
            "{filters:?}"
        );
        assert_eq!(exported.lines().count(), lines, "{filters:?}");
    }
}
