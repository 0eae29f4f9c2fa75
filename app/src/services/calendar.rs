//! Calendar files of events.

use super::Site;
use crate::db::events::{self, EventRow};
use crate::db::DbResult;
use crate::domain::EventStatus;
use crate::i18n::Lang;
use crate::ical::{local_stamp, utc_stamp, write_timezone, Writer};

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

fn write_event(w: &mut Writer, site: &Site, event: &EventRow, now: i64) {
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
            &utc_stamp(chrono::DateTime::from_timestamp(now, 0).unwrap_or_default()),
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
pub async fn event_ics(site: &Site, slug: &str, lang: Lang, now: i64) -> DbResult<Option<String>> {
    let Some(event) = events::by_slug(&site.db, slug, lang).await? else {
        return Ok(None);
    };
    let mut w = Writer::default();
    w.line("BEGIN", "VCALENDAR")
        .line("VERSION", "2.0")
        .line("PRODID", "-//Yighin//Yighin//EN")
        .line("CALSCALE", "GREGORIAN")
        .line("METHOD", "PUBLISH")
        .text("X-WR-CALNAME", &site.settings.instance_name);
    if let Some(zone) = crate::time::parse_zone(&event.time_zone) {
        // A day either side, so that every local time in the event is covered.
        write_timezone(
            &mut w,
            zone,
            event.starts_at - 86_400,
            event.ends_at + 86_400,
        );
    }
    write_event(&mut w, site, &event, now);
    w.line("END", "VCALENDAR");
    Ok(Some(w.finish()))
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
