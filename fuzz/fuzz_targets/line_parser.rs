//! Any bytes as a log file: reading must not panic, and a log that reads
//! must write back to a file that reads to the same entries, which writes
//! back to the same bytes.

#![no_main]

use std::path::Path;

use actionlog::Order;
use actionlog::store::parse;
use libfuzzer_sys::fuzz_target;

fn lines(log: &actionlog::Log) -> Vec<String> {
    log.entries(Order::Added, None)
        .map(|e| e.line_with_added().into_owned())
        .collect()
}

fuzz_target!(|data: &[u8]| {
    let Ok(stored) = parse(data.to_vec(), Path::new("fuzz")) else {
        return;
    };
    stored.log.verify().expect("a log that reads keeps its invariants");
    let mut written = Vec::new();
    stored.write_all(&mut written).expect("writing to memory");
    let again = parse(written.clone(), Path::new("again")).expect("a written log reads");
    assert_eq!(lines(&stored.log), lines(&again.log));
    let mut twice = Vec::new();
    again.write_all(&mut twice).expect("writing to memory");
    assert_eq!(written, twice);
});
