//! The command line's `-`: a log, an input or another log named `-` is
//! standard input; a log named so is saved to standard output. The
//! library only reads and writes the streams it is handed.

use std::io::{self, IsTerminal, Read};
use std::path::{Path, PathBuf};

use actionlog::Error;
use actionlog::store::{Location, StreamInput};

/// What messages call standard input.
const STDIN_NAME: &str = "<stdin>";

/// Where `arg` points: `-` is standard input (and output).
pub fn location(arg: &Path) -> Location {
    if arg.as_os_str() == "-" {
        Location::Stream {
            name: PathBuf::from(STDIN_NAME),
        }
    } else {
        Location::File(arg.to_owned())
    }
}

/// Standard input as a log's stream: a regular file behind it (a
/// redirection) is read whole, anything else as it comes.
pub fn log_input() -> Result<StreamInput, Error> {
    let stdin = io::stdin();
    let context = || "cannot read the log from standard input".to_string();
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        let fd = stdin
            .as_fd()
            .try_clone_to_owned()
            .map_err(|e| Error::io(context(), e))?;
        let mut file = std::fs::File::from(fd);
        let regular = file.metadata().is_ok_and(|m| m.is_file());
        if regular && !stdin.is_terminal() {
            let mut bytes = Vec::new();
            file.read_to_end(&mut bytes)
                .map_err(|e| Error::io(context(), e))?;
            return Ok(StreamInput::Whole(bytes));
        }
    }
    Ok(StreamInput::Reader(Box::new(stdin)))
}
