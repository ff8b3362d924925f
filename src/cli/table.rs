//! How entries and events look on a terminal: a table when every column
//! fits the width, else one record per entry (as psql's expanded display).
//!
//! Colour is comfy-table's own styling, never escape codes inside cell text:
//! an escape code counts as width to a table, and breaks its layout. IDs,
//! times and numbers never wrap, so they can be copied whole; the action,
//! the reasons and the meta wrap.

use actionlog::json;
use actionlog::{EventKind, MetaText};
use colored::Colorize;
use comfy_table::{
    Attribute, Cell, CellAlignment, Color, ColumnConstraint, ContentArrangement, Table, Width,
    presets,
};
use unicode_width::UnicodeWidthStr;

use super::terminal::sanitize;

/// How wide the screen is, decided once from the command line and the
/// environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScreenWidth {
    /// `COLUMNS`, which wins over the terminal (as for `ls`).
    Columns(usize),
    /// Asked of the terminal each time, so a REPL follows a resize.
    Terminal,
    /// Not a terminal: tables take the room they need.
    Unlimited,
}

impl ScreenWidth {
    pub fn from_env(stdout_is_terminal: bool) -> ScreenWidth {
        let columns = std::env::var("COLUMNS")
            .ok()
            .and_then(|value| value.trim().parse::<usize>().ok())
            .filter(|&columns| columns > 0);
        match columns {
            Some(columns) => ScreenWidth::Columns(columns),
            None if stdout_is_terminal => ScreenWidth::Terminal,
            None => ScreenWidth::Unlimited,
        }
    }

    /// The width now, if there is one to fit. A pseudo-terminal may
    /// report no size (0 columns), and is then treated as no terminal.
    fn columns(self) -> Option<usize> {
        match self {
            ScreenWidth::Columns(columns) => Some(columns),
            ScreenWidth::Terminal => terminal_size::terminal_size_of(std::io::stdout())
                .map(|(width, _)| usize::from(width.0))
                .filter(|&width| width > 0),
            ScreenWidth::Unlimited => None,
        }
    }
}

/// The choices that shape what a person sees.
#[derive(Debug, Clone, Copy)]
pub struct Look {
    pub color: bool,
    pub width: ScreenWidth,
    /// Times in this machine's time zone (`TZ`) instead of UTC.
    pub local_time: bool,
}

/// One entry, or one event with its entry, as text ready to show.
pub struct Shown {
    event: Option<EventKind>,
    kind: String,
    action: String,
    id: String,
    time: String,
    ms: String,
    added: String,
    reasons: String,
    meta: Vec<String>,
}

impl Shown {
    /// From an action and its meta as JSON text. Everything is made safe
    /// for a terminal here, piece by piece, so that a line break in a key
    /// or a value cannot pass for another key.
    pub fn new(event: Option<EventKind>, action: &str, meta: &str, look: &Look) -> Shown {
        let meta = MetaText::parse(meta).unwrap_or_default();
        let action = MetaText::parse(action).unwrap_or_default();
        let string = |raw: &str| json::as_string(raw, 0..raw.len()).unwrap_or_else(|| raw.into());
        let kind = action.get("type").map(string).unwrap_or_default();
        let fields: Vec<String> = action
            .iter()
            .filter(|(key, _)| *key != "type")
            .map(|(key, value)| sanitize(&format!("{key}: {value}")))
            .collect();
        let ms = meta.get("time").unwrap_or_default().to_owned();
        let reasons = meta
            .get("reasons")
            .and_then(|raw| json::as_string_array(raw, 0..raw.len()))
            .unwrap_or_default()
            .iter()
            .map(|reason| sanitize(reason))
            .collect::<Vec<_>>()
            .join("\n");
        let others = meta
            .iter()
            .filter(|(key, _)| !["id", "time", "added", "reasons"].contains(key))
            .map(|(key, value)| sanitize(&format!("{key}: {value}")))
            .collect();
        Shown {
            event,
            kind: sanitize(&kind),
            action: fields.join(", "),
            id: sanitize(&meta.get("id").map(string).unwrap_or_default()),
            time: readable_time(&ms, look.local_time).unwrap_or_default(),
            ms: sanitize(&ms),
            added: sanitize(meta.get("added").unwrap_or_default()),
            reasons,
            meta: others,
        }
    }
}

/// `time` in milliseconds as ISO 8601, in UTC or in the local time zone;
/// nothing for a time that is not a whole number of milliseconds in the
/// years 0001 to 9999.
pub fn readable_time(ms: &str, local: bool) -> Option<String> {
    let ms: i64 = ms.parse().ok()?;
    let timestamp = jiff::Timestamp::from_millisecond(ms).ok()?;
    let text = if local {
        timestamp
            .to_zoned_datetime(jiff::tz::TimeZone::system())
            .strftime("%Y-%m-%dT%H:%M:%S%.3f%:z")
            .to_string()
    } else {
        timestamp.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
    };
    Some(text)
}

/// A column of the table, and whether its text may wrap.
struct Column {
    name: &'static str,
    wraps: bool,
    /// For a column that wraps: the narrowest it may get before the table
    /// gives way to records (narrower, a reason or a meta key and its
    /// value no longer fit a line).
    least: usize,
    numeric: bool,
    text: fn(&Shown) -> String,
}

const COLUMNS: &[Column] = &[
    Column {
        name: "type",
        wraps: false,
        least: 0,
        numeric: false,
        text: |row| row.kind.clone(),
    },
    Column {
        name: "action",
        wraps: true,
        least: 12,
        numeric: false,
        text: |row| row.action.clone(),
    },
    Column {
        name: "id",
        wraps: false,
        least: 0,
        numeric: false,
        text: |row| row.id.clone(),
    },
    // The readable time over the milliseconds: both never wrap, and one
    // column takes less room than two.
    Column {
        name: "time",
        wraps: false,
        least: 0,
        numeric: false,
        text: |row| {
            if row.time.is_empty() {
                row.ms.clone()
            } else {
                format!("{}\n{}", row.time, row.ms)
            }
        },
    },
    Column {
        name: "added",
        wraps: false,
        least: 0,
        numeric: true,
        text: |row| row.added.clone(),
    },
    Column {
        name: "reasons",
        wraps: true,
        least: 24,
        numeric: false,
        text: |row| row.reasons.clone(),
    },
    Column {
        name: "meta",
        wraps: true,
        least: 16,
        numeric: false,
        text: |row| row.meta.join("\n"),
    },
];

/// The rows as a table if it fits the screen, else as records; with a
/// final line break.
pub fn render(rows: &[Shown], events: bool, look: &Look) -> String {
    let width = look.width.columns();
    let table = table(rows, events, look, width);
    match (table, width) {
        (Some(table), _) => table,
        (None, width) => records(rows, look, width.unwrap_or(usize::MAX)),
    }
}

/// An empty table in the tool's style, coloured or not as decided once
/// (comfy-table would otherwise ask the terminal itself).
fn styled_table(look: &Look) -> Table {
    let mut table = Table::new();
    table.load_preset(presets::UTF8_FULL_CONDENSED);
    if look.color {
        table.enforce_styling();
    } else {
        table.force_no_tty();
    }
    table
}

/// A header cell: bold when coloured.
fn heading(name: &str, look: &Look) -> Cell {
    let cell = Cell::new(name);
    if look.color {
        cell.add_attribute(Attribute::Bold)
    } else {
        cell
    }
}

fn widest_line(text: &str) -> usize {
    text.lines().map(UnicodeWidthStr::width).max().unwrap_or(0)
}

/// The table, or nothing when the columns that never wrap leave the others
/// too little room in `width`.
fn table(rows: &[Shown], events: bool, look: &Look, width: Option<usize>) -> Option<String> {
    let mut table = styled_table(look);
    let bold = |name: &str| heading(name, look);
    let mut header = Vec::new();
    let mut constraints = Vec::new();
    // Each column costs its padding and one border; the table one more.
    // `needed` has the wrapping columns at their narrowest, `natural` at
    // their widest line.
    let mut needed = 1;
    let mut natural = 1;
    if events {
        header.push(bold("event"));
        constraints.push(ColumnConstraint::ContentWidth);
        needed += "event".len() + 3;
        natural += "event".len() + 3;
    }
    for column in COLUMNS {
        header.push(bold(column.name));
        let content = rows
            .iter()
            .map(|row| widest_line(&(column.text)(row)))
            .max()
            .unwrap_or(0)
            .max(column.name.len());
        natural += content + 3;
        if column.wraps {
            let least = content.min(column.least);
            needed += least + 3;
            // comfy-table's bounds count the padding.
            constraints.push(ColumnConstraint::LowerBoundary(Width::Fixed(
                u16::try_from(least + 2).unwrap_or(u16::MAX),
            )));
        } else {
            needed += content + 3;
            constraints.push(ColumnConstraint::ContentWidth);
        }
    }
    if let Some(width) = width.filter(|&width| natural > width) {
        if needed > width {
            return None;
        }
        table.set_width(u16::try_from(width).unwrap_or(u16::MAX));
        table.set_content_arrangement(ContentArrangement::Dynamic);
    }
    table.set_header(header);
    table.set_constraints(constraints);
    for row in rows {
        let mut cells = Vec::new();
        if let Some(kind) = row.event {
            cells.push(event_cell(kind, look.color));
        }
        for column in COLUMNS {
            let cell = Cell::new((column.text)(row));
            cells.push(if column.numeric {
                cell.set_alignment(CellAlignment::Right)
            } else {
                cell
            });
        }
        table.add_row(cells);
    }
    Some(format!("{table}\n"))
}

fn event_cell(kind: EventKind, color: bool) -> Cell {
    let cell = Cell::new(kind.name());
    match (color, kind) {
        (false, _) => cell,
        (true, EventKind::Add) => cell.fg(Color::DarkGreen),
        (true, EventKind::Clean) => cell.fg(Color::DarkRed),
        (true, _) => cell,
    }
}

/// One block an entry: a rule with its ID, then a line a field, each cut
/// to `width` with `…`, so nothing wraps.
fn records(rows: &[Shown], look: &Look, width: usize) -> String {
    const KEY: usize = 9;
    let room = width.saturating_sub(KEY).max(1);
    let mut out = String::new();
    for row in rows {
        // An ID is never cut: one wider than the screen stands alone.
        let mut title = format!("── {} ", row.id);
        if title.width() > width {
            title.clone_from(&row.id);
        }
        let rule = "─".repeat(width.saturating_sub(title.width()).min(200));
        if look.color {
            out.push_str(&format!("{}{}\n", title.bold(), rule.dimmed()));
        } else {
            out.push_str(&format!("{title}{rule}\n"));
        }
        let mut field = |key: &str, value: &str| {
            let key = if value.is_empty() {
                key.to_owned()
            } else {
                format!("{key:<KEY$}")
            };
            let key = if look.color {
                key.dimmed().to_string()
            } else {
                key
            };
            out.push_str(&format!("{key}{}\n", cut(value, room)));
        };
        if let Some(kind) = row.event {
            let name = kind.name();
            let name = match (look.color, kind) {
                (false, _) => name.to_string(),
                (true, EventKind::Add) => name.green().to_string(),
                (true, EventKind::Clean) => name.red().to_string(),
                (true, _) => name.to_string(),
            };
            field("event", &name);
        }
        field("type", &row.kind);
        if !row.action.is_empty() {
            field("action", &row.action);
        }
        if row.time.is_empty() {
            field("time", &row.ms);
        } else {
            field("time", &format!("{}  {}", row.time, row.ms));
        }
        if !row.added.is_empty() {
            field("added", &row.added);
        }
        field("reasons", &row.reasons.replace('\n', ", "));
        for (i, line) in row.meta.iter().enumerate() {
            field(if i == 0 { "meta" } else { "" }, line);
        }
    }
    out
}

/// `text` cut to `width` columns, ending in `…` where it was cut. Text
/// that fits (colour codes included, which only this module adds, to
/// whole values that are never cut) is returned as it is.
fn cut(text: &str, width: usize) -> String {
    if text.width() <= width || text.contains('\u{1b}') {
        return text.to_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for ch in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(ch).unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        used += w;
        out.push(ch);
    }
    out.push('…');
    out
}

/// A table of a header and rows of text made safe, fitted to the screen;
/// numbers go right. Text wraps where it must, but in the columns marked
/// `whole` (IDs, numbers); where those cannot fit, each row is a line of
/// `name: value` pairs instead.
pub fn grid(header: &[&str], whole: &[bool], rows: Vec<Vec<String>>, look: &Look) -> String {
    let width = look.width.columns();
    let widest = |column: usize| {
        rows.iter()
            .filter_map(|row| row.get(column))
            .map(|text| widest_line(text))
            .chain([header[column].width()])
            .max()
            .unwrap_or(0)
    };
    let needed: usize = (0..header.len())
        .map(|column| if whole[column] { widest(column) } else { 8 } + 3)
        .sum::<usize>()
        + 1;
    if width.is_some_and(|width| needed > width) {
        let mut out = String::new();
        for (i, row) in rows.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            for (name, value) in header.iter().zip(row) {
                out.push_str(&format!("{name}: {value}\n"));
            }
        }
        return out;
    }
    let mut table = styled_table(look);
    table.set_header(header.iter().map(|name| heading(name, look)));
    table.set_constraints(whole.iter().map(|&keep| {
        if keep {
            ColumnConstraint::ContentWidth
        } else {
            ColumnConstraint::LowerBoundary(Width::Fixed(10))
        }
    }));
    for row in rows {
        table.add_row(row.into_iter().map(|text| {
            let numeric = !text.is_empty() && text.parse::<f64>().is_ok();
            let cell = Cell::new(text);
            if numeric {
                cell.set_alignment(CellAlignment::Right)
            } else {
                cell
            }
        }));
    }
    if let Some(width) = look.width.columns() {
        table.set_width(u16::try_from(width).unwrap_or(u16::MAX));
        table.set_content_arrangement(ContentArrangement::Dynamic);
    }
    format!("{table}\n")
}

/// Prose broken into lines at spaces, to fit the screen.
pub fn wrap(text: &str, look: &Look) -> String {
    let Some(width) = look.width.columns() else {
        return format!("{text}\n");
    };
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split(' ') {
        if !line.is_empty() && line.width() + 1 + word.width() > width {
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    out.push_str(&line);
    out.push('\n');
    out
}

/// Named values as a two-column table, the values wrapping to the screen.
pub fn fields(fields: &[(&str, String)], look: &Look) -> String {
    let mut table = styled_table(look);
    if let Some(width) = look.width.columns() {
        table.set_width(u16::try_from(width).unwrap_or(u16::MAX));
        table.set_content_arrangement(ContentArrangement::Dynamic);
    }
    for (name, value) in fields {
        let value = json::as_string(value, 0..value.len()).unwrap_or_else(|| value.clone());
        table.add_row(vec![heading(name, look), Cell::new(sanitize(&value))]);
    }
    table.set_constraints([ColumnConstraint::ContentWidth]);
    format!("{table}\n")
}
