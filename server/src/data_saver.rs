//! The data saver: posters hidden on every page (or shown again), chosen
//! with a form in the footer and remembered in a cookie, with or without
//! JavaScript.

use crate::language::local_path;
use app::services::Site;
use app::web::IMAGES_COOKIE;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct ImagesChoice {
    images: String,
    #[serde(default)]
    back: String,
}

/// `POST /images`: `images=off` hides posters, `images=on` shows them.
pub async fn choose(State(site): State<Site>, Form(choice): Form<ImagesChoice>) -> Response {
    let max_age = match choice.images.as_str() {
        "off" => "31536000",
        // Shown is the default: the cookie goes.
        "on" => "0",
        _ => return (StatusCode::UNPROCESSABLE_ENTITY, "unknown choice").into_response(),
    };
    let cookie = format!(
        "{IMAGES_COOKIE}=off; Path=/; Max-Age={max_age}; SameSite=Lax; HttpOnly{}",
        if site.settings().secure_cookies {
            "; Secure"
        } else {
            ""
        }
    );
    (
        StatusCode::SEE_OTHER,
        [
            (header::SET_COOKIE, cookie),
            (header::LOCATION, local_path(&choice.back).to_string()),
        ],
    )
        .into_response()
}
