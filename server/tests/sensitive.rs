//! A sensitive event's place: only for members whose place is confirmed.

mod common;

use app::api::{ListEvents, LoadEvent};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::app;
use leptos::server_fn::ServerFn;

const SLUG: &str = "general-meeting-election";
const PLACE: [&str; 2] = ["Centre communautaire", "5000 avenue du Parc"];

fn has_place(text: &str) -> bool {
    PLACE.iter().any(|p| text.contains(p))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_place_of_a_sensitive_event_reaches_confirmed_members_only() {
    let app = app().await;
    // Everything public: pages, server functions, feeds, the event's file.
    let mut public = vec![
        app.get(&format!("/events/{SLUG}")).await,
        app.get(&format!("/events/{SLUG}?lang=fr")).await,
        app.get("/?city=Montr%C3%A9al").await,
        app.get("/calendar.ics").await,
        app.get("/calendar.ics?city=Montr%C3%A9al&lang=fr").await,
        app.get(&format!("/events/{SLUG}/calendar.ics")).await,
    ];
    for (path, body) in [
        (LoadEvent::PATH, format!("slug={SLUG}&lang=en")),
        (ListEvents::PATH, "past=false&lang=en".to_string()),
    ] {
        let request = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        public.push(app.send(request).await);
    }
    for answer in &public {
        assert_eq!(answer.status, StatusCode::OK);
        assert!(!has_place(&answer.body), "{}", answer.body);
    }
    assert!(public[0]
        .body
        .contains("The place is sent to members with a confirmed place"));
    // The subscription feed shows a generic title, the time, nothing else.
    let feed = &public[3].body;
    let entry = feed
        .split("BEGIN:VEVENT")
        .find(|e| e.contains("SUMMARY:Réunion des membres"))
        .unwrap();
    assert!(entry.contains("DTSTART;TZID=America/Toronto:"));
    for hidden in ["DESCRIPTION", "LOCATION", "URL", SLUG, "élection"] {
        assert!(!entry.contains(hidden), "{hidden} in {entry}");
    }
    // The event's own file has its title, not its place.
    assert!(public[5]
        .body
        .contains("SUMMARY:General meeting and board election"));

    // A confirmed member sees the place; one who said "maybe" does not.
    let going = app
        .post_form(&format!("/events/{SLUG}/rsvp"), "answer=going&name=Ezaa")
        .await;
    let maybe = app
        .post_form(&format!("/events/{SLUG}/rsvp"), "answer=maybe&name=Ezab")
        .await;
    let page = |answer: &common::Answer| {
        answer.headers[header::LOCATION]
            .to_str()
            .unwrap()
            .to_string()
    };
    let confirmed_page = app.get(&page(&going)).await.body;
    assert!(confirmed_page.contains("You are confirmed."));
    assert!(has_place(&confirmed_page));
    assert!(!has_place(&app.get(&page(&maybe)).await.body));

    // In personal feeds too.
    for (answer, shown) in [(&going, true), (&maybe, false)] {
        let device = answer.cookie();
        let mine = app.get_with("/my", header::COOKIE, &device).await.body;
        let url = mine
            .split("id=\"my-feed-url\" type=\"text\" readonly value=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .replace("&amp;", "&");
        let feed = app
            .get(url.strip_prefix("http://127.0.0.1:3000").unwrap())
            .await
            .body;
        assert!(feed.contains("SUMMARY:General meeting and board election"));
        assert_eq!(
            feed.contains("LOCATION:Centre communautaire"),
            shown,
            "{feed}"
        );
    }
}
