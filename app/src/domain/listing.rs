//! What the public lists and an event page show, already in the reader's
//! language and time zone.

use super::{EventKind, EventStatus, EventText};
use crate::i18n::Lang;
use crate::phase::EventPhase;
use serde::{Deserialize, Serialize};

/// The "About" page: who runs the instance, in the reader's language where
/// the admin wrote it, and what the site keeps.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AboutPage {
    pub name: String,
    /// The admin's text (Markdown) as HTML, sanitised on the server; empty
    /// when none is written.
    pub html: String,
    /// The language `html` is in.
    pub text_lang: Lang,
    /// Days after an event that its answers' names are deleted.
    pub retention_days: i64,
}

/// Filters of the public event lists, and which page of them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventFilter {
    pub kind: Option<EventKind>,
    pub city: Option<String>,
    /// 1-based; anything out of range means the first page.
    pub page: u32,
}

/// The highest page number a list link may ask for.
pub const MAX_PAGE: u32 = 10_000;

impl EventFilter {
    /// The page number as given in a URL, where anything unreadable or out
    /// of range is the first page.
    pub fn parse_page(text: Option<&str>) -> u32 {
        text.and_then(|p| p.parse::<u32>().ok())
            .filter(|p| (1..=MAX_PAGE).contains(p))
            .unwrap_or(1)
    }
}

/// One event in a list, with its time already formatted for the reader.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventCard {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub kind: EventKind,
    pub status: EventStatus,
    pub phase: EventPhase,
    pub city: String,
    /// The venue and city, as far as they are public.
    pub place: String,
    /// No seat left: answers join the waitlist.
    pub full: bool,
    /// Seats left, when the counts are public and there is a capacity.
    pub seats_left: Option<i64>,
    pub time_label: String,
    /// Set when the event's zone differs from the instance's.
    pub zone_label: Option<String>,
    /// The `datetime` attribute of `<time>`: the instant in RFC 3339.
    pub start_iso: String,
    /// The poster's small widths (none for a sensitive event).
    pub thumbnail: Option<super::Poster>,
}

/// Events of one local calendar day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayGroup {
    pub date_iso: String,
    pub date_label: String,
    pub events: Vec<EventCard>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventListing {
    pub days: Vec<DayGroup>,
    /// The cities that have events in this list, for the city filter.
    pub cities: Vec<String>,
    /// Whether a next page exists.
    pub has_more: bool,
}

/// An event page's content, in the reader's language where translated.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventDetail {
    pub slug: String,
    pub kind: EventKind,
    pub status: EventStatus,
    pub text: EventText,
    /// The description (Markdown) as HTML, sanitised on the server.
    pub description_html: String,
    /// The language `text` is in; differs from the reader's when untranslated.
    pub text_lang: Lang,
    pub when_label: String,
    pub zone_label: Option<String>,
    pub start_iso: String,
    pub phase: EventPhase,
    /// When it was to start before it was moved.
    pub moved_from: Option<String>,
    pub venue_name: String,
    pub venue_address: String,
    pub city: String,
    pub online_url: String,
    /// A sensitive event: its place is sent to confirmed members only.
    pub place_hidden: bool,
    pub capacity: Option<i64>,
    pub is_past: bool,
    pub rsvp: crate::rsvp::RsvpPanel,
    /// The poster (none for a sensitive event: it may show the place).
    pub poster: Option<super::Poster>,
}
