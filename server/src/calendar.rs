//! Calendar files: the routes that are not pages.

use app::i18n::Lang;
use app::services::Site;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct CalendarQuery {
    lang: Option<String>,
}

/// `/events/{slug}/calendar.ics`: one event, to add to a calendar.
pub async fn event_ics(
    State(site): State<Site>,
    Path(slug): Path<String>,
    Query(query): Query<CalendarQuery>,
) -> Response {
    let lang = query
        .lang
        .as_deref()
        .and_then(Lang::from_tag)
        .filter(|l| site.settings.languages.contains(l))
        .unwrap_or(site.settings.default_lang);
    match app::services::calendar::event_ics(&site, &slug, lang, app::services::now()).await {
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
