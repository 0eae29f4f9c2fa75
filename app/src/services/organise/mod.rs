//! What organisers do, a module per screen: the dashboard, an event's
//! answers (approvals, CSV), the door, the event editor, instance
//! settings. Every function takes the signed-in account and checks, per
//! event, that it may act on it.

mod announcements;
mod answers;
mod dashboard;
mod door;
mod editor;
mod posters;
mod settings;

pub use announcements::announce;
pub use answers::*;
pub use dashboard::*;
pub use door::*;
pub use editor::*;
pub use posters::*;
pub use settings::*;

use super::accounts::can_manage;
use super::keys::Opener;
use super::Site;
use crate::accounts::AccountInfo;
use crate::db::events::{self, EventRow, ListQuery, Period};
use crate::db::rsvps::RulesInput;
use crate::db::rsvps::{AnswerPage, RsvpRow};
use crate::db::{rsvps, DbError};
use crate::domain::{
    EventDraft, EventKind, EventStatus, EventText, FieldError, Problem, ValidEvent,
};
use crate::i18n::Lang;
use crate::organise::{
    answer_filter, field, filter_parts, ticked, AnswerQuery, CheckInPage, CheckInResult, Dashboard,
    EventFormData, Headcount, ManagedEvent, RsvpList, RsvpListEntry, ANSWERS_PER_PAGE,
    ANSWER_FILTERS,
};
use crate::rsvp::{Answer, RsvpState};
use crate::time::format_local;

#[derive(Debug, thiserror::Error)]
pub enum OrganiseError {
    #[error("not signed in")]
    NotSignedIn,
    #[error("not allowed")]
    Forbidden,
    #[error("no such event or answer")]
    NotFound,
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    /// The answers could not be written out as CSV.
    #[error("could not write the CSV file: {0}")]
    Csv(String),
    #[error(transparent)]
    Db(DbError),
}

impl From<DbError> for OrganiseError {
    fn from(error: DbError) -> Self {
        match error {
            DbError::NotFound => OrganiseError::NotFound,
            other => OrganiseError::Db(other),
        }
    }
}

/// The event behind `slug`, if `account` may manage it.
pub(crate) async fn managed_event(
    site: &Site,
    account: &AccountInfo,
    slug: &str,
    lang: Lang,
) -> Result<EventRow, OrganiseError> {
    let event = events::by_slug(&site.db, slug, lang)
        .await?
        .ok_or(OrganiseError::NotFound)?;
    if can_manage(account, event.organiser_id) {
        Ok(event)
    } else {
        Err(OrganiseError::Forbidden)
    }
}

/// Accounts, settings and the audit log are for admins only.
pub fn require_admin(account: &AccountInfo) -> Result<(), OrganiseError> {
    if account.is_admin() {
        Ok(())
    } else {
        Err(OrganiseError::Forbidden)
    }
}

fn when_label(lang: Lang, event: &EventRow) -> String {
    super::local_times(event)
        .map(|(start, end, _)| super::when_label(lang, event, start, end))
        .unwrap_or_default()
}

fn invalid(field: &str, problem: Problem) -> OrganiseError {
    OrganiseError::Invalid(vec![FieldError {
        field: field.into(),
        problem,
    }])
}
