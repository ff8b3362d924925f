//! One module per command, each an `Args` struct for clap and a `run`.

pub mod add;
pub mod add_reason;
pub mod change_meta;
pub mod check;
pub mod completions;
pub mod criteria;
pub mod export;
pub mod filter;
pub mod generate_id;
pub mod get;
pub mod import;
pub mod is_older;
pub mod merge;
pub mod order;
pub mod parse_id;
pub mod remove_reason;
pub mod serve;
pub mod stats;
pub mod sync;
pub mod synced;

use std::borrow::Cow;

use actionlog::json;

/// Checks a JSON argument and drops the whitespace between its tokens, so it
/// is stored compact whatever the user typed.
pub fn compact_json<'a>(what: &str, text: &'a str) -> Result<Cow<'a, str>, actionlog::Error> {
    json::whole(text.as_bytes())
        .map_err(|e| actionlog::Error::input(format!("{what}: invalid JSON: {e}")))?;
    Ok(json::minify(text.trim()))
}
