//! `parse-id`: what `parseId` reads from a node ID or an action ID.

use actionlog::id::{parse_action_id, parse_id};
use actionlog::json;

use crate::cli::exit::Status;
use crate::cli::session::Session;

const EXAMPLES: &str = r#"Examples:
  actionlog parse-id 10:uImkcF4z:3
  actionlog parse-id "1564508138460 10:uImkcF4z:3 0""#;

/// Split a node ID or an action ID into its parts.
///
/// A node ID "user:client:tab" gives userId (the first part, if there are
/// two or more), clientId (the first two parts) and nodeId. An action ID
/// "<ms> <node ID> <counter>" also gives its time and counter.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// A node ID, or an action ID.
    #[arg(value_name = "ID")]
    id: String,
}

pub fn run(args: &Args, session: &mut Session) -> anyhow::Result<Status> {
    let parts = parse_id(&args.id);
    let mut fields: Vec<(&str, String)> = Vec::new();
    if let Some(user) = parts.user_id {
        fields.push(("userId", json::quote(user)));
    }
    fields.push(("clientId", json::quote(parts.client_id)));
    fields.push(("nodeId", json::quote(parts.node_id)));
    if args.id.contains(' ') {
        let id = parse_action_id(&args.id)?;
        fields.push(("time", id.ms.to_string()));
        fields.push(("counter", id.counter.to_string()));
    }
    session.out.fields(&fields)?;
    Ok(Status::Success)
}
