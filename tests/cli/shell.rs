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

#[test]
fn colour_is_used_when_asked_and_never_on_a_pipe_by_default() {
    let log = concat!(r#"[{"type":"a"},{"id":"1 a 0","reasons":["r"]}]"#, "\n");
    let ran = Test::new()
        .log(log)
        .args(["order", "--format", "table", "--color", "always"])
        .run();
    assert!(ran.stdout.contains("\u{1b}[1m"), "{}", ran.stdout);
    for args in [
        ["order", "--format", "table", "--color", "auto"],
        ["order", "--format", "table", "--color", "never"],
    ] {
        let ran = Test::new().log(log).args(args).run();
        assert!(!ran.stdout.contains('\u{1b}'), "{}", ran.stdout);
    }
}

#[test]
fn on_a_terminal_auto_colour_honours_no_color_and_dumb_terminals() {
    use rexpect::reader::Options;
    use rexpect::session::spawn_with_options;

    let log = concat!(r#"[{"type":"a"},{"id":"1 a 0","reasons":["r"]}]"#, "\n");
    for (env, coloured) in [
        (None, true),
        (Some(("NO_COLOR", "1")), false),
        (Some(("TERM", "dumb")), false),
    ] {
        let test = Test::new().log(log);
        let mut command = crate::harness::actionlog(test.path());
        command.args(["order"]).env("TERM", "xterm");
        if let Some((key, value)) = env {
            command.env(key, value);
        }
        let options = Options::new().timeout_ms(Some(10_000));
        let mut run = spawn_with_options(command, options).unwrap();
        let output = run.exp_eof().unwrap();
        assert!(output.contains("1 a 0"), "{output}");
        assert_eq!(output.contains("\u{1b}[1m"), coloured, "{env:?}: {output}");
    }
}
