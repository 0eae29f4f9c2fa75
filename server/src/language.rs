//! The language switcher's form target: remembers the choice in a cookie.

use app::i18n::{Lang, LANG_COOKIE};
use app::services::Site;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct LanguageChoice {
    lang: String,
    #[serde(default)]
    back: String,
}

/// Only a path on this site: never `//host` or `http://…`, which would make
/// this an open redirect. Links here are percent-encoded, so anything but
/// printable ASCII is not one of ours.
fn local_path(back: &str) -> &str {
    let is_local = back.starts_with('/')
        && !back.starts_with("//")
        && !back.starts_with("/\\")
        && back.bytes().all(|b| b.is_ascii_graphic());
    if is_local {
        back
    } else {
        "/"
    }
}

pub async fn choose(State(site): State<Site>, Form(choice): Form<LanguageChoice>) -> Response {
    let Some(lang) = Lang::from_tag(&choice.lang).filter(|l| site.settings().languages.contains(l))
    else {
        return (StatusCode::UNPROCESSABLE_ENTITY, "unsupported language").into_response();
    };
    // Secure over TLS: a network observer of a plain-HTTP request must not
    // learn the language a member reads.
    let cookie = format!(
        "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly{}",
        lang.tag(),
        if site.settings().secure_cookies {
            "; Secure"
        } else {
            ""
        }
    );
    let location = local_path(&choice.back).to_string();
    (
        StatusCode::SEE_OTHER,
        [(header::SET_COOKIE, cookie), (header::LOCATION, location)],
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(local_path("/past?kind=iftar"), "/past?kind=iftar");
        for foreign in [
            "//evil.example",
            "/\\evil.example",
            "https://evil.example",
            "",
            "past",
            "/a\r\nSet-Cookie: x=1",
        ] {
            assert_eq!(local_path(foreign), "/", "{foreign:?}");
        }
    }
}
