//! `check`: every problem of a log file, and a repaired copy on request.

use std::io::Write;
use std::path::{Path, PathBuf};

use actionlog::check::{Problem, Repair, Report, check_raw, count_if_valid};
use actionlog::json;
use actionlog::store::{self, Access, JustCheck, Location, LogFile, OnePass};

use crate::cli::Format;
use crate::cli::exit::{Status, UsageError};
use crate::cli::session::Session;
use crate::cli::terminal::sanitize;

const EXAMPLES: &str = "Examples:
  actionlog --log chat.jsonl check
  actionlog --log chat.jsonl check --repair        # writes chat.repaired.jsonl";

/// Check the log file and report every problem, not only the first.
///
/// Each line is read as other commands read it: the header, then one entry
/// a line, IDs unique, `added` increasing. Every problem is printed with
/// its line number; the exit status is 4 if there is any. The log itself
/// is never changed.
///
/// With --repair, a copy of the log is written beside it (NAME.repaired.EXT,
/// or --output): lines that are not entries are left out, an entry whose ID
/// came before is left out, an entry whose `added` goes backwards is
/// renumbered, and everything else is kept as it was.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// Write a repaired copy beside the log.
    #[arg(long)]
    repair: bool,

    /// Where to write the repaired copy (never over an existing file).
    #[arg(long, value_name = "FILE", requires = "repair")]
    output: Option<PathBuf>,
}

pub fn run(args: &Args, session: &mut Session) -> anyhow::Result<Status> {
    let Location::File(path) = session.location().clone() else {
        return Err(UsageError("check reads a log file, not stdin".into()).into());
    };
    // The lock is held to the end: a big log is mapped, and the report
    // holds slices of it.
    let (report, unfinished, _lock) = examine(args, session, &path)?;
    let repaired = match (args.repair, &args.output) {
        (false, _) => None,
        (true, Some(output)) => Some(output.clone()),
        (true, None) => Some(repaired_name(&path)),
    };
    if let Some(output) = &repaired {
        check_repaired_name(output, args.output.is_some())?;
        store::write_new(output, &report.repaired)?;
    }
    print_report(
        args,
        session,
        &path,
        &report,
        unfinished,
        repaired.as_deref(),
    )?;
    Ok(if report.problems.is_empty() {
        Status::Success
    } else {
        Status::BadLog
    })
}

/// Reads the log at `path` as cheaply as its state allows: the report,
/// where an append was cut short, and the lock the report's text is read
/// under, if it holds any of the file's text.
fn examine(
    args: &Args,
    session: &Session,
    path: &Path,
) -> anyhow::Result<(Report, Option<u64>, Option<store::HeldLock>)> {
    // A big valid log (the usual case) is told apart by one sequential
    // read, which holds 8 bytes an entry; any doubt, and every problem is
    // looked for.
    let sequential = if args.repair {
        OnePass::NotBig
    } else {
        LogFile::options(Access::Read).open_sequential(session.location(), &JustCheck)?
    };
    // A big log the one-pass read declined mostly has a problem, which the
    // compact read (the same rules per line) would decline too: it is
    // left out. The rare valid one (a 64-bit hash collision) is found
    // valid by `check_raw`.
    let declined = matches!(sequential, OnePass::Declined);
    if let Some((log, _)) = sequential.read() {
        return Ok((no_problems(log.len()), None, None));
    }
    let store::RawLog {
        bytes,
        unfinished,
        stopped,
        lock,
    } = store::read_raw(path, session.config.stream_limit, session.hold())?;
    let limit = unfinished.map(|len| len as usize);
    // A valid log is told apart by the compact read, in a fifth of the
    // memory.
    let counted = (!args.repair && !stopped && !declined)
        .then(|| count_if_valid(&bytes, limit))
        .flatten();
    let report = match counted {
        Some(entries) => no_problems(entries),
        None => check_raw(bytes, limit, stopped),
    };
    Ok((report, unfinished, Some(lock)))
}

fn no_problems(entries: usize) -> Report {
    Report {
        problems: Vec::new(),
        entries,
        repaired: store::Stored::empty(),
    }
}

/// Refuses a name for the repaired copy that would overwrite a file, or
/// that a log's writer may overwrite or clear away. `given`: the name came
/// with --output.
fn check_repaired_name(output: &Path, given: bool) -> anyhow::Result<()> {
    let shown = || sanitize(&output.display().to_string());
    // A link to nothing is there too: the copy is never written through it.
    if std::fs::symlink_metadata(output).is_ok() {
        return Err(UsageError(format!(
            "{} already exists; remove it or name another file with --output",
            shown()
        ))
        .into());
    }
    if store::looks_temporary(output) || output.extension().is_some_and(|e| e == "lock") {
        let (named, hint) = if given {
            (format!("--output {}", shown()), "")
        } else {
            (
                format!("the repaired copy's name {}", shown()),
                "; name another with --output",
            )
        };
        return Err(UsageError(format!(
            "{named}: a name like that is a lock file's or a temporary file's, which a log's writer may overwrite or clear away{hint}"
        ))
        .into());
    }
    Ok(())
}

/// Prints what checking found, and the repaired copy written, if any.
fn print_report(
    args: &Args,
    session: &mut Session,
    path: &Path,
    report: &Report,
    unfinished: Option<u64>,
    repaired: Option<&Path>,
) -> anyhow::Result<()> {
    let name = path.display().to_string();
    let out = session.out.raw();
    match session.config.format {
        Format::Json | Format::Jsonl => {
            let problems: Vec<String> = report.problems.iter().map(problem_json).collect();
            let object = format!(
                "{{\"file\":{},\"entries\":{},\"unfinishedAppendFrom\":{},\"problems\":[{}],\"repaired\":{}}}",
                json::quote(&name),
                report.entries,
                unfinished.map_or("null".into(), |len| len.to_string()),
                problems.join(","),
                repaired.map_or("null".into(), |p| json::quote(&p.display().to_string())),
            );
            writeln!(out, "{object}")?;
        }
        Format::Table => {
            for problem in &report.problems {
                let repair = match (args.repair, problem.repair) {
                    (false, _) => String::new(),
                    (true, Repair::Dropped) => " [left out]".into(),
                    (true, Repair::Renumbered(added)) => format!(" [added becomes {added}]"),
                };
                let line = format!("{name}:{}: {}{repair}", problem.line, problem.message);
                writeln!(out, "{}", sanitize(&line))?;
            }
            if let Some(len) = unfinished {
                let note = format!(
                    "{name}: an append was cut short at byte {len}; what follows is not part of the log and the next change takes it back"
                );
                writeln!(out, "{}", sanitize(&note))?;
            }
            let summary = match report.problems.len() {
                0 => format!("{name}: {}, no problems", entries(report.entries)),
                n => format!(
                    "{name}: {n} problem{}; {} read",
                    if n == 1 { "" } else { "s" },
                    entries(report.entries)
                ),
            };
            writeln!(out, "{}", sanitize(&summary))?;
            if let Some(output) = repaired {
                let line = format!(
                    "wrote {} ({})",
                    output.display(),
                    entries(report.repaired.log.len())
                );
                writeln!(out, "{}", sanitize(&line))?;
            }
        }
    }
    Ok(())
}

fn entries(n: usize) -> String {
    format!("{n} entr{}", if n == 1 { "y" } else { "ies" })
}

fn problem_json(problem: &Problem) -> String {
    let repair = match problem.repair {
        Repair::Dropped => "\"repair\":\"leave out\"".to_string(),
        Repair::Renumbered(added) => format!("\"repair\":\"renumber\",\"added\":{added}"),
    };
    format!(
        "{{\"line\":{},\"problem\":{},{repair}}}",
        problem.line,
        json::quote(&problem.message)
    )
}

/// `chat.jsonl` → `chat.repaired.jsonl`; `log` → `log.repaired`.
fn repaired_name(path: &Path) -> PathBuf {
    let stem = path.file_stem().unwrap_or_default().to_string_lossy();
    let name = match path.extension() {
        Some(ext) => format!("{stem}.repaired.{}", ext.to_string_lossy()),
        None => format!("{stem}.repaired"),
    };
    path.with_file_name(name)
}
