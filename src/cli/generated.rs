//! Files generated from the clap definition and committed: shell completion
//! scripts in `completions/` and man pages in `man/`. A test fails when a
//! committed file differs from what the definition generates now; run
//! `ACTIONLOG_REGENERATE=1 cargo test generated` to write them anew.

use clap::CommandFactory;
use clap_complete::Shell;

use super::Cli;

/// The shells completion scripts are made for, with their file names.
#[cfg(test)]
pub const SHELLS: [(Shell, &str); 5] = [
    (Shell::Bash, "actionlog.bash"),
    (Shell::Zsh, "_actionlog"),
    (Shell::Fish, "actionlog.fish"),
    (Shell::PowerShell, "_actionlog.ps1"),
    (Shell::Elvish, "actionlog.elv"),
];

/// The completion script for `shell`.
pub fn completion(shell: Shell) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "actionlog", &mut out);
    out
}

/// Man pages: `actionlog.1`, then `actionlog-COMMAND.1` for each command.
/// clap_mangen's sections, but for the text after the options: its
/// "EXTRA" becomes a section for each block there (`Examples:` becomes
/// EXAMPLES, `Exit status:` EXIT STATUS). The `help` command, which has no
/// page, is not listed, and a command's page lists no `--version`, which
/// only `actionlog` itself takes.
#[cfg(test)]
pub fn man_pages() -> std::io::Result<Vec<(String, Vec<u8>)>> {
    let command = Cli::command().disable_help_subcommand(true);
    let version = command.get_version().unwrap_or_default().to_owned();
    let mut pages = vec![("actionlog.1".to_string(), man_page(command.clone(), true)?)];
    for sub in command.get_subcommands() {
        let name = format!("actionlog-{}", sub.get_name());
        let page = clap_mangen::Man::new(sub.clone().name(name.clone()))
            .source(format!("actionlog {version}"));
        pages.push((format!("{name}.1"), render(page, sub, false)?));
    }
    Ok(pages)
}

#[cfg(test)]
fn man_page(command: clap::Command, top: bool) -> std::io::Result<Vec<u8>> {
    let page = clap_mangen::Man::new(command.clone());
    render(page, &command, top)
}

#[cfg(test)]
fn render(page: clap_mangen::Man, command: &clap::Command, top: bool) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    page.render_title(&mut out)?;
    page.render_name_section(&mut out)?;
    page.render_synopsis_section(&mut out)?;
    page.render_description_section(&mut out)?;
    if command.get_arguments().next().is_some() {
        page.render_options_section(&mut out)?;
    }
    if command.has_subcommands() {
        page.render_subcommands_section(&mut out)?;
    }
    if let Some(after) = command.get_after_help() {
        out.extend_from_slice(after_help_sections(&after.to_string()).as_bytes());
    }
    if top {
        page.render_version_section(&mut out)?;
    }
    // Each of clap_mangen's renders begins with the same two lines that
    // define the apostrophe; once is enough.
    let preamble: &[u8] = b".ie \\n(.g .ds Aq \\(aq\n.el .ds Aq '\n";
    let mut text = Vec::with_capacity(out.len());
    let mut rest = &out[..];
    let mut seen = false;
    while let Some(at) = rest.windows(preamble.len()).position(|w| w == preamble) {
        text.extend_from_slice(&rest[..at]);
        if !seen {
            text.extend_from_slice(preamble);
            seen = true;
        }
        rest = &rest[at + preamble.len()..];
    }
    text.extend_from_slice(rest);
    Ok(text)
}

/// The text after the options as man sections: each block of lines that
/// begins with a `Heading:` line is a section of that name, its lines kept
/// as they are.
#[cfg(test)]
fn after_help_sections(text: &str) -> String {
    let escape = |line: &str| {
        let line = line.replace('\\', "\\e").replace('-', "\\-");
        if line.starts_with(['.', '\'']) {
            format!("\\&{line}")
        } else {
            line
        }
    };
    let mut out = String::new();
    let mut open = false;
    for line in text.lines() {
        if let Some(heading) = line.strip_suffix(':').filter(|h| !h.starts_with(' ')) {
            if open {
                out.push_str(".fi\n");
            }
            out.push_str(&format!(".SH {}\n.nf\n", heading.to_uppercase()));
            open = true;
        } else if open {
            out.push_str(&escape(line));
            out.push('\n');
        } else {
            out.push_str(&format!(".SH NOTES\n.nf\n{}\n", escape(line)));
            open = true;
        }
    }
    if open {
        out.push_str(".fi\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    #[track_caller]
    fn check(path: &Path, generated: &[u8]) {
        if std::env::var_os("ACTIONLOG_REGENERATE").is_some() {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, generated).unwrap();
            return;
        }
        let committed = std::fs::read(path).unwrap_or_default();
        assert!(
            committed == generated,
            "{} is out of date: run `ACTIONLOG_REGENERATE=1 cargo test generated` and commit it",
            path.display()
        );
    }

    #[test]
    fn generated_completions_are_committed() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        for (shell, name) in SHELLS {
            check(&root.join("completions").join(name), &completion(shell));
        }
    }

    #[test]
    fn man_pages_name_their_sections_and_list_only_what_there_is() {
        for (name, page) in man_pages().unwrap() {
            let page = String::from_utf8(page).unwrap();
            assert!(!page.contains(".SH EXTRA"), "{name}");
            assert!(!page.contains("actionlog\\-help(1)"), "{name}");
            assert!(page.contains(".SH EXAMPLES"), "{name} has no examples");
            assert_eq!(page.matches(".ds Aq").count(), 2, "{name}");
            let lists_version = page.contains("\\fB\\-\\-version\\fR");
            assert_eq!(lists_version, name == "actionlog.1", "{name}");
        }
    }

    #[test]
    fn generated_man_pages_are_committed() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let pages = man_pages().unwrap();
        let mut names: Vec<String> = pages.iter().map(|(name, _)| name.clone()).collect();
        for (name, page) in pages {
            check(&root.join("man").join(name), &page);
        }
        if std::env::var_os("ACTIONLOG_REGENERATE").is_none() {
            let mut committed: Vec<String> = std::fs::read_dir(root.join("man"))
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            committed.sort();
            names.sort();
            assert_eq!(
                committed, names,
                "man/ holds pages of commands that are gone"
            );
        }
    }
}
