//! HTTP details shared by server functions and the server's form handlers.

use crate::rsvp::{RsvpForm, RsvpOutcome};
use crate::services::{self, rsvp::RsvpError, Reached, Site};
use axum::http::{header, HeaderMap};

/// An answer as either door sends it: the page's script (a server
/// function) or a plain form post without JavaScript.
pub enum AnswerRequest<'a> {
    New { slug: &'a str, form: &'a RsvpForm },
    Change { token: &'a str, form: &'a RsvpForm },
    Cancel { token: &'a str },
}

/// What an answer came to, whichever door it came through: the outcome to
/// show (an error is a failure to answer with a 5xx), and the device
/// cookie to set with it.
pub struct Answered {
    pub outcome: Result<RsvpOutcome, RsvpError>,
    pub set_cookie: Option<String>,
}

/// The one place both doors go through: the client's answer limit (new
/// answers and changes; a cancellation is never refused), the device key
/// of a new answer, the service, and what it came to. Each door only says
/// it in its own way (a reply or a page, and [`too_many_answers`]).
pub async fn answer(
    site: &Site,
    headers: &HeaderMap,
    client: Option<&str>,
    request: AnswerRequest<'_>,
) -> Answered {
    let now = services::now();
    let failed = |error: RsvpError| Answered {
        outcome: Err(error),
        set_cookie: None,
    };
    if !matches!(request, AnswerRequest::Cancel { .. }) {
        match services::limits::allow_answer(site, client, now).await {
            Ok(true) => {}
            Ok(false) => {
                return Answered {
                    outcome: Ok(RsvpOutcome::TooMany),
                    set_cookie: None,
                }
            }
            Err(error) => return failed(error.into()),
        }
    }
    let (result, set_cookie) = match request {
        AnswerRequest::New { slug, form } => {
            let secret = match site.device_secret().await {
                Ok(secret) => secret,
                Err(error) => return failed(error.into()),
            };
            let (key, cookie) = member_key(headers, site.settings().secure_cookies, &secret);
            let submitted = services::rsvp::submit(site, slug, form, &key, now).await;
            (submitted.map(|s| s.token), cookie)
        }
        AnswerRequest::Change { token, form } => {
            let changed = services::rsvp::change(site, token, Some(form), now).await;
            (changed.map(|_| token.to_string()), None)
        }
        AnswerRequest::Cancel { token } => {
            let cancelled = services::rsvp::change(site, token, None, now).await;
            (cancelled.map(|_| token.to_string()), None)
        }
    };
    let outcome = services::rsvp::outcome(result);
    // The device's key goes with a stored answer only.
    let set_cookie = set_cookie.filter(|_| matches!(outcome, Ok(RsvpOutcome::Saved { .. })));
    Answered {
        outcome,
        set_cookie,
    }
}

/// The one `429` policy for answers: how long to wait (the limit's
/// window), and the words for a form post.
pub fn too_many_answers() -> (i64, &'static str) {
    (
        services::limits::ANSWER_WINDOW,
        "Too many answers from this connection. Please try again in a few minutes.",
    )
}

/// The cookie that groups this device's RSVPs ("my RSVPs") without an
/// account: with the `__Host-` prefix over TLS, so that no other site on
/// the same domain can set it (the browser refuses such a cookie unless it
/// is Secure, for this host alone and path `/`), plain over HTTP, where a
/// browser would refuse a `__Host-` cookie.
pub fn device_cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-yighin_member"
    } else {
        "yighin_member"
    }
}

/// The reader's language for a request: the address's `?lang=`, else the
/// one the language cookie remembers, else what the browser accepts, among
/// the languages the instance offers. Pages are rendered in it, and kept
/// rendered under it.
pub fn request_lang(
    settings: &services::Settings,
    query: Option<&str>,
    headers: &HeaderMap,
) -> crate::i18n::Lang {
    let from_url = form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .find(|(k, _)| k == "lang")
        .map(|(_, v)| v.into_owned());
    crate::i18n::Lang::negotiate(
        from_url.as_deref(),
        cookie(headers, crate::i18n::LANG_COOKIE),
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
        &settings.languages,
        settings.default_lang,
    )
}

/// The data saver's cookie: `off` hides posters.
pub const IMAGES_COOKIE: &str = "images";

/// Whether the reader lets pages show posters (no `images=off` cookie).
pub fn images_shown(headers: &HeaderMap) -> bool {
    cookie(headers, IMAGES_COOKIE) != Some("off")
}

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

/// The device key a request carries, if it is one this instance issued
/// (signed with `secret`): a key made up elsewhere is not one.
pub fn device_key<'a>(headers: &'a HeaderMap, secure: bool, secret: &str) -> Option<&'a str> {
    cookie(headers, device_cookie_name(secure))
        .filter(|key| crate::secrets::is_device_key(secret, key))
}

/// This device's key, and the `Set-Cookie` value to send when the device
/// had none (or one this instance did not issue).
pub fn member_key(headers: &HeaderMap, secure: bool, secret: &str) -> (String, Option<String>) {
    match device_key(headers, secure, secret) {
        Some(key) => (key.to_string(), None),
        None => {
            let key = crate::secrets::new_device_key(secret);
            let cookie = format!(
                "{}={key}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly{}",
                device_cookie_name(secure),
                if secure { "; Secure" } else { "" }
            );
            (key, Some(cookie))
        }
    }
}

/// Which of the instance's addresses a request came to (the server marks
/// those that arrive through its onion service's listener).
pub fn reached(extensions: &axum::http::Extensions) -> Reached {
    extensions.get::<Reached>().copied().unwrap_or_default()
}

/// Who a visitor over Tor is, for the limits, when the request carries no
/// circuit (the server closes connections from Tor that name none, so only
/// a request made without a connection, as in tests, gets here): all such
/// count as one client.
pub const ONION_CLIENT: &str = "onion";

/// Where a request came from, for rate limits only (and then only as a
/// keyed hash): the address a trusted reverse proxy names in
/// `proxy_header` (when it is an address), else the connection's. One that
/// came through the onion service, whatever its headers say, is its Tor
/// circuit, which the server read from Tor's PROXY line into the
/// connection's address, or else [`ONION_CLIENT`].
pub fn client_address(
    headers: &HeaderMap,
    extensions: &axum::http::Extensions,
    proxy_header: Option<&str>,
) -> Option<String> {
    let connection = extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip());
    if reached(extensions) == Reached::Onion {
        return Some(match connection {
            Some(circuit) if is_tor_circuit(circuit) => format!("{ONION_CLIENT} {circuit}"),
            _ => ONION_CLIENT.to_string(),
        });
    }
    let from_proxy = proxy_header.and_then(|name| {
        let value = headers.get(name)?.to_str().ok()?;
        // X-Forwarded-For lists hops; the proxy we trust added the last.
        value.rsplit(',').next()?.trim().parse().ok()
    });
    from_proxy.or(connection).map(client_of)
}

/// The network in which Tor names a circuit, when asked to
/// (`fc00:dead:beef:4dad::/64`, the circuit's number in the last 32 bits).
pub fn is_tor_circuit(address: std::net::IpAddr) -> bool {
    const PREFIX: [u16; 4] = [0xfc00, 0xdead, 0xbeef, 0x4dad];
    matches!(address, std::net::IpAddr::V6(v6) if v6.segments()[..4] == PREFIX)
}

/// Who a client is, for the limits: its IPv4 address, or the /64 network of
/// its IPv6 address (one subscriber's line holds a whole /64, so counting
/// single IPv6 addresses would give one attacker billions of clients).
fn client_of(address: std::net::IpAddr) -> String {
    match address {
        std::net::IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
        std::net::IpAddr::V4(v4) => v4.to_string(),
    }
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
        let secret = crate::secrets::new_token();
        let mut headers = HeaderMap::new();
        let (key, set) = member_key(&headers, true, &secret);
        let set = set.unwrap();
        assert!(set.starts_with(&format!("__Host-yighin_member={key};")));
        assert!(set.contains("HttpOnly") && set.contains("Secure") && set.contains("Path=/"));
        assert!(!set.contains("Domain"));
        headers.insert(
            header::COOKIE,
            HeaderValue::from_str(&format!("lang=fr; __Host-yighin_member={key}")).unwrap(),
        );
        assert_eq!(member_key(&headers, true, &secret), (key.clone(), None));
        // Over TLS the unprefixed name, which a sibling site could set, is
        // not read; over HTTP the cookie has no prefix and no Secure.
        headers.insert(
            header::COOKIE,
            HeaderValue::from_str(&format!("yighin_member={key}")).unwrap(),
        );
        assert!(member_key(&headers, true, &secret).1.is_some());
        let (_, plain) = member_key(&HeaderMap::new(), false, &secret);
        let plain = plain.unwrap();
        assert!(plain.starts_with("yighin_member=") && !plain.contains("Secure"));
        // A key this instance did not issue is replaced.
        for planted in [
            "yighin_member=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA".to_string(),
            format!(
                "yighin_member={}",
                crate::secrets::new_device_key("another")
            ),
        ] {
            headers.insert(header::COOKIE, HeaderValue::from_str(&planted).unwrap());
            let (fresh, set) = member_key(&headers, false, &secret);
            assert!(set.is_some(), "{planted}");
            assert_ne!(format!("yighin_member={fresh}"), planted);
        }
    }

    #[test]
    fn an_ipv6_client_is_its_64_network() {
        let of = |text: &str| client_of(text.parse().unwrap());
        assert_eq!(of("203.0.113.7"), "203.0.113.7");
        assert_eq!(of("2001:db8:1:2:3:4:5:6"), "2001:db8:1:2::/64");
        assert_eq!(of("2001:db8:1:2:ffff::1"), "2001:db8:1:2::/64");
        assert_eq!(of("::ffff:203.0.113.7"), "203.0.113.7");
    }

    #[test]
    fn a_proxy_header_counts_only_when_it_names_an_address() {
        let mut extensions = axum::http::Extensions::new();
        extensions.insert(axum::extract::ConnectInfo(std::net::SocketAddr::from((
            [192, 0, 2, 1],
            4000,
        ))));
        let client = |forwarded: &str| {
            let mut headers = HeaderMap::new();
            headers.insert("x-forwarded-for", HeaderValue::from_str(forwarded).unwrap());
            client_address(&headers, &extensions, Some("x-forwarded-for")).unwrap()
        };
        assert_eq!(client("10.0.0.1, 198.51.100.4"), "198.51.100.4");
        // Not an address: the connection's, never a name of the sender's
        // choosing (such as the one Tor's visitors share).
        assert_eq!(client("198.51.100.4, onion"), "192.0.2.1");
        assert_eq!(client("anything"), "192.0.2.1");
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
