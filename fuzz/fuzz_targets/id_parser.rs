//! Any text as an action ID: parsing must not panic; an ID that parses is
//! canonical (its parts print back to it), and the order of two IDs is
//! antisymmetric.

#![no_main]

use actionlog::id::{parse_action_id, parse_id};
use actionlog::order::compare;
use actionlog::OrderKey;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: (&str, &str, f64)| {
    let (a, b, time) = data;
    let _ = parse_id(a);
    let Ok(parts) = parse_action_id(a) else {
        return;
    };
    assert_eq!(
        format!("{} {} {}", parts.ms, parts.node(a), parts.counter),
        a,
        "a parsed ID is canonical"
    );
    let Ok(other) = parse_action_id(b) else {
        return;
    };
    if !time.is_finite() {
        return;
    }
    let (ka, kb) = (OrderKey::new(time, a, &parts), OrderKey::new(time, b, &other));
    assert_eq!(compare(&ka, &kb), compare(&kb, &ka).reverse());
    assert_eq!(compare(&ka, &kb).is_eq(), a == b);
});
