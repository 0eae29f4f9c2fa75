//! Answering, changing and cancelling RSVPs through a private link.

use super::Site;
use crate::db::events;
use crate::db::rsvps::{self, NewRsvp, RsvpRow, RsvpRules};
use crate::db::DbError;
use crate::domain::FieldError;
use crate::i18n::Lang;
use crate::rsvp::{RsvpForm, RsvpState};
use crate::secrets;

#[derive(Debug, thiserror::Error)]
pub enum RsvpError {
    #[error("invalid answer")]
    Invalid(Vec<FieldError>),
    #[error("this event does not take answers now")]
    Closed,
    #[error("no such event or RSVP")]
    NotFound,
    #[error(transparent)]
    Db(#[from] DbError),
}

/// A stored answer and the private link's token, which is shown once and
/// never stored.
#[derive(Clone, Debug)]
pub struct Submitted {
    pub token: String,
    pub state: RsvpState,
}

async fn rules_for_slug(site: &Site, slug: &str) -> Result<RsvpRules, RsvpError> {
    let event = events::by_slug(&site.db, slug, Lang::En)
        .await?
        .ok_or(RsvpError::NotFound)?;
    rsvps::rules(&site.db, event.id)
        .await?
        .ok_or(RsvpError::NotFound)
}

/// Records a new answer from the device whose member key is `member_key`.
pub async fn submit(
    site: &Site,
    slug: &str,
    form: &RsvpForm,
    member_key: &str,
    now: i64,
) -> Result<Submitted, RsvpError> {
    let input = form.validate().map_err(RsvpError::Invalid)?;
    let rules = rules_for_slug(site, slug).await?;
    if !rules.accepting(now) {
        return Err(RsvpError::Closed);
    }
    let token = secrets::new_token();
    let new = NewRsvp {
        token_hash: &secrets::token_hash(&token),
        member_hash: &secrets::token_hash(member_key),
        short_code: &secrets::new_short_code(),
        input: &input,
    };
    let (_, state) = rsvps::create(&site.db, &rules, new, now).await?;
    Ok(Submitted { token, state })
}

/// The RSVP behind a private link, or `NotFound` for any other string.
pub async fn find(site: &Site, token: &str) -> Result<RsvpRow, RsvpError> {
    if !secrets::looks_like_token(token) {
        return Err(RsvpError::NotFound);
    }
    let row = rsvps::by_token_hash(&site.db, &secrets::token_hash(token))
        .await?
        .ok_or(RsvpError::NotFound)?;
    // The lookup was by hash; compare again in constant time all the same.
    if secrets::token_matches(token, &row.token_hash) {
        Ok(row)
    } else {
        Err(RsvpError::NotFound)
    }
}

/// Changes the answer behind a private link, or cancels it (`form` = `None`).
pub async fn change(
    site: &Site,
    token: &str,
    form: Option<&RsvpForm>,
    now: i64,
) -> Result<RsvpState, RsvpError> {
    let input = form
        .map(|f| f.validate().map_err(RsvpError::Invalid))
        .transpose()?;
    let row = find(site, token).await?;
    let rules = rsvps::rules(&site.db, row.event_id)
        .await?
        .ok_or(RsvpError::NotFound)?;
    // A cancellation is always accepted; a change only while answers are.
    if input.is_some() && !rules.accepting(now) {
        return Err(RsvpError::Closed);
    }
    Ok(rsvps::change(&site.db, &rules, row.id, input.as_ref(), now).await?)
}
