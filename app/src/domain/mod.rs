//! Domain types and validation, shared by the server and the browser.

use crate::i18n::Lang;
use crate::time::{self, LocalTimeError};
use crate::validation::TextRule;
pub use crate::validation::{FieldError, Problem};
use chrono::NaiveDateTime;
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

mod listing;
pub use listing::*;
mod poster;
pub use poster::*;

macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal => $msg:ident),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name { $($variant),* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The stable name used in URLs and the database.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),* }
            }

            pub fn parse(text: &str) -> Option<Self> {
                match text { $($text => Some($name::$variant),)* _ => None }
            }

            /// Its label in `lang`.
            pub fn label(self, lang: Lang) -> &'static str {
                match self { $($name::$variant => crate::tr!(lang, $msg)),* }
            }
        }
    };
}

string_enum! {
    /// What sort of gathering an event is.
    EventKind {
        Demonstration = "demonstration" => kind_demonstration,
        Screening = "screening" => kind_screening,
        Iftar = "iftar" => kind_iftar,
        Seminar = "seminar" => kind_seminar,
        Celebration = "celebration" => kind_celebration,
        Meeting = "meeting" => kind_meeting,
        Conference = "conference" => kind_conference,
        Other = "other" => other_kind,
    }
}

string_enum! {
    EventStatus {
        Scheduled = "scheduled" => status_scheduled,
        Postponed = "postponed" => status_postponed,
        Cancelled = "cancelled" => status_cancelled,
    }
}

/// Limits on stored text, in characters.
pub mod limits {
    pub const SLUG: usize = 80;
    pub const TITLE: usize = 140;
    pub const SUMMARY: usize = 300;
    pub const DESCRIPTION: usize = 20_000;
    pub const NOTES: usize = 2_000;
    pub const VENUE: usize = 200;
    pub const ADDRESS: usize = 300;
    pub const CITY: usize = 80;
    pub const URL: usize = 500;
    pub const CAPACITY: i64 = 100_000;
    /// The organisation's name, shown on every page.
    pub const INSTANCE_NAME: usize = 80;
    /// The "About" text an admin writes, in one language.
    pub const ABOUT: usize = 5_000;
    /// The longest event with times, in days: a conference or a festival.
    /// (Longer spans cost calendars work for nothing; a series is many
    /// events.)
    pub const EVENT_DAYS: i64 = 14;
    /// The longest all-day event, in days: a month-long fast, an exhibition.
    pub const ALL_DAY_EVENT_DAYS: i64 = 31;
}

/// An event's address made from its title: "Iftar at Parliament Hill" is
/// `iftar-at-parliament-hill`; letters with marks lose them (Ürümchi is
/// `urumchi`); a title with no Latin letters (Uyghur in Arabic script) is
/// `event`, which the organiser may change.
pub fn slug_from(title: &str) -> String {
    let mut slug = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        let plain = match c {
            'a'..='z' | '0'..='9' => Some(c),
            'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' => Some('a'),
            'ç' => Some('c'),
            'è' | 'é' | 'ê' | 'ë' => Some('e'),
            'ğ' => Some('g'),
            'ì' | 'í' | 'î' | 'ï' | 'ı' => Some('i'),
            'ñ' => Some('n'),
            'ò' | 'ó' | 'ô' | 'ö' | 'õ' => Some('o'),
            'ş' => Some('s'),
            'ù' | 'ú' | 'û' | 'ü' => Some('u'),
            _ => None,
        };
        match plain {
            Some(c) => slug.push(c),
            None if !slug.is_empty() && !slug.ends_with('-') => slug.push('-'),
            None => {}
        }
        if slug.len() >= limits::SLUG - 3 {
            break;
        }
    }
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() {
        "event".to_string()
    } else {
        slug.to_string()
    }
}

/// The translatable text of an event, in one language.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventText {
    pub title: String,
    pub summary: String,
    pub description: String,
    pub accessibility: String,
    pub what_to_bring: String,
    pub safety: String,
}

/// An event as an organiser (or the demo loader, or an importer) submits it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventDraft {
    pub slug: String,
    pub kind: EventKind,
    pub status: EventStatus,
    /// Local wall-clock times as `YYYY-MM-DDTHH:MM`, in `time_zone`.
    pub start_local: String,
    pub end_local: String,
    /// An IANA zone name such as `America/Toronto`.
    pub time_zone: String,
    /// Only the dates count: the times are midnight to midnight (the end
    /// being the day after the last).
    #[serde(default)]
    pub all_day: bool,
    /// The place is shown only to members with a confirmed place; public
    /// subscription feeds carry `public_title` (or a generic one) alone.
    #[serde(default)]
    pub sensitive: bool,
    #[serde(default)]
    pub public_title: String,
    pub venue_name: String,
    pub venue_address: String,
    pub city: String,
    pub online_url: String,
    pub capacity: Option<i64>,
    /// The language the text was written in; other languages are translations.
    pub original_lang: Lang,
    pub texts: Vec<(Lang, EventText)>,
}

/// A draft that passed validation, with its instants worked out.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidEvent {
    pub draft: EventDraft,
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
    pub zone: Tz,
    /// Seconds since the Unix epoch.
    pub starts_at: i64,
    pub ends_at: i64,
}

impl EventDraft {
    /// A scheduled event of `kind` with a title in one language and times
    /// in `time_zone`, and nothing else (no place, no capacity): a draft to
    /// complete with struct update syntax (`EventDraft { capacity: Some(60),
    /// ..EventDraft::titled(…) }`).
    pub fn titled(
        slug: &str,
        kind: EventKind,
        title: (Lang, &str),
        start_local: &str,
        end_local: &str,
        time_zone: &str,
    ) -> EventDraft {
        EventDraft {
            slug: slug.into(),
            kind,
            status: EventStatus::Scheduled,
            start_local: start_local.into(),
            end_local: end_local.into(),
            time_zone: time_zone.into(),
            all_day: false,
            sensitive: false,
            public_title: String::new(),
            venue_name: String::new(),
            venue_address: String::new(),
            city: String::new(),
            online_url: String::new(),
            capacity: None,
            original_lang: title.0,
            texts: vec![(
                title.0,
                EventText {
                    title: title.1.into(),
                    ..Default::default()
                },
            )],
        }
    }

    pub fn validate(self) -> Result<ValidEvent, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut problem = |field: &str, problem: Problem| {
            errors.push(FieldError {
                field: field.to_string(),
                problem,
            })
        };

        if self.slug.is_empty() {
            problem("slug", Problem::Required);
        } else if self.slug.len() > limits::SLUG {
            problem("slug", Problem::TooLong { max: limits::SLUG });
        } else if !self
            .slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            || self.slug.starts_with('-')
            || self.slug.ends_with('-')
        {
            problem("slug", Problem::InvalidSlug);
        }

        for (field, value, max) in [
            ("public_title", &self.public_title, limits::TITLE),
            ("venue_name", &self.venue_name, limits::VENUE),
            ("venue_address", &self.venue_address, limits::ADDRESS),
            ("city", &self.city, limits::CITY),
            ("online_url", &self.online_url, limits::URL),
        ] {
            if let Some(p) = TextRule::optional(max).check(value) {
                problem(field, p);
            }
        }
        let url = &self.online_url;
        if !(url.is_empty() || url.starts_with("https://") || url.starts_with("http://")) {
            problem("online_url", Problem::InvalidUrl);
        }
        if let Some(capacity) = self.capacity {
            if !(1..=limits::CAPACITY).contains(&capacity) {
                problem(
                    "capacity",
                    Problem::NotBetween {
                        min: 1,
                        max: limits::CAPACITY,
                    },
                );
            }
        }

        if !self
            .texts
            .iter()
            .any(|(lang, _)| *lang == self.original_lang)
        {
            problem("title", Problem::MissingOriginalText);
        }
        for (lang, text) in &self.texts {
            let tag = lang.tag();
            for (field, value, rule) in [
                ("title", &text.title, TextRule::required(limits::TITLE)),
                (
                    "summary",
                    &text.summary,
                    TextRule::optional(limits::SUMMARY),
                ),
                (
                    "description",
                    &text.description,
                    TextRule::optional(limits::DESCRIPTION),
                ),
                (
                    "accessibility",
                    &text.accessibility,
                    TextRule::optional(limits::NOTES),
                ),
                (
                    "what_to_bring",
                    &text.what_to_bring,
                    TextRule::optional(limits::NOTES),
                ),
                ("safety", &text.safety, TextRule::optional(limits::NOTES)),
            ] {
                if let Some(p) = rule.check(value) {
                    problem(&format!("{field}.{tag}"), p);
                }
            }
        }

        let zone = time::parse_zone(&self.time_zone);
        if zone.is_none() {
            problem("time_zone", Problem::UnknownTimeZone);
        }
        let start = time::parse_local(&self.start_local);
        let end = time::parse_local(&self.end_local);
        if start.is_none() {
            problem("start", Problem::InvalidDateTime);
        }
        if end.is_none() {
            problem("end", Problem::InvalidDateTime);
        }
        let all_day = self.all_day;
        for (field, time) in [("start", start), ("end", end)] {
            if all_day && time.is_some_and(|t| t.time() != chrono::NaiveTime::MIN) {
                problem(field, Problem::InvalidDateTime);
            }
        }
        // A day begins at its first minute, even where midnight is skipped.
        let resolve = |local: NaiveDateTime, zone: Tz| {
            time::resolve(local, zone).or_else(|error| match all_day {
                true => time::resolve(local + chrono::TimeDelta::hours(1), zone),
                false => Err(error),
            })
        };
        let mut instants = None;
        if let (Some(zone), Some(start), Some(end)) = (zone, start, end) {
            let resolved = (resolve(start, zone), resolve(end, zone));
            for (field, result) in [("start", &resolved.0), ("end", &resolved.1)] {
                if let Err(LocalTimeError::Nonexistent) = result {
                    problem(field, Problem::NonexistentLocalTime);
                }
            }
            if let (Ok(s), Ok(e)) = resolved {
                let max_days = if all_day {
                    limits::ALL_DAY_EVENT_DAYS
                } else {
                    limits::EVENT_DAYS
                };
                if e <= s {
                    problem("end", Problem::EndBeforeStart);
                } else if (end - start).num_seconds() > max_days * 86_400 {
                    // Wall-clock length: an all-day run of 31 days stays 31
                    // days across a daylight-saving change.
                    problem("end", Problem::EventTooLong { max_days });
                } else {
                    instants = Some((zone, start, end, s.timestamp(), e.timestamp()));
                }
            }
        }

        match instants {
            Some((zone, start, end, starts_at, ends_at)) if errors.is_empty() => Ok(ValidEvent {
                draft: self,
                start,
                end,
                zone,
                starts_at,
                ends_at,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests;
