//! The embeddable list for the organisation's own website: upcoming
//! events as plain HTML, no script, no cookie, framable only by the
//! websites an admin lists (and by none until then).

mod common;

use app::accounts::Role;
use axum::http::{header, StatusCode};
use common::{apps, TestApp};

const ORIGIN: &str = "http://127.0.0.1:3000";

async fn save_origins(app: &TestApp, cookie: &str, origins: &str) -> common::Answer {
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("instance_name", "Uyghur Society"),
            ("time_zone", "America/Toronto"),
            ("languages", "en"),
            ("languages", "fr"),
            ("default_lang", "en"),
            ("embed_origins", origins),
        ])
        .finish();
    app.post_with(
        "/organise/settings",
        &body,
        &[(header::COOKIE, cookie), (header::ORIGIN, ORIGIN)],
    )
    .await
}

fn policy(answer: &common::Answer) -> String {
    answer.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_embeddable_list_is_plain_and_framed_only_by_listed_websites() {
    for app in apps().await {
        embeddable_list_on(app).await;
    }
}

async fn embeddable_list_on(app: TestApp) {
    // Until an admin lists a website, no one may frame it.
    let list = app.get("/embed?lang=fr").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert!(policy(&list).contains("frame-ancestors 'none'"));
    assert_eq!(list.headers[header::X_FRAME_OPTIONS], "DENY");
    assert!(!list.headers.contains_key(header::SET_COOKIE), "no cookie");
    // Asked again each time, so a change leaves it at once.
    assert_eq!(list.headers[header::CACHE_CONTROL], "no-cache");
    // The language is the address's alone: a reader's cookie or browser
    // does not change what the same address shows.
    let default = app
        .send(
            axum::http::Request::get("/embed")
                .header(header::COOKIE, "lang=fr")
                .header(header::ACCEPT_LANGUAGE, "fr")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert!(
        default.body.contains("<html lang=\"en\""),
        "{}",
        default.body
    );
    assert!(!list.body.contains("<script"));
    assert!(!list.body.contains("<form"));
    assert!(list.body.contains("<html lang=\"fr\""));
    assert!(list.body.contains(
        "href=\"http://127.0.0.1:3000/events/iftar-parliament-hill\" target=\"_blank\" rel=\"noopener\""
    ));
    // A sensitive event as the public sees it: neither its title nor city.
    let sensitive = list
        .body
        .split("<li class=\"event\">")
        .find(|entry| entry.contains("Réunion des membres"))
        .expect("the sensitive event, by its public title");
    assert!(!sensitive.contains("class=\"place\""), "{sensitive}");
    assert!(!list.body.contains("General meeting"));
    // Its one inline style is the one the policy allows.
    let style = list
        .body
        .split("<style>")
        .nth(1)
        .unwrap()
        .split("</style>")
        .next()
        .unwrap();
    use base64::Engine;
    use sha2::Digest;
    let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(style));
    assert!(policy(&list).contains(&format!("style-src 'sha256-{hash}'")));

    // An admin lists two websites; a wildcard or a path is refused.
    app.account("root", Role::Admin).await;
    let root = app.sign_in("root").await;
    for bad in ["*", "https://uyghur-society.ca/events", "uyghur-society.ca"] {
        let refused = save_origins(&app, &root, bad).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert!(
            refused.body.contains("id=\"field-embed_origins-error\""),
            "{}",
            refused.body
        );
    }
    let saved = save_origins(
        &app,
        &root,
        "https://Uyghur-Society.ca/\r\nhttp://localhost:8080",
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let list = app.get("/embed").await;
    assert!(
        policy(&list).ends_with("frame-ancestors https://uyghur-society.ca http://localhost:8080"),
        "{}",
        policy(&list)
    );
    assert!(!list.headers.contains_key(header::X_FRAME_OPTIONS));
    // Every other page still may be framed by none.
    let page = app.get("/").await;
    assert!(policy(&page).contains("frame-ancestors 'none'"));
    assert_eq!(page.headers[header::X_FRAME_OPTIONS], "DENY");
    // The settings form shows the list again, one a line.
    let form = app
        .get_with("/organise/settings", header::COOKIE, &root)
        .await
        .body;
    assert!(
        form.contains("https://uyghur-society.ca\nhttp://localhost:8080"),
        "{form}"
    );
}
