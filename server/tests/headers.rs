//! Security headers on every kind of answer.

mod common;

use app::accounts::Role;
use axum::http::{header, StatusCode};
use common::{app, app_with, Answer};

fn check_common(what: &str, answer: &Answer) {
    let h = &answer.headers;
    assert_eq!(h[header::REFERRER_POLICY], "no-referrer", "{what}");
    assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{what}");
    assert!(h.contains_key("permissions-policy"), "{what}");
    let csp = h[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    for part in ["frame-ancestors 'none'", "base-uri 'none'"] {
        assert!(csp.contains(part), "{what}: {csp}");
    }
    assert!(
        !csp.contains("unsafe-inline") && !csp.contains("'unsafe-eval'"),
        "{what}: {csp}"
    );
    assert!(
        h.get(header::STRICT_TRANSPORT_SECURITY).is_none(),
        "{what}: no HSTS over HTTP"
    );
}

/// A page's policy allows its own scripts by this response's nonce only.
fn check_page(what: &str, answer: &Answer) {
    check_common(what, answer);
    let csp = answer.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap();
    assert!(
        csp.contains("object-src 'none'") && csp.contains("'wasm-unsafe-eval'"),
        "{what}: {csp}"
    );
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .unwrap()
        .split('\'')
        .next()
        .unwrap();
    // One description a page, for search engines and link previews.
    assert_eq!(
        answer.body.matches("<meta name=\"description\"").count(),
        1,
        "{what}"
    );
    let scripts: Vec<&str> = answer.body.split("<script").skip(1).collect();
    assert!(!scripts.is_empty(), "{what}");
    for script in scripts {
        assert!(
            script.starts_with(&format!(" nonce=\"{nonce}\""))
                || script.starts_with(&format!(" type=\"module\" nonce=\"{nonce}\"")),
            "{what}: <script{}",
            &script[..60.min(script.len())]
        );
    }
}

fn check_private(what: &str, answer: &Answer) {
    assert_eq!(answer.headers[header::CACHE_CONTROL], "no-store", "{what}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_kind_of_answer_carries_the_security_headers() {
    let app = app().await;
    app.account("root", Role::Admin).await;
    let organiser = app.sign_in("root").await;
    let rsvp = app
        .post_form(
            "/events/seminar-digital-security/rsvp",
            "answer=maybe&name=H",
        )
        .await;
    let link = rsvp.headers[header::LOCATION].to_str().unwrap().to_string();
    let device = rsvp.cookie();
    // A redirect is no document: the page it leads to brings its own policy.
    assert_eq!(rsvp.status, StatusCode::SEE_OTHER);
    assert!(rsvp.headers.get(header::CONTENT_SECURITY_POLICY).is_none());
    assert_eq!(rsvp.headers[header::REFERRER_POLICY], "no-referrer");

    for path in [
        "/",
        "/past",
        "/events/seminar-digital-security",
        "/events/nothing-here",
        "/organise/login",
    ] {
        let answer = app.get(path).await;
        check_page(path, &answer);
    }
    let private = app.get(&link).await;
    check_page("private link", &private);
    check_private("private link", &private);
    let mine = app.get_with("/my", header::COOKIE, &device).await;
    check_page("/my", &mine);
    check_private("/my", &mine);
    for path in [
        "/organise",
        "/organise/events/seminar-digital-security/rsvps",
        "/organise/accounts",
    ] {
        let answer = app.get_with(path, header::COOKIE, &organiser).await;
        assert_eq!(answer.status, StatusCode::OK, "{path}");
        check_page(path, &answer);
        check_private(path, &answer);
    }
    let csv = app
        .get_with(
            "/organise/events/seminar-digital-security/rsvps.csv",
            header::COOKIE,
            &organiser,
        )
        .await;
    check_common("csv", &csv);
    check_private("csv", &csv);
    for path in [
        "/calendar.ics",
        "/events/seminar-digital-security/calendar.ics",
        "/healthz",
        "/readyz",
    ] {
        let answer = app.get(path).await;
        check_common(path, &answer);
        assert!(
            answer.headers[header::CONTENT_SECURITY_POLICY]
                .to_str()
                .unwrap()
                .starts_with("default-src 'none'"),
            "{path}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_tls_browsers_are_told_to_stay_on_https() {
    let app = app_with(|c| c.base_url = "https://events.example.org".into()).await;
    let answer = app.get("/").await;
    assert_eq!(
        answer.headers[header::STRICT_TRANSPORT_SECURITY],
        "max-age=31536000; includeSubDomains"
    );
}

/// Pages and feeds go out compressed for a client that accepts brotli or
/// gzip, as they are for one that accepts neither; the site's files are
/// sent as the build precompressed them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_are_compressed_for_clients_that_accept_it() {
    use axum::body::Body;
    use axum::http::Request;
    use std::io::Read;
    let site = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(site.path().join("pkg")).unwrap();
    let wasm = vec![7u8; 4096];
    std::fs::write(site.path().join("pkg/yighin.wasm"), &wasm).unwrap();
    std::fs::write(
        site.path().join("pkg/yighin.wasm.br"),
        b"as the build wrote it",
    )
    .unwrap();
    let root = site.path().to_path_buf();
    let app = app_with(move |config| config.site_root = Some(root.clone())).await;
    let get = |uri: &str, accept: Option<&str>| {
        let mut request = Request::get(uri);
        if let Some(accept) = accept {
            request = request.header(header::ACCEPT_ENCODING, accept);
        }
        app.send_raw(request.body(Body::empty()).unwrap())
    };
    let vary = |headers: &axum::http::HeaderMap| {
        headers.get_all(header::VARY).iter().any(|v| {
            v.to_str()
                .unwrap()
                .to_ascii_lowercase()
                .contains("accept-encoding")
        })
    };

    for uri in ["/", "/events/seminar-digital-security", "/calendar.ics"] {
        let (status, headers, plain) = get(uri, None).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        assert!(headers.get(header::CONTENT_ENCODING).is_none(), "{uri}");
        let (_, headers, br) = get(uri, Some("br;q=1, gzip;q=0.5")).await;
        assert_eq!(headers[header::CONTENT_ENCODING], "br", "{uri}");
        assert!(vary(&headers), "{uri}");
        assert!(
            br.len() * 2 < plain.len(),
            "{uri}: {} of {}",
            br.len(),
            plain.len()
        );
        let (_, headers, gzip) = get(uri, Some("gzip")).await;
        assert_eq!(headers[header::CONTENT_ENCODING], "gzip", "{uri}");
        let mut text = String::new();
        flate2::read::GzDecoder::new(&gzip[..])
            .read_to_string(&mut text)
            .unwrap();
        assert!(
            text.contains("Seminar: digital security for families"),
            "{uri}"
        );
    }

    // A member's own pages go out as they are: their size must not tell a
    // watcher what the address made them repeat.
    let (status, headers, _) = get("/my?x=seminar-digital-security", Some("br, gzip")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CACHE_CONTROL], "no-store");
    assert!(headers.get(header::CONTENT_ENCODING).is_none());
    // So does a public page sent back with what a member typed into it.
    let refused = Request::post("/events/seminar-digital-security/rsvp")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT_ENCODING, "br, gzip")
        .body(Body::from(
            "answer=going&guests=99&name=Tulpar&contact=signal%3A+tulpar",
        ))
        .unwrap();
    let (status, headers, body) = app.send_raw(refused).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(headers[header::CACHE_CONTROL], "no-store");
    assert!(headers.get(header::CONTENT_ENCODING).is_none());
    assert!(String::from_utf8_lossy(&body).contains("signal: tulpar"));

    let (_, headers, body) = get("/pkg/yighin.wasm", Some("gzip, br")).await;
    assert_eq!(headers[header::CONTENT_ENCODING], "br");
    assert!(vary(&headers));
    assert_eq!(body, b"as the build wrote it");
    let (_, headers, body) = get("/pkg/yighin.wasm", None).await;
    assert!(headers.get(header::CONTENT_ENCODING).is_none());
    assert_eq!(body, wasm);
    // Not named by its hash (no hash.txt beside this binary): asked after
    // each time.
    assert_eq!(headers[header::CACHE_CONTROL], "no-cache");
    // Asked after, it is not sent again while the browser's copy holds.
    let etag = headers[header::ETAG].to_str().unwrap().to_string();
    let revalidate = Request::get("/pkg/yighin.wasm")
        .header(header::IF_NONE_MATCH, &etag)
        .body(Body::empty())
        .unwrap();
    let (status, _, body) = app.send_raw(revalidate).await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    assert!(body.is_empty());
    // The files are read at start-up, and only they are served: nothing
    // else from the folder (or the disk).
    std::fs::write(site.path().join("pkg/later.js"), b"let later;").unwrap();
    let (status, _, body) = get("/pkg/later.js", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(!String::from_utf8_lossy(&body).contains("let later"));

    // Named by their hashes, the site's files are kept for a year.
    let mut config = yighin::config::Config::for_database("sqlite://unused.db");
    config.site_root = Some(site.path().to_path_buf());
    let mut state = yighin::state(&config, app.site.db.clone());
    state.leptos_options.hash_files = true;
    let hashed = common::TestApp::from_state(state);
    let hashed_get = |uri: &str| hashed.send_raw(Request::get(uri).body(Body::empty()).unwrap());
    let (status, headers, _) = hashed_get("/pkg/yighin.wasm").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        headers[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    let (status, headers, _) = hashed_get("/pkg/missing.wasm").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_ne!(
        headers
            .get(header::CACHE_CONTROL)
            .map(|v| v.to_str().unwrap()),
        Some("public, max-age=31536000, immutable")
    );
}
