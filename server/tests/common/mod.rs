//! A router on a fresh SQLite file (or PostgreSQL database) with the demo
//! events, called without a socket.
#![allow(dead_code)]

pub mod smtp;

use app::domain::{EventDraft, EventKind};
use app::i18n::Lang;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use tower::ServiceExt;
use yighin::config::Config;

pub struct TestApp {
    pub router: Router,
    pub site: app::services::Site,
    dir: Option<tempfile::TempDir>,
    /// The organisation's recovery key, as `yighin create-admin` prints it
    /// to the first admin (set when the first account is made).
    recovery_key: std::sync::Mutex<Option<String>>,
    /// Where the database is (empty for another server on the same one).
    pub database_url: String,
}

pub async fn app() -> TestApp {
    app_with(|_| {}).await
}

/// An app on a new SQLite file with demo events, configured by `adjust`.
pub async fn app_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("data/yighin.db").display());
    let mut config = Config::for_database(&url);
    config.demo = Some(true);
    adjust(&mut config);
    let state = yighin::start(&config).await.unwrap();
    TestApp {
        recovery_key: Default::default(),
        database_url: url,
        site: state.site.clone(),
        router: yighin::router(state),
        dir: Some(dir),
    }
}

/// An app with an onion service at `onion_url`, configured by `adjust`:
/// its public router and its onion listener's, over one state (as one
/// process serves both).
pub async fn app_and_onion(
    onion_url: &str,
    adjust: impl FnOnce(&mut Config),
) -> (TestApp, TestApp) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("data/yighin.db").display());
    let mut config = Config::for_database(&url);
    config.demo = Some(true);
    config.onion_url = Some(onion_url.to_string());
    adjust(&mut config);
    let state = yighin::start(&config).await.unwrap();
    let mut onion = TestApp::from_state(state.clone());
    onion.router = yighin::onion_router(state.clone());
    let mut public = TestApp::from_state(state);
    public.dir = Some(dir);
    public.database_url = url;
    (public, onion)
}

/// The same app on each backend: a new SQLite file, and a new PostgreSQL
/// database when `TEST_POSTGRES_URL` names a server (required when
/// `YIGHIN_REQUIRE_POSTGRES` is set, as the test command sets it).
pub async fn apps_with(adjust: impl Fn(&mut Config)) -> Vec<TestApp> {
    let mut apps = vec![app_with(&adjust).await];
    let Some(url) = postgres_url("router").await else {
        return apps;
    };
    let mut config = Config::for_database(&url);
    config.demo = Some(true);
    adjust(&mut config);
    let mut postgres = TestApp::from_state(yighin::start(&config).await.unwrap());
    postgres.database_url = url;
    apps.push(postgres);
    apps
}

/// A new, empty PostgreSQL database when `TEST_POSTGRES_URL` names a
/// server (required when `YIGHIN_REQUIRE_POSTGRES` is set, as the test
/// command sets it): its URL.
pub async fn postgres_url(purpose: &str) -> Option<String> {
    let Ok(admin_url) = std::env::var("TEST_POSTGRES_URL") else {
        assert!(
            std::env::var("YIGHIN_REQUIRE_POSTGRES").is_err(),
            "YIGHIN_REQUIRE_POSTGRES is set but TEST_POSTGRES_URL is not"
        );
        return None;
    };
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let name = format!(
        "yighin_{purpose}_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    );
    let admin = app::db::Database::connect(&admin_url).await.unwrap();
    for statement in [
        format!("DROP DATABASE IF EXISTS {name}"),
        format!("CREATE DATABASE {name}"),
    ] {
        sqlx::query(&statement).execute(&admin.pool).await.unwrap();
    }
    admin.close().await;
    let base = admin_url.rsplit_once('/').unwrap().0;
    Some(format!("{base}/{name}"))
}

pub async fn apps() -> Vec<TestApp> {
    apps_with(|_| {}).await
}

/// The personal feed address "My RSVPs" shows, as a path.
pub fn feed_path(my_page: &str) -> String {
    let url = my_page
        .split("id=\"my-feed-url\" type=\"text\" readonly value=\"")
        .nth(1)
        .expect("a personal feed address")
        .split('"')
        .next()
        .unwrap()
        .replace("&amp;", "&");
    url.strip_prefix("http://127.0.0.1:3000")
        .unwrap()
        .to_string()
}

pub struct Answer {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Answer {
    /// The cookie this answer set, as a `Cookie` header sends it back.
    pub fn cookie(&self) -> String {
        let set = self.headers[header::SET_COOKIE].to_str().unwrap();
        set.split(';').next().unwrap().to_string()
    }
}

impl TestApp {
    /// Another app server over the same database (built by `state`).
    pub fn from_state(state: yighin::AppState) -> TestApp {
        TestApp {
            site: state.site.clone(),
            router: yighin::router(state),
            dir: None,
            recovery_key: Default::default(),
            database_url: String::new(),
        }
    }

    /// The SQLite file of this app, as a copy of it would hold it (`None`
    /// on PostgreSQL).
    pub fn database_file(&self) -> Option<std::path::PathBuf> {
        Some(self.dir.as_ref()?.path().join("data/yighin.db"))
    }

    pub fn backend(&self) -> app::db::Backend {
        self.site.db.backend
    }

    /// Stores a meeting in Toronto, as of `now`.
    pub async fn add_meeting(&self, slug: &str, title: &str, start: &str, end: &str, now: i64) {
        let draft = EventDraft {
            city: "Toronto".into(),
            ..EventDraft::titled(
                slug,
                EventKind::Meeting,
                (Lang::En, title),
                start,
                end,
                "America/Toronto",
            )
        };
        app::db::events::insert(&self.site.db, &draft.validate().unwrap(), None, now)
            .await
            .unwrap();
    }

    pub async fn send(&self, request: Request<Body>) -> Answer {
        let (status, headers, bytes) = self.send_raw(request).await;
        Answer {
            status,
            headers,
            body: String::from_utf8(bytes).unwrap(),
        }
    }

    /// The answer's bytes as sent (compressed, say).
    pub async fn send_raw(
        &self,
        request: Request<Body>,
    ) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        (status, headers, bytes.to_vec())
    }

    pub async fn get(&self, uri: &str) -> Answer {
        self.send(Request::get(uri).body(Body::empty()).unwrap())
            .await
    }

    pub async fn post_form(&self, uri: &str, body: &'static str) -> Answer {
        let request = Request::post(uri)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        self.send(request).await
    }

    pub async fn get_with(&self, uri: &str, name: header::HeaderName, value: &str) -> Answer {
        self.send(
            Request::get(uri)
                .header(name, value)
                .body(Body::empty())
                .unwrap(),
        )
        .await
    }

    /// A request with a form body and extra headers (a cookie, an origin).
    pub async fn post_with(
        &self,
        uri: &str,
        body: &str,
        headers: &[(header::HeaderName, &str)],
    ) -> Answer {
        let mut request =
            Request::post(uri).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        for (name, value) in headers {
            request = request.header(name, *value);
        }
        self.send(request.body(Body::from(body.to_string())).unwrap())
            .await
    }

    /// Creates an account with a known password; returns its id.
    pub async fn account(&self, username: &str, role: app::accounts::Role) -> i64 {
        let form = app::accounts::NewAccountForm {
            username: username.into(),
            display_name: String::new(),
            password: format!("{username} has a long password"),
            role: role.as_str().into(),
        };
        // Made as `yighin create-admin` makes admins: the first takes the
        // organisation's key (and is given the recovery key), the later
        // ones get it through the recovery key.
        let keys = app::services::keys::waits_for_first_admin(&self.site)
            .await
            .unwrap();
        let opener = match self.recovery_key() {
            Some(recovery) if !keys => {
                app::services::keys::opener_from_recovery_key(&self.site, &recovery)
                    .await
                    .unwrap()
                    .expect("the recovery key opens the organisation's key")
            }
            _ => Default::default(),
        };
        let now = app::services::now();
        let id = app::services::accounts::create_account(&self.site, None, &opener, &form, now)
            .await
            .unwrap();
        if keys {
            let account = app::db::accounts::by_id(&self.site.db, id)
                .await
                .unwrap()
                .unwrap()
                .info();
            let password = zeroize::Zeroizing::new(form.password.clone());
            let (_, recovery) = app::services::keys::take_unclaimed(
                &self.site, &account, password, None, true, now,
            )
            .await
            .unwrap()
            .expect("the key waited for the first admin");
            *self.recovery_key.lock().unwrap() = recovery.map(|r| r.to_string());
        }
        id
    }

    /// The recovery key the first account made was given.
    pub fn recovery_key(&self) -> Option<String> {
        self.recovery_key.lock().unwrap().clone()
    }

    /// Signs in through the form; returns the `Cookie` header to send.
    pub async fn sign_in(&self, username: &str) -> String {
        let body = format!("username={username}&password={username}+has+a+long+password");
        let answer = self.post_with("/organise/login", &body, &[]).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
        answer.cookie()
    }

    /// Makes an account the organiser of the event with this slug.
    pub async fn assign(&self, slug: &str, account_id: i64) {
        let event = app::db::events::by_slug(&self.site.db, slug, Lang::En)
            .await
            .unwrap()
            .unwrap();
        let mut conn = self.site.db.pool.acquire().await.unwrap();
        app::db::events::set_organiser(&mut conn, event.id, Some(account_id))
            .await
            .unwrap();
    }

    /// Saves the event editor's form of `slug` as the signed-in `cookie`
    /// sees it, with `change` made to its fields first.
    pub async fn edit_event(
        &self,
        cookie: &str,
        slug: &str,
        change: impl FnOnce(&mut Vec<(String, String)>),
    ) -> Answer {
        let now = app::services::now();
        let token = cookie.split('=').nth(1).unwrap();
        let account = app::services::accounts::session(&self.site, token, now)
            .await
            .unwrap()
            .unwrap();
        let mut values =
            app::services::organise::event_form(&self.site, &account, Some(slug), Lang::En)
                .await
                .unwrap()
                .values;
        change(&mut values);
        let body: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(values.iter().filter(|(_, v)| !v.is_empty()))
            .finish();
        self.post_with(
            &format!("/organise/events/{slug}/edit"),
            &body,
            &[
                (header::COOKIE, cookie),
                (header::ORIGIN, "http://127.0.0.1:3000"),
            ],
        )
        .await
    }
}

/// A port no one listens on now, for a real server started by a test.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// All a command printed, standard output then standard error.
pub fn said(output: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}
