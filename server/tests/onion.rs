//! An instance with a Tor onion service: the public address names the
//! onion one, a member who came over Tor is given links that stay on it,
//! and what comes through Tor counts as one client whatever its headers say.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::{app_and_onion, TestApp};

const PUBLIC: &str = "https://events.example.org";

fn onion_url() -> String {
    format!("http://{}.onion", "yighin2".repeat(8))
}

async fn instance() -> (TestApp, TestApp) {
    app_and_onion(&onion_url(), |config| {
        config.base_url = PUBLIC.into();
        config.client_ip_header = Some("x-forwarded-for".parse().unwrap());
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_public_address_names_the_onion_one() {
    let (public, onion) = instance().await;
    let page = "/events/seminar-digital-security?lang=fr";
    let answer = public.get(page).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(
        answer.headers["onion-location"],
        format!("{}{page}", onion_url()).as_str()
    );
    assert!(answer
        .headers
        .contains_key(header::STRICT_TRANSPORT_SECURITY));
    // Over Tor: no header pointing where the visitor already is, and no
    // HSTS for an address without a certificate.
    let answer = onion.get(page).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(!answer.headers.contains_key("onion-location"));
    assert!(!answer
        .headers
        .contains_key(header::STRICT_TRANSPORT_SECURITY));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn links_lead_back_to_the_address_the_visitor_came_to() {
    let (public, onion) = instance().await;
    let onion_url = onion_url();
    // Public pages are kept rendered: each address gets its own copy,
    // asked twice (the second from memory), in either order.
    for _ in 0..2 {
        for (app, base, other) in [
            (&onion, &onion_url[..], PUBLIC),
            (&public, PUBLIC, &onion_url[..]),
        ] {
            let list = app.get("/").await;
            assert_eq!(list.status, StatusCode::OK);
            assert!(
                list.body.contains(&format!("{base}/calendar.ics")),
                "{base}"
            );
            assert!(!list.body.contains(other), "{base} page names {other}");
            // Google can neither fetch nor should learn the onion address.
            assert_eq!(
                list.body.contains("calendar.google.com"),
                base == PUBLIC,
                "{base}"
            );
        }
    }

    // A member answers over Tor: their private link is the onion one.
    let answered = onion
        .post_form(
            "/events/seminar-digital-security/rsvp",
            "answer=going&name=Nurgul",
        )
        .await;
    assert_eq!(answered.status, StatusCode::SEE_OTHER);
    let private = answered.headers[header::LOCATION]
        .to_str()
        .unwrap()
        .to_string();
    assert!(private.starts_with("/rsvp/"), "{private}");
    let page = onion.get(&private).await;
    assert!(page.body.contains(&format!("{onion_url}{private}")));
    assert!(!page.body.contains(PUBLIC));
    // The same link opened on the public address says the public one.
    let page = public.get(&private).await;
    assert!(page.body.contains(&format!("{PUBLIC}{private}")));

    // Feeds fetched over Tor link there; the event's UID stays the same.
    let feed = onion.get("/calendar.ics").await.body.replace("\r\n ", "");
    let public_feed = public.get("/calendar.ics").await.body.replace("\r\n ", "");
    assert!(feed.contains(&format!("URL:{onion_url}/events/")));
    assert!(!feed.contains(&format!("URL:{PUBLIC}")));
    let uids = |feed: &str| -> Vec<String> {
        feed.lines()
            .filter(|l| l.starts_with("UID:"))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(uids(&feed), uids(&public_feed));
    assert!(uids(&feed)[0].ends_with("@events.example.org"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forms_over_tor_are_this_site_s_own() {
    let (_, onion) = instance().await;
    let rsvp = "/events/seminar-digital-security/rsvp";
    let origin = onion_url();
    let own = onion
        .post_with(rsvp, "answer=maybe&name=N", &[(header::ORIGIN, &origin)])
        .await;
    assert_eq!(own.status, StatusCode::SEE_OTHER);
    let forged = onion
        .post_with(
            rsvp,
            "answer=maybe&name=N",
            &[(header::ORIGIN, "http://evil.example")],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
}

/// Without Tor naming circuits, Tor hides who is who: everyone who comes
/// through it counts as one client for the limits, and a header naming
/// another address changes nothing (the onion listener is reached around
/// the proxy that writes it).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_comes_through_tor_is_one_client() {
    let (public, onion) = instance().await;
    let rsvp = "/events/seminar-digital-security/rsvp";
    let answer = |app: &TestApp, forwarded: String| {
        let request = Request::post(rsvp)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("x-forwarded-for", forwarded)
            .body(Body::from("answer=maybe&name=N"))
            .unwrap();
        let app = app.router.clone();
        async move {
            use tower::ServiceExt;
            app.oneshot(request).await.unwrap().status()
        }
    };
    for n in 0..app::services::limits::MAX_ANSWERS {
        let status = answer(&onion, format!("203.0.113.{n}")).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "answer {n}");
    }
    let status = answer(&onion, "198.51.100.200".into()).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    // Visitors on the public address are not held back by it.
    let status = answer(&public, "198.51.100.200".into()).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
}

/// With Tor naming circuits (its PROXY line, read into the connection's
/// address), each circuit is a client: one that sends too many answers is
/// held back, the others are not.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_tor_circuit_is_a_client_of_its_own() {
    let (public, onion) = instance().await;
    let answer = |app: &TestApp, from: &str| {
        let mut request = Request::post("/events/seminar-digital-security/rsvp")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("x-forwarded-for", "203.0.113.9")
            .body(Body::from("answer=maybe&name=N"))
            .unwrap();
        let from: std::net::SocketAddr = from.parse().unwrap();
        request
            .extensions_mut()
            .insert(axum::extract::ConnectInfo(from));
        let app = app.router.clone();
        async move {
            use tower::ServiceExt;
            app.oneshot(request).await.unwrap().status()
        }
    };
    let circuit = |n: u32| {
        format!(
            "[fc00:dead:beef:4dad::{:x}:{:x}]:65535",
            n >> 16,
            n & 0xffff
        )
    };
    for n in 0..app::services::limits::MAX_ANSWERS {
        let status = answer(&onion, &circuit(7)).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "answer {n}");
    }
    assert_eq!(
        answer(&onion, &circuit(7)).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        answer(&onion, &circuit(70_000)).await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        answer(&public, "198.51.100.7:4000").await,
        StatusCode::SEE_OTHER
    );
}

/// The real server with demo events, serving both addresses, allowed
/// `descriptors` open files if given.
fn serve(
    dir: &std::path::Path,
    port: u16,
    onion_port: u16,
    descriptors: Option<u32>,
) -> std::process::Child {
    let mut command = std::process::Command::new("prlimit");
    if let Some(most) = descriptors {
        command.arg(format!("--nofile={most}:{most}"));
    }
    command
        .arg("--")
        .arg(env!("CARGO_BIN_EXE_yighin"))
        .env(
            "DATABASE_URL",
            format!("sqlite://{}", dir.join("yighin.db").display()),
        )
        .env("YIGHIN_DEMO", "true")
        .env("YIGHIN_LISTEN", format!("127.0.0.1:{port}"))
        .env("YIGHIN_BASE_URL", PUBLIC)
        .env("YIGHIN_ONION_URL", onion_url())
        .env("YIGHIN_ONION_LISTEN", format!("127.0.0.1:{onion_port}"))
        .env("RUST_LOG", "error")
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap()
}

/// The real server, as the serve command runs it: the onion service's
/// requests arrive on a listener of its own, and SIGTERM stops both.
#[test]
fn the_server_listens_for_the_onion_service_on_its_own_port() {
    use std::io::{Read, Write};
    use std::net::TcpStream;
    use std::time::{Duration, Instant};
    let dir = tempfile::tempdir().unwrap();
    let (port, onion_port) = (common::free_port(), common::free_port());
    let mut server = serve(dir.path(), port, onion_port, None);
    // On the onion port, as Tor sends it with `HiddenServiceExportCircuitID
    // haproxy`: a PROXY line naming the circuit first.
    let get = |port: u16| -> Option<String> {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
        if port == onion_port {
            let circuit = "PROXY TCP6 fc00:dead:beef:4dad::1:2 ::1 65535 80\r\n";
            stream.write_all(circuit.as_bytes()).ok()?;
        }
        // HTTP/1.0: the body comes whole, not in chunks.
        let request = "GET / HTTP/1.0\r\nHost: x\r\n\r\n";
        stream.write_all(request.as_bytes()).ok()?;
        let mut reply = String::new();
        stream.read_to_string(&mut reply).ok()?;
        Some(reply)
    };
    let started = Instant::now();
    while get(onion_port).is_none() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no onion listener"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    // Without the PROXY line (a torrc without the export), nothing is
    // served: no one can name a circuit of their choosing.
    let without_circuit = {
        let mut stream = TcpStream::connect(("127.0.0.1", onion_port)).unwrap();
        stream
            .write_all(b"GET / HTTP/1.0\r\nHost: x\r\n\r\n")
            .unwrap();
        let mut reply = String::new();
        let _ = stream.read_to_string(&mut reply);
        reply
    };
    assert_eq!(without_circuit, "");
    let public = get(port).unwrap().to_ascii_lowercase();
    assert!(public.contains(&format!("onion-location: {}/", onion_url())));
    let over_tor = get(onion_port).unwrap();
    assert!(!over_tor.to_ascii_lowercase().contains("onion-location"));
    assert!(over_tor.contains(&format!("{}/calendar.ics", onion_url())));
    let stopped = std::process::Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(stopped.success());
    assert!(server.wait().unwrap().success());
    assert!(get(onion_port).is_none() && get(port).is_none());
}

/// Connections through Tor that send nothing cannot use up what the public
/// address needs: the onion listener holds a quarter of the process's
/// descriptors at most, and the rest wait in the kernel's queue.
#[test]
fn silent_tor_connections_leave_the_public_address_working() {
    use std::io::{Read, Write};
    use std::net::TcpStream;
    use std::time::{Duration, Instant};
    let dir = tempfile::tempdir().unwrap();
    let (port, onion_port) = (common::free_port(), common::free_port());
    // 128 descriptors for the whole process: Tor's may hold 32.
    let mut server = serve(dir.path(), port, onion_port, Some(128));
    let healthy = || -> bool {
        let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
            return false;
        };
        let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
        let request = "GET /healthz HTTP/1.0\r\nHost: x\r\n\r\n";
        if stream.write_all(request.as_bytes()).is_err() {
            return false;
        }
        let mut reply = String::new();
        let _ = stream.read_to_string(&mut reply);
        reply.starts_with("HTTP/1.0 200")
    };
    let started = Instant::now();
    while !healthy() {
        assert!(started.elapsed() < Duration::from_secs(30), "no server");
        std::thread::sleep(Duration::from_millis(50));
    }
    // More silent connections than the process has descriptors, each
    // begun as a request and never finished (those past 32 wait in the
    // kernel's queue, which holds 128 here).
    let silent: Vec<TcpStream> = (0..150)
        .filter_map(|n| {
            let mut stream = TcpStream::connect(("127.0.0.1", onion_port)).ok()?;
            let start = format!(
                "PROXY TCP6 fc00:dead:beef:4dad::9:{n:x} ::1 65535 80\r\nGET / HTTP/1.1\r\nHost: x\r\n"
            );
            stream.write_all(start.as_bytes()).ok()?;
            Some(stream)
        })
        .collect();
    assert_eq!(silent.len(), 150);
    std::thread::sleep(Duration::from_millis(500));
    for attempt in 0..5 {
        assert!(healthy(), "the public address failed (attempt {attempt})");
    }
    // Told to stop while they still hold their unfinished requests: the
    // server waits its grace period for them, then stops all the same.
    let told = Instant::now();
    let _ = std::process::Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status();
    assert!(server.wait().unwrap().success());
    assert!(
        told.elapsed() < Duration::from_secs(28),
        "stopped after {:?}",
        told.elapsed()
    );
    drop(silent);
}
