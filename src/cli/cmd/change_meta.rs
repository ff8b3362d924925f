//! `change-meta`: a shallow change of one entry's meta, or of many read
//! from stdin in one locked read-modify-write.

use actionlog::{Error, MetaText, json};
use anyhow::Context;

use super::compact_json;
use crate::cli::exit::{Status, UsageError};
use crate::cli::input::{JsonValues, Lines, Start, Unread, items_of};
use crate::cli::session::Session;

const EXAMPLES: &str = r#"Examples:
  actionlog change-meta "1564508138460 380:R7BNGAP5:px3-J3oc 0" '{"status":"processed"}'
  actionlog change-meta "1564508138460 380:R7BNGAP5:px3-J3oc 0" '{"reasons":[]}'
  actionlog order --type typing | jq -c '[.[1].id, {"reasons": []}]' | actionlog change-meta"#;

/// Change the meta of one action, or of many.
///
/// Each key of the diff replaces the key of the meta. "reasons": [] removes
/// the action from the log and reports it cleaned. The keys id, added, time,
/// subprotocol and indexes are read-only. Exits with 1 if an ID is not in
/// the log.
///
/// Without arguments (or with `-`), reads [ID, DIFF] pairs from stdin (JSON
/// values one after another, or arrays of pairs) and applies them in order
/// under one lock: all of them, or, if one fails, none.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// The action ID; `-` (or nothing) reads [ID, DIFF] pairs from stdin.
    #[arg(add = crate::cli::complete::ids(), value_name = "ID")]
    id: Option<String>,

    /// A JSON object of meta keys to set.
    #[arg(value_name = "DIFF_JSON")]
    diff: Option<String>,

    /// Print what would happen; change nothing.
    #[arg(short = 'n', long)]
    dry_run: bool,
}

impl Args {
    pub fn reads_stdin(&self) -> bool {
        self.id.as_deref().is_none_or(|id| id == "-")
    }
}

pub fn run(args: &Args, session: &mut Session) -> anyhow::Result<Status> {
    let kept = session.keep_for_dry_run(args.dry_run);
    let events = match (args.id.as_deref(), &args.diff) {
        (Some(id), Some(diff)) if id != "-" => {
            let diff = MetaText::parse(&compact_json("DIFF_JSON", diff)?)
                .map_err(|e| Error::input(format!("DIFF_JSON: {e}")))?;
            let (log, _) = session.log_and_ids();
            log.change_meta(id, &diff)?
        }
        (Some(id), None) if id != "-" => {
            return Err(UsageError(
                "DIFF_JSON is missing: give ID and DIFF_JSON, or pipe [ID, DIFF] pairs into stdin"
                    .into(),
            )
            .into());
        }
        (_, Some(_)) => {
            return Err(
                UsageError("with `-`, the diffs come from stdin, not DIFF_JSON".into()).into(),
            );
        }
        _ => changes_from_stdin(session)?,
    };
    session.report_or_preview(kept, events);
    Ok(Status::Success)
}

/// Applies every `[ID, DIFF]` pair on stdin, in order.
fn changes_from_stdin(session: &mut Session) -> anyhow::Result<Vec<actionlog::Event>> {
    let mut values = JsonValues::new(session.piped_stdin(
        "give ID and DIFF_JSON as arguments",
        "pipe [ID, DIFF] pairs into stdin",
    )?);
    let mut value = Vec::new();
    let limit = session.config.stream_limit;
    let mut events = Vec::new();
    loop {
        let at = |line: u64| format!("stdin line {line}");
        let (start, text) = match values.next_text(&mut value, limit, "input") {
            Ok(Some(read)) => read,
            Ok(None) => break,
            Err(Unread::Io(e)) => {
                return Err(Error::io("cannot read changes from stdin", e).into());
            }
            Err(Unread::Bad(problem)) => {
                return Err(problem.error).with_context(|| at(problem.line));
            }
        };
        if let Err(syntax) = json::whole(text.as_bytes()) {
            let problem =
                crate::cli::input::syntax_problem("input", text.as_bytes(), start, &syntax);
            return Err(problem.error).with_context(|| at(problem.line));
        }
        for (line, id, diff) in pairs(text, start)? {
            let (log, _) = session.log_and_ids();
            events.extend(log.change_meta(&id, &diff).with_context(|| at(line))?);
        }
    }
    Ok(events)
}

/// The `[ID, DIFF]` pairs of one value (valid JSON): a pair, or an array
/// of pairs; each with the line it begins on.
fn pairs(text: &str, begins: Start) -> anyhow::Result<Vec<(u64, String, MetaText)>> {
    let bytes = text.as_bytes();
    let start = bytes.iter().take_while(|b| b.is_ascii_whitespace()).count();
    let lines = Lines::new(bytes, begins);
    let line_of = |offset: usize| lines.line(offset);
    let expected = |offset: usize| {
        anyhow::Error::new(Error::input(
            "input: expected an [ID, DIFF] pair or an array of them",
        ))
        .context(format!("stdin line {}", line_of(offset)))
    };
    let items = items_of(bytes, start).ok_or_else(|| expected(start))?;
    let pair =
        |at: usize, items: &[std::ops::Range<usize>]| -> anyhow::Result<(u64, String, MetaText)> {
            let [id, diff] = items else {
                return Err(expected(at));
            };
            let id = json::as_string(text, id.clone()).ok_or_else(|| expected(at))?;
            if bytes[diff.start] != b'{' {
                return Err(expected(at));
            }
            let diff = MetaText::parse(&json::minify(&text[diff.clone()]))
                .map_err(Error::Invalid)
                .with_context(|| format!("stdin line {}", line_of(at)))?;
            Ok((line_of(at), id, diff))
        };
    if items
        .first()
        .is_some_and(|first| bytes[first.start] == b'"')
    {
        return Ok(vec![pair(start, &items)?]);
    }
    items
        .iter()
        .map(|item| {
            let inner = items_of(bytes, item.start).ok_or_else(|| expected(item.start))?;
            pair(item.start, &inner)
        })
        .collect()
}
