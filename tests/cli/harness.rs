//! A small builder for end-to-end tests: a temporary folder, the real binary,
//! its arguments, environment and stdin, and what it must print, exit with
//! and leave in the log file.

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use tempfile::TempDir;

pub const BIN: &str = env!("CARGO_BIN_EXE_actionlog");

/// The log file every test works on, in the test's folder.
pub const LOG: &str = "actionlog.jsonl";

pub struct Test {
    dir: TempDir,
    args: Vec<String>,
    env: Vec<(String, String)>,
    stdin: Option<Vec<u8>>,
    stdout: Option<String>,
    stderr: Option<String>,
    stderr_contains: Vec<String>,
    status: i32,
    log_after: Option<LogAfter>,
}

enum LogAfter {
    Unchanged,
    Is(String),
}

impl Test {
    pub fn new() -> Self {
        Test {
            dir: tempfile::tempdir().expect("temporary folder"),
            args: Vec::new(),
            env: Vec::new(),
            stdin: None,
            stdout: None,
            stderr: None,
            stderr_contains: Vec::new(),
            status: 0,
            log_after: None,
        }
    }

    /// Continues in the folder of an earlier test, with its files.
    pub fn in_dir(dir: TempDir) -> Self {
        Test { dir, ..Test::new() }
    }

    /// The folder, for another test to continue in.
    pub fn into_dir(self) -> TempDir {
        self.dir
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes the log file before the run.
    pub fn log(self, content: &str) -> Self {
        self.file(LOG, content)
    }

    pub fn file(self, name: &str, content: &str) -> Self {
        self.file_bytes(name, content.as_bytes())
    }

    /// Writes the log file as bytes, which need not be UTF-8.
    pub fn log_bytes(self, content: &[u8]) -> Self {
        self.file_bytes(LOG, content)
    }

    pub fn file_bytes(self, name: &str, content: &[u8]) -> Self {
        fs::write(self.dir.path().join(name), content).expect("write a test file");
        self
    }

    pub fn args<I: IntoIterator<Item = S>, S: Into<String>>(mut self, args: I) -> Self {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.env.push((key.into(), value.into()));
        self
    }

    pub fn stdin(mut self, input: impl Into<Vec<u8>>) -> Self {
        self.stdin = Some(input.into());
        self
    }

    pub fn stdout(mut self, expected: &str) -> Self {
        self.stdout = Some(expected.into());
        self
    }

    pub fn stderr(mut self, expected: &str) -> Self {
        self.stderr = Some(expected.into());
        self
    }

    pub fn stderr_contains(mut self, part: &str) -> Self {
        self.stderr_contains.push(part.into());
        self
    }

    pub fn status(mut self, status: i32) -> Self {
        self.status = status;
        self
    }

    /// The log file must be byte for byte what it was before the run.
    pub fn log_unchanged(mut self) -> Self {
        self.log_after = Some(LogAfter::Unchanged);
        self
    }

    pub fn log_is(mut self, expected: &str) -> Self {
        self.log_after = Some(LogAfter::Is(expected.into()));
        self
    }

    /// Runs the binary, checks everything that was asked, and returns the
    /// folder and what the run printed for further checks.
    #[track_caller]
    pub fn run(self) -> Ran {
        let log_path = self.dir.path().join(LOG);
        let before = fs::read(&log_path).ok();
        let output = command(
            self.dir.path(),
            &self.args,
            &self.env,
            self.stdin.as_deref(),
        );
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        let context = format!(
            "args: {:?}\n--- stdout ---\n{stdout}--- stderr ---\n{stderr}",
            self.args
        );
        assert_eq!(
            output.status.code(),
            Some(self.status),
            "exit status\n{context}"
        );
        if let Some(expected) = &self.stdout {
            assert_eq!(&stdout, expected, "stdout\n{context}");
        }
        if let Some(expected) = &self.stderr {
            assert_eq!(&stderr, expected, "stderr\n{context}");
        }
        for part in &self.stderr_contains {
            assert!(
                stderr.contains(part.as_str()),
                "stderr lacks {part:?}\n{context}"
            );
        }
        let after = fs::read(&log_path).ok();
        match &self.log_after {
            Some(LogAfter::Unchanged) => assert!(before == after, "the log changed\n{context}"),
            Some(LogAfter::Is(expected)) => {
                let after =
                    String::from_utf8_lossy(after.as_deref().unwrap_or_default()).into_owned();
                assert_eq!(&after, expected, "log file\n{context}");
            }
            None => {}
        }
        Ran {
            dir: self.dir,
            stdout,
        }
    }
}

/// What a finished test leaves.
pub struct Ran {
    pub dir: TempDir,
    pub stdout: String,
}

impl Ran {
    pub fn log(&self) -> String {
        fs::read_to_string(self.dir.path().join(LOG)).unwrap_or_default()
    }

    /// Another run in the same folder.
    pub fn then(self) -> Test {
        Test::in_dir(self.dir)
    }
}

/// The binary, to run in `dir` with a cleared environment but for a pinned
/// node ID and clock: nothing of the user's (`ACTIONLOG_RULES`, `NO_COLOR`,
/// …) reaches it.
pub fn actionlog(dir: &Path) -> Command {
    let mut command = Command::new(BIN);
    command
        .current_dir(dir)
        .env_clear()
        .env("ACTIONLOG_NODE_ID", "test")
        .env("ACTIONLOG_NOW", "1000");
    command
}

/// Runs the binary in `dir` with `args`, as [`command`] does, without stdin.
pub fn run(dir: &Path, args: &[&str]) -> Output {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    command(dir, &args, &[], None)
}

/// [`run`], which must succeed; what it printed.
#[track_caller]
pub fn ok(dir: &Path, args: &[&str]) -> String {
    let output = run(dir, args);
    assert!(
        output.status.success(),
        "{args:?}: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// [`run`], which must fail with `status` and say `message` on stderr.
#[track_caller]
pub fn fails(dir: &Path, args: &[&str], status: i32, message: &str) -> Output {
    let output = run(dir, args);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(status), "{args:?}: {stderr}");
    assert!(stderr.contains(message), "{args:?}: {stderr}");
    output
}

/// Runs the binary in `dir` with a clean, pinned environment.
pub fn command(
    dir: &Path,
    args: &[String],
    env: &[(String, String)],
    stdin: Option<&[u8]>,
) -> Output {
    let mut command = actionlog(dir);
    command
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        });
    for (key, value) in env {
        command.env(key, value);
    }
    let mut child = command.spawn().expect("start actionlog");
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().expect("stdin pipe");
        let input = input.to_vec();
        // Write from a thread so a large input cannot deadlock with output.
        std::thread::spawn(move || {
            let _ = pipe.write_all(&input);
        });
    }
    child.wait_with_output().expect("wait for actionlog")
}

/// Leaves an append to the log in `dir` cut short, as a crash would: a bulk
/// `add` is killed (SIGKILL) once the lock file records the append and part
/// of it is on disk. Returns the length the log had before.
pub fn cut_short_append(dir: &Path) -> u64 {
    let path = dir.join(LOG);
    let lock = dir.join(format!("{LOG}.lock"));
    let before = fs::read(&path).unwrap_or_default();
    let mut input = tempfile::NamedTempFile::new().expect("a temporary input file");
    for i in 0..30_000 {
        writeln!(
            input,
            "{{\"type\":\"cut\",\"n\":{i},\"text\":\"some words to make it longer\"}}"
        )
        .unwrap();
    }
    let recorded = || append_under_way(&lock);
    for _ in 0..200 {
        fs::write(&path, &before).unwrap();
        let mut child = actionlog(dir)
            .args(["add", "--reason", "cut"])
            .env("ACTIONLOG_NODE_ID", "cutter")
            .stdin(fs::File::open(input.path()).unwrap())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start actionlog");
        loop {
            if child.try_wait().unwrap().is_some() {
                break;
            }
            let grown = fs::metadata(&path).is_ok_and(|m| m.len() > before.len() as u64);
            if grown && recorded() {
                let _ = child.kill();
                child.wait().unwrap();
                let still_grown = fs::metadata(&path).is_ok_and(|m| m.len() > before.len() as u64);
                if still_grown && recorded() {
                    return before.len() as u64;
                }
                break;
            }
        }
    }
    panic!("no kill found the append under way");
}

/// Whether the newest records in the lock file at `lock` say an append is
/// under way. The records are a journal of entries, each a line
/// `actionlog-records SEQ LEN SUM` and a body of LEN bytes; the newest is
/// the one with the highest SEQ.
pub fn append_under_way(lock: &Path) -> bool {
    let Ok(bytes) = fs::read(lock) else {
        return false;
    };
    let text = String::from_utf8_lossy(&bytes);
    let mut newest: Option<(u64, bool)> = None;
    let mut rest = text.as_ref();
    while let Some(at) = rest.find("actionlog-records ") {
        rest = &rest[at..];
        let header_end = rest.find('\n').unwrap_or(rest.len());
        let words: Vec<&str> = rest[..header_end].split(' ').collect();
        let (Some(seq), Some(len)) = (
            words.get(1).and_then(|w| w.parse::<u64>().ok()),
            words.get(2).and_then(|w| w.parse::<usize>().ok()),
        ) else {
            rest = &rest[header_end..];
            continue;
        };
        let body = rest.get(header_end + 1..header_end + 1 + len).unwrap_or("");
        if body.len() == len && newest.is_none_or(|(n, _)| seq >= n) {
            newest = Some((seq, body.contains("\"append\"")));
        }
        rest = &rest[header_end..];
    }
    newest.is_some_and(|(_, append)| append)
}

/// The REPL running in `dir` on a script fed line by line (batch mode), for
/// a test that acts between its commands.
pub struct RunningRepl {
    pub child: std::process::Child,
    stdin: Option<std::process::ChildStdin>,
    stdout: std::io::BufReader<std::process::ChildStdout>,
}

impl RunningRepl {
    /// Starts `actionlog repl` with `args` after it; stderr is kept.
    pub fn start(dir: &Path, args: &[&str]) -> RunningRepl {
        let mut child = actionlog(dir)
            .arg("repl")
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start the REPL");
        let stdin = child.stdin.take();
        let stdout = std::io::BufReader::new(child.stdout.take().expect("stdout pipe"));
        RunningRepl {
            child,
            stdin,
            stdout,
        }
    }

    /// Sends one line of the script.
    pub fn send(&mut self, line: &str) {
        let stdin = self.stdin.as_mut().expect("the script is still open");
        writeln!(stdin, "{line}").expect("write to the REPL");
    }

    /// The next line the REPL prints.
    pub fn read_line(&mut self) -> String {
        let mut line = String::new();
        std::io::BufRead::read_line(&mut self.stdout, &mut line).expect("read from the REPL");
        line
    }

    /// Ends the script and waits for the REPL: what else it printed, and
    /// how it ended.
    pub fn finish(mut self) -> (String, Output) {
        drop(self.stdin.take());
        let mut rest = String::new();
        std::io::Read::read_to_string(&mut self.stdout, &mut rest).expect("read from the REPL");
        let output = self.child.wait_with_output().expect("wait for the REPL");
        (rest, output)
    }

    /// Kills the REPL, as a crash would.
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A log of `entries` entries over 1 MiB, which `order`, `stats` and
/// `check` read compactly (the store's `LineIndex`): times out of added
/// order, nodes that sort differently as bytes and as JavaScript strings,
/// entries alike in time and node.
pub fn big_log(entries: usize) -> String {
    let nodes = ["a", "b:1", "\u{ff61}", "\u{1f600}", "z"];
    let mut log = String::from("{\"actionlog\":1,\"lastAdded\":0}\n");
    for i in 0..entries {
        log.push_str(&format!(
            "[{{\"type\":\"t{i}\",\"pad\":\"{}\"}},{{\"id\":\"{} {} {}\",\"time\":{},\"added\":{}}}]\n",
            "x".repeat(i % 300),
            1000 + i % 13,
            nodes[i % nodes.len()],
            i / 3,
            1000 + (i * 7919) % 997,
            i + 1
        ));
    }
    assert!(log.len() > 1 << 20);
    log
}

/// Actions one a line, each put in an array of its own: `add` takes those
/// one by one, where it may take the plain lines in bulk.
pub fn in_arrays(plain: &str) -> String {
    plain
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| format!("[{line}]\n"))
        .collect()
}

/// `args` and a `--since` or `--until` given as an action ID that holds
/// every entry of a [`big_log`]: a bound given as an ID stands where its
/// entry is, so the command reads the whole log, and prints what the
/// compact read must print.
pub fn read_whole<'a>(args: &[&'a str]) -> Vec<&'a str> {
    let mut whole = args.to_vec();
    if args.contains(&"--since") {
        whole.extend(["--until", "9999999 z 0"]);
    } else {
        whole.extend(["--since", "1 a 0"]);
    }
    whole
}

#[path = "../shared/child.rs"]
mod child;
pub use child::first_line;
