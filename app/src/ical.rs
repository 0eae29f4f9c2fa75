//! iCalendar (RFC 5545) text, written and read in this one place: TEXT
//! escaping and unescaping, line folding at 75 octets (not characters:
//! Uyghur in Arabic script takes two bytes a letter), CRLF line ends, and
//! VTIMEZONE from chrono-tz.

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

/// The instants in `[from, to]` at which `zone` changes its UTC offset.
fn transitions(zone: Tz, from: i64, to: i64) -> Vec<i64> {
    // Offsets change at most a few times a year, never twice in 12 hours.
    const STEP: i64 = 12 * 3600;
    let mut found = Vec::new();
    let mut t = from;
    while t < to {
        let next = (t + STEP).min(to);
        if offset_at(zone, t) != offset_at(zone, next) {
            let (mut before, mut after) = (t, next);
            while after - before > 1 {
                let mid = before + (after - before) / 2;
                if offset_at(zone, mid) == offset_at(zone, before) {
                    before = mid;
                } else {
                    after = mid;
                }
            }
            found.push(after);
        }
        t = next;
    }
    found
}

/// A VTIMEZONE for `zone` that covers the instants `from` to `to`: the
/// observance in force at `from`, then one per offset change.
pub fn write_timezone(w: &mut Writer, zone: Tz, from: i64, to: i64) {
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
    let (first, _, _) = offset_at(zone, from);
    observance(from, first);
    for at in transitions(zone, from, to) {
        let (before, _, _) = offset_at(zone, at - 1);
        observance(at, before);
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
        let mut w = Writer::default();
        write_timezone(&mut w, zone, from, to);
        let text = w.finish();
        assert!(text.contains("BEGIN:STANDARD\r\n"), "{text}");
        assert!(text.contains("BEGIN:DAYLIGHT\r\nDTSTART:20270314T020000\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\nTZNAME:EDT\r\n"), "{text}");
    }

    #[test]
    fn a_zone_without_changes_has_one_observance() {
        let zone: Tz = "Europe/Istanbul".parse().unwrap();
        let mut w = Writer::default();
        write_timezone(&mut w, zone, 1_795_824_000, 1_811_808_000);
        let text = w.finish();
        assert_eq!(text.matches("BEGIN:STANDARD").count(), 1);
        assert!(text.contains("TZOFFSETFROM:+0300\r\nTZOFFSETTO:+0300\r\n"));
        assert!(!text.contains("TZNAME"));
    }
}
