//! Answering, changing and cancelling RSVPs through a private link.

use super::Site;
use crate::db::events;
use crate::db::events::EventRow;
use crate::db::rsvps::{self, NewRsvp, RsvpRow, RsvpRules};
use crate::db::DbError;
use crate::domain::FieldError;
use crate::i18n::Lang;
use crate::rsvp::{MyRsvp, MyRsvpEntry, RsvpForm, RsvpOutcome, RsvpState};
use crate::secrets;
use std::collections::HashMap;

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

/// The private page of the RSVP behind `token`.
pub async fn my_rsvp(site: &Site, token: &str, lang: Lang, now: i64) -> Result<MyRsvp, RsvpError> {
    let row = find(site, token).await?;
    let event = events::by_id(&site.db, row.event_id, lang)
        .await?
        .ok_or(RsvpError::NotFound)?;
    let rules = rsvps::rules(&site.db, row.event_id)
        .await?
        .ok_or(RsvpError::NotFound)?;
    let when = super::local_times(&event)
        .map(|(start, end, _)| super::when_label(lang, &event, start, end))
        .unwrap_or_default();
    let confirmed = row.state == RsvpState::Confirmed && row.answer == crate::rsvp::Answer::Going;
    let place = (!event.sensitive || confirmed)
        .then(|| super::place_of(&event))
        .filter(|p| !p.is_empty());
    Ok(MyRsvp {
        place,
        event_slug: event.slug,
        event_title: event.text.title,
        when_label: when,
        state: row.state,
        form: RsvpForm {
            answer: row.answer.as_str().into(),
            guests: row.guests.to_string(),
            name: row.display_name,
            contact: row.contact,
            note: row.note,
        },
        short_code: row.short_code,
        accepting: rules.accepting(now),
        private_link: format!(
            "{}{}",
            site.settings().base_url,
            crate::pages::private_path(token)
        ),
    })
}

/// What a member is told about a submission or change; database failures
/// stay errors (and are logged, not shown).
pub fn outcome(result: Result<String, RsvpError>) -> Result<RsvpOutcome, RsvpError> {
    match result {
        Ok(token) => Ok(RsvpOutcome::Saved { token }),
        Err(RsvpError::Invalid(errors)) => Ok(RsvpOutcome::Invalid(errors)),
        Err(RsvpError::Closed) => Ok(RsvpOutcome::Closed),
        Err(other) => Err(other),
    }
}

/// The answers of the device whose key hashes to `member_hash`, newest
/// event first, each with its event (text in `lang`): two queries, however
/// many answers.
pub(crate) async fn answered_events(
    site: &Site,
    member_hash: &str,
    lang: Lang,
) -> Result<Vec<(RsvpRow, EventRow)>, DbError> {
    let rows = rsvps::by_member(&site.db, member_hash).await?;
    let ids: Vec<i64> = rows.iter().map(|row| row.event_id).collect();
    let events_by_id: HashMap<i64, EventRow> = events::by_ids(&site.db, &ids, lang)
        .await?
        .into_iter()
        .map(|event| (event.id, event))
        .collect();
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            // Two answers (from one device) to one event share its row.
            let event = events_by_id.get(&row.event_id)?.clone();
            Some((row, event))
        })
        .collect())
}

/// The answers sent from the device holding `member_key`, newest event first.
pub async fn my_rsvps(
    site: &Site,
    member_key: &str,
    lang: Lang,
) -> Result<Vec<MyRsvpEntry>, RsvpError> {
    let answered = answered_events(site, &secrets::token_hash(member_key), lang).await?;
    let mut entries = Vec::with_capacity(answered.len());
    for (row, event) in answered {
        let when_label = super::local_times(&event)
            .map(|(start, end, _)| super::when_label(lang, &event, start, end))
            .unwrap_or_default();
        entries.push(MyRsvpEntry {
            id: row.id,
            event_slug: event.slug,
            event_title: event.text.title,
            when_label,
            state: row.state,
            answer: row.answer,
        });
    }
    Ok(entries)
}

/// A fresh private link for an RSVP of this device (only its hash is stored,
/// so the old link cannot be shown again); the old link stops working.
pub async fn reissue_link(site: &Site, member_key: &str, id: i64) -> Result<String, RsvpError> {
    let token = secrets::new_token();
    let replaced = rsvps::replace_token(
        &site.db,
        id,
        &secrets::token_hash(member_key),
        &secrets::token_hash(&token),
    )
    .await?;
    if replaced {
        Ok(token)
    } else {
        Err(RsvpError::NotFound)
    }
}
