//! actionlog against the real Logux packages: `@logux/server` 0.14,
//! `@logux/client` 0.23 and `@logux/core` 0.10 (and 0.12.1's `MemoryStore`), pinned in this folder's
//! `package-lock.json` and installed with `npm ci` (done here when they are
//! missing). Each test starts its own peers on free loopback ports.

mod criteria;
mod flow;
mod import;
mod peers;
mod serve;
mod sync;
mod tls;
mod untrusted;

use std::path::Path;
use std::process::{Command, Output, Stdio};

pub const BIN: &str = env!("CARGO_BIN_EXE_actionlog");

/// The binary in `dir`, with a cleared environment but for the node ID.
pub fn actionlog(dir: &Path, node_id: &str) -> Command {
    let mut command = Command::new(BIN);
    command
        .current_dir(dir)
        .env_clear()
        .env("ACTIONLOG_NODE_ID", node_id)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

/// Runs `command` to its end.
#[track_caller]
pub fn output(command: &mut Command) -> Output {
    command.output().expect("run actionlog")
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A log's text with a header and `count` entries of node `10:cli`, the
/// `i`th with the action `action(i)`, IDs and times from 1,000,000 on.
pub fn own_log(count: u64, action: impl Fn(u64) -> String) -> String {
    let mut log = String::from("{\"actionlog\":1}\n");
    for i in 0..count {
        log.push_str(&format!(
            "[{},{{\"id\":\"{} 10:cli 0\",\"time\":{},\"reasons\":[\"r\"],\"added\":{}}}]\n",
            action(i),
            1_000_000 + i,
            1_000_000 + i,
            i + 1
        ));
    }
    log
}

#[path = "../shared/child.rs"]
mod child;
pub use child::first_line;
