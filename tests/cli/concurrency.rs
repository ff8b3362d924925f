//! Many processes changing one log at once: every entry that should be
//! there is there exactly once, `added` numbers are unique and increasing,
//! and the file reads.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::harness::{LOG, command};

const WORKERS: usize = 8;
const ACTIONS: usize = 200;

/// What worker `w` does with its action number `k`, by `k % 10`:
/// 0–4 keep it (reason `keep`, given ID), 5 keep it with a generated ID,
/// 6 add it without reasons (reported, never stored), 7 add it alone with
/// `--keep-last last/w` (only the newest stays), 8 give it only the reason
/// `tmp/w`, which the worker removes at the end, 9 keep it and mark it with
/// `change-meta`.
fn meta_of(w: usize, k: usize) -> Option<String> {
    let id = format!(r#""id":"{} w{w} 0""#, k + 1);
    match k % 10 {
        0..=4 => Some(format!(r#"{{{id},"reasons":["keep"]}}"#)),
        5 => Some(r#"{"reasons":["keep"]}"#.into()),
        6 => Some("{}".into()),
        7 => None,
        8 => Some(format!(r#"{{{id},"reasons":["tmp/{w}"]}}"#)),
        _ => Some(format!(r#"{{{id},"reasons":["keep"]}}"#)),
    }
}

fn action(w: usize, k: usize) -> String {
    format!(r#"{{"type":"t","w":{w},"k":{k}}}"#)
}

#[track_caller]
fn run(dir: &Path, w: usize, args: &[String], stdin: Option<&[u8]>) {
    let env = [("ACTIONLOG_NODE_ID".to_string(), format!("w{w}"))];
    let output = command(dir, args, &env, stdin);
    assert!(
        output.status.success(),
        "worker {w}: {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn worker(dir: &Path, w: usize) {
    let strings = |args: &[&str]| args.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    for batch in 0..ACTIONS / 20 {
        let ks = batch * 20..(batch + 1) * 20;
        let lines: String = ks
            .clone()
            .filter_map(|k| meta_of(w, k).map(|meta| format!("[{},{meta}]\n", action(w, k))))
            .collect();
        run(dir, w, &strings(&["add"]), Some(lines.as_bytes()));
        for k in ks {
            match k % 10 {
                7 => {
                    let id = format!("{} w{w} 0", k + 1);
                    let last = format!("last/{w}");
                    let args = ["add", &action(w, k), "--id", &id, "--keep-last", &last];
                    run(dir, w, &strings(&args), None);
                }
                9 => {
                    let id = format!("{} w{w} 0", k + 1);
                    let args = ["change-meta", &id, r#"{"changed":true}"#];
                    run(dir, w, &strings(&args), None);
                }
                _ => {}
            }
        }
    }
    run(
        dir,
        w,
        &strings(&["remove-reason", &format!("tmp/{w}")]),
        None,
    );
}

#[test]
fn eight_writers_lose_nothing_and_repeat_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::thread::scope(|scope| {
        for w in 0..WORKERS {
            let dir = dir.path();
            scope.spawn(move || worker(dir, w));
        }
    });

    let check = command(dir.path(), &["check".into()], &[], None);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    let text = std::fs::read_to_string(dir.path().join(LOG)).unwrap();
    let mut found: BTreeMap<(u64, u64), usize> = BTreeMap::new();
    let mut ids = BTreeSet::new();
    let mut previous_added = 0;
    for line in text.lines().skip(1) {
        let entry: serde_json::Value = serde_json::from_str(line).unwrap();
        let (action, meta) = (&entry[0], &entry[1]);
        let (w, k) = (action["w"].as_u64().unwrap(), action["k"].as_u64().unwrap());
        *found.entry((w, k)).or_default() += 1;
        assert!(
            ids.insert(meta["id"].as_str().unwrap().to_owned()),
            "{line}"
        );
        let added = meta["added"].as_u64().unwrap();
        assert!(
            added > previous_added,
            "added {added} after {previous_added}"
        );
        previous_added = added;
        if k % 10 == 9 {
            assert_eq!(meta["changed"], true, "{line}");
        }
        if k % 10 == 7 {
            assert_eq!(meta["reasons"], serde_json::json!([format!("last/{w}")]));
        }
    }
    let mut expected = BTreeMap::new();
    for w in 0..WORKERS as u64 {
        for k in 0..ACTIONS as u64 {
            let kept = match k % 10 {
                6 | 8 => false,
                7 => k == (ACTIONS as u64 / 10 - 1) * 10 + 7,
                _ => true,
            };
            if kept {
                expected.insert((w, k), 1);
            }
        }
    }
    assert_eq!(found, expected);
}
