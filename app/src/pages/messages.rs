//! Sentences several screens share: a field error's message, seats taken.

use crate::domain::Problem;
use crate::i18n::Lang;
use crate::rsvp::limits;
use crate::tr;

/// A field error's message in the reader's language.
pub fn problem_message(lang: Lang, problem: Problem) -> String {
    match problem {
        Problem::Required => tr!(lang, err_required).to_string(),
        Problem::TooLong { max } => tr!(lang, err_too_long, max),
        Problem::ControlCharacters => tr!(lang, err_control).to_string(),
        Problem::OutOfRange => {
            tr!(lang, err_out_of_range, max = limits::MAX_GUESTS)
        }
        Problem::TooShort { min } => tr!(lang, err_too_short, min),
        Problem::NotBetween { min, max } => tr!(lang, err_not_between, min, max),
        Problem::BelowAttendance { taken } => {
            tr!(lang, err_below_attendance, count = taken)
        }
        Problem::Taken => tr!(lang, err_taken).to_string(),
        Problem::UnknownTimeZone => tr!(lang, err_unknown_zone).to_string(),
        Problem::NonexistentLocalTime => tr!(lang, err_dst_gap).to_string(),
        Problem::EndBeforeStart => tr!(lang, err_end_before_start).to_string(),
        Problem::InvalidUrl => tr!(lang, err_url).to_string(),
        Problem::InvalidSlug => tr!(lang, err_slug).to_string(),
        Problem::SensitiveNeedsApproval => tr!(lang, err_sensitive_needs_approval).to_string(),
        Problem::EventTooLong { max_days } => tr!(lang, err_event_too_long, max_days),
        Problem::ChangedMeanwhile { .. } => tr!(lang, err_changed_meanwhile).to_string(),
        Problem::TooManyAnnouncements { max } => tr!(lang, err_too_many_announcements, max),
        Problem::InvalidEmail => tr!(lang, err_email).to_string(),
        Problem::PosterTooBig { max_mb } => tr!(lang, err_poster_too_big, max_mb),
        Problem::PosterTooManyPixels { max_megapixels } => {
            tr!(lang, err_poster_pixels, max_megapixels)
        }
        Problem::PosterHeic => tr!(lang, err_poster_heic).to_string(),
        Problem::PosterFormat => tr!(lang, err_poster_format).to_string(),
        Problem::PosterShape { max_ratio } => tr!(lang, err_poster_shape, max_ratio),
        Problem::PosterBusy => tr!(lang, err_poster_busy).to_string(),
        Problem::InvalidOrigin => tr!(lang, err_origin).to_string(),
        Problem::InvalidDateTime | Problem::MissingOriginalText | Problem::Invalid => {
            tr!(lang, err_invalid).to_string()
        }
    }
}

/// Seats taken: "12 of 40 places taken", or "12 going" without a limit.
pub fn seats_text(lang: Lang, going: i64, capacity: Option<i64>) -> String {
    match capacity {
        Some(capacity) => tr!(lang, places_taken_of, going, capacity),
        None => tr!(lang, people_going, count = going),
    }
}
