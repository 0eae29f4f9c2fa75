//! The reader's language, remembered in a cookie: chosen with the switcher
//! (a form), or given in a page's address (`?lang=`), with or without
//! JavaScript.

use app::i18n::{Lang, LANG_COOKIE};
use app::services::Site;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
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
pub(crate) fn local_path(back: &str) -> &str {
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
    let location = local_path(&choice.back).to_string();
    (
        StatusCode::SEE_OTHER,
        [
            (header::SET_COOKIE, lang_cookie(&site, lang)),
            (header::LOCATION, location),
        ],
    )
        .into_response()
}

/// A cookie that remembers a reader's choice for a year (`max_age` 0:
/// forgets it). Secure over TLS: a network observer of a plain-HTTP
/// request must not learn the language a member reads, or their choices.
pub(crate) fn preference_cookie(site: &Site, name: &str, value: &str, max_age: u32) -> String {
    format!(
        "{name}={value}; Path=/; Max-Age={max_age}; SameSite=Lax; HttpOnly{}",
        if site.settings().secure_cookies {
            "; Secure"
        } else {
            ""
        }
    )
}

/// A year, in seconds: how long a reader's choice is remembered.
pub(crate) const REMEMBERED_FOR: u32 = 31_536_000;

/// The cookie that remembers `lang`.
fn lang_cookie(site: &Site, lang: Lang) -> String {
    preference_cookie(site, LANG_COOKIE, lang.tag(), REMEMBERED_FOR)
}

/// A page asked for in a language (`/?lang=fr`, a link someone shared)
/// stays in it on the next click: the answer remembers the language as the
/// switcher does. Only pages do: a calendar file's `lang` chooses the
/// feed's language, not the reader's.
pub async fn remember_from_url(State(site): State<Site>, request: Request, next: Next) -> Response {
    // The embeddable list sets no cookie: it is read inside other websites.
    let asked = (request.method() == Method::GET && request.uri().path() != app::paths::EMBED)
        .then(|| {
            form_urlencoded::parse(request.uri().query().unwrap_or_default().as_bytes())
                .find(|(key, _)| key == "lang")
                .and_then(|(_, tag)| Lang::from_tag(&tag))
        })
        .flatten()
        .filter(|lang| site.settings().languages.contains(lang))
        .filter(|lang| app::web::cookie(request.headers(), LANG_COOKIE) != Some(lang.tag()));
    let mut response = next.run(request).await;
    let is_page = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if let (Some(lang), true) = (asked, is_page) {
        if let Ok(cookie) = HeaderValue::from_str(&lang_cookie(&site, lang)) {
            let headers = response.headers_mut();
            headers.append(header::SET_COOKIE, cookie);
            // An answer that sets a cookie is no one else's to reuse.
            if crate::http::shared(headers) {
                headers.insert(
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("private, no-cache"),
                );
            }
        }
    }
    response
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
