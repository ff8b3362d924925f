//! The library as another crate uses it: a call made in the wrong state is
//! an error (or does nothing, where that is documented), never a panic, and
//! leaves the file as it was.

use actionlog::{Access, Criteria, Error, Event, IdGenerator, Location, Log, LogFile, MetaText};

/// Adds an action of `action_type`, kept for the reason `r`, at `now`.
fn add(log: &mut Log, action_type: &str, now: u64) -> actionlog::Result<Vec<Event>> {
    let mut ids = IdGenerator::new("1:a").unwrap();
    let meta = MetaText::parse(r#"{"reasons":["r"]}"#).unwrap();
    log.add(
        &format!(r#"{{"type":"{action_type}"}}"#),
        meta,
        &mut ids,
        now,
    )
}

/// A log file with one entry, in a temporary folder.
fn one_entry_log() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log.jsonl");
    let mut file = LogFile::open(Location::File(path.clone()), Access::Write).unwrap();
    add(file.log_mut(), "a", 1_000).unwrap();
    file.save().unwrap();
    (dir, path)
}

#[track_caller]
fn assert_not_locked_for_writing<T: std::fmt::Debug>(result: actionlog::Result<T>) {
    let error = result.unwrap_err();
    assert!(matches!(error, Error::Io { .. }), "{error:?}");
    assert!(
        error
            .to_string()
            .ends_with("the log is not locked for writing"),
        "{error}"
    );
}

#[test]
fn records_of_a_log_opened_for_reading_are_refused() {
    let (_dir, path) = one_entry_log();
    let before = std::fs::read(&path).unwrap();
    let mut file = LogFile::open(Location::File(path.clone()), Access::Read).unwrap();
    file.remember_id("1:a", (2_000, 0));
    assert_not_locked_for_writing(file.flush_records());
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn an_append_to_a_log_opened_for_reading_is_refused() {
    let (_dir, path) = one_entry_log();
    let before = std::fs::read(&path).unwrap();
    let mut file = LogFile::open(Location::File(path.clone()), Access::Read).unwrap();
    let line = br#"[{"type":"b"},{"id":"2000 1:a 0","time":2000,"reasons":["r"],"added":2}]
"#;
    let appended = file.append_lines(line.len() as u64, line, 2, &mut |out| out.write_all(line));
    assert_not_locked_for_writing(appended);
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn a_log_opened_for_reading_is_not_saved() {
    // Two readers share the lock: a rewrite by one could lose the other's.
    let (_dir, path) = one_entry_log();
    let before = std::fs::read(&path).unwrap();
    let mut file = LogFile::open(Location::File(path.clone()), Access::Read).unwrap();
    file.log_mut()
        .remove_reason("r", &Criteria::default())
        .unwrap();
    assert_not_locked_for_writing(file.save());
    assert_eq!(std::fs::read(&path).unwrap(), before);
    // An add, which a save appends, is refused too.
    let mut file = LogFile::open(Location::File(path.clone()), Access::Read).unwrap();
    add(file.log_mut(), "b", 2_000).unwrap();
    assert_not_locked_for_writing(file.save());
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn a_log_opened_for_one_command_keeps_its_lock() {
    // Its text may be read from the file in place, so the lock stays, and
    // what is written after stays correct.
    let (_dir, path) = one_entry_log();
    let mut file = LogFile::open(Location::File(path.clone()), Access::Write).unwrap();
    file.release_lock();
    add(file.log_mut(), "b", 2_000).unwrap();
    file.save().unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        text.lines().filter(|l| l.starts_with('[')).count(),
        2,
        "{text}"
    );
}

#[test]
fn added_numbers_that_run_out_are_an_error() {
    let mut log = Log::new();
    log.continue_added_after(u64::MAX);
    let added = add(&mut log, "a", 1_000);
    assert!(matches!(added, Err(Error::Input(_))), "{added:?}");
    assert!(log.is_empty());
}
