//! Organiser accounts through the router: signing in and out, sessions,
//! cross-site requests, and who may see and do what.

mod common;

use app::accounts::Role;
use axum::http::{header, StatusCode};
use common::{app, apps, TestApp};

/// An app with an admin, an organiser of the seminar and one of the rally.
async fn team() -> TestApp {
    let app = app().await;
    app.account("root", Role::Admin).await;
    let aygul = app.account("aygul", Role::Organiser).await;
    let bora = app.account("bora", Role::Organiser).await;
    app.assign("seminar-digital-security", aygul).await;
    app.assign("rally-for-the-disappeared", bora).await;
    app
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_in_gives_a_fresh_http_only_session_and_signing_out_ends_it() {
    let app = team().await;
    // An attacker's cookie planted beforehand is never promoted to a session.
    let planted = "yighin_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    let answer = app
        .post_with(
            "/organise/login",
            "username=aygul&password=aygul+has+a+long+password",
            &[(header::COOKIE, planted)],
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert_eq!(answer.headers[header::LOCATION], "/organise");
    let set = answer.headers[header::SET_COOKIE].to_str().unwrap();
    assert!(set.starts_with("yighin_session="), "{set}");
    for attribute in ["; Path=/", "; HttpOnly", "; SameSite=Strict"] {
        assert!(set.contains(attribute), "{set}");
    }
    let cookie = answer.cookie();
    assert_ne!(cookie, planted);
    assert_eq!(
        app.get_with("/organise", header::COOKIE, planted)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );

    let dashboard = app.get_with("/organise", header::COOKIE, &cookie).await;
    assert_eq!(dashboard.status, StatusCode::OK);
    assert_eq!(dashboard.headers[header::CACHE_CONTROL], "no-store");
    assert!(dashboard.body.contains("Signed in as aygul"));
    assert!(dashboard
        .body
        .contains("Seminar: digital security for families"));
    assert!(
        !dashboard.body.contains("Rally for the disappeared"),
        "only her events"
    );

    // Each sign-in is a new session; signing out ends this one on the server.
    let second = app.sign_in("aygul").await;
    assert_ne!(second, cookie);
    let out = app
        .post_with("/organise/logout", "", &[(header::COOKIE, &cookie)])
        .await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert!(out.headers[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
    assert_eq!(
        app.get_with("/organise", header::COOKIE, &cookie)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.get_with("/organise", header::COOKIE, &second)
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_cookie_over_tls_is_secure_and_host_only() {
    let app = common::app_with(|c| c.base_url = "https://events.example.org".into()).await;
    app.account("root", Role::Admin).await;
    let answer = app
        .post_with(
            "/organise/login",
            "username=root&password=root+has+a+long+password",
            &[],
        )
        .await;
    let set = answer.headers[header::SET_COOKIE].to_str().unwrap();
    assert!(set.starts_with("__Host-yighin_session="), "{set}");
    assert!(
        set.contains("; Secure") && set.contains("; Path=/") && !set.contains("Domain"),
        "{set}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_errors_do_not_say_which_part_was_wrong_and_failures_are_limited() {
    let app = team().await;
    let wrong_password = app
        .post_with(
            "/organise/login",
            "username=aygul&password=wrong+password+here",
            &[],
        )
        .await;
    let no_such_user = app
        .post_with(
            "/organise/login",
            "username=nobody&password=wrong+password+here",
            &[],
        )
        .await;
    assert_eq!(wrong_password.status, StatusCode::UNAUTHORIZED);
    assert_eq!(no_such_user.status, StatusCode::UNAUTHORIZED);
    for answer in [&wrong_password, &no_such_user] {
        assert!(answer.body.contains("Wrong username or password."));
        assert!(answer.headers.get(header::SET_COOKIE).is_none());
    }
    // An unknown name was checked against a hash as costly as a real one,
    // made once for the server.
    let decoy = app::services::accounts::decoy_hash(&app.site).await;
    assert!(
        decoy.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{decoy}"
    );
    assert_eq!(decoy, app::services::accounts::decoy_hash(&app.site).await);

    // Four more failures lock the account for the window, even with the
    // right password; other accounts are unaffected.
    for _ in 0..4 {
        app.post_with(
            "/organise/login",
            "username=aygul&password=wrong+password+here",
            &[],
        )
        .await;
    }
    let locked = app
        .post_with(
            "/organise/login",
            "username=aygul&password=aygul+has+a+long+password",
            &[],
        )
        .await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(locked.body.contains("Too many failed attempts"));
    app.sign_in("bora").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cross_site_requests_are_refused() {
    let app = team().await;
    let cookie = app.sign_in("root").await;
    for (name, value) in [
        (header::ORIGIN, "https://evil.example"),
        (
            header::HeaderName::from_static("sec-fetch-site"),
            "cross-site",
        ),
    ] {
        for uri in [
            "/organise/logout",
            "/organise/login",
            "/events/seminar-digital-security/rsvp",
            <app::api::LoadDashboard as leptos::server_fn::ServerFn>::PATH,
        ] {
            let answer = app
                .post_with(
                    uri,
                    "username=root&password=x&answer=going&name=x",
                    &[(header::COOKIE, &cookie), (name.clone(), value)],
                )
                .await;
            assert_eq!(
                answer.status,
                StatusCode::FORBIDDEN,
                "{uri} with {name}: {value}"
            );
        }
    }
    // The session survived the forged logout.
    assert_eq!(
        app.get_with("/organise", header::COOKIE, &cookie)
            .await
            .status,
        StatusCode::OK
    );
    let same = app
        .post_with(
            "/organise/logout",
            "",
            &[
                (header::COOKIE, &cookie),
                (header::ORIGIN, "http://127.0.0.1:3000"),
            ],
        )
        .await;
    assert_eq!(same.status, StatusCode::SEE_OTHER);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_door_checks_in_by_code_with_a_headcount() {
    let app = team().await;
    let cookie = app.sign_in("aygul").await;
    // A member answers; the door code is on their private page.
    let answer = app
        .post_form(
            "/events/seminar-digital-security/rsvp",
            "answer=going&guests=1&name=Tulpar",
        )
        .await;
    let link = answer.headers[header::LOCATION]
        .to_str()
        .unwrap()
        .to_string();
    let private = app.get(&link).await.body;
    let code = private
        .split("class=\"door-code\"")
        .nth(1)
        .unwrap()
        .split("<strong dir=\"ltr\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_string();
    assert_eq!(code.len(), 6, "{code}");

    let screen = app
        .get_with(
            "/organise/events/seminar-digital-security/check-in",
            header::COOKIE,
            &cookie,
        )
        .await;
    assert_eq!(screen.status, StatusCode::OK);
    assert!(
        screen.body.contains("0 of 38 people arrived"),
        "{}",
        screen.body
    );
    assert!(
        !screen.body.contains("Tulpar"),
        "no list of names at the door"
    );

    let typed = format!("code={}", code.to_lowercase());
    let done = app
        .post_with(
            "/organise/events/seminar-digital-security/check-in",
            &typed,
            &[(header::COOKIE, &cookie)],
        )
        .await;
    assert_eq!(done.status, StatusCode::OK);
    assert!(
        done.body.contains("Tulpar is checked in: 2 people."),
        "{}",
        done.body
    );
    assert!(done.body.contains("2 of 38 people arrived"));
    let again = app
        .post_with(
            "/organise/events/seminar-digital-security/check-in",
            &typed,
            &[(header::COOKIE, &cookie)],
        )
        .await;
    assert!(again.body.contains("Tulpar was already checked in"));
    let unknown = app
        .post_with(
            "/organise/events/seminar-digital-security/check-in",
            "code=ZZZZZZ",
            &[(header::COOKIE, &cookie)],
        )
        .await;
    assert!(unknown.body.contains("No answer has this code."));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_answer_list_shows_names_to_organisers_and_exports_safe_csv() {
    let app = team().await;
    app.post_form(
        "/events/seminar-digital-security/rsvp",
        "answer=going&guests=0&name=%3DHYPERLINK%28%22http%3A%2F%2Fx%22%29&contact=%2B1+555&note=ئۇيغۇرچە+ئىزاھات",
    )
    .await;
    let cookie = app.sign_in("aygul").await;
    let list = app
        .get_with(
            "/organise/events/seminar-digital-security/rsvps",
            header::COOKIE,
            &cookie,
        )
        .await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.headers[header::CACHE_CONTROL], "no-store");
    assert!(
        list.body.contains("=HYPERLINK(&quot;http://x&quot;)")
            || list.body.contains("=HYPERLINK(\"http://x\")"),
        "{}",
        list.body
    );
    assert!(list.body.contains("ئۇيغۇرچە ئىزاھات"));

    let csv = app
        .get_with(
            "/organise/events/seminar-digital-security/rsvps.csv",
            header::COOKIE,
            &cookie,
        )
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(csv.headers[header::CONTENT_TYPE], "text/csv; charset=utf-8");
    assert!(csv.body.starts_with('\u{feff}'));
    assert!(
        csv.body.contains("\"'=HYPERLINK(\"\"http://x\"\")\""),
        "{}",
        csv.body
    );
    assert!(csv.body.contains("'+1 555"));
    assert!(csv.body.contains("ئۇيغۇرچە ئىزاھات"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_answer_list_comes_a_page_at_a_time_counted_in_full() {
    for app in apps().await {
        let backend = app.backend();
        app.account("root", Role::Admin).await;
        let now = app::services::now();
        app.add_meeting(
            "long-list",
            "General assembly",
            "2099-03-01T18:00",
            "2099-03-01T20:00",
            now,
        )
        .await;
        // 230 answers: every tenth a "maybe".
        for i in 0..230 {
            let form = app::rsvp::RsvpForm {
                answer: if i % 10 == 9 { "maybe" } else { "going" }.into(),
                guests: "0".into(),
                name: format!("Member {i:03}"),
                ..Default::default()
            };
            app::services::rsvp::submit(&app.site, "long-list", &form, &format!("device-{i}"), now)
                .await
                .unwrap();
        }
        let cookie = app.sign_in("root").await;
        let page = |query: &'static str| {
            let app = &app;
            let cookie = cookie.clone();
            async move {
                let uri = format!("/organise/events/long-list/rsvps{query}");
                let page = app.get_with(&uri, header::COOKIE, &cookie).await;
                assert_eq!(page.status, StatusCode::OK, "{backend:?} {uri}");
                page.body
            }
        };
        let rows = |body: &str| body.matches("class=\"answer-row state-").count();

        let first = page("").await;
        assert_eq!(rows(&first), 100, "{backend:?}");
        assert!(first.contains("All (230)"), "{backend:?}");
        assert!(first.contains("Going (207)"), "{backend:?}");
        assert!(first.contains("Maybe (23)"), "{backend:?}");
        assert!(
            first.contains("207 going"),
            "{backend:?}: the seats of all, not of a page"
        );
        assert!(first.contains("Member 000") && !first.contains("Member 100"));
        assert!(first.contains("href=\"/organise/events/long-list/rsvps?page=2\" rel=\"next\""));
        assert!(!first.contains("rel=\"prev\""));

        let last = page("?page=3").await;
        assert_eq!(rows(&last), 30, "{backend:?}");
        assert!(last.contains("Member 229") && !last.contains("Member 199"));
        assert!(last.contains("rel=\"prev\"") && !last.contains("rel=\"next\""));

        // A search looks through every page; a filter keeps its count.
        let found = page("?q=member+229").await;
        assert_eq!(rows(&found), 1, "{backend:?}");
        assert!(found.contains("Member 229"));
        let maybes = page("?state=maybe").await;
        assert_eq!(rows(&maybes), 23, "{backend:?}");
        assert!(!maybes.contains("rel=\"next\""));
        let going_second = page("?state=going&page=2").await;
        assert_eq!(rows(&going_second), 100, "{backend:?}");
        assert!(
            going_second.contains("?state=going&amp;page=3\" rel=\"next\"")
                || going_second.contains("?state=going&page=3\" rel=\"next\"")
        );
        // Nonsense in the address is read as the first, unfiltered page.
        let nonsense = page("?state=everyone&page=-4").await;
        assert_eq!(rows(&nonsense), 100, "{backend:?}");
        // A page past the end is empty, with the way back; no overflow.
        let beyond = page("?page=4294967295").await;
        assert_eq!(rows(&beyond), 0, "{backend:?}");
        assert!(beyond.contains("rel=\"prev\""));
        // A number no browser could hold is read as the first page.
        let huge = page("?page=18446744073709551615").await;
        assert_eq!(rows(&huge), 100, "{backend:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn approvals_place_pending_answers() {
    let app = team().await;
    let event = app::db::events::by_slug(
        &app.site.db,
        "seminar-digital-security",
        app::i18n::Lang::En,
    )
    .await
    .unwrap()
    .unwrap();
    app::db::rsvps::set_rules(
        &app.site.db,
        event.id,
        &app::db::rsvps::RulesInput {
            open: true,
            approval_required: true,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    app.post_form(
        "/events/seminar-digital-security/rsvp",
        "answer=going&guests=0&name=Pending+One",
    )
    .await;
    app.post_form(
        "/events/seminar-digital-security/rsvp",
        "answer=going&guests=0&name=Pending+Two",
    )
    .await;
    let cookie = app.sign_in("aygul").await;
    // The dashboard counts them, beside the seats taken.
    let dashboard = app
        .get_with("/organise", header::COOKIE, &cookie)
        .await
        .body;
    assert!(
        dashboard.contains("36 of 40 places taken · 2 awaiting approval"),
        "{dashboard}"
    );
    let list = app
        .get_with(
            "/organise/events/seminar-digital-security/rsvps",
            header::COOKIE,
            &cookie,
        )
        .await;
    let actions: Vec<String> = list
        .body
        .split("action=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap().to_string())
        .filter(|a| a.ends_with("/approve") || a.ends_with("/decline"))
        .collect();
    assert_eq!(actions.len(), 4, "{actions:?}");
    let approved = app
        .post_with(&actions[0], "", &[(header::COOKIE, &cookie)])
        .await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER);
    let declined = app
        .post_with(&actions[3], "", &[(header::COOKIE, &cookie)])
        .await;
    assert_eq!(declined.status, StatusCode::SEE_OTHER);
    let counts = app::db::rsvps::counts(&app.site.db, event.id)
        .await
        .unwrap();
    assert_eq!(counts.going, 37, "36 demo seats and the approved one");
    // Deciding twice finds nothing pending.
    let twice = app
        .post_with(&actions[0], "", &[(header::COOKIE, &cookie)])
        .await;
    assert_eq!(twice.status, StatusCode::NOT_FOUND);
}

const NEW_EVENT: &str = "slug=vigil-2027&kind=demonstration&original_lang=en\
&title.en=Candle+vigil&summary.en=Quiet+gathering&description.en=**Bring**+a+candle.%0A%0A%3Cscript%3Ealert(1)%3C%2Fscript%3E\
&title.fr=Veill%C3%A9e+aux+chandelles&summary.fr=&description.fr=\
&title.ug-Latn=&summary.ug-Latn=&description.ug-Latn=&title.ug-Arab=&summary.ug-Arab=&description.ug-Arab=\
&start=2099-03-10T18:00&end=2099-03-10T19:30&time_zone=America%2FToronto\
&venue_name=Queen%27s+Park&venue_address=&city=Toronto&online_url=&capacity=50&rsvp_open=on&deadline=";

fn sequence_of(feed: &str, title: &str) -> String {
    let event = feed
        .split("BEGIN:VEVENT")
        .find(|e| e.contains(&format!("SUMMARY:{title}")))
        .unwrap_or_else(|| panic!("{title} not in the feed"));
    event
        .split("\r\n")
        .find_map(|l| l.strip_prefix("SEQUENCE:"))
        .unwrap()
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_organiser_creates_edits_translates_cancels_and_duplicates_an_event() {
    let app = team().await;
    let cookie = app.sign_in("aygul").await;
    let me = [(header::COOKIE, cookie.as_str())];
    let created = app.post_with("/organise/events/new", NEW_EVENT, &me).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    assert_eq!(
        created.headers[header::LOCATION],
        "/organise/events/vigil-2027/edit?saved=1"
    );

    let page = app.get("/events/vigil-2027").await.body;
    assert!(page.contains("Candle vigil"));
    assert!(
        page.contains("<strong>Bring</strong> a candle."),
        "Markdown rendered"
    );
    assert!(!page.contains("<script>alert"), "and sanitised");
    assert!(app
        .get("/events/vigil-2027?lang=fr")
        .await
        .body
        .contains("Veillée aux chandelles"));
    let editor = app
        .get_with(
            "/organise/events/vigil-2027/edit?saved=1",
            header::COOKIE,
            &cookie,
        )
        .await;
    assert_eq!(editor.status, StatusCode::OK);
    assert!(editor.body.contains("Saved."));
    assert!(editor.body.contains("value=\"Veillée aux chandelles\""));
    // Another organiser may not touch it; an admin may.
    let bora = app.sign_in("bora").await;
    let theirs = app
        .post_with(
            "/organise/events/vigil-2027/edit",
            NEW_EVENT,
            &[(header::COOKIE, &bora)],
        )
        .await;
    assert_eq!(theirs.status, StatusCode::FORBIDDEN);

    let feed = app.get("/calendar.ics").await.body;
    assert_eq!(sequence_of(&feed, "Candle vigil"), "0");
    // A description change is not one a calendar must flag...
    let described = NEW_EVENT.replace("**Bring**+a+candle.", "Bring+two+candles.");
    app.post_with("/organise/events/vigil-2027/edit", &described, &me)
        .await;
    assert_eq!(
        sequence_of(&app.get("/calendar.ics").await.body, "Candle vigil"),
        "0"
    );
    // ...a new time is, and so is cancelling; the event stays in the feed.
    let moved = described.replace("T18:00", "T18:30");
    let saved = app
        .post_with("/organise/events/vigil-2027/edit", &moved, &me)
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    assert_eq!(
        sequence_of(&app.get("/calendar.ics").await.body, "Candle vigil"),
        "1"
    );
    let cancelled = app
        .post_with(
            "/organise/events/vigil-2027/status",
            "status=cancelled",
            &me,
        )
        .await;
    assert_eq!(cancelled.status, StatusCode::SEE_OTHER);
    let feed = app.get("/calendar.ics").await.body;
    assert_eq!(sequence_of(&feed, "Candle vigil"), "2");
    assert!(
        feed.contains("STATUS:CANCELLED\r\nSUMMARY:Candle vigil"),
        "{feed}"
    );

    // A copy: new address, scheduled again, same texts.
    let copy = app
        .post_with("/organise/events/vigil-2027/duplicate", "", &me)
        .await;
    assert_eq!(
        copy.headers[header::LOCATION],
        "/organise/events/vigil-2027-copy/edit"
    );
    let copied = app.get("/events/vigil-2027-copy").await.body;
    assert!(
        copied.contains("Candle vigil") && !copied.contains("Cancelled"),
        "{copied}"
    );
    // Dropping a translation removes it.
    let english_only = moved.replace("Veill%C3%A9e+aux+chandelles", "");
    app.post_with("/organise/events/vigil-2027-copy/edit", &english_only, &me)
        .await;
    assert!(!app
        .get("/events/vigil-2027-copy?lang=fr")
        .await
        .body
        .contains("Veillée"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_event_input_is_explained_and_nothing_is_stored() {
    let app = team().await;
    let cookie = app.sign_in("aygul").await;
    let me = [(header::COOKIE, cookie.as_str())];
    for (from, to, message) in [
        (
            "time_zone=America%2FToronto",
            "time_zone=Mars%2FOlympus",
            "Unknown time zone.",
        ),
        (
            "start=2099-03-10T18:00&end=2099-03-10T19:30",
            "start=2099-03-08T02:30&end=2099-03-08T04:00",
            "This time does not exist that day",
        ),
        (
            "end=2099-03-10T19:30",
            "end=2099-03-10T17:00",
            "The end must be after the start.",
        ),
        (
            "title.en=Candle+vigil",
            &format!("title.en={}", "x".repeat(141)),
            "Too long: at most 140 characters.",
        ),
        (
            "capacity=50",
            "capacity=0",
            "Choose a number from 1 to 100000.",
        ),
        (
            "slug=vigil-2027",
            "slug=Vigil+2027%21",
            "Only lower-case letters, digits and hyphens.",
        ),
        (
            "slug=vigil-2027",
            "slug=rally-for-the-disappeared",
            "Already taken.",
        ),
        (
            "title.en=Candle+vigil",
            "title.en=Candle+%E2%80%AEvigil",
            "control",
        ),
    ] {
        let body = NEW_EVENT.replace(from, to);
        let answer = app.post_with("/organise/events/new", &body, &me).await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{to}");
        assert!(answer.body.contains(message), "{to}: {message}");
        assert!(answer.body.contains("aria-invalid=\"true\""), "{to}");
    }
    assert_eq!(
        app.get("/events/vigil-2027").await.status,
        StatusCode::NOT_FOUND
    );

    // Capacity below the places already taken (36 in the demo).
    let seminar = NEW_EVENT
        .replace("capacity=50", "capacity=20")
        .replace("slug=vigil-2027&", "");
    let answer = app
        .post_with(
            "/organise/events/seminar-digital-security/edit",
            &seminar,
            &me,
        )
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        answer.body.contains("36 places are already taken."),
        "{}",
        answer.body
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_change_the_name_zone_and_languages_while_the_server_runs() {
    let app = team().await;
    let root = app.sign_in("root").await;
    let me = [(header::COOKIE, root.as_str())];
    let bad = app
        .post_with(
            "/organise/settings",
            "instance_name=&time_zone=Nowhere&default_lang=en",
            &me,
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("Unknown time zone.") && bad.body.contains("Please fill this in."));

    let saved = app
        .post_with(
            "/organise/settings",
            "instance_name=Uyghur+Society&time_zone=America%2FVancouver&languages=fr&languages=ug-Arab&default_lang=fr",
            &me,
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let home = app.get("/").await.body;
    assert!(home.contains("Uyghur Society"));
    assert!(home.contains("lang=\"fr\""), "the new default language");
    assert!(
        !home.contains(">English</button>"),
        "English no longer offered"
    );
    // Times in Toronto are now labelled, the instance being in Vancouver.
    assert!(home.contains("heure locale à Toronto, UTC−5"));
    let log = app
        .get_with("/organise/audit", header::COOKIE, &root)
        .await
        .body;
    assert!(log.contains("changed the settings"));
    // Another app server on the same database follows (at start-up, and
    // every 30 seconds while it runs).
    let defaults = yighin::config::Config::for_database("sqlite://unused.db");
    let other = yighin::state(&defaults, app.site.db.clone()).site;
    assert_eq!(other.settings().instance_name, "Yighin");
    app::services::organise::apply_stored_settings(&other)
        .await
        .unwrap();
    assert_eq!(other.settings().instance_name, "Uyghur Society");
    assert_eq!(other.settings().default_zone, chrono_tz::America::Vancouver);
    let aygul = app.sign_in("aygul").await;
    let refused = app
        .post_with(
            "/organise/settings",
            "instance_name=Mine&time_zone=UTC&languages=en&default_lang=en",
            &[(header::COOKIE, &aygul)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}
