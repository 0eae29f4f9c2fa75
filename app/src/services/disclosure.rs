//! How much of an event someone may see: sensitive events tell their
//! title, texts and place only to the members an organiser approved.

use crate::db::events::EventRow;
use crate::i18n::Lang;
use crate::rsvp::{Answer, RsvpState};
use chrono_tz::Tz;

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
