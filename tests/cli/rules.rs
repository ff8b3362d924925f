//! `--rules`: reasons, keepLast, indexes, resend and history by action type,
//! for `add` and `merge`.

use crate::harness::Test;

const RULES: &str = r#"{
  "rules": [
    {"type": "user/rename", "reasons": ["user/{userId}"], "keepLast": "user/{userId}/name", "indexes": ["user/{userId}"]},
    {"type": "posts/", "resend": {"channels": ["posts/{postId}"]}, "reasons": ["posts"]}
  ],
  "history": 2
}"#;

#[test]
fn rules_set_reasons_keep_last_indexes_resend_and_history() {
    let ran = Test::new()
        .file("rules.json", RULES)
        .args(["--rules", "rules.json", "add"])
        .stdin(concat!(
            r#"{"type":"user/rename","userId":7,"name":"A"}"#,
            "\n",
            r#"{"type":"user/rename","userId":7,"name":"B"}"#,
            "\n",
            r#"{"type":"posts/add","postId":"p1"}"#,
            "\n",
            r#"[{"type":"chat"},{"channel":"c1"}]"#,
            "\n",
            r#"{"type":"click"}"#,
            "\n",
            r#"{"type":"click"}"#,
            "\n",
            r#"[{"type":"click"},{"noAutoReason":true}]"#,
            "\n",
        ))
        .run();
    assert_eq!(
        ran.log(),
        concat!(
            r#"[{"type":"user/rename","userId":7,"name":"A"},{"reasons":["user/7"],"indexes":["user/7"],"keepLast":"user/7/name","id":"1000 test 0","time":1000,"added":1}]"#,
            "\n",
            r#"[{"type":"user/rename","userId":7,"name":"B"},{"reasons":["user/7","user/7/name"],"indexes":["user/7"],"keepLast":"user/7/name","id":"1000 test 1","time":1000,"added":2}]"#,
            "\n",
            r#"[{"type":"posts/add","postId":"p1"},{"reasons":["posts"],"channels":["posts/p1"],"id":"1000 test 2","time":1000,"added":3}]"#,
            "\n",
            r#"[{"type":"click"},{"reasons":["history"],"id":"1000 test 4","time":1000,"added":5}]"#,
            "\n",
            r#"[{"type":"click"},{"reasons":["history"],"id":"1000 test 5","time":1000,"added":6}]"#,
            "\n",
        )
    );
    // The history keeps two: the chat action was cleaned from it, with its
    // singular `channel` made `channels`; the opted-out click never stored.
    assert!(ran.stdout.contains(
        r#"{"event":"clean","action":{"type":"chat"},"meta":{"channels":["c1"],"reasons":[],"id":"1000 test 3","time":1000,"added":4}}"#
    ));
    assert!(ran.stdout.contains(
        r#"{"event":"clean","action":{"type":"click"},"meta":{"noAutoReason":true,"id":"1000 test 6","time":1000,"reasons":[]}}"#
    ));
}

#[test]
fn rules_apply_to_merged_actions() {
    let other = concat!(
        r#"[{"type":"user/rename","userId":3,"name":"C"},{"id":"5 o 0","time":5,"reasons":["theirs"],"added":1}]"#,
        "\n"
    );
    let ran = Test::new()
        .file("rules.json", RULES)
        .file("other.jsonl", other)
        .args(["--rules", "rules.json", "merge", "other.jsonl"])
        .run();
    assert_eq!(
        ran.log(),
        concat!(
            r#"[{"type":"user/rename","userId":3,"name":"C"},{"id":"5 o 0","time":5,"reasons":["user/3","user/3/name"],"indexes":["user/3"],"keepLast":"user/3/name","added":1}]"#,
            "\n"
        )
    );
}

#[test]
fn bad_rules_and_actions_they_cannot_fill_are_bad_input() {
    Test::new()
        .file("rules.json", r#"{"rules":[{"type":"x","resend":{"groups":["a"]}}]}"#)
        .args(["--rules", "rules.json", "add", r#"{"type":"x"}"#])
        .status(3)
        .stderr("actionlog: rules.json: rule 1: resend to \"groups\": expected channels, users, clients or nodes\n")
        .run();
    Test::new()
        .log("")
        .file("rules.json", RULES)
        .args(["--rules", "rules.json", "add", r#"{"type":"user/rename"}"#])
        .status(3)
        .stderr("actionlog: rule for \"user/rename\": the action has no string or number field \"userId\"\n")
        .log_unchanged()
        .run();
    Test::new()
        .args(["--rules", "missing.json", "add", r#"{"type":"x"}"#])
        .status(5)
        .stderr("actionlog: cannot read the rules missing.json: No such file or directory (os error 2)\n")
        .run();
}
