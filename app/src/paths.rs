//! Every address of the site, in one place: the patterns the server's
//! router serves (axum's `{name}` syntax, in [`route`]) and the functions
//! that build links to them. Pages, services and the router take theirs
//! from here; a test checks the pages' routes against [`PAGES`].

pub const HOME: &str = "/";
pub const PAST: &str = "/past";
pub const MY_RSVPS: &str = "/my";
/// Who runs the instance, and what it keeps.
pub const ABOUT: &str = "/about";
/// The language switcher's form target.
pub const LANGUAGE: &str = "/language";
/// Alive: answered without the database (for a supervisor).
pub const HEALTH: &str = "/healthz";
/// Ready: the database is reachable and its schema is this build's (for a
/// proxy or a monitor).
pub const READY: &str = "/readyz";
/// The subscription feed (filters and language as query parameters).
pub const FEED: &str = "/calendar.ics";
/// The Atom feed of upcoming public events.
pub const ATOM_FEED: &str = "/events.atom";
/// Upcoming public events for a frame on the organisation's own website.
pub const EMBED: &str = "/embed";
/// The data saver's form target: posters shown or not (a cookie).
pub const IMAGES: &str = "/images";
/// The step before the personal feed's address is replaced (GET), and the
/// replacing (POST).
pub const RENEW_FEED: &str = "/my/feed/renew";
pub const ORGANISE: &str = "/organise";
pub const LOGIN: &str = "/organise/login";
pub const LOGOUT: &str = "/organise/logout";
pub const NEW_EVENT: &str = "/organise/events/new";
pub const ACCOUNTS: &str = "/organise/accounts";
pub const AUDIT: &str = "/organise/audit";
pub const SETTINGS: &str = "/organise/settings";
/// Form targets of the organisation's key (on the accounts screen).
pub const KEY_RECOVERY: &str = "/organise/key/recovery";
pub const KEY_ROTATE: &str = "/organise/key/rotate";

/// Patterns of the addresses that carry a value.
pub mod route {
    pub const EVENT: &str = "/events/{slug}";
    pub const EVENT_RSVP: &str = "/events/{slug}/rsvp";
    pub const EVENT_ICS: &str = "/events/{slug}/calendar.ics";
    pub const EVENT_QR: &str = "/events/{slug}/qr.svg";
    pub const FLYER: &str = "/events/{slug}/flyer";
    pub const PRIVATE: &str = "/rsvp/{token}";
    pub const PRIVATE_CANCEL: &str = "/rsvp/{token}/cancel";
    pub const REOPEN: &str = "/my/{id}/open";
    pub const PERSONAL_FEED: &str = "/my/feed/{token}/calendar.ics";
    pub const EDIT: &str = "/organise/events/{slug}/edit";
    pub const RSVPS: &str = "/organise/events/{slug}/rsvps";
    pub const RSVPS_CSV: &str = "/organise/events/{slug}/rsvps.csv";
    pub const DECIDE: &str = "/organise/events/{slug}/rsvps/{id}/{verb}";
    pub const ANNOUNCE: &str = "/organise/events/{slug}/announce";
    pub const CHECK_IN: &str = "/organise/events/{slug}/check-in";
    pub const STATUS: &str = "/organise/events/{slug}/status";
    pub const DUPLICATE: &str = "/organise/events/{slug}/duplicate";
    pub const ACCOUNT: &str = "/organise/accounts/{id}/{verb}";
    pub const MAIL_STOP: &str = "/mail/stop/{token}";
    pub const POSTER: &str = "/posters/{name}";
    pub const PRIVATE_POSTER: &str = "/rsvp/{token}/posters/{name}";
    pub const ORGANISER_POSTER: &str = "/organise/events/{slug}/posters/{name}";
    pub const POSTER_UPLOAD: &str = "/organise/events/{slug}/poster";
    pub const POSTER_REMOVE: &str = "/organise/events/{slug}/poster/remove";
}

/// The addresses that are pages (rendered by the app's routes), as the
/// router lists them.
pub const PAGES: [&str; 20] = [
    HOME,
    PAST,
    ABOUT,
    route::EVENT,
    route::PRIVATE,
    route::PRIVATE_CANCEL,
    MY_RSVPS,
    RENEW_FEED,
    ORGANISE,
    LOGIN,
    ACCOUNTS,
    AUDIT,
    SETTINGS,
    NEW_EVENT,
    route::EDIT,
    route::RSVPS,
    route::CHECK_IN,
    route::STATUS,
    route::MAIL_STOP,
    route::FLYER,
];

/// Whether an instance address (`http://NAME.onion`, any case, with a
/// port or a final dot) is a Tor onion address.
pub fn is_onion(base_url: &str) -> bool {
    let after_scheme = base_url
        .split_once("://")
        .map_or(base_url, |(_, rest)| rest);
    let host = after_scheme
        .split(['/', '?', '#'])
        .next()
        .unwrap_or_default();
    let host = host.rsplit_once('@').map_or(host, |(_, host)| host);
    let host = match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    };
    host.trim_end_matches('.')
        .to_ascii_lowercase()
        .ends_with(".onion")
}

pub fn event(slug: &str) -> String {
    format!("/events/{slug}")
}
/// Where the answer form posts without JavaScript.
pub fn event_rsvp(slug: &str) -> String {
    format!("/events/{slug}/rsvp")
}
pub fn event_ics(slug: &str) -> String {
    format!("/events/{slug}/calendar.ics")
}
/// A printable flyer of an event (A4 or Letter, as the printer has it).
pub fn flyer(slug: &str) -> String {
    format!("/events/{slug}/flyer")
}
/// The QR code of an event's address, as SVG.
pub fn event_qr(slug: &str) -> String {
    format!("/events/{slug}/qr.svg")
}
/// A member's private page: the token is the key, shown to its holder only.
pub fn private(token: &str) -> String {
    format!("/rsvp/{token}")
}
/// The step before an answer is cancelled (GET), and the cancelling (POST).
pub fn private_cancel(token: &str) -> String {
    format!("/rsvp/{token}/cancel")
}
/// From "My RSVPs": a fresh private link for one of the device's answers.
pub fn reopen(id: i64) -> String {
    format!("/my/{id}/open")
}
pub fn personal_feed(token: &str, lang_tag: &str) -> String {
    format!("/my/feed/{token}/calendar.ics?lang={lang_tag}")
}
pub fn edit(slug: &str) -> String {
    format!("/organise/events/{slug}/edit")
}
pub fn rsvps(slug: &str) -> String {
    format!("/organise/events/{slug}/rsvps")
}
pub fn rsvps_csv(slug: &str) -> String {
    format!("/organise/events/{slug}/rsvps.csv")
}
pub fn decide(slug: &str, id: i64, approve: bool) -> String {
    let verb = if approve { "approve" } else { "decline" };
    format!("/organise/events/{slug}/rsvps/{id}/{verb}")
}
/// Where an organiser's message to those who answered is sent (POST).
pub fn announce(slug: &str) -> String {
    format!("/organise/events/{slug}/announce")
}
pub fn check_in(slug: &str) -> String {
    format!("/organise/events/{slug}/check-in")
}
/// The step before an event is cancelled (GET), and any change of its
/// status (POST).
pub fn status(slug: &str) -> String {
    format!("/organise/events/{slug}/status")
}
pub fn duplicate(slug: &str) -> String {
    format!("/organise/events/{slug}/duplicate")
}
/// The link in an email that stops them (GET: a page asking; POST, as a
/// mail client's one click sends it: stopped).
pub fn mail_stop(token: &str) -> String {
    format!("/mail/stop/{token}")
}
/// A file of a poster of an event that is not sensitive.
pub fn poster(name: &str) -> String {
    format!("/posters/{name}")
}
/// A file of the poster of the event behind a private link.
pub fn private_poster(token: &str, name: &str) -> String {
    format!("/rsvp/{token}/posters/{name}")
}
/// A file of an event's poster, for its organisers.
pub fn organiser_poster(slug: &str, name: &str) -> String {
    format!("/organise/events/{slug}/posters/{name}")
}
/// Where a poster is uploaded (a multipart form), with its descriptions.
pub fn poster_upload(slug: &str) -> String {
    format!("/organise/events/{slug}/poster")
}
pub fn poster_remove(slug: &str) -> String {
    format!("/organise/events/{slug}/poster/remove")
}
/// An admin's action on an account: `disable`, `enable` or `password`.
pub fn account(id: i64, verb: &str) -> String {
    format!("/organise/accounts/{id}/{verb}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn onion_addresses_are_known_in_any_spelling() {
        for onion in [
            "http://abc.onion",
            "http://ABC.ONION",
            "http://abc.onion:8080",
            "https://abc.onion./",
        ] {
            assert!(is_onion(onion), "{onion}");
        }
        for public in [
            "https://events.example.org",
            "https://onion.example.org",
            "https://example.org/x.onion",
        ] {
            assert!(!is_onion(public), "{public}");
        }
    }

    /// Whether `path` is an address `pattern` serves.
    fn serves(pattern: &str, path: &str) -> bool {
        let path = path.split('?').next().unwrap_or(path);
        let (pattern, path): (Vec<_>, Vec<_>) =
            (pattern.split('/').collect(), path.split('/').collect());
        pattern.len() == path.len()
            && pattern
                .iter()
                .zip(&path)
                .all(|(p, s)| (p.starts_with('{') && p.ends_with('}') && !s.is_empty()) || p == s)
    }

    #[test]
    fn every_link_is_an_address_the_router_serves() {
        let links = [
            (route::EVENT, event("navruz")),
            (route::EVENT_RSVP, event_rsvp("navruz")),
            (route::EVENT_ICS, event_ics("navruz")),
            (route::EVENT_QR, event_qr("navruz")),
            (route::FLYER, flyer("navruz")),
            (route::PRIVATE, private("t0k3n")),
            (route::PRIVATE_CANCEL, private_cancel("t0k3n")),
            (route::REOPEN, reopen(7)),
            (route::PERSONAL_FEED, personal_feed("t0k3n", "fr")),
            (route::EDIT, edit("navruz")),
            (route::RSVPS, rsvps("navruz")),
            (route::RSVPS_CSV, rsvps_csv("navruz")),
            (route::DECIDE, decide("navruz", 7, true)),
            (route::DECIDE, decide("navruz", 7, false)),
            (route::ANNOUNCE, announce("navruz")),
            (route::CHECK_IN, check_in("navruz")),
            (route::STATUS, status("navruz")),
            (route::DUPLICATE, duplicate("navruz")),
            (route::ACCOUNT, account(7, "disable")),
            (route::MAIL_STOP, mail_stop("t0k3n")),
        ];
        for (pattern, link) in &links {
            assert!(serves(pattern, link), "{link} is not {pattern}");
        }
        assert!(!serves(route::EVENT, "/events/"));
        assert!(!serves(route::EVENT, "/events/a/b"));
    }
}
