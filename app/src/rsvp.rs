//! RSVP domain: answers, states, and what a member may submit.

use crate::i18n::Lang;
use crate::phase::EventPhase;
use crate::tr;
use crate::validation::{FieldError, Problem, TextRule};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Answer {
    Going,
    Maybe,
    NotGoing,
}

impl Answer {
    pub const ALL: [Answer; 3] = [Answer::Going, Answer::Maybe, Answer::NotGoing];

    pub fn as_str(self) -> &'static str {
        match self {
            Answer::Going => "going",
            Answer::Maybe => "maybe",
            Answer::NotGoing => "not_going",
        }
    }

    pub fn parse(text: &str) -> Option<Answer> {
        Answer::ALL.into_iter().find(|a| a.as_str() == text)
    }

    /// Its label in `lang`.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Answer::Going => tr!(lang, answer_going),
            Answer::Maybe => tr!(lang, answer_maybe),
            Answer::NotGoing => tr!(lang, answer_not_going),
        }
    }
}

/// Where an answer stands. Only `Confirmed` "going" answers hold seats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RsvpState {
    /// Counted: a seat is held for a "going" answer; "maybe" and "not going"
    /// answers are simply recorded.
    Confirmed,
    /// "Going", but the event was full: first come, first served.
    Waitlisted,
    /// "Going", waiting for an organiser's approval.
    Pending,
    Cancelled,
}

impl RsvpState {
    pub const ALL: [RsvpState; 4] = [
        RsvpState::Confirmed,
        RsvpState::Waitlisted,
        RsvpState::Pending,
        RsvpState::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RsvpState::Confirmed => "confirmed",
            RsvpState::Waitlisted => "waitlisted",
            RsvpState::Pending => "pending",
            RsvpState::Cancelled => "cancelled",
        }
    }

    pub fn parse(text: &str) -> Option<RsvpState> {
        RsvpState::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// A short word in `lang` for an answer that does not count (yet);
    /// `None` for a confirmed one.
    pub fn short_label(self, lang: Lang) -> Option<&'static str> {
        match self {
            RsvpState::Confirmed => None,
            RsvpState::Waitlisted => Some(tr!(lang, short_waitlisted)),
            RsvpState::Pending => Some(tr!(lang, short_pending)),
            RsvpState::Cancelled => Some(tr!(lang, status_cancelled)),
        }
    }
}

/// An answer and, unless it is confirmed, where it stands: "Going
/// (waitlisted)".
pub fn answer_with_state(lang: Lang, answer: Answer, state: RsvpState) -> String {
    match state.short_label(lang) {
        Some(state) => format!("{} ({state})", answer.label(lang)),
        None => answer.label(lang).to_string(),
    }
}

pub mod limits {
    pub const NAME: usize = 80;
    pub const CONTACT: usize = 200;
    pub const NOTE: usize = 1_000;
    /// Guests a member may bring besides themself.
    pub const MAX_GUESTS: i64 = 10;
}

/// What a member submits, as the form sends it (a missing field is empty).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RsvpForm {
    pub answer: String,
    pub guests: String,
    pub name: String,
    pub contact: String,
    pub note: String,
    /// The language of the page it was sent from: the member's notices
    /// are written in it.
    pub lang: String,
    /// Where to email the member's notices (only when the instance sends
    /// email; never shown to organisers). Empty: no email.
    pub email: String,
}

/// A validated answer, ready to store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RsvpInput {
    pub answer: Answer,
    pub guests: i64,
    pub name: String,
    pub contact: String,
    pub note: String,
    /// An address for notices by email, checked; empty for none. Kept
    /// apart from the fields organisers read.
    pub email: String,
}

impl RsvpInput {
    /// The seats this answer needs when it is "going".
    pub fn seats(&self) -> i64 {
        if self.answer == Answer::Going {
            1 + self.guests
        } else {
            0
        }
    }
}

fn check(field: &str, value: &str, rule: TextRule, errors: &mut Vec<FieldError>) -> String {
    let value = value.trim();
    if let Some(problem) = rule.check(value) {
        errors.push(FieldError {
            field: field.into(),
            problem,
        });
    }
    value.to_string()
}

impl RsvpForm {
    pub fn validate(&self) -> Result<RsvpInput, Vec<FieldError>> {
        let mut errors = Vec::new();
        let answer = Answer::parse(self.answer.trim());
        if answer.is_none() {
            // A value no radio button sends is not a missing answer.
            let problem = if self.answer.trim().is_empty() {
                Problem::Required
            } else {
                Problem::Invalid
            };
            errors.push(FieldError {
                field: "answer".into(),
                problem,
            });
        }
        let guests_text = self.guests.trim();
        let guests = if guests_text.is_empty() {
            Some(0)
        } else {
            guests_text
                .parse::<i64>()
                .ok()
                .filter(|g| (0..=limits::MAX_GUESTS).contains(g))
        };
        if guests.is_none() {
            errors.push(FieldError {
                field: "guests".into(),
                problem: Problem::OutOfRange,
            });
        }
        let name = check(
            "name",
            &self.name,
            TextRule::optional(limits::NAME).name(),
            &mut errors,
        );
        if name.is_empty() && !errors.iter().any(|e| e.field == "name") {
            errors.push(FieldError {
                field: "name".into(),
                problem: Problem::Required,
            });
        }
        let contact = check(
            "contact",
            &self.contact,
            TextRule::optional(limits::CONTACT),
            &mut errors,
        );
        let note = check(
            "note",
            &self.note,
            TextRule::optional(limits::NOTE),
            &mut errors,
        );
        let email = crate::validation::check_email(&self.email).unwrap_or_else(|problem| {
            errors.push(FieldError {
                field: "email".into(),
                problem,
            });
            String::new()
        });
        match (answer, guests) {
            (Some(answer), Some(guests)) if errors.is_empty() => Ok(RsvpInput {
                answer,
                // Guests only matter when coming.
                guests: if answer == Answer::NotGoing {
                    0
                } else {
                    guests
                },
                name,
                contact,
                note,
                email,
            }),
            _ => Err(errors),
        }
    }
}

/// What the public may know about attendance: counts only, or nothing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicCounts {
    /// Seats taken (going answers plus their guests).
    pub going: i64,
    pub waitlisted: i64,
}

/// The RSVP part of a public event page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RsvpPanel {
    pub accepting: bool,
    /// `None` when the counts are hidden (by the organisers, or because
    /// too few have answered for a number to hide anyone).
    pub counts: Option<PublicCounts>,
    pub capacity: Option<i64>,
    /// No seat is left: a "going" answer joins the waitlist. Said even when
    /// the counts are hidden, so that no one is waitlisted without a word.
    pub full: bool,
    pub approval_required: bool,
}

impl RsvpPanel {
    /// Seats left, when the counts are public and there is a capacity.
    pub fn seats_left(&self) -> Option<i64> {
        Some((self.capacity? - self.counts?.going).max(0))
    }
}

/// A form as submitted and what was wrong with it, to show it again.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RsvpFormState {
    pub form: RsvpForm,
    pub errors: Vec<FieldError>,
    pub closed: bool,
}

/// What submitting or changing an answer led to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RsvpOutcome {
    /// Stored; the private link's token (shown to its owner only).
    Saved {
        token: String,
    },
    Invalid(Vec<FieldError>),
    Closed,
    /// Too many answers from this connection lately: try again later.
    TooMany,
}

/// A member's own RSVP, as its private page shows it to the link's holder.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyRsvp {
    pub event_slug: String,
    pub event_title: String,
    pub when_label: String,
    /// Set when the event's zone differs from the instance's.
    pub zone_label: Option<String>,
    pub phase: EventPhase,
    /// When it was to start before it was moved.
    pub moved_from: Option<String>,
    pub state: RsvpState,
    pub answer: Answer,
    /// For a waitlisted answer: 1 for the first in line.
    pub waitlist_position: Option<i64>,
    pub form: RsvpForm,
    /// The name, contact and note could not be shown: the answer was
    /// sealed (by an upgrade) before it had a copy for its private link.
    pub details_sealed: bool,
    /// The code to show at the door: only for a confirmed "going" answer to
    /// an event that takes place on the date shown.
    pub door_code: Option<String>,
    pub accepting: bool,
    /// The full private link, to copy and keep.
    pub private_link: String,
    /// Where the event takes place; for a sensitive event only once an
    /// organiser approved the member (and the hour set for it has come).
    pub place: Option<String>,
    /// Why a sensitive event's place is not shown (yet).
    pub place_note: Option<PlaceNote>,
    /// What the member was told about the event, newest first.
    pub notices: Vec<crate::notices::NoticeView>,
    /// The instance sends email: the form offers it.
    pub mail_offered: bool,
    /// The event's poster; a sensitive event's only for a member who may
    /// see its place.
    pub poster: Option<crate::domain::Poster>,
}

/// What a member is told of a sensitive event's place they cannot see yet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PlaceNote {
    /// Shown once an organiser approves the answer.
    AfterApproval,
    /// Approved: shown from this (formatted) time.
    From(String),
}

/// One line of "my RSVPs": an answer sent from this device.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyRsvpEntry {
    pub id: i64,
    pub event_slug: String,
    pub event_title: String,
    pub when_label: String,
    pub phase: EventPhase,
    pub state: RsvpState,
    pub answer: Answer,
    pub guests: i64,
    pub waitlist_position: Option<i64>,
}

/// What a member's answer comes to, in one sentence with what happens
/// next. The event's own state (cancelled, postponed, past) is said first,
/// by [`EventPhase::headline`]; here it decides whether a seat still means
/// anything.
pub fn standing(
    lang: Lang,
    phase: EventPhase,
    answer: Answer,
    state: RsvpState,
    guests: i64,
    waitlist_position: Option<i64>,
) -> String {
    let live = state != RsvpState::Cancelled;
    match phase {
        EventPhase::Cancelled if live => return tr!(lang, state_event_cancelled).to_string(),
        EventPhase::Postponed if live => return tr!(lang, state_event_postponed).to_string(),
        EventPhase::Past if live => {
            let answer = answer_with_state(lang, answer, state);
            return tr!(lang, state_event_past, answer);
        }
        _ => {}
    }
    match (state, answer) {
        (RsvpState::Cancelled, _) => tr!(lang, state_cancelled).to_string(),
        (RsvpState::Waitlisted, _) => match waitlist_position {
            Some(position) => tr!(lang, state_waitlisted_at, position),
            None => tr!(lang, state_waitlisted).to_string(),
        },
        (RsvpState::Pending, _) => tr!(lang, state_pending).to_string(),
        (RsvpState::Confirmed, Answer::Going) if guests > 0 => {
            tr!(lang, state_confirmed_with, count = guests)
        }
        (RsvpState::Confirmed, Answer::Going) => tr!(lang, state_confirmed).to_string(),
        (RsvpState::Confirmed, Answer::Maybe) => tr!(lang, state_maybe).to_string(),
        (RsvpState::Confirmed, Answer::NotGoing) => tr!(lang, state_not_going).to_string(),
    }
}

/// "My RSVPs": this device's answers and, once it has any, the address of
/// its personal calendar feed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyRsvps {
    pub entries: Vec<MyRsvpEntry>,
    pub feed_url: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(answer: &str, guests: &str, name: &str) -> RsvpForm {
        RsvpForm {
            answer: answer.into(),
            guests: guests.into(),
            name: name.into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_pseudonym_and_guests_are_enough() {
        let input = form("going", "2", "  Tulpar ").validate().unwrap();
        assert_eq!(
            (input.answer, input.guests, input.name.as_str()),
            (Answer::Going, 2, "Tulpar")
        );
        assert_eq!(input.seats(), 3);
        assert_eq!(form("maybe", "", "A").validate().unwrap().seats(), 0);
        assert_eq!(form("not_going", "5", "A").validate().unwrap().guests, 0);
    }

    #[test]
    fn bad_answers_are_refused_field_by_field() {
        let errors = form("yes", "11", "").validate().unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["answer", "guests", "name"]);
        assert_eq!(errors[0].problem, Problem::Invalid);
        let unanswered = form(" ", "0", "A").validate().unwrap_err();
        assert_eq!(unanswered[0].problem, Problem::Required);
        assert!(form("going", "-1", "A").validate().is_err());
        assert!(form("going", "1.5", "A").validate().is_err());
    }

    #[test]
    fn names_cannot_hide_bidi_tricks_but_may_be_uyghur() {
        let errors = form("going", "0", "abc\u{202E}fdp").validate().unwrap_err();
        assert_eq!(errors[0].problem, Problem::ControlCharacters);
        // Invisible characters make two names look alike, or one empty.
        for invisible in [
            '\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{3164}', '\u{FEFF}',
        ] {
            let errors = form("going", "0", &format!("Ay{invisible}gül"))
                .validate()
                .unwrap_err();
            assert_eq!(errors[0].field, "name", "{invisible:?}");
            assert_eq!(errors[0].problem, Problem::ControlCharacters);
        }
        // In a note they stay: Arabic script and emoji use the joiners.
        let mut note = form("going", "0", "Aygül");
        note.note = "👨\u{200D}👩\u{200D}👧".into();
        assert!(note.validate().is_ok());
        assert!(form("going", "0", "ئايگۈل").validate().is_ok());
        let long = "x".repeat(limits::NAME + 1);
        assert_eq!(
            form("going", "0", &long).validate().unwrap_err()[0].problem,
            Problem::TooLong { max: limits::NAME }
        );
    }

    #[test]
    fn names_round_trip() {
        for a in Answer::ALL {
            assert_eq!(Answer::parse(a.as_str()), Some(a));
        }
        for s in RsvpState::ALL {
            assert_eq!(RsvpState::parse(s.as_str()), Some(s));
        }
    }
}
