//! What both end-to-end suites (`tests/cli`, `tests/interop`) do with a
//! running actionlog, included in each with `#[path]`: they are separate
//! test crates.

/// The first line `child` prints; then its standard output is closed, as
/// when a reader such as `head -1` leaves.
pub fn first_line(child: &mut std::process::Child) -> String {
    let mut line = String::new();
    let stdout = child.stdout.take().expect("standard output piped");
    std::io::BufRead::read_line(&mut std::io::BufReader::new(stdout), &mut line)
        .expect("read the first line");
    line
}
