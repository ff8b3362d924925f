//! The typed configuration a command runs with, made once from the command
//! line, the environment and the terminal.

use std::time::{SystemTime, UNIX_EPOCH};

use actionlog::id::check_node_id;
use actionlog::store::Location;

use super::exit::UsageError;
use super::{Cli, ColorChoice, Format, terminal};

/// The variable that pins the clock, in milliseconds, for scripts and tests.
pub const NOW_VAR: &str = "ACTIONLOG_NOW";

#[derive(Debug, Clone)]
pub struct Config {
    pub log: Location,
    pub node_id: String,
    pub format: Format,
    pub color: bool,
    pub clock: Clock,
    /// Where cleaned entries are appended, if anywhere.
    pub archive: Option<std::path::PathBuf>,
    /// Rules for added and merged actions, read from `--rules`.
    pub rules: Option<actionlog::rules::Rules>,
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
            Ok(value) => value.trim().parse().map(Clock::Pinned).map_err(|_| {
                UsageError(format!(
                    "{NOW_VAR} must be a whole number of milliseconds, not {value:?}"
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
        check_node_id(&node_id).map_err(|e| UsageError(format!("--node-id: {e}")))?;
        let on_terminal = terminal::stdout_is_terminal();
        let format = cli.format.unwrap_or(if on_terminal {
            Format::Table
        } else {
            Format::Jsonl
        });
        let color = match cli.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                on_terminal
                    && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
            }
        };
        colored::control::set_override(color);
        Ok(Config {
            log: Location::from_arg(&cli.log),
            node_id,
            format,
            color,
            clock: Clock::from_env()?,
            archive: cli.archive.clone(),
            rules: None,
        })
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
    let word = |s: &str| s.replace(|c: char| c.is_whitespace() || c == ':', "-");
    format!("{}:{}", word(&user), word(&host))
}
