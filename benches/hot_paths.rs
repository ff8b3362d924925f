//! Micro-benchmarks of the hot paths: parsing and comparing action IDs,
//! reading one log line, and inserting into the created order.
//!
//! `cargo bench --bench hot_paths`; `bench/run` measures whole commands.

use std::hint::black_box;

use actionlog::id::parse_action_id;
use actionlog::order::compare;
use actionlog::text::{SharedStr, Symbols};
use actionlog::{Entry, IdGenerator, Log, MetaText, OrderKey};
use criterion::{Criterion, criterion_group, criterion_main};

const LINE: &str = r#"[{"type":"message/add","channelId":"c15","userId":"154","text":"review why ship"},{"id":"1699999999344 96:03fd9263:2 0","time":1700000000002,"reasons":["channel/c15/messages","syncing"],"channels":["c15"],"indexes":["channel/c15"],"added":1}]"#;

fn ids(c: &mut Criterion) {
    c.bench_function("parse_action_id", |b| {
        b.iter(|| parse_action_id(black_box("1699999999344 96:03fd9263:2 17")).unwrap())
    });
    let (a, b_id) = (
        "1700000000002 96:03fd9263:2 0",
        "1700000000002 96:03fd9264:2 0",
    );
    let (pa, pb) = (parse_action_id(a).unwrap(), parse_action_id(b_id).unwrap());
    let (ka, kb) = (
        OrderKey::new(1.7e12, a, &pa),
        OrderKey::new(1.7e12, b_id, &pb),
    );
    c.bench_function("compare same time", |b| {
        b.iter(|| compare(black_box(&ka), black_box(&kb)))
    });
}

fn lines(c: &mut Criterion) {
    let mut symbols = Symbols::default();
    let line = SharedStr::from(LINE);
    c.bench_function("parse a log line", |b| {
        b.iter(|| Entry::parse(black_box(line.clone()), || 0, &mut symbols).unwrap())
    });
}

fn inserts(c: &mut Criterion) {
    c.bench_function("add 10k actions, newest last", |b| {
        b.iter(|| {
            let mut log = Log::new();
            let mut ids = IdGenerator::new("bench").unwrap();
            for now in 0..10_000u64 {
                let mut meta = MetaText::default();
                meta.set_raw("reasons", r#"["r"]"#);
                log.add(r#"{"type":"a"}"#, meta, &mut ids, now).unwrap();
            }
            log
        })
    });
    c.bench_function("add 10k actions, out of order", |b| {
        b.iter(|| {
            let mut log = Log::new();
            let mut ids = IdGenerator::new("bench").unwrap();
            for i in 0..10_000u64 {
                let mut meta = MetaText::default();
                meta.set_raw("reasons", r#"["r"]"#);
                // Times scattered over the log, as when offline clients sync.
                meta.set_raw("time", ((i * 7919) % 10_000).to_string());
                log.add(r#"{"type":"a"}"#, meta, &mut ids, i).unwrap();
            }
            log
        })
    });
}

criterion_group!(benches, ids, lines, inserts);
criterion_main!(benches);
