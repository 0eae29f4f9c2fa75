//! Refuses cross-site requests that would change anything.
//!
//! Browsers say where a request comes from: `Sec-Fetch-Site` (all current
//! ones) and `Origin` (on every cross-origin POST). A state-changing request
//! is let through only when it comes from this site itself, or from no site
//! at all (a typed address, a command-line client). Together with
//! `SameSite=Strict` session cookies, that stops cross-site request forgery
//! against forms and server functions alike.

use app::services::{Reached, Site};
use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// `scheme://host[:port]` of an address.
fn origin_of(url: &str) -> &str {
    let start = url.find("://").map_or(0, |i| i + 3);
    match url[start..].find('/') {
        Some(end) => &url[..start + end],
        None => url,
    }
}

/// Whether a request that changes state comes from this site (or from no
/// site): `base_url` is the address the request came to.
pub fn same_site(request: &Request, base_url: &str) -> bool {
    let header = |name| request.headers().get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = header("sec-fetch-site") {
        return matches!(site, "same-origin" | "none");
    }
    match header(header::ORIGIN.as_str()) {
        None => true,
        Some(origin) => {
            let scheme = base_url.split("://").next().unwrap_or("https");
            let own_host = header(header::HOST.as_str()).map(|host| format!("{scheme}://{host}"));
            origin == origin_of(base_url) || Some(origin) == own_host.as_deref()
        }
    }
}

pub async fn same_site_only(State(site): State<Site>, request: Request, next: Next) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    let reached = app::web::reached(request.extensions());
    if safe || same_site(&request, site.settings().base_url_for(reached)) {
        next.run(request).await
    } else {
        (
            StatusCode::FORBIDDEN,
            "Refused: this request came from another site.",
        )
            .into_response()
    }
}

/// Whether a request is a poster's form, which carries an image.
fn is_poster_upload(method: &Method, path: &str) -> bool {
    method == Method::POST
        && path
            .strip_prefix("/organise/events/")
            .and_then(|rest| rest.strip_suffix("/poster"))
            .is_some_and(|slug| !slug.is_empty() && !slug.contains('/'))
}

/// Refuses a request that says it is larger than its limit (413), and cuts
/// off one that turns out to be while it is read. A poster's form is cut
/// off by the multipart reader itself (its route's `DefaultBodyLimit`, the
/// same limit), which answers 413 as this would.
pub async fn limit_bodies(request: Request, next: Next) -> Response {
    let poster = is_poster_upload(request.method(), request.uri().path());
    let limit = if poster {
        crate::posters::MAX_POSTER_REQUEST
    } else {
        crate::MAX_BODY
    };
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        return (StatusCode::PAYLOAD_TOO_LARGE, "request too large").into_response();
    }
    if poster {
        return next.run(request).await;
    }
    let request =
        request.map(|body| axum::body::Body::new(http_body_util::Limited::new(body, limit)));
    next.run(request).await
}

/// Headers every answer carries: no referrer sent on, no type sniffing, no
/// framing, no powerful browser features; HSTS when served over TLS; on the
/// public address of an instance with an onion service, the same page's
/// address there (`Onion-Location`, which Tor Browser offers to open); and,
/// where a page did not set its own (with a nonce), a policy that allows
/// nothing to run at all (feeds, CSV, plain-text errors). A redirect (with
/// its `Location`, and so no document to govern) gets none: the page it
/// leads to brings its own.
pub async fn security_headers(State(site): State<Site>, request: Request, next: Next) -> Response {
    let reached = app::web::reached(request.extensions());
    let settings = site.settings();
    let onion_location = match (reached, &settings.onion_url) {
        (Reached::Public, Some(onion)) => {
            let page = request.uri().path_and_query().map_or("/", |p| p.as_str());
            header::HeaderValue::from_str(&format!("{onion}{page}")).ok()
        }
        _ => None,
    };
    let mut response = next.run(request).await;
    let redirect =
        response.status().is_redirection() && response.headers().contains_key(header::LOCATION);
    let headers = response.headers_mut();
    // A page that names the websites that may frame it (the embeddable
    // list) keeps that; every other answer may be framed by none.
    let framable = headers
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|policy| {
            policy.contains("frame-ancestors") && !policy.contains("frame-ancestors 'none'")
        });
    if !framable {
        headers.insert(
            header::X_FRAME_OPTIONS,
            header::HeaderValue::from_static("DENY"),
        );
    }
    let fixed = [
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (
            header::HeaderName::from_static("permissions-policy"),
            "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), \
             microphone=(), payment=(), usb=()",
        ),
        (
            header::HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
    ];
    for (name, value) in fixed {
        headers.insert(name, header::HeaderValue::from_static(value));
    }
    if !redirect && !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            header::HeaderValue::from_static(
                "default-src 'none'; style-src 'self'; img-src 'self'; \
                 base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
            ),
        );
    }
    // Over TLS; an onion address has no certificate to insist on.
    if settings.secure_cookies && reached == Reached::Public {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            header::HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    if let Some(onion_location) = onion_location {
        headers.insert(
            header::HeaderName::from_static("onion-location"),
            onion_location,
        );
    }
    response
}

/// Requests for calendar files one client may make in a minute, on one app
/// server (kept in memory: feeds are polled too often to count each poll
/// in the database; with several app servers the limit is per server).
pub const FEED_REQUESTS_PER_MINUTE: u32 = 120;

/// Counts calendar-file requests per client, in one-minute windows.
#[derive(Clone, Default)]
pub struct FeedLimiter(Arc<Mutex<FeedCounts>>);

/// This minute's requests per client.
#[derive(Default)]
struct FeedCounts {
    minute: i64,
    counts: HashMap<String, u32>,
}

impl FeedLimiter {
    /// Counts a request; false when the client is over the limit. Clients
    /// are held by a hash of their address, and all forgotten when the
    /// minute turns (one reset, not a sweep on every request).
    pub fn allow(&self, client: &str, now: i64) -> bool {
        let minute = now / 60;
        let Ok(mut window) = self.0.lock() else {
            return true;
        };
        if window.minute != minute || window.counts.len() > 100_000 {
            window.minute = minute;
            window.counts.clear();
        }
        let count = window
            .counts
            .entry(app::secrets::token_hash(client))
            .or_insert(0);
        *count += 1;
        *count <= FEED_REQUESTS_PER_MINUTE
    }
}

pub async fn limit_feeds(
    State(state): State<crate::AppState>,
    request: Request,
    next: Next,
) -> Response {
    if request.uri().path().ends_with(".ics") {
        let settings = state.site.settings();
        let client = app::web::client_address(
            request.headers(),
            request.extensions(),
            settings.client_ip_header.as_deref(),
        );
        if let Some(client) = client {
            if !state.feeds.allow(&client, app::services::now()) {
                return (
                    StatusCode::TOO_MANY_REQUESTS,
                    [(header::RETRY_AFTER, "60")],
                    "Too many calendar requests from this connection. Try again in a minute.",
                )
                    .into_response();
            }
        }
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;

    fn post(headers: &[(&'static str, &str)]) -> Request {
        let mut request = Request::post("/x").body(Body::empty()).unwrap();
        for (name, value) in headers {
            request.headers_mut().insert(*name, value.parse().unwrap());
        }
        request
    }

    #[test]
    fn feed_requests_are_limited_per_client_and_minute() {
        let limiter = FeedLimiter::default();
        for _ in 0..FEED_REQUESTS_PER_MINUTE {
            assert!(limiter.allow("10.0.0.1", 600));
        }
        assert!(!limiter.allow("10.0.0.1", 610));
        assert!(limiter.allow("10.0.0.2", 610), "another client");
        assert!(limiter.allow("10.0.0.1", 660), "the next minute");
    }

    #[test]
    fn only_this_site_may_change_state() {
        let base = "https://events.example.org";
        assert!(same_site(&post(&[]), base), "curl and typed addresses");
        assert!(same_site(&post(&[("sec-fetch-site", "same-origin")]), base));
        assert!(!same_site(&post(&[("sec-fetch-site", "cross-site")]), base));
        assert!(!same_site(&post(&[("sec-fetch-site", "same-site")]), base));
        assert!(same_site(
            &post(&[("origin", "https://events.example.org")]),
            base
        ));
        assert!(!same_site(
            &post(&[("origin", "https://evil.example")]),
            base
        ));
        assert!(!same_site(&post(&[("origin", "null")]), base));
        assert!(same_site(
            &post(&[
                ("origin", "https://10.0.0.5:3000"),
                ("host", "10.0.0.5:3000")
            ]),
            base
        ));
    }
}
