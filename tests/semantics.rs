//! The behaviours `@logux/core`'s own store and log tests check, restated
//! against the library in our own words.

use actionlog::{Criteria, Error, Event, IdGenerator, Log, MetaText, Order, OrderKey};

struct Fixture {
    log: Log,
    ids: IdGenerator,
    now: u64,
}

impl Fixture {
    fn new() -> Self {
        Fixture {
            log: Log::new(),
            ids: IdGenerator::new("gen").unwrap(),
            now: 100,
        }
    }

    #[track_caller]
    fn add(&mut self, action_type: &str, meta: &str) -> Vec<Event> {
        let action = format!(r#"{{"type":"{action_type}"}}"#);
        self.log
            .add(
                &action,
                MetaText::parse(meta).unwrap(),
                &mut self.ids,
                self.now,
            )
            .unwrap()
    }

    fn types(&self, order: Order, index: Option<&str>) -> Vec<String> {
        self.log
            .entries(order, index)
            .map(|entry| entry.action_type())
            .collect()
    }

    #[track_caller]
    fn both(&self, expected: &[&str]) {
        assert_eq!(self.types(Order::Created, None), expected, "created");
        assert_eq!(self.types(Order::Added, None), expected, "added");
    }

    fn meta(&self, id: &str) -> String {
        self.log.get(id).unwrap().meta().to_string()
    }

    #[track_caller]
    fn remove(&mut self, reason: &str, criteria: Criteria<'_>) -> Vec<String> {
        let events = self.log.remove_reason(reason, &criteria).unwrap();
        events
            .iter()
            .map(|e| format!("{} {}", e.kind.name(), e.meta()))
            .collect()
    }
}

fn bare(id: &str) -> OrderKey<'_> {
    OrderKey::from_bare_id(id).unwrap()
}

#[test]
fn stores_entries_sorted() {
    let mut f = Fixture::new();
    f.add("1", r#"{"id":"1 a 0","time":1,"reasons":["r"]}"#);
    f.add("2", r#"{"id":"1 c 0","time":2,"reasons":["r"]}"#);
    f.add("3", r#"{"id":"1 b 1","time":2,"reasons":["r"]}"#);
    f.add("4", r#"{"id":"3 b 0","time":2,"reasons":["r"]}"#);
    assert_eq!(f.types(Order::Created, None), ["1", "4", "3", "2"]);
    assert_eq!(f.types(Order::Added, None), ["1", "2", "3", "4"]);
}

#[test]
fn same_time_ties_are_broken_by_the_id() {
    let mut f = Fixture::new();
    f.add(
        "B",
        r#"{"id":"2 a 0","time":1,"reasons":["r"],"indexes":["a"]}"#,
    );
    f.add(
        "C",
        r#"{"id":"3 a 0","time":1,"reasons":["r"],"indexes":["a"]}"#,
    );
    f.add(
        "A",
        r#"{"id":"1 a 0","time":1,"reasons":["r"],"indexes":["a"]}"#,
    );
    assert_eq!(f.types(Order::Created, None), ["A", "B", "C"]);
    assert_eq!(f.types(Order::Created, Some("a")), ["A", "B", "C"]);
    assert_eq!(
        f.meta("1 a 0"),
        r#"{"id":"1 a 0","time":1,"reasons":["r"],"indexes":["a"],"added":3}"#
    );
}

#[test]
fn indexes_in_both_orders() {
    let mut f = Fixture::new();
    f.add(
        "1",
        r#"{"id":"1 node1 0","indexes":["a"],"time":2,"reasons":["r"]}"#,
    );
    f.add(
        "2",
        r#"{"id":"1 node1 1","indexes":["a"],"time":1,"reasons":["r"]}"#,
    );
    f.add("3", r#"{"id":"1 node1 2","time":3,"reasons":["r"]}"#);
    assert_eq!(f.types(Order::Created, Some("a")), ["2", "1"]);
    assert_eq!(f.types(Order::Added, Some("a")), ["1", "2"]);
    assert!(f.types(Order::Created, Some("b")).is_empty());
}

#[test]
fn an_index_keeps_an_entry_newer_than_every_member_last() {
    // MemoryStore inserts such an entry before the last member; the created
    // order of an index is the log's created order, filtered.
    let mut f = Fixture::new();
    f.add("1", r#"{"id":"1 n 0","indexes":["a"],"reasons":["r"]}"#);
    f.add("2", r#"{"id":"2 n 0","indexes":["a"],"reasons":["r"]}"#);
    f.add("3", r#"{"id":"3 n 0","indexes":["a"],"reasons":["r"]}"#);
    assert_eq!(f.types(Order::Created, Some("a")), ["1", "2", "3"]);
}

#[test]
fn duplicate_ids_are_ignored_whatever_the_time() {
    let mut f = Fixture::new();
    assert_eq!(
        f.add("a", r#"{"id":"1 a 1","time":1,"reasons":["r"]}"#)
            .len(),
        1
    );
    assert!(
        f.add("b", r#"{"id":"1 a 1","time":2,"reasons":["r"]}"#)
            .is_empty()
    );
    assert!(
        f.add("c", r#"{"id":"1 a 1","time":0,"reasons":["r"]}"#)
            .is_empty()
    );
    f.both(&["a"]);
    assert_eq!(f.log.last_added(), 1);
}

#[test]
fn any_meta_is_kept() {
    let mut f = Fixture::new();
    f.add(
        "A",
        r#"{"id":"1 a 0","test":1,"time":1,"reasons":["r"],"nested":{"k":[1,2]}}"#,
    );
    assert_eq!(
        f.meta("1 a 0"),
        r#"{"id":"1 a 0","test":1,"time":1,"reasons":["r"],"nested":{"k":[1,2]},"added":1}"#
    );
}

#[test]
fn changes_meta_and_reports_unknown_ids() {
    let mut f = Fixture::new();
    f.add(
        "A",
        r#"{"a":1,"id":"1 n 0","indexes":["a"],"time":1,"reasons":["r"]}"#,
    );
    let events = f
        .log
        .change_meta("1 n 0", &MetaText::parse(r#"{"a":2,"b":2}"#).unwrap())
        .unwrap();
    assert!(events.is_empty());
    assert_eq!(
        f.meta("1 n 0"),
        r#"{"a":2,"id":"1 n 0","indexes":["a"],"time":1,"reasons":["r"],"added":1,"b":2}"#
    );
    assert_eq!(f.types(Order::Created, Some("a")), ["A"]);
    let unknown = f
        .log
        .change_meta("2 n 0", &MetaText::parse(r#"{"a":1}"#).unwrap());
    assert!(matches!(unknown, Err(Error::NotFound(id)) if id == "2 n 0"));
}

#[test]
fn change_meta_refuses_read_only_keys_and_changes_nothing() {
    let mut f = Fixture::new();
    f.add("A", r#"{"id":"1 n 0","reasons":["r"]}"#);
    let before = f.meta("1 n 0");
    for key in ["id", "added", "time", "subprotocol", "indexes"] {
        let diff = MetaText::parse(&format!(r#"{{"a":1,"{key}":1}}"#)).unwrap();
        let error = f.log.change_meta("1 n 0", &diff).unwrap_err();
        assert_eq!(error.to_string(), format!("Meta \"{key}\" is read-only"));
    }
    assert_eq!(f.meta("1 n 0"), before);
}

#[test]
fn empty_reasons_in_change_meta_remove_with_the_diff_applied() {
    let mut f = Fixture::new();
    f.add("A", r#"{"id":"1 n 0","reasons":["r"],"indexes":["i"]}"#);
    f.add("B", r#"{"id":"2 n 0","reasons":["r"]}"#);
    let events = f
        .log
        .change_meta(
            "1 n 0",
            &MetaText::parse(r#"{"reasons":[],"why":"done"}"#).unwrap(),
        )
        .unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].kind.name(), "clean");
    assert_eq!(
        &*events[0].meta(),
        r#"{"id":"1 n 0","reasons":[],"indexes":["i"],"time":1,"added":1,"why":"done"}"#
    );
    f.both(&["B"]);
    assert!(f.types(Order::Created, Some("i")).is_empty());
}

#[test]
fn removes_entries_with_and_without_indexes() {
    let mut f = Fixture::new();
    f.add("1", r#"{"id":"1 node1 0","time":1,"reasons":["x"]}"#);
    f.add(
        "2",
        r#"{"id":"1 node1 1","indexes":["a","b"],"time":2,"reasons":["x"]}"#,
    );
    f.add(
        "3",
        r#"{"id":"1 node1 2","indexes":["b"],"time":3,"reasons":["x"]}"#,
    );
    f.remove(
        "x",
        Criteria {
            id: Some("1 node1 1"),
            ..Criteria::default()
        },
    );
    f.both(&["1", "3"]);
    assert!(f.types(Order::Created, Some("a")).is_empty());
    assert_eq!(f.types(Order::Added, Some("b")), ["3"]);
    assert!(f.log.get("1 node1 1").is_none());
}

#[test]
fn removes_an_entry_with_zero_time() {
    let mut f = Fixture::new();
    f.add("1", r#"{"id":"1 node1 0","time":1,"reasons":["x"]}"#);
    f.add("2", r#"{"id":"2 node1 0","time":2,"reasons":["x"]}"#);
    f.add("3", r#"{"id":"3 node1 0","time":0,"reasons":["x"]}"#);
    f.remove(
        "x",
        Criteria {
            id: Some("3 node1 0"),
            ..Criteria::default()
        },
    );
    f.both(&["1", "2"]);
}

/// Three entries with reason `a`, times 1..3, added 1..3.
fn three() -> Fixture {
    let mut f = Fixture::new();
    f.add("1", r#"{"id":"1 n 0","reasons":["a"],"time":1}"#);
    f.add("2", r#"{"id":"2 n 0","reasons":["a"],"time":2}"#);
    f.add("3", r#"{"id":"3 n 0","reasons":["a"],"time":3}"#);
    f
}

#[test]
fn remove_reason_removes_actions_left_without_reasons() {
    let mut f = Fixture::new();
    f.add("1", r#"{"id":"1 n 0","reasons":["a"],"time":1}"#);
    f.add("2", r#"{"id":"2 n 0","reasons":["a"],"time":2}"#);
    f.add("3", r#"{"id":"3 n 0","reasons":["a","b"],"time":3}"#);
    f.add("4", r#"{"id":"4 n 0","reasons":["b"],"time":4}"#);
    let cleaned = f.remove("a", Criteria::default());
    assert_eq!(cleaned.len(), 2);
    f.both(&["3", "4"]);
    assert_eq!(
        f.meta("3 n 0"),
        r#"{"id":"3 n 0","reasons":["b"],"time":3,"added":3}"#
    );
}

#[test]
fn remove_reason_from_indexes() {
    let mut f = Fixture::new();
    f.add(
        "1",
        r#"{"id":"1 n 0","indexes":["a","b"],"reasons":["a"],"time":1}"#,
    );
    f.add(
        "2",
        r#"{"id":"2 n 0","indexes":["b"],"reasons":["b"],"time":2}"#,
    );
    f.remove("a", Criteria::default());
    assert!(f.types(Order::Created, Some("a")).is_empty());
    assert_eq!(f.types(Order::Created, Some("b")), ["2"]);
    assert_eq!(f.types(Order::Added, Some("b")), ["2"]);
}

#[test]
fn remove_reason_by_every_criterion() {
    let cases: Vec<(Criteria<'static>, &[&str])> = vec![
        (
            Criteria {
                older_than: Some(bare("3 n 0")),
                younger_than: Some(bare("1 n 0")),
                ..Criteria::default()
            },
            &["1", "3"],
        ),
        (
            Criteria {
                older_than: Some(bare("2 n 0")),
                ..Criteria::default()
            },
            &["2", "3"],
        ),
        (
            Criteria {
                younger_than: Some(bare("2 n 0")),
                ..Criteria::default()
            },
            &["1", "2"],
        ),
        (
            Criteria {
                min_added: Some(2),
                ..Criteria::default()
            },
            &["1"],
        ),
        (
            Criteria {
                max_added: Some(2),
                ..Criteria::default()
            },
            &["3"],
        ),
        (
            Criteria {
                min_added: Some(2),
                max_added: Some(2),
                ..Criteria::default()
            },
            &["1", "3"],
        ),
        (
            Criteria {
                max_added: Some(0),
                ..Criteria::default()
            },
            &["1", "2", "3"],
        ),
        (
            Criteria {
                min_added: Some(4),
                ..Criteria::default()
            },
            &["1", "2", "3"],
        ),
        (
            Criteria {
                id: Some("2 n 0"),
                ..Criteria::default()
            },
            &["1", "3"],
        ),
        (
            Criteria {
                id: Some("2 n 0"),
                min_added: Some(3),
                ..Criteria::default()
            },
            &["1", "2", "3"],
        ),
        (
            Criteria {
                id: Some("9 n 0"),
                ..Criteria::default()
            },
            &["1", "2", "3"],
        ),
        (Criteria::default(), &[]),
    ];
    for (criteria, left) in cases {
        let mut f = three();
        let description = format!("{criteria:?}");
        f.remove("a", criteria);
        assert_eq!(f.types(Order::Created, None), left, "{description}");
        assert_eq!(f.types(Order::Added, None), left, "{description}");
    }
}

#[test]
fn removes_reasons_and_actions_by_id() {
    let mut f = Fixture::new();
    f.add("1", r#"{"id":"1 n 0","reasons":["a"],"time":1}"#);
    f.add("2", r#"{"id":"2 n 0","reasons":["a","b"],"time":2}"#);
    f.add("3", r#"{"id":"3 n 0","reasons":["a"],"time":3}"#);
    let mut cleaned = Vec::new();
    cleaned.extend(f.remove(
        "a",
        Criteria {
            id: Some("1 n 0"),
            ..Criteria::default()
        },
    ));
    cleaned.extend(f.remove(
        "b",
        Criteria {
            id: Some("2 n 0"),
            ..Criteria::default()
        },
    ));
    cleaned.extend(f.remove(
        "c",
        Criteria {
            id: Some("3 n 0"),
            ..Criteria::default()
        },
    ));
    cleaned.extend(f.remove(
        "a",
        Criteria {
            id: Some("4 n 0"),
            ..Criteria::default()
        },
    ));
    assert_eq!(
        cleaned,
        [r#"clean {"id":"1 n 0","reasons":[],"time":1,"added":1}"#]
    );
    f.both(&["2", "3"]);
    assert_eq!(
        f.meta("2 n 0"),
        r#"{"id":"2 n 0","reasons":["a"],"time":2,"added":2}"#
    );
}

#[test]
fn a_duplicate_reason_is_removed_once_per_call() {
    let mut f = Fixture::new();
    f.add("1", r#"{"id":"1 n 0","reasons":["a","a"]}"#);
    assert!(f.remove("a", Criteria::default()).is_empty());
    assert_eq!(
        f.meta("1 n 0"),
        r#"{"id":"1 n 0","reasons":["a"],"time":1,"added":1}"#
    );
    assert_eq!(f.remove("a", Criteria::default()).len(), 1);
}

#[test]
fn last_added_survives_removals() {
    let mut f = three();
    assert_eq!(f.log.last_added(), 3);
    f.remove(
        "a",
        Criteria {
            min_added: Some(2),
            ..Criteria::default()
        },
    );
    assert_eq!(f.log.last_added(), 3);
    f.add("4", r#"{"id":"4 n 0","reasons":["a"]}"#);
    assert_eq!(
        f.meta("4 n 0"),
        r#"{"id":"4 n 0","reasons":["a"],"time":4,"added":4}"#
    );
    f.add("x", r#"{"id":"1 n 0","reasons":["a"]}"#);
    assert_eq!(
        f.log.last_added(),
        4,
        "an ignored duplicate consumes no number"
    );
}

#[test]
fn keep_last_when_the_new_action_is_older_than_the_holder() {
    let mut f = Fixture::new();
    f.add("new", r#"{"id":"2 n 0","reasons":["k"]}"#);
    let events = f.add("old", r#"{"id":"1 n 0","keepLast":"k"}"#);
    assert_eq!(events.len(), 1, "only the add: nothing older holds k");
    assert_eq!(f.types(Order::Created, None), ["old", "new"]);
    assert_eq!(f.types(Order::Added, None), ["new", "old"]);
    assert_eq!(
        f.meta("1 n 0"),
        r#"{"id":"1 n 0","keepLast":"k","time":1,"reasons":["k"],"added":2}"#
    );
    let events = f.add("newest", r#"{"id":"3 n 0","keepLast":"k"}"#);
    let kinds: Vec<(&str, String)> = events
        .iter()
        .map(|e| (e.kind.name(), e.action().to_string()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("clean", r#"{"type":"old"}"#.to_string()),
            ("clean", r#"{"type":"new"}"#.to_string()),
            ("add", r#"{"type":"newest"}"#.to_string())
        ]
    );
    f.both(&["newest"]);
}

#[test]
fn keep_last_arrays_act_as_one_keep_last_each() {
    let mut f = Fixture::new();
    f.add("a", r#"{"id":"1 n 0","reasons":["x","y","z"]}"#);
    f.add("b", r#"{"id":"2 n 0","keepLast":["x","y"]}"#);
    assert_eq!(
        f.meta("1 n 0"),
        r#"{"id":"1 n 0","reasons":["z"],"time":1,"added":1}"#
    );
    assert_eq!(
        f.meta("2 n 0"),
        r#"{"id":"2 n 0","keepLast":["x","y"],"time":2,"reasons":["x","y"],"added":2}"#
    );
}

#[test]
fn keep_last_runs_even_when_the_add_is_then_ignored() {
    let mut f = Fixture::new();
    f.add("a", r#"{"id":"1 n 0","reasons":["k"]}"#);
    f.add("b", r#"{"id":"5 n 0","reasons":["r"]}"#);
    let events = f.add("dup", r#"{"id":"5 n 0","keepLast":"k"}"#);
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].kind.name(), "clean");
    f.both(&["b"]);
}

#[test]
fn reasonless_adds_with_generated_ids() {
    let mut f = Fixture::new();
    let events = f.add("a", "{}");
    let seen: Vec<(&str, String)> = events
        .iter()
        .map(|e| (e.kind.name(), e.meta().to_string()))
        .collect();
    let meta = r#"{"id":"100 gen 0","time":100,"reasons":[]}"#.to_string();
    assert_eq!(seen, [("add", meta.clone()), ("clean", meta)]);
    assert!(f.log.is_empty());
    assert_eq!(f.log.last_added(), 0);
    let events = f.add("b", "{}");
    assert!(events[0].meta().contains("\"100 gen 1\""));
}

#[test]
fn reasonless_adds_with_explicit_ids() {
    let mut f = Fixture::new();
    f.add("kept", r#"{"id":"1 n 0","reasons":["r"]}"#);
    assert!(
        f.add("again", r#"{"id":"1 n 0"}"#).is_empty(),
        "an ID in the log: ignored"
    );
    let events = f.add("new", r#"{"id":"2 n 0","reasons":[]}"#);
    assert_eq!(
        events.iter().map(|e| e.kind.name()).collect::<Vec<_>>(),
        ["add", "clean"]
    );
    f.both(&["kept"]);
    assert_eq!(f.log.last_added(), 1);
}

#[test]
fn generated_ids_continue_after_ids_of_the_node_given_explicitly() {
    let mut f = Fixture::new();
    f.add("a", r#"{"id":"500 gen 7","reasons":["r"]}"#);
    let events = f.add("b", r#"{"reasons":["r"]}"#);
    assert!(
        events[0].meta().contains("\"500 gen 8\""),
        "{}",
        events[0].meta()
    );
}

#[test]
fn bad_adds_change_nothing() {
    let reasons: Vec<String> = (0..256).map(|i| format!("\"x{i}\"")).collect();
    let too_many = format!(
        r#"{{"id":"9 z 0","time":9,"keepLast":"a","reasons":[{}]}}"#,
        reasons.join(",")
    );
    let mut f = three();
    let before: Vec<String> = f
        .log
        .entries(Order::Added, None)
        .map(|e| e.line().to_string())
        .collect();
    for (action, meta) in [
        (r#"{"name":"x"}"#, r#"{"reasons":["r"]}"#),
        (r#"{"type":1}"#, r#"{"reasons":["r"]}"#),
        (r#"[]"#, r#"{"reasons":["r"]}"#),
        (r#"{"type":"x"}"#, r#"{"reasons":"r"}"#),
        (r#"{"type":"x"}"#, r#"{"reasons":["r"],"indexes":"i"}"#),
        (r#"{"type":"x"}"#, r#"{"id":"1 n","reasons":["r"]}"#),
        (r#"{"type":"x"}"#, r#"{"keepLast":5,"reasons":["r"]}"#),
        (r#"{"type":"x"}"#, r#"{"time":"now","keepLast":"a"}"#),
        // Found by the operations fuzzer: `keepLast` took its reason off
        // older entries before the add failed on too many reasons.
        (r#"{"type":"x"}"#, too_many.as_str()),
    ] {
        let result = f
            .log
            .add(action, MetaText::parse(meta).unwrap(), &mut f.ids, 1);
        assert!(
            matches!(result, Err(Error::Input(_) | Error::Invalid(_))),
            "{action} {meta}: {result:?}"
        );
    }
    let after: Vec<String> = f
        .log
        .entries(Order::Added, None)
        .map(|e| e.line().to_string())
        .collect();
    assert_eq!(before, after);
    assert_eq!(f.log.last_added(), 3);
}
