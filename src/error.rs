//! The library's errors. Each kind maps to one documented exit status in the
//! command-line tool, so the kinds are few and mean what they say.

use std::path::PathBuf;

pub use crate::json::SyntaxError;

/// What went wrong. Each kind stands for one exit status of the command line.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// What an operation is asked to do cannot be done as asked: a
    /// read-only meta key changed, a node ID that is empty or holds a space,
    /// a bound that is no ID, `added` numbers run out. (Text that is not a
    /// valid action, meta, line or ID is [`Error::Invalid`].) The log is not
    /// changed.
    #[error("{0}")]
    Input(String),

    /// Text given to an operation is not a valid action, meta, log line or
    /// action ID. The log is not changed.
    #[error(transparent)]
    Invalid(#[from] Invalid),

    /// A line of a log file cannot be read as a log entry.
    #[error("{}:{line}: {problem}", path.display())]
    BadLog {
        /// The log file.
        path: PathBuf,
        /// The line's number, counting from 1.
        line: usize,
        /// What is wrong with the line.
        problem: Invalid,
    },

    /// The log has no action with this ID.
    #[error("no action with ID {} in the log", crate::json::quote(.0))]
    NotFound(String),

    /// The file changed on disk while an open session held unsaved changes;
    /// nothing was written.
    #[error("{0}")]
    Conflict(String),

    /// Reading, writing or locking a file failed. The message says what
    /// was being done (`context`) and why it failed (`cause`); the cause is
    /// not also given as the error's source, which would say it twice.
    #[error("{context}: {cause}")]
    Io {
        /// What was being done, such as `cannot write log.jsonl`.
        context: String,
        /// Why it failed.
        cause: std::io::Error,
    },
}

impl Error {
    /// An [`Error::Input`] with this message.
    pub fn input(message: impl Into<String>) -> Self {
        Error::Input(message.into())
    }

    /// An [`Error::Io`]: `context` says what was being done, `source` why it failed.
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            context: context.into(),
            cause: source,
        }
    }
}

impl From<crate::id::InvalidId> for Error {
    fn from(error: crate::id::InvalidId) -> Self {
        Error::Invalid(Invalid::Id(error))
    }
}

/// Why a text is not a valid action, meta, log line, action ID or rules
/// file: what `@logux/core` or the file format refuses. The message says
/// what is wrong; an [`Error`] around it, or the caller, says where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Invalid {
    /// Not JSON as `JSON.parse` reads it, or nested deeper than the log
    /// allows.
    #[error(transparent)]
    Syntax(#[from] SyntaxError),
    /// An action ID that is not in its one canonical form.
    #[error(transparent)]
    Id(#[from] crate::id::InvalidId),
    /// JSON of the wrong shape: an action without a string `type`, a meta
    /// key with a value of the wrong type, a line that is not an
    /// `[action, meta]` array.
    #[error("{0}")]
    Shape(std::borrow::Cow<'static, str>),
}

impl From<&'static str> for Invalid {
    fn from(message: &'static str) -> Self {
        Invalid::Shape(message.into())
    }
}

impl From<String> for Invalid {
    fn from(message: String) -> Self {
        Invalid::Shape(message.into())
    }
}

/// A result whose error is, by default, [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::Error;

    /// `Error` is `#[non_exhaustive]`, so the command line maps a kind it
    /// does not know to an internal error. This match, inside the crate,
    /// stops compiling when a kind is added: give it its exit status in
    /// `src/cli/exit.rs` (`Status::of`) then.
    #[allow(dead_code)]
    fn every_kind_has_an_exit_status(error: &Error) {
        match error {
            Error::Input(_)
            | Error::Invalid(_)
            | Error::BadLog { .. }
            | Error::NotFound(_)
            | Error::Conflict(_)
            | Error::Io { .. } => {}
        }
    }
}
