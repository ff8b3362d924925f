//! `completions`: prints a shell completion script.

use std::io::Write;

use clap_complete::Shell;

use crate::cli::exit::Status;
use crate::cli::generated::completion;
use crate::cli::session::Session;

const EXAMPLES: &str = "Examples:
  actionlog completions bash > ~/.local/share/bash-completion/completions/actionlog
  actionlog completions zsh > ~/.zfunc/_actionlog
  actionlog completions fish > ~/.config/fish/completions/actionlog.fish";

/// Print the completion script for a shell.
///
/// The same scripts are in the completions/ folder of the source.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// The shell.
    #[arg(value_enum, value_name = "SHELL")]
    shell: Shell,
}

pub fn run(args: &Args, session: &mut Session) -> anyhow::Result<Status> {
    session.out.raw().write_all(&completion(args.shell))?;
    Ok(Status::Success)
}
