//! Commands for scripts and shells: parse-id, is-older, completions.

use crate::harness::Test;

#[test]
fn parse_id_splits_node_ids_and_action_ids() {
    Test::new()
        .args(["parse-id", "10:uImkcF4z:3"])
        .stdout("{\"userId\":\"10\",\"clientId\":\"10:uImkcF4z\",\"nodeId\":\"10:uImkcF4z:3\"}\n")
        .run();
    Test::new()
        .args(["parse-id", "server"])
        .stdout("{\"clientId\":\"server\",\"nodeId\":\"server\"}\n")
        .run();
    Test::new()
        .args(["parse-id", "1564508138460 10:uImkcF4z 7"])
        .stdout("{\"userId\":\"10\",\"clientId\":\"10:uImkcF4z\",\"nodeId\":\"10:uImkcF4z\",\"time\":1564508138460,\"counter\":7}\n")
        .run();
    Test::new()
        .args(["parse-id", "1 a b 0"])
        .status(3)
        .stderr_contains("invalid action ID")
        .run();
}

#[test]
fn parse_id_does_not_read_the_log() {
    Test::new()
        .log("not a log\n")
        .args(["parse-id", "a:b"])
        .stdout("{\"userId\":\"a\",\"clientId\":\"a:b\",\"nodeId\":\"a:b\"}\n")
        .run();
}

#[test]
fn is_older_answers_with_the_exit_status() {
    Test::new()
        .args(["is-older", "1 a 0", "1 b 0"])
        .stdout("")
        .run();
    Test::new()
        .args(["is-older", "1 b 0", "1 a 0"])
        .status(1)
        .stdout("")
        .run();
    Test::new()
        .args(["is-older", "1 a 0", "1 a 0"])
        .status(1)
        .run();
    Test::new()
        .args(["is-older", "1 a", "1 a 0"])
        .status(3)
        .stderr_contains("invalid action ID \"1 a\"")
        .run();
}

#[test]
fn is_older_uses_the_meta_time_of_ids_in_the_log() {
    Test::new()
        .log(concat!(
            r#"[{"type":"a"},{"id":"1 a 0","time":9,"reasons":["r"]}]"#,
            "\n"
        ))
        .args(["is-older", "5 b 0", "1 a 0"])
        .run();
}

#[test]
fn completions_are_printed_for_every_shell() {
    for (shell, needle) in [
        ("bash", "_actionlog()"),
        ("zsh", "#compdef actionlog"),
        ("fish", "complete -c actionlog"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion:arg-completer[actionlog]"),
    ] {
        let ran = Test::new().args(["completions", shell]).run();
        assert!(
            ran.stdout.contains(needle),
            "{shell}: {}",
            &ran.stdout[..200.min(ran.stdout.len())]
        );
        assert!(ran.stdout.contains("remove-reason"), "{shell}");
    }
    Test::new().args(["completions", "tcsh"]).status(2).run();
}
