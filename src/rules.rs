//! Rules applied to every action before it is added, as Logux's `preadd`
//! listeners do: reasons, `keepLast` and indexes by action type, resend
//! targets, and a `history` of the last N actions that came without
//! reasons (as Logux Redux keeps for time travel).
//!
//! A rules file is JSON:
//!
//! ```json
//! {
//!   "rules": [
//!     { "type": "user/rename", "reasons": ["user/{userId}"],
//!       "keepLast": "user/{userId}/name", "indexes": ["user/{userId}"] },
//!     { "type": "posts/", "resend": { "channels": ["posts/{postId}"] } }
//!   ],
//!   "history": 100
//! }
//! ```
//!
//! A `type` ending in `/` matches every type starting so. `{field}` in a
//! value is the action's field (a string or a number).

use serde_json::Value;

use crate::error::{Error, Invalid, Result};
use crate::event::Event;
use crate::log::{Criteria, Log, Order};
use crate::meta::MetaText;
use crate::query::type_matches;

/// The reason the `history` rule keeps actions under.
pub(crate) const HISTORY: &str = "history";

/// Meta keys naming who gets an action again; the singular ones in incoming
/// meta become these arrays.
const RESEND_KEYS: [(&str, &str); 4] = [
    ("channel", "channels"),
    ("user", "users"),
    ("client", "clients"),
    ("node", "nodes"),
];

/// Rules that give added actions reasons and indexes by their type, read from a rules file.
#[derive(Debug, Clone, Default)]
pub struct Rules {
    rules: Vec<Rule>,
    /// Keep the last N reasonless actions under [`HISTORY`].
    pub(crate) history: Option<usize>,
}

#[derive(Debug, Clone, Default)]
struct Rule {
    action_type: String,
    reasons: Vec<String>,
    keep_last: Option<String>,
    indexes: Vec<String>,
    /// Plural resend key and its templates.
    resend: Vec<(String, Vec<String>)>,
}

fn strings(value: &Value, what: &str) -> std::result::Result<Vec<String>, String> {
    match value {
        Value::String(s) => Ok(vec![s.clone()]),
        Value::Array(items) => items
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| format!("{what} must be strings"))
            })
            .collect(),
        _ => Err(format!("{what} must be a string or an array of strings")),
    }
}

impl Rules {
    /// Reads a rules file's text; the error says what is wrong where.
    pub fn parse(text: &str) -> std::result::Result<Rules, crate::error::Invalid> {
        Rules::read(text).map_err(crate::error::Invalid::from)
    }

    fn read(text: &str) -> std::result::Result<Rules, String> {
        let root: Value = serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}"))?;
        let object = root.as_object().ok_or("expected a JSON object")?;
        let mut rules = Rules::default();
        for key in object.keys() {
            if key != "rules" && key != "history" {
                return Err(format!(
                    "unknown key {key:?} (expected \"rules\" and \"history\")"
                ));
            }
        }
        if let Some(history) = object.get("history") {
            let n = history
                .as_u64()
                .ok_or("\"history\" must be a whole number of actions")?;
            rules.history = Some(n as usize);
        }
        let list = match object.get("rules") {
            None => return Ok(rules),
            Some(Value::Array(list)) => list,
            Some(_) => return Err("\"rules\" must be an array".into()),
        };
        for (i, item) in list.iter().enumerate() {
            let at = |message: String| format!("rule {}: {message}", i + 1);
            let item = item
                .as_object()
                .ok_or_else(|| at("expected an object".into()))?;
            let mut rule = Rule::default();
            for (key, value) in item {
                match key.as_str() {
                    "type" => {
                        rule.action_type = value
                            .as_str()
                            .ok_or_else(|| at("\"type\" must be a string".into()))?
                            .to_owned()
                    }
                    "reasons" => rule.reasons = strings(value, "\"reasons\"").map_err(at)?,
                    "keepLast" => {
                        rule.keep_last = Some(
                            value
                                .as_str()
                                .ok_or_else(|| at("\"keepLast\" must be a string".into()))?
                                .to_owned(),
                        )
                    }
                    "indexes" => rule.indexes = strings(value, "\"indexes\"").map_err(at)?,
                    "resend" => {
                        let targets = value
                            .as_object()
                            .ok_or_else(|| at("\"resend\" must be an object".into()))?;
                        for (target, templates) in targets {
                            let plural = RESEND_KEYS
                                .iter()
                                .find(|(one, many)| target == one || target == many)
                                .map(|(_, many)| *many)
                                .ok_or_else(|| {
                                    at(format!(
                                        "resend to {target:?}: expected channels, users, clients or nodes"
                                    ))
                                })?;
                            let templates = strings(templates, "resend targets").map_err(at)?;
                            rule.resend.push((plural.to_owned(), templates));
                        }
                    }
                    other => return Err(at(format!("unknown key {other:?}"))),
                }
            }
            if rule.action_type.is_empty() {
                return Err(at("\"type\" is missing".into()));
            }
            rules.rules.push(rule);
        }
        Ok(rules)
    }

    /// Applies the rules to an action about to be added: singular resend
    /// keys become arrays, matching rules add reasons, indexes, `keepLast`
    /// (if the meta has none) and resend targets (if the meta has none),
    /// and an action left without reasons goes under `history` if kept.
    pub fn apply(&self, action: &str, meta: &mut MetaText) -> Result<()> {
        for (one, many) in RESEND_KEYS {
            if let Some(raw) = meta.get(one).map(str::to_owned) {
                meta.remove(one);
                if !meta.contains(many) {
                    meta.set_raw(many, format!("[{raw}]"));
                }
            }
        }
        // Fields are read with the log's own scanner: whatever the log
        // accepts, the rules read.
        let kind = match field(action, "type") {
            Some(Field::String(kind)) => kind,
            _ => String::new(),
        };
        for rule in &self.rules {
            if !type_matches(&rule.action_type, &kind) {
                continue;
            }
            let fill = |template: &str| fill(template, action, &rule.action_type);
            let fill_all = |templates: &[String]| {
                templates
                    .iter()
                    .map(|t| fill(t))
                    .collect::<Result<Vec<_>>>()
            };
            if !rule.reasons.is_empty() {
                add_strings(meta, "reasons", &fill_all(&rule.reasons)?)?;
            }
            if !rule.indexes.is_empty() {
                add_strings(meta, "indexes", &fill_all(&rule.indexes)?)?;
            }
            if let Some(keep) = &rule.keep_last
                && !meta.contains("keepLast")
            {
                meta.set_string("keepLast", &fill(keep)?);
            }
            for (key, templates) in &rule.resend {
                if !meta.contains(key) {
                    let targets = fill_all(templates)?;
                    meta.set_strings(key, targets.iter().map(String::as_str));
                }
            }
        }
        if self.history.is_some() && !has_reasons(meta) && !meta.contains("keepLast") {
            let opted_out = meta.get("noAutoReason") == Some("true");
            if !opted_out {
                meta.set_strings("reasons", [HISTORY]);
            }
        }
        Ok(())
    }

    /// Takes the `history` reason off all but the newest `history` actions
    /// that have it (by added order); returns the cleans.
    pub fn prune_history(&self, log: &mut Log) -> Result<Vec<Event>> {
        let Some(keep) = self.history else {
            return Ok(Vec::new());
        };
        let Some(symbol) = log.symbol(HISTORY) else {
            return Ok(Vec::new());
        };
        let kept: Vec<u64> = log
            .entries(Order::Added, None)
            .filter(|e| e.reasons().contains(&symbol))
            .map(|e| e.added())
            .collect();
        if kept.len() <= keep {
            return Ok(Vec::new());
        }
        let criteria = Criteria {
            max_added: Some(kept[kept.len() - keep - 1]),
            ..Criteria::default()
        };
        log.remove_reason(HISTORY, &criteria)
    }
}

fn has_reasons(meta: &MetaText) -> bool {
    meta.get("reasons")
        .and_then(|raw| crate::json::as_string_array(raw, 0..raw.len()))
        .is_some_and(|r| !r.is_empty())
}

/// Adds `extra` to the array of strings under `key`, once each.
fn add_strings(meta: &mut MetaText, key: &str, extra: &[String]) -> Result<()> {
    let mut list = match meta.get(key) {
        None => Vec::new(),
        Some(raw) => crate::json::as_string_array(raw, 0..raw.len())
            .ok_or_else(|| Invalid::from(format!("meta \"{key}\" must be an array of strings")))?,
    };
    for item in extra {
        if !list.contains(item) {
            list.push(item.clone());
        }
    }
    meta.set_strings(key, list.iter().map(String::as_str));
    Ok(())
}

/// `template` with each `{field}` replaced by the action's field.
fn fill(template: &str, action: &str, rule: &str) -> Result<String> {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        out.push_str(&rest[..open]);
        let name = &rest[open + 1..open + close];
        match field(action, name) {
            Some(Field::String(s) | Field::Number(s)) => out.push_str(&s),
            None => {
                return Err(Error::input(format!(
                    "rule for {rule:?}: the action has no string or number field {name:?}"
                )));
            }
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// A top-level field of an action, as a template shows it.
enum Field {
    String(String),
    /// Written as JavaScript writes the number.
    Number(String),
}

/// The action's top-level field `name`, if it is a string or a number (the
/// last one, if the key is there twice, as `JSON.parse` reads it).
fn field(action: &str, name: &str) -> Option<Field> {
    let bytes = action.as_bytes();
    let mut members = crate::json::Members::new(bytes, crate::json::skip_ws(bytes, 0), 1).ok()?;
    let mut found = None;
    while let Some(member) = members.next_member().ok()? {
        if member.key.decode(action) == name {
            found = Some(member.value);
        }
    }
    let value = found?;
    match bytes[value.start] {
        b'"' => crate::json::as_string(action, value).map(Field::String),
        b'-' | b'0'..=b'9' => {
            let n: f64 = action[value].parse().ok()?;
            Some(Field::Number(if n.is_finite() {
                crate::json::number(n)
            } else if n > 0.0 {
                "Infinity".into()
            } else {
                "-Infinity".into()
            }))
        }
        _ => None,
    }
}
