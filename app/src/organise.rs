//! What organiser screens show and send, shared by the server and the
//! browser.

use crate::accounts::AccountInfo;
use crate::domain::{EventKind, EventStatus, FieldError};
use crate::i18n::Lang;
use crate::rsvp::{Answer, RsvpState};
use serde::{Deserialize, Serialize};

/// One event on the organiser's dashboard.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagedEvent {
    pub slug: String,
    pub title: String,
    pub when_label: String,
    pub kind: EventKind,
    pub status: EventStatus,
    pub is_past: bool,
    pub capacity: Option<i64>,
    pub going: i64,
    pub waitlisted: i64,
    pub pending: i64,
    /// When the answers' personal data goes (or `None`: it has gone).
    pub data_deleted_on: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    pub account: AccountInfo,
    pub events: Vec<ManagedEvent>,
}

/// The sign-in form as sent, and what went wrong (for the page again).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LoginForm {
    pub username: String,
    pub password: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LoginFailure {
    /// Wrong name or password: never which.
    Refused,
    TooMany,
}

/// A form an organiser sent that comes back with its errors, for the page
/// rendered again when JavaScript is off.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnedForm {
    pub values: Vec<(String, String)>,
    pub errors: Vec<FieldError>,
    pub login_failure: Option<LoginFailure>,
}

/// A submitted form field's value (the first, as browsers send one per
/// field; empty when absent).
pub fn field<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

/// Whether a checkbox was ticked (browsers send `on`; absent when not).
pub fn ticked(pairs: &[(String, String)], name: &str) -> bool {
    matches!(field(pairs, name), "on" | "true" | "1")
}

/// One answer in an organiser's RSVP list: the only place names, contacts
/// and notes are shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RsvpListEntry {
    pub id: i64,
    /// The name, contact and note could not be opened: the account holds
    /// no organisation key (they are empty then).
    pub sealed: bool,
    pub display_name: String,
    pub contact: String,
    pub note: String,
    pub answer: Answer,
    pub state: RsvpState,
    pub guests: i64,
    pub short_code: String,
    pub checked_in: bool,
}

/// One page of an event's answers, as its organisers asked for it: the
/// counts of them all, and the answers of this page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RsvpList {
    pub slug: String,
    pub title: String,
    pub when_label: String,
    pub capacity: Option<i64>,
    pub approval_required: bool,
    /// How many answers fall under each of [`ANSWER_FILTERS`], in order
    /// (each answer under exactly one).
    pub counts: Vec<usize>,
    /// Seats held by confirmed "going" answers and their guests.
    pub seats: i64,
    /// Answers the filter and search match, over all pages.
    pub matching: usize,
    /// The page shown, from 1.
    pub page: usize,
    pub entries: Vec<RsvpListEntry>,
    /// Some answers' names cannot be opened with this session's key: on
    /// this page, or (for a session without the key) on any page.
    pub any_sealed: bool,
    /// A sensitive event's announcements reach approved answers only.
    pub sensitive: bool,
    /// The languages an announcement may be written in.
    pub languages: Vec<Lang>,
    /// Messages sent to those who answered, newest first.
    pub announcements: Vec<crate::notices::SentAnnouncement>,
    /// A message sent without JavaScript that came back with problems.
    pub returned: ReturnedForm,
}

impl RsvpList {
    /// Answers in all.
    pub fn total(&self) -> usize {
        self.counts.iter().sum()
    }

    pub fn has_more(&self) -> bool {
        self.page.saturating_mul(ANSWERS_PER_PAGE) < self.matching
    }

    /// How many answers the pages before this one hold.
    pub fn skipped(page: usize) -> usize {
        page.saturating_sub(1).saturating_mul(ANSWERS_PER_PAGE)
    }
}

/// Answers on one page of the organisers' list: a phone scrolls through
/// this many comfortably, and the server opens only these.
pub const ANSWERS_PER_PAGE: usize = 100;

/// The ways the answers list can be narrowed, as `?state=` names them:
/// each selects a state and, for a counted answer, what it said.
pub const ANSWER_FILTERS: [(&str, RsvpState, Option<Answer>); 6] = [
    ("going", RsvpState::Confirmed, Some(Answer::Going)),
    ("waitlisted", RsvpState::Waitlisted, None),
    ("pending", RsvpState::Pending, None),
    ("maybe", RsvpState::Confirmed, Some(Answer::Maybe)),
    ("not_going", RsvpState::Confirmed, Some(Answer::NotGoing)),
    ("cancelled", RsvpState::Cancelled, None),
];

/// Which filter an answer falls under: its state, or for a counted answer
/// what it said.
pub fn answer_filter(answer: Answer, state: RsvpState) -> &'static str {
    ANSWER_FILTERS
        .iter()
        .find(|(_, s, a)| *s == state && a.is_none_or(|a| a == answer))
        .map_or(state.as_str(), |(name, ..)| name)
}

/// The state, and for a counted answer what it said, of the answers under
/// a filter (the other way round from [`answer_filter`]).
pub fn filter_parts(filter: &str) -> Option<(RsvpState, Option<Answer>)> {
    ANSWER_FILTERS
        .iter()
        .find(|(name, ..)| *name == filter)
        .map(|(_, state, answer)| (*state, *answer))
}

/// What an organiser asked the answers list for: a filter (one of
/// [`ANSWER_FILTERS`]), a search by name or door code, a page (from 1).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerQuery {
    pub filter: Option<String>,
    pub search: String,
    pub page: usize,
}

impl AnswerQuery {
    /// The query as the address gave it; an unknown filter or a page that
    /// is not a number is ignored.
    pub fn from_params(state: Option<&str>, search: Option<&str>, page: Option<&str>) -> Self {
        AnswerQuery {
            filter: state.map(str::to_string),
            search: search.unwrap_or_default().to_string(),
            // As a u32 on both sides: a browser's usize is 32 bits wide.
            page: page
                .and_then(|p| p.parse::<u32>().ok())
                .map_or(1, |p| p as usize),
        }
        .normalised()
    }

    /// A known filter or none, the search trimmed (and cut to a name's
    /// length), a page from 1: what the server makes of whatever a browser
    /// sent.
    pub fn normalised(self) -> Self {
        AnswerQuery {
            filter: self.filter.filter(|f| filter_parts(f).is_some()),
            search: self
                .search
                .trim()
                .chars()
                .take(crate::rsvp::limits::NAME)
                .collect(),
            page: self.page.clamp(1, u32::MAX as usize),
        }
    }

    /// Whether an answer's door code is the one searched for (ignoring
    /// case); names need opening first, so they are matched apart.
    pub fn code_matches(&self, short_code: &str) -> bool {
        !short_code.is_empty() && short_code.eq_ignore_ascii_case(&self.search)
    }
}

/// The door: how many have arrived, of how many expected.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Headcount {
    /// People (members and their guests) checked in.
    pub arrived: i64,
    /// People with a confirmed "going" answer.
    pub expected: i64,
}

/// What the check-in screen shows after a code was entered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CheckInResult {
    CheckedIn {
        name: String,
        people: i64,
    },
    AlreadyIn {
        name: String,
        people: i64,
    },
    /// The answer exists but holds no confirmed place (waitlisted, pending,
    /// maybe, not going, cancelled).
    NotConfirmed {
        name: String,
        state: RsvpState,
        answer: Answer,
    },
    NoSuchCode,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckInPage {
    pub slug: String,
    pub title: String,
    pub when_label: String,
    pub headcount: Headcount,
    pub result: Option<CheckInResult>,
}

/// The event editor: the form's values (as its fields are named), what was
/// wrong with them, and the languages to offer text fields for.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventFormData {
    /// The event being edited; `None` for a new one.
    pub slug: Option<String>,
    pub status: Option<EventStatus>,
    pub values: Vec<(String, String)>,
    pub errors: Vec<FieldError>,
    pub languages: Vec<Lang>,
    /// A stored event's poster, as its organisers see it.
    pub poster: Option<crate::domain::Poster>,
}

impl EventFormData {
    pub fn value(&self, name: &str) -> &str {
        field(&self.values, name)
    }

    pub fn checked(&self, name: &str) -> bool {
        ticked(&self.values, name)
    }

    pub fn error(&self, field: &str) -> Option<&FieldError> {
        self.errors.iter().find(|e| e.field == field)
    }
}

/// An account as admins see it in the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountEntry {
    pub account: AccountInfo,
    pub disabled: bool,
    /// Whether the account holds the organisation's key (opens names).
    pub holds_key: bool,
}

/// The accounts screen: everyone, and the new-account form if it came back.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountsPage {
    pub me: AccountInfo,
    /// Whether this session holds the organisation's key (to make a new
    /// recovery key, replace the key or give it to an account).
    pub key_unlocked: bool,
    /// Whether a recovery key exists (none after the first admin took the
    /// key at sign-in, until they make one).
    pub has_recovery_key: bool,
    pub accounts: Vec<AccountEntry>,
    pub returned: ReturnedForm,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_answer_falls_under_the_one_filter_that_selects_it() {
        let answers = [Answer::Going, Answer::Maybe, Answer::NotGoing];
        let states = [
            RsvpState::Confirmed,
            RsvpState::Waitlisted,
            RsvpState::Pending,
            RsvpState::Cancelled,
        ];
        for answer in answers {
            for state in states {
                let under: Vec<&str> = ANSWER_FILTERS
                    .iter()
                    .filter(|(_, s, a)| *s == state && a.is_none_or(|a| a == answer))
                    .map(|(name, ..)| *name)
                    .collect();
                assert_eq!(
                    under,
                    [answer_filter(answer, state)],
                    "{answer:?} {state:?}"
                );
            }
        }
        assert_eq!(filter_parts("everyone"), None);
    }

    #[test]
    fn an_address_is_read_as_a_query_the_server_can_take() {
        let query = AnswerQuery::from_params(Some("maybe"), Some("  Ayxan "), Some("3"));
        assert_eq!(
            (query.filter.as_deref(), query.search.as_str(), query.page),
            (Some("maybe"), "Ayxan", 3)
        );
        let nonsense = AnswerQuery::from_params(Some("all"), Some(&"x".repeat(500)), Some("0"));
        assert_eq!(
            (nonsense.filter, nonsense.search.len(), nonsense.page),
            (None, 80, 1)
        );
        assert_eq!(RsvpList::skipped(usize::MAX), usize::MAX);
        assert!(AnswerQuery::from_params(None, Some("k7mq2p"), None).code_matches("K7MQ2P"));
        assert!(!AnswerQuery::default().code_matches(""));
    }
}
