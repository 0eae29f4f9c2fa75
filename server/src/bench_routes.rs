//! Routes that exist only for the benchmark (`YIGHIN_BENCH_ROUTES=true`): the
//! event list rendered by a plain hand-written string template, from the
//! same query, so that the benchmark can show what the framework costs; and
//! bytes from memory, the most this server could serve a page of that size.

use app::db::events::Period;
use app::domain::EventFilter;
use app::i18n::Lang;
use app::services::Site;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use std::fmt::Write;

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `/bench/plain-list`: the upcoming list, as `/` shows it, without Leptos.
pub async fn plain_list(State(site): State<Site>) -> Response {
    let filter = EventFilter::default();
    let listing = match app::services::listing(
        &site,
        Period::Upcoming,
        &filter,
        Lang::En,
        app::services::now(),
    )
    .await
    {
        Ok(listing) => listing,
        Err(error) => {
            tracing::error!(%error, "plain list failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let mut html = String::with_capacity(64 * 1024);
    html.push_str("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Upcoming events</title>\
                   <link rel=\"stylesheet\" href=\"/pkg/yighin.css\"></head><body><main><h1>Upcoming events</h1>");
    for day in &listing.days {
        let _ = write!(
            html,
            "<section class=\"day\"><h2><time datetime=\"{}\">{}</time></h2><ul class=\"events\">",
            day.date_iso,
            escape(&day.date_label)
        );
        for card in &day.events {
            let _ = write!(
                html,
                "<li class=\"event-card\"><p class=\"meta\"><span class=\"kind\">{}</span> <span class=\"city\">{}</span></p>\
                 <h3><a href=\"/events/{}\">{}</a></h3><p class=\"when\"><time datetime=\"{}\">{}</time></p><p class=\"summary\">{}</p></li>",
                card.kind.as_str(),
                escape(&card.city),
                escape(&card.slug),
                escape(&card.title),
                card.start_iso,
                escape(&card.time_label),
                escape(&card.summary),
            );
        }
        html.push_str("</ul></section>");
    }
    html.push_str("</main></body></html>");
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response()
}

/// The most bytes `/bench/bytes` serves.
const MOST_BYTES: usize = 1024 * 1024;

#[derive(serde::Deserialize)]
pub struct BytesQuery {
    n: usize,
}

/// `/bench/bytes?n=N`: N bytes from memory, through the same middleware
/// as every page: the anchor a page of N bytes is compared with.
pub async fn bytes(axum::extract::Query(query): axum::extract::Query<BytesQuery>) -> Response {
    static BYTES: std::sync::OnceLock<axum::body::Bytes> = std::sync::OnceLock::new();
    let all = BYTES.get_or_init(|| axum::body::Bytes::from(vec![b'x'; MOST_BYTES]));
    let body = all.slice(..query.n.min(MOST_BYTES));
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
}
