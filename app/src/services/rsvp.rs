//! Answering, changing and cancelling RSVPs through a private link.

use super::posters::PosterAddress;
use super::{Disclosure, Site};
use crate::db::events;
use crate::db::events::EventRow;
use crate::db::rsvps::{self, EventKey, MailChange, NewAnswer, NewRsvp, Placed, RsvpRow};
use crate::db::DbError;
use crate::domain::FieldError;
use crate::i18n::Lang;
use crate::rsvp::RsvpInput;
use crate::rsvp::{Answer, MyRsvp, MyRsvpEntry, PlaceNote, RsvpForm, RsvpOutcome, RsvpState};
use crate::sealing::{AnswerKey, Personal, Purpose, WrappingKey};
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

/// Records a new answer from the device whose member key is `member_key`.
/// Whether the event takes answers is decided under its lock, with the
/// seat.
pub async fn submit(
    site: &Site,
    slug: &str,
    form: &RsvpForm,
    member_key: &str,
    now: i64,
) -> Result<Submitted, RsvpError> {
    let input = form.validate().map_err(RsvpError::Invalid)?;
    let token = secrets::new_token();
    let sealed = super::keys::seal_answer(
        site,
        AnswerKey::generate(),
        &personal(&input),
        &token,
        Some(member_key),
        now,
    )
    .await?;
    let new = NewRsvp {
        mail: super::outbox::opt_in(site, &input, &token),
        token_hash: secrets::token_hash(&token),
        member_hash: secrets::token_hash(member_key),
        input,
        sealed,
        lang: site.settings().lang(Some(&form.lang)),
        now,
    };
    // The event is found by the statement that takes its lock.
    match rsvps::create(&site.db, EventKey::Slug(slug.to_string()), new).await {
        Ok(Placed::Done(stored)) => Ok(Submitted {
            token,
            state: stored.state,
        }),
        Ok(Placed::Closed) => Err(RsvpError::Closed),
        Err(DbError::NotFound) => Err(RsvpError::NotFound),
        Err(error) => Err(error.into()),
    }
}

fn personal(input: &RsvpInput) -> Personal {
    Personal {
        name: input.name.clone(),
        contact: input.contact.clone(),
        note: input.note.clone(),
    }
}

/// The answer's key, from its wrap for the private link `token`; `None`
/// for an answer sealed before it had one, or purged.
fn link_key(row: &RsvpRow, token: &str) -> Option<AnswerKey> {
    WrappingKey::from_token(token, Purpose::Link)
        .unwrap_answer_key(&row.key_for_link)
        .ok()
}

/// The RSVP behind a private link, or `NotFound` for any other string
/// (a purged answer's link among them: its hash was replaced).
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
    // The same key as before, so that the device's wrap of it still opens;
    // an answer sealed before it had a link's wrap gets a new key, and the
    // device (not at hand here) loses its copy.
    let sealed = match &input {
        None => None,
        Some(input) => {
            let old_key = link_key(&row, token);
            let lost_device_copy = old_key.is_none();
            let key = old_key.unwrap_or_else(AnswerKey::generate);
            let mut sealed =
                super::keys::seal_answer(site, key, &personal(input), token, None, now).await?;
            if lost_device_copy {
                sealed.for_device = Some(String::new());
            }
            Some(sealed)
        }
    };
    let mail = input
        .as_ref()
        .map(|input| super::outbox::mail_change(site, input, token))
        .unwrap_or(MailChange::Clear);
    let answer = input
        .as_ref()
        .zip(sealed.as_ref())
        .map(|(input, sealed)| NewAnswer {
            input,
            sealed,
            lang: site.settings().lang(form.map(|f| f.lang.as_str())),
            mail: &mail,
        });
    match rsvps::change(&site.db, row.event_id, row.id, &row.token_hash, answer, now).await? {
        Placed::Done(state) => Ok(state),
        Placed::Closed => Err(RsvpError::Closed),
    }
}

/// What a member who cannot see a sensitive event's place is told of it.
fn place_note(event: &EventRow, disclosure: Disclosure, lang: Lang) -> Option<PlaceNote> {
    match disclosure {
        Disclosure::Full => None,
        Disclosure::Redacted => Some(PlaceNote::AfterApproval),
        Disclosure::NoPlace => {
            let at = Disclosure::place_revealed_at(event)?;
            let zone = crate::time::parse_zone(&event.time_zone).unwrap_or(chrono_tz::UTC);
            let local = chrono::DateTime::from_timestamp(at, 0)?
                .with_timezone(&zone)
                .naive_local();
            Some(PlaceNote::From(crate::time::format_date_time(lang, local)))
        }
    }
}

/// The private page of the RSVP behind `token`, its link starting with
/// `base_url`. For a sensitive event, a member an organiser has not
/// approved sees only what the public sees.
pub async fn my_rsvp(
    site: &Site,
    token: &str,
    lang: Lang,
    now: i64,
    base_url: &str,
) -> Result<MyRsvp, RsvpError> {
    let row = find(site, token).await?;
    let personal = link_key(&row, token).and_then(|key| key.decrypt(&row.personal_sealed).ok());
    let mut event = events::by_id(&site.db, row.event_id, lang)
        .await?
        .ok_or(RsvpError::NotFound)?;
    let rules = rsvps::rules(&site.db, row.event_id)
        .await?
        .ok_or(RsvpError::NotFound)?;
    let disclosure = Disclosure::of(&event, Some((row.answer, row.state)), now);
    let place_note = place_note(&event, disclosure, lang);
    super::redact(&mut event, disclosure, lang, site.settings().default_zone);
    let poster = match (event.sensitive, disclosure) {
        (false, _) => Some(PosterAddress::Public),
        (true, Disclosure::Full) => Some(PosterAddress::Private { token }),
        (true, _) => None,
    };
    let poster = match poster {
        Some(address) => super::posters::poster(site, &event, lang, address).await?,
        None => None,
    };
    let phase = super::events::phase(&event, now);
    let (when_label, zone_label) = super::local_times(&event)
        .map(|(start, end, zone)| {
            let zone_label = (zone != site.settings().default_zone)
                .then(|| crate::time::zone_label(lang, zone, start));
            (super::when_label(lang, &event, start, end), zone_label)
        })
        .unwrap_or_default();
    // No address to go to for an event that does not take place then.
    let place = Some(super::place_of(&event)).filter(|p| !p.is_empty() && phase.date_holds());
    let place_note = place_note.filter(|_| phase.date_holds());
    let notices =
        super::notices::of_answer(site, row.id, &event, disclosure, &when_label, lang).await?;
    // A ticket only for a seat at an event that takes place when it says.
    let holds_seat = row.state == RsvpState::Confirmed && row.answer == Answer::Going;
    let door_code = (holds_seat && phase.date_holds()).then(|| row.short_code.clone());
    Ok(MyRsvp {
        poster,
        notices,
        place,
        place_note,
        moved_from: super::events::moved_from(lang, &event),
        phase,
        zone_label,
        waitlist_position: waitlist_position(site, &row, &event).await?,
        event_slug: event.slug,
        event_title: event.text.title,
        when_label,
        state: row.state,
        answer: row.answer,
        details_sealed: personal.is_none(),
        form: {
            let personal = personal.unwrap_or_default();
            RsvpForm {
                answer: row.answer.as_str().into(),
                guests: row.guests.to_string(),
                name: personal.name.clone(),
                contact: personal.contact.clone(),
                note: personal.note.clone(),
                lang: row.lang.clone(),
                email: super::outbox::address_of(site, &row),
            }
        },
        mail_offered: site.mail_key().is_some(),
        door_code,
        accepting: rules.accepting(now),
        private_link: format!("{base_url}{}", crate::paths::private(token)),
    })
}

/// A waitlisted answer's place in line, when the event's counts are public:
/// else it would tell anyone who answers how many wait (cancel, answer
/// again, and watch it change).
async fn waitlist_position(
    site: &Site,
    row: &RsvpRow,
    event: &EventRow,
) -> Result<Option<i64>, DbError> {
    if row.state != RsvpState::Waitlisted || !event.counts_public(event.seats_taken) {
        return Ok(None);
    }
    Ok(Some(rsvps::waitlist_position(&site.db, row.id).await?))
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
    let now = super::now();
    for (row, mut event) in answered {
        let disclosure = Disclosure::of(&event, Some((row.answer, row.state)), now);
        super::redact(&mut event, disclosure, lang, site.settings().default_zone);
        let when_label = super::local_times(&event)
            .map(|(start, end, _)| super::when_label(lang, &event, start, end))
            .unwrap_or_default();
        entries.push(MyRsvpEntry {
            id: row.id,
            phase: super::events::phase(&event, now),
            waitlist_position: waitlist_position(site, &row, &event).await?,
            event_slug: event.slug,
            event_title: event.text.title,
            when_label,
            state: row.state,
            answer: row.answer,
            guests: row.guests,
        });
    }
    Ok(entries)
}

/// A fresh private link for an RSVP of this device (only its hash is stored,
/// so the old link cannot be shown again); the old link stops working. The
/// answer gets a new key too, so that the old link opens nothing written
/// from now on.
pub async fn reissue_link(site: &Site, member_key: &str, id: i64) -> Result<String, RsvpError> {
    let member_hash = secrets::token_hash(member_key);
    let Some(row) = rsvps::of_device(&site.db, id, &member_hash).await? else {
        return Err(RsvpError::NotFound);
    };
    let token = secrets::new_token();
    // The fields, from the device's copy of the key (an answer sealed
    // before it had one gets a link that shows no name: only the
    // organisers can read it).
    let personal = WrappingKey::from_token(member_key, Purpose::Device)
        .unwrap_answer_key(&row.key_for_device)
        .and_then(|key| key.decrypt(&row.personal_sealed))
        .ok();
    let sealed = match &personal {
        Some(personal) => Some(
            super::keys::seal_answer(
                site,
                AnswerKey::generate(),
                personal,
                &token,
                Some(member_key),
                super::now(),
            )
            .await?,
        ),
        None => None,
    };
    // The emails stop with the old link: whoever held it may have set the
    // address (the member types it again on the new page).
    let mail = if row.mail_sealed.is_empty() {
        MailChange::Keep
    } else {
        MailChange::Clear
    };
    let replaced = rsvps::replace_token(
        &site.db,
        &row,
        &secrets::token_hash(&token),
        sealed.as_ref(),
        &mail,
        super::now(),
    )
    .await?;
    if replaced {
        Ok(token)
    } else {
        Err(RsvpError::NotFound)
    }
}
