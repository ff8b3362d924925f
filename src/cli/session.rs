//! One run of commands against one open log: the log file, the ID generator,
//! the output, and the events waiting to be printed.
//!
//! A command run from the shell opens a session, runs, saves and prints its
//! events ([`Session::finish`]). The REPL keeps one session for many
//! commands, prints events as they happen and saves on request, without
//! holding the lock in between.

use std::io::{self, BufWriter, StdoutLock};

use actionlog::store::{Access, Hold, Location, LogFile, UnlockedEntries, Wanted};
use actionlog::{Event, EventKind, IdGenerator, Log};
use anyhow::Context;

use super::config::Config;
use super::output::Output;
use super::progress::Bar;
use super::summary::Before;
use super::terminal::Screen;

pub struct Session {
    pub config: Config,
    file: LogFile,
    writes: bool,
    /// Standard input carries REPL commands, so no command may read it.
    pub stdin_has_commands: bool,
    /// Made on first use; with the state last remembered in the lock file,
    /// to know whether IDs were generated that it must remember.
    ids: Option<(IdGenerator, (u64, u64))>,
    pending: Vec<Event>,
    /// Cleaned entries for the archive each was cleaned under (the REPL
    /// may change it between commands), written when the log is saved.
    to_archive: Vec<(std::path::PathBuf, Event)>,
    pub out: Output<Stdout>,
    /// The reasons before the command, for its summary line.
    summary: Option<Before>,
    summary_line: Option<String>,
    /// The last [`Session::write_through`] read the file again: another
    /// process had changed it.
    reloaded: bool,
    /// Standard input read to its end before the log was locked
    /// ([`prefetch_stdin`]).
    prefetched: Option<Vec<u8>>,
}

/// What a dry run puts back.
pub struct Kept {
    log: Log,
    ids: Option<(IdGenerator, (u64, u64))>,
}

/// Output goes through one buffer on standard output, made safe for a
/// terminal when it is one.
pub type Stdout = BufWriter<Screen<StdoutLock<'static>>>;

/// How much output is gathered before a write: with the default 8 KiB, the
/// events of a million entries took 48,000 `write` calls (standard output
/// also breaks each write at its last line end). Output that must show at
/// once, such as a follower's, is flushed where it is made.
const OUTPUT_BUFFER: usize = 128 * 1024;

impl Session {
    /// Locks and reads the log (an empty one for `access` `None`, for
    /// commands that do not look at it). `writes`: the log is saved at the
    /// end.
    pub fn open(config: Config, access: Option<Access>, writes: bool) -> anyhow::Result<Session> {
        Session::open_holding(config, access, writes, Hold::Throughout)
    }

    fn open_holding(
        config: Config,
        access: Option<Access>,
        writes: bool,
        hold: Hold,
    ) -> anyhow::Result<Session> {
        let file = match access {
            Some(access) => {
                let mut options = LogFile::options(access)
                    .hold(hold)
                    .stream_limit(config.stream_limit)
                    .progress(Box::new(Bar::for_stderr()));
                if config.log.is_stream() {
                    options = options.streams(
                        super::stdio::log_input()?,
                        Box::new(std::io::stdout()),
                        "standard output",
                    );
                }
                options.open(config.log.clone())?
            }
            None => LogFile::detached(config.log.clone()),
        };
        Ok(Session::with_file(config, file, writes))
    }

    /// [`Session::open`] for a command that needs only some lines of a log
    /// (a plain `add`, a `get`): reads just those from a big file, or the
    /// whole file where that cannot be done.
    pub fn open_sparse(
        config: Config,
        access: Access,
        writes: bool,
        wanted: &[Wanted],
    ) -> anyhow::Result<Session> {
        match LogFile::options(access).open_sparse(&config.log, wanted)? {
            Some(file) => Ok(Session::with_file(config, file, writes)),
            None => Session::open(config, Some(access), writes),
        }
    }

    /// [`Session::open_sparse`] for a merge that writes, with the IDs the
    /// log may share with another whose IDs' hashes are `hashes` (see
    /// [`actionlog::store::OpenOptions::open_sparse_among`]); `None` for
    /// them when the whole log was read, which then tells.
    pub fn open_sparse_among(
        config: Config,
        wanted: &[Wanted],
        hashes: &[u64],
    ) -> anyhow::Result<(Session, Option<actionlog::store::SharedIds>)> {
        match LogFile::options(Access::Write).open_sparse_among(&config.log, wanted, hashes)? {
            Some((file, ids)) => Ok((Session::with_file(config, file, true), Some(ids))),
            None => Ok((Session::open(config, Some(Access::Write), true)?, None)),
        }
    }

    fn with_file(config: Config, file: LogFile, writes: bool) -> Session {
        let out = Output::new(
            BufWriter::with_capacity(
                OUTPUT_BUFFER,
                Screen::new(io::stdout().lock(), super::terminal::stdout_is_terminal()),
            ),
            config.format,
            config.look,
        );
        Session {
            config,
            file,
            writes,
            stdin_has_commands: false,
            ids: None,
            pending: Vec::new(),
            to_archive: Vec::new(),
            out,
            summary: None,
            summary_line: None,
            reloaded: false,
            prefetched: None,
        }
    }

    /// Reads the log for the REPL, and lets go of the lock until it saves.
    pub fn open_for_repl(config: Config) -> anyhow::Result<Session> {
        // Read into memory, not mapped: the REPL lets go of the lock, and
        // another program may change the file while it runs.
        let mut session = Session::open_holding(config, Some(Access::Read), false, Hold::Released)?;
        session.file.release_lock();
        session.stdin_has_commands = true;
        Ok(session)
    }

    /// Reads the log for a command that runs a long time (`sync`), and
    /// lets go of the lock: other processes go on using the log, and the
    /// command writes its changes with [`Session::write_through`].
    pub fn open_released(config: Config) -> anyhow::Result<Session> {
        let mut session = Session::open_holding(config, Some(Access::Read), true, Hold::Released)?;
        session.file.release_lock();
        Ok(session)
    }

    /// [`Session::open_released`] reading only the lines `wanted` and the
    /// log's newest, as [`Session::open_sparse`] does: `None` where that
    /// cannot be done. Its changes are then its header's (`lastSynced`),
    /// until [`Session::read_whole_from`]; without this node's newest ID
    /// among `wanted`, it must generate no ID until then.
    pub fn open_sparse_released(
        config: Config,
        wanted: &[Wanted],
    ) -> anyhow::Result<Option<Session>> {
        let file = LogFile::options(Access::Read)
            .hold(Hold::Released)
            .stream_limit(config.stream_limit)
            .progress(Box::new(Bar::for_stderr()))
            .open_sparse(&config.log, wanted)?;
        Ok(file.map(|file| {
            let mut session = Session::with_file(config, file, true);
            session.file.release_lock();
            session
        }))
    }

    /// Whether `entries` were read from the file a session opened with
    /// [`Session::open_sparse_released`] read, as it was then.
    pub fn read_with(&self, entries: &UnlockedEntries) -> bool {
        self.file.read_with(entries)
    }

    /// Reads the whole log into a session opened with
    /// [`Session::open_sparse_released`], from the bytes `entries` were
    /// read from: the log a session that read it whole at the start holds.
    pub fn read_whole_from(&mut self, entries: &UnlockedEntries) -> anyhow::Result<()> {
        self.file.read_whole_from(entries)?;
        // Made from the log read in part, the ID generator may not know
        // this node's newest ID: made again from the whole log.
        self.ids = None;
        Ok(())
    }

    /// Changes the log on disk at once, under its write lock: reads the
    /// file again if another process changed it meanwhile (the session
    /// holds no unsaved change of its own in between), runs `change`,
    /// saves and lets go. If anything fails, the file is as it was and the
    /// log in memory is read again from it.
    pub fn write_through<T>(
        &mut self,
        change: impl FnOnce(&mut Session) -> anyhow::Result<T>,
    ) -> anyhow::Result<T> {
        self.file.relock(Access::Write)?;
        self.reloaded = false;
        let run = || {
            if self.file.ensure_unchanged().is_err() {
                self.file.reload()?;
                self.reloaded = true;
            }
            self.catch_up_on_ids();
            let value = change(self)?;
            self.save()?;
            anyhow::Ok(value)
        };
        let result = run();
        if result.is_err() {
            self.drop_events();
            self.file.reload().ok();
        }
        self.file.release_lock();
        result
    }

    /// Whether the [`Session::write_through`] under way read the file
    /// again, another process having changed it.
    pub fn reloaded(&self) -> bool {
        self.reloaded
    }

    /// Reads the file again if another process changed it since the
    /// session last read or wrote it (a session opened with
    /// [`Session::open_released`], which holds no unsaved change).
    pub fn refresh(&mut self) -> anyhow::Result<()> {
        self.file.relock(Access::Read)?;
        let read = if self.file.ensure_unchanged().is_err() {
            self.file.reload()
        } else {
            Ok(())
        };
        self.file.release_lock();
        Ok(read?)
    }

    /// How long a command holds the locks of the files it reads: the
    /// REPL lets go between commands, so it must not map what it reads.
    pub fn hold(&self) -> Hold {
        if self.stdin_has_commands {
            Hold::Released
        } else {
            Hold::Throughout
        }
    }

    pub fn log(&self) -> &Log {
        self.file.log()
    }

    /// The log to read and the output to print it to.
    pub fn log_and_out(&mut self) -> (&Log, &mut Output<Stdout>) {
        (self.file.log(), &mut self.out)
    }

    /// The log and the ID generator, which continues after the newest ID of
    /// this node in the log and after the IDs the lock file remembers.
    /// The archive's entries, read with the log's names, if there is an
    /// archive.
    pub fn archived(&mut self) -> anyhow::Result<Vec<actionlog::Entry>> {
        match self.config.archive.clone() {
            Some(path) => Ok(actionlog::archive::read(
                &path,
                self.file.log_mut().symbols_mut(),
                self.config.stream_limit,
            )?),
            None => Err(super::exit::UsageError(
                "--archived needs the archive: give --archive FILE or set ACTIONLOG_ARCHIVE".into(),
            )
            .into()),
        }
    }

    pub fn log_and_ids(&mut self) -> (&mut Log, &mut IdGenerator) {
        self.note_ids(None);
        let (ids, _) = self.ids.as_mut().expect("made above");
        (self.file.log_mut(), ids)
    }

    /// [`Session::log_and_ids`] and the output: for a change that prints
    /// its events as it makes them.
    pub fn log_ids_and_out(&mut self) -> (&mut Log, &mut IdGenerator, &mut Output<Stdout>) {
        self.note_ids(None);
        let (ids, _) = self.ids.as_mut().expect("made above");
        (self.file.log_mut(), ids, &mut self.out)
    }

    /// Whether events may be printed as they are made rather than reported
    /// ([`Session::report`]): one per line (`jsonl`, not a table or one
    /// array), and none to archive.
    pub fn prints_events_as_made(&self) -> bool {
        self.out.format() == super::Format::Jsonl && self.config.archive.is_none()
    }

    /// Makes the ID generator on first use, from the log and what the lock
    /// file held while it was read; then takes note of `remembered`.
    fn note_ids(&mut self, remembered: Option<(u64, u64)>) {
        let (ids, _) = self.ids.get_or_insert_with(|| {
            let mut ids = IdGenerator::new(self.config.node_id.clone())
                .expect("the node ID was checked with the configuration");
            let seen = [
                self.file.log().newest_id_of(ids.node()),
                self.file.remembered_id(ids.node()),
            ];
            for (ms, counter) in seen.into_iter().flatten() {
                ids.observe(ms, counter);
            }
            let start = ids.state();
            (ids, start)
        });
        if let Some((ms, counter)) = remembered {
            ids.observe(ms, counter);
        }
    }

    /// Takes the ID generator on to `ids` (the state after IDs made for
    /// entries about to be written) and notes it for the lock file, whose
    /// next write records it: an append's record, as for every other save,
    /// so that IDs in a file cut short or cleaned later never come again.
    pub fn take_ids_on(&mut self, ids: &IdGenerator) {
        *self.log_and_ids().1 = ids.clone();
        self.note_generated_ids();
    }

    /// Appends entry lines made without the log in memory: see
    /// [`LogFile::append_lines`]. The lock must be held.
    pub fn append_lines(
        &mut self,
        len: u64,
        start: &[u8],
        last_added: u64,
        write: &mut dyn FnMut(&mut dyn io::Write) -> io::Result<()>,
    ) -> anyhow::Result<bool> {
        self.file
            .append_lines(len, start, last_added, write)
            .context("the log was not saved")
    }

    /// The line summing up a change that only added `added` entries, for
    /// a person watching (see [`Session::start_summary`]).
    pub fn sum_up_adds(&mut self, added: usize) {
        if self.summary.take().is_some() {
            self.summary_line = Some(super::summary::counts_line(added, 0));
        }
    }

    /// Takes note of the newest ID the lock file records for this node:
    /// what other processes generated since the log was read.
    fn catch_up_on_ids(&mut self) {
        let remembered = self.file.remembered_id(&self.config.node_id);
        self.note_ids(remembered);
    }

    /// The REPL, for a command that may generate IDs: runs it holding the
    /// log's write lock, having caught up on the IDs other processes
    /// recorded for this node meanwhile, and records the IDs it generated
    /// before letting go. So its IDs follow every other process's, and do
    /// not come again even if the REPL is killed before it saves.
    pub fn with_ids_recorded<T>(
        &mut self,
        run: impl FnOnce(&mut Session) -> anyhow::Result<T>,
    ) -> anyhow::Result<T> {
        self.file.relock(Access::Write)?;
        self.catch_up_on_ids();
        let result = run(self);
        self.note_generated_ids();
        let recorded = self.file.flush_records();
        self.file.release_lock();
        let value = result?;
        recorded?;
        Ok(value)
    }

    /// Puts back a log kept earlier (the REPL's undo).
    pub fn replace_log(&mut self, log: Log) {
        *self.file.log_mut() = log;
    }

    /// The header's `lastSynced`: `(sent, received)`.
    pub fn last_synced(&self) -> (u64, u64) {
        self.file.header().last_synced()
    }

    pub fn set_last_synced(&mut self, synced: (u64, u64)) {
        self.file.set_last_synced(synced);
    }

    /// Lets go of the log, its lock and any map of it, for a command that
    /// goes on without it (`order --follow` reads it anew each time); the
    /// session is then on an empty log.
    pub fn close_log(&mut self) {
        self.file = LogFile::detached(self.file.location().clone());
    }

    pub fn location(&self) -> &Location {
        self.file.location()
    }

    pub fn now(&self) -> u64 {
        self.config.clock.now()
    }

    /// Events to print: at the end of a shell command, or at once in the
    /// REPL.
    pub fn report(&mut self, events: Vec<Event>) {
        if let Some(archive) = &self.config.archive {
            let cleaned = events.iter().filter(|e| e.kind == EventKind::Clean);
            self.to_archive
                .extend(cleaned.map(|event| (archive.clone(), event.clone())));
        }
        self.take_pending(events);
    }

    /// Puts `events` after those pending. Most often none are: then the
    /// list is taken as it is, not copied (a million events are 48 MB).
    fn take_pending(&mut self, events: Vec<Event>) {
        if self.pending.is_empty() {
            self.pending = events;
        } else {
            self.pending.extend(events);
        }
    }

    /// The log and the ID generator as they are, kept for a dry run
    /// (`--dry-run`) to put back.
    pub fn keep_for_dry_run(&self, dry_run: bool) -> Option<Kept> {
        dry_run.then(|| Kept {
            log: self.log().clone(),
            ids: self.ids.clone(),
        })
    }

    /// The end of a command that may be a dry run: its events are reported
    /// (printed, archived, saved); or, with what was kept before it,
    /// printed exactly so and everything put back: the log, and the IDs
    /// (not recorded, so the real run shows the same).
    pub fn report_or_preview(&mut self, kept: Option<Kept>, events: Vec<Event>) {
        if let Some(before) = self.summary.take() {
            self.summary_line = Some(before.line(self.log(), &events, kept.is_some()));
        }
        match kept {
            Some(Kept { log, ids }) => {
                self.replace_log(log);
                self.ids = ids;
                self.report_preview(events);
            }
            None => self.report(events),
        }
    }

    /// Standard input for the command to read: what was read before the
    /// log was locked, or else the stream itself.
    pub fn stdin(&mut self) -> Box<dyn io::BufRead> {
        match self.prefetched.take() {
            Some(bytes) => Box::new(io::Cursor::new(bytes)),
            None => Box::new(io::BufReader::with_capacity(256 * 1024, io::stdin().lock())),
        }
    }

    /// Standard input as a command's input, refused where it cannot be:
    /// in the REPL (it holds the commands), with `--log -` (it holds the
    /// log), on a terminal (nothing is piped in). `argument` and `piped`
    /// say what to do instead.
    pub fn piped_stdin(
        &mut self,
        argument: &str,
        piped: &str,
    ) -> Result<Box<dyn io::BufRead>, super::exit::UsageError> {
        use super::exit::UsageError;
        if self.stdin_has_commands {
            return Err(UsageError(format!("in the REPL, {argument}")));
        }
        if self.config.log.is_stream() {
            return Err(UsageError(format!(
                "the log is read from stdin (--log -), so {argument}"
            )));
        }
        if super::terminal::stdin_is_terminal() {
            return Err(UsageError(format!(
                "nothing is piped into stdin: {argument}, or {piped}"
            )));
        }
        Ok(self.stdin())
    }

    pub fn set_prefetched(&mut self, bytes: Option<Vec<u8>>) {
        self.prefetched = bytes;
    }

    /// Notes every entry's reasons, for the line that sums up the next
    /// change ([`Session::take_summary`]).
    pub fn start_summary(&mut self) {
        self.summary = Some(Before::of(self.log()));
        self.summary_line = None;
    }

    /// The line summing up the change since [`Session::start_summary`], if
    /// the command made one.
    pub fn take_summary(&mut self) -> Option<String> {
        self.summary = None;
        self.summary_line.take()
    }

    /// Events of what would happen (a dry run): printed, not archived.
    pub fn report_preview(&mut self, events: Vec<Event>) {
        self.take_pending(events);
    }

    /// Forgets events of a command that failed.
    pub fn drop_events(&mut self) {
        if self.config.archive.is_some() {
            let cleaned = self
                .pending
                .iter()
                .filter(|e| e.kind == EventKind::Clean)
                .count();
            let keep = self.to_archive.len().saturating_sub(cleaned);
            self.to_archive.truncate(keep);
        }
        self.pending.clear();
    }

    /// Prints the events reported so far and flushes the output.
    pub fn print_events(&mut self) -> io::Result<()> {
        let events = std::mem::take(&mut self.pending);
        self.out.events(&events)?;
        self.out.finish()
    }

    /// Writes the log if it changed, and IDs generated since last time to
    /// the lock file (with the log's own save where there is one). The lock
    /// must be held.
    fn save(&mut self) -> anyhow::Result<()> {
        self.note_generated_ids();
        if self.writes || self.stdin_has_commands {
            self.archive_pending()?;
            self.file.save().context("the log was not saved")?;
        }
        Ok(self.file.flush_records()?)
    }

    /// [`Session::save`] with entry lines made without the log in memory
    /// after the log's entries (see [`LogFile::save_with_lines`]). Inside
    /// [`Session::write_through`].
    pub fn save_with_lines(&mut self, lines: &str, last_added: u64) -> anyhow::Result<()> {
        self.note_generated_ids();
        self.archive_pending()?;
        self.file
            .save_with_lines(lines.as_bytes(), last_added)
            .context("the log was not saved")?;
        Ok(())
    }

    /// Appends the cleaned entries to their archives. The archive first:
    /// if the log is not saved after all, the entries are in both, never
    /// in neither.
    fn archive_pending(&mut self) -> anyhow::Result<()> {
        {
            let mut archives: Vec<&std::path::Path> = Vec::new();
            for (archive, _) in &self.to_archive {
                if !archives.contains(&archive.as_path()) {
                    archives.push(archive);
                }
            }
            for archive in archives {
                let events: Vec<Event> = self
                    .to_archive
                    .iter()
                    .filter(|(to, _)| to == archive)
                    .map(|(_, event)| event.clone())
                    .collect();
                actionlog::archive::append(archive, &events).context("the log was not saved")?;
            }
            self.to_archive.clear();
        }
        Ok(())
    }

    /// Notes IDs generated since last time for the lock file, which must
    /// be held exclusively.
    fn note_generated_ids(&mut self) {
        if let Some((ids, remembered)) = &mut self.ids
            && ids.state() != *remembered
        {
            self.file.remember_id(ids.node(), ids.state());
            *remembered = ids.state();
        }
    }

    /// Reserves `count` IDs at `now` for `generate-id`: catches up on what
    /// the lock file records for this node, and records, durably, that the
    /// node's IDs go up to the last of them before any is handed out, so
    /// that IDs printed and then lost (the reader of a pipe went away, the
    /// REPL killed) never come again. Returns the generator to make them
    /// with. The exclusive lock must be held.
    pub fn reserve_ids(&mut self, count: u64, now: u64) -> anyhow::Result<IdGenerator> {
        self.catch_up_on_ids();
        let (_, ids) = self.log_and_ids();
        let first = ids.clone();
        let (ms, counter) = ids.state_after(count, now)?;
        ids.observe(ms, counter);
        self.note_generated_ids();
        self.file.flush_records()?;
        Ok(first)
    }

    /// The REPL leaving without saving: the IDs it showed must still never
    /// come again, so the lock file remembers them.
    pub fn remember_ids(&mut self) -> anyhow::Result<()> {
        if self
            .ids
            .as_ref()
            .is_none_or(|(ids, remembered)| ids.state() == *remembered)
        {
            return Ok(());
        }
        self.file.relock(Access::Write)?;
        self.note_generated_ids();
        let remembered = self.file.flush_records();
        self.file.release_lock();
        Ok(remembered?)
    }

    /// Saves now, before printing what the command says it did; the save
    /// at the end then has nothing left to write.
    pub fn save_now(&mut self) -> anyhow::Result<()> {
        self.save()
    }

    /// The end of a shell command: saves, then prints the events. With
    /// `--log -` the log itself goes to standard output, so the events are
    /// not printed.
    pub fn finish(mut self) -> anyhow::Result<()> {
        self.save()?;
        if self.file.location().is_stream() && self.writes {
            self.pending.clear();
        }
        self.print_events()?;
        if let Some(line) = self.take_summary() {
            say!("{line}");
        }
        Ok(())
    }

    /// The REPL's save: takes the lock, refuses if another process changed
    /// the file since it was read, saves, and lets go of the lock.
    pub fn save_for_repl(&mut self) -> anyhow::Result<()> {
        self.file.relock(Access::Write)?;
        let saved = self
            .file
            .ensure_unchanged()
            .map_err(anyhow::Error::from)
            .and_then(|()| self.save());
        self.file.release_lock();
        saved
    }

    /// The REPL's reload: reads the file again, dropping unsaved changes.
    pub fn reload(&mut self) -> anyhow::Result<()> {
        self.file.relock(Access::Read)?;
        let read = self.file.reload();
        self.file.release_lock();
        read?;
        Ok(())
    }

    /// Whether another program changed the file since it was read.
    pub fn changed_on_disk(&self) -> bool {
        self.file.ensure_unchanged().is_err()
    }

    /// Whether the log in memory differs from the file.
    pub fn has_unsaved_changes(&self) -> bool {
        self.file.log().is_changed()
    }
}

/// Standard input, read to its end before a command locks the log, when it
/// is a pipe: what writes into the pipe may be another actionlog that reads
/// the same log (`actionlog order | jq … | actionlog change-meta`), which
/// waits for the lock while this one would wait for its input. A file
/// cannot wait for anyone, and is read as the command goes, unless
/// `files_too` (a bulk add reads its input whole) and it holds at most
/// `limit` bytes. A terminal is never read here.
pub fn prefetch_stdin(limit: u64, files_too: bool) -> anyhow::Result<Option<Prefetched>> {
    use std::io::{IsTerminal, Seek};
    use std::os::fd::AsFd;
    let stdin = io::stdin();
    if stdin.is_terminal() {
        return Ok(None);
    }
    // A duplicate shares the descriptor's position: seeking it seeks stdin.
    let file = stdin
        .as_fd()
        .try_clone_to_owned()
        .ok()
        .map(std::fs::File::from)
        .filter(|file| file.metadata().is_ok_and(|metadata| metadata.is_file()));
    if let Some(mut file) = file {
        let len = file.metadata().map_or(u64::MAX, |metadata| metadata.len());
        let Some(position) = file
            .stream_position()
            .ok()
            .filter(|_| files_too && len <= limit)
        else {
            return Ok(None);
        };
        // Read into room made once, not grown by copying.
        let mut bytes = Vec::with_capacity(len.saturating_sub(position) as usize + 1);
        read_into(stdin.lock(), limit, "stdin", &mut bytes)?;
        return Ok(Some(Prefetched {
            bytes,
            file: Some((file, position)),
        }));
    }
    Ok(Some(Prefetched {
        bytes: read_to_limit(stdin.lock(), limit, "stdin")?,
        file: None,
    }))
}

/// Standard input read whole by [`prefetch_stdin`].
pub struct Prefetched {
    pub bytes: Vec<u8>,
    /// A regular file, and where it was read from.
    file: Option<(std::fs::File, u64)>,
}

impl Prefetched {
    /// What a command that reads stdin as it goes is given: a pipe's bytes;
    /// a regular file is put back where it was instead, and read anew
    /// (a file is read whole only for a bulk add).
    pub fn for_streaming(self) -> anyhow::Result<Option<Vec<u8>>> {
        use std::io::{Seek, SeekFrom};
        match self.file {
            None => Ok(Some(self.bytes)),
            Some((mut file, position)) => {
                file.seek(SeekFrom::Start(position))
                    .map_err(|e| actionlog::Error::io("cannot read stdin", e))?;
                Ok(None)
            }
        }
    }
}

/// All of `input`, `what` in errors; more than `limit` bytes is an error
/// of reading (exit status 5), as for a log from a pipe.
pub fn read_to_limit(input: impl io::Read, limit: u64, what: &str) -> anyhow::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    read_into(input, limit, what, &mut bytes)?;
    Ok(bytes)
}

/// [`read_to_limit`] into `bytes`.
fn read_into(
    input: impl io::Read,
    limit: u64,
    what: &str,
    bytes: &mut Vec<u8>,
) -> anyhow::Result<()> {
    use std::io::Read;
    input
        .take(limit.saturating_add(1))
        .read_to_end(bytes)
        .map_err(|e| actionlog::Error::io(format!("cannot read {what}"), e))?;
    if bytes.len() as u64 > limit {
        return Err(actionlog::Error::io(
            format!("cannot read {what}"),
            io::Error::other(format!(
                "more than {limit} bytes (set {} for more)",
                super::config::STREAM_LIMIT_VAR
            )),
        )
        .into());
    }
    Ok(())
}
