//! Shell completion from the log itself: IDs, reasons, types, indexes,
//! nodes and users of the log that `--log` (or `ACTIONLOG_FILE`) names,
//! through clap_complete's dynamic completion. The shell asks the binary
//! (`ACTIONLOG_COMPLETE=bash actionlog` prints the script that does so).

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::path::PathBuf;

use actionlog::store::{Access, Location, LogFile};
use actionlog::{Log, Order};
use clap_complete::engine::{ArgValueCandidates, CompletionCandidate};

/// The variable that asks for completions: `ACTIONLOG_COMPLETE=bash
/// actionlog` prints the script to source.
pub const VAR: &str = "ACTIONLOG_COMPLETE";

/// Answers the shell's question and exits, when the binary runs for
/// completion; else returns at once.
pub fn answer_if_asked() {
    clap_complete::CompleteEnv::with_factory(<super::Cli as clap::CommandFactory>::command)
        .var(VAR)
        .complete();
}

/// The log named on the command line being completed (`--log FILE`,
/// `--log=FILE`, `-l FILE`, `-lFILE`), else by `ACTIONLOG_FILE`.
fn log_path(args: &[OsString]) -> PathBuf {
    let mut given = None;
    let mut words = args.iter();
    while let Some(word) = words.next() {
        let text = word.to_string_lossy();
        if text == "--log" || text == "-l" {
            given = words.next().cloned();
        } else if let Some(value) = text.strip_prefix("--log=") {
            given = Some(value.into());
        } else if let Some(value) = text.strip_prefix("-l").filter(|v| !v.is_empty()) {
            given = Some(value.into());
        }
    }
    given
        .or_else(|| std::env::var_os("ACTIONLOG_FILE"))
        .map_or_else(|| PathBuf::from("actionlog.jsonl"), PathBuf::from)
}

/// The log, read under a shared lock; none where it cannot be read: a
/// completion never complains.
fn log() -> Option<Log> {
    let args: Vec<OsString> = std::env::args_os().collect();
    let path = log_path(&args);
    if path.as_os_str() == "-" || !path.is_file() {
        return None;
    }
    let file = LogFile::options(Access::Read)
        .open(Location::File(path))
        .ok()?;
    Some(file.log().clone())
}

fn candidates(names: impl IntoIterator<Item = String>) -> Vec<CompletionCandidate> {
    names
        .into_iter()
        .filter(|name| !super::terminal::needs_escape(name))
        .map(CompletionCandidate::new)
        .collect()
}

/// Every distinct value `of` gives for the log's entries, sorted.
fn each(of: impl Fn(&Log, &actionlog::Entry) -> Vec<String>) -> Vec<CompletionCandidate> {
    let Some(log) = log() else {
        return Vec::new();
    };
    let mut names = BTreeSet::new();
    for entry in log.entries(Order::Added, None) {
        names.extend(of(&log, entry));
    }
    candidates(names)
}

pub fn ids() -> ArgValueCandidates {
    ArgValueCandidates::new(|| each(|_, entry| vec![entry.id().to_owned()]))
}

pub fn reasons() -> ArgValueCandidates {
    ArgValueCandidates::new(|| {
        each(|log, entry| {
            entry
                .reasons()
                .iter()
                .map(|&r| log.symbols().name(r).to_owned())
                .collect()
        })
    })
}

pub fn indexes() -> ArgValueCandidates {
    ArgValueCandidates::new(|| {
        each(|log, entry| {
            entry
                .indexes()
                .iter()
                .map(|&i| log.symbols().name(i).to_owned())
                .collect()
        })
    })
}

/// Types, and the prefixes that end in `/` (`--type user/` keeps every
/// type that starts so).
pub fn types() -> ArgValueCandidates {
    ArgValueCandidates::new(|| {
        each(|_, entry| {
            let kind = entry.action_type();
            let mut names: Vec<String> = kind
                .match_indices('/')
                .map(|(at, _)| kind[..=at].to_owned())
                .collect();
            names.push(kind);
            names
        })
    })
}

pub fn nodes() -> ArgValueCandidates {
    ArgValueCandidates::new(|| each(|_, entry| vec![entry.node().to_owned()]))
}

pub fn users() -> ArgValueCandidates {
    ArgValueCandidates::new(|| {
        each(|_, entry| {
            actionlog::id::parse_id(entry.node())
                .user_id
                .map(str::to_owned)
                .into_iter()
                .collect()
        })
    })
}

#[cfg(test)]
mod tests {
    use std::ffi::OsString;
    use std::path::PathBuf;

    #[test]
    fn the_log_is_found_in_the_words_being_completed() {
        let words = |text: &str| -> Vec<OsString> { text.split(' ').map(OsString::from).collect() };
        assert_eq!(
            super::log_path(&words("actionlog -- actionlog --log a.jsonl get")),
            PathBuf::from("a.jsonl")
        );
        assert_eq!(
            super::log_path(&words("actionlog -- actionlog --log=b get")),
            PathBuf::from("b")
        );
        assert_eq!(
            super::log_path(&words("actionlog -- actionlog -l c order -t")),
            PathBuf::from("c")
        );
        assert_eq!(
            super::log_path(&words("actionlog -- actionlog -ld order")),
            PathBuf::from("d")
        );
    }
}
