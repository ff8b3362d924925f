//! Logs on real filesystems: symbolic links and second names, the lock
//! file and what it records, devices and pipes, owners and modes, and
//! another program changing a file under a long-lived process. Tests that
//! need root (devices, other owners) say so and are skipped without it.

use std::fs;
use std::io::Write;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::harness::{
    BIN, LOG, RunningRepl, Test, actionlog, command, cut_short_append, fails, ok, run,
};

const ENTRY: &str = r#"[{"type":"a"},{"id":"1 n 0","time":1,"reasons":["r"],"added":1}]"#;

fn log_text() -> String {
    format!("{ENTRY}\n")
}

fn is_root() -> bool {
    // SAFETY: geteuid only reads the process's user ID.
    unsafe { libc::geteuid() == 0 }
}

/// Whether a test that needs root can run; says why not when it cannot.
fn root_or_skip(test: &str) -> bool {
    if !is_root() {
        eprintln!("{test}: skipped, it needs root (devices, other owners)");
    }
    is_root()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn make_node(path: &Path, mode: libc::mode_t, device: libc::dev_t) {
    let name = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: a valid C string; mknod only makes a file.
    let made = unsafe { libc::mknod(name.as_ptr(), mode, device) };
    assert_eq!(made, 0, "mknod {}", path.display());
}

fn char_device(path: &Path, major: u32, minor: u32) {
    make_node(path, libc::S_IFCHR | 0o666, libc::makedev(major, minor));
}

fn fifo(path: &Path) {
    make_node(path, libc::S_IFIFO | 0o644, 0);
}

fn chown(path: &Path, uid: u32, gid: u32) {
    std::os::unix::fs::chown(path, Some(uid), Some(gid)).unwrap();
}

// Symbolic links and second names.

#[test]
fn a_log_reached_through_a_symlink_stays_one_file_behind_the_link() {
    let test = Test::new();
    let dir = test.path();
    fs::create_dir(dir.join("real")).unwrap();
    fs::write(dir.join("real/log.jsonl"), log_text()).unwrap();
    std::os::unix::fs::symlink("real/log.jsonl", dir.join("link.jsonl")).unwrap();
    std::os::unix::fs::symlink("real", dir.join("folder")).unwrap();

    ok(
        dir,
        &[
            "--log",
            "link.jsonl",
            "add",
            r#"{"type":"b"}"#,
            "--reason",
            "r",
        ],
    );
    // A rewrite replaces the real file; the link stays a link to it.
    ok(
        dir,
        &[
            "--log",
            "folder/log.jsonl",
            "remove-reason",
            "r",
            "--id",
            "1 n 0",
        ],
    );
    assert!(
        fs::symlink_metadata(dir.join("link.jsonl"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let real = fs::read_to_string(dir.join("real/log.jsonl")).unwrap();
    assert!(!real.contains("\"1 n 0\""), "{real}");
    assert!(real.contains(r#"{"type":"b"}"#), "{real}");
    // One lock, beside the real file.
    assert!(dir.join("real/log.jsonl.lock").exists());
    assert!(!dir.join("link.jsonl.lock").exists());
    assert!(!dir.join("folder.lock").exists());
    assert_eq!(
        ok(dir, &["--log", "link.jsonl", "order"]),
        ok(dir, &["--log", "real/log.jsonl", "order"])
    );
}

#[test]
fn a_link_to_a_log_not_made_yet_makes_it_where_it_points() {
    let test = Test::new();
    let dir = test.path();
    std::os::unix::fs::symlink("made.jsonl", dir.join("link.jsonl")).unwrap();
    ok(
        dir,
        &[
            "--log",
            "link.jsonl",
            "add",
            r#"{"type":"b"}"#,
            "--reason",
            "r",
        ],
    );
    assert!(
        fs::read_to_string(dir.join("made.jsonl"))
            .unwrap()
            .contains(r#"{"type":"b"}"#)
    );
    std::os::unix::fs::symlink("made-whole.jsonl", dir.join("whole.jsonl")).unwrap();
    ok(dir, &["--log", "whole.jsonl", "synced", "--sent", "1"]);
    for link in ["link.jsonl", "whole.jsonl"] {
        assert!(
            fs::symlink_metadata(dir.join(link))
                .unwrap()
                .file_type()
                .is_symlink()
        );
    }
    assert!(
        fs::read_to_string(dir.join("made-whole.jsonl"))
            .unwrap()
            .contains("\"sent\":1")
    );
}

#[test]
fn writers_through_two_names_take_one_lock_and_lose_nothing() {
    let test = Test::new();
    let dir = test.path().to_path_buf();
    fs::write(dir.join(LOG), "").unwrap();
    std::os::unix::fs::symlink(LOG, dir.join("link.jsonl")).unwrap();
    const WRITERS: usize = 6;
    const EACH: usize = 30;
    std::thread::scope(|scope| {
        for writer in 0..WRITERS {
            let dir = &dir;
            scope.spawn(move || {
                let name = if writer % 2 == 0 { LOG } else { "link.jsonl" };
                for i in 0..EACH {
                    let action = format!(r#"{{"type":"w","writer":{writer},"i":{i}}}"#);
                    // One node and one pinned clock for all: only the lock
                    // keeps their IDs apart.
                    ok(dir, &["--log", name, "add", &action, "--reason", "r"]);
                }
            });
        }
    });
    let entries = ok(&dir, &["order"]);
    assert_eq!(entries.lines().count(), WRITERS * EACH, "{entries}");
    ok(&dir, &["check"]);
}

// The lock file and its records.

#[test]
fn a_symlink_at_the_lock_files_name_is_never_followed() {
    for target in ["victim.txt", "missing.txt"] {
        let test = Test::new().log(&log_text()).file("victim.txt", "keep me\n");
        std::os::unix::fs::symlink(target, test.path().join("actionlog.jsonl.lock")).unwrap();
        for args in [
            vec!["add", r#"{"type":"b"}"#, "--reason", "r"],
            vec!["order"],
            vec!["generate-id"],
        ] {
            let output = run(test.path(), &args);
            assert_eq!(
                output.status.code(),
                Some(5),
                "{args:?}: {}",
                stderr(&output)
            );
            assert_eq!(
                stderr(&output),
                "actionlog: cannot use the lock file actionlog.jsonl.lock: it is a symbolic link, which actionlog never follows for a lock file\n"
                    .replace("actionlog.jsonl.lock", &test.path().canonicalize().unwrap().join("actionlog.jsonl.lock").display().to_string())
            );
        }
        assert_eq!(
            fs::read_to_string(test.path().join("victim.txt")).unwrap(),
            "keep me\n"
        );
        assert!(!test.path().join("missing.txt").exists());
        assert_eq!(
            fs::read_to_string(test.path().join(LOG)).unwrap(),
            log_text()
        );
    }
}

#[test]
fn a_lock_file_that_is_a_pipe_or_a_folder_is_refused_at_once() {
    let test = Test::new().log(&log_text());
    fifo(&test.path().join("actionlog.jsonl.lock"));
    let started = Instant::now();
    fails(
        test.path(),
        &["add", r#"{"type":"b"}"#, "--reason", "r"],
        5,
        "it is a pipe (FIFO), not a regular file",
    );
    assert!(started.elapsed() < Duration::from_secs(20));

    let test = Test::new().log(&log_text());
    fs::create_dir(test.path().join("actionlog.jsonl.lock")).unwrap();
    fails(
        test.path(),
        &["add", r#"{"type":"b"}"#, "--reason", "r"],
        5,
        "it is a folder, not a regular file",
    );
    assert_eq!(
        fs::read_to_string(test.path().join(LOG)).unwrap(),
        log_text()
    );
}

#[test]
fn a_record_that_does_not_prove_itself_costs_no_entry() {
    let mut big = String::new();
    for _ in 0..100_000 {
        big.push_str("not a record ");
    }
    for lock in [
        r#"{"pending append":0}"#.to_string(),
        "{\"pending append\":0,\"10:x\":\"99999999999999999 0\"}".to_string(),
        "\u{1}\u{2}garbage".to_string(),
        big,
    ] {
        let test = Test::new()
            .log(&log_text())
            .file("actionlog.jsonl.lock", &lock);
        test.args(["add", r#"{"type":"b"}"#, "--reason", "r"])
            .env("ACTIONLOG_NODE_ID", "10:x")
            .stdout(concat!(
                r#"{"event":"add","action":{"type":"b"},"meta":{"reasons":["r"],"id":"1000 10:x 0","time":1000,"added":2}}"#,
                "\n"
            ))
            .run()
            .then()
            .args(["order", "--by", "added"])
            .stdout(&format!(
                "{ENTRY}\n{}\n",
                r#"[{"type":"b"},{"reasons":["r"],"id":"1000 10:x 0","time":1000,"added":2}]"#
            ))
            .run();
    }
    // Invalid UTF-8 too.
    let test = Test::new().log(&log_text());
    fs::write(test.path().join("actionlog.jsonl.lock"), b"\xff\xfe{").unwrap();
    ok(test.path(), &["add", r#"{"type":"b"}"#, "--reason", "r"]);
    assert_eq!(ok(test.path(), &["order"]).lines().count(), 2);
}

/// A second log, longer than the first and different in every line.
fn other_log() -> String {
    (1..=300)
        .map(|i| {
            format!(
                "[{{\"type\":\"restored\",\"i\":{i}}},{{\"id\":\"{i} r 0\",\"time\":{i},\"reasons\":[\"r\"],\"added\":{i}}}]\n"
            )
        })
        .collect()
}

#[test]
fn ids_of_an_append_cut_short_never_come_again() {
    // The bulk add that was killed had made 30,000 IDs of node "cutter".
    let test = Test::new().log(&log_text());
    cut_short_append(test.path());
    let next = crate::harness::actionlog(test.path())
        .env("ACTIONLOG_NODE_ID", "cutter")
        .arg("generate-id")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(next.stdout).unwrap(),
        "1000 cutter 30000\n"
    );
    assert_eq!(ok(test.path(), &["order"]), log_text());
}

#[test]
fn an_unfinished_append_is_taken_back_only_from_the_file_it_was_made_to() {
    // The append itself: taken back.
    let test = Test::new().log(&log_text());
    let before = cut_short_append(test.path());
    ok(test.path(), &["add", r#"{"type":"b"}"#, "--reason", "r"]);
    let log = fs::read_to_string(test.path().join(LOG)).unwrap();
    assert_eq!(&log[..before as usize], log_text());
    assert_eq!(log.lines().count(), 2, "{log}");

    // The log restored from a backup in place (the same file), or put back
    // as a new file: whatever it holds stays.
    for rename in [false, true] {
        let test = Test::new().log(&log_text());
        cut_short_append(test.path());
        let restored = other_log();
        if rename {
            fs::write(test.path().join("backup"), &restored).unwrap();
            fs::rename(test.path().join("backup"), test.path().join(LOG)).unwrap();
        } else {
            fs::write(test.path().join(LOG), &restored).unwrap();
        }
        ok(test.path(), &["add", r#"{"type":"b"}"#, "--reason", "r"]);
        let log = fs::read_to_string(test.path().join(LOG)).unwrap();
        assert!(log.starts_with(&restored), "rename: {rename}");
        assert_eq!(log.lines().count(), 301);
        ok(test.path(), &["check"]);
    }

    // Another log's lock file beside this one: its record is not this
    // file's.
    let first = Test::new().log(&log_text());
    cut_short_append(first.path());
    let second = Test::new().log(&other_log());
    fs::copy(
        first.path().join("actionlog.jsonl.lock"),
        second.path().join("actionlog.jsonl.lock"),
    )
    .unwrap();
    ok(second.path(), &["add", r#"{"type":"b"}"#, "--reason", "r"]);
    assert!(
        fs::read_to_string(second.path().join(LOG))
            .unwrap()
            .starts_with(&other_log())
    );
}

#[test]
fn what_follows_a_killed_append_is_taken_back_only_if_it_is_that_append() {
    // A log restored in place from a backup that begins as the log did
    // before the append (the same file, the same bytes before it), and a
    // log whose cut-short tail another program trimmed before appending its
    // own line: what follows is not the append, and stays.
    for case in ["restored", "trimmed"] {
        let test = Test::new().log(&log_text());
        let dir = test.path();
        let before = cut_short_append(dir);
        let added = match case {
            "restored" => (2..=300)
                .map(|i| {
                    format!(
                        "[{{\"type\":\"from a backup\"}},{{\"id\":\"{i} b 0\",\"time\":{i},\"reasons\":[\"r\"],\"added\":{i}}}]\n"
                    )
                })
                .collect(),
            _ => r#"[{"type":"manual"},{"id":"5 other 0","time":5,"reasons":["r"],"added":2}]"#.to_string() + "\n",
        };
        let mut file = fs::OpenOptions::new()
            .write(true)
            .open(dir.join(LOG))
            .unwrap();
        file.set_len(before).unwrap();
        std::io::Seek::seek(&mut file, std::io::SeekFrom::End(0)).unwrap();
        file.write_all(added.as_bytes()).unwrap();
        drop(file);
        let expected = fs::read_to_string(dir.join(LOG)).unwrap();
        ok(dir, &["check"]);
        ok(dir, &["add", r#"{"type":"b"}"#, "--reason", "r"]);
        let log = fs::read_to_string(dir.join(LOG)).unwrap();
        assert!(log.starts_with(&expected), "{case}");
        ok(dir, &["check"]);
    }
}

#[test]
fn the_lock_file_stays_the_file_every_locker_locked() {
    // Any process that locked the file by its name, whatever it runs (an
    // older actionlog, flock(1)), keeps every writer out: the file is
    // never replaced, even by writing records into it.
    let test = Test::new().log(&log_text());
    let dir = test.path();
    let lock_path = dir.join("actionlog.jsonl.lock");
    ok(dir, &["generate-id"]);
    let inode = fs::metadata(&lock_path).unwrap().ino();
    for i in 0..20 {
        ok(
            dir,
            &["add", &format!(r#"{{"type":"n{i}"}}"#), "--reason", "r"],
        );
    }
    ok(dir, &["add", r#"{"type":"k"}"#, "--keep-last", "r"]);
    assert_eq!(fs::metadata(&lock_path).unwrap().ino(), inode);
    let held = fs::File::open(&lock_path).unwrap();
    held.lock().unwrap();
    let mut child = actionlog(dir)
        .args(["add", r#"{"type":"waits"}"#, "--reason", "r"])
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        child.try_wait().unwrap().is_none(),
        "the writer did not wait"
    );
    assert!(!fs::read_to_string(dir.join(LOG)).unwrap().contains("waits"));
    drop(held);
    assert!(child.wait().unwrap().success());
    assert!(fs::read_to_string(dir.join(LOG)).unwrap().contains("waits"));
}

#[test]
fn records_are_replaced_whole_even_when_the_disk_is_full() {
    let test = Test::new().log(&log_text());
    let dir = test.path();
    // Records big enough that a 1 KiB file size limit cuts a new copy short.
    for i in 0..80 {
        ok(dir, &["--node-id", &format!("writer-{i}"), "generate-id"]);
    }
    let lock = fs::read(dir.join("actionlog.jsonl.lock")).unwrap();
    assert!(lock.len() > 1024);
    let output = Command::new("sh")
        .current_dir(dir)
        .arg("-c")
        .arg(format!(
            "ulimit -f 1; exec {BIN} --node-id writer-7 generate-id"
        ))
        .env_clear()
        .env("ACTIONLOG_NOW", "1000")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(5), "{}", stderr(&output));
    assert_eq!(output.stdout, b"", "no ID is handed out unrecorded");
    assert_eq!(fs::read(dir.join("actionlog.jsonl.lock")).unwrap(), lock);
    // What was recorded before still is: IDs go on after it.
    assert_eq!(
        ok(dir, &["--node-id", "writer-7", "generate-id"]),
        "1000 writer-7 1\n"
    );
    ok(dir, &["check"]);
}

#[test]
fn a_writer_whose_lock_file_was_removed_meanwhile_saves_nothing() {
    let test = Test::new().log(&log_text());
    let dir = test.path();
    // A server's log on a named pipe: `import` holds the lock while it
    // reads it. (Standard input from a pipe is read before the lock is
    // taken.)
    let fifo = dir.join("server.log");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let child = actionlog(dir)
        .args([
            "import",
            "--from",
            "logux-server",
            "server.log",
            "--reason",
            "r",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Opening the pipe waits for the reader, which opens it once it holds
    // the lock.
    let mut pipe = fs::OpenOptions::new().write(true).open(&fifo).unwrap();
    writeln!(
        pipe,
        r#"{{"level":30,"msg":"Action was added","action":{{"type":"b"}},"meta":{{"id":"1 s:x 0","time":1,"reasons":[]}}}}"#
    )
    .unwrap();
    // Another program removes the lock file, so the next writer would
    // not wait for it.
    let lock = dir.join("actionlog.jsonl.lock");
    let started = Instant::now();
    while !lock.exists() {
        assert!(started.elapsed() < Duration::from_secs(20));
        std::thread::sleep(Duration::from_millis(5));
    }
    fs::remove_file(&lock).unwrap();
    drop(pipe);
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(5), "{}", stderr(&output));
    assert!(
        stderr(&output).contains(
            "the lock file was removed or replaced by another program while this command ran"
        ),
        "{}",
        stderr(&output)
    );
    assert_eq!(output.stdout, b"");
    assert_eq!(fs::read_to_string(dir.join(LOG)).unwrap(), log_text());
}

// IDs recorded before they are handed out.

#[test]
fn ids_a_reader_took_and_dropped_are_never_handed_out_again() {
    let test = Test::new().log(&log_text());
    let mut first_ids = Vec::new();
    for _ in 0..2 {
        let mut child = actionlog(test.path())
            .args(["generate-id", "--count", "200000"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // The reader goes away, as `head -1` does.
        let line = crate::harness::first_line(&mut child);
        assert!(child.wait().unwrap().success());
        first_ids.push(line);
    }
    assert_eq!(first_ids[0], "1000 test 0\n");
    assert_eq!(first_ids[1], "1000 test 200000\n");
    assert_eq!(ok(test.path(), &["generate-id"]), "1000 test 400000\n");
}

#[test]
fn ids_the_repl_handed_out_are_recorded_before_it_is_killed() {
    let test = Test::new().log(&log_text());
    let mut repl = RunningRepl::start(test.path(), &[]);
    repl.send("generate-id --count 3");
    let ids: String = (0..3).map(|_| repl.read_line()).collect();
    assert_eq!(ids, "1000 test 0\n1000 test 1\n1000 test 2\n");
    repl.kill();
    assert_eq!(ok(test.path(), &["generate-id"]), "1000 test 3\n");
}

// Devices and pipes.

#[test]
fn a_device_is_never_written_and_is_read_within_bounds() {
    if !root_or_skip("a_device_is_never_written_and_is_read_within_bounds") {
        return;
    }
    let test = Test::new().log(&log_text());
    let dir = test.path();
    char_device(&dir.join("null"), 1, 3);
    char_device(&dir.join("zero"), 1, 5);
    char_device(&dir.join("full"), 1, 7);
    for args in [
        vec!["--log", "null", "synced", "--sent", "1", "--received", "1"],
        vec!["--log", "null", "add", r#"{"type":"b"}"#, "--reason", "r"],
        vec!["--log", "null", "generate-id"],
        vec!["--log", "full", "remove-reason", "r"],
    ] {
        let output = run(dir, &args);
        assert_eq!(
            output.status.code(),
            Some(5),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(
            stderr(&output).contains(
                "it is a character device, not a regular file; actionlog writes only regular files"
            ),
            "{args:?}: {}",
            stderr(&output)
        );
    }
    for name in ["null", "zero", "full"] {
        assert!(
            fs::metadata(dir.join(name))
                .unwrap()
                .file_type()
                .is_char_device()
        );
        assert!(!dir.join(format!("{name}.lock")).exists());
    }
    assert_eq!(ok(dir, &["--log", "null", "order"]), "");
    let started = Instant::now();
    for args in [
        vec!["--log", "zero", "order"],
        vec!["--log", "full", "stats"],
        vec!["--rules", "zero", "order"],
        vec!["--archive", "zero", "order", "--archived"],
        vec!["merge", "zero"],
    ] {
        let output = run(dir, &args);
        assert!(!output.status.success(), "{args:?}");
        assert!(
            stderr(&output).contains("NUL byte at byte 1"),
            "{args:?}: {}",
            stderr(&output)
        );
    }
    // `check` reports what it read, up to where reading stopped.
    let output = run(dir, &["--log", "zero", "check", "--format", "table"]);
    assert_eq!(output.status.code(), Some(4));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "zero:1: a NUL byte at byte 1 (reading stopped inside this line)\nzero: 1 problem; 0 entries read\n"
    );
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
}

/// Writes `content` into the FIFO at `path` from a thread (a FIFO opens
/// only with a reader), then closes it.
fn feed(path: &Path, content: impl FnOnce(&mut fs::File) -> std::io::Result<()> + Send + 'static) {
    let path = path.to_path_buf();
    std::thread::spawn(move || {
        if let Ok(mut pipe) = fs::OpenOptions::new().write(true).open(path) {
            let _ = content(&mut pipe);
        }
    });
}

#[test]
fn a_pipe_is_read_as_a_log_and_never_written() {
    let test = Test::new().log(&log_text());
    let dir = test.path();
    fifo(&dir.join("pipe.jsonl"));
    feed(&dir.join("pipe.jsonl"), |pipe| {
        pipe.write_all(log_text().as_bytes())
    });
    assert_eq!(ok(dir, &["--log", "pipe.jsonl", "order"]), log_text());

    // Changing it is refused before it is opened: nothing waits for a writer.
    fails(
        dir,
        &[
            "--log",
            "pipe.jsonl",
            "add",
            r#"{"type":"b"}"#,
            "--reason",
            "r",
        ],
        5,
        "it is a pipe (FIFO), not a regular file",
    );

    // Merged from, as `merge <(ssh host cat log)` does.
    feed(&dir.join("pipe.jsonl"), |pipe| {
        pipe.write_all(b"[{\"type\":\"c\"},{\"id\":\"2 m 0\",\"time\":2}]\n")
    });
    ok(dir, &["merge", "pipe.jsonl", "--reason", "r"]);
    assert_eq!(ok(dir, &["order"]).lines().count(), 2);

    // An archive that is a pipe: refused, the log as it was.
    let before = fs::read(dir.join(LOG)).unwrap();
    fails(
        dir,
        &["--archive", "pipe.jsonl", "remove-reason", "r"],
        5,
        "cannot append to the archive pipe.jsonl",
    );
    assert_eq!(fs::read(dir.join(LOG)).unwrap(), before);
}

#[test]
fn what_a_pipe_gives_that_is_no_log_is_refused_at_once_or_at_the_limit() {
    let test = Test::new();
    let dir = test.path();
    fifo(&dir.join("pipe.jsonl"));
    // `yes`: refused at its first line, however long it would go on.
    feed(&dir.join("pipe.jsonl"), |pipe| {
        loop {
            pipe.write_all(&b"y\n".repeat(4096))?;
        }
    });
    let output = run(dir, &["--log", "pipe.jsonl", "order"]);
    assert_eq!(output.status.code(), Some(4));
    assert_eq!(
        stderr(&output),
        "actionlog: pipe.jsonl:1: expected an [action, meta] array\n"
    );
    // The same entry again and again: refused at its second line.
    feed(&dir.join("pipe.jsonl"), |pipe| {
        loop {
            pipe.write_all(format!("{ENTRY}\n").as_bytes())?;
        }
    });
    let output = run(dir, &["--log", "pipe.jsonl", "order"]);
    assert_eq!(
        stderr(&output),
        "actionlog: pipe.jsonl:2: duplicate ID \"1 n 0\" (first on line 1)\n"
    );
    // A log without end: read up to the limit.
    feed(&dir.join("pipe.jsonl"), |pipe| {
        for i in 1.. {
            writeln!(
                pipe,
                "[{{\"type\":\"a\"}},{{\"id\":\"{i} n 0\",\"reasons\":[\"r\"]}}]"
            )?;
        }
        Ok(())
    });
    let args: Vec<String> = ["--log", "pipe.jsonl", "order"].map(String::from).to_vec();
    let output = command(
        dir,
        &args,
        &[("ACTIONLOG_STREAM_MAX_BYTES".into(), "100000".into())],
        None,
    );
    assert_eq!(output.status.code(), Some(5));
    assert!(
        stderr(&output).starts_with("actionlog: cannot read pipe.jsonl: more than 100000 bytes"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_line_without_end_from_a_pipe_is_refused_at_its_first_byte() {
    let test = Test::new();
    let dir = test.path();
    fifo(&dir.join("pipe.jsonl"));
    feed(&dir.join("pipe.jsonl"), |pipe| {
        loop {
            pipe.write_all(&[b'y'; 1 << 16])?;
        }
    });
    let started = Instant::now();
    let output = run(dir, &["--log", "pipe.jsonl", "order"]);
    assert_eq!(
        stderr(&output),
        "actionlog: pipe.jsonl:1: expected an [action, meta] array\n"
    );
    assert!(started.elapsed() < Duration::from_secs(20));
}

// Owners and modes.

#[test]
fn a_rewrite_keeps_the_mode_and_a_new_log_gets_the_usual_one() {
    let test = Test::new().log(&log_text());
    let dir = test.path();
    fs::set_permissions(dir.join(LOG), fs::Permissions::from_mode(0o640)).unwrap();
    ok(dir, &["remove-reason", "r"]);
    assert_eq!(fs::metadata(dir.join(LOG)).unwrap().mode() & 0o7777, 0o640);
    ok(dir, &["--log", "new.jsonl", "synced", "--sent", "1"]);
    // The test runs with umask 022, as a shell usually does.
    assert_eq!(
        fs::metadata(dir.join("new.jsonl")).unwrap().mode() & 0o777,
        0o644
    );
}

#[test]
fn a_rewrite_by_root_leaves_the_log_its_owners() {
    if !root_or_skip("a_rewrite_by_root_leaves_the_log_its_owners") {
        return;
    }
    let test = Test::new().log(&log_text());
    let dir = test.path();
    chown(&dir.join(LOG), 4101, 4102);
    fs::set_permissions(dir.join(LOG), fs::Permissions::from_mode(0o660)).unwrap();
    ok(dir, &["add", r#"{"type":"b"}"#, "--keep-last", "r"]);
    let log = fs::metadata(dir.join(LOG)).unwrap();
    assert_eq!(
        (log.uid(), log.gid(), log.mode() & 0o7777),
        (4101, 4102, 0o660)
    );
    let lock = fs::metadata(dir.join("actionlog.jsonl.lock")).unwrap();
    assert_eq!(
        (lock.uid(), lock.gid(), lock.mode() & 0o777),
        (4101, 4102, 0o660)
    );
}

/// Runs actionlog in `dir` as another user, in `group` alone (root gives up
/// its other groups when it changes user).
fn run_as(dir: &Path, uid: u32, group: u32, args: &[&str]) -> Output {
    actionlog(dir)
        .args(args)
        .env("ACTIONLOG_NODE_ID", format!("user{uid}"))
        .uid(uid)
        .gid(group)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

#[test]
fn a_group_shares_a_log_in_a_shared_folder() {
    if !root_or_skip("a_group_shares_a_log_in_a_shared_folder") {
        return;
    }
    const GROUP: u32 = 4200;
    let test = Test::new();
    let dir = test.path().join("shared");
    fs::create_dir(&dir).unwrap();
    chown(&dir, 0, GROUP);
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o2775)).unwrap();
    fs::set_permissions(test.path(), fs::Permissions::from_mode(0o755)).unwrap();
    fs::write(dir.join(LOG), log_text()).unwrap();
    chown(&dir.join(LOG), 4201, GROUP);
    fs::set_permissions(dir.join(LOG), fs::Permissions::from_mode(0o664)).unwrap();
    // Root reads it first, making the lock file.
    ok(&dir, &["order"]);
    let lock = fs::metadata(dir.join("actionlog.jsonl.lock")).unwrap();
    assert_eq!((lock.gid(), lock.mode() & 0o777), (GROUP, 0o664));
    for (uid, args) in [
        (4201, vec!["add", r#"{"type":"b"}"#, "--reason", "r"]),
        (4202, vec!["add", r#"{"type":"c"}"#, "--reason", "r"]),
        (4202, vec!["remove-reason", "r", "--id", "1 n 0"]),
        (4201, vec!["add", r#"{"type":"d"}"#, "--reason", "r"]),
        (4203, vec!["generate-id"]),
    ] {
        let output = run_as(&dir, uid, GROUP, &args);
        assert!(
            output.status.success(),
            "{uid} {args:?}: {}",
            stderr(&output)
        );
    }
    let log = fs::metadata(dir.join(LOG)).unwrap();
    assert_eq!((log.gid(), log.mode() & 0o7777), (GROUP, 0o664));
    assert_eq!(ok(&dir, &["order"]).lines().count(), 3);
}

#[test]
fn a_reader_that_may_not_write_the_log_makes_no_lock_file_for_it() {
    if !root_or_skip("a_reader_that_may_not_write_the_log_makes_no_lock_file_for_it") {
        return;
    }
    // A folder anyone may write to, but only a file's owner may replace or
    // remove it in (sticky), as /tmp.
    let test = Test::new();
    let dir = test.path().join("public");
    fs::create_dir(&dir).unwrap();
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o1777)).unwrap();
    fs::set_permissions(test.path(), fs::Permissions::from_mode(0o755)).unwrap();
    fs::write(dir.join(LOG), log_text()).unwrap();
    chown(&dir.join(LOG), 4301, 4301);
    fs::set_permissions(dir.join(LOG), fs::Permissions::from_mode(0o644)).unwrap();
    // Another user reads it first.
    let output = run_as(&dir, 4302, 4302, &["order"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(!dir.join("actionlog.jsonl.lock").exists());
    for args in [
        vec!["add", r#"{"type":"b"}"#, "--reason", "r"],
        vec!["generate-id"],
        vec!["remove-reason", "r", "--id", "1 n 0"],
    ] {
        let output = run_as(&dir, 4301, 4301, &args);
        assert!(output.status.success(), "{args:?}: {}", stderr(&output));
    }
    // The owner's lock file: the other user reads under it.
    let output = run_as(&dir, 4302, 4302, &["order"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(String::from_utf8_lossy(&output.stdout).lines().count(), 1);
}

#[test]
fn a_log_in_a_folder_this_user_may_not_write_can_still_be_appended_to() {
    if !root_or_skip("a_log_in_a_folder_this_user_may_not_write_can_still_be_appended_to") {
        return;
    }
    let test = Test::new();
    let dir = test.path().join("closed");
    fs::create_dir(&dir).unwrap();
    fs::write(dir.join(LOG), log_text()).unwrap();
    chown(&dir.join(LOG), 4401, 4401);
    ok(&dir, &["order"]);
    chown(&dir.join("actionlog.jsonl.lock"), 4401, 4401);
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).unwrap();
    fs::set_permissions(test.path(), fs::Permissions::from_mode(0o755)).unwrap();
    let output = run_as(
        &dir,
        4401,
        4401,
        &["add", r#"{"type":"b"}"#, "--reason", "r"],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    // A rewrite needs a new file beside the log: a clear error.
    let before = fs::read(dir.join(LOG)).unwrap();
    let output = run_as(&dir, 4401, 4401, &["remove-reason", "r", "--id", "1 n 0"]);
    assert_eq!(output.status.code(), Some(5));
    assert!(
        stderr(&output).contains("cannot write actionlog.jsonl: Permission denied"),
        "{}",
        stderr(&output)
    );
    assert_eq!(fs::read(dir.join(LOG)).unwrap(), before);
}

// A long-lived process and a file changed under it.

fn big_log() -> String {
    (1..=8000)
        .map(|i| {
            format!(
                "[{{\"type\":\"t\",\"text\":\"{}\"}},{{\"id\":\"{i} n 0\",\"time\":{i},\"reasons\":[\"r\"],\"added\":{i}}}]\n",
                "z".repeat(150)
            )
        })
        .collect()
}

/// Cuts the file at `path` short and puts it back, again and again, from
/// a thread, as another program might, until `stop` is set.
fn flicker(path: &Path, stop: &std::sync::atomic::AtomicBool) {
    let whole = fs::read(path).unwrap();
    while !stop.load(std::sync::atomic::Ordering::Relaxed) {
        let file = fs::OpenOptions::new().write(true).open(path).unwrap();
        file.set_len(10).unwrap();
        std::thread::sleep(Duration::from_millis(2));
        std::os::unix::fs::FileExt::write_all_at(&file, &whole, 0).unwrap();
        std::thread::sleep(Duration::from_millis(2));
    }
}

#[test]
fn the_repl_reads_nothing_mapped_that_another_program_can_cut_short() {
    // `check` reads the log, `merge` another log: neither may be mapped in
    // the REPL, which lets go of its locks.
    let test = Test::new()
        .log(&big_log())
        .file("other.jsonl", &big_log().replace(" n 0\"", " o 0\""));
    let dir = test.path();
    let stop = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|scope| {
        let mut repl = RunningRepl::start(dir, &["--no-save"]);
        scope.spawn(|| flicker(&dir.join(LOG), &stop));
        scope.spawn(|| flicker(&dir.join("other.jsonl"), &stop));
        for _ in 0..15 {
            repl.send("check");
            repl.send("merge other.jsonl --reason m --dry-run");
        }
        repl.send("status");
        let (_, output) = repl.finish();
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        // Problems it may find, in a file cut short; a SIGBUS, never.
        assert!(output.status.code().is_some(), "killed by a signal");
        assert!(!stderr(&output).contains("SIGBUS"), "{}", stderr(&output));
    });
}

#[test]
fn a_name_given_to_the_log_while_the_repl_runs_keeps_the_old_version() {
    let test = Test::new().log(&log_text());
    let dir = test.path();
    let mut repl = RunningRepl::start(dir, &[]);
    repl.send(r#"add {"type":"c"} --reason r"#);
    repl.read_line();
    // A snapshot, as `cp -al` makes: a second name for the same file.
    fs::hard_link(dir.join(LOG), dir.join("snapshot.jsonl")).unwrap();
    repl.send("save");
    assert!(repl.finish().1.status.success());
    assert_eq!(
        fs::read_to_string(dir.join("snapshot.jsonl")).unwrap(),
        log_text()
    );
    assert!(
        fs::read_to_string(dir.join(LOG))
            .unwrap()
            .contains(r#"{"type":"c"}"#)
    );
}

#[test]
fn the_repl_outlives_another_program_cutting_its_log_short() {
    let test = Test::new().log(&big_log());
    let dir = test.path();
    let mut repl = RunningRepl::start(dir, &[]);
    repl.send("get \"7000 n 0\"");
    let first = repl.read_line();
    assert!(first.contains("\"7000 n 0\""), "{first}");
    // Another program, which takes no lock, cuts the file short.
    fs::OpenOptions::new()
        .write(true)
        .open(dir.join(LOG))
        .unwrap()
        .set_len(100)
        .unwrap();
    repl.send("get \"7999 n 0\"");
    repl.send(r#"add {"type":"b"} --reason r"#);
    repl.send("save");
    let (rest, output) = repl.finish();
    assert!(rest.contains("\"7999 n 0\""), "{rest}");
    // Its changes are not saved over the file it no longer knows.
    assert_eq!(output.status.code(), Some(6), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("changed on disk since it was read"),
        "{}",
        stderr(&output)
    );
    assert_eq!(fs::metadata(dir.join(LOG)).unwrap().len(), 100);
}

#[test]
fn a_command_whose_mapped_log_is_cut_short_says_so() {
    // Created order maps the file: a cut kills with SIGBUS, which is caught.
    cut_short_while_read(
        &["order"],
        5,
        "actionlog: stopped: a file it was reading was cut short by another program (SIGBUS)\n",
    );
}

#[test]
fn a_command_reading_a_log_in_one_pass_says_when_it_is_cut_short() {
    // Added order reads the file in blocks, twice: a cut is found by
    // either pass, and nothing is printed from the first alone.
    cut_short_while_read(
        &["order", "--by", "added"],
        6,
        "actionlog: actionlog.jsonl changed while it was read, by a program that did not take its lock\n",
    );
}

/// Runs `args` on a big log that another program, which takes no lock,
/// cuts short meanwhile, until a run is caught reading: it must end with
/// `status` and say `message`.
fn cut_short_while_read(args: &[&str], status: i32, message: &str) {
    let log: String = big_log().repeat(20);
    let test = Test::new();
    let path = test.path().join(LOG);
    let mut delay = Duration::from_millis(5);
    for _ in 0..30 {
        fs::write(&path, &log).unwrap();
        let child = actionlog(test.path())
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .unwrap()
            .set_len(0)
            .unwrap();
        let output = child.wait_with_output().unwrap();
        if output.status.code() == Some(status) {
            assert_eq!(stderr(&output), message);
            return;
        }
        // Not caught while it read: it ended first, or began after.
        assert!(
            output.status.code().is_some(),
            "killed by a signal: {:?}",
            output.status
        );
        delay += Duration::from_millis(20);
    }
    panic!("the file was never cut short while it was read");
}

// Limits.

#[test]
fn a_clock_past_what_an_id_holds_is_refused_and_poisons_nothing() {
    let test = Test::new().log(&log_text());
    let dir = test.path();
    let args: Vec<String> = vec!["generate-id".into()];
    let output = command(
        dir,
        &args,
        &[("ACTIONLOG_NOW".into(), "9007199254740992".into())],
        None,
    );
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "actionlog: ACTIONLOG_NOW must be a whole number of milliseconds up to 9007199254740991, not \"9007199254740992\"\n"
    );
    let output = command(
        dir,
        &args,
        &[("ACTIONLOG_NOW".into(), "9007199254740991".into())],
        None,
    );
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "9007199254740991 test 0\n"
    );
    // A later clock reading is behind: IDs go on from there.
    assert_eq!(ok(dir, &["generate-id"]), "9007199254740991 test 1\n");
    ok(dir, &["add", r#"{"type":"b"}"#, "--reason", "r"]);
    ok(dir, &["check"]);
}

#[test]
fn a_counter_or_added_number_that_has_run_out_is_a_clear_error() {
    let full_counter = r#"[{"type":"a"},{"id":"1000 test 9007199254740991","time":1000,"reasons":["r"],"added":1}]"#;
    Test::new()
        .log(&format!("{full_counter}\n"))
        .args(["add", r#"{"type":"b"}"#, "--reason", "r"])
        .status(3)
        .stderr("actionlog: node \"test\" has used every counter of millisecond 1000\n")
        .log_unchanged()
        .run()
        .then()
        .env("ACTIONLOG_NOW", "1001")
        .args(["add", r#"{"type":"b"}"#, "--reason", "r"])
        .run();
    let header = "{\"actionlog\":1,\"lastAdded\":9007199254740991}\n";
    Test::new()
        .log(header)
        .args(["add", r#"{"type":"b"}"#, "--reason", "r"])
        .status(3)
        .stderr(
            "actionlog: the log has given out every added number (lastAdded is 9007199254740991)\n",
        )
        .log_unchanged()
        .run()
        .then()
        .args(["order"])
        .run();
    Test::new()
        .log("{\"actionlog\":1,\"lastAdded\":18446744073709551615}\n")
        .args(["add", r#"{"type":"b"}"#, "--reason", "r"])
        .status(4)
        .stderr("actionlog: actionlog.jsonl:1: log header: \"lastAdded\" must be a whole number up to 9007199254740991, not 18446744073709551615\n")
        .log_unchanged()
        .run();
}

#[test]
fn an_action_longer_than_an_entry_may_be_is_refused_without_reading_on() {
    let test = Test::new().log(&log_text());
    let mut child = actionlog(test.path())
        .args(["add", "--reason", "r"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let chunk = vec![b'a'; 1 << 20];
        stdin.write_all(br#"{"type":"big","text":""#)?;
        // 4 GiB and a little more: the reader stops at 4 GiB.
        for _ in 0..4097 {
            stdin.write_all(&chunk)?;
        }
        stdin.write_all(b"\"}\n")
    });
    let output = child.wait_with_output().unwrap();
    let _ = writer.join();
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    assert_eq!(
        stderr(&output),
        "actionlog: stdin line 1: input: longer than 4294967295 bytes, the most an entry may take\n"
    );
    assert_eq!(
        fs::read_to_string(test.path().join(LOG)).unwrap(),
        log_text()
    );
}

#[test]
fn order_of_many_ids_takes_each_once() {
    let mut log = String::new();
    for i in 1..=3000 {
        log.push_str(&format!(
            "[{{\"type\":\"a\"}},{{\"id\":\"{i} n 0\",\"time\":{i},\"reasons\":[\"r\"],\"added\":{i}}}]\n"
        ));
    }
    let test = Test::new().log(&log);
    let mut args = vec!["order".to_string()];
    for _ in 0..20 {
        for i in (1..=3000).rev() {
            args.push(format!("{i} n 0"));
        }
    }
    let output = command(test.path(), &args, &[], None);
    assert!(output.status.success());
    assert_eq!(String::from_utf8(output.stdout).unwrap(), log);
}

// Smaller defects.

#[test]
fn the_archive_cannot_be_the_log_or_its_lock_under_any_name() {
    for archive in [
        "actionlog.jsonl",
        "./actionlog.jsonl",
        "link.jsonl",
        "hard.jsonl",
        "actionlog.jsonl.lock",
    ] {
        let test = Test::new().log(&log_text());
        std::os::unix::fs::symlink(LOG, test.path().join("link.jsonl")).unwrap();
        fs::hard_link(test.path().join(LOG), test.path().join("hard.jsonl")).unwrap();
        ok(test.path(), &["order"]);
        let message = if archive.ends_with(".lock") {
            format!(
                "--archive {archive}: a name like that is a lock file's, which a log's writer keeps its records in"
            )
        } else {
            format!("--archive {archive} is the log itself")
        };
        test.args(["--archive", archive, "remove-reason", "r"])
            .status(2)
            .stderr(&format!("actionlog: {message}\n"))
            .log_unchanged()
            .run();
    }
    // Nor, through a link, another log's lock file or a temporary file.
    let test = Test::new().log(&log_text());
    let dir = test.path();
    ok(
        dir,
        &["--log", "y", "add", r#"{"type":"y"}"#, "--reason", "r"],
    );
    std::os::unix::fs::symlink("y.lock", dir.join("archive")).unwrap();
    std::os::unix::fs::symlink(".actionlog.jsonl.actionlog-bbbbbb.tmp", dir.join("other")).unwrap();
    fails(
        dir,
        &["--archive", "archive", "remove-reason", "r"],
        2,
        "a name like that is a lock file's",
    );
    fails(
        dir,
        &["--archive", "other", "remove-reason", "r"],
        2,
        "actionlog's own for a temporary file",
    );
    // A log reached that way is refused too.
    std::os::unix::fs::symlink(".x.actionlog-aaaaaa.tmp", dir.join("mylog")).unwrap();
    fails(
        dir,
        &["--log", "mylog", "add", r#"{"type":"p"}"#, "--reason", "r"],
        2,
        "actionlog's own for a temporary file",
    );
    assert!(!dir.join(".x.actionlog-aaaaaa.tmp").exists());
}

#[test]
fn a_log_or_archive_cannot_be_named_as_a_lock_or_a_temporary_file() {
    let test = Test::new().log(&log_text()).file("a.jsonl", &log_text());
    test.args(["--log", "a.jsonl.lock", "add", r#"{"type":"b"}"#, "--reason", "r"])
        .status(2)
        .stderr("actionlog: --log a.jsonl.lock is the lock file of the log a.jsonl\n")
        .run()
        .then()
        .args(["--archive", ".actionlog.jsonl.actionlog-abc123.tmp", "remove-reason", "r"])
        .status(2)
        .stderr("actionlog: --archive .actionlog.jsonl.actionlog-abc123.tmp: a name like that is actionlog's own for a temporary file, which a save may clear away\n")
        .log_unchanged()
        .run();
    // A file of the user's that only looks somewhat like one is left alone
    // by the next writer's clearing away.
    let ran = Test::new()
        .log(&log_text())
        .file(".actionlog.jsonl.backup.tmp", "mine\n")
        .file(".actionlog.jsonl.abcdef.tmp", "mine too\n")
        .args(["add", r#"{"type":"b"}"#, "--keep-last", "r"])
        .run();
    assert!(ran.dir.path().join(".actionlog.jsonl.backup.tmp").exists());
    assert!(ran.dir.path().join(".actionlog.jsonl.abcdef.tmp").exists());
}

#[test]
fn a_log_named_as_a_lock_file_is_never_changed() {
    // Made before the log whose lock file it would be, or reached through a
    // link to another log's lock file: refused, whichever comes first.
    let test = Test::new();
    let dir = test.path();
    fails(
        dir,
        &[
            "--log",
            "a.lock",
            "add",
            r#"{"type":"keep"}"#,
            "--reason",
            "r",
        ],
        5,
        "its file name ends in .lock, as lock files' names do",
    );
    assert!(!dir.join("a.lock").exists());
    fs::write(dir.join("x"), log_text()).unwrap();
    ok(dir, &["--log", "x", "order"]);
    std::os::unix::fs::symlink("x.lock", dir.join("y")).unwrap();
    let lock_before = fs::read(dir.join("x.lock")).unwrap();
    fails(
        dir,
        &["--log", "y", "add", r#"{"type":"b"}"#, "--reason", "r"],
        5,
        "its file name ends in .lock",
    );
    assert_eq!(fs::read(dir.join("x.lock")).unwrap(), lock_before);
    ok(
        dir,
        &["--log", "x", "add", r#"{"type":"c"}"#, "--reason", "r"],
    );
    assert_eq!(ok(dir, &["--log", "x", "order"]).lines().count(), 2);
}

#[test]
fn a_log_named_by_an_open_file_is_read_and_never_changed() {
    // /dev/stdin and /proc/self/fd/0 lead to an open file, as the
    // /dev/fd/63 of a shell's <(…) does.
    let test = Test::new();
    for name in ["/dev/stdin", "/proc/self/fd/0"] {
        Test::in_dir(tempfile::tempdir().unwrap())
            .args(["--log", name, "order"])
            .stdin(log_text())
            .stdout(&log_text())
            .run();
        let ran = Test::in_dir(tempfile::tempdir().unwrap())
            .args(["merge", name, "--reason", "m"])
            .stdin(log_text())
            .run();
        assert!(ran.log().contains("\"1 n 0\""), "{name}: {}", ran.log());
        Test::in_dir(tempfile::tempdir().unwrap())
            .args(["--log", name, "check", "--format", "table"])
            .stdin(log_text())
            .stdout(&format!("{name}: 1 entry, no problems\n"))
            .run();
        let output = command(
            test.path(),
            &[
                "--log".into(),
                name.into(),
                "add".into(),
                r#"{"type":"b"}"#.into(),
                "--reason".into(),
                "r".into(),
            ],
            &[],
            Some(log_text().as_bytes()),
        );
        assert_eq!(output.status.code(), Some(5), "{name}");
        assert!(
            stderr(&output).contains("it names a file another process opened"),
            "{}",
            stderr(&output)
        );
    }
    Test::new()
        .args([
            "--log",
            "folder/",
            "add",
            r#"{"type":"b"}"#,
            "--reason",
            "r",
        ])
        .status(5)
        .stderr("actionlog: cannot open folder/: a name ending in / names a folder, not a file\n")
        .run();
}

#[test]
fn long_and_odd_file_names_get_their_lock_and_temporary_files() {
    let test = Test::new();
    let dir = test.path();
    let long = format!("{}.jsonl", "l".repeat(249));
    assert_eq!(long.len(), 255);
    ok(
        dir,
        &["--log", &long, "add", r#"{"type":"a"}"#, "--reason", "r"],
    );
    ok(
        dir,
        &["--log", &long, "add", r#"{"type":"b"}"#, "--keep-last", "r"],
    );
    assert_eq!(ok(dir, &["--log", &long, "order"]).lines().count(), 1);
    // A name that is not UTF-8: a killed rewrite's temporary file is
    // cleared away by the next writer all the same.
    use std::os::unix::ffi::OsStrExt;
    let name = std::ffi::OsStr::from_bytes(b"log\xff.jsonl");
    let stale = std::ffi::OsStr::from_bytes(b".log\xff.jsonl.actionlog-abc123.tmp");
    fs::write(dir.join(name), log_text()).unwrap();
    fs::write(dir.join(stale), "left by a killed save").unwrap();
    let output = actionlog(dir)
        .arg("--log")
        .arg(name)
        .args(["add", r#"{"type":"b"}"#, "--reason", "r"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(!dir.join(stale).exists());
}

#[test]
fn the_repl_generates_ids_after_those_other_processes_generated_meanwhile() {
    let test = Test::new().log(&log_text());
    let dir = test.path();
    assert_eq!(ok(dir, &["generate-id"]), "1000 test 0\n");
    let mut repl = RunningRepl::start(dir, &[]);
    repl.send("generate-id");
    assert_eq!(repl.read_line(), "1000 test 1\n");
    // Meanwhile, one more process.
    assert_eq!(
        ok(dir, &["generate-id", "--count", "3"]),
        "1000 test 2\n1000 test 3\n1000 test 4\n"
    );
    repl.send(r#"add {"type":"reasonless"}"#);
    let line = repl.read_line();
    assert!(line.contains("\"1000 test 5\""), "{line}");
    assert!(repl.finish().1.status.success());
    assert_eq!(ok(dir, &["generate-id"]), "1000 test 6\n");
}

#[test]
fn the_repl_and_a_one_shot_command_never_hand_out_one_id_twice() {
    let test = Test::new().log(&log_text());
    let dir = test.path();
    ok(dir, &["order"]);
    let mut repl = RunningRepl::start(dir, &[]);
    let mut handed_out = Vec::new();
    for _ in 0..5 {
        // Both wait for a reader to let go, then race for the lock.
        let reader = fs::File::open(dir.join("actionlog.jsonl.lock")).unwrap();
        reader.lock_shared().unwrap();
        let one_shot = actionlog(dir)
            .args(["generate-id"])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        repl.send("generate-id");
        std::thread::sleep(Duration::from_millis(100));
        drop(reader);
        handed_out.push(repl.read_line());
        handed_out.push(String::from_utf8(one_shot.wait_with_output().unwrap().stdout).unwrap());
    }
    // An action without reasons, shown and never stored: its ID is taken
    // too, even if the REPL is killed.
    repl.send(r#"add {"type":"shown"}"#);
    let line = repl.read_line();
    let shown = line
        .split("\"id\":\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    handed_out.push(format!("{shown}\n"));
    repl.kill();
    handed_out.push(ok(dir, &["generate-id"]));
    let mut unique = handed_out.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), handed_out.len(), "{handed_out:?}");
}

#[test]
fn a_lock_file_with_another_name_or_content_of_its_own_loses_nothing() {
    // A lock file's name hard-linked to another log: refused, that log
    // untouched.
    let test = Test::new().file("m.jsonl", &log_text());
    let dir = test.path();
    fs::hard_link(dir.join("m.jsonl"), dir.join("l.jsonl.lock")).unwrap();
    fails(
        dir,
        &[
            "--log",
            "l.jsonl",
            "add",
            r#"{"type":"l"}"#,
            "--reason",
            "r",
        ],
        5,
        "it has other names (hard links)",
    );
    assert_eq!(fs::read_to_string(dir.join("m.jsonl")).unwrap(), log_text());
    // A file of someone else's at the lock file's name (a log named
    // `flake` beside a `flake.lock`): kept as it is, records after it.
    let foreign = "{\n  \"nodes\": {}, \"version\": 7\n}\n";
    fs::write(dir.join("flake.lock"), foreign).unwrap();
    ok(
        dir,
        &["--log", "flake", "add", r#"{"type":"a"}"#, "--reason", "r"],
    );
    ok(dir, &["--log", "flake", "generate-id"]);
    assert!(
        fs::read_to_string(dir.join("flake.lock"))
            .unwrap()
            .starts_with(foreign)
    );
    assert_eq!(ok(dir, &["--log", "flake", "generate-id"]), "1000 test 2\n");
}

#[test]
fn check_writes_no_repaired_copy_where_a_writer_would_clear_it_away() {
    let test = Test::new().log(&log_text());
    let dir = test.path();
    std::os::unix::fs::symlink("nowhere.jsonl", dir.join("dangling.jsonl")).unwrap();
    for (output, message) in [
        (
            "other.jsonl.lock",
            "a name like that is a lock file's or a temporary file's",
        ),
        (
            ".other.jsonl.actionlog-abc123.tmp",
            "a name like that is a lock file's or a temporary file's",
        ),
        ("dangling.jsonl", "dangling.jsonl already exists"),
    ] {
        fails(dir, &["check", "--repair", "--output", output], 2, message);
    }
    assert!(!dir.join("nowhere.jsonl").exists());
}

#[test]
fn odd_environments_are_read_as_a_user_would_mean_them() {
    // A user name no ID may hold: the default node ID is made of it
    // anyway.
    let test = Test::new().log(&log_text());
    let output = actionlog(test.path())
        .env_remove("ACTIONLOG_NODE_ID")
        .env("USER", "a\u{1b}b c")
        .args(["generate-id"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(String::from_utf8_lossy(&output.stdout).starts_with("1000 a-b-c:"));
    // An empty variable is an unset one.
    let output = actionlog(test.path())
        .env("ACTIONLOG_FILE", "")
        .env("ACTIONLOG_RULES", "")
        .args(["order"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&output.stdout), log_text());
    Test::new()
        .args(["order"])
        .env("ACTIONLOG_PROGRESS_MIN_BYTES", "abc")
        .status(2)
        .stderr("actionlog: ACTIONLOG_PROGRESS_MIN_BYTES must be a whole number of bytes, not \"abc\"\n")
        .run();
    if is_root() {
        // A file in /proc: read (it is no log), without a lock file.
        fails(
            test.path(),
            &["--log", "/proc/self/status", "order"],
            4,
            "/proc/self/status:1:",
        );
    }
}

#[test]
fn of_two_types_the_last_is_the_actions_as_json_parse_reads_it() {
    let log = concat!(
        r#"[{"type":"a","type":"b"},{"id":"1 n 0","time":1,"reasons":["r"],"added":1}]"#,
        "\n"
    );
    let ran = Test::new().log(log).args(["order", "--type", "b"]).run();
    assert_eq!(ran.stdout, log);
    Test::new()
        .args(["add", r#"{"type":1,"type":"b"}"#, "--reason", "r"])
        .run();
    Test::new()
        .args(["add", r#"{"type":"b","type":1}"#, "--reason", "r"])
        .status(3)
        .stderr("actionlog: action \"type\" must be a string\n")
        .run();
}

#[test]
fn a_repl_whose_log_was_moved_away_hands_out_no_id() {
    let test = Test::new().log(&log_text());
    let dir = test.path();
    let mut repl = RunningRepl::start(dir, &[]);
    repl.send("generate-id");
    assert_eq!(repl.read_line(), "1000 test 0\n");
    // The log and its lock file moved, a link left at the name.
    fs::create_dir(dir.join("data")).unwrap();
    fs::rename(dir.join(LOG), dir.join("data").join(LOG)).unwrap();
    fs::rename(
        dir.join("actionlog.jsonl.lock"),
        dir.join("data/actionlog.jsonl.lock"),
    )
    .unwrap();
    std::os::unix::fs::symlink("data/actionlog.jsonl", dir.join(LOG)).unwrap();
    repl.send("generate-id --count 2");
    repl.send(r#"add {"type":"noreason"}"#);
    let (printed, output) = repl.finish();
    assert_eq!(printed, "");
    assert!(
        stderr(&output).contains("cannot change actionlog.jsonl: it is a symbolic link"),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        ok(dir, &["generate-id", "--count", "2"]),
        "1000 test 1\n1000 test 2\n"
    );
}

#[test]
fn ids_recorded_elsewhere_or_by_an_older_version_are_a_floor() {
    // A copy of the folder: its lock file is another file, whose IDs count.
    let test = Test::new().log(&log_text());
    let dir = test.path();
    assert_eq!(
        ok(dir, &["generate-id", "--count", "3"]),
        "1000 test 0\n1000 test 1\n1000 test 2\n"
    );
    let copy = tempfile::tempdir().unwrap();
    for name in [LOG, "actionlog.jsonl.lock"] {
        fs::copy(dir.join(name), copy.path().join(name)).unwrap();
    }
    assert_eq!(ok(copy.path(), &["generate-id"]), "1000 test 3\n");
    // An older version's lock file.
    let test = Test::new().log(&log_text()).file(
        "actionlog.jsonl.lock",
        r#"{"test":"1000 5","pending append":0}"#,
    );
    assert_eq!(ok(test.path(), &["generate-id"]), "1000 test 6\n");
    assert_eq!(ok(test.path(), &["generate-id"]), "1000 test 7\n");
}

#[test]
fn a_log_at_a_lock_files_name_is_never_written_into_however_it_begins() {
    for lock in [
        format!("\u{feff}{ENTRY}\n"),
        format!("{{\"lastAdded\":1}}\n{ENTRY}\n"),
        format!("{{ \"actionlog\":1}}\n{ENTRY}\n"),
        format!("{{}}\n{ENTRY}\n"),
        format!("\n \n{ENTRY}\n"),
    ] {
        let test = Test::new().file("v", &log_text()).file("v.lock", &lock);
        fails(
            test.path(),
            &["--log", "v", "add", r#"{"type":"b"}"#, "--reason", "r"],
            5,
            "it holds a log",
        );
        assert_eq!(
            fs::read_to_string(test.path().join("v.lock")).unwrap(),
            lock
        );
    }
}

#[test]
fn a_repl_script_stops_quietly_when_its_reader_goes_away() {
    let test = Test::new().log(&log_text());
    let script = "order\n".repeat(3000);
    let mut child = actionlog(test.path())
        .args(["repl"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(script.as_bytes()));
    let first = crate::harness::first_line(&mut child);
    let output = child.wait_with_output().unwrap();
    let _ = writer.join();
    assert_eq!(first, log_text());
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stderr(&output), "");
}

#[test]
fn ctrl_c_ends_a_repl_script_and_saves_what_it_did() {
    let test = Test::new().log(&log_text());
    let mut repl = RunningRepl::start(test.path(), &[]);
    repl.send(r#"add {"type":"kept"} --reason r"#);
    repl.read_line();
    // SAFETY: kill only sends a signal to the child.
    unsafe { libc::kill(repl.child.id() as i32, libc::SIGINT) };
    let (_, output) = repl.finish();
    assert!(output.status.code().is_some(), "killed by SIGINT");
    assert!(
        fs::read_to_string(test.path().join(LOG))
            .unwrap()
            .contains("kept")
    );
}

#[test]
fn a_repl_does_not_wait_on_a_pipe_put_at_its_logs_name() {
    let test = Test::new().log(&log_text());
    let dir = test.path();
    let mut repl = RunningRepl::start(dir, &["--no-save"]);
    repl.send("status");
    repl.read_line();
    fs::remove_file(dir.join(LOG)).unwrap();
    fifo(&dir.join(LOG));
    repl.send("reload");
    let started = Instant::now();
    let (_, output) = repl.finish();
    assert!(started.elapsed() < Duration::from_secs(20));
    assert!(
        stderr(&output)
            .contains("cannot read actionlog.jsonl: it is now a pipe (FIFO), not a regular file"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_repl_script_line_that_is_not_text_fails_alone() {
    let ran = Test::new()
        .args(["repl"])
        .stdin(&b"add {\"type\":\"a\"} --reason r\n\xff\nadd {\"type\":\"b\"} --reason r\n"[..])
        .status(3)
        .stderr_contains("line 2: not text: stream did not contain valid UTF-8")
        .run();
    assert_eq!(ran.log().lines().filter(|l| l.starts_with('[')).count(), 2);
}

#[test]
fn a_usage_error_shows_the_arguments_escaped() {
    let test = Test::new();
    let output = run(
        test.path(),
        &["order", "--format", "\u{1b}]0;T\u{7}red\u{9b}"],
    );
    assert_eq!(output.status.code(), Some(2));
    let shown = stderr(&output);
    assert!(shown.contains("invalid value"), "{shown:?}");
    assert!(shown.contains("red\\u{9b}"), "{shown:?}");
    assert!(!shown.contains(['\u{1b}', '\u{7}', '\u{9b}']), "{shown:?}");
}

#[test]
fn a_node_id_too_long_to_record_is_refused() {
    Test::new()
        .args(["generate-id"])
        .env("ACTIONLOG_NODE_ID", &"n".repeat(1025))
        .status(2)
        .stderr("actionlog: --node-id: 1025 bytes; a node ID may have at most 1024\n")
        .run();
}

#[test]
fn remove_reason_refuses_an_id_that_is_not_one() {
    Test::new()
        .log(&log_text())
        .args(["remove-reason", "r", "--id", "not an id"])
        .status(3)
        .stderr("actionlog: --id: invalid action ID \"not an id\": the time must be a whole number of milliseconds\n")
        .log_unchanged()
        .run();
}

#[test]
fn text_that_would_steer_a_terminal_is_shown_escaped() {
    Test::new()
        .args(["generate-id"])
        .env("ACTIONLOG_NODE_ID", "evil\u{1b}[2J")
        .status(2)
        .stderr("actionlog: --node-id: \"evil\\u001b[2J\" has control or direction characters, which an ID must not hold\n")
        .run();
    let log = concat!(
        r#"[{"type":"a\u202eb"},{"id":"1 n 0","time":1,"reasons":["r\u202e"],"added":1,"a\nb":1,"c":"\u202e"}]"#,
        "\n"
    );
    let ran = Test::new()
        .log(log)
        .args(["order", "--format", "table", "--color", "never"])
        .run();
    assert!(!ran.stdout.contains('\u{202e}'), "{}", ran.stdout);
    assert!(ran.stdout.contains("a\\u{202e}b"), "{}", ran.stdout);
    assert!(ran.stdout.contains("a\\nb: 1"), "{}", ran.stdout);
    // The key's line break makes no line of its own.
    assert!(
        !ran.stdout
            .lines()
            .any(|line| line.contains("│ b: 1") || line.contains("┆ b: 1")),
        "{}",
        ran.stdout
    );
}

#[test]
fn json_shown_on_a_terminal_escapes_what_would_steer_it() {
    // U+202E reverses what follows; U+009B starts a control sequence.
    let test = Test::new().log(concat!(
        "[{\"type\":\"t\u{202e}X\u{9b}31m\"},{\"id\":\"1 n 0\",\"time\":1,\"reasons\":[\"r\"],\"added\":1}]",
        "\n"
    ));
    for args in [
        &["export"][..],
        &["order", "--format", "jsonl"],
        &["get", "1 n 0", "--format", "json"],
    ] {
        let mut command = actionlog(test.path());
        command.args(args).env("TERM", "xterm");
        let options = rexpect::reader::Options::new()
            .timeout_ms(Some(10_000))
            .strip_ansi_escape_codes(false);
        let mut shown = rexpect::session::spawn_with_options(command, options).unwrap();
        let text = shown.exp_eof().unwrap();
        assert!(text.contains(r#"t\u202eX\u009b31m"#), "{args:?}: {text:?}");
        assert!(
            !text.contains('\u{202e}') && !text.contains('\u{9b}'),
            "{args:?}: {text:?}"
        );
    }
    // Piped, the bytes are the log's own.
    let ran = Test::new()
        .log(&fs::read_to_string(test.path().join(LOG)).unwrap())
        .args(["order"])
        .run();
    assert!(ran.stdout.contains('\u{202e}'));
}

#[test]
fn one_who_may_not_write_a_log_cannot_rewrite_it_through_the_folder() {
    if !root_or_skip("one_who_may_not_write_a_log_cannot_rewrite_it_through_the_folder") {
        return;
    }
    let test = Test::new();
    let dir = test.path().join("open");
    fs::create_dir(&dir).unwrap();
    fs::set_permissions(test.path(), fs::Permissions::from_mode(0o755)).unwrap();
    // A folder everyone may write, not sticky; a log only its owner may.
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o777)).unwrap();
    fs::write(dir.join(LOG), log_text()).unwrap();
    chown(&dir.join(LOG), 4301, 4301);
    fs::set_permissions(dir.join(LOG), fs::Permissions::from_mode(0o644)).unwrap();
    let before = fs::read(dir.join(LOG)).unwrap();
    for args in [
        vec!["synced", "--sent", "0", "--received", "0"],
        vec!["remove-reason", "r"],
        vec!["add", r#"{"type":"x"}"#, "--reason", "r"],
    ] {
        let output = run_as(&dir, 4302, 4302, &args);
        assert_eq!(
            output.status.code(),
            Some(5),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(
            stderr(&output).contains("Permission denied"),
            "{}",
            stderr(&output)
        );
        assert_eq!(output.stdout, b"", "{args:?}: nothing done, nothing said");
    }
    let log = fs::metadata(dir.join(LOG)).unwrap();
    assert_eq!((log.uid(), log.mode() & 0o777), (4301, 0o644));
    assert_eq!(fs::read(dir.join(LOG)).unwrap(), before);
    // Its owner still can.
    let output = run_as(
        &dir,
        4301,
        4301,
        &["add", r#"{"type":"mine"}"#, "--reason", "r"],
    );
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn synced_takes_only_added_numbers_and_says_what_it_saved() {
    let test = Test::new().log(&log_text());
    let dir = test.path();
    let before = fs::read(dir.join(LOG)).unwrap();
    fails(
        dir,
        &["synced", "--sent", "9007199254740992"],
        3,
        "--sent: an added number is at most 9007199254740991",
    );
    assert_eq!(fs::read(dir.join(LOG)).unwrap(), before);
    if !root_or_skip("synced_takes_only_added_numbers_and_says_what_it_saved") {
        return;
    }
    // A log its owner may write, in a folder where no new file can be
    // made: the rewrite fails, and nothing is printed.
    fs::set_permissions(dir, fs::Permissions::from_mode(0o755)).unwrap();
    chown(&dir.join(LOG), 4401, 4401);
    let output = run_as(dir, 4401, 4401, &["synced", "--sent", "1"]);
    assert_eq!(output.status.code(), Some(5), "{}", stderr(&output));
    assert_eq!(output.stdout, b"");
    assert_eq!(fs::read(dir.join(LOG)).unwrap(), before);
}

#[test]
fn a_stderr_that_cannot_be_written_costs_the_message_not_the_status() {
    let test = Test::new().log(&log_text());
    let full = fs::File::options().write(true).open("/dev/full").unwrap();
    let output = actionlog(test.path())
        .args(["get", "9 nobody 0"])
        .stderr(full)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn a_repl_saves_after_taking_back_an_append_that_died() {
    // The append dies before the REPL reads the log: the REPL reads the
    // part before it, and its own add takes the rest back.
    let test = Test::new().log(&log_text());
    let dir = test.path();
    let before = cut_short_append(dir);
    let output = actionlog(dir)
        .arg("repl")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            writeln!(
                child.stdin.take().unwrap(),
                r#"add {{"type":"after"}} --reason r"#
            )?;
            child.wait_with_output()
        })
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let log = fs::read_to_string(dir.join(LOG)).unwrap();
    assert_eq!(&log.as_bytes()[..before as usize], log_text().as_bytes());
    assert!(!log.contains(r#""type":"cut""#));
    assert!(log.contains(r#""type":"after""#));

    // The append dies while a REPL is open: the same.
    let test = Test::new().log(&log_text());
    let dir = test.path();
    let mut repl = RunningRepl::start(dir, &[]);
    repl.send("status");
    cut_short_append(dir);
    repl.send(r#"add {"type":"later"} --reason r"#);
    let (_, output) = repl.finish();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let log = fs::read_to_string(dir.join(LOG)).unwrap();
    assert!(!log.contains(r#""type":"cut""#));
    assert!(log.contains(r#""type":"later""#));
    ok(dir, &["check"]);
}
