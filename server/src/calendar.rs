//! Calendar files: the routes that are not pages.

use app::domain::{EventFilter, EventKind};
use app::services::calendar;
use app::services::Site;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct CalendarQuery {
    lang: Option<String>,
    kind: Option<String>,
    city: Option<String>,
}

fn http_date(at: i64) -> String {
    chrono::DateTime::from_timestamp(at, 0)
        .unwrap_or_default()
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string()
}

/// Whether the client's copy (named by `If-None-Match`, else dated by
/// `If-Modified-Since`) is still current.
fn unchanged(headers: &HeaderMap, etag: &str, last_change: i64) -> bool {
    let header = |name| headers.get(name).and_then(|v| v.to_str().ok());
    match header(header::IF_NONE_MATCH) {
        Some(tags) => tags.split(',').any(|t| t.trim() == etag || t.trim() == "*"),
        None => header(header::IF_MODIFIED_SINCE)
            .and_then(|d| chrono::DateTime::parse_from_rfc2822(d).ok())
            .is_some_and(|since| last_change <= since.timestamp()),
    }
}

/// `/calendar.ics`: the subscription feed, whole or filtered by `kind` and
/// `city`. Calendar apps poll it often, so an unchanged feed answers `304`
/// without being built.
pub async fn feed_ics(
    State(site): State<Site>,
    Query(query): Query<CalendarQuery>,
    headers: HeaderMap,
) -> Response {
    let lang = site.settings.lang(query.lang.as_deref());
    let filter = EventFilter {
        kind: query.kind.as_deref().and_then(EventKind::parse),
        city: query.city.clone().filter(|c| !c.is_empty()),
        page: 1,
    };
    let result = async {
        let (etag, last_change) = calendar::feed_etag(&site, &filter, lang).await?;
        let validators = [
            (header::ETAG, etag.clone()),
            (header::LAST_MODIFIED, http_date(last_change)),
            (header::CACHE_CONTROL, "public, max-age=300".to_string()),
        ];
        if unchanged(&headers, &etag, last_change) {
            return Ok((StatusCode::NOT_MODIFIED, validators).into_response());
        }
        let body = calendar::feed_ics(&site, &filter, lang).await?;
        Ok::<_, app::db::DbError>(
            (
                validators,
                [(header::CONTENT_TYPE, "text/calendar; charset=utf-8")],
                body,
            )
                .into_response(),
        )
    };
    result.await.unwrap_or_else(|error| {
        tracing::error!(%error, "calendar feed failed");
        (
            StatusCode::INTERNAL_SERVER_ERROR,
            "Something went wrong. Please try again.",
        )
            .into_response()
    })
}

/// `/events/{slug}/calendar.ics`: one event, to add to a calendar.
pub async fn event_ics(
    State(site): State<Site>,
    Path(slug): Path<String>,
    Query(query): Query<CalendarQuery>,
) -> Response {
    let lang = site.settings.lang(query.lang.as_deref());
    match calendar::event_ics(&site, &slug, lang).await {
        Ok(Some(ics)) => (
            [
                (
                    header::CONTENT_TYPE,
                    "text/calendar; charset=utf-8".to_string(),
                ),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{slug}.ics\""),
                ),
            ],
            ics,
        )
            .into_response(),
        Ok(None) => (StatusCode::NOT_FOUND, "No such event.").into_response(),
        Err(error) => {
            tracing::error!(%error, "calendar file failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong. Please try again.",
            )
                .into_response()
        }
    }
}
