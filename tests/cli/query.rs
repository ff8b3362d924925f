//! Filters on `order` and the counts of `stats`, on the example chat log.

use crate::harness::Test;

const CHAT: &str = include_str!("../../examples/chat.jsonl");

/// The IDs `order` prints with these arguments.
#[track_caller]
fn ids(args: &[&str]) -> Vec<String> {
    let ran = Test::new()
        .log(CHAT)
        .args(["order", "--format", "jsonl"])
        .args(args.iter().copied())
        .log_unchanged()
        .run();
    ran.stdout
        .lines()
        .map(|line| {
            let entry: serde_json::Value = serde_json::from_str(line).unwrap();
            entry[1]["id"].as_str().unwrap().to_owned()
        })
        .collect()
}

#[test]
fn filters_by_type_exact_or_prefix_and_by_user() {
    assert_eq!(
        ids(&["--type", "message/", "--user", "10"]),
        [
            "1564508140123 10:uImkcF4z:1 0",
            "1564508143000 10:uImkcF4z:1 0",
            "1564508145000 10:uImkcF4z:3 0"
        ]
    );
    assert_eq!(
        ids(&["--type", "user/rename", "--type", "channel/create"]),
        [
            "1564508138460 12:Kx8wQ1:1 0",
            "1564508139001 server:h1 0",
            "1564508141000 11:Pd3Qz1:2 0",
            "1564508142500 server:h1 0",
            "1564508144000 10:uImkcF4z:3 0"
        ]
    );
    assert_eq!(ids(&["--type", "message"]), Vec::<String>::new());
}

#[test]
fn filters_by_reason_node_time_and_id_bounds() {
    assert_eq!(
        ids(&["--node", "server:h1", "--until", "1564508143000"]),
        ["1564508139001 server:h1 0", "1564508142500 server:h1 0"]
    );
    // An ID bound is the entry's place in created order, inclusive.
    assert_eq!(
        ids(&[
            "--reason",
            "syncing",
            "--since",
            "1564508143000 10:uImkcF4z:1 0"
        ]),
        [
            "1564508143000 10:uImkcF4z:1 0",
            "1564508143100 server:h1 0",
            "1564508144000 10:uImkcF4z:3 0",
            "1564508145000 10:uImkcF4z:3 0"
        ]
    );
    assert_eq!(ids(&["--reason", "no-such-reason"]), Vec::<String>::new());
}

#[test]
fn filters_by_meta_values_and_combine_with_index_and_ids() {
    assert_eq!(
        ids(&["--meta", r#"subprotocol="1.0.0""#]),
        [
            "1564508138460 12:Kx8wQ1:1 0",
            "1564508141000 11:Pd3Qz1:2 0",
            "1564508144000 10:uImkcF4z:3 0"
        ]
    );
    assert_eq!(
        ids(&["--index", "channel/random", "--by", "added"]),
        ["1564508142500 server:h1 0", "1564508143000 10:uImkcF4z:1 0"]
    );
    assert_eq!(
        ids(&[
            "--type",
            "message/",
            "1564508138460 12:Kx8wQ1:1 0",
            "1564508143000 10:uImkcF4z:1 0"
        ]),
        ["1564508143000 10:uImkcF4z:1 0"]
    );
}

#[test]
fn bad_filters_are_bad_input() {
    Test::new()
        .log(CHAT)
        .args(["order", "--since", "soon"])
        .status(3)
        .stderr("actionlog: --since: expected a time in ms or an action ID: invalid action ID \"soon\": expected \"<ms> <node ID> <counter>\"\n")
        .run();
    Test::new()
        .log(CHAT)
        .args(["order", "--meta", "subprotocol"])
        .status(3)
        .stderr("actionlog: --meta: expected KEY=JSON, not \"subprotocol\"\n")
        .run();
}

#[test]
fn stats_count_by_type_reason_node_user_and_index() {
    Test::new()
        .log(CHAT)
        .args(["stats", "--node", "server:h1"])
        .stdout(concat!(
            r#"{"entries":3,"time":{"first":1564508139001,"last":1564508143100},"#,
            r#""types":{"channel/create":2,"logux/processed":1},"#,
            r#""reasons":{"channel/general":1,"channel/random":1,"syncing":1},"#,
            r#""nodes":{"server:h1":3},"users":{"server":3},"#,
            r#""indexes":{"channel/general":1,"channel/random":1},"skewed":[]}"#,
            "\n"
        ))
        .log_unchanged()
        .run();
    let ran = Test::new()
        .log(CHAT)
        .args(["stats", "--format", "table"])
        .run();
    assert!(
        ran.stdout
            .starts_with("11 entries, created from 1564508138460 to 1564508145000 (6540 ms)\n"),
        "{}",
        ran.stdout
    );
    assert!(
        ran.stdout.contains("│ message/add     ┆ 5       │"),
        "{}",
        ran.stdout
    );
    // The one entry whose time was corrected by 10 ms on receipt.
    assert!(
        ran.stdout
            .contains("│ 1564508143000 10:uImkcF4z:1 0 ┆ 1564508142990 ┆ -10                 │"),
        "{}",
        ran.stdout
    );
}

#[test]
fn stats_of_an_empty_log() {
    Test::new()
        .log("")
        .args(["stats"])
        .stdout(concat!(
            r#"{"entries":0,"time":null,"types":{},"reasons":{},"nodes":{},"users":{},"indexes":{},"skewed":[]}"#,
            "\n"
        ))
        .run();
}
