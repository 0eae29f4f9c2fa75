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
}
