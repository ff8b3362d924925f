//! A progress bar on stderr for loading and saving big logs, shown only
//! when stderr is a terminal.

use std::io::IsTerminal;

use actionlog::store::{Progress, Task};
use indicatif::{ProgressBar, ProgressStyle};

/// Logs smaller than this load and save without a bar.
const MIN_BYTES: u64 = 50 * 1024 * 1024;

/// Lowers [`MIN_BYTES`], so tests need not make 50 MB logs.
pub const MIN_BYTES_VAR: &str = "ACTIONLOG_PROGRESS_MIN_BYTES";

pub struct Bar {
    bar: Option<ProgressBar>,
    min_bytes: u64,
    enabled: bool,
}

impl Bar {
    pub fn for_stderr() -> Bar {
        let min_bytes = std::env::var(MIN_BYTES_VAR)
            .ok()
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(MIN_BYTES);
        Bar {
            bar: None,
            min_bytes,
            enabled: std::io::stderr().is_terminal(),
        }
    }
}

impl Progress for Bar {
    fn begin(&mut self, task: Task, total_bytes: u64) {
        if !self.enabled || total_bytes < self.min_bytes {
            return;
        }
        let bar = ProgressBar::new(total_bytes);
        let style = ProgressStyle::with_template("{msg:8} [{bar:40}] {bytes}/{total_bytes} {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
        bar.set_style(style);
        bar.set_message(match task {
            Task::Load => "loading",
            Task::Save => "saving",
            _ => "working",
        });
        bar.tick();
        self.bar = Some(bar);
    }

    fn advance(&mut self, done_bytes: u64) {
        if let Some(bar) = &self.bar {
            bar.set_position(done_bytes);
        }
    }

    fn end(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        self.end();
    }
}
