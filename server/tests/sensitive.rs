//! A sensitive event: its city, full title, texts and place reach only the
//! members an organiser approved; everyone else sees a public title and a
//! time.

mod common;

use app::accounts::Role;
use app::api::{ListEvents, LoadEvent};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::{apps, Answer, TestApp};
use leptos::server_fn::ServerFn;

const SLUG: &str = "members-meeting";
const PLACE: [&str; 2] = ["Centre communautaire", "5000 avenue du Parc"];
const SECRETS: [&str; 6] = [
    "General meeting and board election",
    "Assemblée générale et élection du conseil",
    "Members elect the new board",
    "Agenda: annual report",
    "Ordre du jour",
    "election",
];

fn has_place(text: &str) -> bool {
    PLACE.iter().any(|p| text.contains(p))
}

fn tells_what_or_where(text: &str) -> Option<&'static str> {
    SECRETS
        .into_iter()
        .chain(PLACE)
        .find(|secret| text.contains(secret))
}

fn location(answer: &Answer) -> String {
    answer.headers[header::LOCATION]
        .to_str()
        .unwrap()
        .to_string()
}

/// The personal feed of the device that sent `answer`, checking on the way
/// that "My RSVPs" tells nothing it should not.
async fn feed_of(app: &common::TestApp, answer: &Answer) -> String {
    let device = answer.cookie();
    let mine = app.get_with("/my", header::COOKIE, &device).await.body;
    app.get(&common::feed_path(&mine)).await.body
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sensitive_event_is_told_only_to_members_an_organiser_approved() {
    for app in apps().await {
        a_sensitive_event_is_told_only_to_members_an_organiser_approved_on(app).await;
    }
}

async fn a_sensitive_event_is_told_only_to_members_an_organiser_approved_on(app: TestApp) {
    let mut public = vec![
        app.get(&format!("/events/{SLUG}")).await,
        app.get(&format!("/events/{SLUG}?lang=fr")).await,
        app.get("/").await,
        app.get("/?city=Montr%C3%A9al").await,
        app.get("/calendar.ics").await,
        app.get("/calendar.ics?city=Montr%C3%A9al&lang=fr").await,
        app.get(&format!("/events/{SLUG}/calendar.ics")).await,
    ];
    for (path, body) in [
        (LoadEvent::PATH, format!("slug={SLUG}&lang=en")),
        (ListEvents::PATH, "past=false&lang=en".to_string()),
        (
            ListEvents::PATH,
            "past=false&city=Montr%C3%A9al&lang=fr".to_string(),
        ),
    ] {
        let request = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        public.push(app.send(request).await);
    }
    for answer in &public {
        assert_eq!(answer.status, StatusCode::OK);
        assert_eq!(tells_what_or_where(&answer.body), None, "{}", answer.body);
    }
    // Its page: the public title, the time, and who learns the rest. Not
    // even the city.
    let page = &public[0].body;
    assert!(page.contains("<title>Réunion des membres"), "{page}");
    assert!(page.contains("shared with members an organiser has approved"));
    assert!(!page.contains("Montréal"));
    assert!(!public[6].body.contains("Montréal"), "{}", public[6].body);
    // The city filter neither lists it nor finds it by its city.
    for filtered in [&public[3], &public[5], &public[9]] {
        assert!(
            !filtered.body.contains("Réunion des membres"),
            "{}",
            filtered.body
        );
    }
    // In the whole schedule: its public title and time, nothing else.
    let entry = public[4]
        .body
        .split("BEGIN:VEVENT")
        .find(|e| e.contains("SUMMARY:Réunion des membres"))
        .unwrap();
    assert!(entry.contains("DTSTART;TZID=America/Toronto:"));
    for hidden in ["DESCRIPTION", "LOCATION", "URL", SLUG] {
        assert!(!entry.contains(hidden), "{hidden} in {entry}");
    }

    // Answering "going" waits for an organiser; until then the member sees
    // what the public sees.
    let going = app
        .post_form(&format!("/events/{SLUG}/rsvp"), "answer=going&name=Ezaa")
        .await;
    let maybe = app
        .post_form(&format!("/events/{SLUG}/rsvp"), "answer=maybe&name=Ezab")
        .await;
    for answer in [&going, &maybe] {
        let page = app.get(&location(answer)).await.body;
        assert_eq!(tells_what_or_where(&page), None, "{page}");
        assert!(
            page.contains("once an organiser approves your answer"),
            "{page}"
        );
    }
    assert!(app
        .get(&location(&going))
        .await
        .body
        .contains("You asked to join."));
    let mine = app
        .get_with("/my", header::COOKIE, &going.cookie())
        .await
        .body;
    assert_eq!(tells_what_or_where(&mine), None, "{mine}");
    assert_eq!(tells_what_or_where(&feed_of(&app, &going).await), None);

    // An organiser approves: the member reads the title, the texts and the
    // place, on the private page and in the personal feed.
    app.account("root", Role::Admin).await;
    let root = app.sign_in("root").await;
    let token = location(&going).trim_start_matches("/rsvp/").to_string();
    let stored = app::services::rsvp::find(&app.site, &token).await.unwrap();
    let approved = app
        .post_with(
            &format!("/organise/events/{SLUG}/rsvps/{}/approve", stored.id),
            "",
            &[(header::COOKIE, &root)],
        )
        .await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER);
    let page = app.get(&location(&going)).await.body;
    assert!(page.contains("You are going"));
    assert!(page.contains("General meeting and board election"));
    assert!(has_place(&page), "{page}");
    let feed = feed_of(&app, &going).await;
    assert!(feed.contains("SUMMARY:General meeting and board election"));
    assert!(feed.contains("LOCATION:Centre communautaire"), "{feed}");
    // The other member's answer still tells nothing.
    assert_eq!(
        tells_what_or_where(&app.get(&location(&maybe)).await.body),
        None
    );

    // The organisers may reveal the place later: 30 days before the start
    // (the event is 15 days away, so that time has passed)...
    let event = app::db::events::by_slug(&app.site.db, SLUG, app::i18n::Lang::En)
        .await
        .unwrap()
        .unwrap();
    let rules = |hours| app::db::rsvps::RulesInput {
        open: true,
        approval_required: true,
        reveal_hours: Some(hours),
        ..Default::default()
    };
    app::db::rsvps::set_rules(&app.site.db, event.id, &rules(720))
        .await
        .unwrap();
    assert!(has_place(&app.get(&location(&going)).await.body));
    // ...or 24 hours before it: until then the approved member reads what
    // it is, and when its place will be shown.
    app::db::rsvps::set_rules(&app.site.db, event.id, &rules(24))
        .await
        .unwrap();
    let page = app.get(&location(&going)).await.body;
    assert!(page.contains("General meeting and board election"));
    assert!(!has_place(&page), "{page}");
    assert!(page.contains("The place will be shown here from"), "{page}");
    let feed = feed_of(&app, &going).await;
    assert!(feed.contains("SUMMARY:General meeting and board election"));
    assert!(!feed.contains("LOCATION"), "{feed}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sensitive_event_without_approval_is_refused_and_making_one_sensitive_vets_its_answers() {
    for app in apps().await {
        a_sensitive_event_without_approval_is_refused_and_making_one_sensitive_vets_its_answers_on(
            app,
        )
        .await;
    }
}

async fn a_sensitive_event_without_approval_is_refused_and_making_one_sensitive_vets_its_answers_on(
    app: TestApp,
) {
    app.account("root", Role::Admin).await;
    let root = app.sign_in("root").await;
    let form = "slug=vigil&kind=demonstration&title.en=Vigil&original_lang=en\
        &start=2099-01-01T10:00&end=2099-01-01T12:00&time_zone=America%2FToronto\
        &rsvp_open=on&sensitive=on&city=Ottawa";
    let refused = app
        .post_with("/organise/events/new", form, &[(header::COOKIE, &root)])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused
        .body
        .contains("A sensitive event needs the organisers' approval of every answer."));
    assert_eq!(app.get("/events/vigil").await.status, StatusCode::NOT_FOUND);
    // The editor says so before anyone tries.
    let editor = app
        .get_with("/organise/events/new", header::COOKIE, &root)
        .await
        .body;
    assert!(editor.contains("Answers to a sensitive event always need approval."));

    // An open event with a confirmed answer, made sensitive: the answer
    // was never vetted, so it waits for an organiser, and its seat is free.
    let going = app
        .post_form("/events/navruz-celebration/rsvp", "answer=going&name=Nur")
        .await;
    let page = app.get(&location(&going)).await.body;
    assert!(page.contains("You are going"));
    let saved = app
        .edit_event(&root, "navruz-celebration", |values| {
            values.retain(|(k, _)| k != "sensitive" && k != "approval_required");
            values.push(("sensitive".into(), "on".into()));
            values.push(("approval_required".into(), "on".into()));
        })
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = app.get(&location(&going)).await.body;
    assert!(page.contains("You asked to join."), "{page}");
    assert!(!page.contains("2 Carlton St"));

    // Abroad, in Uyghur only: neither the zone's name nor the language
    // says where it is or who it is for.
    let form =
        "slug=gathering-2099&kind=meeting&title.ug-Latn=Qurultay+Tokyoda&original_lang=ug-Latn\
        &start=2099-01-01T10:00&end=2099-01-01T12:00&time_zone=Asia%2FTokyo\
        &rsvp_open=on&sensitive=on&approval_required=on&city=Kyoto&venue_name=Otel";
    let created = app
        .post_with("/organise/events/new", form, &[(header::COOKIE, &root)])
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    for path in [
        "/events/gathering-2099",
        "/?lang=ug-Latn",
        "/events/gathering-2099/calendar.ics",
        "/calendar.ics",
        "/calendar.ics?language=ug-Latn",
    ] {
        let body = app.get(path).await.body;
        for hidden in ["Tokyo", "Kyoto", "Qurultay", "Otel"] {
            assert!(!body.contains(hidden), "{hidden} in {path}: {body}");
        }
    }
    let page = app.get("/events/gathering-2099").await.body;
    assert!(page.contains("<h1>Members' event</h1>"), "{page}");
    // 10:00 in Tokyo is 8 p.m. the day before in Toronto, the instance's.
    assert!(
        page.contains("December 31, 2098, 8:00\u{a0}p.m."),
        "the time, in the instance's zone: {page}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_editor_filled_before_another_save_cannot_undo_it() {
    for app in apps().await {
        an_editor_filled_before_another_save_cannot_undo_it_on(app).await;
    }
}

/// The editor's fields for `slug`, as a form body, with `changes` made.
async fn editor_body(app: &TestApp, slug: &str, changes: &[(&str, &str)]) -> String {
    let root = app::db::accounts::by_username(&app.site.db, "root")
        .await
        .unwrap()
        .unwrap()
        .info();
    let mut values =
        app::services::organise::event_form(&app.site, &root, Some(slug), app::i18n::Lang::En)
            .await
            .unwrap()
            .values;
    values.retain(|(k, _)| !changes.iter().any(|(name, _)| name == k));
    values.extend(changes.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(values.iter().filter(|(_, v)| !v.is_empty()))
        .finish()
}

async fn an_editor_filled_before_another_save_cannot_undo_it_on(app: TestApp) {
    app.account("root", Role::Admin).await;
    let root = app.sign_in("root").await;
    let save = |body: String| {
        let root = root.clone();
        let app = &app;
        async move {
            app.post_with(
                "/organise/events/navruz-celebration/edit",
                &body,
                &[(header::COOKIE, &root)],
            )
            .await
        }
    };
    // Organiser A opens the editor; meanwhile B makes the event sensitive.
    let stale = editor_body(&app, "navruz-celebration", &[]).await;
    let sensitive = editor_body(
        &app,
        "navruz-celebration",
        &[("sensitive", "on"), ("approval_required", "on")],
    )
    .await;
    assert_eq!(save(sensitive).await.status, StatusCode::SEE_OTHER);
    // A's save would make it public again: refused, nothing changed.
    let refused = save(stale.clone()).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused
        .body
        .contains("Another organiser saved this event while you were editing it."));
    let page = app.get("/events/navruz-celebration").await.body;
    assert!(!page.contains("Navruz celebration"), "{page}");
    // The form comes back with the version saved meanwhile: saving it again
    // is a deliberate choice, and goes through.
    let version = refused
        .body
        .split("name=\"version\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let again = stale
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some(("version", _)) => format!("version={version}"),
            _ => pair.to_string(),
        })
        .collect::<Vec<_>>()
        .join("&");
    assert_eq!(save(again).await.status, StatusCode::SEE_OTHER);
    assert!(app
        .get("/events/navruz-celebration")
        .await
        .body
        .contains("Navruz celebration"));

    // A sensitive event's address can be changed to one that says nothing.
    let body = editor_body(
        &app,
        SLUG,
        &[("slug", "members-2027"), ("approval_required", "on")],
    )
    .await;
    let moved = app
        .post_with(
            &format!("/organise/events/{SLUG}/edit"),
            &body,
            &[(header::COOKIE, &root)],
        )
        .await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
    assert_eq!(
        location(&moved),
        "/organise/events/members-2027/edit?saved=1"
    );
    assert_eq!(
        app.get(&format!("/events/{SLUG}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.get("/events/members-2027").await.status, StatusCode::OK);
}
