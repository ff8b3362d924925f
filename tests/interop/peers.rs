//! The real Logux peers, started for a test and stopped with it.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// This folder: the packages and the peers' scripts.
fn folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/interop")
}

/// Installs the pinned packages once, if they are not there yet.
fn ensure_installed() {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        let markers = [
            "node_modules/@logux/server/package.json",
            "node_modules/logux-core-0-12/package.json",
        ];
        if markers.iter().all(|marker| folder().join(marker).exists()) {
            return;
        }
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(folder())
            .status()
            .expect("the interop tests need Node.js and npm on the PATH");
        assert!(
            status.success(),
            "npm ci in tests/interop failed: the interop tests need the pinned Logux packages"
        );
    });
}

/// A port nothing listens on now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// A running `node` script of this folder; killed when dropped.
struct Node {
    child: Child,
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A real `@logux/server` 0.14 (`peers/logux-server.mjs`): users `U` with
/// the token `secret-U`, subprotocol 2, channels `users/:id` (its own user
/// only) and `chat/:id`, types `echo`, `chat/post`, `deny-me`. Its JSON
/// log goes to a file.
pub struct LoguxServer {
    _node: Node,
    pub port: u16,
    pub log: PathBuf,
    _dir: tempfile::TempDir,
}

impl LoguxServer {
    pub fn start() -> LoguxServer {
        LoguxServer::start_with(&[])
    }

    /// Serving wss:// with this key and certificate (PEM files).
    pub fn start_tls(key: &Path, cert: &Path) -> LoguxServer {
        LoguxServer::start_with(&[("KEY", key), ("CERT", cert)])
    }

    /// On `port`, as a server restarted where the last one was.
    pub fn start_on(port: u16) -> LoguxServer {
        LoguxServer::start_at(port, &[])
    }

    fn start_with(env: &[(&str, &Path)]) -> LoguxServer {
        LoguxServer::start_at(free_port(), env)
    }

    fn start_at(port: u16, env: &[(&str, &Path)]) -> LoguxServer {
        ensure_installed();
        let dir = tempfile::tempdir().expect("a folder for the server's log");
        let log = dir.path().join("server.log");
        let mut child = Command::new("node")
            .arg(folder().join("peers/logux-server.mjs"))
            .current_dir(folder())
            .env("PORT", port.to_string())
            .env("NODE_ENV", "development")
            .envs(env.iter().map(|(k, v)| (*k, v.as_os_str())))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).expect("the server's log"))
            .spawn()
            .expect("start node");
        let stdout = child.stdout.take().expect("the server's stdout");
        let node = Node { child };
        wait_for_line(stdout, "listening", Duration::from_secs(30));
        LoguxServer {
            _node: node,
            port,
            log,
            _dir: dir,
        }
    }

    pub fn url(&self) -> String {
        format!("ws://127.0.0.1:{}", self.port)
    }

    /// What the server logged so far.
    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).expect("read the server's log")
    }

    /// The server's "Action was added" lines' actions and metas.
    pub fn added(&self) -> Vec<(serde_json::Value, serde_json::Value)> {
        self.log_text()
            .lines()
            .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
            .filter(|line| {
                line["msg"]
                    .as_str()
                    .is_some_and(|m| m.starts_with("Action was added"))
            })
            .map(|line| (line["action"].clone(), line["meta"].clone()))
            .collect()
    }
}

/// Reads `from` in a thread until a line equal to `line` comes, for at most
/// `limit`.
fn wait_for_line(from: impl std::io::Read + Send + 'static, line: &str, limit: Duration) {
    let (tx, rx) = std::sync::mpsc::channel();
    let wanted = line.to_owned();
    std::thread::spawn(move || {
        for read in BufReader::new(from).lines() {
            let Ok(read) = read else { break };
            if read == wanted {
                let _ = tx.send(());
            }
        }
    });
    rx.recv_timeout(limit)
        .unwrap_or_else(|_| panic!("the peer did not print {line:?} within {limit:?}"));
}

/// Runs a real `@logux/core` 0.10 `ClientNode` (`peers/core-client.mjs`)
/// as `node`: it adds each action to its log, which sends it, prints every
/// action its log gets as a JSON line, and leaves after `wait_ms`.
pub fn core_client(url: &str, node: &str, token: &str, wait_ms: u64, actions: &[&str]) -> Output {
    run_node(
        "peers/core-client.mjs",
        &[url, node, token, &wait_ms.to_string()],
        actions,
    )
}

/// Runs a real `@logux/client` 0.23 (`peers/logux-client.mjs`) as `user`:
/// it sends each action with `client.sync` and waits for the server to
/// process it.
pub fn logux_client(url: &str, user: &str, actions: &[&str]) -> Output {
    run_node("peers/logux-client.mjs", &[url, user], actions)
}

/// Runs a script of this folder to its end, for at most 30 s.
fn run_node(script: &str, args: &[&str], more: &[&str]) -> Output {
    ensure_installed();
    let mut child = Command::new("node")
        .arg(folder().join(script))
        .args(args)
        .args(more)
        .current_dir(folder())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start node");
    let started = Instant::now();
    while child.try_wait().expect("wait for node").is_none() {
        if started.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("wait for node")
}

/// Replays `scenarios` (a JSON array) on a real `@logux/core` 0.12
/// `MemoryStore` (`peers/criteria-0.12.mjs`); what it printed.
pub fn core_0_12_criteria(scenarios: &str) -> String {
    ensure_installed();
    let mut child = Command::new("node")
        .arg(folder().join("peers/criteria-0.12.mjs"))
        .current_dir(folder())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start node");
    let mut stdin = child.stdin.take().expect("node's stdin");
    let input = scenarios.to_owned();
    let writer = std::thread::spawn(move || {
        use std::io::Write;
        stdin.write_all(input.as_bytes())
    });
    let out = child.wait_with_output().expect("wait for node");
    writer
        .join()
        .expect("the writer")
        .expect("scenarios written");
    assert!(
        out.status.success(),
        "node: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 from node")
}
