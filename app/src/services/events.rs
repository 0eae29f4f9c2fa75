//! The public side of events: the lists (grouped by day) and an event's
//! page, with what they share (when, where, the description as HTML).

use super::posters::PosterAddress;
use super::{local_times, redact, Disclosure, Site};
use crate::db::events::{self, EventRow, ListQuery, Period};
use crate::db::{rsvps, DbResult};
use crate::domain::{DayGroup, EventCard, EventDetail, EventFilter, EventListing, MAX_PAGE};
use crate::i18n::Lang;
use crate::phase::EventPhase;
use crate::rsvp::RsvpPanel;
use crate::time::{comma, format_date, format_date_time, format_span, parse_zone, zone_label};
use chrono::NaiveDateTime;

/// How many events one list page shows: a phone screen's worth of days,
/// light to send and quick to render.
pub const LIST_LIMIT: i64 = 50;

/// The start as `<time datetime>` gives it: the event's own wall-clock time
/// and UTC offset, so that both the instant and the local day can be read.
fn start_iso(row: &EventRow) -> String {
    let zone = parse_zone(&row.time_zone).unwrap_or(chrono_tz::UTC);
    chrono::DateTime::from_timestamp(row.starts_at, 0)
        .map(|t| t.with_timezone(&zone).to_rfc3339())
        .unwrap_or_default()
}

/// Where an event stands at `now`.
pub fn phase(row: &EventRow, now: i64) -> EventPhase {
    use crate::domain::EventStatus;
    match row.status {
        EventStatus::Cancelled => EventPhase::Cancelled,
        // Its old date passing does not make it happen.
        EventStatus::Postponed => EventPhase::Postponed,
        _ if row.ends_at <= now => EventPhase::Past,
        EventStatus::Scheduled if row.previous_starts_at.is_some() => EventPhase::Rescheduled,
        EventStatus::Scheduled => EventPhase::Upcoming,
    }
}

/// When a moved event was to start, in its own zone: "Friday, May 7, 2027,
/// 7:00 p.m.".
pub fn moved_from(lang: Lang, row: &EventRow) -> Option<String> {
    let zone = parse_zone(&row.time_zone)?;
    let before = chrono::DateTime::from_timestamp(row.previous_starts_at?, 0)?
        .with_timezone(&zone)
        .naive_local();
    Some(if row.all_day {
        format_date(lang, before.date())
    } else {
        format_date_time(lang, before)
    })
}

/// "Full" or the seats left, as the public may know them: only when the
/// counts are public, and only while the event takes answers on a date
/// that holds (an archive of final attendance would say what the counts
/// did not).
fn public_availability(row: &EventRow, now: i64) -> (bool, Option<i64>) {
    let taken = row.seats_taken;
    if !row.counts_public(taken) || !phase(row, now).date_holds() {
        return (false, None);
    }
    let left = row.capacity.map(|capacity| (capacity - taken).max(0));
    (row.is_full(taken), left)
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
    let mut thumbnails = super::posters::thumbnails(site, &rows).await?;
    let mut days: Vec<DayGroup> = Vec::new();
    for mut row in rows {
        let disclosure = Disclosure::of(&row, None, now);
        redact(&mut row, disclosure, lang, site.settings().default_zone);
        let Some((start, end, zone)) = local_times(&row) else {
            tracing::error!(event = row.id, "stored event has unreadable times; skipped");
            continue;
        };
        let (full, seats_left) = public_availability(&row, now);
        let card = EventCard {
            phase: phase(&row, now),
            place: [row.venue_name.as_str(), row.city.as_str()]
                .into_iter()
                .filter(|part| !part.trim().is_empty())
                .collect::<Vec<_>>()
                .join(", "),
            full,
            seats_left,
            time_label: format_span(lang, start, end, row.all_day),
            zone_label: (zone != site.settings().default_zone)
                .then(|| zone_label(lang, zone, start)),
            start_iso: start_iso(&row),
            thumbnail: thumbnails.remove(&row.id),
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
        "{}{} {}",
        format_date(lang, start.date()),
        comma(lang),
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
    // One read decides and shows: a cancellation in between must not show
    // a count under the threshold.
    let counts = rsvps::counts(&site.db, row.id).await?;
    let public = row.counts_public(counts.going);
    let poster = super::posters::poster(site, &row, lang, PosterAddress::Public).await?;
    Ok(Some(EventDetail {
        poster,
        rsvp: RsvpPanel {
            accepting: rules.accepting(now),
            counts: public.then_some(counts),
            capacity: row.capacity.filter(|_| public),
            full: public && row.is_full(counts.going),
            approval_required: rules.approval_required,
        },
        phase: phase(&row, now),
        moved_from: moved_from(lang, &row),
        when_label: when_label(lang, &row, start, end),
        zone_label: (zone != site.settings().default_zone).then(|| zone_label(lang, zone, start)),
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
        capacity: row.capacity.filter(|_| public),
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
