//! Public pages kept rendered: each response with a nonce of its own, in
//! the reader's language, and never older than the last change.

mod common;

use app::accounts::Role;
use axum::http::header;
use common::{apps, Answer, TestApp};
use std::time::Duration;

const SLUG: &str = "seminar-digital-security";

fn nonce(answer: &Answer) -> String {
    let policy = answer.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap();
    let start = policy.find("'nonce-").unwrap() + "'nonce-".len();
    let length = policy[start..].find('\'').unwrap();
    policy[start..start + length].to_string()
}

/// The places taken, as the event page says.
async fn places_taken(app: &TestApp) -> u32 {
    let page = app.get(&format!("/events/{SLUG}")).await.body;
    let at = page.find(" of 40 places taken").expect("the places taken");
    let digits: String = page[..at]
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.chars().rev().collect::<String>().parse().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kept_page_has_a_nonce_of_its_own_and_never_outlives_a_change() {
    for app in apps().await {
        let backend = app.backend();
        let path = format!("/events/{SLUG}");
        let (first, second) = (app.get(&path).await, app.get(&path).await);
        let (one, two) = (nonce(&first), nonce(&second));
        assert_ne!(one, two, "{backend:?}: a nonce per response");
        assert!(
            second.body.contains(&format!("nonce=\"{two}\"")),
            "{backend:?}"
        );
        assert!(!second.body.contains(&one), "{backend:?}");
        assert_eq!(first.body.replace(&one, &two), second.body, "{backend:?}");

        // Each language its own page, whichever was kept first.
        let french = app.get_with(&path, header::COOKIE, "lang=fr").await;
        assert!(french.body.contains("<html lang=\"fr\""), "{backend:?}");
        assert!(app.get(&path).await.body.contains("<html lang=\"en\""));

        // An answer counts at once on this server.
        let before = places_taken(&app).await;
        app.post_form(&format!("{path}/rsvp"), "answer=going&guests=1&name=Ayse")
            .await;
        assert_eq!(places_taken(&app).await, before + 2, "{backend:?}");

        // An organiser's change shows at once.
        app.account("root", Role::Admin).await;
        let root = app.sign_in("root").await;
        let saved = app
            .edit_event(&root, SLUG, |values| {
                for (key, value) in values.iter_mut() {
                    if key == "title.en" {
                        *value = "Digital security, moved upstairs".into();
                    }
                }
            })
            .await;
        assert!(saved.status.is_redirection(), "{}", saved.body);
        assert!(app
            .get(&path)
            .await
            .body
            .contains("Digital security, moved upstairs"));

        // Another app server on the same database learns of this server's
        // answers within the time a page is kept.
        let db = app::db::Database::connect(&app.database_url).await.unwrap();
        let config = yighin::config::Config::for_database(&app.database_url);
        let other = TestApp::from_state(yighin::state(&config, db));
        let seen = places_taken(&other).await;
        app.post_form(&format!("{path}/rsvp"), "answer=going&guests=0&name=Emre")
            .await;
        tokio::time::sleep(yighin::PAGE_KEPT_FOR + Duration::from_millis(100)).await;
        assert_eq!(places_taken(&other).await, seen + 1, "{backend:?}");
    }
}
