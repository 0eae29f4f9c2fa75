//! Domain types and validation, shared by the server and the browser.

use crate::i18n::Lang;
use crate::time::{self, LocalTimeError};
use crate::validation::TextRule;
pub use crate::validation::{FieldError, Problem};
use chrono::NaiveDateTime;
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

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
    /// The longest event with times, in days: a conference or a festival.
    /// (Longer spans cost calendars work for nothing; a series is many
    /// events.)
    pub const EVENT_DAYS: i64 = 14;
    /// The longest all-day event, in days: a month-long fast, an exhibition.
    pub const ALL_DAY_EVENT_DAYS: i64 = 31;
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
    pub city: String,
    pub time_label: String,
    /// Set when the event's zone differs from the instance's.
    pub zone_label: Option<String>,
    /// The `datetime` attribute of `<time>`: the instant in RFC 3339.
    pub start_iso: String,
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
    pub venue_name: String,
    pub venue_address: String,
    pub city: String,
    pub online_url: String,
    /// A sensitive event: its place is sent to confirmed members only.
    pub place_hidden: bool,
    pub capacity: Option<i64>,
    pub is_past: bool,
    pub rsvp: crate::rsvp::RsvpPanel,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> EventDraft {
        EventDraft {
            venue_name: "Community hall".into(),
            venue_address: "1 Main St".into(),
            city: "Toronto".into(),
            capacity: Some(200),
            ..EventDraft::titled(
                "navruz-2027",
                EventKind::Celebration,
                (Lang::En, "Navruz"),
                "2027-03-21T18:00",
                "2027-03-21T22:00",
                "America/Toronto",
            )
        }
    }

    fn problems(d: EventDraft) -> Vec<(String, Problem)> {
        d.validate()
            .unwrap_err()
            .into_iter()
            .map(|e| (e.field, e.problem))
            .collect()
    }

    #[test]
    fn a_good_draft_validates_with_its_instants() {
        let v = draft().validate().unwrap();
        // 18:00 in Toronto in March (EDT, UTC-4) is 22:00 UTC.
        assert_eq!(v.starts_at, 1_805_666_400);
        assert_eq!(v.ends_at - v.starts_at, 4 * 3600);
    }

    #[test]
    fn end_before_start_is_refused() {
        let mut d = draft();
        d.end_local = "2027-03-21T17:59".into();
        assert_eq!(problems(d), vec![("end".into(), Problem::EndBeforeStart)]);
    }

    #[test]
    fn unknown_zone_is_refused() {
        let mut d = draft();
        d.time_zone = "Mars/Olympus_Mons".into();
        assert_eq!(
            problems(d),
            vec![("time_zone".into(), Problem::UnknownTimeZone)]
        );
    }

    #[test]
    fn a_local_time_in_the_spring_forward_gap_is_refused() {
        let mut d = draft();
        // Clocks in Toronto jump from 02:00 to 03:00 on 14 March 2027.
        d.start_local = "2027-03-14T02:30".into();
        d.end_local = "2027-03-14T05:00".into();
        assert_eq!(
            problems(d),
            vec![("start".into(), Problem::NonexistentLocalTime)]
        );
    }

    #[test]
    fn malformed_times_are_refused() {
        let mut d = draft();
        d.start_local = "tomorrow".into();
        d.end_local = "2027-02-30T10:00".into();
        assert_eq!(
            problems(d),
            vec![
                ("start".into(), Problem::InvalidDateTime),
                ("end".into(), Problem::InvalidDateTime)
            ]
        );
    }

    #[test]
    fn text_limits_and_bidi_controls_are_enforced() {
        let mut d = draft();
        d.texts[0].1.title = "x".repeat(limits::TITLE + 1);
        d.texts[0].1.summary = "evil\u{202E}txt.exe".into();
        d.city = String::new();
        let p = problems(d);
        assert!(p.contains(&("title.en".into(), Problem::TooLong { max: limits::TITLE })));
        assert!(p.contains(&("summary.en".into(), Problem::ControlCharacters)));
    }

    #[test]
    fn uyghur_arabic_text_is_accepted() {
        let mut d = draft();
        d.original_lang = Lang::UgArab;
        d.texts = vec![(
            Lang::UgArab,
            EventText {
                title: "نورۇز بايرىمى".into(),
                ..Default::default()
            },
        )];
        assert!(d.validate().is_ok());
    }

    #[test]
    fn slugs_are_url_safe() {
        for bad in ["", "Has Caps", "-lead", "trail-", "a/b", "émoji"] {
            let mut d = draft();
            d.slug = bad.into();
            assert!(d.validate().is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn missing_original_text_and_bad_capacity_are_refused() {
        let mut d = draft();
        d.original_lang = Lang::Fr;
        d.capacity = Some(0);
        let p = problems(d);
        assert!(p.contains(&("title".into(), Problem::MissingOriginalText)));
        assert!(p.contains(&(
            "capacity".into(),
            Problem::NotBetween {
                min: 1,
                max: limits::CAPACITY
            }
        )));
    }

    #[test]
    fn page_numbers_from_urls() {
        assert_eq!(EventFilter::parse_page(Some("3")), 3);
        for bad in [
            None,
            Some(""),
            Some("0"),
            Some("-1"),
            Some("x"),
            Some("99999999999"),
            Some("10001"),
        ] {
            assert_eq!(EventFilter::parse_page(bad), 1, "{bad:?}");
        }
    }

    #[test]
    fn kinds_and_statuses_round_trip() {
        for k in EventKind::ALL {
            assert_eq!(EventKind::parse(k.as_str()), Some(*k));
        }
        for s in EventStatus::ALL {
            assert_eq!(EventStatus::parse(s.as_str()), Some(*s));
        }
        assert_eq!(EventKind::parse("rave"), None);
    }

    #[test]
    fn all_day_events_run_midnight_to_midnight() {
        let mut d = draft();
        d.all_day = true;
        d.start_local = "2027-03-21T00:00".into();
        d.end_local = "2027-03-22T00:00".into();
        let valid = d.clone().validate().unwrap();
        assert_eq!(valid.ends_at - valid.starts_at, 86_400);
        d.start_local = "2027-03-21T10:00".into();
        assert_eq!(
            problems(d),
            vec![("start".into(), Problem::InvalidDateTime)]
        );
        // Santiago skipped midnight on 12 August 2018: the day starts at 01:00.
        let mut chile = draft();
        chile.all_day = true;
        chile.time_zone = "America/Santiago".into();
        chile.start_local = "2018-08-12T00:00".into();
        chile.end_local = "2018-08-13T00:00".into();
        assert!(chile.validate().is_ok());
    }
}
