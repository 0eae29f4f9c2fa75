//! RSVPs, and the seat accounting that keeps capacity exact under load.
//!
//! Every change to an event's RSVPs runs in one write transaction that first
//! touches the event's row: on PostgreSQL that row lock, on SQLite the
//! immediate write lock, puts concurrent changes to one event in a line, so
//! "is there a seat?" and "take it" cannot be separated by another request.

mod answer_line;
mod rules;
mod seats;

pub use answer_line::AnswerLine;

pub use rules::*;
pub use seats::*;

use super::{get_named, Database, DbError, DbResult};
use crate::rsvp::{Answer, PublicCounts, RsvpInput, RsvpState};
use sqlx::any::AnyRow;
use sqlx::{FromRow, Row};

/// An RSVP as stored: never for public views. Its name, contact and note
/// are sealed (see [`crate::sealing`]): `personal_sealed` under the answer's
/// own key, which is sealed to the organisation (`key_for_organisers`) and
/// wrapped for the private link and the device; all empty once purged.
#[derive(Clone, Debug)]
pub struct RsvpRow {
    pub id: i64,
    pub event_id: i64,
    pub answer: Answer,
    pub state: RsvpState,
    pub guests: i64,
    pub personal_sealed: String,
    pub key_for_organisers: String,
    pub key_for_link: String,
    pub key_for_device: String,
    pub short_code: String,
    pub token_hash: String,
    pub checked_in_at: Option<i64>,
    /// The language the answer was given in (a tag; empty once purged).
    pub lang: String,
    /// The member's email, encrypted under the mail key; empty for none.
    pub mail_sealed: String,
}

impl RsvpRow {
    fn seats_held(&self) -> i64 {
        if self.answer == Answer::Going && self.state == RsvpState::Confirmed {
            1 + self.guests
        } else {
            0
        }
    }
}

impl FromRow<'_, AnyRow> for RsvpRow {
    fn from_row(row: &AnyRow) -> sqlx::Result<Self> {
        Ok(RsvpRow {
            id: row.try_get("id")?,
            event_id: row.try_get("event_id")?,
            answer: get_named(row, "answer", Answer::parse)?,
            state: get_named(row, "state", RsvpState::parse)?,
            guests: row.try_get("guests")?,
            personal_sealed: row.try_get("personal_sealed")?,
            key_for_organisers: row.try_get("key_for_organisers")?,
            key_for_link: row.try_get("key_for_link")?,
            key_for_device: row.try_get("key_for_device")?,
            short_code: row.try_get("short_code")?,
            token_hash: row.try_get("token_hash")?,
            checked_in_at: row.try_get("checked_in_at")?,
            lang: row.try_get("lang")?,
            mail_sealed: row.try_get("mail_sealed")?,
        })
    }
}

const RSVP_COLUMNS: &str = "id, event_id, answer, state, guests, personal_sealed, \
    key_for_organisers, key_for_link, key_for_device, short_code, token_hash, checked_in_at, lang, mail_sealed";

pub async fn by_token_hash(db: &Database, token_hash: &str) -> DbResult<Option<RsvpRow>> {
    let sql = format!("SELECT {RSVP_COLUMNS} FROM rsvps WHERE token_hash = $1");
    Ok(sqlx::query_as::<_, RsvpRow>(&sql)
        .bind(token_hash)
        .fetch_optional(&db.pool)
        .await?)
}

/// Seats taken and the waitlist's length; nothing about who.
pub async fn counts(db: &Database, event_id: i64) -> DbResult<PublicCounts> {
    let row = sqlx::query(
        "SELECT e.seats_taken AS going, \
         (SELECT COUNT(*) FROM rsvps r WHERE r.event_id = e.id AND r.state = 'waitlisted') AS waitlisted \
         FROM events e WHERE e.id = $1",
    )
    .bind(event_id)
    .fetch_optional(&db.pool)
    .await?
    .ok_or(DbError::NotFound)?;
    Ok(PublicCounts {
        going: row.try_get("going")?,
        waitlisted: row.try_get("waitlisted")?,
    })
}

/// Where a waitlisted answer stands in line: 1 for the first. Promotion
/// goes in this order ([`EventLock::promote`]), skipping a party larger
/// than the seats that free up.
pub async fn waitlist_position(db: &Database, id: i64) -> DbResult<i64> {
    let position = sqlx::query_scalar(
        "SELECT COUNT(*) FROM rsvps w JOIN rsvps me ON me.event_id = w.event_id \
         WHERE me.id = $1 AND w.state = 'waitlisted' \
         AND (w.queued_at < me.queued_at OR (w.queued_at = me.queued_at AND w.id <= me.id))",
    )
    .bind(id)
    .fetch_one(&db.pool)
    .await?;
    Ok(position)
}

/// An RSVP of this device; `None` when no such RSVP belongs to it.
pub async fn of_device(db: &Database, id: i64, member_hash: &str) -> DbResult<Option<RsvpRow>> {
    let sql = format!(
        "SELECT {RSVP_COLUMNS} FROM rsvps WHERE id = $1 AND member_hash = $2 AND member_hash <> ''"
    );
    Ok(sqlx::query_as::<_, RsvpRow>(&sql)
        .bind(id)
        .bind(member_hash)
        .fetch_optional(&db.pool)
        .await?)
}

/// A device's RSVPs, the latest event first.
pub async fn by_member(db: &Database, member_hash: &str) -> DbResult<Vec<RsvpRow>> {
    let sql = format!(
        "SELECT r.{} FROM rsvps r JOIN events e ON e.id = r.event_id \
         WHERE r.member_hash = $1 ORDER BY e.starts_at DESC, r.id DESC",
        RSVP_COLUMNS.replace(", ", ", r.")
    );
    Ok(sqlx::query_as::<_, RsvpRow>(&sql)
        .bind(member_hash)
        .fetch_all(&db.pool)
        .await?)
}

/// How many answers to an event said `answer` and stand in `state`, and
/// how many of them are sealed (not purged):
/// counts for the organisers' list, with nothing to open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tally {
    pub answer: Answer,
    pub state: RsvpState,
    pub answers: i64,
    pub sealed: i64,
}

pub async fn tallies(db: &Database, event_id: i64) -> DbResult<Vec<Tally>> {
    let rows = sqlx::query(
        "SELECT answer, state, COUNT(*) AS answers, \
         CAST(COALESCE(SUM(CASE WHEN key_for_organisers <> '' THEN 1 ELSE 0 END), 0) AS BIGINT) AS sealed \
         FROM rsvps WHERE event_id = $1 GROUP BY answer, state",
    )
    .bind(event_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Tally {
                answer: get_named(r, "answer", Answer::parse)?,
                state: get_named(r, "state", RsvpState::parse)?,
                answers: r.try_get("answers")?,
                sealed: r.try_get("sealed")?,
            })
        })
        .collect()
}

/// Which of an event's answers to read, in the order they came: those in
/// `state` (all without), that said `answer` (any without), `limit` of
/// them after the first `offset`.
#[derive(Clone, Copy, Debug)]
pub struct AnswerPage {
    pub state: Option<RsvpState>,
    pub answer: Option<Answer>,
    pub limit: i64,
    pub offset: i64,
}

impl AnswerPage {
    /// Every answer to the event.
    pub const ALL: AnswerPage = AnswerPage {
        state: None,
        answer: None,
        limit: i64::MAX,
        offset: 0,
    };
}

pub async fn page_for_event(
    db: &Database,
    event_id: i64,
    page: AnswerPage,
) -> DbResult<Vec<RsvpRow>> {
    let sql = format!(
        "SELECT {RSVP_COLUMNS} FROM rsvps WHERE event_id = $1 \
         AND ($2 = '' OR state = $2) AND ($3 = '' OR answer = $3) \
         ORDER BY created_at, id LIMIT $4 OFFSET $5"
    );
    Ok(sqlx::query_as::<_, RsvpRow>(&sql)
        .bind(event_id)
        .bind(page.state.map_or("", RsvpState::as_str))
        .bind(page.answer.map_or("", Answer::as_str))
        .bind(page.limit)
        .bind(page.offset)
        .fetch_all(&db.pool)
        .await?)
}

/// Seats taken, waitlist length and answers awaiting approval of every
/// event (of one organiser's, with `organised_by`), in one query: for the
/// dashboard, which lists them all.
pub async fn dashboard_counts(
    db: &Database,
    organised_by: Option<i64>,
) -> DbResult<std::collections::HashMap<i64, (i64, i64, i64)>> {
    let rows = sqlx::query(
        "SELECT e.id, e.seats_taken AS going, \
         CAST(COALESCE(SUM(CASE WHEN r.state = 'waitlisted' THEN 1 ELSE 0 END), 0) AS BIGINT) AS waitlisted, \
         CAST(COALESCE(SUM(CASE WHEN r.state = 'pending' THEN 1 ELSE 0 END), 0) AS BIGINT) AS pending \
         FROM events e LEFT JOIN rsvps r ON r.event_id = e.id \
         WHERE CAST($1 AS BIGINT) IS NULL OR e.organiser_id = $1 \
         GROUP BY e.id, e.seats_taken",
    )
    .bind(organised_by)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("id")?,
                (
                    r.try_get("going")?,
                    r.try_get("waitlisted")?,
                    r.try_get("pending")?,
                ),
            ))
        })
        .collect()
}

/// The answer to an event with this door code.
pub async fn by_short_code(db: &Database, event_id: i64, code: &str) -> DbResult<Option<RsvpRow>> {
    let sql = format!("SELECT {RSVP_COLUMNS} FROM rsvps WHERE event_id = $1 AND short_code = $2");
    Ok(sqlx::query_as::<_, RsvpRow>(&sql)
        .bind(event_id)
        .bind(code)
        .fetch_optional(&db.pool)
        .await?)
}

/// Marks a confirmed "going" answer checked in; false when it already was,
/// or is no longer confirmed (cancelled or declined since it was looked
/// up: the state is checked in the same statement).
pub async fn check_in(db: &Database, id: i64, now: i64) -> DbResult<bool> {
    let done = sqlx::query(
        "UPDATE rsvps SET checked_in_at = $2 WHERE id = $1 AND checked_in_at IS NULL \
         AND answer = 'going' AND state = 'confirmed'",
    )
    .bind(id)
    .bind(now)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// People checked in (members and guests), and people expected (seats taken).
pub async fn headcount(db: &Database, event_id: i64) -> DbResult<(i64, i64)> {
    let row = sqlx::query(
        "SELECT e.seats_taken AS expected, \
         (SELECT CAST(COALESCE(SUM(1 + r.guests), 0) AS BIGINT) FROM rsvps r \
          WHERE r.event_id = e.id AND r.checked_in_at IS NOT NULL) AS arrived \
         FROM events e WHERE e.id = $1",
    )
    .bind(event_id)
    .fetch_optional(&db.pool)
    .await?
    .ok_or(DbError::NotFound)?;
    Ok((row.try_get("arrived")?, row.try_get("expected")?))
}

/// Deletes the (sealed) name, contact, note and their keys, the door code, device link and private
/// link of every answer to an event that ended before `cutoff`; the answer,
/// its guests and its state stay, so the counts survive. The private link
/// stops working (its hash becomes a value no token hashes to); when the
/// member answered, was approved or arrived is replaced by the event's
/// start (with a record of who connected when, those times could name
/// someone); the notices of those events go, and personal feeds left
/// with no answer. Returns how many
/// answers were emptied.
pub async fn purge_personal_data(db: &Database, cutoff: i64, now: i64) -> DbResult<u64> {
    let mut tx = db.begin_write().await?;
    let done = sqlx::query(
        "UPDATE rsvps SET display_name = '', contact = '', note = '', member_hash = '', \
         personal_sealed = '', key_for_organisers = '', key_for_link = '', key_for_device = '', \
         short_code = '', lang = '', mail_sealed = '', mail_stop_hash = NULL, \
         token_hash = 'purged-' || CAST(id AS TEXT), purged_at = $2, \
         created_at = (SELECT e.starts_at FROM events e WHERE e.id = rsvps.event_id), \
         updated_at = (SELECT e.starts_at FROM events e WHERE e.id = rsvps.event_id), \
         queued_at = (SELECT e.starts_at FROM events e WHERE e.id = rsvps.event_id), \
         checked_in_at = CASE WHEN checked_in_at IS NULL THEN NULL \
             ELSE (SELECT e.starts_at FROM events e WHERE e.id = rsvps.event_id) END \
         WHERE purged_at IS NULL AND event_id IN (SELECT id FROM events WHERE ends_at < $1)",
    )
    .bind(cutoff)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    // What they were told goes with them.
    super::notices::delete_of_ended(&mut tx, cutoff).await?;
    sqlx::query(
        "DELETE FROM member_feeds WHERE NOT EXISTS \
         (SELECT 1 FROM rsvps r WHERE r.member_hash = member_feeds.member_hash)",
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(done.rows_affected())
}
