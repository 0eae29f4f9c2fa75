//! What a copy of the database, an infiltrator with a private link, a burst
//! of requests or a sibling site could do, tried through the real router.

mod common;

use app::accounts::Role;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::{apps, apps_with, TestApp};
use leptos::server_fn::ServerFn;
use std::collections::HashSet;

fn forwarded(ip: &str) -> [(header::HeaderName, &str); 1] {
    [(header::HeaderName::from_static("x-forwarded-for"), ip)]
}

/// Every text the database file, its write-ahead log and shared memory hold
/// (nothing on PostgreSQL, whose tables the tests read instead).
fn database_bytes(app: &TestApp) -> Vec<u8> {
    let Some(file) = app.database_file() else {
        return Vec::new();
    };
    let mut bytes = Vec::new();
    for suffix in ["", "-wal", "-shm"] {
        let path = format!("{}{suffix}", file.display());
        bytes.extend(std::fs::read(path).unwrap_or_default());
    }
    bytes
}

fn holds(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_copy_of_the_database_leads_back_to_no_address_and_no_name() {
    for app in apps_with(|c| c.client_ip_header = Some("x-forwarded-for".parse().unwrap())).await {
        a_copy_of_the_database_leads_back_to_no_address_and_no_name_on(app).await;
    }
}

async fn a_copy_of_the_database_leads_back_to_no_address_and_no_name_on(app: TestApp) {
    app.account("aygul", Role::Organiser).await;
    // A day of answers and sign-ins from a small network.
    let addresses: Vec<String> = (1..=40).map(|n| format!("203.0.113.{n}")).collect();
    for ip in &addresses {
        let answer = app
            .post_with(
                "/events/navruz-celebration/rsvp",
                "answer=maybe&name=N",
                &forwarded(ip),
            )
            .await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER);
    }
    for ip in &addresses[..3] {
        app.post_with(
            "/organise/login",
            "username=aygul&password=wrong+password+here",
            &forwarded(ip),
        )
        .await;
        app.post_with(
            "/organise/login",
            "username=nobody&password=wrong+password+here",
            &forwarded(ip),
        )
        .await;
    }
    let db = &app.site.db;
    // No key in the database to hash addresses with.
    let values: Vec<(String, String)> = sqlx::query_as("SELECT name, value FROM instance_values")
        .fetch_all(&db.pool)
        .await
        .unwrap();
    assert!(
        values.iter().all(|(name, _)| name != "client_key"),
        "{values:?}"
    );
    let buckets: HashSet<String> = sqlx::query_scalar("SELECT bucket FROM rate_counts")
        .fetch_all(&db.pool)
        .await
        .unwrap()
        .into_iter()
        .collect();
    assert!(!buckets.is_empty());
    // Everything an attacker with the copy could key a hash with (nothing,
    // or any value the database holds), tried on every address: none of
    // the buckets comes out.
    let mut keys: Vec<String> = vec![String::new()];
    keys.extend(values.into_iter().map(|(_, value)| value));
    for ip in addresses
        .iter()
        .map(String::as_str)
        .chain(["aygul", "nobody"])
    {
        let mut guesses = vec![app::secrets::token_hash(ip)];
        for key in &keys {
            guesses.push(app::secrets::derived_token(key, ip));
        }
        for guess in guesses {
            assert!(
                buckets.iter().all(|b| !b.ends_with(&guess)),
                "{ip} recovered from {guess}"
            );
        }
    }
    let bytes = database_bytes(&app);
    for ip in &addresses {
        assert!(!holds(&bytes, ip), "{ip} in the database file");
    }
    assert!(!holds(&bytes, &app::secrets::token_hash("nobody")));

    // Counts go once their window has passed: the next day holds none.
    let tomorrow = app::services::now() + 86_400;
    app::services::limits::sweep(&app.site, tomorrow)
        .await
        .unwrap();
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM rate_counts")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(left, 0);
    // Nor does the file or its log, on SQLite.
    let bytes = database_bytes(&app);
    for bucket in &buckets {
        assert!(
            !holds(&bytes, bucket),
            "{bucket} still in the database file"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_sessions_are_deleted() {
    for app in apps().await {
        expired_sessions_are_deleted_on(app).await;
    }
}

async fn expired_sessions_are_deleted_on(app: TestApp) {
    app.account("aygul", Role::Organiser).await;
    let cookie = app.sign_in("aygul").await;
    let count = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM sessions")
            .fetch_one(&app.site.db.pool)
            .await
            .unwrap()
    };
    assert_eq!(count().await, 1);
    app::services::limits::sweep(&app.site, app::services::now() + 60)
        .await
        .unwrap();
    assert_eq!(count().await, 1, "a live session stays");
    let later = app::services::now() + app::services::accounts::SESSION_IDLE + 1;
    app::services::limits::sweep(&app.site, later)
        .await
        .unwrap();
    assert_eq!(count().await, 0);
    assert_eq!(
        app.get_with("/organise", header::COOKIE, &cookie)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_the_purge_no_old_link_opens_anything() {
    for app in apps().await {
        after_the_purge_no_old_link_opens_anything_on(app).await;
    }
}

async fn after_the_purge_no_old_link_opens_anything_on(app: TestApp) {
    let site = &app.site;
    // Answered while the event was on, from a device.
    let slug = "navruz-celebration";
    let event = app::db::events::by_slug(&site.db, slug, app::i18n::Lang::En)
        .await
        .unwrap()
        .unwrap();
    let secret = site.device_secret().await.unwrap();
    let device_key = app::secrets::new_device_key(&secret);
    let device = format!("yighin_member={device_key}");
    let form = app::rsvp::RsvpForm {
        answer: "going".into(),
        name: "Canary Purged".into(),
        ..Default::default()
    };
    let answered_at = event.starts_at - 3600;
    let submitted = app::services::rsvp::submit(site, slug, &form, &device_key, answered_at)
        .await
        .unwrap();
    let link = app::paths::private(&submitted.token);
    assert_eq!(app.get(&link).await.status, StatusCode::OK);
    let mine = app.get_with("/my", header::COOKIE, &device).await.body;
    assert!(mine.contains("Navruz celebration"));
    let feed = common::feed_path(&mine);
    assert_eq!(app.get(&feed).await.status, StatusCode::OK);
    let reopen = mine
        .split("action=\"/my/")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();

    // 31 days after the event.
    let purged = app::services::purge(site, event.ends_at + 31 * 86_400)
        .await
        .unwrap();
    assert!(purged >= 1);
    let page = app.get(&link).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(!page.body.contains("You are going"));
    assert_eq!(app.get(&feed).await.status, StatusCode::NOT_FOUND);
    let reopened = app
        .send(
            Request::post(format!("/my/{reopen}"))
                .header(header::COOKIE, &device)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(reopened.status, StatusCode::NOT_FOUND);
    let mine = app.get_with("/my", header::COOKIE, &device).await.body;
    assert!(mine.contains("No answers from this device yet."));
    // Only the counts stay: the answer's hash of its link is gone too, and
    // when it was given is the event's start for every answer.
    let stored: Vec<(String, String, String, i64, i64, i64)> = sqlx::query_as(
        "SELECT token_hash, member_hash, display_name, created_at, updated_at, queued_at \
         FROM rsvps WHERE event_id = $1 AND purged_at IS NOT NULL",
    )
    .bind(event.id)
    .fetch_all(&site.db.pool)
    .await
    .unwrap();
    assert!(!stored.is_empty());
    for (token_hash, member_hash, name, created, updated, queued) in stored {
        assert!(token_hash.starts_with("purged-"), "{token_hash}");
        assert_eq!((member_hash.as_str(), name.as_str()), ("", ""));
        assert_eq!([created, updated, queued], [event.starts_at; 3]);
    }
    let feeds: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM member_feeds")
        .fetch_one(&site.db.pool)
        .await
        .unwrap();
    assert_eq!(feeds, 0, "the device's feed had no answer left");
    // When the device answers again, its feed has a new address: the old
    // one never comes back.
    let again = app
        .post_with(
            "/events/seminar-digital-security/rsvp",
            "answer=maybe&name=Nur",
            &[(header::COOKIE, &device)],
        )
        .await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    let mine = app.get_with("/my", header::COOKIE, &device).await.body;
    let new_feed = common::feed_path(&mine);
    assert_ne!(new_feed, feed);
    assert_eq!(app.get(&new_feed).await.status, StatusCode::OK);
    assert_eq!(app.get(&feed).await.status, StatusCode::NOT_FOUND);
}

/// A sign-in through the form, from `client`.
fn sign_in(username: &str, password: &str, client: &str) -> Request<Body> {
    Request::post("/organise/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("x-forwarded-for", client)
        .body(Body::from(format!(
            "username={username}&password={password}"
        )))
        .unwrap()
}

/// Sends `requests` all at once, over the given app servers in turn; the
/// statuses.
async fn at_once(apps: &[&TestApp], requests: Vec<Request<Body>>) -> Vec<StatusCode> {
    let tasks: Vec<_> = requests
        .into_iter()
        .enumerate()
        .map(|(i, request)| {
            let router = apps[i % apps.len()].router.clone();
            tokio::spawn(async move {
                use tower::ServiceExt;
                router.oneshot(request).await.unwrap().status()
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }
    statuses
}

/// `n` sign-ins to aygul's account from as many clients, the `right`-th
/// with the right password.
fn guesses(n: usize, right: Option<usize>) -> Vec<Request<Body>> {
    (0..n)
        .map(|i| {
            let password = if Some(i) == right {
                "aygul+has+a+long+password"
            } else {
                "wrong+password+here"
            };
            sign_in("aygul", password, &format!("198.51.100.{}", i % 200))
        })
        .collect()
}

fn judged(statuses: &[StatusCode]) -> usize {
    statuses
        .iter()
        .filter(|s| **s != StatusCode::TOO_MANY_REQUESTS)
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_limits_hold_whatever_arrives_at_once() {
    let header = || Some("x-forwarded-for".parse().unwrap());
    for app in apps_with(|c| c.client_ip_header = header()).await {
        sign_in_limits_on(app).await;
    }
    // Two app servers on one database, each with a key of its own: the
    // account's limit is theirs together.
    for two in apps_with(|c| c.client_ip_header = header()).await {
        two.account("aygul", Role::Organiser).await;
        let mut config = yighin::config::Config::for_database("sqlite://unused.db");
        config.client_ip_header = header();
        let other = TestApp::from_state(yighin::state(&config, two.site.db.clone()));
        let statuses = at_once(&[&two, &other], guesses(40, None)).await;
        assert_eq!(judged(&statuses), 5, "{:?}: {statuses:?}", two.backend());
    }
}

async fn sign_in_limits_on(app: TestApp) {
    app.account("aygul", Role::Organiser).await;
    let statuses = at_once(&[&app], guesses(40, None)).await;
    assert_eq!(judged(&statuses), 5, "{statuses:?}");
    assert!(statuses
        .iter()
        .all(|s| *s == StatusCode::UNAUTHORIZED || *s == StatusCode::TOO_MANY_REQUESTS));
    // The right password, sent after or among 99 wrong ones, is not judged
    // once the window holds five failures.
    let statuses = at_once(&[&app], guesses(100, Some(50))).await;
    assert_eq!(judged(&statuses), 0, "{statuses:?}");

    // Per client: twenty failures over many accounts, then no more.
    for n in 0..30 {
        app.account(&format!("user{n}"), Role::Organiser).await;
    }
    let requests = (0..30)
        .map(|n| sign_in(&format!("user{n}"), "wrong+password+here", "192.0.2.9"))
        .collect();
    let statuses = at_once(&[&app], requests).await;
    assert_eq!(judged(&statuses), 20, "{statuses:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_key_planted_by_another_site_is_ignored() {
    for app in apps().await {
        a_device_key_planted_by_another_site_is_ignored_on(app).await;
    }
}

async fn a_device_key_planted_by_another_site_is_ignored_on(app: TestApp) {
    let planted = "yighin_member=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    let forged = format!(
        "yighin_member={}",
        app::secrets::new_device_key("a secret of another site")
    );
    for cookie in [planted, forged.as_str()] {
        let answer = app
            .post_with(
                "/events/navruz-celebration/rsvp",
                "answer=maybe&name=Nur",
                &[(header::COOKIE, cookie)],
            )
            .await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER);
        // A key of the server's own is issued instead, and the planted one
        // finds nothing.
        let issued = answer.cookie();
        assert_ne!(issued, cookie);
        assert!(app
            .get_with("/my", header::COOKIE, &issued)
            .await
            .body
            .contains("Navruz"));
        let page = app.get_with("/my", header::COOKIE, cookie).await.body;
        assert!(
            page.contains("No answers from this device yet."),
            "{cookie}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_tls_the_device_and_language_cookies_are_host_only_and_secure() {
    for app in apps_with(|c| c.base_url = "https://events.example.org".into()).await {
        over_tls_the_device_and_language_cookies_are_host_only_and_secure_on(app).await;
    }
}

async fn over_tls_the_device_and_language_cookies_are_host_only_and_secure_on(app: TestApp) {
    let answer = app
        .post_with(
            "/events/navruz-celebration/rsvp",
            "answer=maybe&name=Nur",
            &[],
        )
        .await;
    let set = answer.headers[header::SET_COOKIE].to_str().unwrap();
    assert!(set.starts_with("__Host-yighin_member="), "{set}");
    assert!(set.contains("; Secure") && set.contains("; Path=/") && !set.contains("Domain"));
    // A sibling site can set `yighin_member` for the whole domain, but not
    // the `__Host-` cookie: the unprefixed one is not read over TLS.
    let key = answer.cookie();
    let sibling = key.replacen("__Host-", "", 1);
    let page = app.get_with("/my", header::COOKIE, &sibling).await.body;
    assert!(page.contains("No answers from this device yet."));
    assert!(app
        .get_with("/my", header::COOKIE, &key)
        .await
        .body
        .contains("Navruz"));

    let language = app.post_with("/language", "lang=fr&back=/", &[]).await;
    let set = language.headers[header::SET_COOKIE].to_str().unwrap();
    assert!(
        set.starts_with("lang=fr;") && set.contains("; Secure"),
        "{set}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_event_cannot_last_for_ever_nor_slow_a_feed() {
    for app in apps().await {
        an_event_cannot_last_for_ever_nor_slow_a_feed_on(app).await;
    }
}

async fn an_event_cannot_last_for_ever_nor_slow_a_feed_on(app: TestApp) {
    app.account("root", Role::Admin).await;
    let root = app.sign_in("root").await;
    let form = "slug=forever&kind=meeting&title.en=Forever&original_lang=en\
        &start=2027-01-01T10:00&end=9999-01-01T10:00&time_zone=America%2FToronto&rsvp_open=on";
    let answer = app
        .post_with("/organise/events/new", form, &[(header::COOKIE, &root)])
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        answer.body.contains("An event can last at most 14 days."),
        "{}",
        answer.body
    );
    assert_eq!(
        app.get("/events/forever").await.status,
        StatusCode::NOT_FOUND
    );

    // Imported events thousands of years apart cost the feed a few
    // observances, not a walk through the years.
    let file = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//x//EN\r\n\
        BEGIN:VEVENT\r\nUID:old@example.org\r\nDTSTAMP:20260101T000000Z\r\n\
        DTSTART;TZID=America/Toronto:19010601T100000\r\nDTEND;TZID=America/Toronto:19010601T110000\r\n\
        SUMMARY:Long ago\r\nEND:VEVENT\r\n\
        BEGIN:VEVENT\r\nUID:far@example.org\r\nDTSTAMP:20260101T000000Z\r\n\
        DTSTART;TZID=America/Toronto:99980601T100000\r\nDTEND;TZID=America/Toronto:99980601T110000\r\n\
        SUMMARY:Far ahead\r\nEND:VEVENT\r\n\
        BEGIN:VEVENT\r\nUID:long@example.org\r\nDTSTAMP:20260101T000000Z\r\n\
        DTSTART;TZID=America/Toronto:20270101T100000\r\nDTEND;TZID=America/Toronto:20300101T100000\r\n\
        SUMMARY:Three years\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let options = app::services::import::ImportOptions {
        kind: app::domain::EventKind::Other,
        lang: app::i18n::Lang::En,
        zone: chrono_tz::America::Toronto,
    };
    let report =
        app::services::import::import(&app.site, file.as_bytes(), &options, app::services::now())
            .await
            .unwrap();
    assert_eq!(report.created, 2, "{report}");
    assert_eq!(report.skipped.len(), 1, "the three-year event: {report}");
    let started = std::time::Instant::now();
    let feed = app.get("/calendar.ics").await;
    assert_eq!(feed.status, StatusCode::OK);
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
    let toronto = feed
        .body
        .split("BEGIN:VTIMEZONE\r\nTZID:America/Toronto")
        .nth(1)
        .unwrap()
        .split("END:VTIMEZONE")
        .next()
        .unwrap();
    let observances =
        toronto.matches("BEGIN:STANDARD").count() + toronto.matches("BEGIN:DAYLIGHT").count();
    assert!(observances < 60, "{observances} observances");
    assert!(feed.body.contains("SUMMARY:Far ahead"));
}

/// Every kind of request this instance answers, for the outage test.
async fn every_kind_of_request(
    app: &TestApp,
    cookie: &str,
    device: &str,
) -> Vec<(String, common::Answer)> {
    let server_fn = |path: &str, body: &str| {
        Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body.to_string()))
            .unwrap()
    };
    vec![
        ("list page".into(), app.get("/").await),
        (
            "event page".into(),
            app.get("/events/navruz-celebration").await,
        ),
        ("archive".into(), app.get("/past").await),
        (
            "my rsvps".into(),
            app.get_with("/my", header::COOKIE, device).await,
        ),
        (
            "private page".into(),
            app.get("/rsvp/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
                .await,
        ),
        ("feed".into(), app.get("/calendar.ics").await),
        (
            "event file".into(),
            app.get("/events/navruz-celebration/calendar.ics").await,
        ),
        (
            "answer form".into(),
            app.post_form("/events/navruz-celebration/rsvp", "answer=maybe&name=N")
                .await,
        ),
        (
            "list server function".into(),
            app.send(server_fn(app::api::ListEvents::PATH, "past=false&lang=en"))
                .await,
        ),
        (
            "event server function".into(),
            app.send(server_fn(
                app::api::LoadEvent::PATH,
                "slug=navruz-celebration&lang=en",
            ))
            .await,
        ),
        (
            "answer server function".into(),
            app.send(server_fn(
                app::api::SubmitRsvp::PATH,
                "slug=navruz-celebration&answer=maybe&guests=0&name=N&contact=&note=",
            ))
            .await,
        ),
        (
            "organiser page".into(),
            app.get_with("/organise", header::COOKIE, cookie).await,
        ),
        (
            "sign-in".into(),
            app.post_form("/organise/login", "username=root&password=x")
                .await,
        ),
        (
            "csv".into(),
            app.get_with(
                "/organise/events/navruz-celebration/rsvps.csv",
                header::COOKIE,
                cookie,
            )
            .await,
        ),
        ("readiness".into(), app.get("/readyz").await),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_out_of_reach_is_a_503_everywhere_never_a_200() {
    for app in apps().await {
        a_database_out_of_reach_is_a_503_everywhere_never_a_200_on(app).await;
    }
}

async fn a_database_out_of_reach_is_a_503_everywhere_never_a_200_on(app: TestApp) {
    app.account("root", Role::Admin).await;
    let root = app.sign_in("root").await;
    let secret = app.site.device_secret().await.unwrap();
    let device = format!("yighin_member={}", app::secrets::new_device_key(&secret));
    // Up: every one of them answers as usual.
    for (what, answer) in every_kind_of_request(&app, &root, &device).await {
        assert!(answer.status.as_u16() < 500, "{what}: {}", answer.status);
    }
    app.site.db.close().await;
    for (what, answer) in every_kind_of_request(&app, &root, &device).await {
        assert_eq!(
            answer.status,
            StatusCode::SERVICE_UNAVAILABLE,
            "{what}: {}",
            answer.body
        );
        assert_eq!(answer.headers[header::RETRY_AFTER], "5", "{what}");
        assert!(
            !answer.body.contains("internal error"),
            "{what}: {}",
            answer.body
        );
    }
    // The process itself is alive all the same.
    assert_eq!(app.get("/healthz").await.status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_feed_changes_when_the_name_or_address_it_shows_changes() {
    for app in apps().await {
        a_feed_changes_when_the_name_or_address_it_shows_changes_on(app).await;
    }
}

async fn a_feed_changes_when_the_name_or_address_it_shows_changes_on(app: TestApp) {
    app.account("root", Role::Admin).await;
    let first = app.get("/calendar.ics").await;
    let etag = first.headers[header::ETAG].to_str().unwrap().to_string();
    assert_eq!(
        app.get_with("/calendar.ics", header::IF_NONE_MATCH, &etag)
            .await
            .status,
        StatusCode::NOT_MODIFIED
    );
    // An admin renames the instance, a minute later.
    let root = app::db::accounts::by_username(&app.site.db, "root")
        .await
        .unwrap()
        .unwrap()
        .info();
    let pairs: Vec<(String, String)> = [
        ("instance_name", "Uyghur Society"),
        ("time_zone", "America/Toronto"),
        ("languages", "en"),
        ("default_lang", "en"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    app::services::organise::save_settings(&app.site, &root, &pairs, app::services::now() + 60)
        .await
        .unwrap();
    let renamed = app
        .get_with("/calendar.ics", header::IF_NONE_MATCH, &etag)
        .await;
    assert_eq!(renamed.status, StatusCode::OK);
    assert!(renamed.body.contains("X-WR-CALNAME:Uyghur Society"));
    let since = first.headers[header::LAST_MODIFIED]
        .to_str()
        .unwrap()
        .to_string();
    let by_date = app
        .get_with("/calendar.ics", header::IF_MODIFIED_SINCE, &since)
        .await;
    assert_eq!(by_date.status, StatusCode::OK, "the date moved too");

    // A server started under a new address serves a changed feed.
    let etag = renamed.headers[header::ETAG].to_str().unwrap().to_string();
    let mut config = yighin::config::Config::for_database("sqlite://unused.db");
    config.base_url = "https://events.example.org".into();
    let moved = TestApp::from_state(yighin::state(&config, app.site.db.clone()));
    app::services::organise::note_base_url(&moved.site, app::services::now())
        .await
        .unwrap();
    app::services::organise::apply_stored_settings(&moved.site)
        .await
        .unwrap();
    let answer = moved
        .get_with("/calendar.ics", header::IF_NONE_MATCH, &etag)
        .await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(answer.body.contains("@events.example.org"));
}
