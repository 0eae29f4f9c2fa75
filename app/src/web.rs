//! HTTP details shared by server functions and the server's form handlers.

use axum::http::{header, HeaderMap};

/// The cookie that groups this device's RSVPs ("my RSVPs") without an account.
pub const MEMBER_COOKIE: &str = "yighin_member";

/// A cookie's value from the request headers.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| {
            let (k, v) = pair.trim().split_once('=')?;
            (k == name).then_some(v)
        })
}

/// This device's member key, and the `Set-Cookie` value to send when the
/// device had none (or an unusable one).
pub fn member_key(headers: &HeaderMap, secure: bool) -> (String, Option<String>) {
    match cookie(headers, MEMBER_COOKIE).filter(|k| crate::secrets::looks_like_token(k)) {
        Some(key) => (key.to_string(), None),
        None => {
            let key = crate::secrets::new_token();
            let cookie = format!(
                "{MEMBER_COOKIE}={key}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly{}",
                if secure { "; Secure" } else { "" }
            );
            (key, Some(cookie))
        }
    }
}

/// Where a request came from, for rate limits only (and then only as a
/// keyed hash): the address a trusted reverse proxy names in
/// `proxy_header`, else the connection's.
pub fn client_address(
    headers: &HeaderMap,
    extensions: &axum::http::Extensions,
    proxy_header: Option<&str>,
) -> Option<String> {
    let from_proxy = proxy_header.and_then(|name| {
        let value = headers.get(name)?.to_str().ok()?;
        // X-Forwarded-For lists hops; the proxy we trust added the last.
        value.rsplit(',').next().map(|v| v.trim().to_string())
    });
    from_proxy.or_else(|| {
        extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|c| c.0.ip().to_string())
    })
}

/// The organiser session cookie's name: with the `__Host-` prefix over TLS
/// (the browser then insists on Secure, path `/` and no domain); plain when
/// served over HTTP, as on a development machine, where a `__Host-` cookie
/// would be refused.
pub fn session_cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-yighin_session"
    } else {
        "yighin_session"
    }
}

/// The `Set-Cookie` value that holds a session token (or, with `None`,
/// removes it).
pub fn session_cookie(token: Option<&str>, secure: bool) -> String {
    let name = session_cookie_name(secure);
    let (value, max_age) = match token {
        Some(token) => (token, String::new()),
        None => ("", "; Max-Age=0".to_string()),
    };
    format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Strict{max_age}{}",
        if secure { "; Secure" } else { "" }
    )
}

/// The session token a request carries, if any.
pub fn session_token(headers: &HeaderMap, secure: bool) -> Option<&str> {
    cookie(headers, session_cookie_name(secure))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn a_device_keeps_its_key_and_gets_one_when_it_has_none() {
        let mut headers = HeaderMap::new();
        let (key, set) = member_key(&headers, true);
        let set = set.unwrap();
        assert!(set.starts_with(&format!("{MEMBER_COOKIE}={key};")));
        assert!(set.contains("HttpOnly") && set.contains("Secure"));
        headers.insert(
            header::COOKIE,
            HeaderValue::from_str(&format!("lang=fr; {MEMBER_COOKIE}={key}")).unwrap(),
        );
        assert_eq!(member_key(&headers, true), (key, None));
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("yighin_member=forged"),
        );
        assert!(member_key(&headers, false).1.is_some());
    }

    #[test]
    fn session_cookies_are_host_only_http_only_and_strict() {
        let secure = session_cookie(Some("t"), true);
        assert_eq!(
            secure,
            "__Host-yighin_session=t; Path=/; HttpOnly; SameSite=Strict; Secure"
        );
        assert_eq!(
            session_cookie(None, false),
            "yighin_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"
        );
    }
}
