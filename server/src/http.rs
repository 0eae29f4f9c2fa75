//! HTTP pieces the form handlers share: where a request comes from, and
//! "see other" redirects.

use crate::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
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
