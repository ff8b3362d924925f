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
        .stderr("actionlog: --since: expected a time in ms, an ISO 8601 date (2026-11-23T10:15:00Z) or an action ID: invalid action ID \"soon\": expected \"<ms> <node ID> <counter>\"\n")
        .run();
    Test::new()
        .log(CHAT)
        .args(["order", "--meta", "subprotocol"])
        .status(3)
        .stderr("actionlog: --meta: expected KEY=VALUE, not \"subprotocol\"\n")
        .run();
    Test::new()
        .log(CHAT)
        .args(["order", "--action", "a..b=1"])
        .status(3)
        .stderr("actionlog: --action: \"a..b\" is not a path of keys (a.b.c)\n")
        .run();
    Test::new()
        .log(CHAT)
        .args(["order", "--since", "2019-02-30"])
        .status(3)
        .stderr_contains("--since: expected a time in ms, an ISO 8601 date")
        .run();
}

#[test]
fn filters_on_the_actions_own_fields_with_values_as_typed() {
    // A value that is not JSON is a string; nested keys by a dotted path.
    let random = ids(&["--action", "channelId=random"]);
    assert_eq!(random, ids(&["--action", r#"channelId="random""#]));
    assert!(!random.is_empty());
    assert_eq!(
        ids(&["--action", "channelId=random", "--action", "userId=10"]).len(),
        random
            .iter()
            .filter(|id| ids(&["--action", "userId=10"]).contains(id))
            .count()
    );
    assert_eq!(
        ids(&["--meta", "subprotocol=1.0.0"]),
        ids(&["--meta", r#"subprotocol="1.0.0""#])
    );
    assert!(!ids(&["--meta", "subprotocol=1.0.0"]).is_empty());
    let nested = Test::new()
        .log(concat!(
            r#"[{"type":"a","user":{"name":"Ann","age":3}},{"id":"1 n 0","time":1,"reasons":["r"],"added":1}]"#,
            "\n",
            r#"[{"type":"a","user":{"name":"Bob"}},{"id":"2 n 0","time":2,"reasons":["r"],"added":2}]"#,
            "\n"
        ))
        .args(["order", "--action", "user.name=Bob", "--count"])
        .stdout("1\n")
        .run();
    Test::in_dir(nested.dir)
        .args([
            "order",
            "--action",
            "user.age=3",
            "--action",
            "user.name=Ann",
            "--count",
        ])
        .stdout("1\n")
        .run();
}

#[test]
fn dates_limits_counts_and_the_exit_status() {
    // 2019-07-30T17:35:38.460Z is the first entry's time.
    assert_eq!(
        ids(&["--since", "2019-07-30T17:35:38.460Z"]),
        ids(&["--since", "1564508138460"])
    );
    assert_eq!(
        ids(&["--until", "2019-07-30T19:35:38.459+02:00"]),
        Vec::<String>::new()
    );
    assert_eq!(ids(&["--since", "2019-07-31"]), Vec::<String>::new());
    let all = ids(&[]);
    assert_eq!(ids(&["--limit", "3"]), all[..3]);
    assert_eq!(ids(&["--last", "2"]), all[all.len() - 2..]);
    let mut reversed = all.clone();
    reversed.reverse();
    assert_eq!(ids(&["--reverse"]), reversed);
    assert_eq!(
        ids(&["--last", "3", "--reverse", "--limit", "2"]),
        reversed[..2]
    );
    Test::new()
        .log(CHAT)
        .args(["order", "--count"])
        .stdout(&format!("{}\n", all.len()))
        .run();
    // -e: nothing matched is status 1; a --type that begins types gets a hint.
    Test::new()
        .log(CHAT)
        .args(["order", "--type", "message", "-e"])
        .status(1)
        .stdout("")
        .stderr("actionlog: no action has the type \"message\"; for every type that starts so, give --type message/\n")
        .run();
    Test::new()
        .log(CHAT)
        .args(["order", "--type", "message/", "-e", "--count"])
        .stdout("5\n")
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
        ran.stdout.contains("│ message/add     ┆       5 │"),
        "{}",
        ran.stdout
    );
    // The one entry whose time was corrected by 10 ms on receipt.
    assert!(
        ran.stdout
            .contains("│ 1564508143000 10:uImkcF4z:1 0 ┆ 1564508142990 ┆                 -10 │"),
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

#[test]
fn stats_of_a_big_log_count_as_the_full_read_counts() {
    // Reasons on some entries, for `--reason` to find.
    let log = crate::harness::big_log(8_000).replace(
        "\"time\":1500,",
        "\"time\":1500,\"reasons\":[\"r\",\"s\"],\"tab\":\"x\",",
    );
    let dir = crate::harness::Test::new().log(&log).into_dir();
    let filters: [&[&str]; 10] = [
        &[],
        &["--type", "t7"],
        &["--type", "t1", "--type", "t2"],
        &["--node", "a", "--node", "\u{1f600}"],
        &["--user", "b"],
        &["--since", "1500"],
        &["--until", "1900"],
        &["--reason", "s", "--reason", "nowhere"],
        &["--reason", "nowhere"],
        &["--meta", "tab=x", "--action", "pad=xxx"],
    ];
    for filters in filters {
        let formats: &[&str] = if filters.is_empty() {
            &["json", "table"]
        } else {
            &["json"]
        };
        for &format in formats {
            let mut compact = vec!["--format", format, "stats"];
            compact.extend(filters);
            let full = crate::harness::read_whole(&compact);
            let counted = crate::harness::ok(dir.path(), &compact);
            assert_eq!(
                counted,
                crate::harness::ok(dir.path(), &full),
                "{filters:?}"
            );
            if filters.is_empty() {
                assert!(counted.contains("8000"), "{counted}");
            }
            if filters.contains(&"s") {
                assert!(counted.contains(r#""reasons":{"r":"#), "{counted}");
            }
        }
    }
}
