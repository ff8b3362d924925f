//! Random sequences of adds, meta changes and reason removals, some with
//! bad input: no panic; after every operation the log keeps its invariants
//! (see `Log::verify`); an operation that fails changes nothing.

#![no_main]

use actionlog::{Criteria, IdGenerator, Log, MetaText, Order, OrderKey, id::parse_action_id};
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
enum Op {
    Add {
        id: Option<(u8, u8, u8)>,
        time: Option<i8>,
        reasons: Vec<u8>,
        keep_last: Option<u8>,
        index: Option<u8>,
        /// Raw text for the meta instead, which may be anything.
        raw_meta: Option<String>,
        action: Option<String>,
    },
    ChangeMeta {
        pick: u8,
        reasons: Option<Vec<u8>>,
        raw: Option<(String, String)>,
    },
    RemoveReason {
        reason: u8,
        max_added: Option<u8>,
        min_added: Option<u8>,
        older_than: Option<(u8, u8, u8)>,
        id: Option<u8>,
    },
}

const NODES: [&str; 4] = ["a", "b", "a:b", "\u{FF61}"];
const REASONS: [&str; 4] = ["r", "s", "k/1", "k/2"];

fn id((ms, node, counter): (u8, u8, u8)) -> String {
    format!("{} {} {}", ms % 8, NODES[node as usize % 4], counter % 3)
}

fn reason(r: u8) -> &'static str {
    REASONS[r as usize % 4]
}

fn snapshot(log: &Log) -> Vec<String> {
    log.entries(Order::Added, None)
        .map(|e| e.line_with_added().into_owned())
        .collect()
}

fuzz_target!(|ops: Vec<Op>| {
    let mut log = Log::new();
    let mut ids = IdGenerator::new("gen").expect("a valid node ID");
    for (step, op) in ops.iter().enumerate() {
        let before = snapshot(&log);
        let result = match op {
            Op::Add { id: given, time, reasons, keep_last, index, raw_meta, action } => {
                let meta = match raw_meta {
                    Some(raw) => match MetaText::parse(raw) {
                        Ok(meta) => meta,
                        Err(_) => continue,
                    },
                    None => {
                        let mut meta = MetaText::default();
                        if let Some(given) = given {
                            meta.set_string("id", &id(*given));
                        }
                        if let Some(time) = time {
                            meta.set_raw("time", time.to_string());
                        }
                        meta.set_strings("reasons", reasons.iter().map(|&r| reason(r)));
                        if let Some(k) = keep_last {
                            meta.set_string("keepLast", reason(*k));
                        }
                        if let Some(i) = index {
                            meta.set_strings("indexes", [reason(*i)]);
                        }
                        meta
                    }
                };
                let action = action.as_deref().unwrap_or(r#"{"type":"t"}"#);
                log.add(action, meta, &mut ids, step as u64 / 2).map(drop)
            }
            Op::ChangeMeta { pick, reasons, raw } => {
                let Some(target) = log
                    .entries(Order::Added, None)
                    .nth(*pick as usize % (log.len() + 1))
                    .map(|e| e.id().to_owned())
                else {
                    continue;
                };
                let mut diff = MetaText::default();
                if let Some(reasons) = reasons {
                    diff.set_strings("reasons", reasons.iter().map(|&r| reason(r)));
                }
                if let Some((key, value)) = raw {
                    diff.set_raw(key, value.clone());
                }
                log.change_meta(&target, &diff).map(drop)
            }
            Op::RemoveReason { reason: r, max_added, min_added, older_than, id: by_id } => {
                let older = older_than.map(id);
                let parts = older.as_ref().map(|o| parse_action_id(o).expect("a valid ID"));
                let by_id = by_id.map(|i| id((i, i / 4, 0)));
                let criteria = Criteria {
                    max_added: max_added.map(u64::from),
                    min_added: min_added.map(u64::from),
                    older_than: older
                        .as_ref()
                        .zip(parts.as_ref())
                        .map(|(o, p)| OrderKey::new(p.ms as f64, o, p)),
                    id: by_id.as_deref(),
                    ..Criteria::default()
                };
                log.remove_reason(reason(*r), &criteria).map(drop)
            }
        };
        if result.is_err() {
            assert_eq!(before, snapshot(&log), "a failed {op:?} changed the log");
        }
        if let Err(broken) = log.verify() {
            panic!("after {op:?}: {broken}");
        }
    }
});
