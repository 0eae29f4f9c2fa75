//! The router, called without a socket: status codes, content, languages.

use app::api::ListEvents;
use app::i18n::Lang;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use leptos::server_fn::ServerFn;

mod common;
use common::{app, app_with};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_upcoming_list_shows_demo_events_grouped_by_day() {
    let app = app().await;
    let page = app.get("/").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert!(
        page.body.contains("<html lang=\"en\" dir=\"ltr\""),
        "{}",
        &page.body[..300]
    );
    assert!(page.body.contains("Upcoming events"));
    assert!(page.body.contains("Rally for the disappeared"));
    assert!(page.body.contains("class=\"day\""));
    // An event in another zone than the instance's says so.
    assert!(page.body.contains("Istanbul time, UTC+3"));
    // Past events are not in the upcoming list.
    assert!(!page.body.contains("Stolen Children"));
    // The page loads its own wasm and style, from this origin only.
    assert!(page.body.contains("/pkg/yighin.js"));
    assert!(page.body.contains("/pkg/yighin.css"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn filters_by_kind_and_city_are_plain_links() {
    let app = app().await;
    let page = app.get("/?kind=iftar").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Iftar reception on Parliament Hill"));
    assert!(!page.body.contains("Rally for the disappeared"));
    assert!(page.body.contains("href=\"/?kind=screening\""));

    let page = app.get("/?city=Montr%C3%A9al").await;
    assert!(page.body.contains("Seminar: digital security for families"));
    assert!(!page.body.contains("Iftar reception"));
    assert!(page
        .body
        .contains("href=\"/?kind=seminar&amp;city=Montr%C3%A9al\""));

    let page = app.get("/?kind=no-such-kind").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Rally for the disappeared"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn long_lists_are_paged_with_plain_links() {
    let app = app().await;
    let now = app::services::now();
    for i in 0..app::services::LIST_LIMIT {
        let start = format!("2099-01-01T{:02}:{:02}", i / 60, i % 60);
        app.add_meeting(
            &format!("bulk-{i}"),
            &format!("Bulk meeting {i}"),
            &start,
            "2099-01-01T23:59",
            now,
        )
        .await;
    }
    let first = app.get("/?kind=meeting").await;
    assert!(first
        .body
        .contains("href=\"/?kind=meeting&amp;page=2\" rel=\"next\""));
    assert!(!first.body.contains("rel=\"prev\""));
    assert!(first.body.contains("Réunion des membres"));
    let second = app.get("/?kind=meeting&page=2").await;
    assert_eq!(second.status, StatusCode::OK);
    assert!(second.body.contains("href=\"/?kind=meeting\" rel=\"prev\""));
    assert!(!second.body.contains("rel=\"next\""));
    assert!(second
        .body
        .contains(&format!("Bulk meeting {}", app::services::LIST_LIMIT - 1)));
    assert!(!second.body.contains("Réunion des membres"));
    // Nonsense page numbers mean the first page, never an error.
    for page in ["0", "-3", "abc", "4294967296"] {
        let answer = app.get(&format!("/?kind=meeting&page={page}")).await;
        assert_eq!(answer.status, StatusCode::OK, "{page}");
        assert!(answer.body.contains("Réunion des membres"), "{page}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn event_pages_and_the_archive() {
    let app = app().await;
    let page = app.get("/events/rally-for-the-disappeared").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<h1>Rally for the disappeared</h1>"));
    assert!(page.body.contains("Marshals in yellow vests"));
    assert!(page.body.contains("St. George Street"));

    let page = app.get("/past").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Past events"));
    assert!(page.body.contains("Stolen Children"));
    assert!(!page.body.contains("Rally for the disappeared"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_addresses_answer_a_real_404() {
    let app = app().await;
    for uri in ["/events/no-such-event", "/no/such/page"] {
        let page = app.get(uri).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(page.body.contains("Page not found"), "{uri}");
    }
    let page = app
        .get_with("/events/no-such-event", header::ACCEPT_LANGUAGE, "fr-CA")
        .await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.body.contains("Page introuvable"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn language_comes_from_url_then_cookie_then_header() {
    let app = app().await;
    let page = app.get("/?lang=ug-Arab").await;
    assert!(page.body.contains("<html lang=\"ug-Arab\" dir=\"rtl\""));
    assert!(page.body.contains("ئالدىدىكى پائالىيەتلەر"));
    // A language in a page's address is remembered for the next click, with
    // or without JavaScript; a calendar file's `lang` is the feed's only.
    let cookie = page.headers[header::SET_COOKIE].to_str().unwrap();
    assert!(
        cookie.starts_with("lang=ug-Arab;") && cookie.contains("HttpOnly"),
        "{cookie}"
    );
    assert_eq!(page.headers[header::CACHE_CONTROL], "private, no-cache");
    let again = app
        .get_with("/?lang=ug-Arab", header::COOKIE, "lang=ug-Arab")
        .await;
    assert!(again.headers.get(header::SET_COOKIE).is_none());
    let feed = app.get("/calendar.ics?lang=fr").await;
    assert!(feed.headers.get(header::SET_COOKIE).is_none());
    let unoffered = app.get("/?lang=de").await;
    assert!(unoffered.headers.get(header::SET_COOKIE).is_none());

    let page = app.get_with("/", header::COOKIE, "other=1; lang=fr").await;
    assert!(page.body.contains("<html lang=\"fr\" dir=\"ltr\""));
    assert!(page.body.contains("Événements à venir"));
    assert!(page.headers.get(header::SET_COOKIE).is_none());

    let page = app
        .get_with("/", header::ACCEPT_LANGUAGE, "de;q=1, ug-Latn;q=0.9")
        .await;
    assert!(page.body.contains("<html lang=\"ug-Latn\""));
    assert!(page.body.contains("Aldidiki paaliyetler"));

    // Untranslated events are shown in their original language, marked as such.
    let page = app.get("/events/pique-nique?lang=en").await;
    assert!(
        page.body.contains("Pique-nique d&#x27;été") || page.body.contains("Pique-nique d'été")
    );
    assert!(page.body.contains("lang=\"fr\""));
    assert!(page.body.contains("not translated into your language"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_language_switcher_remembers_the_choice_and_comes_back() {
    let app = app().await;
    let page = app.get("/past?kind=screening").await;
    assert!(page
        .body
        .contains("<form method=\"post\" action=\"/language\""));
    assert!(page
        .body
        .contains("name=\"back\" value=\"/past?kind=screening\""));

    let answer = app
        .post_form("/language", "lang=ug-Latn&back=%2Fpast%3Fkind%3Dscreening")
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert_eq!(answer.headers[header::LOCATION], "/past?kind=screening");
    let cookie = answer.headers[header::SET_COOKIE].to_str().unwrap();
    assert!(
        cookie.starts_with("lang=ug-Latn;") && cookie.contains("HttpOnly"),
        "{cookie}"
    );

    // Never an open redirect.
    let answer = app
        .post_form("/language", "lang=fr&back=%2F%2Fevil.example%2F")
        .await;
    assert_eq!(answer.headers[header::LOCATION], "/");
    // Bad input is refused plainly.
    let answer = app.post_form("/language", "lang=xx").await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    let answer = app.post_form("/language", "nonsense").await;
    assert!(answer.status.is_client_error(), "{}", answer.status);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_configured_languages_are_offered() {
    let app = app_with(|c| {
        c.languages = vec![Lang::Fr, Lang::En];
        c.default_lang = Lang::Fr;
        c.instance_name = "Société test".into();
    })
    .await;
    let page = app.get("/?lang=ug-Arab").await;
    assert!(page.body.contains("<html lang=\"fr\""));
    assert!(page.body.contains("Société test"));
    assert!(page.body.contains("name=\"lang\" value=\"en\""));
    assert!(!page.body.contains("value=\"ug-Arab\""));
    let answer = app.post_form("/language", "lang=ug-Arab&back=%2F").await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_list_server_function_answers_data_without_a_page() {
    let app = app().await;
    let request = Request::post(ListEvents::PATH)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .body(Body::from("past=false&kind=iftar&lang=fr"))
        .unwrap();
    let answer = app.send(request).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert!(
        answer
            .body
            .contains("Réception d'iftar sur la colline du Parlement"),
        "{}",
        answer.body
    );
    assert!(!answer.body.contains("Rally"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_says_alive_and_readiness_reports_the_database() {
    let app = app().await;
    let answer = app.get("/healthz").await;
    assert_eq!(
        (answer.status, answer.body.as_str()),
        (StatusCode::OK, "ok")
    );
    let answer = app.get("/readyz").await;
    assert_eq!(
        (answer.status, answer.body.as_str()),
        (StatusCode::OK, "ready")
    );
    // A schema one migration behind this build's: not ready.
    sqlx::query(
        "DELETE FROM _sqlx_migrations WHERE version = (SELECT MAX(version) FROM _sqlx_migrations)",
    )
    .execute(&app.site.db.pool)
    .await
    .unwrap();
    let answer = app.get("/readyz").await;
    assert_eq!(
        answer.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        answer.body
    );
    assert_eq!(app.get("/healthz").await.status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_event_has_a_calendar_file() {
    let app = app().await;
    let answer = app.get("/events/congress-ankara/calendar.ics").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(
        answer.headers[header::CONTENT_TYPE],
        "text/calendar; charset=utf-8"
    );
    assert_eq!(
        answer.headers[header::CONTENT_DISPOSITION],
        "attachment; filename=\"congress-ankara.ics\""
    );
    let ics = &answer.body;
    assert!(ics.ends_with("END:VCALENDAR\r\n"));
    for line in ics.split("\r\n") {
        assert!(
            !line.contains('\n') && !line.contains('\r'),
            "bare line break in {line:?}"
        );
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
    }
    for expected in [
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n",
        "METHOD:PUBLISH\r\n",
        "BEGIN:VTIMEZONE\r\nTZID:Europe/Istanbul\r\n",
        "DTSTART;TZID=Europe/Istanbul:",
        "T100000\r\n",
        "STATUS:CONFIRMED\r\n",
        "SEQUENCE:0\r\n",
        "SUMMARY:International Uyghur congress\r\n",
    ] {
        assert!(ics.contains(expected), "{expected:?} missing from\n{ics}");
    }
    let uid = ics
        .split("UID:")
        .nth(1)
        .unwrap()
        .split("\r\n")
        .next()
        .unwrap()
        .to_string();
    assert!(
        uid.starts_with("event-") && uid.ends_with("@127.0.0.1:3000"),
        "{uid}"
    );

    // Text in Uyghur Arabic is folded by octets, never inside a letter.
    let ug = app
        .get("/events/navruz-celebration/calendar.ics?lang=ug-Arab")
        .await
        .body;
    assert!(ug.contains("SUMMARY:نورۇز بايرىمى\r\n"));
    // The UID does not depend on the language or the fetch.
    let again = app
        .get("/events/congress-ankara/calendar.ics?lang=fr")
        .await
        .body;
    assert!(again.contains(&format!("UID:{uid}\r\n")));
    for line in ug.split("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
    }
    assert!(ug.replace("\r\n ", "").contains(
        "DESCRIPTION:باھار بايرىمىنى ناخشا-ئۇسسۇل ۋە ئائىلە بىلەن بىللە كۈتۈۋالايلى.\\n\\n"
    ));

    let cancelled = app.get("/events/pique-nique/calendar.ics").await.body;
    assert!(cancelled.contains("STATUS:CANCELLED\r\n"));
    assert!(!app
        .get("/events/iftar-parliament-hill/calendar.ics")
        .await
        .body
        .contains("Demo member"));
    assert_eq!(
        app.get("/events/no-such-event/calendar.ics").await.status,
        StatusCode::NOT_FOUND
    );
    // The event page offers it, and a subscription to the whole schedule.
    let page = app.get("/events/congress-ankara").await.body;
    assert!(page.contains("href=\"/events/congress-ankara/calendar.ics\""));
    assert!(page.contains("href=\"webcal://127.0.0.1:3000/calendar.ics?lang=en\""));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_subscription_feed_answers_304_until_something_changes() {
    let app = app().await;
    let feed = app.get("/calendar.ics").await;
    assert_eq!(feed.status, StatusCode::OK);
    assert_eq!(
        feed.headers[header::CONTENT_TYPE],
        "text/calendar; charset=utf-8"
    );
    let ics = &feed.body;
    assert_eq!(
        ics.matches("BEGIN:VEVENT\r\n").count(),
        16,
        "every demo event, past and cancelled too"
    );
    assert_eq!(
        ics.matches("BEGIN:VTIMEZONE\r\n").count(),
        3,
        "one per zone used"
    );
    assert!(ics.contains("REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n"));
    assert!(ics.contains("STATUS:CANCELLED\r\n"));
    assert!(!ics.contains("Demo member"));
    for line in ics.split("\r\n") {
        assert!(line.len() <= 75 && !line.contains('\n'), "{line:?}");
    }

    let etag = feed.headers[header::ETAG].to_str().unwrap().to_string();
    let modified = feed.headers[header::LAST_MODIFIED]
        .to_str()
        .unwrap()
        .to_string();
    let again = app
        .get_with("/calendar.ics", header::IF_NONE_MATCH, &etag)
        .await;
    assert_eq!(
        (again.status, again.body.as_str()),
        (StatusCode::NOT_MODIFIED, "")
    );
    // Weak, as the same feed goes out in several encodings; a client that
    // sends the tag back without its `W/` is answered the same.
    let bare = etag.strip_prefix("W/").expect("a weak ETag");
    let again = app
        .get_with("/calendar.ics", header::IF_NONE_MATCH, bare)
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    let again = app
        .get_with("/calendar.ics", header::IF_MODIFIED_SINCE, &modified)
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);

    // Each list offers its own feed to subscribe to.
    let page = app.get("/?kind=seminar&city=Montr%C3%A9al").await.body;
    assert!(page.contains("href=\"webcal://127.0.0.1:3000/calendar.ics?kind=seminar&amp;city=Montr%C3%A9al&amp;lang=en\""), "{page}");
    assert!(page.contains("href=\"http://127.0.0.1:3000/calendar.ics?kind=seminar&amp;city=Montr%C3%A9al&amp;lang=en\""));
    assert!(page.contains("https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2F127.0.0.1%3A3000%2Fcalendar.ics%3Fkind%3Dseminar"));

    // Only events written in a language, their text in it.
    assert!(page.contains("href=\"webcal://127.0.0.1:3000/calendar.ics?kind=seminar&amp;city=Montr%C3%A9al&amp;language=en\""));
    let uyghur = app.get("/calendar.ics?language=ug-Arab").await.body;
    let titles: Vec<&str> = uyghur
        .split("\r\n")
        .filter_map(|l| l.strip_prefix("SUMMARY:"))
        .collect();
    assert!(titles.len() >= 3 && titles.len() < 16, "{titles:?}");
    assert!(titles.contains(&"ھېيت بايرىمى"), "{titles:?}");
    assert!(
        titles
            .iter()
            .all(|t| t.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c))),
        "{titles:?}"
    );

    let seminars = app.get("/calendar.ics?kind=seminar&lang=fr").await;
    assert_eq!(seminars.body.matches("BEGIN:VEVENT\r\n").count(), 2);
    assert!(seminars
        .body
        .contains("SUMMARY:Séminaire : sécurité numérique pour les familles\r\n"));
    assert_ne!(seminars.headers[header::ETAG], etag.as_str());

    // A new event changes the feed: the old validator no longer matches.
    let later = app::services::now() + 5;
    app.add_meeting(
        "new-meeting",
        "New meeting",
        "2099-05-01T18:00",
        "2099-05-01T20:00",
        later,
    )
    .await;
    let changed = app
        .get_with("/calendar.ics", header::IF_NONE_MATCH, &etag)
        .await;
    assert_eq!(changed.status, StatusCode::OK);
    assert!(changed.body.contains("SUMMARY:New meeting\r\n"));
}
