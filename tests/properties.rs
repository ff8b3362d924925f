//! Property tests: the order is a strict total order, the created order is a
//! sort by it, and a log survives being saved and read again.

use std::cmp::Ordering;
use std::path::Path;

use actionlog::id::parse_action_id;
use actionlog::order::compare;
use actionlog::{Criteria, IdGenerator, Log, MetaText, Order, OrderKey, is_first_older, store};
use proptest::prelude::*;

/// Node IDs from a small alphabet, so that ties on time and node are common,
/// with characters whose UTF-16 and UTF-8 orders differ.
fn node() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "a",
        "b",
        "a:b",
        "10:x:y",
        "\u{FF61}",
        "\u{1F600}",
        "é",
        "Z",
    ])
    .prop_map(String::from)
}

/// `(id, time)`: small numbers so that equal parts are common.
fn id_and_time() -> impl Strategy<Value = (String, f64)> {
    (0u64..6, node(), 0u64..4, prop::option::of(-2i64..6)).prop_map(|(ms, node, counter, time)| {
        let id = format!("{ms} {node} {counter}");
        (id, time.map_or(ms as f64, |t| t as f64))
    })
}

fn key(pair: &(String, f64)) -> OrderKey<'_> {
    let parts = parse_action_id(&pair.0).unwrap();
    OrderKey::new(pair.1, &pair.0, &parts)
}

proptest! {
    #[test]
    fn is_first_older_is_a_strict_total_order(a in id_and_time(), b in id_and_time(), c in id_and_time()) {
        let (ka, kb, kc) = (key(&a), key(&b), key(&c));
        prop_assert!(!is_first_older(&ka, &ka));
        if a.0 != b.0 {
            prop_assert!(is_first_older(&ka, &kb) != is_first_older(&kb, &ka), "{a:?} {b:?}");
        }
        if is_first_older(&ka, &kb) && is_first_older(&kb, &kc) {
            prop_assert!(is_first_older(&ka, &kc));
        }
    }
}

/// One operation on a log.
#[derive(Debug, Clone)]
enum Op {
    Add {
        id: Option<(String, f64)>,
        reasons: Vec<String>,
        keep_last: Option<String>,
        index: Option<String>,
    },
    ChangeMeta {
        pick: usize,
        reasons: Vec<String>,
    },
    RemoveReason {
        reason: String,
        max_added: Option<u64>,
        older_than: Option<(String, f64)>,
    },
}

fn reason() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["r", "s", "k/1", "k/2"]).prop_map(String::from)
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (prop::option::of(id_and_time()), prop::collection::vec(reason(), 0..3), prop::option::of(reason()),
              prop::option::of(prop::sample::select(vec!["i", "j"]).prop_map(String::from)))
            .prop_map(|(id, reasons, keep_last, index)| Op::Add { id, reasons, keep_last, index }),
        1 => (0usize..50, prop::collection::vec(reason(), 0..2)).prop_map(|(pick, reasons)| Op::ChangeMeta { pick, reasons }),
        1 => (reason(), prop::option::of(0u64..10), prop::option::of(id_and_time()))
            .prop_map(|(reason, max_added, older_than)| Op::RemoveReason { reason, max_added, older_than }),
    ]
}

/// Applies `op`; the events it reported.
fn apply(log: &mut Log, ids: &mut IdGenerator, step: u64, op: &Op) -> Vec<actionlog::Event> {
    match op {
        Op::Add {
            id,
            reasons,
            keep_last,
            index,
        } => {
            let mut meta = MetaText::default();
            if let Some((id, time)) = id {
                meta.set_string("id", id);
                meta.set_raw("time", time.to_string());
            }
            meta.set_strings("reasons", reasons.iter().map(String::as_str));
            if let Some(keep) = keep_last {
                meta.set_string("keepLast", keep);
            }
            if let Some(index) = index {
                meta.set_strings("indexes", [index.as_str()]);
            }
            log.add(r#"{"type":"t","payload":[1.0,"é"]}"#, meta, ids, step / 3)
                .unwrap()
        }
        Op::ChangeMeta { pick, reasons } => {
            let Some(id) = log
                .entries(Order::Added, None)
                .nth(*pick)
                .map(|e| e.id().to_owned())
            else {
                return Vec::new();
            };
            let mut diff = MetaText::default();
            diff.set_strings("reasons", reasons.iter().map(String::as_str));
            diff.set_raw("seen", step.to_string());
            log.change_meta(&id, &diff).unwrap()
        }
        Op::RemoveReason {
            reason,
            max_added,
            older_than,
        } => {
            let criteria = Criteria {
                max_added: *max_added,
                older_than: older_than.as_ref().map(key),
                ..Criteria::default()
            };
            log.remove_reason(reason, &criteria).unwrap()
        }
    }
}

fn lines(log: &Log, order: Order) -> Vec<String> {
    log.entries(order, None)
        .map(|e| e.line_with_added().into_owned())
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn created_order_is_a_sort_by_is_first_older(ops in prop::collection::vec(op(), 1..40)) {
        let mut log = Log::new();
        let mut ids = IdGenerator::new("gen").unwrap();
        for (step, op) in ops.iter().enumerate() {
            apply(&mut log, &mut ids, step as u64, op);
        }
        let created: Vec<_> = log.entries(Order::Created, None).collect();
        let mut sorted = created.clone();
        sorted.sort_by(|a, b| compare(&a.order_key(), &b.order_key()));
        prop_assert_eq!(created.iter().map(|e| e.id()).collect::<Vec<_>>(), sorted.iter().map(|e| e.id()).collect::<Vec<_>>());
        for pair in created.windows(2) {
            prop_assert_eq!(compare(&pair[0].order_key(), &pair[1].order_key()), Ordering::Less);
        }
        let added: Vec<u64> = log.entries(Order::Added, None).map(|e| e.added()).collect();
        prop_assert!(added.windows(2).all(|w| w[0] < w[1]));
        prop_assert!(added.last().is_none_or(|&last| last <= log.last_added()));
        for index in ["i", "j"] {
            let filtered: Vec<&str> = created.iter().filter(|e| log.symbol(index).is_some_and(|s| e.in_index(s))).map(|e| e.id()).collect();
            let indexed: Vec<&str> = log.entries(Order::Created, Some(index)).map(|e| e.id()).collect();
            prop_assert_eq!(filtered, indexed);
        }
    }

    /// Changes made inside `adding_many`, which puts the created order
    /// right once at its end (by sorting again, or one slot at a time when
    /// the log is big beside what was added), leave the log they leave
    /// one at a time.
    #[test]
    fn adding_many_leaves_the_log_adding_one_at_a_time_leaves(
        ops in prop::collection::vec(op(), 1..60),
        before in 0usize..40,
        runs in prop::collection::vec(1usize..8, 1..20),
    ) {
        let (mut one, mut many) = (Log::new(), Log::new());
        let (mut ids_one, mut ids_many) = (IdGenerator::new("gen").unwrap(), IdGenerator::new("gen").unwrap());
        let (mut events_one, mut events_many) = (Vec::new(), Vec::new());
        for (step, op) in ops.iter().enumerate() {
            events_one.extend(apply(&mut one, &mut ids_one, step as u64, op));
        }
        let before = before.min(ops.len());
        for (step, op) in ops[..before].iter().enumerate() {
            events_many.extend(apply(&mut many, &mut ids_many, step as u64, op));
        }
        let mut step = before;
        for run in runs.iter().cycle() {
            if step == ops.len() {
                break;
            }
            let end = (step + run).min(ops.len());
            many.adding_many(|log| {
                for (at, op) in ops[step..end].iter().enumerate() {
                    events_many.extend(apply(log, &mut ids_many, (step + at) as u64, op));
                }
            });
            step = end;
        }
        prop_assert!(many.verify().is_ok(), "{:?}", many.verify());
        prop_assert_eq!(events_many, events_one);
        prop_assert_eq!(lines(&many, Order::Created), lines(&one, Order::Created));
        prop_assert_eq!(lines(&many, Order::Added), lines(&one, Order::Added));
    }

    #[test]
    fn saving_and_reading_is_the_identity(ops in prop::collection::vec(op(), 0..40)) {
        let mut log = Log::new();
        let mut ids = IdGenerator::new("gen").unwrap();
        for (step, op) in ops.iter().enumerate() {
            apply(&mut log, &mut ids, step as u64, op);
        }
        let mut stored = store::Stored::empty();
        stored.log = log;
        let mut first = Vec::new();
        stored.write_all(&mut first).unwrap();
        let read = store::parse(first.clone(), Path::new("mem")).unwrap();
        prop_assert_eq!(lines(&read.log, Order::Added), lines(&stored.log, Order::Added));
        prop_assert_eq!(lines(&read.log, Order::Created), lines(&stored.log, Order::Created));
        prop_assert_eq!(read.log.last_added(), stored.log.last_added());
        let mut second = Vec::new();
        read.write_all(&mut second).unwrap();
        prop_assert_eq!(first, second);
    }
}

/// Operations that must fail: the log must be as it was after each.
#[derive(Debug, Clone)]
enum BadOp {
    Add(&'static str, &'static str),
    ChangeMeta(&'static str),
}

fn bad_op() -> impl Strategy<Value = BadOp> {
    prop_oneof![
        prop::sample::select(vec![
            (r#"{"type":"t"}"#, r#"{"reasons":"r"}"#),
            (r#"{"type":"t"}"#, r#"{"id":"1 a","reasons":["r"]}"#),
            (r#"{"type":"t"}"#, r#"{"time":"soon","reasons":["r"]}"#),
            (r#"{"type":"t"}"#, r#"{"keepLast":5,"reasons":["r"]}"#),
            (r#"{"type":5}"#, r#"{"reasons":["r"]}"#),
            (r#"[1]"#, r#"{"reasons":["r"]}"#),
        ])
        .prop_map(|(action, meta)| BadOp::Add(action, meta)),
        prop::sample::select(vec![
            r#"{"id":"9 z 0"}"#,
            r#"{"added":5}"#,
            r#"{"time":3}"#,
            r#"{"reasons":"r"}"#,
        ])
        .prop_map(BadOp::ChangeMeta),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// The operations fuzzer (`fuzz/fuzz_targets/operations.rs`) in small:
    /// after every operation, good or bad, the log keeps its invariants, and
    /// a bad one changes nothing.
    #[test]
    fn operations_keep_the_log_invariants(
        ops in prop::collection::vec((op(), prop::option::of(bad_op())), 1..40),
    ) {
        let mut log = Log::new();
        let mut ids = IdGenerator::new("gen").unwrap();
        for (step, (op, bad)) in ops.iter().enumerate() {
            apply(&mut log, &mut ids, step as u64, op);
            if let Err(broken) = log.verify() {
                prop_assert!(false, "after {:?}: {}", op, broken);
            }
            let Some(bad) = bad else { continue };
            let before = lines(&log, Order::Added);
            let failed = match bad {
                BadOp::Add(action, meta) => {
                    log.add(action, MetaText::parse(meta).unwrap(), &mut ids, 0).is_err()
                }
                BadOp::ChangeMeta(diff) => {
                    let id = log.entries(Order::Added, None).next().map(|e| e.id().to_owned());
                    match id {
                        Some(id) => log.change_meta(&id, &MetaText::parse(diff).unwrap()).is_err(),
                        None => true,
                    }
                }
            };
            prop_assert!(failed, "{:?} was accepted", bad);
            prop_assert_eq!(lines(&log, Order::Added), before);
            if let Err(broken) = log.verify() {
                prop_assert!(false, "after {:?}: {}", bad, broken);
            }
        }
    }
}

/// JSON values as text, compact, with strings that hold spaces, commas and
/// brackets.
fn compact_json() -> impl Strategy<Value = String> {
    let string = "[ a,:{}\\[\\]]{0,6}".prop_map(|s| format!("\"{s}\""));
    let leaf = prop_oneof![
        string.clone(),
        Just("1".to_string()),
        Just("-2.5e3".to_string()),
        Just("true".to_string()),
        Just("null".to_string()),
    ];
    leaf.prop_recursive(3, 24, 4, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4)
                .prop_map(|items| format!("[{}]", items.join(","))),
            prop::collection::vec((string.clone(), inner), 0..4).prop_map(|members| {
                let members: Vec<String> =
                    members.iter().map(|(k, v)| format!("{k}:{v}")).collect();
                format!("{{{}}}", members.join(","))
            }),
        ]
    })
}

/// `text` with whitespace put between tokens at the places `spots` picks.
fn spaced(text: &str, spots: &[u8]) -> String {
    let mut out = String::new();
    let mut in_string = false;
    for (i, c) in text.chars().enumerate() {
        let between_tokens = !in_string && matches!(c, '{' | '}' | '[' | ']' | ':' | ',');
        let ws = [" ", "  ", "\t", "\r\n", ""][usize::from(spots[i % spots.len()]) % 5];
        if between_tokens {
            out.push_str(ws);
        }
        out.push(c);
        if between_tokens {
            out.push_str(ws);
        }
        if c == '"' {
            in_string = !in_string;
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Minifying gives the compact text back whatever whitespace is put
    /// between tokens, and leaves compact text (even with spaces inside
    /// strings) as it is.
    #[test]
    fn minify_removes_exactly_the_whitespace_between_tokens(
        json in compact_json(),
        spots in prop::collection::vec(any::<u8>(), 1..16),
    ) {
        let same = actionlog::json::minify(&json).into_owned();
        prop_assert_eq!(&same, &json);
        let spaced = spaced(&json, &spots);
        let minified = actionlog::json::minify(spaced.trim()).into_owned();
        prop_assert_eq!(&minified, &json);
    }
}

/// A log holding `picked` of a shared pool of `(id, time)` pairs: the same
/// ID always comes with the same time, as a synchronised action does.
fn log_of(pool: &[(String, f64)], picked: &[usize]) -> Log {
    let mut log = Log::new();
    let mut ids = IdGenerator::new("gen").unwrap();
    for &i in picked {
        let (id, time) = &pool[i % pool.len()];
        let mut meta = MetaText::default();
        meta.set_string("id", id);
        meta.set_raw("time", time.to_string());
        meta.set_strings("reasons", ["own"]);
        log.add(&format!(r#"{{"type":"t","i":{i}}}"#), meta, &mut ids, 0)
            .unwrap();
    }
    log
}

fn created_ids(log: &Log) -> Vec<String> {
    log.entries(Order::Created, None)
        .map(|e| e.id().to_owned())
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Every node ends with the same order, and each action is taken once.
    #[test]
    fn merging_either_way_gives_one_order_and_merging_twice_adds_nothing(
        pool in prop::collection::vec(id_and_time(), 1..12),
        a in prop::collection::vec(0usize..12, 0..12),
        b in prop::collection::vec(0usize..12, 0..12),
    ) {
        use actionlog::merge::{MergeOptions, merge};
        // One time per ID, whatever the pool drew.
        let mut pool = pool;
        pool.sort_by(|x, y| x.0.cmp(&y.0));
        pool.dedup_by(|x, y| x.0 == y.0);
        let options = MergeOptions { time_fix: 0.0, reasons: vec!["sync".into()], rules: None };
        let mut ids = IdGenerator::new("merger").unwrap();
        let (mut a_log, mut b_log) = (log_of(&pool, &a), log_of(&pool, &b));
        let a_before = a_log.clone();
        merge(&mut a_log, &b_log.clone(), &options, &mut ids, 0).unwrap();
        merge(&mut b_log, &a_before, &options, &mut ids, 0).unwrap();
        prop_assert_eq!(created_ids(&a_log), created_ids(&b_log));
        prop_assert!(a_log.verify().is_ok() && b_log.verify().is_ok());
        let events = merge(&mut a_log, &b_log.clone(), &options, &mut ids, 0).unwrap();
        prop_assert!(events.is_empty(), "{:?}", events);
        prop_assert_eq!(created_ids(&a_log), created_ids(&b_log));
    }
}

/// What a connection may hand on as a received action's meta, good or not:
/// IDs of this log and of the generator's node, times that are not finite,
/// subprotocols of every kind, and keys that give a reason.
fn received() -> impl Strategy<Value = (String, actionlog::protocol::IncomingMeta)> {
    let action = prop_oneof![
        4 => prop::sample::select(vec![
            r#"{"id":"1 a 0","type":"logux/processed"}"#,
            r#" {"type":"a","x":[1, {"y":"\u00e9"}]} "#,
        ]),
        1 => prop::sample::select(vec![
            r#"{"type":1}"#,
            r#"{"id":"x"}"#,
            r#"[1]"#,
            r#"{"type":"a""#,
            r#"{"type":"a"} x"#,
        ]),
    ];
    let id = prop_oneof![
        4 => id_and_time().prop_map(|(id, _)| id),
        1 => prop::sample::select(vec!["x", "1 a", "1 gen 0", "-1 a 0", "1 a\"\n 0"]).prop_map(String::from),
    ];
    let time = prop_oneof![
        6 => prop::sample::select(vec![0.0, -0.0, 3.0, 0.1, -2.5, 1.5e300]),
        1 => prop::sample::select(vec![f64::NAN, f64::INFINITY]),
    ];
    let other = prop::sample::select(vec![
        vec![],
        vec![],
        vec![],
        vec![("subprotocol", "2")],
        vec![("subprotocol", "\"1.0.0\"")],
        vec![("subprotocol", "-1e3")],
        vec![("subprotocol", "true")],
        vec![("subprotocol", "1e400")],
        vec![("subprotocol", " 2")],
        vec![("subprotocol", "\"x")],
        vec![("subprotocol", "-")],
        vec![("reasons", "[\"r\"]")],
        vec![("keepLast", "\"k\"")],
        vec![("subprotocol", "2"), ("x", "1")],
    ]);
    (action, id, time, other).prop_map(|(action, id, time, other)| {
        let other = other
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        let meta = actionlog::protocol::IncomingMeta { id, time, other };
        (action.to_owned(), meta)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// A received action is taken as an add of what travelled takes it,
    /// whichever way `add_received` goes: the same events or error, the
    /// same log, and the generator going on from the same ID.
    #[test]
    fn a_received_action_is_added_as_its_meta_would_be(
        pool in prop::collection::vec(id_and_time(), 1..8),
        picked in prop::collection::vec(0usize..8, 0..8),
        node in prop::sample::select(vec!["a", "gen", "10:x:y"]),
        keep in any::<bool>(),
        (action, meta) in received(),
        from_pool in prop::option::of(0usize..8),
    ) {
        use actionlog::merge::{MergeOptions, add_incoming, add_received};
        let options = MergeOptions {
            time_fix: 0.0,
            reasons: if keep { vec!["sync".into()] } else { vec![] },
            rules: None,
        };
        // Often an ID the log may have.
        let mut meta = meta;
        if let Some(i) = from_pool {
            meta.id = pool[i % pool.len()].0.clone();
        }
        let log = log_of(&pool, &picked);
        let ids = IdGenerator::new(node).unwrap();
        let (mut log_a, mut ids_a) = (log.clone(), ids.clone());
        let mut events_a = Vec::new();
        let a = add_received(&mut log_a, &action, &meta, &options, &mut ids_a, 2, &mut events_a);
        let (mut log_b, mut ids_b) = (log, ids);
        let b = add_incoming(&mut log_b, &action, meta.to_meta(), &options, &mut ids_b, 2);
        match (a, b) {
            (Ok(()), Ok(events_b)) => prop_assert_eq!(events_a, events_b),
            (Err(a), Err(b)) => prop_assert_eq!(a.to_string(), b.to_string()),
            (a, b) => prop_assert!(false, "{:?} against {:?}", a, b.map(|_| ())),
        }
        prop_assert_eq!(lines(&log_a, Order::Added), lines(&log_b, Order::Added));
        prop_assert_eq!(log_a.last_added(), log_b.last_added());
        // At the clock's 2 ms, an ID of the node seen at a later time
        // shows in the next one.
        prop_assert_eq!(ids_a.next(2).unwrap(), ids_b.next(2).unwrap());
    }
}
