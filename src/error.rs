//! The library's errors. Each kind maps to one documented exit status in the
//! command-line tool, so the kinds are few and mean what they say.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Input given to an operation is wrong: bad JSON, a missing `type`, a
    /// read-only meta key, an invalid ID. The log is not changed.
    #[error("{0}")]
    Input(String),

    /// A line of a log file cannot be read as a log entry.
    #[error("{}:{line}: {message}", path.display())]
    BadLog {
        path: PathBuf,
        line: usize,
        message: String,
    },

    /// The log has no action with this ID.
    #[error("no action with ID {} in the log", crate::json::quote(.0))]
    NotFound(String),

    /// The file changed on disk while an open session held unsaved changes;
    /// nothing was written.
    #[error("{0}")]
    Conflict(String),

    /// Reading, writing or locking a file failed.
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    pub fn input(message: impl Into<String>) -> Self {
        Error::Input(message.into())
    }

    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            context: context.into(),
            source,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
