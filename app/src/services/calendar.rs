//! Calendar files of events.

use super::{Disclosure, Reached, Site};
use crate::db::events::{self, EventRow, ListQuery, Period};
use crate::db::notices::NoticeRow;
use crate::db::{member_feeds, DbResult};
use crate::domain::{EventKind, EventStatus};
use crate::i18n::Lang;
use crate::ical::{date_stamp, local_stamp, utc_stamp, write_timezone, Writer};
use crate::rsvp::{answer_with_state, Answer, RsvpState};
use crate::secrets::token_hash;
use crate::tr;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

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

/// The addresses a calendar names: its events' UIDs take the host of the
/// instance's public address whichever address the calendar came from (so
/// that one event stays one event in a calendar app), while its links lead
/// to the address its reader came to.
struct Addresses {
    uids: String,
    links: String,
}

impl Addresses {
    fn of(site: &Site, reached: Reached) -> Addresses {
        let settings = site.settings();
        Addresses {
            uids: settings.base_url.clone(),
            links: settings.base_url_for(reached).to_string(),
        }
    }
}

/// What a member's own feed adds to an event: where their answer stands.
struct Attendance {
    answer: Answer,
    state: RsvpState,
    /// What the member was told about the event, newest first, as text.
    updates: Vec<String>,
}

fn answer_line(lang: Lang, attendance: &Attendance) -> String {
    format!(
        "{}: {}",
        tr!(lang, answer_label),
        answer_with_state(lang, attendance.answer, attendance.state)
    )
}

/// One VEVENT. `event` has been redacted to what its reader may see
/// ([`super::redact`]); a redacted entry carries its time and status alone,
/// under its public title.
fn write_event(
    w: &mut Writer,
    addresses: &Addresses,
    event: &EventRow,
    attendance: Option<&Attendance>,
    disclosure: Disclosure,
    lang: Lang,
    alarm: bool,
) {
    let Some((start, end, zone)) = super::local_times(event) else {
        tracing::error!(
            event = event.id,
            "stored event has unreadable times; left out of a calendar"
        );
        return;
    };
    // A member who is not (yet) sure of a place sees the event as tentative.
    let unsure =
        attendance.is_some_and(|a| a.answer == Answer::Maybe || a.state != RsvpState::Confirmed);
    let status = match event.status {
        EventStatus::Cancelled => "CANCELLED",
        EventStatus::Postponed => "TENTATIVE",
        EventStatus::Scheduled if unsure => "TENTATIVE",
        EventStatus::Scheduled => "CONFIRMED",
    };
    let place: Vec<&str> = [&event.venue_name, &event.venue_address, &event.city]
        .into_iter()
        .map(String::as_str)
        .filter(|s| !s.is_empty())
        .collect();
    let answer = attendance.map(|a| answer_line(lang, a)).unwrap_or_default();
    let updates = attendance.map(|a| a.updates.join("\n")).unwrap_or_default();
    // TENTATIVE alone is barely shown by calendar apps: a postponed event
    // says so in its title and first line, so that no one goes on the old
    // date. (A cancelled one has STATUS:CANCELLED, which they all show.)
    let postponed = event.status == EventStatus::Postponed;
    let title = if postponed {
        format!("{}: {}", tr!(lang, status_postponed), event.text.title)
    } else {
        event.text.title.clone()
    };
    let standing = if postponed {
        tr!(lang, calendar_postponed).to_string()
    } else {
        String::new()
    };
    let description: Vec<&str> = [
        &standing,
        &answer,
        &updates,
        &event.text.summary,
        &event.text.description,
    ]
    .into_iter()
    .map(String::as_str)
    .filter(|s| !s.is_empty())
    .collect();
    w.line("BEGIN", "VEVENT")
        .line("UID", &event_uid(event.id, &addresses.uids))
        .line(
            "DTSTAMP",
            &utc_stamp(chrono::DateTime::from_timestamp(event.updated_at, 0).unwrap_or_default()),
        );
    if event.all_day {
        w.line("DTSTART;VALUE=DATE", &date_stamp(start.date()))
            .line("DTEND;VALUE=DATE", &date_stamp(end.date()));
    } else {
        w.line(
            &format!("DTSTART;TZID={}", zone.name()),
            &local_stamp(start),
        )
        .line(&format!("DTEND;TZID={}", zone.name()), &local_stamp(end));
    }
    w.line("SEQUENCE", &event.sequence.to_string())
        .line("STATUS", status);
    if disclosure == Disclosure::Redacted {
        w.text("SUMMARY", &title);
        let told: Vec<&str> = [&standing, &answer, &updates]
            .into_iter()
            .map(String::as_str)
            .filter(|s| !s.is_empty())
            .collect();
        if !told.is_empty() {
            w.text("DESCRIPTION", &told.join("\n\n"));
        }
        if alarm {
            write_alarm(w, event, &title);
        }
        w.line("END", "VEVENT");
        return;
    }
    w.text("SUMMARY", &title);
    if !description.is_empty() {
        w.text("DESCRIPTION", &description.join("\n\n"));
    }
    if !place.is_empty() {
        w.text("LOCATION", &place.join(", "));
    }
    w.line(
        "URL",
        &format!("{}{}", addresses.links, crate::paths::event(&event.slug)),
    );
    if alarm {
        write_alarm(w, event, &title);
    }
    w.line("END", "VEVENT");
}

/// The event's reminder as a calendar alarm, the number of hours before
/// its start that its organisers set: none when they set none, or for an
/// event that does not take place when it says.
fn write_alarm(w: &mut Writer, event: &EventRow, title: &str) {
    if event.reminder_hours <= 0 || event.status != EventStatus::Scheduled {
        return;
    }
    w.line("BEGIN", "VALARM")
        .line("ACTION", "DISPLAY")
        .text("DESCRIPTION", title)
        .line("TRIGGER", &format!("-PT{}H", event.reminder_hours))
        .line("END", "VALARM");
}

/// The `.ics` of one event, or `None` when no event has that slug: what
/// the public page shows (a sensitive event's time under its public title).
pub async fn event_ics(
    site: &Site,
    slug: &str,
    lang: Lang,
    now: i64,
    reached: Reached,
) -> DbResult<Option<String>> {
    let Some(event) = events::by_slug(&site.db, slug, lang).await? else {
        return Ok(None);
    };
    let name = site.settings().instance_name.clone();
    let entries = vec![(event, None)];
    let kind = CalendarKind::ONE_EVENT;
    Ok(Some(
        build(site, name, entries, kind, lang, now, reached).await,
    ))
}

/// What sort of calendar is written: a subscription (which says how often
/// to fetch it again), and whether its events carry their reminders as
/// alarms (not in the public feeds: an alarm for every event of the
/// schedule is no one's wish).
#[derive(Clone, Copy, Debug)]
struct CalendarKind {
    subscription: bool,
    alarms: bool,
}

impl CalendarKind {
    const ONE_EVENT: CalendarKind = CalendarKind {
        subscription: false,
        alarms: true,
    };
    const PUBLIC_FEED: CalendarKind = CalendarKind {
        subscription: true,
        alarms: false,
    };
    const PERSONAL_FEED: CalendarKind = CalendarKind {
        subscription: true,
        alarms: true,
    };
}

/// Builds a calendar off the async workers (a large feed takes a while).
async fn build(
    site: &Site,
    name: String,
    events: Vec<(EventRow, Option<Attendance>)>,
    kind: CalendarKind,
    lang: Lang,
    now: i64,
    reached: Reached,
) -> String {
    let addresses = Addresses::of(site, reached);
    let zone = site.settings().default_zone;
    tokio::task::spawn_blocking(move || calendar(&addresses, &name, events, kind, lang, zone, now))
        .await
        .expect("writing a calendar does not panic")
}

/// A calendar of `events`, each redacted to what its reader may see, with
/// one VTIMEZONE per zone their times use.
fn calendar(
    addresses: &Addresses,
    name: &str,
    mut events: Vec<(EventRow, Option<Attendance>)>,
    kind: CalendarKind,
    lang: Lang,
    instance_zone: chrono_tz::Tz,
    now: i64,
) -> String {
    let mut w = Writer::default();
    w.line("BEGIN", "VCALENDAR")
        .line("VERSION", "2.0")
        .line("PRODID", "-//Yighin//Yighin//EN")
        .line("CALSCALE", "GREGORIAN")
        .line("METHOD", "PUBLISH")
        .text("X-WR-CALNAME", name);
    if kind.subscription {
        w.line("REFRESH-INTERVAL;VALUE=DURATION", "PT1H")
            .line("X-PUBLISHED-TTL", "PT1H");
    }
    let mut disclosures = Vec::with_capacity(events.len());
    for (event, attendance) in &mut events {
        let answer = attendance.as_ref().map(|a| (a.answer, a.state));
        let disclosure = super::Disclosure::of(event, answer, now);
        super::redact(event, disclosure, lang, instance_zone);
        disclosures.push(disclosure);
    }
    // The instants each zone must convert. All-day events are written as
    // dates, which need no zone.
    let mut zones: BTreeMap<&str, Vec<i64>> = BTreeMap::new();
    for (event, _) in events.iter().filter(|(e, _)| !e.all_day) {
        zones
            .entry(&event.time_zone)
            .or_default()
            .extend([event.starts_at, event.ends_at]);
    }
    for (name, instants) in zones {
        if let Some(zone) = crate::time::parse_zone(name) {
            write_timezone(&mut w, zone, &instants);
        }
    }
    for ((event, attendance), disclosure) in events.iter().zip(disclosures) {
        write_event(
            &mut w,
            addresses,
            event,
            attendance.as_ref(),
            disclosure,
            lang,
            kind.alarms,
        );
    }
    w.line("END", "VCALENDAR");
    w.finish()
}

/// The most events one feed carries.
pub const FEED_LIMIT: i64 = 5_000;

/// Which events a subscription feed carries, and in which language.
#[derive(Clone, Debug, Default)]
pub struct FeedFilter {
    pub kind: Option<EventKind>,
    pub city: Option<String>,
    /// Only events written in (or translated into) this language.
    pub written_in: Option<Lang>,
}

/// A feed's validator: changes whenever its content would, and is known
/// without building it. Returns it with the time of the last change.
pub async fn feed_etag(
    site: &Site,
    filter: &FeedFilter,
    lang: Lang,
    reached: Reached,
) -> DbResult<(String, i64)> {
    let (revision, last_change) = events::change_marker(&site.db).await?;
    let settings = site.settings();
    // Besides the events, a feed shows the instance's name (X-WR-CALNAME),
    // its addresses (in UIDs, and the one its reader came to in links) and
    // its time zone (a sensitive event's times are written in it): a change
    // of any is a change.
    let key = format!(
        "{}|{}|{}|{}|{}|{revision}|{last_change}|{}|{}|{}|{}",
        env!("CARGO_PKG_VERSION"),
        settings.instance_name,
        settings.base_url,
        settings.base_url_for(reached),
        settings.default_zone.name(),
        filter.kind.map_or("", |k| k.as_str()),
        filter.city.as_deref().unwrap_or(""),
        filter.written_in.map_or("", Lang::tag),
        lang.tag()
    );
    let digest = crate::secrets::token_hash(&key);
    Ok((
        format!("\"{}\"", &digest[..32]),
        last_change.max(settings.changed_at),
    ))
}

/// Feeds built lately, by their validator, so that a feed that has not
/// changed is served again rather than rebuilt for every poll.
#[derive(Clone, Debug, Default)]
pub struct FeedCache(Arc<Mutex<HashMap<String, Arc<str>>>>);

impl FeedCache {
    /// Distinct feeds kept; beyond it the cache starts over, which costs
    /// one rebuild each.
    const CAPACITY: usize = 64;

    fn get(&self, etag: &str) -> Option<Arc<str>> {
        self.0.lock().ok()?.get(etag).cloned()
    }

    fn put(&self, etag: String, body: Arc<str>) {
        if let Ok(mut feeds) = self.0.lock() {
            if feeds.len() >= Self::CAPACITY {
                feeds.clear();
            }
            feeds.insert(etag, body);
        }
    }
}

/// The subscription feed: every event (cancelled ones too, so that
/// calendars show them cancelled), filtered, text in `lang`. `etag` is the
/// validator [`feed_etag`] gave for the same filter, language and address.
pub async fn feed_ics(
    site: &Site,
    filter: &FeedFilter,
    lang: Lang,
    etag: &str,
    reached: Reached,
) -> DbResult<Arc<str>> {
    if let Some(body) = site.feeds.get(etag) {
        return Ok(body);
    }
    let rows = feed_rows(&site.db, filter, lang).await?;
    let events: Vec<_> = rows.into_iter().map(|row| (row, None)).collect();
    let name = site.settings().instance_name.clone();
    // A public feed has the same content at any time (no reveal hour
    // applies to it), so the cached copy stays right.
    let kind = CalendarKind::PUBLIC_FEED;
    let body: Arc<str> = build(site, name, events, kind, lang, super::now(), reached)
        .await
        .into();
    site.feeds.put(etag.to_string(), body.clone());
    Ok(body)
}

/// The events a subscription feed carries: every one (cancelled ones too,
/// so that calendars show them cancelled), filtered, oldest first.
pub async fn feed_rows(
    db: &crate::db::Database,
    filter: &FeedFilter,
    lang: Lang,
) -> DbResult<Vec<EventRow>> {
    let query = ListQuery {
        kind: filter.kind,
        city: filter.city.as_deref().filter(|c| !c.is_empty()),
        written_in: filter.written_in,
        organised_by: None,
        limit: FEED_LIMIT,
        offset: 0,
    };
    // "Upcoming" as of the beginning of time: every event.
    events::list(db, Period::Upcoming, lang, i64::MIN, &query).await
}

/// A subscription feed's text from its events, with nothing read from the
/// database: what [`feed_ics`] writes, on its own so that the benchmark can
/// time the writing alone.
pub fn public_feed_text(
    base_url: &str,
    name: &str,
    rows: Vec<EventRow>,
    lang: Lang,
    instance_zone: chrono_tz::Tz,
    now: i64,
) -> String {
    let events = rows.into_iter().map(|row| (row, None)).collect();
    let addresses = Addresses {
        uids: base_url.to_string(),
        links: base_url.to_string(),
    };
    calendar(
        &addresses,
        name,
        events,
        CalendarKind::PUBLIC_FEED,
        lang,
        instance_zone,
        now,
    )
}

/// The secret part of a device's personal feed address: derived from its
/// member key, so the key's holder can always be shown it again while the
/// database keeps only its hash; a new generation revokes the old address.
fn personal_feed_token(member_key: &str, generation: i64) -> String {
    crate::secrets::derived_token(member_key, &format!("personal calendar feed {generation}"))
}

/// A generation no earlier address of the device had: random, so that an
/// address revoked (or deleted with the device's last answer by the
/// purge) never comes back when the device makes a feed again.
fn new_generation() -> i64 {
    rand::random::<i64>() & i64::MAX
}

/// The path of the device's personal feed (made on first use).
pub async fn my_feed_path(site: &Site, member_key: &str, lang: Lang, now: i64) -> DbResult<String> {
    let member_hash = token_hash(member_key);
    let generation = match member_feeds::generation(&site.db, &member_hash).await? {
        Some(generation) => generation,
        None => {
            let generation = new_generation();
            let token = personal_feed_token(member_key, generation);
            member_feeds::save(&site.db, &member_hash, generation, &token_hash(&token), now)
                .await?;
            generation
        }
    };
    Ok(crate::paths::personal_feed(
        &personal_feed_token(member_key, generation),
        lang.tag(),
    ))
}

/// Revokes the device's personal feed address and makes a new one.
pub async fn renew_my_feed(site: &Site, member_key: &str, now: i64) -> DbResult<()> {
    let member_hash = token_hash(member_key);
    let generation = new_generation();
    let token = personal_feed_token(member_key, generation);
    member_feeds::save(&site.db, &member_hash, generation, &token_hash(&token), now).await
}

/// A personal feed: the events its device answered (except "not going" and
/// cancelled answers), each saying where the answer stands. `None` for an
/// address that is unknown or revoked.
pub async fn my_feed_ics(
    site: &Site,
    token: &str,
    lang: Lang,
    reached: Reached,
) -> DbResult<Option<String>> {
    if !crate::secrets::looks_like_token(token) {
        return Ok(None);
    }
    let Some(member_hash) = member_feeds::member_by_feed(&site.db, &token_hash(token)).await?
    else {
        return Ok(None);
    };
    let answered: Vec<_> = super::rsvp::answered_events(site, &member_hash, lang)
        .await?
        .into_iter()
        .filter(|(rsvp, _)| rsvp.answer != Answer::NotGoing && rsvp.state != RsvpState::Cancelled)
        .collect();
    let ids: Vec<i64> = answered.iter().map(|(rsvp, _)| rsvp.id).collect();
    let (now, zone) = (super::now(), site.settings().default_zone);
    let mut told: HashMap<i64, Vec<NoticeRow>> = HashMap::new();
    for (rsvp_id, notice) in crate::db::notices::of_answers(&site.db, &ids).await? {
        told.entry(rsvp_id).or_default().push(notice);
    }
    let mut entries: Vec<_> = answered
        .into_iter()
        .map(|(rsvp, event)| {
            // Told as the reader sees the event: a redacted one's times in
            // the instance's zone (its own would say where it is), and no
            // organiser's words.
            let disclosure = Disclosure::of(&event, Some((rsvp.answer, rsvp.state)), now);
            let mut shown = event.clone();
            super::redact(&mut shown, disclosure, lang, zone);
            let when = super::local_times(&shown)
                .map(|(start, end, _)| super::when_label(lang, &shown, start, end))
                .unwrap_or_default();
            let updates = told
                .remove(&rsvp.id)
                .unwrap_or_default()
                .iter()
                .take(crate::db::notices::SHOWN as usize)
                .map(|notice| {
                    super::notices::plain_text(site, notice, &shown, disclosure, &when, lang)
                })
                .collect();
            let attendance = Attendance {
                answer: rsvp.answer,
                state: rsvp.state,
                updates,
            };
            (event, Some(attendance))
        })
        .collect();
    entries.sort_by_key(|(event, _)| (event.starts_at, event.id));
    let name = format!(
        "{} – {}",
        site.settings().instance_name,
        tr!(lang, nav_my_rsvps)
    );
    let kind = CalendarKind::PERSONAL_FEED;
    Ok(Some(
        build(site, name, entries, kind, lang, now, reached).await,
    ))
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
