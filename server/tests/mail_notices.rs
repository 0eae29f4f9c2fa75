//! Notices by email, through a real SMTP server on loopback (aiosmtpd), on
//! every backend: only members who gave an address get them, once each,
//! in the language they answered in; a sensitive event's say nothing of it;
//! the stop link works without JavaScript; the address is gone when the
//! event ends; two app servers send each email once; the hourly limit
//! holds.

mod common;

use app::accounts::Role;
use app::i18n::Lang;
use axum::http::{header, StatusCode};
use common::smtp::Sink;
use common::{apps_with, TestApp};
use std::path::Path;
use yighin::config::Config;
use yighin::mail::{Mailer, SecretSetting};

const ORIGIN: &str = "http://127.0.0.1:3000";
const MAIL_KEY: &str = "a mail key of more than thirty-two characters";

/// A message as a mail client reads it.
struct Received {
    to: String,
    subject: String,
    text: String,
    html: String,
    headers: serde_json::Value,
    raw: String,
}

fn received(sink: &Sink) -> Vec<Received> {
    let mut all = Vec::new();
    for number in 1.. {
        let file = sink.folder.join(format!("{number}.eml"));
        if !file.exists() {
            break;
        }
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/read_mail.py");
        let output = std::process::Command::new("/usr/bin/python3")
            .arg(script)
            .arg(&file)
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", common::said(&output));
        let read: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let header = |name: &str| read["headers"][name].as_str().unwrap_or("").to_string();
        all.push(Received {
            to: header("to"),
            subject: header("subject"),
            text: read["text"].as_str().unwrap().to_string(),
            html: read["html"].as_str().unwrap().to_string(),
            headers: read["headers"].clone(),
            raw: std::fs::read_to_string(&file).unwrap(),
        });
        assert_eq!(
            read["other_parts"],
            serde_json::json!([]),
            "text and HTML only"
        );
    }
    all
}

fn with_mail(config: &mut Config, port: u16) {
    config.smtp_url = Some(SecretSetting::new(format!("smtp://127.0.0.1:{port}")));
    config.mail_from =
        Some(yighin::mail::parse_sender("Society <events@society.example>").unwrap());
    config.mail_key = Some(SecretSetting::new(MAIL_KEY));
}

fn mailer(port: u16) -> Mailer {
    let mut config = Config::for_database("sqlite://unused.db");
    with_mail(&mut config, port);
    config.mailer().unwrap().unwrap()
}

async fn send(app: &TestApp, mailer: &Mailer) -> yighin::outbox::Round {
    yighin::outbox::send_due(&app.site, mailer, 300, 120)
        .await
        .unwrap()
}

async fn answer(app: &TestApp, slug: &str, form: &str) -> String {
    let reply = app
        .post_with(&format!("/events/{slug}/rsvp"), form, &[])
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    reply.headers[header::LOCATION]
        .to_str()
        .unwrap()
        .to_string()
}

async fn organiser(app: &TestApp, slug: &str) -> String {
    app.account("root", Role::Admin).await;
    let aygul = app.account("aygul", Role::Organiser).await;
    app.assign(slug, aygul).await;
    app.sign_in("aygul").await
}

async fn post(app: &TestApp, cookie: &str, path: &str, body: &str) -> common::Answer {
    app.post_with(
        path,
        body,
        &[(header::COOKIE, cookie), (header::ORIGIN, ORIGIN)],
    )
    .await
}

/// Only this instance's links; no image, no remote content.
fn nothing_remote(message: &Received) {
    for word in ["<img", "src=", "url(", "<link", "<script"] {
        assert!(!message.html.contains(word), "{word} in {}", message.html);
    }
    for link in message.html.split("href=\"").skip(1) {
        assert!(link.starts_with(ORIGIN), "{link}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn members_who_asked_get_each_notice_once_in_their_language() {
    let dir = tempfile::tempdir().unwrap();
    let sink = Sink::start(dir.path(), &[]);
    let mailer = mailer(sink.port);
    let mut expected = 0;
    for app in apps_with(|config| with_mail(config, sink.port)).await {
        let now = app::services::now();
        let slug = "study-circle";
        app.add_meeting(
            slug,
            "Study circle",
            "2099-05-01T18:00",
            "2099-05-01T20:00",
            now,
        )
        .await;
        let cookie = organiser(&app, slug).await;
        // The form offers email; the address must be one.
        let page = app.get(&format!("/events/{slug}")).await.body;
        assert!(page.contains("name=\"email\""), "email offered");
        let bad = app
            .post_with(
                &format!("/events/{slug}/rsvp"),
                "answer=going&name=X&email=not-an-address",
                &[],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            bad.body.contains("This is not an email address"),
            "{}",
            bad.body
        );

        let fr = answer(
            &app,
            slug,
            "answer=going&name=A&lang=fr&email=amina%40example.org",
        )
        .await;
        let arab = answer(
            &app,
            slug,
            "answer=maybe&name=B&lang=ug-Arab&email=bahar%40example.org",
        )
        .await;
        answer(&app, slug, "answer=going&name=C&lang=en").await;
        answer(
            &app,
            slug,
            "answer=not_going&name=D&email=dilnur%40example.org",
        )
        .await;
        // Her address is hers to see on her page; never the organisers'.
        assert!(app
            .get(&fr)
            .await
            .body
            .contains("value=\"amina@example.org\""));
        let answers = app
            .get_with(
                &format!("/organise/events/{slug}/rsvps"),
                header::COOKIE,
                &cookie,
            )
            .await
            .body;
        assert!(!answers.contains("amina@example.org"));
        let csv = app
            .get_with(
                &format!("/organise/events/{slug}/rsvps.csv"),
                header::COOKIE,
                &cookie,
            )
            .await
            .body;
        assert!(!csv.contains("amina"), "{csv}");
        // A copy of the database holds no address in the clear.
        let in_db: Vec<String> =
            sqlx::query_scalar("SELECT mail_sealed FROM rsvps WHERE mail_sealed <> ''")
                .fetch_all(&app.site.db.pool)
                .await
                .unwrap();
        assert_eq!(
            in_db.len(),
            2,
            "none kept for \"not going\", which is told nothing"
        );
        assert!(in_db.iter().all(|sealed| !sealed.contains("example.org")));

        // The place moves; then a message to everyone.
        let moved = app
            .edit_event(&cookie, slug, |values| {
                for (name, value) in values.iter_mut() {
                    if name == "venue_name" {
                        *value = "Library, room 2".into();
                    }
                }
            })
            .await;
        assert_eq!(moved.status, StatusCode::SEE_OTHER);
        let body = "message=Bring+**tea**%3Cimg+src%3Dx%3E&audience=everyone&lang=en";
        let sent = post(
            &app,
            &cookie,
            &format!("/organise/events/{slug}/announce"),
            body,
        )
        .await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER);
        let round = send(&app, &mailer).await;
        assert_eq!(round.sent, 4, "{round:?}");
        expected += 4;
        let all = received(&sink);
        assert_eq!(all.len(), expected);
        let mine = |to: &str| {
            all.iter()
                .rev()
                .take(4)
                .filter(|m| m.to.contains(to))
                .collect::<Vec<_>>()
        };
        assert!(mine("dilnur").is_empty(), "not going: nothing");
        let amina = mine("amina@example.org");
        assert_eq!(amina.len(), 2);
        assert!(
            amina
                .iter()
                .any(|m| m.subject == "Study circle — Le lieu a changé."),
            "{}",
            amina[0].subject
        );
        let message = amina
            .iter()
            .find(|m| m.text.contains("Bring **tea**"))
            .unwrap();
        assert!(
            message.text.contains("Un message des organisateurs :"),
            "{}",
            message.text
        );
        assert!(
            message.html.contains("<strong>tea</strong>"),
            "{}",
            message.html
        );
        assert!(
            message.text.contains(&format!("{ORIGIN}{fr}")),
            "the private page"
        );
        for m in &amina {
            nothing_remote(m);
            let stop = m.headers["list-unsubscribe"].as_str().unwrap();
            assert!(stop.starts_with(&format!("<{ORIGIN}/mail/stop/")), "{stop}");
            assert_eq!(
                m.headers["list-unsubscribe-post"],
                "List-Unsubscribe=One-Click"
            );
            assert!(m.html.contains("<html lang=\"fr\" dir=\"ltr\">"));
        }
        let bahar = mine("bahar@example.org");
        assert_eq!(bahar.len(), 2);
        assert!(bahar.iter().any(|m| m.text.contains("ئورۇن ئۆزگەردى.")));
        assert!(bahar
            .iter()
            .all(|m| m.html.contains("<html lang=\"ug-Arab\" dir=\"rtl\">")));
        // Sent means sent: a second round sends nothing again.
        assert_eq!(send(&app, &mailer).await.sent, 0);

        // The stop link, without JavaScript: a page that asks, a form that
        // stops; the address is deleted and nothing more is sent.
        let stop = amina[0].headers["list-unsubscribe"].as_str().unwrap();
        let stop = stop
            .trim_matches(['<', '>'])
            .strip_prefix(ORIGIN)
            .unwrap()
            .to_string();
        let page = app.get(&stop).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Stop the emails"), "{}", page.body);
        let stopped = app.post_with(&stop, "confirm=1", &[]).await;
        assert_eq!(stopped.status, StatusCode::SEE_OTHER);
        let after = app
            .get(stopped.headers[header::LOCATION].to_str().unwrap())
            .await
            .body;
        assert!(after.contains("no more emails about this event"), "{after}");
        assert!(app
            .get(&stop)
            .await
            .body
            .contains("This link stops nothing now"));
        assert!(!app.get(&fr).await.body.contains("amina@example.org"));
        // A mail client's one click stops Bahar's.
        let bahar_stop = bahar[0].headers["list-unsubscribe"].as_str().unwrap();
        let bahar_stop = bahar_stop
            .trim_matches(['<', '>'])
            .strip_prefix(ORIGIN)
            .unwrap()
            .to_string();
        let one_click = app
            .post_with(&bahar_stop, "List-Unsubscribe=One-Click", &[])
            .await;
        assert_eq!(one_click.status, StatusCode::OK);
        let status = "/organise/events/study-circle/status";
        post(&app, &cookie, status, "status=postponed").await;
        assert_eq!(send(&app, &mailer).await.sent, 0, "no one asked any more");
        assert!(bahar
            .iter()
            .all(|m| m.text.contains(&format!("{ORIGIN}{arab}"))));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sensitive_events_email_names_nothing_and_addresses_go_when_it_ends() {
    let dir = tempfile::tempdir().unwrap();
    let sink = Sink::start(dir.path(), &[]);
    let mailer = mailer(sink.port);
    let mut count = 0;
    for app in apps_with(|config| with_mail(config, sink.port)).await {
        let cookie = organiser(&app, "members-meeting").await;
        let member = answer(
            &app,
            "members-meeting",
            "answer=going&name=M&email=m%40example.org",
        )
        .await;
        let token = member.trim_start_matches("/rsvp/").to_string();
        let id = app::services::rsvp::find(&app.site, &token)
            .await
            .unwrap()
            .id;
        let approve = format!("/organise/events/members-meeting/rsvps/{id}/approve");
        post(&app, &cookie, &approve, "").await;
        let body = "message=Room+B%2C+5000+avenue+du+Parc&audience=going&lang=en";
        post(
            &app,
            &cookie,
            "/organise/events/members-meeting/announce",
            body,
        )
        .await;
        assert_eq!(send(&app, &mailer).await.sent, 2);
        count += 2;
        let all = received(&sink);
        assert_eq!(all.len(), count);
        for message in &all[count - 2..] {
            for secret in ["Members", "meeting", "Centre", "Parc", "Montréal", "Room B"] {
                assert!(!message.raw.contains(secret), "{secret} in {}", message.raw);
                assert!(!message.text.contains(secret) && !message.subject.contains(secret));
            }
            assert!(message
                .text
                .contains("Something changed for an event you answered"));
            assert!(message.text.contains(&format!("{ORIGIN}{member}")));
        }

        // The event ends: the address goes, from the table and (SQLite)
        // from the file and its log.
        let event = app::db::events::by_slug(&app.site.db, "members-meeting", Lang::En)
            .await
            .unwrap()
            .unwrap();
        let sealed: String = sqlx::query_scalar("SELECT mail_sealed FROM rsvps WHERE id = $1")
            .bind(id)
            .fetch_one(&app.site.db.pool)
            .await
            .unwrap();
        assert!(!sealed.is_empty());
        app::services::outbox::forget_ended(&app.site, event.ends_at - 1)
            .await
            .unwrap();
        let still: String = sqlx::query_scalar("SELECT mail_sealed FROM rsvps WHERE id = $1")
            .bind(id)
            .fetch_one(&app.site.db.pool)
            .await
            .unwrap();
        assert_eq!(still, sealed, "kept while the event lasts");
        let gone = app::services::outbox::forget_ended(&app.site, event.ends_at)
            .await
            .unwrap();
        assert_eq!(gone, 1);
        let left: String = sqlx::query_scalar("SELECT mail_sealed FROM rsvps WHERE id = $1")
            .bind(id)
            .fetch_one(&app.site.db.pool)
            .await
            .unwrap();
        assert_eq!(left, "");
        if let Some(file) = app.database_file() {
            for path in [file.clone(), file.with_extension("db-wal")] {
                let bytes = std::fs::read(&path).unwrap_or_default();
                let found = bytes.windows(32).any(|w| w == &sealed.as_bytes()[..32]);
                assert!(!found, "the sealed address is still in {}", path.display());
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_app_servers_send_each_email_once_within_the_hourly_limit() {
    let dir = tempfile::tempdir().unwrap();
    let sink = Sink::start(dir.path(), &[]);
    let mailer = mailer(sink.port);
    let mut total = 0;
    for app in apps_with(|config| with_mail(config, sink.port)).await {
        let cookie = organiser(&app, "rally-for-the-disappeared").await;
        for n in 0..30 {
            let form = format!("answer=going&name=M{n}&email=m{n}%40example.org");
            answer(&app, "rally-for-the-disappeared", &form).await;
        }
        let body = "message=Meet+at+noon&audience=everyone&lang=en";
        post(
            &app,
            &cookie,
            "/organise/events/rally-for-the-disappeared/announce",
            body,
        )
        .await;
        // The hourly limit: 10 this hour, the rest wait.
        let limited = yighin::outbox::send_due(&app.site, &mailer, 10, 120)
            .await
            .unwrap();
        assert_eq!(limited.sent, 10);
        assert_eq!(
            yighin::outbox::send_due(&app.site, &mailer, 10, 120)
                .await
                .unwrap()
                .sent,
            0
        );
        // Two servers over one database, sending at once.
        let mut config = Config::for_database(&app.database_url);
        with_mail(&mut config, sink.port);
        let db = app::db::Database::connect(&app.database_url).await.unwrap();
        let other = yighin::state(&config, db)
            .site
            .with_mail_key(config.mail_key().unwrap().unwrap());
        let (a, b) = tokio::join!(
            async {
                let mut sent = 0;
                for _ in 0..5 {
                    sent += yighin::outbox::send_due(&app.site, &mailer, 300, 120)
                        .await
                        .unwrap()
                        .sent;
                }
                sent
            },
            async {
                let mut sent = 0;
                for _ in 0..5 {
                    sent += yighin::outbox::send_due(&other, &mailer, 300, 120)
                        .await
                        .unwrap()
                        .sent;
                }
                sent
            }
        );
        assert_eq!(a + b, 20, "{a} + {b}");
        total += 30;
        let all = received(&sink);
        assert_eq!(all.len(), total);
        let mut to: Vec<&str> = all[total - 30..].iter().map(|m| m.to.as_str()).collect();
        to.sort();
        to.dedup();
        assert_eq!(to.len(), 30, "each member once");
    }
}

/// A form post to the real server; its status and `Location`.
fn post_form(port: u16, path: &str, body: &str) -> (u16, String) {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).unwrap();
    let mut reply = String::new();
    stream.read_to_string(&mut reply).unwrap();
    let status = reply.split(' ').nth(1).unwrap().parse().unwrap();
    let location = reply
        .lines()
        .find_map(|line| line.strip_prefix("location: "))
        .unwrap_or_default()
        .to_string();
    (status, location)
}

/// Waits up to `seconds` for `done`.
fn wait_for(seconds: u64, mut done: impl FnMut() -> bool) -> bool {
    let started = std::time::Instant::now();
    while started.elapsed() < std::time::Duration::from_secs(seconds) {
        if done() {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    false
}

#[test]
fn an_email_whose_sender_was_killed_mid_send_is_sent_once_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    // The first recipient is answered only after 30 s: time to kill the
    // server holding the connection.
    let sink = Sink::start(dir.path(), &["--slow-first-rcpt", "30"]);
    let port = common::free_port();
    let serve = || {
        let server = std::process::Command::new(env!("CARGO_BIN_EXE_yighin"))
            .current_dir(dir.path())
            .env(
                "DATABASE_URL",
                format!("sqlite://{}/data/yighin.db", dir.path().display()),
            )
            .env("YIGHIN_DEMO", "true")
            .env("YIGHIN_LISTEN", format!("127.0.0.1:{port}"))
            .env("YIGHIN_BASE_URL", format!("http://127.0.0.1:{port}"))
            .env("YIGHIN_SMTP_URL", format!("smtp://127.0.0.1:{}", sink.port))
            .env("YIGHIN_MAIL_FROM", "Society <events@society.example>")
            .env("YIGHIN_MAIL_LEASE_SECONDS", "5")
            .env("RUST_LOG", "warn")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        assert!(
            wait_for(30, || std::net::TcpStream::connect(("127.0.0.1", port))
                .is_ok()),
            "the server did not start"
        );
        server
    };
    let mut server = serve();
    // The iftar's last three places taken, one member waitlisted with an
    // address; the party cancels, and she is told she has a place.
    let (status, party) = post_form(
        port,
        "/events/iftar-parliament-hill/rsvp",
        "answer=going&guests=2&name=Party",
    );
    assert_eq!(status, 303);
    let form = "answer=going&name=Waiting&email=waiting%40example.org";
    let (status, _) = post_form(port, "/events/iftar-parliament-hill/rsvp", form);
    assert_eq!(status, 303);
    let (status, _) = post_form(port, &format!("{party}/cancel"), "");
    assert_eq!(status, 303);
    assert!(
        wait_for(30, || sink.folder.join("waiting").exists()),
        "the email was never being sent"
    );
    server.kill().unwrap();
    server.wait().unwrap();
    assert!(received(&sink).is_empty());
    // The mail key file was made beside the database, outside it.
    assert!(dir.path().join("data/mail.key").exists());

    let mut server = serve();
    assert!(
        wait_for(40, || !received(&sink).is_empty()),
        "the email was not sent again after the restart"
    );
    // Another claim's time and a few rounds more: still one.
    std::thread::sleep(std::time::Duration::from_secs(12));
    let all = received(&sink);
    server.kill().unwrap();
    server.wait().unwrap();
    assert_eq!(all.len(), 1);
    assert!(all[0].to.contains("waiting@example.org"));
    assert!(
        all[0].text.contains("A place freed up: you are going."),
        "{}",
        all[0].text
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mail_server_that_is_down_never_holds_up_an_organiser() {
    let dead = common::free_port();
    let app = common::app_with(|config| with_mail(config, dead)).await;
    let cookie = organiser(&app, "rally-for-the-disappeared").await;
    answer(
        &app,
        "rally-for-the-disappeared",
        "answer=going&name=M&email=m%40example.org",
    )
    .await;
    let started = std::time::Instant::now();
    let body = "message=Meet+at+noon&audience=everyone&lang=en";
    let reply = post(
        &app,
        &cookie,
        "/organise/events/rally-for-the-disappeared/announce",
        body,
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(2),
        "sent later, not now"
    );
    // The sender fails, and the email waits for its next attempt.
    let round = send(&app, &mailer(dead)).await;
    assert_eq!((round.sent, round.failed), (0, 1));
    let (attempts, next): (i64, i64) =
        sqlx::query_as("SELECT attempts, next_attempt_at FROM mail_outbox")
            .fetch_one(&app.site.db.pool)
            .await
            .unwrap();
    assert_eq!(attempts, 1);
    assert!(next > app::services::now() + 30, "tried again in a minute");
    assert_eq!(send(&app, &mailer(dead)).await.failed, 0, "not before then");
}
