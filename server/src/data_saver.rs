//! The data saver: posters hidden on every page (or shown again), chosen
//! with a form in the footer and remembered in a cookie, with or without
//! JavaScript.

use crate::language::{local_path, preference_cookie, REMEMBERED_FOR};
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
        "off" => REMEMBERED_FOR,
        // Shown is the default: the cookie goes.
        "on" => 0,
        _ => return (StatusCode::UNPROCESSABLE_ENTITY, "unknown choice").into_response(),
    };
    let cookie = preference_cookie(&site, IMAGES_COOKIE, "off", max_age);
    (
        StatusCode::SEE_OTHER,
        [
            (header::SET_COOKIE, cookie),
            (header::LOCATION, local_path(&choice.back).to_string()),
        ],
    )
        .into_response()
}
