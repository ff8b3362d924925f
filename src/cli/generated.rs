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
#[cfg(test)]
pub fn man_pages() -> std::io::Result<Vec<(String, Vec<u8>)>> {
    let command = Cli::command();
    let mut pages = Vec::new();
    let mut page = Vec::new();
    clap_mangen::Man::new(command.clone()).render(&mut page)?;
    pages.push(("actionlog.1".to_string(), page));
    for sub in command.get_subcommands() {
        let name = format!("actionlog-{}", sub.get_name());
        let mut page = Vec::new();
        let version = command.get_version().unwrap_or_default().to_owned();
        let sub = sub.clone().name(name.clone()).version(version);
        clap_mangen::Man::new(sub).render(&mut page)?;
        pages.push((format!("{name}.1"), page));
    }
    Ok(pages)
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
