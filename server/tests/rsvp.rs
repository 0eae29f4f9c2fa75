//! RSVP through the router, as a browser without JavaScript does it, and the
//! promise that no attendee's details reach anyone else.

mod common;

use app::api::{ListEvents, LoadEvent, LoadSiteInfo};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::{app, feed_path, TestApp};
use leptos::server_fn::ServerFn;

/// Submits the RSVP form of `slug`; returns the private link's path and the
/// member cookie (when one was issued).
async fn rsvp(app: &TestApp, slug: &str, form: &'static str) -> (String, Option<String>) {
    let answer = app.post_form(&format!("/events/{slug}/rsvp"), form).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    let location = answer.headers[header::LOCATION]
        .to_str()
        .unwrap()
        .to_string();
    assert!(location.starts_with("/rsvp/"), "{location}");
    let cookie = answer
        .headers
        .get(header::SET_COOKIE)
        .map(|c| c.to_str().unwrap().to_string());
    (location, cookie)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answer_view_change_and_cancel_without_javascript() {
    let app = app().await;
    let (link, cookie) = rsvp(
        &app,
        "seminar-digital-security",
        "answer=going&guests=1&name=Tulpar&contact=&note=",
    )
    .await;
    let cookie = cookie.expect("a member cookie for this device");
    assert!(
        cookie.starts_with("yighin_member=") && cookie.contains("HttpOnly"),
        "{cookie}"
    );

    let page = app.get(&link).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.headers[header::CACHE_CONTROL], "no-store");
    assert!(page.body.contains("noindex"));
    assert!(page.body.contains("You are going"));
    assert!(page.body.contains("value=\"Tulpar\""));
    assert!(page
        .body
        .contains(&format!("value=\"http://127.0.0.1:3000{link}\"")));
    let public = app.get("/events/seminar-digital-security").await;
    assert!(
        public.body.contains("38 of 40 places taken"),
        "counts after one RSVP with a guest"
    );

    let changed = app
        .post_form(&link, "answer=going&guests=3&name=Tulpar&contact=&note=")
        .await;
    assert_eq!(
        (
            changed.status,
            changed.headers[header::LOCATION].to_str().unwrap()
        ),
        (StatusCode::SEE_OTHER, link.as_str())
    );
    assert!(app
        .get("/events/seminar-digital-security")
        .await
        .body
        .contains("40 of 40 places taken"));

    let invalid = app
        .post_form(&link, "answer=going&guests=11&name=&contact=&note=kept")
        .await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(invalid.body.contains("Choose a number from 0 to 10."));
    assert!(invalid.body.contains("Please fill this in."));
    assert!(invalid.body.contains(">kept</textarea>"));
    assert!(
        app.get(&link).await.body.contains("value=\"3\""),
        "nothing stored by a bad request"
    );

    // Cancelling takes a step: the page asks, and only its form cancels.
    let page = app.get(&link).await.body;
    assert!(page.contains(&format!("href=\"{link}/cancel\"")), "{page}");
    let step = app.get(&format!("{link}/cancel")).await;
    assert_eq!(step.status, StatusCode::OK);
    assert!(step.body.contains("Cancel your answer?"));
    assert!(step.body.contains("Your place goes to the next person"));
    assert!(app.get(&link).await.body.contains("You are going"));
    let cancelled = app.post_form(&format!("{link}/cancel"), "").await;
    assert_eq!(cancelled.status, StatusCode::SEE_OTHER);
    assert!(app
        .get(&link)
        .await
        .body
        .contains("You cancelled your answer."));
    assert!(app
        .get("/events/seminar-digital-security")
        .await
        .body
        .contains("36 of 40 places taken"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn field_errors_come_back_next_to_the_fields() {
    let app = app().await;
    let answer = app
        .post_form(
            "/events/seminar-digital-security/rsvp",
            "answer=going&guests=1&name=abc%E2%80%AEfdp&note=my+note",
        )
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(answer.body.contains("id=\"rsvp-name-error\""));
    assert!(answer.body.contains("Contains hidden control characters"));
    assert!(answer.body.contains(">my note</textarea>"));
    // In French too.
    let request = Request::post("/events/seminar-digital-security/rsvp")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, "lang=fr")
        .body(Body::from("answer=maybe&name="))
        .unwrap();
    let answer = app.send(request).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(answer.body.contains("Veuillez remplir ce champ."));
    // Unknown events and private links are plain 404s.
    let answer = app
        .post_form("/events/no-such-event/rsvp", "answer=going&name=A")
        .await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    let answer = app
        .get("/rsvp/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
        .await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    assert!(answer.body.contains("This private link is not valid."));
    let answer = app.post_form("/rsvp/not-a-token/cancel", "").await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_event_waitlists_and_a_cancellation_promotes() {
    let app = app().await;
    // The demo iftar has 3 of 120 places left.
    let (first, _) = rsvp(
        &app,
        "iftar-parliament-hill",
        "answer=going&guests=2&name=First",
    )
    .await;
    let (second, _) = rsvp(
        &app,
        "iftar-parliament-hill",
        "answer=going&guests=0&name=Second",
    )
    .await;
    assert!(app
        .get(&second)
        .await
        .body
        .contains("You are number 1 on the waitlist."));
    let public = app.get("/events/iftar-parliament-hill").await.body;
    assert!(
        public.contains("120 of 120 places taken · 1 on the waitlist"),
        "{public}"
    );
    assert!(public.contains("This event is full"));

    app.post_form(&format!("{first}/cancel"), "").await;
    assert!(app.get(&second).await.body.contains("You are going"));
    assert!(app
        .get("/events/iftar-parliament-hill")
        .await
        .body
        .contains("118 of 120 places taken"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closed_answers_are_refused_with_a_message() {
    let app = app().await;
    let event = app::db::events::by_slug(&app.site.db, "navruz-celebration", app::i18n::Lang::En)
        .await
        .unwrap()
        .unwrap();
    app::db::rsvps::set_rules(
        &app.site.db,
        event.id,
        &app::db::rsvps::RulesInput {
            hide_counts: true,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let page = app.get("/events/navruz-celebration").await;
    assert!(page.body.contains("Answers are closed for this event."));
    assert!(
        !page.body.contains("places taken"),
        "counts are hidden when the organisers hide them"
    );
    let answer = app
        .post_form("/events/navruz-celebration/rsvp", "answer=going&name=Late")
        .await;
    assert_eq!(answer.status, StatusCode::CONFLICT);
    assert!(answer.body.contains("Answers are closed for this event."));
}

/// Everything the public can fetch, as pages and as server-function answers.
async fn everything_public(app: &TestApp) -> String {
    let mut seen = String::new();
    let slugs: Vec<String> = sqlx::query_scalar("SELECT slug FROM events")
        .fetch_all(&app.site.db.pool)
        .await
        .unwrap();
    let mut paths = vec![
        "/".to_string(),
        "/past".into(),
        "/?kind=seminar".into(),
        "/no-such-page".into(),
    ];
    for slug in &slugs {
        paths.push(format!("/events/{slug}"));
        paths.push(format!("/events/{slug}?lang=ug-Arab"));
    }
    for path in paths {
        seen.push_str(&app.get(&path).await.body);
    }
    let mut calls = vec![
        (ListEvents::PATH, "past=false&lang=en".to_string()),
        (ListEvents::PATH, "past=true&lang=en".to_string()),
        (LoadSiteInfo::PATH, String::new()),
    ];
    for slug in &slugs {
        calls.push((LoadEvent::PATH, format!("slug={slug}&lang=en")));
    }
    for (path, body) in calls {
        let request = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json")
            .body(Body::from(body))
            .unwrap();
        let answer = app.send(request).await;
        assert_eq!(answer.status, StatusCode::OK, "{path}: {}", answer.body);
        seen.push_str(&answer.body);
    }
    seen
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_attendee_detail_ever_reaches_the_public() {
    let app = app().await;
    let (link, _) = rsvp(
        &app,
        "seminar-digital-security",
        "answer=going&guests=1&name=CanaryName7f3&contact=canary7f3%40example.invalid&note=CanaryNote7f3",
    )
    .await;
    rsvp(
        &app,
        "iftar-parliament-hill",
        "answer=maybe&name=CanaryName7f3&note=CanaryNote7f3",
    )
    .await;
    // The member sees their own answer...
    assert!(app.get(&link).await.body.contains("CanaryName7f3"));
    // ...and nobody else sees anything of it, nor of the demo attendees.
    let public = everything_public(&app).await;
    for canary in [
        "CanaryName7f3",
        "canary7f3",
        "CanaryNote7f3",
        "Demo member",
        link.trim_start_matches("/rsvp/"),
    ] {
        assert!(!public.contains(canary), "{canary} leaked");
    }
    assert!(
        public.contains("38 of 40 places taken"),
        "counts are public"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn my_rsvps_are_found_by_this_device_only() {
    let app = app().await;
    let (link, cookie) = rsvp(&app, "navruz-celebration", "answer=maybe&name=Nur").await;
    let device = cookie.unwrap().split(';').next().unwrap().to_string();
    let mine = app.get_with("/my", header::COOKIE, &device).await;
    assert_eq!(mine.headers[header::CACHE_CONTROL], "no-store");
    assert!(mine.body.contains("Navruz celebration"));
    assert!(mine.body.contains("Maybe"));
    assert!(
        !mine.body.contains("Nur"),
        "names are not needed in the list"
    );
    // Another device, or none, sees nothing.
    for other in [
        "yighin_member=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "lang=en",
    ] {
        let page = app.get_with("/my", header::COOKIE, other).await;
        assert!(
            page.body.contains("No answers from this device yet."),
            "{other}"
        );
    }

    // Opening an answer issues a new private link; the old one stops working.
    let action = mine
        .body
        .split("action=\"/my/")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let path = format!("/my/{action}");
    let request = |cookie: &str| {
        Request::post(path.as_str())
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap()
    };
    let stranger = app
        .send(request(
            "yighin_member=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        ))
        .await;
    assert_eq!(stranger.status, StatusCode::NOT_FOUND);
    let reopened = app.send(request(&device)).await;
    assert_eq!(reopened.status, StatusCode::SEE_OTHER);
    let new_link = reopened.headers[header::LOCATION]
        .to_str()
        .unwrap()
        .to_string();
    assert_ne!(new_link, link);
    assert!(app
        .get(&new_link)
        .await
        .body
        .contains("You answered “Maybe”."));
    assert_eq!(app.get(&link).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_personal_feed_is_offered_on_my_rsvps_and_can_be_renewed() {
    let app = app().await;
    let (_, cookie) = rsvp(
        &app,
        "annual-general-assembly",
        "answer=going&name=Canary%20Feed%20Name&contact=canary-feed%40example.org&note=canary%20feed%20note",
    )
    .await;
    let device = cookie.unwrap().split(';').next().unwrap().to_string();
    let mine = app.get_with("/my", header::COOKIE, &device).await;
    let path = feed_path(&mine.body);
    assert!(
        path.starts_with("/my/feed/") && path.ends_with("/calendar.ics?lang=en"),
        "{path}"
    );
    assert!(mine
        .body
        .contains("href=\"webcal://127.0.0.1:3000/my/feed/"));
    assert!(
        !mine
            .body
            .contains("calendar.google.com/calendar/r?cid=webcal%3A%2F%2F127.0.0.1%3A3000%2Fmy"),
        "a private address is not handed to Google"
    );

    let feed = app.get(&path).await;
    assert_eq!(feed.status, StatusCode::OK);
    assert_eq!(
        feed.headers[header::CONTENT_TYPE],
        "text/calendar; charset=utf-8"
    );
    assert_eq!(feed.headers[header::CACHE_CONTROL], "private, no-store");
    assert!(
        feed.body.contains("SUMMARY:Annual general assembly"),
        "{}",
        feed.body
    );
    assert!(feed.body.contains("Your answer: Going"));
    assert!(!feed.body.contains("anary"), "no personal data in the feed");
    // The page shows the same address each time.
    let again = app.get_with("/my", header::COOKIE, &device).await;
    assert_eq!(feed_path(&again.body), path);

    // The page offers a step before: opening it changes nothing.
    assert!(again.body.contains("href=\"/my/feed/renew\""));
    let step = app
        .get_with("/my/feed/renew", header::COOKIE, &device)
        .await;
    assert_eq!(step.status, StatusCode::OK);
    assert!(step.body.contains("Stop this calendar address?"));
    assert!(step
        .body
        .contains("<form method=\"post\" action=\"/my/feed/renew\""));
    assert_eq!(app.get(&path).await.status, StatusCode::OK);

    // Renewing revokes the old address; only this device can renew its own.
    let renew = |cookie: &str| {
        Request::post("/my/feed/renew")
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap()
    };
    let stranger = app
        .send(renew(
            "yighin_member=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        ))
        .await;
    assert_eq!(stranger.status, StatusCode::SEE_OTHER);
    assert_eq!(app.get(&path).await.status, StatusCode::OK);
    let renewed = app.send(renew(&device)).await;
    assert_eq!(
        (
            renewed.status,
            renewed.headers[header::LOCATION].to_str().unwrap()
        ),
        (StatusCode::SEE_OTHER, "/my#my-feed")
    );
    let gone = app.get(&path).await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    let new_path = feed_path(&app.get_with("/my", header::COOKIE, &device).await.body);
    assert_ne!(new_path, path);
    assert_eq!(app.get(&new_path).await.status, StatusCode::OK);
}
