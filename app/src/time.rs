//! Wall-clock times in IANA zones, and how they are written for a reader.

use crate::i18n::{month_name, weekday_name, Lang};
use crate::tr;
use chrono::{
    DateTime, Datelike, LocalResult, NaiveDate, NaiveDateTime, Offset, TimeZone, Timelike,
};
use chrono_tz::Tz;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LocalTimeError {
    /// The time is skipped when clocks spring forward.
    Nonexistent,
}

pub fn parse_zone(name: &str) -> Option<Tz> {
    name.trim().parse::<Tz>().ok()
}

/// Parses `YYYY-MM-DDTHH:MM` (seconds optional), as `<input type=datetime-local>` sends it.
pub fn parse_local(text: &str) -> Option<NaiveDateTime> {
    let text = text.trim();
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S"))
        .ok()
}

/// The form [`parse_local`] reads, and the one stored.
pub fn format_local(time: NaiveDateTime) -> String {
    time.format("%Y-%m-%dT%H:%M").to_string()
}

/// The instant of a wall-clock time in `zone`. A time that occurs twice
/// (when clocks fall back) means its first occurrence, as people who
/// announce "01:30" before the change expect; a skipped time is an error.
pub fn resolve(local: NaiveDateTime, zone: Tz) -> Result<DateTime<Tz>, LocalTimeError> {
    match zone.from_local_datetime(&local) {
        LocalResult::Single(t) => Ok(t),
        LocalResult::Ambiguous(first, _) => Ok(first),
        LocalResult::None => Err(LocalTimeError::Nonexistent),
    }
}

/// "Saturday, December 5, 2026" and its equivalents.
pub fn format_date(lang: Lang, date: NaiveDate) -> String {
    let weekday = weekday_name(lang, date.weekday().num_days_from_monday());
    let month = month_name(lang, date.month());
    let (day, year) = (date.day(), date.year());
    match lang {
        Lang::En => format!("{weekday}, {month} {day}, {year}"),
        Lang::Fr => format!("{weekday} {day} {month} {year}"),
        Lang::UgLatn => format!("{year}-yili {day}-{month}, {weekday}"),
        Lang::UgArab => format!("{year}-يىلى {day}-{month}، {weekday}"),
    }
}

/// "2:30 p.m." in English, "14 h 30" in French, "14:30" in Uyghur, with
/// no-break spaces: a line never breaks inside a time.
pub fn format_time(lang: Lang, time: NaiveDateTime) -> String {
    let (h, m) = (time.hour(), time.minute());
    match lang {
        Lang::En => {
            let (h12, suffix) = match h {
                0 => (12, "a.m."),
                1..=11 => (h, "a.m."),
                12 => (12, "p.m."),
                _ => (h - 12, "p.m."),
            };
            format!("{h12}:{m:02}\u{a0}{suffix}")
        }
        Lang::Fr => format!("{h}\u{a0}h\u{a0}{m:02}"),
        Lang::UgLatn | Lang::UgArab => format!("{h:02}:{m:02}"),
    }
}

/// The time range of an event as a reader sees it in a list or on its
/// page: times only when it ends the same day, else the end date too. An
/// all-day event says so, with its last day when there are several.
pub fn format_span(lang: Lang, start: NaiveDateTime, end: NaiveDateTime, all_day: bool) -> String {
    if all_day {
        // The end is the midnight after the last day.
        let last = (end - chrono::Days::new(1)).date().max(start.date());
        return if last == start.date() {
            tr!(lang, all_day).to_string()
        } else {
            tr!(lang, all_day_until, date = format_date(lang, last))
        };
    }
    let from = format_time(lang, start);
    if start.date() == end.date() {
        format!("{from} – {}", format_time(lang, end))
    } else {
        format!("{from} – {}", format_date_time(lang, end))
    }
}

/// The comma of the language: Uyghur in Arabic script has its own.
pub fn comma(lang: Lang) -> &'static str {
    if lang == Lang::UgArab {
        "،"
    } else {
        ","
    }
}

/// "Friday, January 1, 2027, 1:00 a.m." and its equivalents.
pub fn format_date_time(lang: Lang, time: NaiveDateTime) -> String {
    format!(
        "{}{} {}",
        format_date(lang, time.date()),
        comma(lang),
        format_time(lang, time)
    )
}

/// "New York time, UTC−5": shown beside times whose zone is not the
/// instance's, so a Toronto reader is not misled by a Washington event.
pub fn zone_label(lang: Lang, zone: Tz, at: NaiveDateTime) -> String {
    let place = zone
        .name()
        .rsplit('/')
        .next()
        .unwrap_or(zone.name())
        .replace('_', " ");
    let seconds = resolve(at, zone)
        .map(|t| t.offset().fix().local_minus_utc())
        .unwrap_or(0);
    let sign = if seconds < 0 { '−' } else { '+' };
    let (hours, minutes) = (seconds.abs() / 3600, seconds.abs() % 3600 / 60);
    let offset = if minutes == 0 {
        format!("UTC{sign}{hours}")
    } else {
        format!("UTC{sign}{hours}:{minutes:02}")
    };
    tr!(lang, zone_time, place, offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local(s: &str) -> NaiveDateTime {
        parse_local(s).unwrap()
    }

    #[test]
    fn conversion_follows_daylight_saving() {
        let toronto: Tz = "America/Toronto".parse().unwrap();
        // Winter: UTC-5. Summer: UTC-4.
        assert_eq!(
            resolve(local("2027-01-15T12:00"), toronto)
                .unwrap()
                .timestamp()
                % 86400,
            17 * 3600
        );
        assert_eq!(
            resolve(local("2027-07-15T12:00"), toronto)
                .unwrap()
                .timestamp()
                % 86400,
            16 * 3600
        );
    }

    #[test]
    fn the_spring_forward_gap_does_not_exist() {
        let toronto: Tz = "America/Toronto".parse().unwrap();
        assert_eq!(
            resolve(local("2027-03-14T02:30"), toronto),
            Err(LocalTimeError::Nonexistent)
        );
        assert!(resolve(local("2027-03-14T01:59"), toronto).is_ok());
        assert!(resolve(local("2027-03-14T03:00"), toronto).is_ok());
    }

    #[test]
    fn a_repeated_fall_back_time_means_its_first_occurrence() {
        let toronto: Tz = "America/Toronto".parse().unwrap();
        let t = resolve(local("2026-11-01T01:30"), toronto).unwrap();
        // First 01:30 is still EDT (UTC-4): 05:30 UTC.
        assert_eq!(t.timestamp() % 86400, 5 * 3600 + 30 * 60);
    }

    #[test]
    fn a_zone_without_daylight_saving_has_no_gap() {
        let istanbul: Tz = "Europe/Istanbul".parse().unwrap();
        assert!(resolve(local("2027-03-28T03:30"), istanbul).is_ok());
    }

    #[test]
    fn parsing_local_times() {
        assert!(parse_local("2026-12-05T14:00").is_some());
        assert!(parse_local("2026-12-05T14:00:30").is_some());
        assert!(parse_local("2026-12-05 14:00").is_none());
        assert!(parse_local("2026-13-05T14:00").is_none());
        assert_eq!(format_local(local("2026-12-05T09:05")), "2026-12-05T09:05");
    }

    #[test]
    fn dates_and_times_in_each_language() {
        let t = local("2026-12-05T14:30");
        assert_eq!(
            format_date(Lang::En, t.date()),
            "Saturday, December 5, 2026"
        );
        assert_eq!(format_date(Lang::Fr, t.date()), "samedi 5 décembre 2026");
        assert_eq!(
            format_date(Lang::UgLatn, t.date()),
            "2026-yili 5-Dékabir, Shenbe"
        );
        assert_eq!(
            format_date(Lang::UgArab, t.date()),
            "2026-يىلى 5-دېكابىر، شەنبە"
        );
        assert_eq!(format_time(Lang::En, t), "2:30\u{a0}p.m.");
        assert_eq!(
            format_time(Lang::En, local("2026-12-05T00:05")),
            "12:05\u{a0}a.m."
        );
        assert_eq!(format_time(Lang::Fr, t), "14\u{a0}h\u{a0}30");
        assert_eq!(format_time(Lang::UgArab, t), "14:30");
    }

    #[test]
    fn spans_over_midnight_name_the_end_date() {
        let s = format_span(
            Lang::En,
            local("2026-12-31T21:00"),
            local("2027-01-01T01:00"),
            false,
        );
        assert_eq!(
            s.replace('\u{a0}', " "),
            "9:00 p.m. – Friday, January 1, 2027, 1:00 a.m."
        );
        let s = format_span(
            Lang::UgArab,
            local("2026-12-31T21:00"),
            local("2027-01-01T01:00"),
            false,
        );
        assert_eq!(s, "21:00 – 2027-يىلى 1-يانۋار، جۈمە، 01:00");
        assert_eq!(
            format_span(
                Lang::Fr,
                local("2026-12-05T14:00"),
                local("2026-12-05T16:00"),
                false
            ),
            "14\u{a0}h\u{a0}00 – 16\u{a0}h\u{a0}00"
        );
    }

    #[test]
    fn all_day_spans_name_the_last_day_when_there_are_several() {
        let (d1, d2, d3) = (
            local("2027-03-21T00:00"),
            local("2027-03-22T00:00"),
            local("2027-03-23T00:00"),
        );
        assert_eq!(format_span(Lang::En, d1, d2, true), "All day");
        assert_eq!(
            format_span(Lang::En, d1, d3, true),
            "All day, until Monday, March 22, 2027"
        );
        assert_eq!(format_span(Lang::Fr, d1, d2, true), "Toute la journée");
    }

    #[test]
    fn zone_labels_name_a_place_and_an_offset() {
        let ny: Tz = "America/New_York".parse().unwrap();
        assert_eq!(
            zone_label(Lang::En, ny, local("2027-01-10T10:00")),
            "New York time, UTC−5"
        );
        let istanbul: Tz = "Europe/Istanbul".parse().unwrap();
        assert_eq!(
            zone_label(Lang::En, istanbul, local("2027-01-10T10:00")),
            "Istanbul time, UTC+3"
        );
        let kolkata: Tz = "Asia/Kolkata".parse().unwrap();
        assert_eq!(
            zone_label(Lang::En, kolkata, local("2027-01-10T10:00")),
            "Kolkata time, UTC+5:30"
        );
    }
}
