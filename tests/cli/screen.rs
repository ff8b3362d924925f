//! What a person sees: the binary in a real terminal (a tmux pane of a
//! given width, colour on), read back with `capture-pane`.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use super::harness::BIN;

const CHAT: &str = include_str!("../../examples/chat.jsonl");
const DONE: &str = "::done::";

/// A tmux server of its own (its own socket), killed when dropped.
struct Pane {
    socket: std::path::PathBuf,
}

impl Drop for Pane {
    fn drop(&mut self) {
        let _ = tmux(&self.socket, &["kill-server"], Path::new(""));
    }
}

/// Runs tmux with a cleared environment: the server it starts passes to
/// its panes only the path, and the pinned clock, node and log of every
/// test (tmux adds its own `TERM`).
fn tmux(socket: &Path, args: &[&str], log: &Path) -> std::process::Output {
    Command::new("tmux")
        .arg("-S")
        .arg(socket)
        .args(["-f", "/dev/null"])
        .args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("TZ", "UTC")
        .env("ACTIONLOG_NODE_ID", "test")
        .env("ACTIONLOG_NOW", "1564508146000")
        .env("ACTIONLOG_FILE", log)
        .output()
        .expect("tmux runs (install it: apt-get install tmux)")
}

/// What `shell_command` shows in a pane `width` columns wide: the screen as
/// text, and the same with its colours as escape codes.
fn screen(dir: &Path, width: u16, shell_command: &str) -> (String, String) {
    let socket = dir.join("tmux.sock");
    let pane = Pane { socket };
    let log = dir.join("chat.jsonl");
    let command = format!("{shell_command}; printf '{DONE}'; sleep 600");
    let out = tmux(
        &pane.socket,
        &[
            "new-session",
            "-d",
            "-x",
            &width.to_string(),
            "-y",
            "100",
            "sh",
            "-c",
            &command,
        ],
        &log,
    );
    assert!(out.status.success(), "tmux: {out:?}");
    let capture = |styled: bool| {
        let mut args = vec!["capture-pane", "-p", "-S", "0", "-E", "-"];
        if styled {
            args.push("-e");
        }
        String::from_utf8(tmux(&pane.socket, &args, &log).stdout).expect("UTF-8 screen")
    };
    let started = Instant::now();
    loop {
        let text = capture(false);
        if let Some(end) = text.find(DONE) {
            let styled = capture(true);
            let styled_end = styled.find(DONE).expect("the same screen");
            return (text[..end].to_owned(), styled[..styled_end].to_owned());
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no end mark on the screen:\n{text}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn chat() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    std::fs::write(dir.path().join("chat.jsonl"), CHAT).expect("log written");
    dir
}

fn width(line: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(line)
}

/// Every line of a table is as wide as its top border, and no wider than
/// the screen, so no line ran over into the next.
fn assert_table_fits(text: &str, screen_width: usize) {
    let lines: Vec<&str> = text.lines().filter(|l| !l.is_empty()).collect();
    assert!(lines[0].starts_with('┌'), "a table:\n{text}");
    let border = width(lines[0]);
    assert!(border <= screen_width, "wider than the screen:\n{text}");
    for line in &lines {
        assert_eq!(width(line), border, "a line out of step: {line:?}\n{text}");
        assert!(line.starts_with(['┌', '│', '╞', '└']), "{line:?}\n{text}");
    }
}

fn chat_ids() -> Vec<String> {
    CHAT.lines()
        .filter(|line| line.starts_with('['))
        .map(|line| {
            let meta = line.split("},{\"id\":\"").nth(1).expect("an id");
            meta[..meta.find('"').expect("its end")].to_owned()
        })
        .collect()
}

#[test]
fn a_wide_terminal_shows_a_coloured_table_that_keeps_its_shape() {
    let dir = chat();
    let (text, styled) = screen(dir.path(), 200, &format!("{BIN} order"));
    assert_table_fits(&text, 200);
    let header = text.lines().nth(1).expect("a header");
    for name in ["type", "action", "id", "time", "added", "reasons", "meta"] {
        assert!(header.contains(&format!(" {name} ")), "{header}");
    }
    // The header is bold, by the table's own styling, and no escape code
    // shows as text.
    assert!(styled.contains("\u{1b}[1m"), "{styled:?}");
    assert!(!text.contains("0m") && !text.contains('\u{1b}'), "{text}");
    // Every ID, and every time, is whole on one line, to be copied.
    for id in chat_ids() {
        assert!(text.contains(&id), "{id} whole:\n{text}");
    }
    assert!(text.contains("2019-07-30T17:35:42.500Z"), "{text}");
    assert!(
        text.contains("channelId: \"random\", title: \"Random\""),
        "{text}"
    );
}

#[test]
fn narrower_terminals_show_one_record_an_entry() {
    for columns in [80, 100] {
        let dir = chat();
        let (text, styled) = screen(dir.path(), columns, &format!("{BIN} order"));
        assert!(!text.contains('┌'), "no table at {columns}:\n{text}");
        let ids = chat_ids();
        let rules: Vec<&str> = text.lines().filter(|l| l.starts_with("── ")).collect();
        assert_eq!(rules.len(), ids.len(), "{text}");
        for rule in &rules {
            assert!(
                ids.iter().any(|id| rule.starts_with(&format!("── {id} ─"))),
                "{rule}"
            );
            assert_eq!(
                width(rule),
                usize::from(columns),
                "a rule the width: {rule}"
            );
        }
        for line in text.lines() {
            assert!(width(line) <= columns.into(), "{line:?} at {columns}");
            assert!(
                line.starts_with("── ")
                    || line.starts_with("         ")
                    || ["type ", "action ", "time ", "added ", "reasons", "meta "]
                        .iter()
                        .any(|key| line.starts_with(key)),
                "a line of its own: {line:?}\n{text}"
            );
        }
        assert!(text.contains("time     2019-07-30T17:35:42.500Z  1564508142500"));
        assert!(styled.contains("\u{1b}[2m"), "dimmed keys: {styled:?}");
    }
}

#[test]
fn an_event_table_keeps_each_column_to_itself() {
    let dir = chat();
    let (text, styled) = screen(
        dir.path(),
        200,
        &format!("{BIN} add '{{\"type\":\"typing\",\"channelId\":\"general\"}}' 2>/dev/null"),
    );
    assert_table_fits(&text, 200);
    let rows: Vec<&str> = text.lines().filter(|l| l.contains("typing")).collect();
    assert_eq!(rows.len(), 2, "{text}");
    assert!(rows[0].starts_with("│ add   ┆ typing ┆"), "{}", rows[0]);
    assert!(rows[1].starts_with("│ clean ┆ typing ┆"), "{}", rows[1]);
    // Colour comes from the table: green for add, red for clean.
    // (crossterm writes them as 256-colour codes: 38;5;2 and 38;5;1).
    assert!(styled.contains("2m add "), "{styled:?}");
    assert!(styled.contains("1m clean "), "{styled:?}");
}

#[test]
fn a_long_value_wraps_inside_its_column() {
    let dir = chat();
    let long = "word ".repeat(60);
    let (text, _) = screen(
        dir.path(),
        200,
        &format!(
            "{BIN} add '{{\"type\":\"note\"}}' --reason r --meta '{{\"note\":\"{}\"}}' >/dev/null 2>&1; {BIN} order --type note",
            long.trim()
        ),
    );
    assert_table_fits(&text, 200);
    assert!(text.lines().count() > 5, "the meta wrapped:\n{text}");
}

#[test]
fn local_time_follows_tz() {
    let dir = chat();
    let (text, _) = screen(
        dir.path(),
        200,
        &format!("TZ=Asia/Tokyo {BIN} order --local-time --last 1"),
    );
    assert!(text.contains("2019-07-31T02:35:45.000+09:00"), "{text}");
}

#[test]
fn a_change_on_a_terminal_ends_with_a_summary() {
    let dir = chat();
    let (text, _) = screen(
        dir.path(),
        200,
        &format!(
            "{BIN} remove-reason syncing --max-added 12 >/dev/null; \
             {BIN} add '{{\"type\":\"user/rename\"}}' --keep-last user/10/name --dry-run >/dev/null; \
             {BIN} change-meta '1564508145000 10:uImkcF4z:3 0' '{{\"reasons\":[\"a\",\"syncing\"]}}'; \
             {BIN} remove-reason syncing 2>/dev/null >/dev/null; echo ."
        ),
    );
    assert_eq!(
        text.trim_end(),
        [
            r#"0 entries added, 1 cleaned; reasons taken off entries that stayed: "syncing" (3)"#,
            "dry run, nothing changed: 1 entry added, 1 cleaned",
            r#"0 entries added, 0 cleaned; reasons taken off entries that stayed: "channel/general/messages" (1); reasons put on entries: "a" (1)"#,
            // Not on a terminal: no summary.
            ".",
        ]
        .join("\n")
    );
}

#[test]
fn stats_and_records_keep_to_a_narrow_screen() {
    let dir = chat();
    let (text, _) = screen(
        dir.path(),
        40,
        &format!("{BIN} stats; {BIN} order --last 2"),
    );
    for line in text.lines() {
        assert!(width(line) <= 40, "{line:?} is wider than 40:\n{text}");
    }
    assert!(text.contains("most skewed"), "{text}");
}

#[test]
fn reading_ids_or_a_log_from_a_terminal_is_refused_not_waited_for() {
    let dir = chat();
    let (text, _) = screen(
        dir.path(),
        200,
        &format!(
            "{BIN} remove-reason syncing --ids -; echo \"exit $?\"; {BIN} merge - -r x; echo \"exit $?\""
        ),
    );
    assert_eq!(
        text.trim_end(),
        "actionlog: nothing is piped into stdin: give the IDs to --ids as arguments, or pipe them into stdin, one a line\nexit 2\n\
         actionlog: nothing is piped into stdin: give the other log as a file, or pipe it into stdin\nexit 2"
    );
}

#[test]
fn the_summary_counts_a_reason_that_stood_twice() {
    let dir = chat();
    let (text, _) = screen(
        dir.path(),
        200,
        &format!(
            "{BIN} change-meta '1564508139001 server:h1 0' '{{\"reasons\":[\"a\",\"a\"]}}' 2>/dev/null; \
             {BIN} remove-reason a"
        ),
    );
    assert_eq!(
        text.trim_end(),
        r#"0 entries added, 0 cleaned; reasons taken off entries that stayed: "a" (1)"#
    );
}
