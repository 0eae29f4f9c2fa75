//! `/embed`: the upcoming events for a frame on the organisation's own
//! website, with a policy of its own (see [`app::services::embed`]).

use crate::http::Via;
use app::services::{embed, now, Site};
use axum::extract::{Request, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

pub async fn embed_list(State(site): State<Site>, Via(reached): Via, request: Request) -> Response {
    let settings = site.settings();
    let lang = app::web::request_lang(&settings, request.uri().query(), request.headers());
    match embed::embed_page(&site, lang, reached, now()).await {
        Ok(html) => (
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8".to_string()),
                (
                    header::CONTENT_SECURITY_POLICY,
                    embed::content_security_policy(&settings.embed_origins),
                ),
                (header::CACHE_CONTROL, "public, max-age=300".to_string()),
            ],
            html,
        )
            .into_response(),
        Err(error) => {
            app::error::AppError::from_failure(&error, "the embeddable list").into_response()
        }
    }
}
