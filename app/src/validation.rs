//! The vocabulary of validation, shared by every form: what can be wrong
//! with a field ([`Problem`]), which field ([`FieldError`]), which
//! characters are refused, and the one text check ([`TextRule`]).

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Problem {
    Required,
    TooLong {
        max: usize,
    },
    TooShort {
        min: usize,
    },
    /// A number outside what the field takes.
    NotBetween {
        min: i64,
        max: i64,
    },
    /// A capacity below the places already taken.
    BelowAttendance {
        taken: i64,
    },
    /// Already used by another (a username).
    Taken,
    Invalid,
    ControlCharacters,
    InvalidSlug,
    UnknownTimeZone,
    InvalidDateTime,
    /// The wall-clock time is skipped by a daylight-saving change.
    NonexistentLocalTime,
    EndBeforeStart,
    InvalidUrl,
    OutOfRange,
    MissingOriginalText,
    /// A sensitive event without approval of answers.
    SensitiveNeedsApproval,
    /// An event that lasts longer than events may.
    EventTooLong {
        max_days: i64,
    },
    /// Someone saved the record since this form was filled from it; the
    /// version it is at now, for a deliberate second save.
    ChangedMeanwhile {
        version: i64,
    },
    /// Not an email address.
    InvalidEmail,
    /// An event sent as many announcements as it may in a day.
    TooManyAnnouncements {
        max: i64,
    },
    /// A poster file larger than uploads may be.
    PosterTooBig {
        max_mb: usize,
    },
    /// A poster with more pixels than the server decodes.
    PosterTooManyPixels {
        max_megapixels: u64,
    },
    /// An iPhone's HEIC photo: browsers cannot show it.
    PosterHeic,
    /// Not a JPEG, PNG or WebP image, or one that cannot be read.
    PosterFormat,
    /// Longer than wide (or wider than long) by more than this.
    PosterShape {
        max_ratio: u32,
    },
    /// Another poster is being made: try again shortly.
    PosterBusy,
    /// Not a website's origin (`https://example.org`, no path).
    InvalidOrigin,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub problem: Problem,
}

/// Characters that draw nothing and can make two names look alike, or a
/// name look empty: zero-width space and joiners, the word joiner, the
/// Hangul filler, the byte-order mark. Refused in names (in running text
/// the joiners have their uses, in Arabic script and emoji).
pub fn is_invisible_char(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{3164}' | '\u{FEFF}'
    )
}

/// Characters refused in a name: those refused everywhere, and the
/// invisible ones.
pub fn is_forbidden_in_name(c: char) -> bool {
    is_forbidden_char(c) || is_invisible_char(c)
}

/// Characters that must never be stored in a text field: C0/C1 controls
/// (except tab and newlines) and the bidirectional overrides and isolates,
/// which can make a name display as something else. Ordinary right-to-left
/// letters are not affected.
pub fn is_forbidden_char(c: char) -> bool {
    (c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
        // What bytes that were not UTF-8 become when decoded: the text sent
        // was not what the sender meant, so it is refused, not stored.
        || c == '\u{FFFD}'
}

/// What a text field takes: how long it may be, whether it must be given,
/// and whether it is a name (where invisible characters are refused too).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TextRule {
    pub max: usize,
    pub required: bool,
    pub name: bool,
}

impl TextRule {
    pub const fn optional(max: usize) -> TextRule {
        TextRule {
            max,
            required: false,
            name: false,
        }
    }

    pub const fn required(max: usize) -> TextRule {
        TextRule {
            max,
            required: true,
            name: false,
        }
    }

    /// A name (of a member, an organiser, the organisation).
    pub const fn name(self) -> TextRule {
        TextRule { name: true, ..self }
    }

    /// What is wrong with `value`, if anything (checked as given; trim first
    /// where spaces around do not count).
    pub fn check(self, value: &str) -> Option<Problem> {
        let forbidden = if self.name {
            is_forbidden_in_name
        } else {
            is_forbidden_char
        };
        if self.required && value.trim().is_empty() {
            Some(Problem::Required)
        } else if value.chars().count() > self.max {
            Some(Problem::TooLong { max: self.max })
        } else if value.chars().any(forbidden) {
            Some(Problem::ControlCharacters)
        } else {
            None
        }
    }
}

/// The longest email address there can be (RFC 5321's path limit).
pub const EMAIL_MAX: usize = 254;

/// An email address as a member types it: trimmed; `Ok("")` when none is
/// given. Its shape is checked (one `@`; a local part of printable
/// characters; a domain of at least two labels of letters, digits and
/// hyphens), not whether it receives mail: no one is written to until
/// there is something to say.
pub fn check_email(text: &str) -> Result<String, Problem> {
    let address = text.trim();
    if address.is_empty() {
        return Ok(String::new());
    }
    let valid = address.chars().count() <= EMAIL_MAX
        && !address
            .chars()
            .any(|c| c.is_whitespace() || is_forbidden_char(c) || is_invisible_char(c))
        && address.rsplit_once('@').is_some_and(|(local, domain)| {
            let local_ok = (1..=64).contains(&local.len())
                && !local.starts_with('.')
                && !local.ends_with('.')
                && !local.contains("..")
                && !local.chars().any(|c| "@<>()[]\\,;:\"".contains(c));
            let labels: Vec<&str> = domain.split('.').collect();
            let domain_ok = labels.len() >= 2
                && labels.iter().all(|label| {
                    (1..=63).contains(&label.len())
                        && !label.starts_with('-')
                        && !label.ends_with('-')
                        && label.chars().all(|c| c.is_alphanumeric() || c == '-')
                })
                && !labels
                    .last()
                    .is_some_and(|tld| tld.chars().all(|c| c.is_ascii_digit()));
            local_ok && domain_ok
        });
    if valid {
        Ok(address.to_string())
    } else {
        Err(Problem::InvalidEmail)
    }
}

/// A website's origin as a frame's parent is named in a content security
/// policy: `https://` or `http://`, a host, perhaps a port, nothing after
/// (a final `/` is dropped); lowercased. Anything else (a path, a
/// wildcard, a quote that would end the policy's value) is refused.
pub fn check_origin(text: &str) -> Result<String, Problem> {
    let text = text.trim().trim_end_matches('/').to_ascii_lowercase();
    let Some((scheme, host)) = text.split_once("://") else {
        return Err(Problem::InvalidOrigin);
    };
    let (name, port) = match host.rsplit_once(':') {
        Some((name, port)) => (name, Some(port)),
        None => (host, None),
    };
    let name_ok = !name.is_empty()
        && name.len() <= 253
        && !name.starts_with(['.', '-'])
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
    let port_ok =
        port.is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()));
    if matches!(scheme, "https" | "http") && name_ok && port_ok {
        Ok(text)
    } else {
        Err(Problem::InvalidOrigin)
    }
}

/// A problem in plain English, for the command line.
pub fn describe(problem: Problem) -> String {
    match problem {
        Problem::Required => "missing".into(),
        Problem::TooLong { max } => format!("longer than {max} characters"),
        Problem::TooShort { min } => format!("shorter than {min} characters"),
        Problem::NotBetween { min, max } => format!("not between {min} and {max}"),
        Problem::BelowAttendance { taken } => format!("below the {taken} places taken"),
        Problem::Taken => "already taken".into(),
        Problem::Invalid => "not valid".into(),
        Problem::ControlCharacters => "contains control or direction-override characters".into(),
        Problem::InvalidSlug => "not a valid address".into(),
        Problem::UnknownTimeZone => "unknown time zone".into(),
        Problem::InvalidDateTime => "not a valid date and time".into(),
        Problem::NonexistentLocalTime => "skipped by a daylight-saving change".into(),
        Problem::EndBeforeStart => "the end is not after the start".into(),
        Problem::InvalidUrl => "not a web address".into(),
        Problem::OutOfRange => "out of range".into(),
        Problem::MissingOriginalText => "missing".into(),
        Problem::SensitiveNeedsApproval => "a sensitive event needs approval of answers".into(),
        Problem::EventTooLong { max_days } => format!("longer than {max_days} days"),
        Problem::ChangedMeanwhile { .. } => "changed by someone else meanwhile".into(),
        Problem::TooManyAnnouncements { max } => format!("more than {max} announcements a day"),
        Problem::InvalidEmail => "not an email address".into(),
        Problem::PosterTooBig { max_mb } => format!("larger than {max_mb} MB"),
        Problem::PosterTooManyPixels { max_megapixels } => {
            format!("more than {max_megapixels} megapixels")
        }
        Problem::PosterHeic => "a HEIC photo (use JPEG)".into(),
        Problem::PosterFormat => "not a JPEG, PNG or WebP image".into(),
        Problem::PosterShape { max_ratio } => {
            format!("more than {max_ratio} times longer than wide")
        }
        Problem::PosterBusy => "the server is busy making another poster".into(),
        Problem::InvalidOrigin => "not a website's address (https://example.org)".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_a_scheme_a_host_and_perhaps_a_port() {
        assert_eq!(
            check_origin(" https://Uyghur-Society.ca/ ").as_deref(),
            Ok("https://uyghur-society.ca")
        );
        assert_eq!(
            check_origin("http://localhost:8080").as_deref(),
            Ok("http://localhost:8080")
        );
        for bad in [
            "uyghur-society.ca",
            "https://example.org/events",
            "https://*.example.org",
            "*",
            "https://example.org'; script-src *",
            "javascript://x",
            "https://",
            "https://example.org:80a",
            "https://user@example.org",
        ] {
            assert_eq!(check_origin(bad), Err(Problem::InvalidOrigin), "{bad}");
        }
    }

    #[test]
    fn email_addresses_are_checked_for_their_shape() {
        for good in [
            "aygul@example.org",
            "  a.b+events@mail.example.ca ",
            "ئايگۈل@مىسال.org",
        ] {
            assert_eq!(check_email(good).as_deref(), Ok(good.trim()), "{good}");
        }
        assert_eq!(check_email("  ").as_deref(), Ok(""));
        for bad in [
            "aygul",
            "aygul@",
            "@example.org",
            "aygul@example",
            "aygul@@example.org",
            "ay gul@example.org",
            "aygul@exa_mple.org",
            "aygul@-example.org",
            "a..b@example.org",
            "<a@example.org>",
            "a@1.2.3.4",
            "a\u{202E}@example.org",
        ] {
            assert_eq!(check_email(bad), Err(Problem::InvalidEmail), "{bad}");
        }
        let long = format!("{}@{}.org", "a".repeat(64), "b".repeat(200));
        assert_eq!(check_email(&long), Err(Problem::InvalidEmail));
    }
}
