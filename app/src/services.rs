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
use crate::rsvp::RsvpPanel;
use crate::time::{format_date, format_span, parse_local, parse_zone, zone_label};
use chrono::NaiveDateTime;
use chrono_tz::Tz;
use std::sync::{Arc, OnceLock, RwLock};

/// How many events one list page shows: a phone screen's worth of days,
/// light to send and quick to render.
pub const LIST_LIMIT: i64 = 50;

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
    /// The instance's key for hashing client addresses, read once (it
    /// never changes) instead of on every answer and sign-in.
    client_key: Arc<OnceLock<String>>,
    /// What a sign-in with an unknown name is checked against; see
    /// [`accounts::decoy_hash`].
    decoy_hash: Arc<OnceLock<String>>,
}

impl Site {
    pub fn new(db: Database, settings: Settings) -> Site {
        Site {
            db,
            settings: Arc::new(RwLock::new(Arc::new(settings))),
            feeds: calendar::FeedCache::default(),
            client_key: Arc::default(),
            decoy_hash: Arc::default(),
        }
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
        site.db.flush_deleted().await?;
        tracing::info!(purged, "personal data of past events' answers deleted");
    }
    Ok(purged)
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
    for row in rows {
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
    let Some(row) = events::by_slug(&site.db, slug, lang).await? else {
        return Ok(None);
    };
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
        // A sensitive event's place goes only to members with a place.
        place_hidden: row.sensitive,
        venue_name: if row.sensitive {
            String::new()
        } else {
            row.venue_name
        },
        venue_address: if row.sensitive {
            String::new()
        } else {
            row.venue_address
        },
        city: row.city,
        online_url: if row.sensitive {
            String::new()
        } else {
            row.online_url
        },
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
