//! The typed configuration a command runs with, made once from the command
//! line, the environment and the terminal.

use std::time::{SystemTime, UNIX_EPOCH};

use actionlog::id::{MAX_SAFE_INTEGER, check_node_id};
use actionlog::store::Location;

use super::exit::UsageError;
use super::table::{Look, ScreenWidth};
use super::{Cli, ColorChoice, Format, terminal};

/// The variable that pins the clock, in milliseconds, for scripts and tests.
pub const NOW_VAR: &str = "ACTIONLOG_NOW";

/// The longest node ID this tool generates IDs for. Logux's are a few
/// dozen bytes; the lock file records each node's newest ID, and keeps its
/// records small.
const MAX_NODE_ID_BYTES: usize = 1024;

/// The variable that sets how much may be read from a pipe, a device or
/// standard input (a log, an archive, rules), in bytes.
pub const STREAM_LIMIT_VAR: &str = "ACTIONLOG_STREAM_MAX_BYTES";

#[derive(Debug, Clone)]
pub struct Config {
    pub log: Location,
    pub node_id: String,
    pub format: Format,
    /// Colour, width and time zone, for what a person reads.
    pub look: Look,
    pub clock: Clock,
    /// Where cleaned entries are appended, if anywhere.
    pub archive: Option<std::path::PathBuf>,
    /// Rules for added and merged actions, read from `--rules`.
    pub rules: Option<actionlog::rules::Rules>,
    /// The most bytes read from a pipe, a device or standard input.
    pub stream_limit: u64,
}

/// Where the current time comes from.
#[derive(Debug, Clone, Copy)]
pub enum Clock {
    System,
    Pinned(u64),
}

impl Clock {
    /// Milliseconds since the Unix epoch.
    pub fn now(self) -> u64 {
        match self {
            Clock::Pinned(ms) => ms,
            Clock::System => SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_millis() as u64),
        }
    }

    fn from_env() -> Result<Clock, UsageError> {
        match std::env::var(NOW_VAR) {
            Err(_) => Ok(Clock::System),
            Ok(value) => value
                .trim()
                .parse()
                .ok()
                .filter(|&ms| ms <= MAX_SAFE_INTEGER)
                .map(Clock::Pinned)
                .ok_or_else(|| {
                    UsageError(format!(
                        "{NOW_VAR} must be a whole number of milliseconds up to {MAX_SAFE_INTEGER}, not {}",
                        terminal::sanitize(&format!("{value:?}"))
                    ))
                }),
        }
    }
}

impl Config {
    pub fn from_cli(cli: &Cli) -> Result<Config, UsageError> {
        let node_id = match &cli.node_id {
            Some(node_id) => node_id.clone(),
            None => default_node_id(),
        };
        check_node_id(&node_id).map_err(|e| {
            UsageError(format!("--node-id: {}", terminal::sanitize(&e.to_string())))
        })?;
        if node_id.len() > MAX_NODE_ID_BYTES {
            return Err(UsageError(format!(
                "--node-id: {} bytes; a node ID may have at most {MAX_NODE_ID_BYTES}",
                node_id.len()
            )));
        }
        if terminal::needs_escape(&node_id) {
            return Err(UsageError(format!(
                "--node-id: {} has control or direction characters, which an ID must not hold",
                terminal::sanitize(&actionlog::json::quote(&node_id))
            )));
        }
        let log = super::stdio::location(&cli.log);
        if let Location::File(path) = &log {
            check_log_name(path)?;
        }
        if let Some(archive) = &cli.archive {
            check_archive(archive, &log)?;
        }
        let on_terminal = terminal::stdout_is_terminal();
        let format = cli.format.unwrap_or(if on_terminal {
            Format::Table
        } else {
            Format::Jsonl
        });
        let color = color_for(cli.color);
        colored::control::set_override(color);
        validate_number_var(super::progress::MIN_BYTES_VAR)?;
        Ok(Config {
            log,
            node_id,
            format,
            look: Look {
                color,
                width: ScreenWidth::from_env(on_terminal),
                local_time: cli.local_time,
            },
            clock: Clock::from_env()?,
            archive: cli.archive.clone(),
            rules: None,
            stream_limit: stream_limit_from_env()?,
        })
    }
}

/// Whether to colour, given `--color` (decided once, here, for everything
/// printed).
pub fn color_for(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            terminal::stdout_is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
        }
    }
}

/// Refuses an archive that is the log itself or its lock file, or named
/// as actionlog's own files.
pub fn check_archive(archive: &std::path::Path, log: &Location) -> Result<(), UsageError> {
    check_archive_name(archive)?;
    if let Location::File(log) = log {
        if actionlog::store::same_file(archive, log) {
            return Err(UsageError(format!(
                "--archive {} is the log itself",
                terminal::sanitize(&archive.display().to_string())
            )));
        }
        if let Ok(lock) = actionlog::store::lock_file_of(log)
            && actionlog::store::same_file(archive, &lock)
        {
            return Err(UsageError(format!(
                "--archive {} is the log's lock file",
                terminal::sanitize(&archive.display().to_string())
            )));
        }
    }
    Ok(())
}

/// Refuses a log named as another log's lock file (`x.jsonl.lock` beside
/// `x.jsonl`), or as a temporary file of a save: a writer of that other
/// log would replace or clear away what was written there.
fn check_log_name(path: &std::path::Path) -> Result<(), UsageError> {
    let shown = || terminal::sanitize(&path.display().to_string());
    let real = actionlog::store::real_path(path).ok();
    if actionlog::store::looks_temporary(path)
        || real
            .as_deref()
            .is_some_and(actionlog::store::looks_temporary)
    {
        return Err(UsageError(format!(
            "--log {}: a name like that is actionlog's own for a temporary file, which a save may clear away",
            shown()
        )));
    }
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    if let Some(stem) = name.strip_suffix(".lock")
        && !stem.is_empty()
        && path.with_file_name(stem).is_file()
    {
        return Err(UsageError(format!(
            "--log {} is the lock file of the log {}",
            shown(),
            terminal::sanitize(stem)
        )));
    }
    Ok(())
}

/// Refuses a variable holding something other than a whole number.
fn validate_number_var(var: &str) -> Result<(), UsageError> {
    match std::env::var(var) {
        Ok(value) if value.trim().parse::<u64>().is_err() => Err(UsageError(format!(
            "{var} must be a whole number of bytes, not {}",
            terminal::sanitize(&format!("{value:?}"))
        ))),
        _ => Ok(()),
    }
}

/// Refuses an archive named, or reached through a link, as a temporary
/// file or a lock file: a log's writer would clear it away or write
/// records over it.
fn check_archive_name(archive: &std::path::Path) -> Result<(), UsageError> {
    let real = actionlog::store::real_path(archive).ok();
    let names = [Some(archive), real.as_deref()];
    let refuse = |what: &str| {
        Err(UsageError(format!(
            "--archive {}: a name like that is {what}",
            terminal::sanitize(&archive.display().to_string())
        )))
    };
    if names
        .iter()
        .flatten()
        .any(|name| actionlog::store::looks_temporary(name))
    {
        return refuse("actionlog's own for a temporary file, which a save may clear away");
    }
    if names
        .iter()
        .flatten()
        .any(|name| name.extension().is_some_and(|e| e == "lock"))
    {
        return refuse("a lock file's, which a log's writer keeps its records in");
    }
    Ok(())
}

/// [`STREAM_LIMIT_VAR`], else half of this machine's memory.
fn stream_limit_from_env() -> Result<u64, UsageError> {
    match std::env::var(STREAM_LIMIT_VAR) {
        Err(_) => Ok(actionlog::store::default_stream_limit()),
        Ok(value) => value.trim().parse().map_err(|_| {
            UsageError(format!(
                "{STREAM_LIMIT_VAR} must be a whole number of bytes, not {}",
                terminal::sanitize(&format!("{value:?}"))
            ))
        }),
    }
}

/// `USER:HOST`: stable for one user on one machine, and `parseId` reads the
/// user from it.
fn default_node_id() -> String {
    let user = ["USER", "LOGNAME"]
        .iter()
        .find_map(|var| std::env::var(var).ok().filter(|v| !v.is_empty()))
        .unwrap_or_else(|| "user".into());
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| std::fs::read_to_string("/etc/hostname"))
        .ok()
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".into());
    // Made of names this tool does not choose: whatever an ID may not
    // hold becomes `-`, and it is cut to a length an ID may have.
    let word = |s: &str| {
        s.replace(
            |c: char| c.is_whitespace() || c == ':' || terminal::needs_escape(&c.to_string()),
            "-",
        )
    };
    let mut node = format!("{}:{}", word(&user), word(&host));
    while node.len() > MAX_NODE_ID_BYTES {
        node.pop();
    }
    node
}
