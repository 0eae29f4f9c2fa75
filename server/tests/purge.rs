//! The canary test: a member answers with canary strings through the real
//! server; they are stored sealed (never in the file), and after the event
//! `yighin purge` deletes even the sealed copies; neither the database
//! file, its write-ahead log nor the server's log (at debug level) holds
//! any trace of them. The counts survive.

mod common;

use app::db::{events, Database};
use app::domain::{EventDraft, EventKind};
use app::i18n::Lang;
use chrono::{TimeZone, Utc};
use common::free_port;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

const CANARIES: [&str; 3] = [
    "CanaryNameQ7x",
    "canary-contact-Q7x@example.org",
    "CanaryNoteQ7x",
];

/// One HTTP/1.1 request; the whole answer as text.
fn http(port: u16, request: &str) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

fn yighin(database: &str, log: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_yighin"));
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .unwrap();
    command
        .env("DATABASE_URL", database)
        .env("YIGHIN_DEMO", "false")
        .env("YIGHIN_RETENTION_DAYS", "0")
        .env("RUST_LOG", "debug")
        .stdout(Stdio::from(log.try_clone().unwrap()))
        .stderr(Stdio::from(log));
    command
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn purged_personal_data_leaves_no_trace_in_the_database_its_log_or_the_logs() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("canary.db");
    let database = format!("sqlite://{}", file.display());
    let log = dir.path().join("server.log");

    // An event under way.
    let db = Database::connect(&database).await.unwrap();
    db.migrate().await.unwrap();
    let zone = chrono_tz::America::Toronto;
    let now = Utc::now().timestamp();
    let local = |at: i64| {
        zone.timestamp_opt(at, 0)
            .unwrap()
            .format("%Y-%m-%dT%H:%M")
            .to_string()
    };
    let ends = now + 3600;
    let draft = EventDraft {
        capacity: Some(10),
        ..EventDraft::titled(
            "canary-evening",
            EventKind::Meeting,
            (Lang::En, "Canary evening"),
            &local(now - 3600),
            &local(ends),
            zone.name(),
        )
    };
    events::insert(&db, &draft.validate().unwrap(), None, now)
        .await
        .unwrap();
    db.close().await;

    let port = free_port();
    let mut server = yighin(&database, &log)
        .env("YIGHIN_LISTEN", format!("127.0.0.1:{port}"))
        .env("YIGHIN_BASE_URL", format!("http://127.0.0.1:{port}"))
        .spawn()
        .unwrap();
    let mut up = false;
    for _ in 0..100 {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            up = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(up, "the server started");

    let body = format!(
        "answer=going&guests=2&name={}&contact={}&note={}",
        CANARIES[0],
        CANARIES[1].replace('@', "%40"),
        CANARIES[2]
    );
    let answer = http(
        port,
        &format!(
            "POST /events/canary-evening/rsvp HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        ),
    );
    assert!(answer.starts_with("HTTP/1.1 303"), "{answer}");
    let location = answer
        .lines()
        .find_map(|l| l.strip_prefix("location: "))
        .unwrap()
        .trim()
        .to_string();
    let cookie = answer
        .lines()
        .find_map(|l| l.strip_prefix("set-cookie: "))
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    // The member's own pages show the canaries back (and so hold them in memory, not in logs).
    let private = http(
        port,
        &format!("GET {location} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"),
    );
    assert!(private.contains(CANARIES[0]));
    http(
        port,
        &format!(
            "GET /my HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n"
        ),
    );

    // The server stops; time passes (the event is over); the purge runs.
    terminate(server.id());
    server.wait().unwrap();
    let db = Database::connect(&database).await.unwrap();
    sqlx::query("UPDATE events SET ends_at = $1")
        .bind(now - 60)
        .execute(&db.pool)
        .await
        .unwrap();
    // Before the purge the answer is stored, sealed: no canary in the
    // file or its log, but sealed fields that the purge must empty.
    let sealed: String = sqlx::query_scalar("SELECT personal_sealed FROM rsvps")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert!(!sealed.is_empty());
    db.close().await;
    let stored: Vec<u8> = [file.clone(), dir.path().join("canary.db-wal")]
        .iter()
        .flat_map(|p| std::fs::read(p).unwrap_or_default())
        .collect();
    assert!(CANARIES.iter().all(|c| !contains(&stored, c)));
    let purge = yighin(&database, &log).arg("purge").output().unwrap();
    assert!(purge.status.success());
    let printed = std::fs::read_to_string(&log).unwrap();
    assert!(
        printed.contains("personal data deleted from 1 answers"),
        "{printed}"
    );

    // Nor do the logs hold the private link's token or the device's key.
    let logged = std::fs::read(&log).unwrap();
    let token = location.trim_start_matches("/rsvp/");
    let key = cookie.split('=').nth(1).unwrap();
    for secret in [token, key] {
        assert!(!contains(&logged, secret), "{secret} in the log");
    }
    for path in [
        file.clone(),
        dir.path().join("canary.db-wal"),
        dir.path().join("canary.db-shm"),
        log.clone(),
    ] {
        let bytes = std::fs::read(&path).unwrap_or_default();
        for canary in CANARIES {
            assert!(
                !contains(&bytes, canary),
                "{canary} found in {}",
                path.display()
            );
        }
    }
    // The sealed fields and their keys are gone too; the counts survive.
    let db = Database::connect(&database).await.unwrap();
    let left: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM rsvps WHERE personal_sealed <> '' OR key_for_organisers <> '' \
         OR key_for_link <> '' OR key_for_device <> ''",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(left, 0);
    let event = events::by_slug(&db, "canary-evening", Lang::En)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        app::db::rsvps::counts(&db, event.id).await.unwrap().going,
        3
    );
}

/// Asks the server to stop as a service manager would (SIGTERM).
fn terminate(pid: u32) {
    Command::new("kill")
        .arg("-TERM")
        .arg(pid.to_string())
        .status()
        .unwrap();
}
