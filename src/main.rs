//! The `actionlog` command. Everything happens in [`cli`]; this file turns
//! the outcome into an exit status.

mod cli;

use std::process::ExitCode;

use cli::exit::Status;

fn main() -> ExitCode {
    ignore_file_size_limit_signal();
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

/// A write past the file size limit (`ulimit -f`) then fails with an error
/// the save reports and recovers from, instead of killing the process with
/// SIGXFSZ in the middle of it.
fn ignore_file_size_limit_signal() {
    #[cfg(unix)]
    // SAFETY: setting a signal to be ignored, before any thread starts.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
}
