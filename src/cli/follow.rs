//! Waiting for a log file to change, by the system's file notifications
//! (inotify on Linux), not by polling.
//!
//! The folder is watched rather than the file: a rewrite puts a new file
//! in the log's place (a rename), which a watch on the old file would
//! never see.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Duration;

use notify::{RecursiveMode, Watcher};

pub struct LogWatch {
    /// Kept alive: dropping it ends the notifications.
    _watcher: notify::RecommendedWatcher,
    changes: Receiver<notify::Result<notify::Event>>,
    name: PathBuf,
}

impl LogWatch {
    pub fn new(log: &Path) -> anyhow::Result<LogWatch> {
        let context = || format!("cannot watch {} for changes", log.display());
        let name =
            PathBuf::from(log.file_name().ok_or_else(|| {
                actionlog::Error::input(format!("{} names no file", log.display()))
            })?);
        let folder = match log.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
            _ => PathBuf::from("."),
        };
        let (sender, changes) = channel();
        let mut watcher = notify::recommended_watcher(sender)
            .map_err(|e| actionlog::Error::io(context(), std::io::Error::other(e)))?;
        watcher
            .watch(&folder, RecursiveMode::NonRecursive)
            .map_err(|e| actionlog::Error::io(context(), std::io::Error::other(e)))?;
        Ok(LogWatch {
            _watcher: watcher,
            changes,
            name,
        })
    }

    /// Waits until the log may have changed. Notifications that come
    /// together (an append's writes, a rewrite's create and rename) make
    /// one wake-up: after the first, those within a few milliseconds are
    /// taken too.
    pub fn wait(&self) -> anyhow::Result<()> {
        loop {
            let event = self.changes.recv().map_err(|_| watcher_stopped())?;
            if self.concerns_log(&event) {
                break;
            }
        }
        loop {
            match self.changes.recv_timeout(Duration::from_millis(20)) {
                Ok(_) => continue,
                Err(RecvTimeoutError::Timeout) => return Ok(()),
                Err(RecvTimeoutError::Disconnected) => {
                    return Err(watcher_stopped());
                }
            }
        }
    }

    fn concerns_log(&self, event: &notify::Result<notify::Event>) -> bool {
        match event {
            // Events were lost (the queue overflowed): look again.
            Err(_) => true,
            Ok(event) => {
                event.need_rescan()
                    || event
                        .paths
                        .iter()
                        .any(|path| path.file_name() == Some(self.name.as_os_str()))
            }
        }
    }
}

/// The watcher's thread ended: the system stopped telling of changes.
fn watcher_stopped() -> anyhow::Error {
    std::io::Error::other("the file watcher stopped").into()
}
