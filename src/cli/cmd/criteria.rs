//! The criteria `remove-reason` and `add-reason` share: which entries a
//! reason is taken off or put on (`@logux/core` 0.12's `Criteria`).

use actionlog::id::parse_action_id;
use actionlog::{Criteria, Error, Log, Place};

use crate::cli::session::{Session, read_to_limit};

#[derive(Debug, Clone, clap::Args)]
#[command(next_help_heading = "Which entries (every one given must hold)")]
pub struct CriteriaArgs {
    /// Only the action with this ID.
    #[arg(add = crate::cli::complete::ids(), long, value_name = "ID")]
    id: Option<String>,

    /// Only actions with one of these IDs (repeatable); `-` reads them
    /// from stdin, one a line.
    #[arg(add = crate::cli::complete::ids(), long, value_name = "ID", num_args = 1..)]
    ids: Vec<String>,

    /// Only actions in this index.
    #[arg(add = crate::cli::complete::indexes(), short = 'i', long, value_name = "I")]
    index: Option<String>,

    /// Only actions not in this index.
    #[arg(add = crate::cli::complete::indexes(), long, value_name = "I")]
    except_index: Option<String>,

    /// Only actions older than this one.
    #[arg(add = crate::cli::complete::ids(), long, value_name = "ID")]
    older_than: Option<String>,

    /// Only actions younger than this one.
    #[arg(add = crate::cli::complete::ids(), long, value_name = "ID")]
    younger_than: Option<String>,

    /// Only actions with "added" at least N.
    #[arg(long, value_name = "N")]
    min_added: Option<u64>,

    /// Only actions with "added" at most N.
    #[arg(long, value_name = "N")]
    max_added: Option<u64>,
}

/// The criteria checked against the log, owning what they refer to.
pub struct Resolved {
    args: CriteriaArgs,
    ids: Option<Vec<String>>,
    /// Owned, so that the log can change while they are used.
    older: Option<Place>,
    younger: Option<Place>,
}

impl Resolved {
    pub fn criteria(&self) -> Criteria<'_> {
        Criteria {
            id: self.args.id.as_deref(),
            ids: self.ids.as_deref(),
            index: self.args.index.as_deref(),
            except_index: self.args.except_index.as_deref(),
            older_than: self.older.as_ref().map(Place::key),
            younger_than: self.younger.as_ref().map(Place::key),
            min_added: self.args.min_added,
            max_added: self.args.max_added,
        }
    }
}

impl CriteriaArgs {
    pub fn reads_stdin(&self) -> bool {
        self.ids.iter().any(|id| id == "-")
    }

    /// Checks every ID given (a typo must not pass as "no entry
    /// matched") and reads `--ids -`.
    pub fn resolve(&self, session: &mut Session) -> anyhow::Result<Resolved> {
        if let Some(id) = &self.id {
            parse_action_id(id).map_err(|e| Error::input(format!("--id: {e}")))?;
        }
        let ids = if self.ids.is_empty() {
            None
        } else {
            let mut ids = Vec::new();
            for given in &self.ids {
                if given == "-" {
                    ids.extend(ids_from_stdin(session)?);
                } else {
                    ids.push(given.clone());
                }
            }
            for id in &ids {
                parse_action_id(id).map_err(|e| Error::input(format!("--ids: {e}")))?;
            }
            Some(ids)
        };
        let log = session.log();
        Ok(Resolved {
            ids,
            older: self
                .older_than
                .as_deref()
                .map(|id| place(log, "--older-than", id))
                .transpose()?,
            younger: self
                .younger_than
                .as_deref()
                .map(|id| place(log, "--younger-than", id))
                .transpose()?,
            args: self.clone(),
        })
    }
}

fn place(log: &Log, option: &str, id: &str) -> Result<Place, Error> {
    Place::in_log(id, log).map_err(|e| Error::input(format!("{option}: {e}")))
}

/// IDs on stdin, one a line (blank lines skipped).
fn ids_from_stdin(session: &mut Session) -> anyhow::Result<Vec<String>> {
    let input = session.piped_stdin(
        "give the IDs to --ids as arguments",
        "pipe them into stdin, one a line",
    )?;
    let bytes = read_to_limit(input, session.config.stream_limit, "--ids from stdin")?;
    let text = String::from_utf8(bytes).map_err(|_| Error::input("--ids from stdin: not UTF-8"))?;
    // A byte-order mark, as some editors write, is not part of an ID.
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    Ok(text
        .lines()
        .map(|line| line.trim_matches([' ', '\t', '\r']))
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect())
}
