//! The outbox of emails: one row a notice and member who asked for email,
//! queued in the transaction that writes the notice, claimed by a sender
//! for a while (a lease), marked sent or dropped. A sender that dies holding
//! a claim loses nothing: once the lease runs out, the row is due again.

use super::{Database, DbResult};
use sqlx::{AnyConnection, Row};

/// Emails one answer may be sent about its event in a day, whatever its
/// organisers do: a stolen organiser account cannot flood anyone's inbox
/// (the notices still show on the private page).
pub const MAILS_PER_ANSWER_PER_DAY: i64 = 8;

/// Queues an email of the notice to each of its recipients who asked for
/// email and has not had the day's number already, in the caller's
/// transaction (the notice's).
pub async fn queue(conn: &mut AnyConnection, notice_id: i64, now: i64) -> DbResult<u64> {
    Ok(sqlx::query(
        "INSERT INTO mail_outbox (notice_id, rsvp_id, created_at, next_attempt_at) \
         SELECT $1, r.id, $2, $2 FROM notice_recipients nr JOIN rsvps r ON r.id = nr.rsvp_id \
         WHERE nr.notice_id = $1 AND r.mail_sealed <> '' AND \
         (SELECT COUNT(*) FROM mail_outbox o WHERE o.rsvp_id = r.id AND o.created_at > $3) < $4",
    )
    .bind(notice_id)
    .bind(now)
    .bind(now - 86_400)
    .bind(MAILS_PER_ANSWER_PER_DAY)
    .execute(&mut *conn)
    .await?
    .rows_affected())
}

/// An email claimed for sending.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Claimed {
    pub id: i64,
    pub notice_id: i64,
    pub rsvp_id: i64,
    /// Attempts so far, this one included.
    pub attempts: i64,
    pub created_at: i64,
    /// Who holds the claim: only its holder may mark the row.
    pub owner: String,
}

/// Claims up to `batch` due emails for `owner` until `lease_until`, within
/// `per_hour` emails sent (or being sent) in the last hour. One sender at a
/// time counts and claims (each locks `mail_claims` first), so that the
/// hourly number holds across app servers and no row is claimed twice.
pub async fn claim(
    db: &Database,
    owner: &str,
    now: i64,
    lease_until: i64,
    per_hour: i64,
    batch: i64,
) -> DbResult<Vec<Claimed>> {
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE mail_claims SET claimed_at = $1 WHERE id = 1")
        .bind(now)
        .execute(&mut *tx)
        .await?;
    let used: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM mail_outbox WHERE sent_at > $1 \
         OR (sent_at IS NULL AND dropped_at IS NULL AND lease_until > $2)",
    )
    .bind(now - 3600)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?
    .try_get("n")?;
    let room = batch.min(per_hour - used);
    if room <= 0 {
        tx.commit().await?;
        return Ok(Vec::new());
    }
    sqlx::query(&format!(
        "UPDATE mail_outbox SET lease_owner = $1, lease_until = $2, attempts = attempts + 1 \
         WHERE id IN (SELECT id FROM mail_outbox WHERE sent_at IS NULL AND dropped_at IS NULL \
         AND next_attempt_at <= $3 AND lease_until <= $3 ORDER BY id LIMIT {room}) \
         AND sent_at IS NULL AND dropped_at IS NULL AND lease_until <= $3"
    ))
    .bind(owner)
    .bind(lease_until)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let rows = sqlx::query(
        "SELECT id, notice_id, rsvp_id, attempts, created_at FROM mail_outbox \
         WHERE lease_owner = $1 AND lease_until = $2 AND sent_at IS NULL AND dropped_at IS NULL \
         ORDER BY id",
    )
    .bind(owner)
    .bind(lease_until)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    rows.iter()
        .map(|row| {
            Ok(Claimed {
                id: row.try_get("id")?,
                notice_id: row.try_get("notice_id")?,
                rsvp_id: row.try_get("rsvp_id")?,
                attempts: row.try_get("attempts")?,
                created_at: row.try_get("created_at")?,
                owner: owner.to_string(),
            })
        })
        .collect()
}

/// How a claimed email ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Sent,
    /// Due again at this time.
    Retry(i64),
    /// Never to be sent.
    Dropped,
}

/// Records how a claimed email ended, if the claim is still its holder's
/// (a claim that ran out and was taken over is the other sender's now).
pub async fn finish(
    db: &Database,
    claimed: &Claimed,
    outcome: Outcome,
    now: i64,
) -> DbResult<bool> {
    // A sent email is recorded as sent even if its address was deleted
    // while it went: it counts towards the limits all the same.
    let (set, unless, at) = match outcome {
        Outcome::Sent => ("sent_at = $1, lease_until = 0", "", now),
        Outcome::Retry(at) => (
            "next_attempt_at = $1, lease_until = 0, lease_owner = ''",
            "AND dropped_at IS NULL",
            at,
        ),
        Outcome::Dropped => (
            "dropped_at = $1, lease_until = 0",
            "AND dropped_at IS NULL",
            now,
        ),
    };
    let mut tx = db.begin_write().await?;
    let done = sqlx::query(&format!(
        "UPDATE mail_outbox SET {set} WHERE id = $2 AND lease_owner = $3 \
         AND sent_at IS NULL {unless}"
    ))
    .bind(at)
    .bind(claimed.id)
    .bind(&claimed.owner)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    tx.commit().await?;
    Ok(done == 1)
}

/// Drops the unsent emails of an answer whose email was deleted, in the
/// caller's transaction.
pub async fn drop_unsent_of(conn: &mut AnyConnection, rsvp_id: i64, now: i64) -> DbResult<()> {
    sqlx::query(
        "UPDATE mail_outbox SET dropped_at = $1 \
         WHERE rsvp_id = $2 AND sent_at IS NULL AND dropped_at IS NULL",
    )
    .bind(now)
    .bind(rsvp_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Whom a claimed email is for: the member's encrypted email (bound to
/// their private link's hash), their language, and the event.
pub struct Recipient {
    pub mail_sealed: String,
    pub token_hash: String,
    pub lang: String,
    pub event_id: i64,
}

/// Whom a claimed email is for; `None` when the address is gone meanwhile.
pub async fn recipient(db: &Database, rsvp_id: i64) -> DbResult<Option<Recipient>> {
    let row = sqlx::query(
        "SELECT mail_sealed, token_hash, lang, event_id FROM rsvps \
         WHERE id = $1 AND mail_sealed <> ''",
    )
    .bind(rsvp_id)
    .fetch_optional(&db.pool)
    .await?;
    row.map(|row| {
        Ok(Recipient {
            mail_sealed: row.try_get("mail_sealed")?,
            token_hash: row.try_get("token_hash")?,
            lang: row.try_get("lang")?,
            event_id: row.try_get("event_id")?,
        })
    })
    .transpose()
}

/// Extends a claimed email's claim to `until` before it is sent, if it is
/// still its holder's and has not run out (else another sender may have
/// it): false means "do not send".
pub async fn renew(db: &Database, claimed: &Claimed, until: i64, now: i64) -> DbResult<bool> {
    let mut tx = db.begin_write().await?;
    let renewed = sqlx::query(
        "UPDATE mail_outbox SET lease_until = $1 WHERE id = $2 AND lease_owner = $3 \
         AND lease_until > $4 AND sent_at IS NULL AND dropped_at IS NULL",
    )
    .bind(until)
    .bind(claimed.id)
    .bind(&claimed.owner)
    .bind(now)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    tx.commit().await?;
    Ok(renewed == 1)
}

/// Deletes the email of every answer to an event that has ended by `now`
/// (a postponed one has not: its new date is to come, and the purge
/// deletes it after the retention period), and the record of its emails
/// but those sent in the last hour, which the hourly limit still counts
/// (they go at a later round); returns how many addresses went.
pub async fn forget_ended(db: &Database, now: i64) -> DbResult<u64> {
    let mut tx = db.begin_write().await?;
    let forgotten = sqlx::query(
        "UPDATE rsvps SET mail_sealed = '', mail_stop_hash = NULL WHERE mail_sealed <> '' \
         AND event_id IN (SELECT id FROM events WHERE ends_at <= $1 AND status <> 'postponed')",
    )
    .bind(now)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    sqlx::query(
        "DELETE FROM mail_outbox WHERE (sent_at IS NULL OR sent_at <= $2) AND rsvp_id IN \
         (SELECT r.id FROM rsvps r JOIN events e ON e.id = r.event_id \
         WHERE e.ends_at <= $1 AND e.status <> 'postponed')",
    )
    .bind(now)
    .bind(now - 3600)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(forgotten)
}

/// Deletes the email behind a stop link (by its token's hash), with its
/// unsent emails; false when no email has that link (any more).
pub async fn stop(db: &Database, stop_hash: &str, now: i64) -> DbResult<bool> {
    let mut tx = db.begin_write().await?;
    let id: Option<i64> = sqlx::query("SELECT id FROM rsvps WHERE mail_stop_hash = $1")
        .bind(stop_hash)
        .fetch_optional(&mut *tx)
        .await?
        .map(|row| row.try_get("id"))
        .transpose()?;
    let Some(id) = id else {
        tx.commit().await?;
        return Ok(false);
    };
    super::rsvps::set_mail(&mut tx, id, &super::rsvps::MailChange::Clear, now).await?;
    tx.commit().await?;
    Ok(true)
}

/// Whether a stop link's token hash names an email.
pub async fn stop_known(db: &Database, stop_hash: &str) -> DbResult<bool> {
    Ok(
        sqlx::query("SELECT 1 AS one FROM rsvps WHERE mail_stop_hash = $1")
            .bind(stop_hash)
            .fetch_optional(&db.pool)
            .await?
            .is_some(),
    )
}
