//! Yighin's server: configuration, start-up, and the router.

// Leptos views are deeply nested types.
#![recursion_limit = "256"]

pub mod background;
pub mod backups;
mod bench_routes;
mod calendar;
pub mod commands;
pub mod config;
mod connections;
mod data_saver;
pub mod doctor;
mod embed;
mod guard;
mod http;
pub mod mail;
pub use guard::FEED_REQUESTS_PER_MINUTE;
mod language;
mod organise;
pub mod outbox;
mod page_cache;
mod posters;
pub use page_cache::FRESH_FOR as PAGE_KEPT_FOR;
mod render;
mod rsvp_forms;
mod sharing;
mod site_files;

use app::db::Database;
use app::paths::{self, route};
use app::services::{Settings, Site};
use axum::extract::{FromRef, State};
use axum::http::{header, StatusCode};
use axum::routing::{get, post};
use axum::Router;
use config::Config;
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};

/// Shared by every handler through axum state.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub site: Site,
    pub feeds: guard::FeedLimiter,
    /// Public pages kept rendered.
    pub pages: page_cache::PageCache,
    /// The site's files, in memory.
    pub site_files: site_files::SiteFiles,
    /// The benchmark's comparison routes are served (never in production).
    pub bench_routes: bool,
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot create the data folder: {0}")]
    Storage(std::io::Error),
    #[error("{0}")]
    ClientKey(String),
    #[error("{0}")]
    MailKey(String),
    #[error("copies of the database: {0}")]
    Backup(#[from] backups::BackupError),
    #[error(transparent)]
    Db(#[from] app::db::DbError),
}

/// Connects, migrates and (if asked and empty) loads the demo events.
pub async fn start(config: &Config) -> Result<AppState, StartError> {
    config.prepare_storage().map_err(StartError::Storage)?;
    let client_key = config.client_key().map_err(StartError::ClientKey)?;
    if let Some(recipient) = &config.backup_to {
        backups::check_recipient(recipient)?;
    }
    let db = Database::connect(&config.database_url).await?;
    copy_before_upgrade(config, &db).await?;
    db.migrate().await?;
    // A migration may have deleted what must not stay on disk (the old
    // client key and every count made with it): out of the log too.
    db.flush_deleted().await?;
    let mut state = state(config, db);
    if let Some(key) = client_key {
        state.site = state.site.with_client_key(&key);
    }
    if let Some(key) = config.mail_key().map_err(StartError::MailKey)? {
        state.site = state.site.with_mail_key(key);
    }
    // The organisation's key exists before anything is sealed to it, and
    // answers an earlier version kept in plain text are sealed now.
    app::services::keys::prepare(&state.site, app::services::now()).await?;
    if config.loads_demo() {
        let site = &state.site;
        let loaded = app::demo::load_if_empty(site, app::services::now(), config.time_zone).await?;
        if loaded > 0 {
            tracing::info!(loaded, "demo events loaded into the empty database");
        }
    }
    app::services::organise::note_base_url(&state.site, app::services::now()).await?;
    app::services::organise::apply_stored_settings(&state.site).await?;
    // Ready before the first sign-in, so that no attempt with an unknown
    // name takes longer than the others.
    app::services::accounts::decoy_hash(&state.site).await;
    Ok(state)
}

/// The first schema in which answers are sealed.
const SEALED_ANSWERS_SCHEMA: i64 = 11;

/// On SQLite, a copy of a database whose schema this build will change,
/// taken before it does (kept as long as any other copy).
async fn copy_before_upgrade(config: &Config, db: &Database) -> Result<(), StartError> {
    let Some(dir) = backups::folder(config).filter(|_| db.backend == app::db::Backend::Sqlite)
    else {
        return Ok(());
    };
    let schema = db.schema().await?;
    if !schema.will_upgrade() {
        return Ok(());
    }
    // Before answers were sealed the database held them in plain text:
    // a plain copy of it would keep them so after the upgrade seals them.
    if schema.stored < SEALED_ANSWERS_SCHEMA && config.backup_to.is_none() {
        tracing::warn!(
            from = schema.stored,
            "no copy taken before the upgrade: this database holds answers in plain text, \
             which the upgrade seals; set YIGHIN_BACKUP_TO to have an encrypted copy taken"
        );
        return Ok(());
    }
    let label = format!("before-schema-{}", schema.known);
    let now = app::services::now();
    let copy = backups::take(db, &dir, Some(&label), config.backup_to.as_deref(), now).await?;
    tracing::info!(copy = %copy.display(), from = schema.stored, to = schema.known, "copy taken before the upgrade");
    Ok(())
}

/// Where the site's files are and what they are called.
pub fn leptos_options(config: &Config) -> LeptosOptions {
    let source = config.site_source();
    let folder = match &source {
        site_files::SiteSource::Folder(folder) => folder.to_string_lossy().into_owned(),
        site_files::SiteSource::Carried => String::new(),
    };
    let mut leptos_options = LeptosOptions::builder()
        .output_name("yighin")
        .site_root(folder.as_str())
        .site_pkg_dir("pkg")
        .site_addr(config.listen)
        .build();
    match source {
        site_files::SiteSource::Carried => {
            leptos_options.hash_files = true;
            if let Some(names) = site_files::carried_hash_file() {
                leptos_options.hash_file = names.to_string_lossy().as_ref().into();
            }
        }
        // The build named the site's files by their hashes when it wrote
        // the file that says which.
        site_files::SiteSource::Folder(_) => {
            leptos_options.hash_files =
                site_files::hash_file(&leptos_options).is_some_and(|path| path.exists());
        }
    }
    leptos_options
}

pub fn state(config: &Config, db: Database) -> AppState {
    AppState {
        leptos_options: leptos_options(config),
        feeds: guard::FeedLimiter::default(),
        pages: page_cache::PageCache::default(),
        site_files: site_files::SiteFiles::load(&config.site_source()),
        bench_routes: config.bench_routes,
        site: Site::new(db, settings(config)),
    }
}

/// The instance's settings as the configuration gives them.
fn settings(config: &Config) -> Settings {
    Settings {
        instance_name: config.instance_name.clone(),
        default_zone: config.time_zone,
        default_lang: config.default_lang,
        languages: config.languages.clone(),
        secure_cookies: config.base_url.starts_with("https://"),
        base_url: config.base_url.trim_end_matches('/').to_string(),
        retention_days: config.retention_days,
        client_ip_header: config.client_ip_header.as_ref().map(|h| h.to_string()),
        // Parsed without its final `/` (config::parse_onion_url).
        onion_url: config.onion_url.clone(),
        changed_at: 0,
        // An admin lists them on the settings page.
        embed_origins: Vec::new(),
    }
}

/// The site of a command that serves nothing (a copy, a check): the
/// configuration's settings with those an admin changed on the settings
/// page, such as the retention period.
pub async fn command_site(config: &Config, db: Database) -> Result<Site, app::db::DbError> {
    let site = Site::new(db, settings(config));
    app::services::organise::apply_stored_settings(&site).await?;
    Ok(site)
}

/// The process answers: nothing else is asked.
async fn alive() -> &'static str {
    "ok"
}

/// The database answers and holds this build's schema; else `503`.
async fn ready(State(site): State<Site>) -> axum::response::Response {
    use axum::response::IntoResponse;
    match site.db.schema().await {
        Ok(schema) if schema.is_current() => (StatusCode::OK, "ready").into_response(),
        Ok(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            [(axum::http::header::RETRY_AFTER, "5")],
            "not ready",
        )
            .into_response(),
        Err(error) => app::error::AppError::from_failure(&error, "readiness check").into_response(),
    }
}

/// The app's routes, worked out once per process. Leptos suppresses resource
/// loading process-wide while it generates a route list, so a page being
/// rendered meanwhile (by another router in the same process, as in tests)
/// would wait forever; generating it once, before any rendering, avoids that.
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(app::App)).clone()
}

/// The largest request body accepted, in bytes.
pub const MAX_BODY: usize = 1024 * 1024;

/// The whole application as a router, without a socket, so tests can call it.
pub fn router(state: AppState) -> Router {
    let routes = route_list();
    let site = state.site.clone();
    let context = move || provide_context(site.clone());
    let mut router = Router::new();
    if state.bench_routes {
        router = router
            .route("/bench/plain-list", get(bench_routes::plain_list))
            .route("/bench/bytes", get(bench_routes::bytes));
    }
    router
        .route(paths::HEALTH, get(alive))
        .route(paths::READY, get(ready))
        .route(paths::LANGUAGE, post(language::choose))
        .route(paths::IMAGES, post(data_saver::choose))
        .route(paths::EMBED, get(embed::embed_list))
        .route(route::EVENT_RSVP, post(rsvp_forms::submit))
        .route(route::EVENT_ICS, get(calendar::event_ics))
        .route(route::EVENT_QR, get(sharing::event_qr))
        .route(paths::FEED, get(calendar::feed_ics))
        .route(paths::ATOM_FEED, get(calendar::atom_feed))
        .route(route::PRIVATE, post(rsvp_forms::change))
        .route(route::PRIVATE_CANCEL, post(rsvp_forms::cancel))
        .route(route::REOPEN, post(rsvp_forms::reopen))
        .route(route::MAIL_STOP, post(rsvp_forms::stop_mail))
        .route(paths::RENEW_FEED, post(calendar::renew_personal_feed))
        .route(paths::LOGIN, post(organise::login))
        .route(paths::LOGOUT, post(organise::logout))
        .route(route::DECIDE, post(organise::decide))
        .route(route::ANNOUNCE, post(organise::announce))
        .route(route::CHECK_IN, post(organise::check_in))
        .route(paths::NEW_EVENT, post(organise::create_event))
        .route(route::EDIT, post(organise::edit_event))
        .route(route::STATUS, post(organise::set_status))
        .route(route::DUPLICATE, post(organise::duplicate))
        .route(paths::ACCOUNTS, post(organise::create_account))
        .route(paths::SETTINGS, post(organise::save_settings))
        .route(route::ACCOUNT, post(organise::change_account))
        .route(paths::KEY_RECOVERY, post(organise::new_recovery_key))
        .route(paths::KEY_ROTATE, post(organise::rotate_key))
        .route(route::RSVPS_CSV, get(organise::rsvp_csv))
        .route(route::PERSONAL_FEED, get(calendar::personal_feed_ics))
        .route(route::POSTER, get(posters::public_file))
        .route(route::PRIVATE_POSTER, get(posters::private_file))
        .route(route::ORGANISER_POSTER, get(posters::organiser_file))
        .route(
            route::POSTER_UPLOAD,
            post(posters::upload).layer(axum::extract::DefaultBodyLimit::max(
                posters::MAX_POSTER_REQUEST,
            )),
        )
        .route(route::POSTER_REMOVE, post(posters::remove))
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let options = state.leptos_options.clone();
            move || app::shell(options.clone())
        })
        .route(
            "/api/{*fn_name}",
            get(server_fn_handler).post(server_fn_handler),
        )
        // The site's files are served from memory (below); any other
        // address is a page, or "not found".
        .fallback(leptos_axum::render_app_to_stream_with_context(context, {
            let options = state.leptos_options.clone();
            move || app::shell(options.clone())
        }))
        .layer(axum::middleware::from_fn_with_state(
            (state.site.clone(), state.pages.clone()),
            page_cache::keep_public_pages,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.site.clone(),
            guard::same_site_only,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.site.clone(),
            language::remember_from_url,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            guard::limit_feeds,
        ))
        .layer(axum::middleware::from_fn_with_state(
            site_files::Serving::new(&state.leptos_options, &state.site_files),
            site_files::serve_site_files,
        ))
        // Forms and server functions: an event's texts in four languages
        // fit well within this; a poster's form, with its image, within
        // its own limit.
        .layer(axum::middleware::from_fn(guard::limit_bodies))
        .layer(axum::middleware::from_fn_with_state(
            state.site.clone(),
            guard::security_headers,
        ))
        // Public pages, feeds and files compressed as they go out, for a
        // client that accepts brotli or gzip; the site's files come
        // precompressed (the release build writes `.br` and `.gz` beside
        // each) and pass as they are.
        .layer(
            tower_http::compression::CompressionLayer::new().compress_when({
                use tower_http::compression::predicate::{DefaultPredicate, Predicate};
                DefaultPredicate::new().and(public_answer)
            }),
        )
        // Precompressed files come without it; a cache must know that
        // every answer's bytes depend on what the client accepts.
        .layer(
            tower_http::set_header::SetResponseHeaderLayer::if_not_present(
                header::VARY,
                header::HeaderValue::from_static("accept-encoding"),
            ),
        )
        .with_state(state)
}

/// The application as the onion service's listener serves it: every
/// request marked as having come through Tor (its links lead back to the
/// onion address; see [`app::services::Reached`]).
pub fn onion_router(state: AppState) -> Router {
    router(state).layer(axum::Extension(app::services::Reached::Onion))
}

/// Whether an answer is the same for everyone. A private one (a member's
/// pages, organiser screens) is never compressed: its size would otherwise
/// depend on how much of it repeats what a third party put in the address,
/// and someone watching the network could learn from the size which
/// events a member answered.
fn public_answer(
    _: StatusCode,
    _: axum::http::Version,
    headers: &axum::http::HeaderMap,
    _: &axum::http::Extensions,
) -> bool {
    http::shared(headers)
}

async fn server_fn_handler(
    State(site): State<Site>,
    request: axum::extract::Request,
) -> impl axum::response::IntoResponse {
    leptos_axum::handle_server_fns_with_context(move || provide_context(site.clone()), request)
        .await
}
