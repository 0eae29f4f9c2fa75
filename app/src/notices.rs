//! What members are told about the events they answered: the kinds of
//! notice, who an organiser's announcement is for, and its limits. Shared
//! by the pages, the calendar feeds and the mail, so that a notice says the
//! same thing wherever it is read.

use crate::i18n::Lang;
use crate::tr;
use crate::validation::{FieldError, Problem, TextRule};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum NoticeKind {
    /// The date, time or place changed (which: the notice's detail).
    Changed,
    Postponed,
    Cancelled,
    /// Scheduled again after a postponement or cancellation.
    Rescheduled,
    /// Moved from the waitlist to going.
    Confirmed,
    /// An organiser approved the answer (detail `waitlisted`: no seat yet).
    Approved,
    Declined,
    /// A sensitive event's place is now shown to the member.
    PlaceRevealed,
    /// The event starts soon.
    Reminder,
    /// An organiser's message.
    Announcement,
}

impl NoticeKind {
    pub const ALL: [NoticeKind; 10] = [
        NoticeKind::Changed,
        NoticeKind::Postponed,
        NoticeKind::Cancelled,
        NoticeKind::Rescheduled,
        NoticeKind::Confirmed,
        NoticeKind::Approved,
        NoticeKind::Declined,
        NoticeKind::PlaceRevealed,
        NoticeKind::Reminder,
        NoticeKind::Announcement,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NoticeKind::Changed => "changed",
            NoticeKind::Postponed => "postponed",
            NoticeKind::Cancelled => "cancelled",
            NoticeKind::Rescheduled => "rescheduled",
            NoticeKind::Confirmed => "confirmed",
            NoticeKind::Approved => "approved",
            NoticeKind::Declined => "declined",
            NoticeKind::PlaceRevealed => "place_revealed",
            NoticeKind::Reminder => "reminder",
            NoticeKind::Announcement => "announcement",
        }
    }

    pub fn parse(text: &str) -> Option<NoticeKind> {
        NoticeKind::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// What changed in an event, as a "changed" notice's detail records it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Changes {
    pub time: bool,
    pub place: bool,
}

impl Changes {
    pub fn any(self) -> bool {
        self.time || self.place
    }

    /// As stored: `time`, `place` or `time place`.
    pub fn detail(self) -> String {
        let mut words = Vec::new();
        if self.time {
            words.push("time");
        }
        if self.place {
            words.push("place");
        }
        words.join(" ")
    }

    pub fn from_detail(detail: &str) -> Changes {
        let words: Vec<&str> = detail.split_whitespace().collect();
        Changes {
            time: words.contains(&"time"),
            place: words.contains(&"place"),
        }
    }
}

/// What a notice says, in `lang`: one sentence (an announcement's own text
/// is shown after it). `when` is the event's date and time, as the reader
/// sees them, for a reminder.
pub fn notice_text(lang: Lang, kind: NoticeKind, detail: &str, when: &str) -> String {
    match kind {
        NoticeKind::Changed => {
            let changes = Changes::from_detail(detail);
            match (changes.time, changes.place) {
                (true, true) => tr!(lang, notice_changed_time_place),
                (false, true) => tr!(lang, notice_changed_place),
                _ => tr!(lang, notice_changed_time),
            }
            .to_string()
        }
        NoticeKind::Postponed => tr!(lang, notice_postponed).to_string(),
        NoticeKind::Cancelled => tr!(lang, notice_cancelled).to_string(),
        NoticeKind::Rescheduled => tr!(lang, notice_rescheduled).to_string(),
        NoticeKind::Confirmed => tr!(lang, notice_confirmed).to_string(),
        NoticeKind::Approved if detail == "waitlisted" => {
            tr!(lang, notice_approved_waitlisted).to_string()
        }
        NoticeKind::Approved => tr!(lang, notice_approved).to_string(),
        NoticeKind::Declined => tr!(lang, notice_declined).to_string(),
        NoticeKind::PlaceRevealed => tr!(lang, notice_place_revealed).to_string(),
        NoticeKind::Reminder => tr!(lang, notice_reminder, when),
        NoticeKind::Announcement => tr!(lang, notice_announcement).to_string(),
    }
}

/// Who an organiser's announcement goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Audience {
    /// Everyone whose answer is live: going (with a place, waiting for one
    /// or for approval) or maybe. Never "not going" or cancelled answers;
    /// for a sensitive event, never answers no organiser approved.
    Everyone,
    /// Those with a place.
    Going,
    /// Those waiting for a place.
    Waitlisted,
}

impl Audience {
    pub const ALL: [Audience; 3] = [Audience::Everyone, Audience::Going, Audience::Waitlisted];

    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Everyone => "everyone",
            Audience::Going => "going",
            Audience::Waitlisted => "waitlisted",
        }
    }

    pub fn parse(text: &str) -> Option<Audience> {
        Audience::ALL.into_iter().find(|a| a.as_str() == text)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Audience::Everyone => tr!(lang, audience_everyone),
            Audience::Going => tr!(lang, audience_going),
            Audience::Waitlisted => tr!(lang, audience_waitlisted),
        }
    }
}

pub mod limits {
    /// Characters in an announcement.
    pub const ANNOUNCEMENT: usize = 2_000;
    /// Announcements an event may send in a day: a stolen organiser
    /// account cannot flood its members.
    pub const ANNOUNCEMENTS_PER_DAY: i64 = 5;
}

/// An announcement as the organiser's form sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AnnouncementForm {
    pub message: String,
    pub audience: String,
    /// The language it is written in.
    pub lang: String,
}

/// An announcement, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Announcement {
    pub message: String,
    pub audience: Audience,
    pub lang: Lang,
}

impl AnnouncementForm {
    /// Checks the form; `offered` are the instance's languages (the first
    /// is taken when none is named).
    pub fn validate(&self, offered: &[Lang]) -> Result<Announcement, Vec<FieldError>> {
        let mut errors = Vec::new();
        let message = self.message.replace("\r\n", "\n").trim().to_string();
        if let Some(problem) = TextRule::required(limits::ANNOUNCEMENT).check(&message) {
            errors.push(FieldError {
                field: "message".into(),
                problem,
            });
        }
        let audience = Audience::parse(self.audience.trim());
        if audience.is_none() {
            errors.push(FieldError {
                field: "audience".into(),
                problem: Problem::Required,
            });
        }
        let lang = Lang::from_tag(&self.lang)
            .filter(|l| offered.contains(l))
            .or(offered.first().copied())
            .unwrap_or(Lang::En);
        match audience {
            Some(audience) if errors.is_empty() => Ok(Announcement {
                message,
                audience,
                lang,
            }),
            _ => Err(errors),
        }
    }
}

/// A notice as a member's private page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeView {
    /// What happened, in the page's language.
    pub text: String,
    /// An announcement's message as safe HTML (empty for other notices),
    /// and the language it is written in.
    pub body_html: String,
    pub body_lang: Lang,
    /// When, as the reader reads dates.
    pub at_label: String,
    /// When, for `<time datetime>`.
    pub at_iso: String,
}

/// An announcement as its event's organisers see it afterwards.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentAnnouncement {
    pub body_html: String,
    pub lang: Lang,
    pub audience: Audience,
    /// How many answers it went to: a count, never who.
    pub recipients: i64,
    pub at_label: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_survive_their_detail() {
        for (time, place) in [(true, false), (false, true), (true, true)] {
            let changes = Changes { time, place };
            assert_eq!(Changes::from_detail(&changes.detail()), changes);
        }
        assert!(!Changes::default().any());
    }

    #[test]
    fn every_kind_reads_back_and_says_something_in_every_language() {
        for kind in NoticeKind::ALL {
            assert_eq!(NoticeKind::parse(kind.as_str()), Some(kind));
            for lang in Lang::ALL {
                assert!(!notice_text(lang, kind, "", "Sat 5 Dec").is_empty());
            }
        }
        assert!(notice_text(Lang::En, NoticeKind::Reminder, "", "Sat 5 Dec").contains("Sat 5 Dec"));
    }

    #[test]
    fn an_announcement_must_say_something_not_too_long_to_someone() {
        let offered = [Lang::En, Lang::Fr];
        let form = |message: &str, audience: &str| AnnouncementForm {
            message: message.into(),
            audience: audience.into(),
            lang: "fr".into(),
        };
        let ok = form("We meet at the north gate.", "going")
            .validate(&offered)
            .unwrap();
        assert_eq!((ok.audience, ok.lang), (Audience::Going, Lang::Fr));
        let errors = form("  ", "nobody").validate(&offered).unwrap_err();
        assert_eq!(errors.len(), 2);
        let long = "x".repeat(limits::ANNOUNCEMENT + 1);
        let errors = form(&long, "everyone").validate(&offered).unwrap_err();
        assert_eq!(
            errors[0].problem,
            Problem::TooLong {
                max: limits::ANNOUNCEMENT
            }
        );
        assert!(form("a\u{202E}b", "everyone").validate(&offered).is_err());
        let other = AnnouncementForm {
            lang: "ug-Arab".into(),
            ..form("Salam", "everyone")
        };
        assert_eq!(other.validate(&offered).unwrap().lang, Lang::En);
    }
}
