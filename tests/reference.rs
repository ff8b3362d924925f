//! Replays scenarios recorded from `@logux/core` 0.10 (see
//! tests/reference/generate.mjs) against the library: every event, with its
//! action and meta text (key order included), every changeMeta answer, the
//! created, added and index orders, and lastAdded must match.

use actionlog::{Criteria, Error, IdGenerator, Log, MetaText, Order, Place};
use serde_json::Value;

fn lines(log: &Log, order: Order, index: Option<&str>) -> Vec<String> {
    log.entries(order, index)
        .map(|e| e.line_with_added().into_owned())
        .collect()
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn the_library_does_what_logux_core_does() {
    let text = include_str!("reference/expected.json");
    let scenarios: Vec<Value> = serde_json::from_str(text).unwrap();
    assert!(scenarios.len() > 400);
    for (number, scenario) in scenarios.iter().enumerate() {
        let mut log = Log::new();
        let mut ids = IdGenerator::new("gen").unwrap();
        for (index, step) in scenario["steps"].as_array().unwrap().iter().enumerate() {
            let at = format!("scenario {number}, step {index}: {step}");
            let str_of = |key: &str| step[key].as_str().unwrap().to_owned();
            let (events, result) = match step["op"].as_str().unwrap() {
                "add" => {
                    let meta = MetaText::parse(&str_of("meta")).unwrap();
                    let now = step["now"].as_u64().unwrap();
                    (
                        log.add(&str_of("action"), meta, &mut ids, now).unwrap(),
                        None,
                    )
                }
                "changeMeta" => {
                    let diff = MetaText::parse(&str_of("diff")).unwrap();
                    match log.change_meta(&str_of("id"), &diff) {
                        Ok(events) => (events, Some(true)),
                        Err(Error::NotFound(_)) => (Vec::new(), Some(false)),
                        Err(e) => panic!("{at}: {e}"),
                    }
                }
                _ => {
                    let older = step
                        .get("olderThan")
                        .map(|v| Place::in_log(v.as_str().unwrap(), &log).unwrap());
                    let younger = step
                        .get("youngerThan")
                        .map(|v| Place::in_log(v.as_str().unwrap(), &log).unwrap());
                    let id = step.get("id").map(|v| v.as_str().unwrap().to_owned());
                    let criteria = Criteria {
                        id: id.as_deref(),
                        older_than: older.as_ref().map(Place::key),
                        younger_than: younger.as_ref().map(Place::key),
                        min_added: step.get("minAdded").and_then(Value::as_u64),
                        max_added: step.get("maxAdded").and_then(Value::as_u64),
                        ..Criteria::default()
                    };
                    (
                        log.remove_reason(&str_of("reason"), &criteria).unwrap(),
                        None,
                    )
                }
            };
            let got: Vec<Vec<String>> = events
                .iter()
                .map(|e| {
                    vec![
                        e.kind.name().to_owned(),
                        e.action().to_string(),
                        e.meta().to_string(),
                    ]
                })
                .collect();
            let expected: Vec<Vec<String>> = step["events"]
                .as_array()
                .unwrap()
                .iter()
                .map(strings)
                .collect();
            assert_eq!(got, expected, "{at}");
            if let Some(result) = result {
                assert_eq!(Some(result), step["result"].as_bool(), "{at}");
            }
        }
        let at = format!("scenario {number}");
        assert_eq!(
            lines(&log, Order::Created, None),
            strings(&scenario["created"]),
            "{at}: created"
        );
        assert_eq!(
            lines(&log, Order::Added, None),
            strings(&scenario["added"]),
            "{at}: added"
        );
        assert_eq!(
            lines(&log, Order::Created, Some("i")),
            strings(&scenario["indexI"]),
            "{at}: index i"
        );
        assert_eq!(
            log.last_added(),
            scenario["lastAdded"].as_u64().unwrap(),
            "{at}: lastAdded"
        );
    }
}
