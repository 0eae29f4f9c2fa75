//! What organisers do: their dashboard, the RSVP list and its export,
//! approvals, and check-in at the door. Every function takes the signed-in
//! account and checks, per event, that it may act on it.

use super::accounts::can_manage;
use super::Site;
use crate::accounts::AccountInfo;
use crate::db::accounts as audit_store;
use crate::db::events::{self, EventRow, ListQuery, Period};
use crate::db::{rsvps, DbError};
use crate::domain::FieldError;
use crate::i18n::Lang;
use crate::organise::{
    CheckInPage, CheckInResult, Dashboard, Headcount, ManagedEvent, RsvpList, RsvpListEntry,
};
use crate::rsvp::{Answer, RsvpState};

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

fn when_label(lang: Lang, event: &EventRow) -> String {
    super::local_times(event)
        .map(|(start, end, _)| super::when_label(lang, event, start, end))
        .unwrap_or_default()
}

/// The events an account manages (all of them for an admin): upcoming
/// soonest first, then past ones, latest first.
pub async fn dashboard(
    site: &Site,
    account: &AccountInfo,
    lang: Lang,
    now: i64,
) -> Result<Dashboard, OrganiseError> {
    let query = ListQuery {
        organised_by: (!account.is_admin()).then_some(account.id),
        limit: 500,
        ..Default::default()
    };
    let mut events = Vec::new();
    for period in [Period::Upcoming, Period::Past] {
        for event in events::list(&site.db, period, lang, now, &query).await? {
            let counts = rsvps::counts(&site.db, event.id).await?;
            events.push(ManagedEvent {
                when_label: when_label(lang, &event),
                is_past: period == Period::Past,
                pending: rsvps::pending_count(&site.db, event.id).await?,
                going: counts.going,
                waitlisted: counts.waitlisted,
                capacity: event.capacity,
                kind: event.kind,
                status: event.status,
                title: event.text.title,
                slug: event.slug,
            });
        }
    }
    Ok(Dashboard {
        account: account.clone(),
        events,
    })
}

/// Every answer to an event, names, contacts and notes included.
pub async fn rsvp_list(
    site: &Site,
    account: &AccountInfo,
    slug: &str,
    lang: Lang,
) -> Result<RsvpList, OrganiseError> {
    let event = managed_event(site, account, slug, lang).await?;
    let rules = rsvps::rules(&site.db, event.id)
        .await?
        .ok_or(OrganiseError::NotFound)?;
    let entries = rsvps::for_event(&site.db, event.id)
        .await?
        .into_iter()
        .map(|r| RsvpListEntry {
            id: r.id,
            display_name: r.display_name,
            contact: r.contact,
            note: r.note,
            answer: r.answer,
            state: r.state,
            guests: r.guests,
            short_code: r.short_code,
            checked_in: r.checked_in_at.is_some(),
        })
        .collect();
    Ok(RsvpList {
        when_label: when_label(lang, &event),
        slug: event.slug,
        title: event.text.title,
        capacity: event.capacity,
        approval_required: rules.approval_required,
        entries,
    })
}

/// Approves or declines a pending answer.
pub async fn decide(
    site: &Site,
    account: &AccountInfo,
    slug: &str,
    rsvp_id: i64,
    approve: bool,
    now: i64,
) -> Result<RsvpState, OrganiseError> {
    let event = managed_event(site, account, slug, Lang::En).await?;
    let state = rsvps::decide(&site.db, event.id, rsvp_id, approve, now).await?;
    let action = if approve {
        "approved an RSVP to"
    } else {
        "declined an RSVP to"
    };
    audit_store::audit(&site.db, Some(account), action, slug, now).await?;
    Ok(state)
}

async fn door(
    site: &Site,
    event: EventRow,
    lang: Lang,
    result: Option<CheckInResult>,
) -> Result<CheckInPage, OrganiseError> {
    let (arrived, expected) = rsvps::headcount(&site.db, event.id).await?;
    Ok(CheckInPage {
        when_label: when_label(lang, &event),
        slug: event.slug,
        title: event.text.title,
        headcount: Headcount { arrived, expected },
        result,
    })
}

/// The check-in screen before any code is entered.
pub async fn check_in_page(
    site: &Site,
    account: &AccountInfo,
    slug: &str,
    lang: Lang,
) -> Result<CheckInPage, OrganiseError> {
    let event = managed_event(site, account, slug, lang).await?;
    door(site, event, lang, None).await
}

/// Checks in the answer with the door code a member shows.
pub async fn check_in(
    site: &Site,
    account: &AccountInfo,
    slug: &str,
    code: &str,
    lang: Lang,
    now: i64,
) -> Result<CheckInPage, OrganiseError> {
    let event = managed_event(site, account, slug, lang).await?;
    // People read codes aloud and type them on phones: ignore case and spaces.
    let code: String = code
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_uppercase)
        .collect();
    let result = match rsvps::by_short_code(&site.db, event.id, &code).await? {
        None => CheckInResult::NoSuchCode,
        Some(rsvp) => {
            let people = 1 + rsvp.guests;
            let name = rsvp.display_name.clone();
            if rsvp.answer != Answer::Going || rsvp.state != RsvpState::Confirmed {
                CheckInResult::NotConfirmed {
                    name,
                    state: rsvp.state,
                    answer: rsvp.answer,
                }
            } else if rsvps::check_in(&site.db, rsvp.id, now).await? {
                audit_store::audit(&site.db, Some(account), "checked in an RSVP at", slug, now)
                    .await?;
                CheckInResult::CheckedIn { name, people }
            } else {
                CheckInResult::AlreadyIn { name, people }
            }
        }
    };
    door(site, event, lang, Some(result)).await
}

/// A spreadsheet cell that cannot run as a formula: text that a spreadsheet
/// would read as one (`= + - @`, or a tab or carriage return first) gets a
/// leading apostrophe.
pub fn safe_cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// The RSVP list as CSV (UTF-8 with a byte-order mark, so that spreadsheet
/// programs read Uyghur and accents right); returns a file name and the text.
pub async fn rsvp_csv(
    site: &Site,
    account: &AccountInfo,
    slug: &str,
    now: i64,
) -> Result<(String, String), OrganiseError> {
    let list = rsvp_list(site, account, slug, Lang::En).await?;
    let mut writer = csv::Writer::from_writer(Vec::new());
    let header = [
        "name",
        "answer",
        "state",
        "guests",
        "contact",
        "note",
        "door code",
        "checked in",
    ];
    let write = |writer: &mut csv::Writer<Vec<u8>>, row: &[String]| {
        writer
            .write_record(row.iter().map(|cell| safe_cell(cell)))
            .map_err(|e| OrganiseError::Db(DbError::Corrupt(e.to_string())))
    };
    write(&mut writer, &header.map(String::from))?;
    for entry in &list.entries {
        write(
            &mut writer,
            &[
                entry.display_name.clone(),
                entry.answer.as_str().to_string(),
                entry.state.as_str().to_string(),
                entry.guests.to_string(),
                entry.contact.clone(),
                entry.note.clone(),
                entry.short_code.clone(),
                if entry.checked_in { "yes" } else { "" }.to_string(),
            ],
        )?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| OrganiseError::Db(DbError::Corrupt(e.to_string())))?;
    let text =
        String::from_utf8(bytes).map_err(|e| OrganiseError::Db(DbError::Corrupt(e.to_string())))?;
    audit_store::audit(&site.db, Some(account), "exported the RSVPs of", slug, now).await?;
    Ok((format!("{slug}-rsvps.csv"), format!("\u{feff}{text}")))
}

#[cfg(test)]
mod tests {
    use super::safe_cell;

    #[test]
    fn cells_that_a_spreadsheet_would_run_are_defused() {
        for formula in ["=HYPERLINK(\"x\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(safe_cell(formula), format!("'{formula}"));
        }
        assert_eq!(safe_cell("Aygül"), "Aygül");
        assert_eq!(safe_cell("ئايگۈل"), "ئايگۈل");
    }
}
