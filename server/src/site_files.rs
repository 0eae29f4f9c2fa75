//! How long browsers keep the site's own files (wasm, JS, CSS).

use crate::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

/// Files named by their content's hash never change under that name: kept
/// for a year without asking again. Without hashed names (a build that did
/// not hash them), a browser asks each time whether its copy still holds.
pub async fn cache_site_files(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let pkg_dir: &str = &state.leptos_options.site_pkg_dir;
    let site_file = request
        .uri()
        .path()
        .strip_prefix('/')
        .and_then(|path| path.strip_prefix(pkg_dir))
        .is_some_and(|rest| rest.starts_with('/'));
    let mut response = next.run(request).await;
    if site_file && response.status() == StatusCode::OK {
        let rule = if state.leptos_options.hash_files {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(rule));
    }
    response
}
