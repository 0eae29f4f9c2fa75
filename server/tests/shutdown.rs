//! Stopping the real server (`SIGTERM`, as systemd does) in the middle of
//! a burst of answers: every answer it acknowledged is stored, none is
//! stored that it did not acknowledge, and it exits cleanly.

mod common;

use app::db::Database;
use common::free_port;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// One answer from client `n`; its status, or `None` when the server took
/// no more requests.
fn answer(port: u16, n: usize) -> Option<u16> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    let body = format!("answer=going&guests=0&name=Member+{n}");
    let request = format!(
        "POST /events/iftar-parliament-hill/rsvp HTTP/1.1\r\nHost: 127.0.0.1\r\n\
         X-Forwarded-For: 10.0.{}.{}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        n / 250,
        n % 250,
        body.len()
    );
    stream.write_all(request.as_bytes()).ok()?;
    let mut reply = String::new();
    stream.read_to_string(&mut reply).ok()?;
    reply.split(' ').nth(1)?.parse().ok()
}

async fn answers_stored(database: &str) -> i64 {
    let db = Database::connect(database).await.unwrap();
    let count = sqlx::query_scalar("SELECT COUNT(*) FROM rsvps")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    db.close().await;
    count
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_during_a_burst_of_answers_loses_none() {
    let dir = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", dir.path().join("yighin.db").display());
    let port = free_port();
    let mut server = Command::new(env!("CARGO_BIN_EXE_yighin"))
        .env("DATABASE_URL", &database)
        .env("YIGHIN_DEMO", "true")
        .env("YIGHIN_LISTEN", format!("127.0.0.1:{port}"))
        .env("YIGHIN_CLIENT_IP_HEADER", "x-forwarded-for")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(started.elapsed() < Duration::from_secs(30), "no server");
        std::thread::sleep(Duration::from_millis(50));
    }
    let before = answers_stored(&database).await;

    // 40 clients answering one after another (8,000 answers); the server
    // is told to stop long before they are done.
    let clients: Vec<_> = (0..40)
        .map(|client| {
            std::thread::spawn(move || {
                let mut statuses = Vec::new();
                for turn in 0..200 {
                    match answer(port, client * 200 + turn) {
                        Some(status) => statuses.push(status),
                        None => break,
                    }
                }
                statuses
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let stopped = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(stopped.success());
    let statuses: Vec<u16> = clients
        .into_iter()
        .flat_map(|c| c.join().unwrap())
        .collect();
    let exit = server.wait().unwrap();
    assert!(exit.success(), "{exit:?}");

    let acknowledged = statuses.iter().filter(|s| **s == 303).count() as i64;
    assert!(
        statuses.iter().all(|s| *s == 303),
        "only stored answers or no answer at all: {statuses:?}"
    );
    assert!(acknowledged > 0 && acknowledged < 8000, "{acknowledged}");
    println!("{acknowledged} answers acknowledged before the server stopped");
    assert_eq!(
        answers_stored(&database).await - before,
        acknowledged,
        "every acknowledged answer stored, and only those"
    );
}
