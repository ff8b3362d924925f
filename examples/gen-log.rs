//! Writes a realistic, deterministic action log for benchmarks and tests.
//!
//! ```text
//! cargo run --release --example gen-log -- N [--seed S] [--actions]
//! ```
//!
//! N entries on stdout: a few hundred node IDs whose clocks drift (so created
//! and added order differ), about ten action types with payloads, one or two
//! reasons, some `channels`, `indexes` and `subprotocol`. With `--actions`,
//! prints bare action objects instead, one per line, for piping into `add`.

use std::io::{self, BufWriter, Write};

/// xorshift64*: small, fast and the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

const WORDS: &[&str] = &[
    "hello",
    "lunch",
    "deploy",
    "review",
    "merge",
    "ship",
    "coffee",
    "bug",
    "fixed",
    "later",
    "thanks",
    "déjà vu",
    "🍕",
    "ok",
    "why",
    "test",
];

struct Node {
    id: String,
    /// This node's clock minus the true time, in ms.
    skew: i64,
    last_ms: u64,
    counter: u64,
}

fn main() -> io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let count: u64 = args
        .first()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| {
            eprintln!("usage: gen-log N [--seed S] [--actions]");
            std::process::exit(2)
        });
    let seed = args
        .iter()
        .position(|a| a == "--seed")
        .and_then(|i| args.get(i + 1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(1u64);
    let actions_only = args.iter().any(|a| a == "--actions");
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);

    let mut nodes: Vec<Node> = (0..300)
        .map(|i| {
            let user = 1 + i % 120;
            let id = if i % 10 == 0 {
                format!("server:{:08x}", rng.next() as u32)
            } else {
                format!("{user}:{:08x}:{}", rng.next() as u32, i % 3)
            };
            Node {
                id,
                skew: rng.below(4001) as i64 - 2000,
                last_ms: 0,
                counter: 0,
            }
        })
        .collect();

    let out = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 20, out.lock());
    if !actions_only {
        writeln!(
            out,
            r#"{{"actionlog":1,"lastAdded":{count},"lastSynced":{{"sent":0,"received":0}}}}"#
        )?;
    }
    let mut now: u64 = 1_700_000_000_000;
    for added in 1..=count {
        now += rng.below(3);
        let node = &mut nodes[rng.below(300) as usize];
        let ms = (now as i64 + node.skew) as u64;
        if ms <= node.last_ms {
            node.counter += 1;
        } else {
            node.last_ms = ms;
            node.counter = 0;
        }
        let id = format!("{} {} {}", node.last_ms, node.id, node.counter);
        let user = 1 + rng.below(500);
        let channel = rng.below(40);
        let (action, reasons, extra) = match rng.below(10) {
            0..=2 => (
                format!(
                    r#"{{"type":"message/add","channelId":"c{channel}","userId":"{user}","text":"{} {} {}"}}"#,
                    rng.pick(WORDS),
                    rng.pick(WORDS),
                    rng.pick(WORDS)
                ),
                format!(r#"["channel/c{channel}/messages","syncing"]"#),
                format!(r#","channels":["c{channel}"],"indexes":["channel/c{channel}"]"#),
            ),
            3 => (
                format!(
                    r#"{{"type":"message/edit","channelId":"c{channel}","messageId":"{}","text":"{}"}}"#,
                    rng.below(1 << 20),
                    rng.pick(WORDS)
                ),
                format!(r#"["channel/c{channel}/messages"]"#),
                format!(r#","channels":["c{channel}"]"#),
            ),
            4 => (
                format!(
                    r#"{{"type":"user/rename","userId":"{user}","name":"{}"}}"#,
                    rng.pick(WORDS)
                ),
                format!(r#"["user/{user}/name"]"#),
                format!(
                    r#","keepLast":"user/{user}/name","subprotocol":"1.{}.0""#,
                    rng.below(3)
                ),
            ),
            5 => (
                format!(
                    r#"{{"type":"channel/subscribe","channelId":"c{channel}","userId":"{user}","since":{{"id":"{id}","time":{ms}}}}}"#
                ),
                r#"["syncing"]"#.to_string(),
                String::new(),
            ),
            6 => (
                format!(r#"{{"type":"logux/processed","id":"{id}"}}"#),
                r#"["syncing"]"#.to_string(),
                r#","status":"processed""#.to_string(),
            ),
            7 => (
                format!(r#"{{"type":"typing/start","channelId":"c{channel}","userId":"{user}"}}"#),
                r#"["timeTravel"]"#.to_string(),
                r#","tab":"a1""#.to_string(),
            ),
            8 => (
                format!(
                    r#"{{"type":"cart/add","userId":"{user}","item":{{"sku":"{}","qty":{},"price":{}.{:02}}}}}"#,
                    rng.below(9999),
                    1 + rng.below(5),
                    rng.below(200),
                    rng.below(100)
                ),
                format!(r#"["user/{user}/cart","syncing"]"#),
                format!(r#","indexes":["user/{user}"]"#),
            ),
            _ => (
                format!(
                    r#"{{"type":"settings/change","userId":"{user}","key":"theme","value":"{}"}}"#,
                    if rng.below(2) == 0 { "dark" } else { "light" }
                ),
                format!(r#"["user/{user}/settings"]"#),
                String::new(),
            ),
        };
        if actions_only {
            writeln!(out, "{action}")?;
        } else {
            // The server fixes each node's clock; one action in ten arrives
            // late from an offline client, so created order is not added order.
            let late = if rng.below(10) == 0 {
                rng.below(60_000) as i64
            } else {
                0
            };
            let time = ms as i64 - node.skew - late;
            writeln!(
                out,
                r#"[{action},{{"id":"{id}","time":{time},"reasons":{reasons}{extra},"added":{added}}}]"#
            )?;
        }
    }
    out.flush()
}
