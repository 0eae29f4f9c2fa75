//! HTTP pieces the handlers share: where a request comes from, "see
//! other" redirects, whether an answer is everyone's, and whether a
//! client's copy still holds.

use crate::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

/// A redirect after a form post (303), setting `cookie` if given.
pub fn see_other(location: &str, cookie: Option<String>) -> Response {
    let mut response = (
        StatusCode::SEE_OTHER,
        [(header::LOCATION, location.to_string())],
    )
        .into_response();
    if let Some(cookie) = cookie.and_then(|c| c.parse().ok()) {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    response
}

/// Whether an answer is the same for everyone: none of its `Cache-Control`
/// values says `no-store` or `private` (one that cannot be read counts as
/// private). Only such an answer is compressed, kept in memory or shared
/// by caches.
pub fn shared(headers: &HeaderMap) -> bool {
    !headers.get_all(header::CACHE_CONTROL).iter().any(|value| {
        let value = value.to_str().unwrap_or("no-store");
        value.contains("no-store") || value.contains("private")
    })
}

/// Whether `If-None-Match` names `etag` (compared weakly, as HTTP says for
/// it: `W/"x"` and `"x"` are the same), or `*`; `None` without the header.
pub fn none_match(headers: &HeaderMap, etag: &str) -> Option<bool> {
    let opaque = |tag: &str| tag.trim().trim_start_matches("W/").to_string();
    let tags = headers.get(header::IF_NONE_MATCH)?.to_str().ok()?;
    Some(
        tags.split(',')
            .any(|tag| tag.trim() == "*" || opaque(tag) == opaque(etag)),
    )
}

/// Where a request comes from, for the rate limits (see
/// [`app::web::client_address`]).
pub struct Client(pub Option<String>);

impl FromRequestParts<AppState> for Client {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let settings = state.site.settings();
        Ok(Client(app::web::client_address(
            &parts.headers,
            &parts.extensions,
            settings.client_ip_header.as_deref(),
        )))
    }
}

/// Which of the instance's addresses a request came to.
pub struct Via(pub app::services::Reached);

impl<S: Send + Sync> FromRequestParts<S> for Via {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Via(app::web::reached(&parts.extensions)))
    }
}
