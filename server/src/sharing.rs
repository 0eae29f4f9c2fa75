//! Sharing an event off the screen: the QR code of its address, drawn by
//! the server as SVG (for flyers and for a phone held up to another).

use crate::http::Via;
use app::i18n::Lang;
use app::services::Site;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

/// The QR code of `url`: black modules on white with the quiet zone the
/// standard asks for, scalable.
pub fn qr_svg(url: &str) -> Option<String> {
    let code = qrcode::QrCode::with_error_correction_level(url, qrcode::EcLevel::M).ok()?;
    Some(
        code.render::<qrcode::render::svg::Color>()
            .min_dimensions(256, 256)
            .quiet_zone(true)
            .dark_color(qrcode::render::svg::Color("#000000"))
            .light_color(qrcode::render::svg::Color("#ffffff"))
            .build(),
    )
}

/// `/events/{slug}/qr.svg`: the QR code of the event's address (the one
/// its reader came to); 404 for no such event.
pub async fn event_qr(
    State(site): State<Site>,
    Via(reached): Via,
    Path(slug): Path<String>,
) -> Response {
    match app::db::events::by_slug(&site.db, &slug, Lang::En).await {
        Ok(Some(event)) => {
            let url = format!(
                "{}{}",
                site.settings().base_url_for(reached),
                app::paths::event(&event.slug)
            );
            match qr_svg(&url) {
                Some(svg) => (
                    [
                        (header::CONTENT_TYPE, "image/svg+xml"),
                        (header::CACHE_CONTROL, "public, max-age=3600"),
                    ],
                    svg,
                )
                    .into_response(),
                None => StatusCode::NOT_FOUND.into_response(),
            }
        }
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => app::error::AppError::from_failure(&error, "a QR code").into_response(),
    }
}
