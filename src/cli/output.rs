//! Printing entries, events and IDs in the chosen format: `jsonl` (one JSON
//! value per line), `json` (one document) or `table` (a meta table).

use std::borrow::Cow;
use std::io;

use actionlog::json;
use actionlog::{Entry, Event, EventKind};
use colored::Colorize;

use super::Format;
use super::table::{self, Look, Shown};
use super::terminal::{Styled, sanitize};

/// Writes command results to `out`.
pub struct Output<W: Styled> {
    out: W,
    format: Format,
    look: Look,
}

/// What a table row shows: an entry, or an event with its entry.
struct Row<'a> {
    event: Option<EventKind>,
    action: &'a str,
    meta: &'a str,
}

impl<W: Styled> Output<W> {
    pub fn new(out: W, format: Format, look: Look) -> Self {
        Output { out, format, look }
    }

    pub fn format(&self) -> Format {
        self.format
    }

    pub fn look(&self) -> Look {
        self.look
    }

    /// Another format and look, for the commands from now on (the REPL's
    /// `set`, or one command's options).
    pub fn restyle(&mut self, format: Format, look: Look) {
        self.format = format;
        self.look = look;
    }

    /// The stream itself, for text that has no format.
    pub fn raw(&mut self) -> &mut W {
        &mut self.out
    }

    pub fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    /// Entries as `[action, meta]` values.
    pub fn entries<'a>(&mut self, entries: impl Iterator<Item = &'a Entry>) -> io::Result<()> {
        match self.format {
            Format::Jsonl => {
                for entry in entries {
                    self.out.write_all(entry.line_with_added().as_bytes())?;
                    self.out.write_all(b"\n")?;
                }
                Ok(())
            }
            Format::Json => self.json_array(entries.map(|e| e.line_with_added().into_owned())),
            Format::Table => {
                let entries: Vec<&Entry> = entries.collect();
                let metas: Vec<(String, String)> = entries
                    .iter()
                    .map(|e| (e.action().to_string(), e.meta_with_added().into_owned()))
                    .collect();
                let rows = metas.iter().map(|(action, meta)| Row {
                    event: None,
                    action,
                    meta,
                });
                self.table(rows, false)
            }
        }
    }

    /// Events, in the order they happened.
    pub fn events(&mut self, events: &[Event]) -> io::Result<()> {
        if events.is_empty() {
            return Ok(());
        }
        match self.format {
            Format::Jsonl => {
                for event in actionlog::event::releasing(events) {
                    self.event_line(event.kind, event.action(), event.meta_pieces())?;
                }
                Ok(())
            }
            Format::Json => self.json_array(events.iter().map(Event::to_json)),
            Format::Table => {
                let metas: Vec<Cow<'_, str>> = events.iter().map(Event::meta).collect();
                let rows = events.iter().zip(&metas).map(|(event, meta)| Row {
                    event: Some(event.kind),
                    action: event.action(),
                    meta,
                });
                self.table(rows, true)
            }
        }
    }

    /// One event as a JSON line, [`Event::to_json`] written in pieces (a
    /// bulk add prints a million of these): for `jsonl`, which streams.
    pub fn event_line<'a>(
        &mut self,
        kind: EventKind,
        action: &str,
        meta_pieces: impl IntoIterator<Item = &'a str>,
    ) -> io::Result<()> {
        debug_assert_eq!(self.format, Format::Jsonl);
        self.out.write_all(b"{\"event\":\"")?;
        self.out.write_all(kind.name().as_bytes())?;
        self.out.write_all(b"\",\"action\":")?;
        self.out.write_all(action.as_bytes())?;
        self.out.write_all(b",\"meta\":")?;
        for piece in meta_pieces {
            self.out.write_all(piece.as_bytes())?;
        }
        self.out.write_all(b"}\n")
    }

    /// Something that happened besides the log's own events, such as a
    /// server undoing an action: `{"event":NAME,…}` with the fields (each
    /// already JSON) in `jsonl` and `json`, one line in `table`.
    pub fn notice(&mut self, name: &str, fields: &[(&str, String)]) -> io::Result<()> {
        if self.format == Format::Table {
            let text: Vec<String> = fields
                .iter()
                .map(|(key, value)| {
                    let value =
                        json::as_string(value, 0..value.len()).unwrap_or_else(|| value.clone());
                    format!("{key}: {value}")
                })
                .collect();
            let name = if self.look.color {
                name.yellow().to_string()
            } else {
                name.to_string()
            };
            return self
                .out
                .write_styled(&format!("{name}  {}\n", sanitize(&text.join(", "))));
        }
        let mut line = format!("{{\"event\":{}", json::quote(name));
        for (key, value) in fields {
            line.push(',');
            line.push_str(&json::quote(key));
            line.push(':');
            line.push_str(value);
        }
        line.push('}');
        writeln!(self.out, "{line}")
    }

    /// Plain lines of text, such as generated IDs; a JSON array of strings
    /// with `--format json`.
    /// Printed as they come: there may be more than fit in memory.
    pub fn lines(&mut self, lines: impl Iterator<Item = io::Result<String>>) -> io::Result<()> {
        if self.format == Format::Json {
            let mut failed = None;
            let quoted = lines.map_while(|line| match line {
                Ok(line) => Some(json::quote(&line)),
                Err(e) => {
                    failed = Some(e);
                    None
                }
            });
            self.json_array(quoted)?;
            return failed.map_or(Ok(()), Err);
        }
        for line in lines {
            writeln!(self.out, "{}", line?)?;
        }
        Ok(())
    }

    /// A count: the number alone, on a line of its own, in every format.
    pub fn number(&mut self, count: usize) -> io::Result<()> {
        writeln!(self.out, "{count}")
    }

    /// Named values, each already JSON: an object in `jsonl` and `json`, a
    /// two-column table in `table`.
    pub fn fields(&mut self, fields: &[(&str, String)]) -> io::Result<()> {
        if self.format == Format::Table {
            return self.out.write_styled(&table::fields(fields, &self.look));
        }
        let members: Vec<String> = fields
            .iter()
            .map(|(name, value)| format!("{}:{value}", json::quote(name)))
            .collect();
        writeln!(self.out, "{{{}}}", members.join(","))
    }

    fn json_array(&mut self, items: impl Iterator<Item = String>) -> io::Result<()> {
        self.out.write_all(b"[")?;
        let mut first = true;
        for item in items {
            self.out.write_all(if first { b"\n" } else { b",\n" })?;
            self.out.write_all(item.as_bytes())?;
            first = false;
        }
        self.out.write_all(if first { b"]\n" } else { b"\n]\n" })
    }

    fn table<'a>(&mut self, rows: impl Iterator<Item = Row<'a>>, events: bool) -> io::Result<()> {
        let shown: Vec<Shown> = rows
            .map(|row| Shown::new(row.event, row.action, row.meta, &self.look))
            .collect();
        if shown.is_empty() {
            return writeln!(
                self.out,
                "{}",
                if events {
                    "(no events)"
                } else {
                    "(no entries)"
                }
            );
        }
        self.out
            .write_styled(&table::render(&shown, events, &self.look))
    }
}
