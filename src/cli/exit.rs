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
    /// A bug in actionlog: an error no kind covers, or a panic. The log is
    /// left whole, as after a crash. (`EX_SOFTWARE` of sysexits.h.)
    Internal = 70,
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
                    Error::Input(_) | Error::Invalid(_) => Status::BadInput,
                    Error::BadLog { .. } => Status::BadLog,
                    Error::NotFound(_) => Status::NotFound,
                    Error::Io { .. } => Status::Io,
                    Error::Conflict(_) => Status::Conflict,
                    // A kind this build does not know of is a bug here.
                    _ => Status::Internal,
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
            if cause.is::<actionlog::error::Invalid>() || cause.is::<actionlog::id::InvalidId>() {
                return Status::BadInput;
            }
            if cause.is::<UsageError>() {
                return Status::Usage;
            }
            if cause.is::<std::io::Error>() {
                return Status::Io;
            }
        }
        Status::Internal
    }
}

impl From<Status> for ExitCode {
    fn from(status: Status) -> ExitCode {
        ExitCode::from(status as u8)
    }
}

/// The one-line message for an error: its chain, made safe for a terminal.
/// Every error in the chain either prints its cause or gives it as its
/// source, never both, so each cause is said once.
pub fn describe(error: &anyhow::Error) -> String {
    let message: Vec<String> = error.chain().map(ToString::to_string).collect();
    let message = message.join(": ");
    if Status::of(error) == Status::Internal {
        return super::terminal::sanitize(&format!(
            "internal error (a bug in actionlog, please report it): {message}"
        ));
    }
    super::terminal::sanitize(&message)
}

/// Whether the error is a write to a pipe whose reader has gone.
pub fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        let io = cause.downcast_ref::<std::io::Error>().or_else(|| {
            match cause.downcast_ref::<Error>() {
                Some(Error::Io { cause, .. }) => Some(cause),
                _ => None,
            }
        });
        io.is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_status_comes_from_the_kind_and_an_error_of_no_kind_is_a_bug() {
        let invalid = actionlog::id::parse_action_id("1 a").unwrap_err();
        let wrapped = anyhow::Error::new(invalid.clone()).context("--older-than");
        assert_eq!(Status::of(&wrapped), Status::BadInput);
        let in_error = anyhow::Error::new(Error::from(invalid));
        assert_eq!(Status::of(&in_error), Status::BadInput);
        let io = anyhow::Error::new(Error::io(
            "cannot read x",
            std::io::Error::from(std::io::ErrorKind::NotFound),
        ));
        assert_eq!(Status::of(&io), Status::Io);
        assert_eq!(describe(&io), "cannot read x: entity not found");

        let bug = anyhow::anyhow!("a thread reading the log failed");
        assert_eq!(Status::of(&bug), Status::Internal);
        assert_eq!(Status::Internal as u8, 70);
        assert!(describe(&bug).starts_with("internal error (a bug in actionlog"));
        assert!(describe(&bug).ends_with(": a thread reading the log failed"));
    }
}
