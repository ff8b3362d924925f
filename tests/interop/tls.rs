//! `sync wss://…` against a real `@logux/server` serving TLS with a
//! certificate of a private CA, made here with openssl.

use std::path::Path;
use std::process::Command;

use crate::peers::LoguxServer;
use crate::{actionlog, output, text};

/// A CA, and a certificate it signed for localhost and 127.0.0.1.
fn private_ca(dir: &Path) {
    let run = |args: &str| {
        let status = Command::new("sh")
            .arg("-c")
            .arg(format!("openssl {args}"))
            .current_dir(dir)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .expect("the TLS test needs openssl");
        assert!(status.success(), "openssl {args}");
    };
    std::fs::write(
        dir.join("server.ext"),
        "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    run(
        "req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem -days 2 -subj /CN=actionlog-test-ca -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign",
    );
    run(
        "req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout server.key -out server.csr -subj /CN=localhost",
    );
    run(
        "x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 -extfile server.ext",
    );
}

#[test]
fn wss_with_a_private_ca() {
    let certs = tempfile::tempdir().unwrap();
    private_ca(certs.path());
    let server = LoguxServer::start_tls(
        &certs.path().join("server.key"),
        &certs.path().join("server.pem"),
    );
    let url = format!("wss://localhost:{}", server.port);
    let dir = tempfile::tempdir().unwrap();
    let ca = certs.path().join("ca.pem");
    let ran = output(
        actionlog(dir.path(), "10:cli")
            .env("ACTIONLOG_TOKEN", "secret-10")
            .args([
                "sync",
                &url,
                "--subprotocol",
                "2",
                "--subscribe",
                "users/10",
            ])
            .args(["--reason", "r", "--ca", ca.to_str().unwrap()]),
    );
    assert!(ran.status.success(), "{}", text(&ran.stderr));
    assert!(text(&ran.stdout).contains(r#""type":"users/loaded""#));

    // Without the CA, the system's roots do not know this certificate.
    let before = std::fs::read(dir.path().join("actionlog.jsonl")).unwrap();
    let ran = output(
        actionlog(dir.path(), "10:cli")
            .env("ACTIONLOG_TOKEN", "secret-10")
            .args(["sync", &url, "--subprotocol", "2"]),
    );
    assert_eq!(ran.status.code(), Some(9), "{}", text(&ran.stderr));
    let stderr = text(&ran.stderr);
    assert!(
        stderr.starts_with(&format!("actionlog: cannot connect to {url}: ")),
        "{stderr}"
    );
    assert!(stderr.contains("certificate"), "{stderr}");
    assert_eq!(
        std::fs::read(dir.path().join("actionlog.jsonl")).unwrap(),
        before
    );

    // A CA file that holds no certificate is named.
    std::fs::write(dir.path().join("empty.pem"), "nothing\n").unwrap();
    let ran = output(actionlog(dir.path(), "10:cli").args(["sync", &url, "--ca", "empty.pem"]));
    assert_eq!(ran.status.code(), Some(2));
    assert_eq!(
        text(&ran.stderr),
        "actionlog: --ca empty.pem: no PEM certificate in the file\n"
    );
}
