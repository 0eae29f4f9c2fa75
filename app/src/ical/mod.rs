//! iCalendar (RFC 5545) text, written and read in this one place: TEXT
//! escaping and unescaping, line folding at 75 octets (not characters:
//! Uyghur in Arabic script takes two bytes a letter), CRLF line ends, and
//! VTIMEZONE from chrono-tz.

pub mod read;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::{OffsetComponents, Tz};

/// Escapes a TEXT value: backslash, semicolon, comma and line breaks.
pub fn escape_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            _ => out.push(c),
        }
    }
    out
}

/// Reads a TEXT value back: the inverse of [`escape_text`]. (The `ical`
/// parser unfolds lines but leaves values escaped.)
pub fn unescape_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'N') => out.push('\n'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// Folds one content line so that no physical line exceeds 75 octets,
/// breaking only between characters; continuation lines start with a space.
/// A break never follows a space: some parsers trim the ends of physical
/// lines, and would lose it.
pub fn fold(line: &str) -> String {
    const LIMIT: usize = 75;
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3);
    // The physical line being filled, and its width in octets (counting
    // the leading space of a continuation).
    let mut physical = String::new();
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > LIMIT {
            // Carry trailing spaces over to the next line, unless the line
            // is nothing but spaces or they would not fit there.
            let kept = physical.trim_end_matches([' ', '\t']);
            let tail = &physical[kept.len()..];
            let carried = if kept.is_empty() || 1 + tail.len() + len > LIMIT {
                String::new()
            } else {
                tail.to_string()
            };
            out.push_str(&physical[..physical.len() - carried.len()]);
            out.push_str("\r\n ");
            width = 1 + carried.len();
            physical = carried;
        }
        physical.push(c);
        width += len;
    }
    out.push_str(&physical);
    out
}

/// A calendar being written, one content line at a time.
#[derive(Default)]
pub struct Writer {
    out: String,
}

impl Writer {
    /// `name` may carry parameters (`DTSTART;TZID=Europe/Istanbul`); `value`
    /// is written as given (escape TEXT values with [`Writer::text`]).
    pub fn line(&mut self, name: &str, value: &str) -> &mut Self {
        self.out.push_str(&fold(&format!("{name}:{value}")));
        self.out.push_str("\r\n");
        self
    }

    pub fn text(&mut self, name: &str, value: &str) -> &mut Self {
        self.line(name, &escape_text(value))
    }

    pub fn finish(self) -> String {
        self.out
    }
}

pub fn utc_stamp(time: DateTime<Utc>) -> String {
    time.format("%Y%m%dT%H%M%SZ").to_string()
}

pub fn local_stamp(time: NaiveDateTime) -> String {
    time.format("%Y%m%dT%H%M%S").to_string()
}

/// A DATE value, for all-day events.
pub fn date_stamp(date: NaiveDate) -> String {
    date.format("%Y%m%d").to_string()
}

fn offset_text(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let abs = seconds.unsigned_abs();
    format!("{sign}{:02}{:02}", abs / 3600, abs % 3600 / 60)
}

fn offset_at(zone: Tz, at: i64) -> (i32, bool, String) {
    let time = zone
        .timestamp_opt(at, 0)
        .single()
        .unwrap_or_else(|| zone.timestamp_opt(0, 0).unwrap());
    let offset = time.offset();
    (
        offset.fix().local_minus_utc(),
        !offset.dst_offset().is_zero(),
        time.format("%Z").to_string(),
    )
}

/// The UTC offset of `zone` at `at`, and whether it is daylight time: what
/// a transition changes (names alone may change too, which no time needs).
fn offset_key(zone: Tz, at: i64) -> (i32, bool) {
    let (offset, dst, _) = offset_at(zone, at);
    (offset, dst)
}

/// The instants in `[from, to]` at which `zone` changes its UTC offset.
fn transitions(zone: Tz, from: i64, to: i64) -> Vec<i64> {
    // Offsets change at most a few times a year, never twice in 12 hours.
    const STEP: i64 = 12 * 3600;
    let mut found = Vec::new();
    let mut t = from;
    let mut key = offset_key(zone, t);
    while t < to {
        let next = (t + STEP).min(to);
        let next_key = offset_key(zone, next);
        if key != next_key {
            let (mut before, mut after) = (t, next);
            while after - before > 1 {
                let mid = before + (after - before) / 2;
                if offset_key(zone, mid) == key {
                    before = mid;
                } else {
                    after = mid;
                }
            }
            found.push(after);
        }
        t = next;
        key = next_key;
    }
    found
}

/// Events closer than this share one stretch of VTIMEZONE: stepping
/// through a short gap costs less than an extra observance.
const MERGE_GAP: i64 = 35 * 86_400;

/// The stretches of time a VTIMEZONE must cover for the `instants` its
/// times stand for (each event's start and end): a day either side of
/// each, so that every local time is covered, merged where they are close.
/// However far apart they are (an imported entry in the year 9999, or an
/// event stored long before events had a length limit), the work is
/// bounded by the number of instants, never by the years between them.
fn windows(instants: &[i64]) -> Vec<(i64, i64)> {
    let mut sorted: Vec<(i64, i64)> = instants
        .iter()
        .map(|&at| (at.saturating_sub(86_400), at.saturating_add(86_400)))
        .collect();
    sorted.sort_unstable();
    let mut merged: Vec<(i64, i64)> = Vec::new();
    for (from, to) in sorted {
        match merged.last_mut() {
            Some(last) if from <= last.1.saturating_add(MERGE_GAP) => last.1 = last.1.max(to),
            _ => merged.push((from, to)),
        }
    }
    merged
}

/// A VTIMEZONE for `zone` that covers `instants` (the starts and ends of
/// the events that use it): in each stretch of time around them
/// ([`windows`]), the observance in force at its beginning (unless the one
/// before says the same), then one per offset change within it. A reader
/// takes the latest observance begun before a time, so each event's times
/// read right, and no observance is written for the years between
/// far-apart events.
pub fn write_timezone(w: &mut Writer, zone: Tz, instants: &[i64]) {
    w.line("BEGIN", "VTIMEZONE").line("TZID", zone.name());
    let mut observance = |at: i64, before: i32| {
        let (offset, dst, name) = offset_at(zone, at);
        let kind = if dst { "DAYLIGHT" } else { "STANDARD" };
        let local = DateTime::from_timestamp(at + i64::from(before), 0)
            .unwrap_or_default()
            .naive_utc();
        w.line("BEGIN", kind)
            .line("DTSTART", &local_stamp(local))
            .line("TZOFFSETFROM", &offset_text(before))
            .line("TZOFFSETTO", &offset_text(offset));
        if !name.starts_with(['+', '-']) {
            w.text("TZNAME", &name);
        }
        w.line("END", kind);
    };
    let mut in_force: Option<(i32, bool)> = None;
    for (from, to) in windows(instants) {
        let at_start = offset_key(zone, from);
        if in_force != Some(at_start) {
            observance(from, in_force.map_or(at_start.0, |(offset, _)| offset));
        }
        in_force = Some(at_start);
        for at in transitions(zone, from, to) {
            let (before, _) = offset_key(zone, at - 1);
            observance(at, before);
            in_force = Some(offset_key(zone, at));
        }
    }
    w.line("END", "VTIMEZONE");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape_text("a\\b;c,d\ne\r\nf"), "a\\\\b\\;c\\,d\\ne\\nf");
        assert_eq!(escape_text("نورۇز: 21-مارت"), "نورۇز: 21-مارت");
    }

    use proptest::prelude::*;

    /// Text as members write it: Uyghur in Arabic script, emoji, accents,
    /// and every character TEXT escaping is about, among any others.
    fn member_text() -> impl Strategy<Value = String> {
        let tricky = prop::sample::select(
            "aZ09 ;,\\\n\r:\té ئۇيغۇرنورۇزبايرىمى😀🎉👨‍👩‍👧"
                .chars()
                .collect::<Vec<_>>(),
        );
        prop::collection::vec(prop_oneof![4 => tricky, 1 => any::<char>()], 0..400)
            .prop_map(|chars| chars.into_iter().collect())
    }

    proptest! {
        #[test]
        fn folded_lines_fit_in_75_octets_and_unfold_to_the_original(value in member_text()) {
            let line = format!("DESCRIPTION:{}", escape_text(&value));
            let folded = fold(&line);
            let physical: Vec<&str> = folded.split("\r\n").collect();
            for line in &physical {
                prop_assert!(line.len() <= 75, "{} octets: {:?}", line.len(), line);
            }
            // No fold follows a space, unless the line is (nearly) all spaces.
            for line in &physical[..physical.len() - 1] {
                prop_assert!(
                    !line.ends_with(' ') || line.trim_matches([' ', '\t']).len() <= 4,
                    "{:?}", line
                );
            }
            prop_assert_eq!(folded.replace("\r\n ", ""), line);
        }

        #[test]
        fn escaped_text_has_no_raw_line_breaks_and_round_trips(value in member_text()) {
            let escaped = escape_text(&value);
            prop_assert!(!escaped.contains(['\n', '\r']));
            for special in [';', ','] {
                let unescaped = escaped.replace(&format!("\\{special}"), "");
                let unescaped = unescaped.replace("\\\\", "");
                prop_assert!(!unescaped.contains(special));
            }
            // Line breaks come back as \n.
            prop_assert_eq!(
                unescape_text(&escaped),
                value.replace("\r\n", "\n").replace('\r', "\n")
            );
        }
    }

    #[test]
    fn toronto_has_both_observances_around_its_changes() {
        let zone: Tz = "America/Toronto".parse().unwrap();
        // 2026-11-28 to 2027-06-01: one change, on 14 March 2027 at 07:00 UTC.
        let from = 1_795_824_000;
        let to = 1_811_808_000;
        assert_eq!(transitions(zone, from, to), vec![1_805_007_600]);
        // Weekly events through that span.
        let weekly: Vec<i64> = (from + 86_400..to - 86_400).step_by(7 * 86_400).collect();
        let mut w = Writer::default();
        write_timezone(&mut w, zone, &weekly);
        let text = w.finish();
        assert!(text.contains("BEGIN:STANDARD\r\n"), "{text}");
        assert!(text.contains("BEGIN:DAYLIGHT\r\nDTSTART:20270314T020000\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\nTZNAME:EDT\r\n"), "{text}");
    }

    #[test]
    fn far_apart_events_cost_observances_around_them_only() {
        let zone: Tz = "America/Toronto".parse().unwrap();
        let at = |y, m, d| {
            chrono::NaiveDate::from_ymd_opt(y, m, d)
                .unwrap()
                .and_hms_opt(12, 0, 0)
                .unwrap()
                .and_utc()
                .timestamp()
        };
        // One event in 1901, one in July 2027 and one in January 2028, one
        // in 9998: eight thousand years between them, a handful of
        // observances, and no year stepped through.
        let instants = [
            at(1901, 6, 1),
            at(2027, 7, 1),
            at(2028, 1, 10),
            at(9998, 3, 1),
        ];
        let mut w = Writer::default();
        let started = std::time::Instant::now();
        write_timezone(&mut w, zone, &instants);
        let text = w.finish();
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
        let observances =
            text.matches("BEGIN:STANDARD").count() + text.matches("BEGIN:DAYLIGHT").count();
        assert!((3..=6).contains(&observances), "{observances}: {text}");
        // July 2027 is daylight time, January 2028 standard time: the
        // observance in force before each event says so.
        let before = |stamp: &str| {
            let starts: Vec<(&str, &str)> = text
                .split("BEGIN:")
                .filter_map(|part| {
                    let dtstart = part.split("DTSTART:").nth(1)?.split("\r\n").next()?;
                    let to = part.split("TZOFFSETTO:").nth(1)?.split("\r\n").next()?;
                    Some((dtstart, to))
                })
                .collect();
            starts
                .iter()
                .filter(|(start, _)| *start <= stamp)
                .max_by_key(|(start, _)| *start)
                .map(|(_, to)| to.to_string())
        };
        assert_eq!(before("20270701T080000").as_deref(), Some("-0400"));
        assert_eq!(before("20280110T070000").as_deref(), Some("-0500"));
    }

    #[test]
    fn a_zone_without_changes_has_one_observance() {
        let zone: Tz = "Europe/Istanbul".parse().unwrap();
        let mut w = Writer::default();
        write_timezone(&mut w, zone, &[1_795_824_000, 1_811_808_000]);
        let text = w.finish();
        assert_eq!(text.matches("BEGIN:STANDARD").count(), 1);
        assert!(text.contains("TZOFFSETFROM:+0300\r\nTZOFFSETTO:+0300\r\n"));
        assert!(!text.contains("TZNAME"));
    }
}
