//! `actionlog repl`: an interactive session on one log, loaded once.
//!
//! On a terminal it edits lines with rustyline (history, completion, hints);
//! with stdin not a terminal it reads commands line by line and prints
//! exactly what the same commands print when run one per process, so a
//! script of commands can be piped in.

mod helper;
mod line;
pub mod words;

use std::cell::RefCell;
use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::rc::Rc;

use actionlog::Log;
use actionlog::store::Location;
use clap::{CommandFactory, Parser};
use colored::Colorize;
use rustyline::error::ReadlineError;

use super::config::Config;
use super::exit::{Status, UsageError, describe, is_broken_pipe};
use super::session::Session;
use super::{Command, execute, terminal};
use line::Line;

/// How many changes `undo` can take back.
const UNDO_DEPTH: usize = 32;

const EXAMPLES: &str = r#"Examples:
  actionlog repl
  actionlog --log chat.jsonl repl --no-save
  printf '%s\n' 'add {"type":"a"} --reason r' 'order' | actionlog repl"#;

/// Work on a log interactively.
///
/// Loads the log once and takes the same commands as the command line,
/// without the program name, plus save, reload, undo, status, help and
/// exit. A word that starts with { or [ runs to its matching bracket, so
/// JSON needs no quotes; "…" holds an ID with spaces. Tab completes
/// commands, options, IDs, reasons and action types. The log is saved on
/// save and on exit. With stdin not a terminal, reads commands line by
/// line and prints what they would print run one by one.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// Leave without saving unsaved changes.
    #[arg(long)]
    no_save: bool,
}

/// A log as it was before a command changed it.
struct Snapshot {
    log: Log,
    state: u64,
    command: String,
}

/// What to do after a line.
enum Flow {
    Continue,
    Exit,
}

struct Repl {
    session: Rc<RefCell<Session>>,
    interactive: bool,
    no_save: bool,
    undo: Vec<Snapshot>,
    /// Names each version of the log in memory; `saved_state` is the one
    /// the file holds.
    state: u64,
    next_state: u64,
    saved_state: u64,
}

pub fn run(config: Config, args: &Args) -> anyhow::Result<Status> {
    if config.log == Location::Stdio {
        return Err(UsageError(
            "the REPL reads commands from stdin, so the log cannot come from there (--log -)"
                .into(),
        )
        .into());
    }
    let interactive = terminal::stdin_is_terminal();
    let session = Session::open_for_repl(config)?;
    crate::cli::signals::catch_interrupt();
    let mut repl = Repl {
        session: Rc::new(RefCell::new(session)),
        interactive,
        no_save: args.no_save,
        undo: Vec::new(),
        state: 0,
        next_state: 1,
        saved_state: 0,
    };
    if interactive {
        repl.interactive()
    } else {
        repl.batch()
    }
}

impl Repl {
    /// Commands from a pipe or file: no prompt, no banner; errors on stderr;
    /// the status of the first failing line.
    fn batch(&mut self) -> anyhow::Result<Status> {
        let mut status = Status::Success;
        let stdin = std::io::stdin();
        for (number, line) in stdin.lock().lines().enumerate() {
            // Ctrl-C ends the script; what was done is saved on leaving.
            if crate::cli::signals::take() {
                break;
            }
            // A line that is not text fails like a bad command: the rest go
            // on, and what was done is saved on leaving.
            let line = line.map_err(|e| {
                anyhow::Error::new(actionlog::Error::input(format!(
                    "stdin line {}: {e}",
                    number + 1
                )))
            });
            match line.and_then(|line| self.line(&line)) {
                Ok((Flow::Continue, line_status)) => {
                    if status == Status::Success {
                        status = line_status;
                    }
                }
                Ok((Flow::Exit, _)) => break,
                // The reader of the output went away, as `| head` does: the
                // script ends, as a command would.
                Err(error) if is_broken_pipe(&error) => break,
                Err(error) => {
                    if status == Status::Success {
                        status = Status::of(&error);
                    }
                    self.report(&error);
                }
            }
        }
        match self.leave() {
            Ok(()) => Ok(status),
            Err(error) if status == Status::Success => Err(error),
            Err(error) => {
                self.report(&error);
                Ok(status)
            }
        }
    }

    fn interactive(&mut self) -> anyhow::Result<Status> {
        let mut editor = helper::editor(Rc::clone(&self.session))?;
        let history = history_path();
        if let Some(path) = &history {
            let _ = editor.load_history(path);
        }
        {
            let session = self.session.borrow();
            say!(
                "actionlog {} on {} ({} entries). Type help for commands, exit or Ctrl-D to leave.",
                env!("CARGO_PKG_VERSION"),
                terminal::sanitize(&session.location().display_path().display().to_string()),
                session.log().len()
            );
        }
        loop {
            let prompt = self.prompt();
            match editor.readline(&prompt) {
                Ok(line) => {
                    if !line.trim().is_empty() {
                        let _ = editor.add_history_entry(line.as_str());
                    }
                    // Ctrl-C while a command runs (it waits on a pipe, say)
                    // stops that command, not the session.
                    crate::cli::signals::take();
                    match self.line(&line) {
                        Ok((Flow::Continue, _)) => {}
                        Ok((Flow::Exit, _)) => break,
                        Err(error) => self.report(&error),
                    }
                    crate::cli::signals::take();
                }
                Err(ReadlineError::Interrupted) => continue,
                Err(ReadlineError::Eof) => break,
                Err(error) => return Err(error.into()),
            }
        }
        if let Some(path) = &history {
            if let Some(dir) = path.parent() {
                let _ = std::fs::create_dir_all(dir);
            }
            let _ = editor.save_history(path);
        }
        self.leave()?;
        Ok(Status::Success)
    }

    fn prompt(&self) -> String {
        let session = self.session.borrow();
        let name = session
            .location()
            .display_path()
            .file_name()
            .map_or_else(|| "log".to_string(), |n| n.to_string_lossy().into_owned());
        let mark = if self.unsaved() { "*" } else { "" };
        terminal::sanitize(&format!("{name}{mark}> "))
    }

    fn report(&self, error: &anyhow::Error) {
        let _ = self.session.borrow_mut().print_events();
        say!("actionlog: {}", describe(error));
    }

    fn unsaved(&self) -> bool {
        self.state != self.saved_state || self.session.borrow().has_unsaved_changes()
    }

    /// Runs one line; the status is that of a command that answers with one
    /// (`get` of a missing ID fails with an error instead).
    fn line(&mut self, text: &str) -> anyhow::Result<(Flow, Status)> {
        let words = words::split(text);
        if words.is_empty() || words[0].text.starts_with('#') {
            return Ok((Flow::Continue, Status::Success));
        }
        if let Some(open) = words.iter().find(|w| w.open) {
            return Err(UsageError(format!("unfinished word: {}", open.text)).into());
        }
        let parsed = Line::try_parse_from(words.iter().map(|w| w.text.as_str()));
        let parsed = match parsed {
            Ok(parsed) => parsed,
            Err(error) if !error.use_stderr() => {
                print!("{error}");
                return Ok((Flow::Continue, Status::Success));
            }
            Err(error) => {
                let message = error.render().to_string();
                let first = message
                    .lines()
                    .next()
                    .unwrap_or_default()
                    .trim_start_matches("error: ");
                return Err(UsageError(first.to_owned()).into());
            }
        };
        match parsed {
            Line::Log(Command::Repl(_)) => Err(UsageError("already in the REPL".into()).into()),
            Line::Log(command) => self
                .command(&command, text.trim())
                .map(|s| (Flow::Continue, s)),
            Line::Save => {
                self.save()?;
                Ok((Flow::Continue, Status::Success))
            }
            Line::Reload => {
                self.reload()?;
                Ok((Flow::Continue, Status::Success))
            }
            Line::Undo => {
                self.undo()?;
                Ok((Flow::Continue, Status::Success))
            }
            Line::Status => {
                self.status();
                Ok((Flow::Continue, Status::Success))
            }
            Line::Help { command } => {
                help(command.as_deref())?;
                Ok((Flow::Continue, Status::Success))
            }
            Line::Exit => Ok((Flow::Exit, Status::Success)),
        }
    }

    fn command(&mut self, command: &Command, text: &str) -> anyhow::Result<Status> {
        let mut session = self.session.borrow_mut();
        let before = command.changes_log().then(|| session.log().clone());
        let revision = session.log().revision();
        if self.interactive && command.changes_log() {
            session.start_summary();
        }
        let executed = if command.generates_ids() {
            session.with_ids_recorded(|session| execute(command, session))
        } else {
            execute(command, &mut session)
        };
        match executed {
            Ok(status) => {
                if let Some(log) = before
                    && session.log().revision() != revision
                {
                    self.undo.push(Snapshot {
                        log,
                        state: self.state,
                        command: text.to_owned(),
                    });
                    if self.undo.len() > UNDO_DEPTH {
                        self.undo.remove(0);
                    }
                    self.state = self.next_state;
                    self.next_state += 1;
                }
                session.print_events()?;
                if let Some(line) = session.take_summary() {
                    say!("{}", line.dimmed());
                }
                if self.interactive && matches!(command, Command::IsOlder(_)) {
                    println!(
                        "{}",
                        if status == Status::Success {
                            "older"
                        } else {
                            "not older"
                        }
                    );
                }
                Ok(status)
            }
            Err(error) => {
                // A command that fails changes nothing, even halfway.
                if let Some(log) = before {
                    session.replace_log(log);
                }
                session.drop_events();
                session.take_summary();
                Err(error)
            }
        }
    }

    fn save(&mut self) -> anyhow::Result<()> {
        let changed = self.unsaved();
        self.session.borrow_mut().save_for_repl()?;
        self.saved_state = self.state;
        if self.interactive {
            let session = self.session.borrow();
            let path = terminal::sanitize(&session.location().display_path().display().to_string());
            if changed {
                say!("saved {path}");
            } else {
                say!("no changes to save in {path}");
            }
        }
        Ok(())
    }

    fn reload(&mut self) -> anyhow::Result<()> {
        let dropped = self.unsaved();
        self.session.borrow_mut().reload()?;
        self.undo.clear();
        self.state = self.next_state;
        self.next_state += 1;
        self.saved_state = self.state;
        if self.interactive {
            let session = self.session.borrow();
            let note = if dropped {
                ", unsaved changes dropped"
            } else {
                ""
            };
            say!("reloaded: {} entries{note}", session.log().len());
        }
        Ok(())
    }

    fn undo(&mut self) -> anyhow::Result<()> {
        let Some(snapshot) = self.undo.pop() else {
            return Err(UsageError("nothing to undo".into()).into());
        };
        let mut log = snapshot.log;
        if snapshot.state != self.saved_state {
            log.mark_unsaved();
        }
        let mut session = self.session.borrow_mut();
        log.continue_added_after(session.log().last_added());
        session.replace_log(log);
        drop(session);
        self.state = snapshot.state;
        if self.interactive {
            say!("undid: {}", terminal::sanitize(&snapshot.command));
        }
        Ok(())
    }

    fn status(&self) {
        let session = self.session.borrow();
        let log = session.log();
        let unsaved = if self.unsaved() { "yes" } else { "no" };
        println!(
            "file: {}\nentries: {}\nlastAdded: {}\nunsaved changes: {unsaved}",
            terminal::sanitize(&session.location().display_path().display().to_string()),
            log.len(),
            log.last_added()
        );
    }

    /// Saves on the way out unless told not to, and says so on a terminal.
    fn leave(&mut self) -> anyhow::Result<()> {
        if self.unsaved() && self.no_save {
            if self.interactive {
                say!("{}", "left without saving the changes (--no-save)".yellow());
            }
            // The IDs shown must still never come again.
            return self.session.borrow_mut().remember_ids();
        }
        if self.unsaved() {
            self.save()?;
        } else {
            self.session.borrow_mut().remember_ids()?;
        }
        Ok(())
    }
}

/// `help`: the list of commands, or one command's long help.
fn help(command: Option<&str>) -> anyhow::Result<()> {
    let mut line = Line::command();
    let mut out = std::io::stdout();
    match command {
        None => {
            writeln!(out, "Commands:")?;
            for sub in line.get_subcommands() {
                let about = sub.get_about().map(ToString::to_string).unwrap_or_default();
                writeln!(out, "  {:<14} {about}", sub.get_name())?;
            }
            writeln!(
                out,
                "\nhelp COMMAND shows a command's options. JSON needs no quotes; quote IDs: \"1 a 0\"."
            )?;
        }
        Some(name) => match line.find_subcommand_mut(name) {
            Some(sub) => write!(out, "{}", sub.render_long_help())?,
            None => {
                return Err(UsageError(format!("no command {}", terminal::sanitize(name))).into());
            }
        },
    }
    Ok(())
}

/// `$XDG_CACHE_HOME/actionlog/history`, else `~/.cache/actionlog/history`.
fn history_path() -> Option<PathBuf> {
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .filter(|dir| !dir.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))?;
    Some(cache.join("actionlog").join("history"))
}
