//! Calendar files: the routes that are not pages.

use crate::http::Via;
use app::domain::EventKind;
use app::i18n::Lang;
use app::services::calendar::{self, FeedFilter};
use app::services::Site;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct CalendarQuery {
    lang: Option<String>,
    kind: Option<String>,
    city: Option<String>,
    /// Only events written in this language (their text is then in it too,
    /// unless `lang` says otherwise).
    language: Option<String>,
}

const CALENDAR_TYPE: &str = "text/calendar; charset=utf-8";

fn server_error(error: app::db::DbError, what: &str) -> Response {
    app::error::AppError::from_failure(&error, what).into_response()
}

fn http_date(at: i64) -> String {
    chrono::DateTime::from_timestamp(at, 0)
        .unwrap_or_default()
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string()
}

/// The `ETag` a feed is sent with: weak, because the same feed goes out in
/// brotli, gzip or as it is, three representations of one content.
fn weak(etag: &str) -> String {
    format!("W/{etag}")
}

/// Whether the client's copy (named by `If-None-Match`, compared weakly as
/// HTTP says, else dated by `If-Modified-Since`) is still current.
fn unchanged(headers: &HeaderMap, etag: &str, last_change: i64) -> bool {
    crate::http::none_match(headers, etag).unwrap_or_else(|| {
        headers
            .get(header::IF_MODIFIED_SINCE)
            .and_then(|v| v.to_str().ok())
            .and_then(|d| chrono::DateTime::parse_from_rfc2822(d).ok())
            .is_some_and(|since| last_change <= since.timestamp())
    })
}

#[derive(Deserialize)]
pub struct AtomQuery {
    lang: Option<String>,
}

/// `/events.atom`: upcoming public events as an Atom feed, in `lang`.
pub async fn atom_feed(
    State(site): State<Site>,
    Via(reached): Via,
    Query(query): Query<AtomQuery>,
) -> Response {
    let lang = site.settings().lang(query.lang.as_deref());
    match app::services::atom::upcoming_atom(&site, lang, reached, app::services::now()).await {
        Ok(feed) => (
            [
                (header::CONTENT_TYPE, "application/atom+xml; charset=utf-8"),
                (header::CACHE_CONTROL, "public, max-age=300"),
            ],
            feed,
        )
            .into_response(),
        Err(error) => server_error(error, "the Atom feed"),
    }
}

/// `/calendar.ics`: the subscription feed, whole or filtered by `kind`,
/// `city` and `language`. Calendar apps poll it often, so an unchanged feed
/// answers `304`, and is otherwise served from memory, without being built.
pub async fn feed_ics(
    State(site): State<Site>,
    Via(reached): Via,
    Query(query): Query<CalendarQuery>,
    headers: HeaderMap,
) -> Response {
    let written_in = query
        .language
        .as_deref()
        .and_then(Lang::from_tag)
        .filter(|l| site.settings().languages.contains(l));
    let lang = match (query.lang.as_deref(), written_in) {
        (None, Some(written_in)) => written_in,
        (tag, _) => site.settings().lang(tag),
    };
    let filter = FeedFilter {
        kind: query.kind.as_deref().and_then(EventKind::parse),
        city: query.city.clone().filter(|c| !c.is_empty()),
        written_in,
    };
    let result = async {
        let (etag, last_change) = calendar::feed_etag(&site, &filter, lang, reached).await?;
        let validators = [
            (header::ETAG, weak(&etag)),
            (header::LAST_MODIFIED, http_date(last_change)),
            (header::CACHE_CONTROL, "public, max-age=300".to_string()),
        ];
        if unchanged(&headers, &etag, last_change) {
            return Ok((StatusCode::NOT_MODIFIED, validators).into_response());
        }
        let body = calendar::feed_ics(&site, &filter, lang, &etag, reached).await?;
        Ok::<_, app::db::DbError>(
            (
                validators,
                [(header::CONTENT_TYPE, CALENDAR_TYPE)],
                body.to_string(),
            )
                .into_response(),
        )
    };
    result
        .await
        .unwrap_or_else(|error| server_error(error, "calendar feed"))
}

/// `/events/{slug}/calendar.ics`: one event, to add to a calendar.
pub async fn event_ics(
    State(site): State<Site>,
    Via(reached): Via,
    Path(slug): Path<String>,
    Query(query): Query<CalendarQuery>,
) -> Response {
    let lang = site.settings().lang(query.lang.as_deref());
    match calendar::event_ics(&site, &slug, lang, app::services::now(), reached).await {
        Ok(Some(ics)) => (
            [
                (header::CONTENT_TYPE, CALENDAR_TYPE.to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{slug}.ics\""),
                ),
            ],
            ics,
        )
            .into_response(),
        Ok(None) => (StatusCode::NOT_FOUND, "No such event.").into_response(),
        Err(error) => server_error(error, "calendar file"),
    }
}

/// `/my/feed/{token}/calendar.ics`: a device's personal feed of its RSVPs.
/// Private: never stored by caches, and gone once its address is renewed.
pub async fn personal_feed_ics(
    State(site): State<Site>,
    Via(reached): Via,
    Path(token): Path<String>,
    Query(query): Query<CalendarQuery>,
) -> Response {
    let lang = site.settings().lang(query.lang.as_deref());
    match calendar::my_feed_ics(&site, &token, lang, reached).await {
        Ok(Some(ics)) => (
            [
                (header::CONTENT_TYPE, CALENDAR_TYPE),
                (header::CACHE_CONTROL, "private, no-store"),
            ],
            ics,
        )
            .into_response(),
        Ok(None) => (
            StatusCode::NOT_FOUND,
            [(header::CACHE_CONTROL, "no-store")],
            "No such calendar. It may have been replaced by a new address.",
        )
            .into_response(),
        Err(error) => server_error(error, "personal feed"),
    }
}

/// `POST /my/feed/renew`: revokes this device's personal feed address and
/// makes a new one, then shows it on "my RSVPs".
pub async fn renew_personal_feed(State(site): State<Site>, headers: HeaderMap) -> Response {
    let secret = match site.device_secret().await {
        Ok(secret) => secret,
        Err(error) => return server_error(error, "renewing a personal feed"),
    };
    let Some(key) = app::web::device_key(&headers, site.settings().secure_cookies, &secret) else {
        return Redirect::to(app::paths::MY_RSVPS).into_response();
    };
    match calendar::renew_my_feed(&site, key, app::services::now()).await {
        Ok(()) => Redirect::to(&format!("{}#my-feed", app::paths::MY_RSVPS)).into_response(),
        Err(error) => server_error(error, "renewing a personal feed"),
    }
}
