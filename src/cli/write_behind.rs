//! Standard output written on a thread of its own, a buffer at a time,
//! while the next buffer is filled: for a command whose output is most of
//! its work once it has read the log (`order` of a whole log), so that
//! gathering the lines and the kernel's copy of them go on at once.

use std::io::{self, Write};
use std::sync::mpsc::{Receiver, SyncSender, channel, sync_channel};

/// How much is handed over at a time, and the least a piece of the log
/// must be to be written from where it is rather than copied.
const BUFFER: usize = 1 << 20;

/// What the writer is handed: a filled buffer (given back empty once
/// written), or a big piece of text that outlives the writing.
enum Handed<'text> {
    Buffer(Vec<u8>),
    Piece(&'text [u8]),
}

/// Runs `fill` with a writer whose output goes to standard output from
/// another thread. A failure to write is returned rather than `fill`'s own
/// (which may just be that the writer stopped).
pub fn write_behind<'text, R>(
    fill: impl FnOnce(&mut Front<'text>) -> io::Result<R>,
) -> io::Result<R> {
    let (full, to_write) = sync_channel::<Handed<'text>>(1);
    let (written, empty) = channel::<Vec<u8>>();
    std::thread::scope(|scope| {
        let writer = scope.spawn(move || -> io::Result<()> {
            let mut out = io::stdout().lock();
            for handed in to_write {
                match handed {
                    Handed::Buffer(mut buffer) => {
                        out.write_all(&buffer)?;
                        buffer.clear();
                        // The filling side may have finished: then it is
                        // dropped.
                        let _ = written.send(buffer);
                    }
                    Handed::Piece(piece) => out.write_all(piece)?,
                }
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

/// The filling side: whole buffers go to the writer, and come back empty
/// (at most four are made: one filled here, one waiting, one being
/// written, and one made while the others are all away).
pub struct Front<'text> {
    buffer: Vec<u8>,
    full: SyncSender<Handed<'text>>,
    empty: Receiver<Vec<u8>>,
}

impl<'text> Front<'text> {
    /// Writes `piece`, which lives as long as the writing: a big one is
    /// handed over as it is, not copied (a log already in created order
    /// is one piece as long as the file).
    pub fn write_piece(&mut self, piece: &'text [u8]) -> io::Result<()> {
        if piece.len() < BUFFER {
            return self.write_all(piece);
        }
        self.hand_over()?;
        self.send(Handed::Piece(piece))
    }

    /// Hands the buffer over, if it holds anything, taking an empty one
    /// back.
    fn hand_over(&mut self) -> io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let next = self
            .empty
            .try_recv()
            .unwrap_or_else(|_| Vec::with_capacity(BUFFER));
        let buffer = std::mem::replace(&mut self.buffer, next);
        self.send(Handed::Buffer(buffer))
    }

    fn send(&self, handed: Handed<'text>) -> io::Result<()> {
        // Refused only when the writer stopped, whose own error says why.
        self.full
            .send(handed)
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the output stopped"))
    }
}

impl Write for Front<'_> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn front<'text>() -> (Front<'text>, Receiver<Handed<'text>>) {
        let (full, to_write) = sync_channel(8);
        let (_, empty) = channel();
        let front = Front {
            buffer: Vec::with_capacity(BUFFER),
            full,
            empty,
        };
        (front, to_write)
    }

    #[test]
    fn a_big_piece_is_handed_over_where_it_is_and_small_ones_are_gathered() {
        let text = vec![b'x'; 3 * BUFFER];
        let (mut front, to_write) = front();
        front.write_piece(&text[..10]).unwrap();
        front.write_piece(&text[10..]).unwrap();
        front.write_all(b"\n").unwrap();
        front.hand_over().unwrap();
        drop(front);
        let handed: Vec<Handed<'_>> = to_write.iter().collect();
        assert_eq!(handed.len(), 3);
        assert!(matches!(&handed[0], Handed::Buffer(b) if b.len() == 10));
        // Not copied: the very bytes of the text.
        assert!(matches!(handed[1], Handed::Piece(p) if std::ptr::eq(p, &text[10..])));
        assert!(matches!(&handed[2], Handed::Buffer(b) if b == b"\n"));
    }

    #[test]
    fn buffers_are_handed_over_full_and_never_past_their_size() {
        let line = vec![b'y'; 1000];
        let (mut front, to_write) = front();
        for _ in 0..2_500 {
            front.write_piece(&line).unwrap();
        }
        front.hand_over().unwrap();
        drop(front);
        let sizes: Vec<usize> = to_write
            .iter()
            .map(|handed| match handed {
                Handed::Buffer(b) => b.len(),
                Handed::Piece(_) => panic!("a small piece was handed as it is"),
            })
            .collect();
        assert_eq!(sizes.iter().sum::<usize>(), 2_500_000);
        assert!(sizes.iter().all(|&size| size <= BUFFER), "{sizes:?}");
        assert_eq!(sizes.len(), 3);
    }
}
