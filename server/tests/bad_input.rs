//! Bad input on every form and route: each is answered with a clear
//! message or a 4xx, never a 500 or a panic, and nothing damaged is stored.

mod common;

use app::accounts::Role;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::{app, app_with};
use leptos::server_fn::ServerFn;

const RSVP: &str = "/events/seminar-digital-security/rsvp";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_answers_are_explained_and_not_stored() {
    let app = app().await;
    let seminar = app::db::events::by_slug(
        &app.site.db,
        "seminar-digital-security",
        app::i18n::Lang::En,
    )
    .await
    .unwrap()
    .unwrap();
    let before = app::db::rsvps::counts(&app.site.db, seminar.id)
        .await
        .unwrap();
    for (body, message) in [
        (
            format!("answer=going&name={}", "x".repeat(81)),
            "Too long: at most 80 characters.",
        ),
        (
            format!("answer=going&name=N&note={}", "n".repeat(1001)),
            "Too long: at most 1000 characters.",
        ),
        (
            "answer=going&name=a%00b".to_string(),
            "hidden control characters",
        ),
        (
            "answer=going&name=%E2%80%AEevil".to_string(),
            "hidden control characters",
        ),
        (
            "answer=going&name=%FF%FE".to_string(),
            "hidden control characters",
        ),
        (
            "answer=going&name=N&guests=-1".to_string(),
            "Choose a number from 0 to 10.",
        ),
        (
            "answer=going&name=N&guests=1e9".to_string(),
            "Choose a number from 0 to 10.",
        ),
        (
            "answer=perhaps&name=N".to_string(),
            "This value is not valid.",
        ),
        ("name=N".to_string(), "Please fill this in."),
    ] {
        let answer = app.post_with(RSVP, &body, &[]).await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(answer.body.contains(message), "{body}: {message}");
    }
    assert_eq!(
        app::db::rsvps::counts(&app.site.db, seminar.id)
            .await
            .unwrap(),
        before
    );

    // Right-to-left names are names; markup in any field is only text.
    let uyghur = app
        .post_with(
            RSVP,
            "answer=maybe&name=%D8%A6%D8%A7%D9%8A%DA%AF%DB%88%D9%84",
            &[],
        )
        .await;
    assert_eq!(uyghur.status, StatusCode::SEE_OTHER);
    let script = app
        .post_with(RSVP, "answer=maybe&name=%3Cscript%3Ealert(1)%3C%2Fscript%3E&contact=%3Cimg+src%3Dx+onerror%3Dalert(1)%3E&note=%22%3E%3Ciframe%3E", &[])
        .await;
    let link = script.headers[header::LOCATION].to_str().unwrap();
    let page = app.get(link).await.body;
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "escaped"
    );
    for raw in ["<script>alert(1)", "<img src=x", "<iframe>"] {
        let at = page.find(raw).unwrap_or(0);
        assert!(
            !page.contains(raw),
            "{raw}: {}",
            &page[at.saturating_sub(200)..(at + 100).min(page.len())]
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn odd_requests_get_a_4xx_never_a_500() {
    let app = app().await;
    app.account("root", Role::Admin).await;
    let long = "x".repeat(10_000);
    for path in [
        "/events/%00".to_string(),
        format!("/events/{long}"),
        "/events/%FF%FE".to_string(),
        "/rsvp/not-a-token".to_string(),
        "/rsvp/%E2%80%AE".to_string(),
        "/my/feed/%FF/calendar.ics".to_string(),
        "/my/feed/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/calendar.ics".to_string(),
        "/calendar.ics?kind=%3Cscript%3E&city=%00&lang=xx&language=%FF".to_string(),
        "/?page=-1&kind=%3Cscript%3E&city=%E2%80%AE".to_string(),
        "/past?page=99999999999999999999".to_string(),
        "/events/no-such/calendar.ics".to_string(),
        "/organise/events/no-such/edit".to_string(),
    ] {
        let answer = app.get(&path).await;
        assert!(
            answer.status.is_success() || answer.status.is_client_error(),
            "{path}: {}",
            answer.status
        );
        assert!(!answer.body.contains("<script>alert"), "{path}");
    }
    let cookie = app.sign_in("root").await;
    for (uri, content_type, body) in [
        (RSVP, "application/x-www-form-urlencoded", "%%%&&&=="),
        (RSVP, "application/json", "{\"answer\":\"going\"}"),
        (
            RSVP,
            "application/x-www-form-urlencoded",
            "answer=going&name=N&guests=1&guests=2",
        ),
        (
            "/organise/login",
            "application/x-www-form-urlencoded",
            "username=%00&password=%FF",
        ),
        (
            "/organise/events/new",
            "application/x-www-form-urlencoded",
            "title.en=%00",
        ),
        (
            "/organise/events/new",
            "application/x-www-form-urlencoded",
            "slug=a&start=yesterday&end=%FF&time_zone=%00&capacity=many",
        ),
        (
            "/organise/events/seminar-digital-security/status",
            "application/x-www-form-urlencoded",
            "status=exploded",
        ),
        (
            "/organise/events/seminar-digital-security/check-in",
            "application/x-www-form-urlencoded",
            "code=%00%FF",
        ),
        (
            "/organise/accounts/999/explode",
            "application/x-www-form-urlencoded",
            "",
        ),
        (
            "/organise/settings",
            "application/x-www-form-urlencoded",
            "languages=xx&default_lang=%00",
        ),
        (
            "/language",
            "application/x-www-form-urlencoded",
            "lang=xx&back=https%3A%2F%2Fevil.example",
        ),
    ] {
        let request = Request::post(uri)
            .header(header::CONTENT_TYPE, content_type)
            .header(header::COOKIE, &cookie)
            .body(Body::from(body))
            .unwrap();
        let answer = app.send(request).await;
        assert!(
            answer.status.is_client_error()
                || answer.status.is_redirection()
                || answer.status == StatusCode::OK,
            "{uri} {body}: {}",
            answer.status
        );
        if answer.status.is_redirection() {
            let to = answer.headers[header::LOCATION].to_str().unwrap();
            assert!(
                to.starts_with('/') && !to.starts_with("//"),
                "{uri}: redirected to {to}"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_bodies_are_refused() {
    let app = app().await;
    let huge = format!(
        "answer=going&name=N&note={}",
        "x".repeat(yighin::MAX_BODY + 1)
    );
    let answer = app.post_with(RSVP, &huge, &[]).await;
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_and_feed_requests_are_limited_per_client() {
    let app = app_with(|c| c.client_ip_header = Some("x-forwarded-for".parse().unwrap())).await;
    let from = |ip: &'static str| [(header::HeaderName::from_static("x-forwarded-for"), ip)];
    for n in 0..app::services::limits::MAX_ANSWERS {
        let answer = app
            .post_with(RSVP, "answer=maybe&name=N", &from("203.0.113.7"))
            .await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "answer {n}");
    }
    let refused = app
        .post_with(RSVP, "answer=maybe&name=N", &from("203.0.113.7"))
        .await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(refused.body.contains("Too many answers"));
    assert_eq!(refused.headers[header::RETRY_AFTER], "600");
    // The page's script gets the same answer from the server function.
    let request = Request::post(app::api::SubmitRsvp::PATH)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("x-forwarded-for", "203.0.113.7")
        .body(Body::from(
            "slug=seminar-digital-security&answer=maybe&guests=0&name=N&contact=&note=",
        ))
        .unwrap();
    let scripted = app.send(request).await;
    assert_eq!(scripted.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(scripted.headers[header::RETRY_AFTER], "600");
    let other = app
        .post_with(RSVP, "answer=maybe&name=N", &from("198.51.100.1"))
        .await;
    assert_eq!(other.status, StatusCode::SEE_OTHER, "another client");
    // No address is stored, only keyed hashes.
    let stored: Vec<String> = sqlx::query_scalar("SELECT bucket FROM rate_counts")
        .fetch_all(&app.site.db.pool)
        .await
        .unwrap_or_default();
    assert!(
        stored.iter().all(|b| !b.contains("203.0.113.7")),
        "{stored:?}"
    );

    for _ in 0..yighin::FEED_REQUESTS_PER_MINUTE {
        let request = Request::get("/calendar.ics")
            .header("x-forwarded-for", "203.0.113.8")
            .body(Body::empty())
            .unwrap();
        app.send(request).await;
    }
    let request = Request::get("/calendar.ics")
        .header("x-forwarded-for", "203.0.113.8")
        .body(Body::empty())
        .unwrap();
    let limited = app.send(request).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(limited.headers[header::RETRY_AFTER], "60");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn text_cannot_break_out_of_a_textarea() {
    let app = app().await;
    let answer = app
        .post_with(
            RSVP,
            "answer=maybe&name=N&note=%3C%2Ftextarea%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E",
            &[],
        )
        .await;
    let link = answer.headers[header::LOCATION].to_str().unwrap();
    let page = app.get(link).await.body;
    let at = page.find("textarea>").unwrap_or(0);
    assert!(
        !page.contains("<script>alert(1)"),
        "{}",
        &page[at.saturating_sub(300)..(at + 200).min(page.len())]
    );
}
