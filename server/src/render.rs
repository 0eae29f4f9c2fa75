//! Pages rendered again by the form handlers, with what was typed.

use crate::AppState;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
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
    // The page holds what the member typed (a name, a contact): kept by no
    // cache, and so never compressed (its size would tell of its content).
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
