//! The command line: the clap definition, the typed configuration made from
//! it, and the driver that opens the log, runs one command and saves.

/// `eprintln!` that cannot fail: a message to a stderr that cannot be
/// written (`2>/dev/full`, a full disk) is lost, and the command goes on to
/// its own exit status instead of panicking.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        // One write a line: stderr is unbuffered, and `writeln!` would
        // write each piece of the line apart, a system call each, and let
        // lines of two threads (`serve`'s clients) run into each other.
        let mut line = format!($($arg)*);
        line.push('\n');
        let _ = std::io::stderr().write_all(line.as_bytes());
    }};
}

pub mod cmd;
pub mod complete;
pub mod config;
pub mod exit;
pub mod follow;
pub mod generated;
pub mod input;
pub mod net;
pub mod output;
pub mod progress;
pub mod repl;
pub mod session;
pub mod signals;
pub mod stdio;
pub mod summary;
pub mod table;
pub mod terminal;
pub mod write_behind;

use std::ffi::OsString;
use std::io::IsTerminal;
use std::path::PathBuf;

use actionlog::store::{Access, LogFile};
use clap::{Parser, Subcommand, ValueEnum};

use config::Config;
use exit::Status;
use session::Session;

/// The heading of the options every command takes.
const GLOBAL: &str = "Global options";

const AFTER_HELP: &str = "\
Examples:
  actionlog -l chat.jsonl order                 # oldest first
  actionlog order -t message/ -a channelId=c7   # what happened in one channel
  actionlog add '{\"type\":\"user/rename\",\"name\":\"Ann\"}' -r user/1/name
  actionlog remove-reason syncing -n            # a dry run: changes nothing
  actionlog -l server.jsonl merge client.jsonl -r sync
  actionlog sync wss://logux.example.com -r sync
  actionlog repl                                # work on the log interactively
  actionlog help order                          # options and examples

Short options:
  -l --log, -o --format; where a command takes them: -t --type,
  -r --reason, -i --index, -m --meta, -a --action, -c --count,
  -e --exit-status, -n --dry-run, -f --follow

Exit status:
  0  done
  1  an ID asked for is not in the log; order -e: nothing printed
  2  the command line is wrong
  3  bad input (JSON, action, meta, ID); the log is not changed
  4  a malformed line in the log file, left unchanged (check: problems found)
  5  reading, writing or locking a file failed
  6  the REPL could not save: the log file changed on disk since it was read
  7  sync: the Logux peer refused the credentials
  8  sync: the peer speaks another protocol or subprotocol
  9  sync: no connection to the peer could be made
 10  sync: the connection ended before the work was done
 11  sync: the peer did not answer in time
 12  sync: the peer broke the Logux protocol
 70  internal error: a bug in actionlog";

const LONG_ABOUT: &str = "\
Inspect and manipulate Logux action logs kept as JSON lines.

A log is a JSON-lines file: an optional first line with the log's own state
({\"lastAdded\":N,\"lastSynced\":{...}}), then one [action, meta] pair per line in
the order entries were added.

An action is a JSON object with a \"type\". Meta keys with a meaning:
  id           \"<ms> <node ID> <counter>\", unique across nodes (read-only)
  time         creation time in ms; from the ID when not given (read-only)
  added        serial number in this log, never reused (read-only)
  reasons      why the entry is kept; an entry without reasons is removed
  keepLast     a reason to keep only on the newest action that has it
  subprotocol  the application's protocol version (read-only once set)
  indexes      named lists the entry belongs to, for --index (read-only)
Any other meta key is kept as it is.

Environment: ACTIONLOG_FILE (--log), ACTIONLOG_NODE_ID (--node-id),
ACTIONLOG_ARCHIVE (--archive), ACTIONLOG_RULES (--rules),
ACTIONLOG_NOW (pins the clock, in ms), NO_COLOR.";

/// Inspect and manipulate Logux action logs kept as JSON lines.
#[derive(Debug, Parser)]
#[command(name = "actionlog", version, after_help = AFTER_HELP, long_about = LONG_ABOUT)]
pub struct Cli {
    /// The log file; `-` reads it from stdin and writes it to stdout.
    #[arg(
        short = 'l',
        long,
        global = true,
        help_heading = GLOBAL,
        env = "ACTIONLOG_FILE",
        default_value = "actionlog.jsonl",
        value_name = "FILE"
    )]
    pub log: PathBuf,

    /// Node ID for generated action IDs [default: USER:HOST of this machine].
    #[arg(
        add = complete::nodes(),
        long,
        global = true,
        help_heading = GLOBAL,
        env = "ACTIONLOG_NODE_ID",
        value_name = "ID"
    )]
    pub node_id: Option<String>,

    /// Output format [default: table on a terminal, else jsonl].
    #[arg(short = 'o', long, global = true, help_heading = GLOBAL, value_enum, value_name = "FORMAT")]
    pub format: Option<Format>,

    /// When to colour output.
    #[arg(long, global = true, help_heading = GLOBAL, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Rules for every added or merged action (reasons, keepLast, indexes,
    /// resend, history by action type), a JSON file.
    #[arg(long, global = true, help_heading = GLOBAL, env = "ACTIONLOG_RULES", value_name = "FILE")]
    pub rules: Option<PathBuf>,

    /// Append every cleaned entry to this JSON-lines file.
    #[arg(long, global = true, help_heading = GLOBAL, env = "ACTIONLOG_ARCHIVE", value_name = "FILE")]
    pub archive: Option<PathBuf>,

    /// Show times in tables in this machine's time zone (TZ), not UTC.
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub local_time: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A table of entries or events.
    Table,
    /// One JSON document.
    Json,
    /// One JSON value per line.
    Jsonl,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour a terminal, unless NO_COLOR is set or TERM is dumb.
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Add(cmd::add::Args),
    AddReason(cmd::add_reason::Args),
    ChangeMeta(cmd::change_meta::Args),
    RemoveReason(cmd::remove_reason::Args),
    GenerateId(cmd::generate_id::Args),
    Order(cmd::order::Args),
    Get(cmd::get::Args),
    Merge(cmd::merge::Args),
    Import(cmd::import::Args),
    Export(cmd::export::Args),
    Synced(cmd::synced::Args),
    Sync(Box<cmd::sync::Args>),
    Serve(Box<cmd::serve::Args>),
    Check(cmd::check::Args),
    Stats(cmd::stats::Args),
    ParseId(cmd::parse_id::Args),
    IsOlder(cmd::is_older::Args),
    Completions(cmd::completions::Args),
    Repl(repl::Args),
}

impl Command {
    /// Whether the command changes the log.
    pub fn changes_log(&self) -> bool {
        if let Command::Synced(args) = self {
            return args.sets();
        }
        matches!(
            self,
            Command::Add(_)
                | Command::AddReason(_)
                | Command::ChangeMeta(_)
                | Command::RemoveReason(_)
                | Command::Merge(_)
                | Command::Import(_)
        )
    }

    /// Whether the command reads its input from standard input.
    fn reads_stdin(&self) -> bool {
        match self {
            Command::Add(args) => args.reads_stdin(),
            Command::ChangeMeta(args) => args.reads_stdin(),
            Command::AddReason(args) => args.reads_stdin(),
            Command::RemoveReason(args) => args.reads_stdin(),
            Command::Merge(args) => args.reads_stdin(),
            Command::Import(args) => args.reads_stdin(),
            _ => false,
        }
    }

    /// Whether the command may generate action IDs, which the lock file
    /// records.
    pub fn generates_ids(&self) -> bool {
        matches!(self, Command::Add(_) | Command::GenerateId(_))
    }

    /// Text that every line the command needs contains, when it needs only
    /// those (see `LogFile::open_sparse`).
    fn sparse_wanted(&self, config: &Config) -> Option<Vec<actionlog::store::Wanted>> {
        match self {
            // Rules may set keepLast or prune the history: the whole log.
            Command::Add(args) if config.rules.is_none() => args.sparse_wanted(&config.node_id),
            Command::Get(args) => args.sparse_wanted(),
            _ => None,
        }
    }

    /// The lock the command needs: exclusive to change the log or to
    /// generate IDs (which the lock file remembers), shared to read, none
    /// for commands that do not look at the log.
    fn access(&self) -> Option<Access> {
        match self {
            // `check` reads the file itself, line by line.
            Command::ParseId(_)
            | Command::Completions(_)
            | Command::Repl(_)
            | Command::Sync(_)
            | Command::Serve(_)
            | Command::Check(_) => None,
            Command::GenerateId(_) => Some(Access::Write),
            _ if self.changes_log() => Some(Access::Write),
            _ => Some(Access::Read),
        }
    }
}

/// Runs the command line `args` and returns the exit status.
pub fn run(args: impl IntoIterator<Item = impl Into<OsString> + Clone>) -> anyhow::Result<Status> {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(error) => {
            let status = if error.use_stderr() {
                Status::Usage
            } else {
                Status::Success
            };
            // The message quotes the arguments given: what would steer a
            // terminal is shown escaped, line by line.
            let text = error.render().to_string();
            if text.lines().any(terminal::needs_escape) {
                let lines: Vec<String> = text.lines().map(terminal::sanitize).collect();
                say!("{}", lines.join("\n"));
            } else {
                error.print()?;
            }
            return Ok(status);
        }
    };
    let mut config = Config::from_cli(&cli)?;
    if let Some(path) = &cli.rules {
        config.rules = Some(read_rules(path, config.stream_limit)?);
    }
    match &cli.command {
        Command::Repl(args) => return repl::run(config, args),
        Command::Sync(args) => return cmd::sync::run(config, args),
        Command::Serve(args) => return cmd::serve::run(config, args),
        _ => {}
    }
    let access = cli.command.access();
    let writes = cli.command.changes_log();
    // A typo must not look like an empty log: a command that only reads
    // one wants it there. (`is-older` needs no log: IDs not in one are
    // compared by their milliseconds.)
    if access == Some(Access::Read)
        && !matches!(cli.command, Command::IsOlder(_))
        && let actionlog::store::Location::File(path) = &config.log
        && let Err(e) = std::fs::metadata(path)
        && e.kind() == std::io::ErrorKind::NotFound
    {
        return Err(actionlog::Error::io(format!("cannot read {}", path.display()), e).into());
    }
    // Commands that only print the lines, or count the entries, of a whole
    // big log read it compactly (see `LineIndex`) when they can.
    if let Command::Order(args) = &cli.command
        && let Some(status) = cmd::order::run_indexed(args, &config)?
    {
        return Ok(status);
    }
    if let Command::Export(args) = &cli.command
        && args.streams(config.format)?
        && let Some((log, _)) = LogFile::options(Access::Read)
            .progress(Box::new(progress::Bar::for_stderr()))
            .open_sequential(&config.log, &actionlog::store::JustCheck)?
            .read()
    {
        let mut session = Session::open(config, None, false)?;
        let status = cmd::export::run_sequential(args, &log, &mut session)?;
        session.finish()?;
        return Ok(status);
    }
    if let Command::Stats(args) = &cli.command
        && let Some(stats) = cmd::stats::count_sequentially(args, &config)?
    {
        let mut session = Session::open(config, None, false)?;
        let status = cmd::stats::print(&stats, &mut session)?;
        session.finish()?;
        return Ok(status);
    }
    if let Command::Merge(args) = &cli.command
        && let Some(status) = cmd::merge::run_streaming(args, &config)?
    {
        return Ok(status);
    }
    // Read before the log is locked: see `prefetch_stdin`. Plain actions
    // piped into `add` are added in bulk, from the input read whole.
    let bulk = matches!(&cli.command, Command::Add(args) if args.may_add_in_bulk(&config));
    let prefetched = if cli.command.reads_stdin() {
        session::prefetch_stdin(config.stream_limit, bulk)?
    } else {
        None
    };
    if let Command::Add(args) = &cli.command
        && bulk
        && let Some(input) = &prefetched
        && let Some(status) = cmd::add::run_bulk(args, &config, &input.bytes)?
    {
        return Ok(status);
    }
    let prefetched = match prefetched {
        Some(prefetched) => prefetched.for_streaming()?,
        None => None,
    };
    let mut session = match (access, cli.command.sparse_wanted(&config)) {
        (Some(access), Some(needles)) => Session::open_sparse(config, access, writes, &needles)?,
        _ => Session::open(config, access, writes)?,
    };
    session.set_prefetched(prefetched);
    // A person watching sees what the change came to.
    if writes && std::io::stderr().is_terminal() && !session.location().is_stream() {
        session.start_summary();
    }
    let status = execute(&cli.command, &mut session)?;
    session.finish()?;
    Ok(status)
}

/// Reads a rules file; its errors name the file.
fn read_rules(path: &std::path::Path, limit: u64) -> anyhow::Result<actionlog::rules::Rules> {
    let context = || format!("cannot read the rules {}", path.display());
    let bytes = actionlog::store::read_untrusted(path, limit).map_err(|e| match e {
        actionlog::Error::Io { cause, .. } => actionlog::Error::io(context(), cause),
        other => other,
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        actionlog::Error::io(
            context(),
            std::io::Error::new(std::io::ErrorKind::InvalidData, e.utf8_error()),
        )
    })?;
    actionlog::rules::Rules::parse(&text)
        .map_err(|e| actionlog::Error::input(format!("{}: {e}", path.display())).into())
}

/// Runs one command against an open session.
pub fn execute(command: &Command, session: &mut Session) -> anyhow::Result<Status> {
    match command {
        Command::Add(args) => cmd::add::run(args, session),
        Command::AddReason(args) => cmd::add_reason::run(args, session),
        Command::ChangeMeta(args) => cmd::change_meta::run(args, session),
        Command::RemoveReason(args) => cmd::remove_reason::run(args, session),
        Command::GenerateId(args) => cmd::generate_id::run(args, session),
        Command::Order(args) => cmd::order::run(args, session),
        Command::Get(args) => cmd::get::run(args, session),
        Command::Check(args) => cmd::check::run(args, session),
        Command::Merge(args) => cmd::merge::run(args, session),
        Command::Import(args) => cmd::import::run(args, session),
        Command::Export(args) => cmd::export::run(args, session),
        Command::Synced(args) => cmd::synced::run(args, session),
        Command::Stats(args) => cmd::stats::run(args, session),
        Command::ParseId(args) => cmd::parse_id::run(args, session),
        Command::IsOlder(args) => cmd::is_older::run(args, session),
        Command::Completions(args) => cmd::completions::run(args, session),
        Command::Repl(_) => Err(exit::UsageError("already in the REPL".into()).into()),
        Command::Sync(_) | Command::Serve(_) => Err(exit::UsageError(
            "sync and serve run from the shell, not in the REPL".into(),
        )
        .into()),
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
