//! One run of commands against one open log: the log file, the ID generator,
//! the output, and the events waiting to be printed once the log is saved.

use std::io::{self, BufWriter, StdoutLock};

use actionlog::store::{Access, Location, LogFile};
use actionlog::{Event, IdGenerator, Log};
use anyhow::Context;

use super::config::Config;
use super::output::Output;

pub struct Session {
    pub config: Config,
    file: LogFile,
    writes: bool,
    /// Made on first use; with the state it started from, to know whether
    /// IDs were generated that the lock file must remember.
    ids: Option<(IdGenerator, (u64, u64))>,
    pending: Vec<Event>,
    pub out: Output<Stdout>,
}

/// Output goes through one buffer on standard output.
pub type Stdout = BufWriter<StdoutLock<'static>>;

impl Session {
    /// Locks and reads the log (an empty one for `access` `None`, for
    /// commands that do not look at it). `writes`: the log is saved at the
    /// end.
    pub fn open(config: Config, access: Option<Access>, writes: bool) -> anyhow::Result<Session> {
        let file = match access {
            Some(access) => LogFile::open(config.log.clone(), access)?,
            None => LogFile::detached(config.log.clone()),
        };
        let out = Output::new(
            BufWriter::new(io::stdout().lock()),
            config.format,
            config.color,
        );
        Ok(Session {
            config,
            file,
            writes,
            ids: None,
            pending: Vec::new(),
            out,
        })
    }

    pub fn log(&self) -> &Log {
        self.file.log()
    }

    /// The log to read and the output to print it to.
    pub fn log_and_out(&mut self) -> (&Log, &mut Output<Stdout>) {
        (self.file.log(), &mut self.out)
    }

    /// The log and the ID generator, which continues after the newest ID of
    /// this node in the log.
    pub fn log_and_ids(&mut self) -> (&mut Log, &mut IdGenerator) {
        if self.ids.is_none() {
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
            self.ids = Some((ids, start));
        }
        let (ids, _) = self.ids.as_mut().expect("made above");
        (self.file.log_mut(), ids)
    }

    pub fn now(&self) -> u64 {
        self.config.clock.now()
    }

    /// Events to print once the log is saved.
    pub fn report(&mut self, events: Vec<Event>) {
        self.pending.extend(events);
    }

    /// Saves a changed log, then prints the events. With `--log -` the log
    /// itself goes to standard output, so the events are not printed.
    pub fn finish(mut self) -> anyhow::Result<()> {
        if self.writes {
            self.file.save().context("the log was not saved")?;
        }
        if let Some((ids, start)) = &self.ids
            && ids.state() != *start
        {
            self.file.remember_id(ids.node(), ids.state())?;
        }
        let events = std::mem::take(&mut self.pending);
        if self.file.location() != &Location::Stdio || !self.writes {
            self.out.events(&events)?;
        }
        self.out.finish()?;
        Ok(())
    }
}
