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
    /// Read the log from its file again, dropping unsaved changes.
    Reload,
    /// Take back the last command that changed the log.
    Undo,
    /// Show the file, the number of entries, lastAdded and unsaved changes.
    Status,
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
