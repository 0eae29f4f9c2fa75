//! Public pages (the lists and event pages) kept rendered, so that a link
//! shared in a crowded group is answered from memory rather than from the
//! database and the renderer for every member who opens it.
//!
//! A kept page is served again only while the events' revision (the one
//! that drives the feeds' validators: every new, changed or deleted event
//! moves it; read at most every [`REVISION_READ_EVERY`]), the changes this
//! process has committed (answers among them) and the instance's settings
//! are those it was rendered under, and for [`FRESH_FOR`] at most: a page's
//! phase (past, closed) moves with the clock, and answers taken by another
//! app server on the same database move no revision. Each
//! response gets a nonce of its own, put into the kept HTML and its policy.

use app::i18n::Lang;
use app::services::{Settings, Site};
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{OwnedRwLockWriteGuard, RwLock};

/// How long a kept page may be served: how late the clock's changes (and,
/// with several app servers, another server's answers) reach a page.
pub const FRESH_FOR: Duration = Duration::from_secs(2);
/// Bytes of pages kept at most, in all; beyond it, pages past their time
/// go first, then any. Only addresses the site's own links make are kept
/// (see [`keepable_query`]), so a stranger's made-up addresses cannot fill it.
const MOST_BYTES: usize = 16 * 1024 * 1024;
/// A page larger than this is not kept.
const MOST_PAGE_BYTES: usize = 512 * 1024;
/// The query parameters of the lists' own links (filters, pager, language).
const KEPT_PARAMETERS: [&str; 4] = ["kind", "city", "page", "lang"];
/// A parameter's value longer than this is no link of the site's.
const LONGEST_VALUE: usize = 64;

/// A page's address (path and query), the language it is shown in, the
/// instance's address it was asked at (its links lead there), and whether
/// it shows posters (the data saver).
type PageKey = (String, Lang, app::services::Reached, bool);

/// The events' revision and last change, and the changes this process
/// has committed.
type Marker = (i64, i64, u64);

/// How long the events' revision, once read, is taken as it is while this
/// process commits no change: how late another app server's change to an
/// event reaches the pages kept here.
pub const REVISION_READ_EVERY: Duration = Duration::from_millis(100);

/// The events' revision as last read, with this process's changes then.
#[derive(Clone, Copy)]
struct ReadRevision {
    marker: Marker,
    read: Instant,
}

#[derive(Clone, Default)]
pub struct PageCache {
    pages: Arc<Mutex<HashMap<PageKey, Arc<KeptPage>>>>,
    /// Pages being rendered: whoever asks for one meanwhile waits for it
    /// rather than rendering it again (the first wave after a change).
    rendering: Arc<Mutex<HashMap<PageKey, Arc<RwLock<()>>>>>,
    revision: Arc<Mutex<Option<ReadRevision>>>,
}

/// A request's part in rendering a page no one kept: render it, or wait
/// for the request that does.
enum Turn {
    Render(Rendering),
    Wait(Arc<RwLock<()>>),
}

/// Held while a page is rendered; when it ends, however it ends, those
/// waiting for the page go on.
struct Rendering {
    cache: PageCache,
    key: PageKey,
    _held: OwnedRwLockWriteGuard<()>,
}

impl Drop for Rendering {
    fn drop(&mut self) {
        let mut rendering = self
            .cache
            .rendering
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        rendering.remove(&self.key);
    }
}

struct KeptPage {
    /// What it was rendered under: see [`Marker`].
    marker: Marker,
    settings: Arc<Settings>,
    rendered: Instant,
    /// The nonce the page was rendered with, replaced in each response.
    nonce: String,
    headers: HeaderMap,
    html: String,
}

/// Whether `path` is a page that is the same for every reader in a
/// language: the lists and an event's page (not its forms' targets).
fn is_public_page(path: &str) -> bool {
    use app::paths::{HOME, PAST};
    path == HOME
        || path == PAST
        || path
            .strip_prefix("/events/")
            .is_some_and(|slug| !slug.is_empty() && !slug.contains('/'))
}

/// Whether a page's query is one the site's own links make: only the
/// lists' filters, pager and language, each once, with short values. Any
/// other address is rendered for its request and not kept.
fn keepable_query(query: Option<&str>) -> bool {
    let mut seen = Vec::new();
    form_urlencoded::parse(query.unwrap_or_default().as_bytes()).all(|(name, value)| {
        let known = KEPT_PARAMETERS.contains(&name.as_ref()) && !seen.contains(&name);
        seen.push(name);
        known && value.len() <= LONGEST_VALUE
    }) && query.is_none_or(|q| q.len() <= KEPT_PARAMETERS.len() * (LONGEST_VALUE * 3 + 8))
}

/// Serves a public page from memory while it holds, else renders it and
/// keeps it.
pub async fn keep_public_pages(
    State((site, cache)): State<(Site, PageCache)>,
    request: Request,
    next: Next,
) -> Response {
    let keepable = request.method() == Method::GET
        && is_public_page(request.uri().path())
        && keepable_query(request.uri().query());
    if !keepable {
        return next.run(request).await;
    }
    let settings = site.settings();
    let lang = app::web::request_lang(&settings, request.uri().query(), request.headers());
    let address = request
        .uri()
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .to_string();
    let key = (
        address,
        lang,
        app::web::reached(request.extensions()),
        app::web::images_shown(request.headers()),
    );
    let Ok(marker) = cache.marker(&site.db).await else {
        return next.run(request).await;
    };
    if let Some(page) = cache.fresh(&key, marker, &settings) {
        return page.response();
    }
    let rendering = match cache.turn(&key) {
        Turn::Render(rendering) => Some(rendering),
        Turn::Wait(gate) => {
            drop(gate.read().await);
            if let Some(page) = cache.fresh(&key, marker, &settings) {
                return page.response();
            }
            None
        }
    };
    let response = next.run(request).await;
    let response = cache.keep(key, marker, settings, response).await;
    drop(rendering);
    response
}

impl PageCache {
    /// What pages are kept under now: the events' revision, read again
    /// once this process has committed a change, or after
    /// [`REVISION_READ_EVERY`]. Read before rendering, so that a kept page
    /// never claims a revision newer than what it shows.
    async fn marker(&self, db: &app::db::Database) -> app::db::DbResult<Marker> {
        let changes = db.changes();
        let last = *self.revision.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(last) = last
            .filter(|last| last.marker.2 == changes && last.read.elapsed() < REVISION_READ_EVERY)
        {
            return Ok(last.marker);
        }
        let (revision, last_change) = app::db::events::change_marker(db).await?;
        let marker = (revision, last_change, changes);
        *self.revision.lock().unwrap_or_else(|p| p.into_inner()) = Some(ReadRevision {
            marker,
            read: Instant::now(),
        });
        Ok(marker)
    }

    fn turn(&self, key: &PageKey) -> Turn {
        let mut rendering = self.rendering.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(gate) = rendering.get(key) {
            return Turn::Wait(gate.clone());
        }
        let gate = Arc::new(RwLock::new(()));
        let held = gate.clone().try_write_owned().expect("a new lock is free");
        rendering.insert(key.clone(), gate);
        Turn::Render(Rendering {
            cache: self.clone(),
            key: key.clone(),
            _held: held,
        })
    }

    fn fresh(
        &self,
        key: &PageKey,
        marker: Marker,
        settings: &Arc<Settings>,
    ) -> Option<Arc<KeptPage>> {
        let pages = self.pages.lock().unwrap_or_else(|p| p.into_inner());
        pages
            .get(key)
            .filter(|page| page.holds(marker, settings))
            .cloned()
    }

    /// Keeps `response` when it is a whole page anyone may be shown (no
    /// cookie set, nothing private), and returns it as it was.
    async fn keep(
        &self,
        key: PageKey,
        marker: Marker,
        settings: Arc<Settings>,
        response: Response,
    ) -> Response {
        let (parts, body) = response.into_parts();
        let headers = &parts.headers;
        let html = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html"));
        let shared = !headers.contains_key(header::SET_COOKIE) && crate::http::shared(headers);
        let nonce = headers
            .get(header::CONTENT_SECURITY_POLICY)
            .and_then(|v| v.to_str().ok())
            .and_then(nonce_of)
            .map(str::to_string);
        let (true, true, StatusCode::OK, Some(nonce)) = (html, shared, parts.status, nonce) else {
            return Response::from_parts(parts, body);
        };
        let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
            return Response::from_parts(parts, Body::empty());
        };
        if let (true, Ok(html)) = (bytes.len() <= MOST_PAGE_BYTES, std::str::from_utf8(&bytes)) {
            let mut kept_headers = parts.headers.clone();
            kept_headers.remove(header::CONTENT_LENGTH);
            let page = KeptPage {
                marker,
                settings,
                rendered: Instant::now(),
                nonce,
                headers: kept_headers,
                html: html.to_string(),
            };
            self.insert(key, page);
        }
        Response::from_parts(parts, Body::from(bytes))
    }

    fn insert(&self, key: PageKey, page: KeptPage) {
        let mut pages = self.pages.lock().unwrap_or_else(|p| p.into_inner());
        // Pages past their time are of no use: gone at each insert.
        pages.retain(|_, kept| kept.rendered.elapsed() < FRESH_FOR);
        let size = |key: &PageKey, page: &KeptPage| key.0.len() + page.html.len();
        let kept: usize = pages.iter().map(|(key, page)| size(key, page)).sum();
        if kept + size(&key, &page) > MOST_BYTES {
            pages.clear();
        }
        pages.insert(key, Arc::new(page));
    }
}

impl KeptPage {
    fn holds(&self, marker: Marker, settings: &Arc<Settings>) -> bool {
        self.marker == marker
            && Arc::ptr_eq(&self.settings, settings)
            && self.rendered.elapsed() < FRESH_FOR
    }

    /// The kept page with a nonce of its own, in its HTML and its policy.
    fn response(&self) -> Response {
        let nonce = leptos::nonce::Nonce::new().to_string();
        let mut response = Response::new(Body::from(Bytes::from(
            self.html.replace(&self.nonce, &nonce),
        )));
        *response.headers_mut() = self.headers.clone();
        let policy = self
            .headers
            .get(header::CONTENT_SECURITY_POLICY)
            .and_then(|v| v.to_str().ok())
            .map(|policy| policy.replace(&self.nonce, &nonce))
            .and_then(|policy| HeaderValue::from_str(&policy).ok());
        if let Some(policy) = policy {
            response
                .headers_mut()
                .insert(header::CONTENT_SECURITY_POLICY, policy);
        }
        response
    }
}

/// The nonce a page's policy allows scripts by.
fn nonce_of(policy: &str) -> Option<&str> {
    let start = policy.find("'nonce-")? + "'nonce-".len();
    let length = policy[start..].find('\'')?;
    Some(&policy[start..start + length]).filter(|nonce| nonce.len() >= 16)
}

#[cfg(test)]
mod tests {
    use super::{is_public_page, keepable_query, nonce_of};

    #[test]
    fn only_the_lists_and_event_pages_are_kept() {
        for public in ["/", "/past", "/events/iftar"] {
            assert!(is_public_page(public), "{public}");
        }
        for other in [
            "/events/",
            "/events/iftar/rsvp",
            "/events/iftar/calendar.ics",
            "/my",
            "/rsvp/abc",
            "/organise",
            "/about",
            "/calendar.ics",
        ] {
            assert!(!is_public_page(other), "{other}");
        }
    }

    #[test]
    fn only_the_queries_of_the_sites_own_links_are_kept() {
        for kept in [
            None,
            Some(""),
            Some("kind=iftar"),
            Some("kind=iftar&city=Toronto&page=2&lang=ug-Arab"),
        ] {
            assert!(keepable_query(kept), "{kept:?}");
        }
        let long = format!("city={}", "x".repeat(65));
        for other in [
            "x=1",
            "kind=iftar&kind=seminar",
            "kind=iftar&utm_source=whatsapp",
            long.as_str(),
        ] {
            assert!(!keepable_query(Some(other)), "{other}");
        }
    }

    #[test]
    fn the_nonce_is_read_from_the_policy() {
        let policy =
            "default-src 'self'; script-src 'nonce-AbCdEfGhIjKlMnOpQrStUv' 'strict-dynamic'";
        assert_eq!(nonce_of(policy), Some("AbCdEfGhIjKlMnOpQrStUv"));
        assert_eq!(nonce_of("default-src 'none'"), None);
        assert_eq!(nonce_of("script-src 'nonce-' 'self'"), None);
    }
}
