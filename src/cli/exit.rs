//! Exit statuses, all in one place. The README and `--help` list them.

use std::process::ExitCode;

use actionlog::Error;

use super::net::NetError;

/// Why `actionlog` exits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Done.
    Success = 0,
    /// An ID asked for is not in the log.
    NotFound = 1,
    /// The command line is wrong: unknown option, missing value, conflicts.
    Usage = 2,
    /// Input is wrong: bad JSON, an action without `type`, an invalid ID, a
    /// read-only meta key. The log is not changed.
    BadInput = 3,
    /// The log file has a line that is not a log entry. It is not changed.
    BadLog = 4,
    /// Reading, writing or locking a file failed.
    Io = 5,
    /// The log file changed on disk while the REPL held unsaved changes;
    /// nothing was written.
    Conflict = 6,
    /// The Logux peer refused the credentials (`wrong-credentials`).
    Credentials = 7,
    /// The Logux peer speaks another protocol or application subprotocol
    /// (`wrong-protocol`, `wrong-subprotocol`).
    Version = 8,
    /// No connection to the peer could be made.
    Unreachable = 9,
    /// The connection ended before the work was done.
    Dropped = 10,
    /// The peer did not answer in time (`timeout`).
    Timeout = 11,
    /// The peer broke the Logux protocol, or said that this node did.
    Protocol = 12,
}

/// A mistake on the command line found after clap parsed it.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

impl Status {
    /// The status for an error: the first error in the chain that has one.
    pub fn of(error: &anyhow::Error) -> Status {
        for cause in error.chain() {
            if let Some(error) = cause.downcast_ref::<Error>() {
                return match error {
                    Error::Input(_) => Status::BadInput,
                    Error::BadLog { .. } => Status::BadLog,
                    Error::NotFound(_) => Status::NotFound,
                    Error::Io { .. } => Status::Io,
                    Error::Conflict(_) => Status::Conflict,
                };
            }
            if let Some(error) = cause.downcast_ref::<NetError>() {
                return match error {
                    NetError::Credentials { .. } => Status::Credentials,
                    NetError::Version { .. } => Status::Version,
                    NetError::Unreachable { .. } => Status::Unreachable,
                    NetError::Dropped { .. } => Status::Dropped,
                    NetError::Timeout { .. } => Status::Timeout,
                    NetError::Protocol { .. } => Status::Protocol,
                };
            }
            if cause.is::<UsageError>() {
                return Status::Usage;
            }
            if cause.is::<std::io::Error>() {
                return Status::Io;
            }
        }
        Status::BadInput
    }
}

impl From<Status> for ExitCode {
    fn from(status: Status) -> ExitCode {
        ExitCode::from(status as u8)
    }
}

/// The one-line message for an error: its chain, made safe for a terminal.
pub fn describe(error: &anyhow::Error) -> String {
    let mut message = String::new();
    for cause in error.chain().map(ToString::to_string) {
        // Errors that print their cause and also give it as their source
        // would say it twice.
        if message.ends_with(&cause) || message.contains(&format!("{cause} at path ")) {
            continue;
        }
        if !message.is_empty() {
            message.push_str(": ");
        }
        message.push_str(&cause);
    }
    super::terminal::sanitize(&message)
}

/// Whether the error is a write to a pipe whose reader has gone.
pub fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        let io = cause.downcast_ref::<std::io::Error>().or_else(|| {
            match cause.downcast_ref::<Error>() {
                Some(Error::Io { source, .. }) => Some(source),
                _ => None,
            }
        });
        io.is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
