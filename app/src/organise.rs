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

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RsvpList {
    pub slug: String,
    pub title: String,
    pub when_label: String,
    pub capacity: Option<i64>,
    pub approval_required: bool,
    pub entries: Vec<RsvpListEntry>,
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
