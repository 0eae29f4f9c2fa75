//! `/embed`: the upcoming events for a frame on the organisation's own
//! website, with a policy of its own (see [`app::services::embed`]).

use crate::http::Via;
use app::services::{embed, now, Site};
use axum::extract::{Request, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

pub async fn embed_list(State(site): State<Site>, Via(reached): Via, request: Request) -> Response {
    let settings = site.settings();
    // From the address alone: the same address is the same list for every
    // reader and cache (the framing website chooses the language).
    let asked = form_urlencoded::parse(request.uri().query().unwrap_or_default().as_bytes())
        .find(|(k, _)| k == "lang")
        .map(|(_, v)| v.into_owned());
    let lang = settings.lang(asked.as_deref());
    match embed::embed_page(&site, lang, reached, now()).await {
        Ok(html) => (
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8".to_string()),
                (
                    header::CONTENT_SECURITY_POLICY,
                    embed::content_security_policy(&settings.embed_origins),
                ),
                // Asked again each time: an event made sensitive or
                // cancelled leaves the list at once.
                (header::CACHE_CONTROL, "no-cache".to_string()),
            ],
            html,
        )
            .into_response(),
        Err(error) => {
            app::error::AppError::from_failure(&error, "the embeddable list").into_response()
        }
    }
}
