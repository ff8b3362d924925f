//! `add-reason` and `remove-reason` with every criterion against a real
//! `@logux/core` 0.12.1 `MemoryStore` (`peers/criteria-0.12.mjs`): the same
//! entries, the same operations, the same entries cleaned in the same
//! order and the same reasons left.

use serde_json::{Value, json};

use crate::{actionlog, output, text};

/// A small generator with a fixed seed: the same scenarios every run.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn some_of<'a>(&mut self, names: &[&'a str]) -> Vec<&'a str> {
        names.iter().copied().filter(|_| self.chance(50)).collect()
    }
}

const REASONS: &[&str] = &["a", "b", "c"];
const INDEXES: &[&str] = &["x", "y"];

/// Entries with distinct times (so that both versions' created order
/// agree: 0.12 breaks ties between equal times by another rule), then
/// three operations with random criteria.
fn scenario(random: &mut Random) -> Value {
    let count = 1 + random.below(7);
    let mut times: Vec<u64> = (1..=20).collect();
    let mut entries = Vec::new();
    for k in 0..count {
        let time = times.remove(random.below(times.len()));
        let mut reasons = random.some_of(REASONS);
        if reasons.is_empty() {
            reasons.push(REASONS[random.below(REASONS.len())]);
        }
        let mut meta = json!({
            "id": format!("{time} n{} 0", k % 3),
            "time": time,
            "reasons": reasons,
        });
        let indexes = random.some_of(INDEXES);
        if !indexes.is_empty() {
            meta["indexes"] = json!(indexes);
        }
        entries.push(json!([{ "type": format!("t{k}") }, meta]));
    }
    let ids: Vec<String> = entries
        .iter()
        .map(|e| e[1]["id"].as_str().unwrap().to_owned())
        .collect();
    let metas: Vec<Value> = entries.iter().map(|e| e[1].clone()).collect();
    let mut ops = Vec::new();
    for _ in 0..3 {
        let mut criteria = json!({});
        let mut args: Vec<String> = Vec::new();
        if random.chance(25) {
            let mut chosen: Vec<String> =
                ids.iter().filter(|_| random.chance(50)).cloned().collect();
            chosen.push("99 gone 0".into());
            args.push("--ids".into());
            args.extend(chosen.iter().cloned());
            criteria["ids"] = json!(chosen);
        }
        if random.chance(15) {
            let id = &ids[random.below(ids.len())];
            args.extend(["--id".into(), id.clone()]);
            criteria["id"] = json!(id);
        }
        if random.chance(30) {
            let index = INDEXES[random.below(INDEXES.len())];
            args.extend(["--index".into(), index.into()]);
            criteria["index"] = json!(index);
        }
        if random.chance(30) {
            let index = INDEXES[random.below(INDEXES.len())];
            args.extend(["--except-index".into(), index.into()]);
            criteria["exceptIndex"] = json!(index);
        }
        for (option, key) in [
            ("--older-than", "olderThan"),
            ("--younger-than", "youngerThan"),
        ] {
            if random.chance(25) {
                let meta = &metas[random.below(metas.len())];
                args.extend([option.into(), meta["id"].as_str().unwrap().into()]);
                criteria[key] = json!({ "id": meta["id"], "time": meta["time"] });
            }
        }
        for (option, key) in [("--min-added", "minAdded"), ("--max-added", "maxAdded")] {
            if random.chance(25) {
                let added = 1 + random.below(count);
                args.extend([option.into(), added.to_string()]);
                criteria[key] = json!(added);
            }
        }
        if random.chance(50) {
            let reasons = random.some_of(&["a", "b", "k"]);
            let reasons = if reasons.is_empty() {
                vec!["k"]
            } else {
                reasons
            };
            ops.push(json!({ "op": "addReason", "reasons": reasons, "criteria": criteria, "args": args }));
        } else {
            let reason = REASONS[random.below(REASONS.len())];
            ops.push(json!({ "op": "removeReason", "reasons": [reason], "criteria": criteria, "args": args }));
        }
    }
    json!({ "entries": entries, "ops": ops })
}

/// What actionlog does with a scenario: the IDs each operation cleaned,
/// and each entry's ID and reasons after, in added order.
fn replay(scenario: &Value) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let mut log = String::new();
    for (added, entry) in scenario["entries"].as_array().unwrap().iter().enumerate() {
        let mut entry = entry.clone();
        entry[1]["added"] = json!(added + 1);
        log.push_str(&entry.to_string());
        log.push('\n');
    }
    std::fs::write(dir.path().join("log.jsonl"), log).unwrap();
    let mut cleaned = Vec::new();
    for op in scenario["ops"].as_array().unwrap() {
        let mut command = actionlog(dir.path(), "test");
        command.args(["--log", "log.jsonl", "--format", "jsonl"]);
        if op["op"] == "addReason" {
            command.arg("add-reason");
            command.args(
                op["reasons"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| r.as_str().unwrap()),
            );
        } else {
            command.args(["remove-reason", op["reasons"][0].as_str().unwrap()]);
        }
        command.args(
            op["args"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a.as_str().unwrap()),
        );
        let out = output(&mut command);
        assert!(out.status.success(), "{op}: {}", text(&out.stderr));
        let ids: Vec<Value> = text(&out.stdout)
            .lines()
            .map(|line| serde_json::from_str::<Value>(line).unwrap()["meta"]["id"].clone())
            .collect();
        cleaned.push(Value::Array(ids));
    }
    let mut command = actionlog(dir.path(), "test");
    command.args(["--log", "log.jsonl", "order", "--by", "added"]);
    let out = output(&mut command);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let entries: Vec<Value> = text(&out.stdout)
        .lines()
        .map(|line| {
            let entry: Value = serde_json::from_str(line).unwrap();
            json!([entry[1]["id"], entry[1]["reasons"]])
        })
        .collect();
    json!({ "cleaned": cleaned, "entries": entries })
}

#[test]
fn criteria_add_and_remove_reasons_as_logux_core_0_12_does() {
    let mut random = Random(0x5eed_1234_abcd);
    let scenarios: Vec<Value> = (0..150).map(|_| scenario(&mut random)).collect();
    let reference = crate::peers::core_0_12_criteria(&Value::Array(scenarios.clone()).to_string());
    let reference: Vec<Value> = serde_json::from_str(&reference).expect("the peer's JSON");
    assert_eq!(reference.len(), scenarios.len());
    let mut cleaned = 0;
    for (scenario, expected) in scenarios.iter().zip(&reference) {
        let got = replay(scenario);
        assert_eq!(&got, expected, "scenario {scenario}");
        cleaned += expected["cleaned"]
            .as_array()
            .unwrap()
            .iter()
            .map(|ids| ids.as_array().unwrap().len())
            .sum::<usize>();
    }
    // The scenarios do clean entries, so the order of cleaning was compared.
    assert!(cleaned > 50, "{cleaned} cleaned");
}
