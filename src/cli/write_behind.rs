//! Standard output written on a thread of its own, a buffer at a time,
//! while the next buffer is filled: for a command whose output is most of
//! its work once it has read the log (`order` of a whole log), so that
//! gathering the lines and the kernel's copy of them go on at once.

use std::io::{self, Write};
use std::sync::mpsc::{Receiver, SyncSender, channel, sync_channel};

/// How much is handed over at a time.
const BUFFER: usize = 1 << 20;

/// Runs `fill` with a writer whose output goes to standard output from
/// another thread. A failure to write is returned before `fill`'s own
/// (which may just be that the writer stopped), once all is written.
pub fn write_behind<R>(fill: impl FnOnce(&mut dyn Write) -> io::Result<R>) -> io::Result<R> {
    let (full, to_write) = sync_channel::<Vec<u8>>(1);
    let (written, empty) = channel::<Vec<u8>>();
    std::thread::scope(|scope| {
        let writer = scope.spawn(move || -> io::Result<()> {
            let mut out = io::stdout().lock();
            for mut buffer in to_write {
                out.write_all(&buffer)?;
                buffer.clear();
                // The filling side may have finished: then it is dropped.
                let _ = written.send(buffer);
            }
            out.flush()
        });
        let mut front = Front {
            buffer: Vec::with_capacity(BUFFER),
            full,
            empty,
        };
        let filled = fill(&mut front);
        let handed = front.hand_over();
        // Closing the channel ends the writer's loop.
        drop(front);
        // A panic there is a bug: it goes on here, to be reported as one.
        let wrote = writer
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        wrote?;
        handed?;
        filled
    })
}

/// The filling side: whole buffers go to the writer, and come back empty.
struct Front {
    buffer: Vec<u8>,
    full: SyncSender<Vec<u8>>,
    empty: Receiver<Vec<u8>>,
}

impl Front {
    /// Hands the buffer over, taking an empty one back (at most three are
    /// ever made).
    fn hand_over(&mut self) -> io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let next = self
            .empty
            .try_recv()
            .unwrap_or_else(|_| Vec::with_capacity(BUFFER));
        let buffer = std::mem::replace(&mut self.buffer, next);
        // Refused only when the writer stopped, whose own error says why.
        self.full
            .send(buffer)
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the output stopped"))
    }
}

impl Write for Front {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.write_all(data)?;
        Ok(data.len())
    }

    fn write_all(&mut self, data: &[u8]) -> io::Result<()> {
        if self.buffer.len() + data.len() > BUFFER && !self.buffer.is_empty() {
            self.hand_over()?;
        }
        self.buffer.extend_from_slice(data);
        Ok(())
    }

    /// Only the end of [`write_behind`] writes out what is left: flushing
    /// here would hand over small buffers.
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
