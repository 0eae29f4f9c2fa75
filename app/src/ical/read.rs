//! Reading events from an iCalendar file, as Google Calendar, Outlook and
//! Apple Calendar export them, with the `ical` crate's parser: each VEVENT
//! on its own, so that a broken one is reported with its line and the rest
//! are read. (Storing what was read is `services::import`.)

use super::unescape_text;
use crate::domain::{EventDraft, EventKind, EventStatus, EventText, ValidEvent};
use crate::i18n::Lang;
use crate::time::{format_local, parse_zone, resolve};
use crate::validation::{describe, FieldError};
use chrono::{Days, NaiveDate, NaiveDateTime, TimeDelta, TimeZone};
use chrono_tz::Tz;
use ical::parser::ical::component::IcalEvent;
use ical::property::Property;
use std::fmt;

/// What the file does not say, the importer decides.
#[derive(Clone, Debug)]
pub struct ImportOptions {
    /// The kind of events whose CATEGORIES name none of ours.
    pub kind: EventKind,
    /// The language the file's text is written in.
    pub lang: Lang,
    /// The zone of floating times, UTC times and all-day events.
    pub zone: Tz,
}

/// Why one entry of a file was not imported.
#[derive(Clone, Debug, PartialEq)]
pub enum EntryProblem {
    NotUtf8,
    Unterminated,
    Syntax(String),
    MissingStart,
    MissingTitle,
    UnknownZone(String),
    BadDate(String),
    Invalid(Vec<FieldError>),
}

impl fmt::Display for EntryProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EntryProblem::NotUtf8 => write!(f, "it is not UTF-8 text"),
            EntryProblem::Unterminated => write!(f, "it has no END:VEVENT"),
            EntryProblem::Syntax(detail) => write!(f, "it cannot be read ({detail})"),
            EntryProblem::MissingStart => write!(f, "it has no DTSTART"),
            EntryProblem::MissingTitle => write!(f, "it has no SUMMARY"),
            EntryProblem::UnknownZone(zone) => write!(f, "its time zone {zone:?} is unknown"),
            EntryProblem::BadDate(value) => write!(f, "{value:?} is not a date or time"),
            EntryProblem::Invalid(errors) => {
                let parts: Vec<String> = errors
                    .iter()
                    .map(|e| format!("{}: {}", e.field, describe(e.problem)))
                    .collect();
                write!(f, "{}", parts.join("; "))
            }
        }
    }
}

/// An entry that was skipped: its place in the file (1 for the first
/// VEVENT), and what could be read of it.
#[derive(Clone, Debug, PartialEq)]
pub struct Skipped {
    pub entry: usize,
    pub line: usize,
    pub uid: Option<String>,
    pub title: Option<String>,
    pub problem: EntryProblem,
}

impl fmt::Display for Skipped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "event {} (line {}", self.entry, self.line)?;
        if let Some(title) = &self.title {
            write!(f, ", {title:?}")?;
        }
        if let Some(uid) = &self.uid {
            write!(f, ", UID {uid}")?;
        }
        write!(f, ") skipped: {}", self.problem)
    }
}

/// An event read from a file, ready to be stored.
#[derive(Clone, Debug, PartialEq)]
pub struct Incoming {
    pub uid: String,
    pub event: ValidEvent,
    /// Things the reader should know: an end time given, repeats dropped.
    pub notes: Vec<&'static str>,
}

/// What reading a file found.
#[derive(Debug, Default)]
pub struct ReadFile {
    pub events: Vec<Incoming>,
    pub skipped: Vec<Skipped>,
}

/// One VEVENT's lines, unparsed.
struct RawEntry<'a> {
    line: usize,
    bytes: Result<Vec<&'a [u8]>, EntryProblem>,
}

fn is_line(line: &[u8], expected: &str) -> bool {
    std::str::from_utf8(line).is_ok_and(|l| l.trim().eq_ignore_ascii_case(expected))
}

/// Cuts a file into its VEVENTs by their BEGIN and END lines, so that one
/// damaged entry cannot take the others down with it.
fn raw_entries(file: &[u8]) -> Vec<RawEntry<'_>> {
    let mut entries = Vec::new();
    let mut current: Option<(usize, Vec<&[u8]>)> = None;
    for (index, line) in file.split(|&b| b == b'\n').enumerate() {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if is_line(line, "BEGIN:VEVENT") {
            if let Some((start, _)) = current.take() {
                entries.push(RawEntry {
                    line: start,
                    bytes: Err(EntryProblem::Unterminated),
                });
            }
            current = Some((index + 1, vec![line]));
        } else if let Some((_, lines)) = current.as_mut() {
            lines.push(line);
            if is_line(line, "END:VEVENT") {
                let (start, lines) = current.take().expect("an entry is open");
                entries.push(RawEntry {
                    line: start,
                    bytes: Ok(lines),
                });
            }
        }
    }
    if let Some((start, _)) = current {
        entries.push(RawEntry {
            line: start,
            bytes: Err(EntryProblem::Unterminated),
        });
    }
    entries
}

/// Joins folded lines (a line break followed by one space or tab). Done
/// here rather than by the parser, which drops the spaces that end a
/// physical line.
fn unfold(lines: &[&str]) -> String {
    let mut out = String::new();
    for line in lines {
        if let Some(rest) = line.strip_prefix([' ', '\t']) {
            out.push_str(rest);
        } else {
            if !out.is_empty() {
                out.push_str("\r\n");
            }
            out.push_str(line);
        }
    }
    out.push_str("\r\n");
    out
}

fn parse_entry(lines: &[&[u8]]) -> Result<IcalEvent, EntryProblem> {
    let text: Vec<&str> = lines
        .iter()
        .map(|l| std::str::from_utf8(l).map_err(|_| EntryProblem::NotUtf8))
        .collect::<Result<_, _>>()?;
    if text.iter().any(|l| l.contains('\0')) {
        return Err(EntryProblem::Syntax("NUL character".into()));
    }
    let calendar = format!("BEGIN:VCALENDAR\r\n{}END:VCALENDAR\r\n", unfold(&text));
    let mut parser = ical::IcalParser::new(calendar.as_bytes());
    let parsed = parser
        .next()
        .ok_or_else(|| EntryProblem::Syntax("empty".into()))?
        .map_err(|e| EntryProblem::Syntax(e.to_string()))?;
    parsed
        .events
        .into_iter()
        .next()
        .ok_or_else(|| EntryProblem::Syntax("no event".into()))
}

fn property<'a>(event: &'a IcalEvent, name: &str) -> Option<&'a Property> {
    event
        .properties
        .iter()
        .find(|p| p.name.eq_ignore_ascii_case(name))
}

fn param<'a>(property: &'a Property, name: &str) -> Option<&'a str> {
    property
        .params
        .as_ref()?
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .and_then(|(_, values)| values.first())
        .map(String::as_str)
}

fn text_of(event: &IcalEvent, name: &str) -> Option<String> {
    property(event, name)
        .and_then(|p| p.value.as_deref())
        .map(unescape_text)
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// A zone named by a TZID: an IANA name (as Google and Apple write), a
/// Windows name (as Outlook writes), or an IANA name behind a vendor prefix
/// such as `/mozilla.org/20050126_1/America/Toronto`.
pub fn zone_from_tzid(tzid: &str) -> Option<Tz> {
    let tzid = tzid.trim().trim_matches('"');
    parse_zone(tzid)
        .or_else(|| localzone::win_zone_to_iana(tzid, None).and_then(parse_zone))
        .or_else(|| {
            // The longest IANA name that ends the TZID.
            tzid.match_indices('/')
                .find_map(|(i, _)| parse_zone(&tzid[i + 1..]).filter(|_| i > 0))
        })
}

/// A DTSTART or DTEND value.
#[derive(Clone, Copy, Debug, PartialEq)]
enum When {
    Date(NaiveDate),
    Floating(NaiveDateTime),
    Utc(NaiveDateTime),
    Zoned(NaiveDateTime, Tz),
}

fn when(property: &Property) -> Result<When, EntryProblem> {
    let value = property.value.as_deref().unwrap_or("").trim();
    let bad = || EntryProblem::BadDate(value.to_string());
    let is_date = param(property, "VALUE").is_some_and(|v| v.eq_ignore_ascii_case("DATE"))
        || (value.len() == 8 && value.bytes().all(|b| b.is_ascii_digit()));
    if is_date {
        return NaiveDate::parse_from_str(value, "%Y%m%d")
            .map(When::Date)
            .map_err(|_| bad());
    }
    let (local, utc) = match value.strip_suffix(['Z', 'z']) {
        Some(rest) => (rest, true),
        None => (value, false),
    };
    let time = NaiveDateTime::parse_from_str(local, "%Y%m%dT%H%M%S")
        .or_else(|_| NaiveDateTime::parse_from_str(local, "%Y%m%dT%H%M"))
        .map_err(|_| bad())?;
    if utc {
        return Ok(When::Utc(time));
    }
    match param(property, "TZID") {
        Some(tzid) => zone_from_tzid(tzid)
            .map(|zone| When::Zoned(time, zone))
            .ok_or_else(|| EntryProblem::UnknownZone(tzid.to_string())),
        None => Ok(When::Floating(time)),
    }
}

/// The wall-clock time of `when` in `zone`.
fn local_in(when: When, zone: Tz) -> Result<NaiveDateTime, EntryProblem> {
    Ok(match when {
        When::Date(date) => date.and_hms_opt(0, 0, 0).expect("midnight exists"),
        When::Floating(time) => time,
        When::Utc(time) => chrono::Utc
            .from_utc_datetime(&time)
            .with_timezone(&zone)
            .naive_local(),
        // In the event's own zone the wall-clock time stands as written, and
        // validation says if a daylight-saving change skips it.
        When::Zoned(time, from) if from == zone => time,
        When::Zoned(time, from) => match resolve(time, from) {
            Ok(instant) => instant.with_timezone(&zone).naive_local(),
            Err(_) => return Err(EntryProblem::BadDate(format_local(time))),
        },
    })
}

/// A DURATION such as `PT1H30M` or `P1D`: weeks, days, hours, minutes, seconds.
fn duration(value: &str) -> Option<TimeDelta> {
    let rest = value.trim().strip_prefix('+').unwrap_or(value.trim());
    let rest = rest.strip_prefix('P')?;
    let mut seconds: i64 = 0;
    let mut number = String::new();
    let mut in_time = false;
    for c in rest.chars() {
        match c {
            '0'..='9' => number.push(c),
            'T' if number.is_empty() => in_time = true,
            _ => {
                let n: i64 = number.parse().ok()?;
                number.clear();
                seconds += n * match (c, in_time) {
                    ('W', false) => 7 * 86_400,
                    ('D', false) => 86_400,
                    ('H', true) => 3_600,
                    ('M', true) => 60,
                    ('S', true) => 1,
                    _ => return None,
                };
            }
        }
    }
    (number.is_empty() && seconds > 0).then(|| TimeDelta::seconds(seconds))
}

/// A slug from a title and the UID: readable where the title is in Latin
/// letters, unique by the UID's hash either way.
fn slug_for(title: &str, uid: &str) -> String {
    let mut slug = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
        if slug.len() >= 50 {
            break;
        }
    }
    let slug = slug.trim_end_matches('-');
    let hash = &crate::secrets::token_hash(uid)[..8];
    if slug.is_empty() {
        format!("event-{hash}")
    } else {
        format!("{slug}-{hash}")
    }
}

fn read_event(event: &IcalEvent, options: &ImportOptions) -> Result<Incoming, EntryProblem> {
    let title = text_of(event, "SUMMARY").ok_or(EntryProblem::MissingTitle)?;
    let start = when(property(event, "DTSTART").ok_or(EntryProblem::MissingStart)?)?;
    let mut notes = Vec::new();
    let zone = match start {
        When::Zoned(_, zone) => zone,
        _ => options.zone,
    };
    let all_day = matches!(start, When::Date(_));
    let start_local = local_in(start, zone)?;
    let end_local = match property(event, "DTEND") {
        Some(end) => local_in(when(end)?, zone)?,
        None => match property(event, "DURATION").and_then(|p| p.value.as_deref()) {
            Some(value) => {
                let length =
                    duration(value).ok_or_else(|| EntryProblem::BadDate(value.to_string()))?;
                start_local + length
            }
            None if all_day => start_local + Days::new(1),
            None => {
                notes.push("it had no end time; it is given one hour");
                start_local + TimeDelta::hours(1)
            }
        },
    };
    if property(event, "RRULE").is_some() || property(event, "RDATE").is_some() {
        notes.push("it repeats; only its first date is imported");
    }
    // Google writes a UID on every event; a file without one still
    // re-imports idempotently by what the event is.
    let uid =
        text_of(event, "UID").unwrap_or_else(|| format!("{}|{}", title, format_local(start_local)));
    let kind = text_of(event, "CATEGORIES")
        .and_then(|list| {
            list.split(',')
                .find_map(|c| EventKind::parse(&c.trim().to_lowercase()))
        })
        .unwrap_or(options.kind);
    let status = match text_of(event, "STATUS").as_deref() {
        Some(s) if s.eq_ignore_ascii_case("CANCELLED") => EventStatus::Cancelled,
        _ => EventStatus::Scheduled,
    };
    let draft = EventDraft {
        slug: slug_for(&title, &uid),
        kind,
        status,
        start_local: format_local(start_local),
        end_local: format_local(end_local),
        time_zone: zone.name().to_string(),
        all_day,
        sensitive: false,
        public_title: String::new(),
        venue_name: String::new(),
        venue_address: text_of(event, "LOCATION").unwrap_or_default(),
        city: String::new(),
        online_url: String::new(),
        capacity: None,
        original_lang: options.lang,
        texts: vec![(
            options.lang,
            EventText {
                title,
                description: text_of(event, "DESCRIPTION").unwrap_or_default(),
                ..Default::default()
            },
        )],
    };
    let event = draft.validate().map_err(EntryProblem::Invalid)?;
    Ok(Incoming { uid, event, notes })
}

/// Reads every VEVENT of a file. Nothing here touches the database.
pub fn read_file(file: &[u8], options: &ImportOptions) -> ReadFile {
    let mut read = ReadFile::default();
    for (index, raw) in raw_entries(file).into_iter().enumerate() {
        let parsed = raw.bytes.and_then(|lines| parse_entry(&lines));
        let result = parsed
            .as_ref()
            .map_err(Clone::clone)
            .and_then(|e| read_event(e, options));
        match result {
            Ok(incoming) => read.events.push(incoming),
            Err(problem) => read.skipped.push(Skipped {
                entry: index + 1,
                line: raw.line,
                uid: parsed.as_ref().ok().and_then(|e| text_of(e, "UID")),
                title: parsed.as_ref().ok().and_then(|e| text_of(e, "SUMMARY")),
                problem,
            }),
        }
    }
    read
}
