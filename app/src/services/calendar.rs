//! Calendar files of events.

use super::Site;
use crate::db::events::{self, EventRow, ListQuery, Period};
use crate::db::DbResult;
use crate::domain::{EventFilter, EventStatus};
use crate::i18n::Lang;
use crate::ical::{local_stamp, utc_stamp, write_timezone, Writer};
use std::collections::BTreeMap;

/// The host part of the instance's address, for UIDs.
fn host(base_url: &str) -> &str {
    let rest = base_url
        .split_once("://")
        .map_or(base_url, |(_, rest)| rest);
    rest.split(['/', '?', '#']).next().unwrap_or(rest)
}

/// An event's UID: it never changes, whatever else does.
pub fn event_uid(event_id: i64, base_url: &str) -> String {
    format!("event-{event_id}@{}", host(base_url))
}

fn write_event(w: &mut Writer, site: &Site, event: &EventRow) {
    let Some((start, end, zone)) = super::local_times(event) else {
        tracing::error!(
            event = event.id,
            "stored event has unreadable times; left out of a calendar"
        );
        return;
    };
    let status = match event.status {
        EventStatus::Scheduled => "CONFIRMED",
        EventStatus::Postponed => "TENTATIVE",
        EventStatus::Cancelled => "CANCELLED",
    };
    let place: Vec<&str> = [&event.venue_name, &event.venue_address, &event.city]
        .into_iter()
        .map(String::as_str)
        .filter(|s| !s.is_empty())
        .collect();
    let description: Vec<&str> = [&event.text.summary, &event.text.description]
        .into_iter()
        .map(String::as_str)
        .filter(|s| !s.is_empty())
        .collect();
    w.line("BEGIN", "VEVENT")
        .line("UID", &event_uid(event.id, &site.settings.base_url))
        .line(
            "DTSTAMP",
            &utc_stamp(chrono::DateTime::from_timestamp(event.updated_at, 0).unwrap_or_default()),
        )
        .line(
            &format!("DTSTART;TZID={}", zone.name()),
            &local_stamp(start),
        )
        .line(&format!("DTEND;TZID={}", zone.name()), &local_stamp(end))
        .line("SEQUENCE", &event.sequence.to_string())
        .line("STATUS", status)
        .text("SUMMARY", &event.text.title);
    if !description.is_empty() {
        w.text("DESCRIPTION", &description.join("\n\n"));
    }
    if !place.is_empty() {
        w.text("LOCATION", &place.join(", "));
    }
    w.line(
        "URL",
        &format!("{}/events/{}", site.settings.base_url, event.slug),
    )
    .line("END", "VEVENT");
}

/// The `.ics` of one event, or `None` when no event has that slug.
pub async fn event_ics(site: &Site, slug: &str, lang: Lang) -> DbResult<Option<String>> {
    let Some(event) = events::by_slug(&site.db, slug, lang).await? else {
        return Ok(None);
    };
    Ok(Some(calendar(site, std::slice::from_ref(&event), false)))
}

/// A calendar of `events`, with one VTIMEZONE per zone they use.
fn calendar(site: &Site, events: &[EventRow], subscription: bool) -> String {
    let mut w = Writer::default();
    w.line("BEGIN", "VCALENDAR")
        .line("VERSION", "2.0")
        .line("PRODID", "-//Yighin//Yighin//EN")
        .line("CALSCALE", "GREGORIAN")
        .line("METHOD", "PUBLISH")
        .text("X-WR-CALNAME", &site.settings.instance_name);
    if subscription {
        w.line("REFRESH-INTERVAL;VALUE=DURATION", "PT1H")
            .line("X-PUBLISHED-TTL", "PT1H");
    }
    // Each zone's span, a day either side so every local time is covered.
    let mut zones: BTreeMap<&str, (i64, i64)> = BTreeMap::new();
    for event in events {
        let span = zones
            .entry(&event.time_zone)
            .or_insert((event.starts_at, event.ends_at));
        *span = (span.0.min(event.starts_at), span.1.max(event.ends_at));
    }
    for (name, (from, to)) in zones {
        if let Some(zone) = crate::time::parse_zone(name) {
            write_timezone(&mut w, zone, from - 86_400, to + 86_400);
        }
    }
    for event in events {
        write_event(&mut w, site, event);
    }
    w.line("END", "VCALENDAR");
    w.finish()
}

/// The most events one feed carries.
pub const FEED_LIMIT: i64 = 5_000;

/// A feed's validator: changes whenever its content would, and is known
/// without building it. Returns it with the time of the last change.
pub async fn feed_etag(site: &Site, filter: &EventFilter, lang: Lang) -> DbResult<(String, i64)> {
    let (count, last_change) = events::change_marker(&site.db).await?;
    let key = format!(
        "{count}|{last_change}|{}|{}|{}",
        filter.kind.map_or("", |k| k.as_str()),
        filter.city.as_deref().unwrap_or(""),
        lang.tag()
    );
    let digest = crate::secrets::token_hash(&key);
    Ok((format!("\"{}\"", &digest[..32]), last_change))
}

/// The subscription feed: every event (cancelled ones too, so that
/// calendars show them cancelled), filtered by kind and city, text in `lang`.
pub async fn feed_ics(site: &Site, filter: &EventFilter, lang: Lang) -> DbResult<String> {
    let query = ListQuery {
        kind: filter.kind,
        city: filter.city.as_deref().filter(|c| !c.is_empty()),
        limit: FEED_LIMIT,
        offset: 0,
    };
    // "Upcoming" as of the beginning of time: every event, oldest first.
    let rows = events::list(&site.db, Period::Upcoming, lang, i64::MIN, &query).await?;
    Ok(calendar(site, &rows, true))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uids_depend_only_on_the_event_and_the_instance() {
        assert_eq!(
            event_uid(42, "https://events.example.org/"),
            "event-42@events.example.org"
        );
        assert_eq!(
            event_uid(42, "http://127.0.0.1:3000"),
            "event-42@127.0.0.1:3000"
        );
        assert_ne!(
            event_uid(42, "https://a.example"),
            event_uid(43, "https://a.example")
        );
    }
}
