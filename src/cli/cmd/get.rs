//! `get`: one entry by its ID.

use actionlog::Error;

use crate::cli::exit::Status;
use crate::cli::session::Session;

const EXAMPLES: &str = r#"Examples:
  actionlog get "1564508138460 380:R7BNGAP5:px3-J3oc 0"
  actionlog get "1564508138460 380:R7BNGAP5:px3-J3oc 0" -o json | jq '.[1].reasons'"#;

/// Print the entry with this ID (exits with 1 if it is not in the log).
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// The action ID.
    #[arg(add = crate::cli::complete::ids(), value_name = "ID")]
    id: String,

    /// Look in the archive (--archive) too, for an entry no longer in the
    /// log.
    #[arg(long)]
    archived: bool,
}

impl Args {
    /// What `get` needs of a big log: the lines that may hold its ID.
    pub fn sparse_wanted(&self) -> Option<Vec<actionlog::store::Wanted>> {
        Some(vec![actionlog::store::Wanted::Id(self.id.clone())])
    }
}

pub fn run(args: &Args, session: &mut Session) -> anyhow::Result<Status> {
    let archived = if args.archived && session.log().get(&args.id).is_none() {
        session.archived()?
    } else {
        Vec::new()
    };
    let (log, out) = session.log_and_out();
    let entry = log
        .get(&args.id)
        .or_else(|| archived.iter().find(|e| e.id() == args.id))
        .ok_or_else(|| Error::NotFound(args.id.clone()))?;
    out.entries(std::iter::once(entry))?;
    Ok(Status::Success)
}
