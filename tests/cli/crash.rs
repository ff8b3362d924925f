//! Killing a process (SIGKILL) while it saves, at many moments: the log is
//! always the old or the new version, complete, and what the killed process
//! left behind (a temporary file, an unfinished append) does not confuse
//! the next run, which cleans it up.
//!
//! A plain `cargo test` kills each command a fixed number of times, spread
//! over a save measured once; with `ACTIONLOG_LONG_SWEEPS=1` (as `.ci/run`
//! runs it) it goes on until 50 kills have found the save under way.

use std::fs;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::harness::{LOG, actionlog, append_under_way, ok};

const ENTRIES: usize = 20_000;

/// How many kills a sweep makes.
struct Sweep {
    /// Kills at moments spread over the whole time the command takes.
    moments: u32,
    /// Kills at moments spread over the save, at least.
    into_save: u32,
    /// Kills that must find the save under way, and the most kills in all
    /// to get them.
    save_kills: u32,
    max_moments: u32,
}

impl Sweep {
    fn chosen() -> Sweep {
        if std::env::var_os("ACTIONLOG_LONG_SWEEPS").is_some_and(|v| v == "1") {
            Sweep {
                moments: 20,
                into_save: 0,
                save_kills: 50,
                max_moments: 400,
            }
        } else {
            // Each kill into the save waits to see it under way first, so
            // most find it so; one at least must, or the sweep tested
            // nothing of the save.
            Sweep {
                moments: 5,
                into_save: 10,
                save_kills: 1,
                max_moments: 15,
            }
        }
    }
}

fn big_log() -> String {
    let mut log = String::new();
    for i in 0..ENTRIES {
        log.push_str(&format!(
            r#"[{{"type":"t","n":{i},"text":"some words to make the line longer"}},{{"id":"{} n 0","time":{},"reasons":["a","b"],"added":{}}}]"#,
            i + 1,
            i + 1,
            i + 1
        ));
        log.push('\n');
    }
    log
}

fn spawn(dir: &Path, args: &[&str], stdin: Option<&Path>) -> std::process::Child {
    actionlog(dir)
        .args(args)
        .stdin(stdin.map_or(Stdio::null(), |p| Stdio::from(fs::File::open(p).unwrap())))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start actionlog")
}

fn temporaries(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".tmp"))
        .collect()
}

/// Runs `args` to the end once to learn the new version, how long it takes
/// and how long its save takes (from when `saving` first sees it under way),
/// then kills it at moments spread over the whole run and more spread over
/// the save, until enough of them have found the save under way (see
/// [`Sweep`]).
fn kill_at_many_moments(args: &[&str], stdin: Option<&str>, saving: impl Fn(&Path, usize) -> bool) {
    let Sweep {
        moments,
        into_save,
        save_kills,
        max_moments,
    } = Sweep::chosen();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(LOG);
    let old = big_log();
    let input = stdin.map(|text| {
        let input = dir.path().join("input");
        fs::write(&input, text).unwrap();
        input
    });
    let reset = || {
        fs::write(&path, &old).unwrap();
        let _ = fs::remove_file(dir.path().join(format!("{LOG}.lock")));
    };
    // Starts the command; with `into_save`, waits until its save is under
    // way (or it ended) before waiting `delay`; then kills it.
    let kill_after = |delay: Duration, into_save: bool| {
        let mut child = spawn(dir.path(), args, input.as_deref());
        if into_save {
            while !saving(dir.path(), old.len()) && child.try_wait().unwrap().is_none() {}
        }
        let start = Instant::now();
        while start.elapsed() < delay {
            std::hint::spin_loop();
        }
        let _ = child.kill();
        child.wait().unwrap()
    };

    reset();
    let started = Instant::now();
    let mut child = spawn(dir.path(), args, input.as_deref());
    while !saving(dir.path(), old.len()) && child.try_wait().unwrap().is_none() {}
    let save_started = started.elapsed();
    while saving(dir.path(), old.len()) && child.try_wait().unwrap().is_none() {}
    let save_took = started.elapsed() - save_started;
    assert!(child.wait().unwrap().success());
    let took = started.elapsed();
    let new = fs::read_to_string(&path).unwrap();
    assert_ne!(new, old);
    let (old_order, new_order) = {
        fs::write(&path, &old).unwrap();
        let old_order = ok(dir.path(), &["order", "--by", "added"]);
        fs::write(&path, &new).unwrap();
        (old_order, ok(dir.path(), &["order", "--by", "added"]))
    };

    // First moments spread over the whole run, then moments spread over the
    // save (by the golden ratio, so that they keep falling between the
    // earlier ones) until enough kills have found it under way.
    let mut caught = 0;
    let mut moment = 0;
    while moment < moments + into_save || (caught < save_kills && moment < max_moments) {
        reset();
        let in_save = moment >= moments;
        let delay = if in_save {
            save_took.mul_f64((f64::from(moment) * 0.618_033_988_7).fract())
        } else {
            took.mul_f64(1.1) * moment / moments
        };
        moment += 1;
        let status = kill_after(delay, in_save);
        if !status.success() && saving(dir.path(), old.len()) {
            caught += 1;
        }
        // Readers see the old or the new log, whole.
        let order = ok(dir.path(), &["order", "--by", "added"]);
        assert!(
            order == old_order || order == new_order,
            "moment {moment}: the log read is neither the old nor the new one"
        );
        ok(dir.path(), &["check"]);
        // The next writer takes back what was left unfinished and removes
        // stale temporary files; this one changes nothing.
        ok(dir.path(), &["remove-reason", "no-such-reason"]);
        let bytes = fs::read_to_string(&path).unwrap();
        assert!(
            bytes == old || bytes == new,
            "moment {moment}: the file is neither the old nor the new log"
        );
        assert_eq!(
            temporaries(dir.path()),
            Vec::<String>::new(),
            "moment {moment}"
        );
    }
    eprintln!(
        "{args:?}: {moment} kills, {caught} during the save (run {took:?}, save {save_took:?})"
    );
    assert!(
        caught >= save_kills,
        "only {caught} of {moment} kills found the save under way"
    );
}

#[test]
fn a_rewrite_killed_at_any_moment_leaves_the_old_or_the_new_log() {
    kill_at_many_moments(
        &["remove-reason", "a", "--max-added", "15000"],
        None,
        |dir, _| !temporaries(dir).is_empty(),
    );
}

#[test]
fn an_append_killed_at_any_moment_leaves_the_old_or_the_new_log() {
    let actions: String = (0..15_000)
        .map(|i| {
            format!(
                "[{{\"type\":\"new\",\"n\":{i},\"text\":\"appended in bulk\"}},{{\"id\":\"{} m 0\",\"reasons\":[\"c\"]}}]\n",
                i + 1
            )
        })
        .collect();
    kill_at_many_moments(&["add"], Some(&actions), |dir, old_len| {
        fs::metadata(dir.join(LOG)).is_ok_and(|m| m.len() > old_len as u64)
            && append_under_way(&dir.join(format!("{LOG}.lock")))
    });
}
