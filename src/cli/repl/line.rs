//! What a REPL line can be: any command of the command line, parsed by the
//! same clap definition, or one of the REPL's own.

use clap::Parser;

use crate::cli::Command;

// One value per line typed, parsed and dropped: its size costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Parser)]
#[command(
    multicall = true,
    disable_help_subcommand = true,
    disable_version_flag = true
)]
pub enum Line {
    #[command(flatten)]
    Log(Command),
    /// Write the log to its file.
    Save,
    /// Read the log from its file again, dropping unsaved changes (or,
    /// with --keep, doing them again on the new log).
    Reload {
        /// Run the commands that made the unsaved changes again, in order,
        /// on the log as the file has it now (as a rebase does).
        #[arg(long)]
        keep: bool,
    },
    /// Take back the last command that changed the log.
    Undo,
    /// Show the file, the number of entries, lastAdded and unsaved changes.
    Status,
    /// Show or set the session's defaults: format, color, archive,
    /// local-time.
    Set {
        /// format, color, archive or local-time.
        #[arg(value_name = "NAME", value_parser = ["format", "color", "archive", "local-time"])]
        name: Option<String>,
        /// The value: for format table|json|jsonl, for color
        /// auto|always|never, for archive a file or `none`, for
        /// local-time on|off.
        #[arg(value_name = "VALUE")]
        value: Option<String>,
    },
    /// List the commands, or show the help of one.
    Help {
        /// A command.
        #[arg(value_name = "COMMAND")]
        command: Option<String>,
    },
    /// Leave, saving unsaved changes unless started with --no-save.
    #[command(alias = "quit")]
    Exit,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn repl_definition_is_consistent() {
        super::Line::command().debug_assert();
    }
}
