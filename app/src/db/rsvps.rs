//! RSVPs, and the seat accounting that keeps capacity exact under load.
//!
//! Every change to an event's RSVPs runs in one write transaction that first
//! touches the event's row: on PostgreSQL that row lock, on SQLite the
//! immediate write lock, puts concurrent changes to one event in a line, so
//! "is there a seat?" and "take it" cannot be separated by another request.

use super::{get_named, Database, DbError, DbResult};
use crate::rsvp::{Answer, PublicCounts, RsvpInput, RsvpState};
use sqlx::any::AnyRow;
use sqlx::{Any, FromRow, Row, Transaction};

/// An RSVP as stored (personal fields included: never for public views).
#[derive(Clone, Debug)]
pub struct RsvpRow {
    pub id: i64,
    pub event_id: i64,
    pub answer: Answer,
    pub state: RsvpState,
    pub guests: i64,
    pub display_name: String,
    pub contact: String,
    pub note: String,
    pub short_code: String,
    pub token_hash: String,
    pub checked_in_at: Option<i64>,
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
            display_name: row.try_get("display_name")?,
            contact: row.try_get("contact")?,
            note: row.try_get("note")?,
            short_code: row.try_get("short_code")?,
            token_hash: row.try_get("token_hash")?,
            checked_in_at: row.try_get("checked_in_at")?,
        })
    }
}

const RSVP_COLUMNS: &str = "id, event_id, answer, state, guests, display_name, contact, note, \
    short_code, token_hash, checked_in_at";

/// The RSVP rules of one event.
#[derive(Clone, Debug)]
pub struct RsvpRules {
    pub event_id: i64,
    pub open: bool,
    pub deadline: Option<i64>,
    pub approval_required: bool,
    pub hide_counts: bool,
    pub ends_at: i64,
    pub cancelled: bool,
}

impl RsvpRules {
    /// Whether new answers or changes are accepted at `now`.
    pub fn accepting(&self, now: i64) -> bool {
        self.open && !self.cancelled && now < self.ends_at && self.deadline.is_none_or(|d| now < d)
    }
}

pub async fn rules(db: &Database, event_id: i64) -> DbResult<Option<RsvpRules>> {
    let row = sqlx::query(
        "SELECT id, rsvp_open, rsvp_deadline, approval_required, hide_counts, ends_at, \
         status FROM events WHERE id = $1",
    )
    .bind(event_id)
    .fetch_optional(&db.pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let status: String = row.try_get("status")?;
    Ok(Some(RsvpRules {
        event_id: row.try_get("id")?,
        open: row.try_get::<i64, _>("rsvp_open")? != 0,
        deadline: row.try_get("rsvp_deadline")?,
        approval_required: row.try_get::<i64, _>("approval_required")? != 0,
        hide_counts: row.try_get::<i64, _>("hide_counts")? != 0,
        ends_at: row.try_get("ends_at")?,
        cancelled: status == "cancelled",
    }))
}

/// Settings an organiser changes (the organiser screens come later; tests and
/// demo data use this).
pub async fn set_rules(
    db: &Database,
    event_id: i64,
    open: bool,
    deadline: Option<i64>,
    approval_required: bool,
    hide_counts: bool,
) -> DbResult<()> {
    sqlx::query(
        "UPDATE events SET rsvp_open = $1, rsvp_deadline = $2, approval_required = $3, \
         hide_counts = $4 WHERE id = $5",
    )
    .bind(i64::from(open))
    .bind(deadline)
    .bind(i64::from(approval_required))
    .bind(i64::from(hide_counts))
    .bind(event_id)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Starts a transaction that holds the event's write lock until it ends.
async fn lock_event(db: &Database, event_id: i64) -> DbResult<Transaction<'static, Any>> {
    let mut tx = match db.backend {
        super::Backend::Sqlite => db.pool.begin_with("BEGIN IMMEDIATE").await?,
        super::Backend::Postgres => db.pool.begin().await?,
    };
    let locked = sqlx::query("UPDATE events SET seats_taken = seats_taken WHERE id = $1")
        .bind(event_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if locked == 0 {
        return Err(DbError::NotFound);
    }
    Ok(tx)
}

/// Takes `seats` if they fit in the capacity; false when they do not.
async fn take_seats(
    tx: &mut Transaction<'static, Any>,
    event_id: i64,
    seats: i64,
) -> DbResult<bool> {
    let taken = sqlx::query(
        "UPDATE events SET seats_taken = seats_taken + $1 \
         WHERE id = $2 AND (capacity IS NULL OR seats_taken + $1 <= capacity)",
    )
    .bind(seats)
    .bind(event_id)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(taken == 1)
}

async fn release_seats(
    tx: &mut Transaction<'static, Any>,
    event_id: i64,
    seats: i64,
) -> DbResult<()> {
    if seats > 0 {
        sqlx::query("UPDATE events SET seats_taken = seats_taken - $1 WHERE id = $2")
            .bind(seats)
            .bind(event_id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Where a new or changed answer lands, taking its seats when it is going.
async fn place(
    tx: &mut Transaction<'static, Any>,
    rules: &RsvpRules,
    input: &RsvpInput,
) -> DbResult<RsvpState> {
    Ok(if input.answer != Answer::Going {
        RsvpState::Confirmed
    } else if rules.approval_required {
        RsvpState::Pending
    } else if take_seats(tx, rules.event_id, input.seats()).await? {
        RsvpState::Confirmed
    } else {
        RsvpState::Waitlisted
    })
}

/// Confirms waitlisted answers, oldest first, each one that fits in the
/// seats now free; a party too large for them keeps its place.
async fn promote(tx: &mut Transaction<'static, Any>, event_id: i64, now: i64) -> DbResult<()> {
    let waiting = sqlx::query(
        "SELECT id, guests FROM rsvps WHERE event_id = $1 AND state = 'waitlisted' \
         ORDER BY queued_at, id",
    )
    .bind(event_id)
    .fetch_all(&mut **tx)
    .await?;
    for row in waiting {
        let (id, guests): (i64, i64) = (row.try_get("id")?, row.try_get("guests")?);
        if take_seats(tx, event_id, 1 + guests).await? {
            sqlx::query("UPDATE rsvps SET state = 'confirmed', updated_at = $1 WHERE id = $2")
                .bind(now)
                .bind(id)
                .execute(&mut **tx)
                .await?;
        }
    }
    Ok(())
}

pub struct NewRsvp<'a> {
    pub token_hash: &'a str,
    pub member_hash: &'a str,
    pub short_code: &'a str,
    pub input: &'a RsvpInput,
}

/// Stores a new answer atomically; returns its id and state.
pub async fn create(
    db: &Database,
    rules: &RsvpRules,
    new: NewRsvp<'_>,
    now: i64,
) -> DbResult<(i64, RsvpState)> {
    let mut tx = lock_event(db, rules.event_id).await?;
    let state = place(&mut tx, rules, new.input).await?;
    let id: i64 = sqlx::query(
        "INSERT INTO rsvps (event_id, token_hash, member_hash, answer, state, guests, \
         display_name, contact, note, short_code, queued_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $11) RETURNING id",
    )
    .bind(rules.event_id)
    .bind(new.token_hash)
    .bind(new.member_hash)
    .bind(new.input.answer.as_str())
    .bind(state.as_str())
    .bind(new.input.guests)
    .bind(&new.input.name)
    .bind(&new.input.contact)
    .bind(&new.input.note)
    .bind(new.short_code)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")?;
    tx.commit().await?;
    Ok((id, state))
}

pub async fn by_token_hash(db: &Database, token_hash: &str) -> DbResult<Option<RsvpRow>> {
    let sql = format!("SELECT {RSVP_COLUMNS} FROM rsvps WHERE token_hash = $1");
    Ok(sqlx::query_as::<_, RsvpRow>(&sql)
        .bind(token_hash)
        .fetch_optional(&db.pool)
        .await?)
}

/// Changes an answer (or cancels it, with `None`): seats are released,
/// the new answer placed, and the waitlist promoted, in one transaction.
pub async fn change(
    db: &Database,
    rules: &RsvpRules,
    id: i64,
    input: Option<&RsvpInput>,
    now: i64,
) -> DbResult<RsvpState> {
    let mut tx = lock_event(db, rules.event_id).await?;
    let sql = format!("SELECT {RSVP_COLUMNS} FROM rsvps WHERE id = $1 AND event_id = $2");
    let current = sqlx::query_as::<_, RsvpRow>(&sql)
        .bind(id)
        .bind(rules.event_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(DbError::NotFound)?;
    release_seats(&mut tx, rules.event_id, current.seats_held()).await?;
    match input {
        None => {
            sqlx::query("UPDATE rsvps SET state = 'cancelled', updated_at = $1 WHERE id = $2")
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        Some(input) => {
            // A waitlisted member who stays "going" keeps their place in line.
            let keeps_place = current.answer == Answer::Going
                && current.state == RsvpState::Waitlisted
                && input.answer == Answer::Going;
            let state = if keeps_place {
                RsvpState::Waitlisted
            } else {
                place(&mut tx, rules, input).await?
            };
            let requeued =
                !(keeps_place || current.answer == Answer::Going && input.answer == Answer::Going);
            sqlx::query(
                "UPDATE rsvps SET answer = $1, state = $2, guests = $3, display_name = $4, \
                 contact = $5, note = $6, updated_at = $7, \
                 queued_at = CASE WHEN $8 = 1 THEN $7 ELSE queued_at END WHERE id = $9",
            )
            .bind(input.answer.as_str())
            .bind(state.as_str())
            .bind(input.guests)
            .bind(&input.name)
            .bind(&input.contact)
            .bind(&input.note)
            .bind(now)
            .bind(i64::from(requeued))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        }
    }
    promote(&mut tx, rules.event_id, now).await?;
    // The changed answer may itself have been promoted.
    let state: String = sqlx::query("SELECT state FROM rsvps WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *tx)
        .await?
        .try_get("state")?;
    tx.commit().await?;
    RsvpState::parse(&state).ok_or_else(|| DbError::Corrupt(format!("state of RSVP {id}")))
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

/// Gives an RSVP of this device a new private link; the old one stops
/// working. False when no such RSVP belongs to the device.
pub async fn replace_token(
    db: &Database,
    id: i64,
    member_hash: &str,
    new_token_hash: &str,
) -> DbResult<bool> {
    let changed =
        sqlx::query("UPDATE rsvps SET token_hash = $1 WHERE id = $2 AND member_hash = $3")
            .bind(new_token_hash)
            .bind(id)
            .bind(member_hash)
            .execute(&db.pool)
            .await?
            .rows_affected();
    Ok(changed == 1)
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

/// Every answer to an event, in the order they came: for its organisers.
pub async fn for_event(db: &Database, event_id: i64) -> DbResult<Vec<RsvpRow>> {
    let sql =
        format!("SELECT {RSVP_COLUMNS} FROM rsvps WHERE event_id = $1 ORDER BY created_at, id");
    Ok(sqlx::query_as::<_, RsvpRow>(&sql)
        .bind(event_id)
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

/// An organiser's decision on a pending answer: approved, it takes its
/// seats (or joins the waitlist when they are gone); declined, it is
/// cancelled. Returns the new state; `NotFound` unless the answer is
/// pending and belongs to the event.
pub async fn decide(
    db: &Database,
    event_id: i64,
    id: i64,
    approve: bool,
    now: i64,
) -> DbResult<RsvpState> {
    let mut tx = lock_event(db, event_id).await?;
    let sql = format!(
        "SELECT {RSVP_COLUMNS} FROM rsvps WHERE id = $1 AND event_id = $2 AND state = 'pending'"
    );
    let current = sqlx::query_as::<_, RsvpRow>(&sql)
        .bind(id)
        .bind(event_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(DbError::NotFound)?;
    let state = if !approve {
        RsvpState::Cancelled
    } else if take_seats(&mut tx, event_id, 1 + current.guests).await? {
        RsvpState::Confirmed
    } else {
        RsvpState::Waitlisted
    };
    sqlx::query("UPDATE rsvps SET state = $1, updated_at = $2, queued_at = $2 WHERE id = $3")
        .bind(state.as_str())
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(state)
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

/// Marks an answer checked in; false when it already was.
pub async fn check_in(db: &Database, id: i64, now: i64) -> DbResult<bool> {
    let done =
        sqlx::query("UPDATE rsvps SET checked_in_at = $2 WHERE id = $1 AND checked_in_at IS NULL")
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

/// Deletes the name, contact, note and device link of every answer to an
/// event that ended before `cutoff`; the answer, its guests and its state
/// stay, so the counts survive. Returns how many answers were emptied.
pub async fn purge_personal_data(db: &Database, cutoff: i64, now: i64) -> DbResult<u64> {
    let done = sqlx::query(
        "UPDATE rsvps SET display_name = '', contact = '', note = '', member_hash = '', \
         short_code = '', purged_at = $2 \
         WHERE purged_at IS NULL AND event_id IN (SELECT id FROM events WHERE ends_at < $1)",
    )
    .bind(cutoff)
    .bind(now)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected())
}
