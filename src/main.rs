//! The `actionlog` command. Everything happens in [`cli`]; this file turns
//! the outcome into an exit status.

mod cli;

use std::process::ExitCode;

use cli::exit::Status;

fn main() -> ExitCode {
    match cli::run(std::env::args_os()) {
        Ok(status) => status.into(),
        Err(error) => {
            // `actionlog order | head`: the reader left, nothing went wrong.
            if cli::exit::is_broken_pipe(&error) {
                return Status::Success.into();
            }
            eprintln!("actionlog: {}", cli::exit::describe(&error));
            Status::of(&error).into()
        }
    }
}
