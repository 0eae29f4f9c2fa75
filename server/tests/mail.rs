//! The mail path against a real SMTP server on loopback (Python's
//! aiosmtpd): `yighin mail-test` delivers, or names the step that failed;
//! `yighin doctor` tries the server as far as signing in.

mod common;

use common::smtp::Sink;
use common::{free_port, said};
use std::path::Path;
use std::process::{Command, Output};

fn yighin(dir: &Path, smtp_url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_yighin"))
        .args(args)
        .current_dir(dir)
        .env(
            "DATABASE_URL",
            format!("sqlite://{}/data/yighin.db", dir.display()),
        )
        .env("YIGHIN_SMTP_URL", smtp_url)
        .env(
            "YIGHIN_MAIL_FROM",
            "Uyghur Society <events@society.example>",
        )
        .env("YIGHIN_BASE_URL", "https://events.society.example")
        .env("YIGHIN_NAME", "Uyghur Society")
        .env("RUST_LOG", "warn")
        .output()
        .unwrap()
}

/// `yighin mail-test` through `smtp_url` fails, saying `words`.
fn fails_saying(dir: &Path, smtp_url: &str, address: &str, words: &str) -> String {
    let output = yighin(dir, smtp_url, &["mail-test", address]);
    let told = said(&output);
    assert!(!output.status.success(), "{told}");
    assert!(told.contains(words), "{told}");
    told
}

#[test]
fn a_test_message_reaches_the_server_naming_the_instance_only() {
    let dir = tempfile::tempdir().unwrap();
    let sink = Sink::start(dir.path(), &[]);
    let sent = yighin(
        dir.path(),
        &format!("smtp://127.0.0.1:{}", sink.port),
        &["mail-test", "member@example.org"],
    );
    assert!(sent.status.success(), "{}", said(&sent));
    let words = said(&sent);
    assert!(words.contains("127.0.0.1 answers on port"), "{words}");
    assert!(words.contains("in plain SMTP"), "{words}");
    assert!(
        words.contains("the server took the message for member@example.org"),
        "{words}"
    );

    let received = sink.received();
    assert_eq!(received.len(), 1);
    let (message, recipients) = &received[0];
    assert_eq!(recipients, "member@example.org");
    assert!(
        message.contains("Uyghur Society") && message.contains("<events@society.example>"),
        "{message}"
    );
    assert!(
        message.contains("Subject: Uyghur Society: a test message"),
        "{message}"
    );
    assert!(message.contains("@events.society.example>"), "{message}");
    let machine = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap();
    assert!(
        !message.contains(machine.trim()),
        "the message names this machine: {message}"
    );
}

#[test]
fn a_sign_in_is_checked_and_a_wrong_password_named() {
    let dir = tempfile::tempdir().unwrap();
    let sink = Sink::start(
        dir.path(),
        &["--auth", "events@society.example:right horse"],
    );
    let url = |password: &str| {
        format!(
            "smtp://events%40society.example:{password}@127.0.0.1:{}",
            sink.port
        )
    };
    let sent = yighin(
        dir.path(),
        &url("right%20horse"),
        &["mail-test", "a@example.org"],
    );
    assert!(sent.status.success(), "{}", said(&sent));
    assert!(said(&sent).contains("it takes the username events@society.example"));
    assert_eq!(sink.received().len(), 1);

    let a = "a@example.org";
    let plain = format!("smtp://127.0.0.1:{}", sink.port);
    fails_saying(
        dir.path(),
        &url("wrong"),
        a,
        "did not take the username and password",
    );
    fails_saying(dir.path(), &plain, a, "asks for a sign-in");
    assert_eq!(sink.received().len(), 1, "nothing more arrived");
}

#[test]
fn each_failing_step_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let sink = Sink::start(dir.path(), &["--refuse", "refused.example"]);

    let (dir, a) = (dir.path(), "a@example.org");
    let plain = format!("smtp://127.0.0.1:{}", sink.port);
    let told = fails_saying(
        dir,
        &plain,
        "someone@refused.example",
        "refused the message",
    );
    assert!(told.contains("no such mailbox"), "{told}");
    // TLS expected on a port that speaks plain SMTP.
    let tls = format!("smtps://127.0.0.1:{}", sink.port);
    fails_saying(dir, &tls, a, "no secure connection");
    let closed = format!("smtp://127.0.0.1:{}", free_port());
    fails_saying(dir, &closed, a, "cannot connect");
    fails_saying(dir, "smtps://mail.nowhere.invalid", a, "does not resolve");
    // A password with a `#` not percent-encoded: the URL is refused, and
    // nothing repeats it.
    let mistyped = "smtps://events:hunter2#x@mail.example.org";
    let told = fails_saying(dir, mistyped, a, "YIGHIN_SMTP_URL");
    assert!(!told.contains("hunter2"), "{told}");
    fails_saying(dir, &plain, "not an address", "is not a mail address");
    assert!(sink.received().is_empty());
}

#[test]
fn without_a_server_messages_can_be_written_as_files() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("outgoing");
    let written = yighin(
        dir.path(),
        &format!("file://{}", folder.display()),
        &["mail-test", "member@example.org"],
    );
    assert!(written.status.success(), "{}", said(&written));
    let files: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let message = std::fs::read_to_string(&files[0]).unwrap();
    assert!(message.contains("To: member@example.org"), "{message}");
}

#[tokio::test]
async fn doctor_tries_the_mail_server() {
    use yighin::doctor::{examine, Severity};
    let dir = tempfile::tempdir().unwrap();
    let sink = Sink::start(dir.path(), &["--auth", "events:secret"]);
    let mut config = yighin::config::Config::for_database("sqlite://unused.db");
    let judge = |config: &yighin::config::Config| {
        let config = config.clone();
        async move {
            examine(&config, app::services::now())
                .await
                .into_iter()
                .find(|f| f.words.contains("mail server") || f.words.contains("YIGHIN_MAIL_FROM"))
                .unwrap()
        }
    };
    let none = judge(&config).await;
    assert_eq!(none.severity, Severity::Ok);
    assert!(none.words.contains("sends no email"), "{}", none.words);

    config.smtp_url = Some(yighin::mail::SecretSetting::new(format!(
        "smtp://events:secret@127.0.0.1:{}",
        sink.port
    )));
    let no_sender = judge(&config).await;
    assert_eq!(no_sender.severity, Severity::Problem);
    assert!(
        no_sender.words.contains("YIGHIN_MAIL_FROM"),
        "{}",
        no_sender.words
    );

    config.mail_from = Some(yighin::mail::parse_sender("events@society.example").unwrap());
    let works = judge(&config).await;
    assert_eq!(works.severity, Severity::Ok, "{}", works.words);
    assert!(
        works.words.contains("takes the username events"),
        "{}",
        works.words
    );

    config.smtp_url = Some(yighin::mail::SecretSetting::new(format!(
        "smtp://events:wrong@127.0.0.1:{}",
        sink.port
    )));
    let wrong = judge(&config).await;
    assert_eq!(wrong.severity, Severity::Problem);
    assert!(
        wrong.words.contains("did not take the username"),
        "{}",
        wrong.words
    );
    assert!(sink.received().is_empty(), "doctor sends nothing");
}
