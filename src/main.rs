//! The `actionlog` command. Everything happens in [`cli`]; this file turns
//! the outcome into an exit status.

#[macro_use]
mod cli;

use std::process::ExitCode;

use cli::exit::Status;

fn main() -> ExitCode {
    ignore_file_size_limit_signal();
    report_bus_errors();
    unset_empty_variables();
    // A panic is a bug: the hook has printed where it happened; the status
    // says it was not the input's fault.
    let outcome = std::panic::catch_unwind(|| {
        // Before anything prints: the shell may be asking for completions.
        cli::complete::answer_if_asked();
        cli::run(std::env::args_os())
    });
    let Ok(outcome) = outcome else {
        say!("actionlog: internal error (a bug in actionlog, please report it)");
        return Status::Internal.into();
    };
    match outcome {
        Ok(status) => status.into(),
        Err(error) => {
            // `actionlog order | head`: the reader left, nothing went wrong.
            if cli::exit::is_broken_pipe(&error) {
                return Status::Success.into();
            }
            say!("actionlog: {}", cli::exit::describe(&error));
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

/// A big log is read mapped, under its lock, for one command (see
/// `Buffer::map`). A program that cuts the file short regardless of the
/// lock makes reading the map raise SIGBUS, which would end the process
/// with no word; this says what happened, and exits with the status of a
/// failed read. Whatever a save had begun is the old or the new log, as
/// after any crash.
fn report_bus_errors() {
    extern "C" fn on_bus_error(_: libc::c_int) {
        const MESSAGE: &[u8] = b"actionlog: stopped: a file it was reading was cut short by another program (SIGBUS)\n";
        // Both threads of a read may fault at once: the first says so and
        // ends the process, the others wait for that (returning would
        // fault again).
        static SAID: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
        if SAID.swap(true, std::sync::atomic::Ordering::SeqCst) {
            loop {
                // SAFETY: pause(2) is async-signal-safe.
                unsafe { libc::pause() };
            }
        }
        // SAFETY: write(2) and _exit(2) are async-signal-safe.
        unsafe {
            libc::write(2, MESSAGE.as_ptr().cast(), MESSAGE.len());
            libc::_exit(Status::Io as i32);
        }
    }
    // SAFETY: installing a handler that only calls async-signal-safe
    // functions, before any thread starts.
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = on_bus_error as *const () as usize;
        libc::sigemptyset(&mut action.sa_mask);
        libc::sigaction(libc::SIGBUS, &action, std::ptr::null_mut());
    }
}

/// An empty `ACTIONLOG_*` variable means what an unset one does, as an
/// empty `NO_COLOR` does (`ACTIONLOG_FILE= actionlog order` reads
/// `actionlog.jsonl`, rather than fail on a missing value).
fn unset_empty_variables() {
    let empty: Vec<_> = std::env::vars_os()
        .filter(|(key, value)| {
            key.to_str().is_some_and(|k| k.starts_with("ACTIONLOG_")) && value.is_empty()
        })
        .map(|(key, _)| key)
        .collect();
    for key in empty {
        // SAFETY: no other thread runs yet to read the environment.
        unsafe { std::env::remove_var(key) };
    }
}
