//! What the server functions do, as plain functions that tests call directly.

pub mod accounts;
pub mod calendar;
pub mod import;
pub mod limits;
pub mod organise;
pub mod rsvp;

use crate::db::events::{self, EventRow, ListQuery, Period};
use crate::db::rsvps;
use crate::db::{Database, DbResult};
use crate::domain::{DayGroup, EventCard, EventDetail, EventFilter, EventListing, MAX_PAGE};
use crate::i18n::Lang;
use crate::rsvp::{Answer, RsvpPanel, RsvpState};
use crate::time::{format_date, format_span, parse_local, parse_zone, zone_label};
use chrono::NaiveDateTime;
use chrono_tz::Tz;
use std::sync::{Arc, OnceLock, RwLock};

/// How many events one list page shows: a phone screen's worth of days,
/// light to send and quick to render.
pub const LIST_LIMIT: i64 = 50;

/// What the layer answering a request needs to know of a failure beyond
/// its message (which is logged, never sent): whether the database was
/// unreachable, so that trying again shortly may work (503, not 500).
pub trait Failure: std::fmt::Display {
    fn is_unavailable(&self) -> bool;
}

impl Failure for crate::db::DbError {
    fn is_unavailable(&self) -> bool {
        crate::db::DbError::is_unavailable(self)
    }
}

/// Implements [`Failure`] for a service error whose `Db` variant holds a
/// [`crate::db::DbError`].
macro_rules! failure_by_db_variant {
    ($($error:ty),*) => {$(
        impl crate::services::Failure for $error {
            fn is_unavailable(&self) -> bool {
                matches!(self, Self::Db(error) if error.is_unavailable())
            }
        }
    )*};
}
failure_by_db_variant!(
    rsvp::RsvpError,
    organise::OrganiseError,
    accounts::LoginError,
    accounts::AccountError
);

/// Instance-wide settings that pages need.
#[derive(Clone, Debug)]
pub struct Settings {
    pub instance_name: String,
    pub default_zone: Tz,
    pub default_lang: Lang,
    /// The languages offered, in the order the switcher lists them.
    pub languages: Vec<Lang>,
    /// Served over TLS: cookies get the `Secure` attribute.
    pub secure_cookies: bool,
    /// The public address, without a trailing slash, for links people keep.
    pub base_url: String,
    /// Days after an event its answers' names, contacts and notes are kept.
    pub retention_days: i64,
    /// Behind a reverse proxy: the header naming the client's address.
    pub client_ip_header: Option<String>,
    /// When an admin last changed the settings, or the instance's address
    /// changed (what feeds show besides events): part of their validators.
    pub changed_at: i64,
}

impl Settings {
    /// The offered language a tag names, else the instance's default.
    pub fn lang(&self, tag: Option<&str>) -> Lang {
        tag.and_then(Lang::from_tag)
            .filter(|l| self.languages.contains(l))
            .unwrap_or(self.default_lang)
    }
}

/// Everything a request handler needs, shared through axum state and
/// Leptos context.
#[derive(Clone, Debug)]
pub struct Site {
    pub db: Database,
    /// Admins change some settings while the server runs; readers take a
    /// snapshot with [`Site::settings`].
    settings: Arc<RwLock<Arc<Settings>>>,
    feeds: calendar::FeedCache,
    /// The key that hashes client addresses (and names no account has) for
    /// the rate limits. Never in the database: made at random when the
    /// server starts, or read from a file that every app server of one
    /// instance shares (see [`Site::with_client_key`]).
    client_key: Arc<str>,
    /// The key that signs device keys, so that only keys this instance
    /// issued are accepted (read from the database once).
    device_secret: Arc<OnceLock<String>>,
    /// What a sign-in with an unknown name is checked against; see
    /// [`accounts::decoy_hash`].
    decoy_hash: Arc<OnceLock<String>>,
    /// Password hashings allowed at once; see [`accounts::PASSWORD_WORK`].
    password_work: Arc<tokio::sync::Semaphore>,
}

impl Site {
    pub fn new(db: Database, settings: Settings) -> Site {
        Site {
            db,
            settings: Arc::new(RwLock::new(Arc::new(settings))),
            feeds: calendar::FeedCache::default(),
            client_key: crate::secrets::new_token().into(),
            device_secret: Arc::default(),
            decoy_hash: Arc::default(),
            password_work: Arc::new(tokio::sync::Semaphore::new(accounts::PASSWORD_WORK)),
        }
    }

    /// The same site with a client key of the operator's (shared by all
    /// app servers of the instance, so that their rate limits add up).
    pub fn with_client_key(mut self, key: &str) -> Site {
        self.client_key = key.into();
        self
    }

    /// The secret that signs device keys: made once per instance and kept
    /// in the database, where every app server finds it. (A copy of the
    /// database lets no one plant a device key: that needs a cookie set in
    /// the member's browser, which `__Host-` prevents over TLS.)
    pub async fn device_secret(&self) -> DbResult<String> {
        if let Some(secret) = self.device_secret.get() {
            return Ok(secret.clone());
        }
        let stored = crate::db::instance_values::instance_value(
            &self.db,
            "device_secret",
            &crate::secrets::new_token(),
        )
        .await?;
        Ok(self.device_secret.get_or_init(|| stored).clone())
    }

    /// The settings as they are now.
    pub fn settings(&self) -> Arc<Settings> {
        match self.settings.read() {
            Ok(settings) => settings.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    pub(crate) fn replace_settings(&self, settings: Settings) {
        let mut current = match self.settings.write() {
            Ok(current) => current,
            Err(poisoned) => poisoned.into_inner(),
        };
        *current = Arc::new(settings);
    }
}

/// Deletes the personal data of answers to events that ended more than
/// the retention period ago, and makes sure no copy stays in the database's
/// log. Returns how many answers were emptied.
pub async fn purge(site: &Site, now: i64) -> DbResult<u64> {
    let cutoff = now - site.settings().retention_days * 86_400;
    let purged = rsvps::purge_personal_data(&site.db, cutoff, now).await?;
    if purged > 0 {
        if !site.db.flush_deleted().await? {
            tracing::warn!("the database's write-ahead log stayed busy: deleted data may remain in it until the next purge");
        }
        tracing::info!(purged, "personal data of past events' answers deleted");
    }
    Ok(purged)
}

/// How much of an event someone may see. Only sensitive events hide
/// anything: their city, full title, texts and place are for the members an
/// organiser approved, and the place perhaps only from some hours before
/// the start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Disclosure {
    /// The public (and members not approved): a generic or public title,
    /// the kind and the time; nothing that says what or where.
    Redacted,
    /// Approved, before the place is revealed: everything but the place.
    NoPlace,
    Full,
}

impl Disclosure {
    /// What the holder of an answer (`None`: anyone) may see of `event`.
    pub fn of(event: &EventRow, answer: Option<(Answer, RsvpState)>, now: i64) -> Disclosure {
        if !event.sensitive {
            return Disclosure::Full;
        }
        if answer != Some((Answer::Going, RsvpState::Confirmed)) {
            return Disclosure::Redacted;
        }
        match event.reveal_hours {
            Some(hours) if now < event.starts_at - hours * 3600 => Disclosure::NoPlace,
            _ => Disclosure::Full,
        }
    }

    /// When the place will be shown to an approved member who cannot see
    /// it yet.
    pub fn place_revealed_at(event: &EventRow) -> Option<i64> {
        event
            .reveal_hours
            .filter(|_| event.sensitive)
            .map(|hours| event.starts_at - hours * 3600)
    }
}

/// The title of an event as the public sees it: its own, or for a
/// sensitive event the public title its organisers chose (or a generic one).
pub fn public_title(event: &EventRow, lang: Lang) -> String {
    if !event.sensitive {
        return event.text.title.clone();
    }
    match event.public_title.trim() {
        "" => crate::tr!(lang, private_event).to_string(),
        title => title.to_string(),
    }
}

/// Blanks what `disclosure` does not let through: the place (venue,
/// address, city, online link) unless full; for a redacted event also its
/// texts (its title becomes the public one), the language they are in, and
/// its time zone, whose name (`Europe/Istanbul`) can say where it is: its
/// times are given in `zone`, the instance's.
pub fn redact(event: &mut EventRow, disclosure: Disclosure, lang: Lang, zone: Tz) {
    if disclosure == Disclosure::Full {
        return;
    }
    event.venue_name.clear();
    event.venue_address.clear();
    event.city.clear();
    event.online_url.clear();
    if disclosure == Disclosure::Redacted {
        event.text = crate::domain::EventText {
            title: public_title(event, lang),
            ..Default::default()
        };
        event.text_lang = lang;
        if !event.all_day {
            let local = |at: i64| {
                chrono::DateTime::from_timestamp(at, 0)
                    .map(|t| crate::time::format_local(t.with_timezone(&zone).naive_local()))
            };
            if let (Some(start), Some(end)) = (local(event.starts_at), local(event.ends_at)) {
                event.start_local = start;
                event.end_local = end;
            }
        }
        event.time_zone = zone.name().to_string();
    }
}

pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// The local start and end of a stored event; rows are validated on the way
/// in, so a failure here means the data was damaged outside the app.
pub(crate) fn local_times(row: &EventRow) -> Option<(NaiveDateTime, NaiveDateTime, Tz)> {
    Some((
        parse_local(&row.start_local)?,
        parse_local(&row.end_local)?,
        parse_zone(&row.time_zone)?,
    ))
}

/// The start as `<time datetime>` gives it: the event's own wall-clock time
/// and UTC offset, so that both the instant and the local day can be read.
fn start_iso(row: &EventRow) -> String {
    let zone = parse_zone(&row.time_zone).unwrap_or(chrono_tz::UTC);
    chrono::DateTime::from_timestamp(row.starts_at, 0)
        .map(|t| t.with_timezone(&zone).to_rfc3339())
        .unwrap_or_default()
}

/// A list of events grouped by the local day each starts on.
pub async fn listing(
    site: &Site,
    period: Period,
    filter: &EventFilter,
    lang: Lang,
    now: i64,
) -> DbResult<EventListing> {
    let query = ListQuery {
        kind: filter.kind,
        city: filter.city.as_deref().filter(|c| !c.is_empty()),
        written_in: None,
        organised_by: None,
        // One more than a page, to learn whether another page follows.
        limit: LIST_LIMIT + 1,
        offset: i64::from(filter.page.clamp(1, MAX_PAGE) - 1) * LIST_LIMIT,
    };
    let mut rows = events::list(&site.db, period, lang, now, &query).await?;
    let has_more = rows.len() as i64 > LIST_LIMIT;
    rows.truncate(LIST_LIMIT as usize);
    let mut days: Vec<DayGroup> = Vec::new();
    for mut row in rows {
        let disclosure = Disclosure::of(&row, None, now);
        redact(&mut row, disclosure, lang, site.settings().default_zone);
        let Some((start, end, zone)) = local_times(&row) else {
            tracing::error!(event = row.id, "stored event has unreadable times; skipped");
            continue;
        };
        let card = EventCard {
            time_label: format_span(lang, start, end, row.all_day),
            zone_label: (zone != site.settings().default_zone).then(|| zone_label(zone, start)),
            start_iso: start_iso(&row),
            slug: row.slug,
            title: row.text.title,
            summary: row.text.summary,
            kind: row.kind,
            status: row.status,
            city: row.city,
        };
        let date_iso = start.date().to_string();
        match days.last_mut() {
            Some(day) if day.date_iso == date_iso => day.events.push(card),
            _ => days.push(DayGroup {
                date_label: format_date(lang, start.date()),
                date_iso,
                events: vec![card],
            }),
        }
    }
    let cities = events::cities(&site.db, period, now).await?;
    Ok(EventListing {
        days,
        cities,
        has_more,
    })
}

/// "Saturday, December 5, 2026, 2:00 p.m. – 4:00 p.m." and its equivalents.
pub fn when_label(lang: Lang, row: &EventRow, start: NaiveDateTime, end: NaiveDateTime) -> String {
    format!(
        "{}, {}",
        format_date(lang, start.date()),
        format_span(lang, start, end, row.all_day)
    )
}

/// Where an event is, as one line: venue, address, city, and the online
/// link if any.
pub fn place_of(event: &EventRow) -> String {
    [
        &event.venue_name,
        &event.venue_address,
        &event.city,
        &event.online_url,
    ]
    .into_iter()
    .map(|s| s.trim())
    .filter(|s| !s.is_empty())
    .collect::<Vec<_>>()
    .join(", ")
}

/// Organisers write descriptions in Markdown; readers get HTML that can
/// hold no script, style, frame or event handler (ammonia's allow-list),
/// no image (it would load from another site and tell it who reads), and
/// whose links open without telling the other site where from.
pub fn markdown_html(markdown: &str) -> String {
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(markdown));
    ammonia::Builder::default()
        .rm_tags(&["img"])
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean(&html)
        .to_string()
}

/// One event's page content, or `None` when no event has that slug.
pub async fn detail(
    site: &Site,
    slug: &str,
    lang: Lang,
    now: i64,
) -> DbResult<Option<EventDetail>> {
    let Some(mut row) = events::by_slug(&site.db, slug, lang).await? else {
        return Ok(None);
    };
    // The public page: a sensitive event's texts, city and place are for
    // approved members, on their private page.
    let disclosure = Disclosure::of(&row, None, now);
    redact(&mut row, disclosure, lang, site.settings().default_zone);
    let (start, end, zone) = local_times(&row)
        .ok_or_else(|| crate::db::DbError::Corrupt(format!("times of event {}", row.id)))?;
    let rules = rsvps::rules(&site.db, row.id)
        .await?
        .ok_or(crate::db::DbError::NotFound)?;
    let counts = if rules.hide_counts {
        None
    } else {
        Some(rsvps::counts(&site.db, row.id).await?)
    };
    Ok(Some(EventDetail {
        rsvp: RsvpPanel {
            accepting: rules.accepting(now),
            counts,
            capacity: row.capacity,
            approval_required: rules.approval_required,
        },
        when_label: when_label(lang, &row, start, end),
        zone_label: (zone != site.settings().default_zone).then(|| zone_label(zone, start)),
        start_iso: start_iso(&row),
        is_past: row.ends_at <= now,
        slug: row.slug,
        kind: row.kind,
        status: row.status,
        description_html: markdown_html(&row.text.description),
        text: row.text,
        text_lang: row.text_lang,
        place_hidden: row.sensitive,
        venue_name: row.venue_name,
        venue_address: row.venue_address,
        city: row.city,
        online_url: row.online_url,
        capacity: row.capacity,
    }))
}

#[cfg(test)]
mod tests {
    use super::markdown_html;

    #[test]
    fn markdown_is_rendered_and_anything_active_removed() {
        let html = markdown_html("**Bring** a [map](https://example.org).\n\n<script>alert(1)</script><img src=https://tracker.example/x.png onerror=alert(1)>\n\n[x](javascript:alert(1)) ![pixel](https://tracker.example/p.gif)");
        assert!(html.contains("<strong>Bring</strong>"), "{html}");
        assert!(
            html.contains(
                "<a href=\"https://example.org\" rel=\"noopener noreferrer nofollow\">map</a>"
            ),
            "{html}"
        );
        for banned in [
            "<script",
            "onerror",
            "javascript:",
            "<img",
            "tracker.example",
        ] {
            assert!(!html.contains(banned), "{banned} in {html}");
        }
        assert_eq!(markdown_html("نورۇز مۇبارەك"), "<p>نورۇز مۇبارەك</p>\n");
    }
}
