//! Pages rendered again by the no-JavaScript form handlers.

use crate::AppState;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use leptos::prelude::provide_context;

/// Renders the page at `path` as a GET would, with `context` provided (the
/// form as sent and what was wrong with it, say) and the given status.
pub async fn render_with<T>(
    state: &AppState,
    path: &str,
    headers: HeaderMap,
    context: T,
    status: StatusCode,
) -> Response
where
    T: Clone + Send + Sync + 'static,
{
    let site = state.site.clone();
    let options = state.leptos_options.clone();
    let render = leptos_axum::render_app_async_with_context(
        move || {
            provide_context(site.clone());
            provide_context(context.clone());
        },
        move || app::shell(options.clone()),
    );
    let Ok(mut request) = Request::get(path).body(Body::empty()) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    *request.headers_mut() = headers;
    let mut response = render(request).await;
    // A failure while rendering (the database away, say) keeps its status.
    if !response.status().is_server_error() {
        *response.status_mut() = status;
    }
    response
}
