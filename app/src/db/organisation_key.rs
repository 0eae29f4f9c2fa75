//! The organisation's key pair as stored: its public half, and its secret
//! half only wrapped (under the recovery key, each account's password and
//! each live session's cookie). See [`crate::sealing`].

use super::{Database, DbError, DbResult};
use sqlx::Row;

/// The stored key pair: never for a page.
pub struct OrganisationKeyRow {
    pub public_key: String,
    pub recovery_wrap: String,
    /// The recovery key until the first admin takes it; then empty.
    pub unclaimed_recovery: String,
}

pub async fn get(db: &Database) -> DbResult<Option<OrganisationKeyRow>> {
    let row = sqlx::query(
        "SELECT public_key, recovery_wrap, unclaimed_recovery FROM organisation_key WHERE id = 1",
    )
    .fetch_optional(&db.pool)
    .await?;
    row.map(|r| {
        Ok(OrganisationKeyRow {
            public_key: r.try_get("public_key")?,
            recovery_wrap: r.try_get("recovery_wrap")?,
            unclaimed_recovery: r.try_get("unclaimed_recovery")?,
        })
    })
    .transpose()
}

/// The public key, read in a write transaction that holds an event's lock,
/// so that a rotation (which takes every event's lock) cannot pass between
/// reading it and storing what was sealed to it.
pub async fn public_key_in(conn: &mut sqlx::AnyConnection) -> DbResult<String> {
    sqlx::query_scalar("SELECT public_key FROM organisation_key WHERE id = 1")
        .fetch_optional(conn)
        .await?
        .ok_or(DbError::NotFound)
}

/// Stores a first key pair (unless another server stored one first).
pub async fn create(
    db: &Database,
    public_key: &str,
    recovery_wrap: &str,
    unclaimed_recovery: &str,
    now: i64,
) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO organisation_key (id, public_key, recovery_wrap, unclaimed_recovery, created_at) \
         VALUES (1, $1, $2, $3, $4) ON CONFLICT (id) DO NOTHING",
    )
    .bind(public_key)
    .bind(recovery_wrap)
    .bind(unclaimed_recovery)
    .bind(now)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Replaces the recovery key's wrap (a new recovery key was made) of the
/// key whose public half is `public_key`; false when the key was replaced
/// meanwhile (the wrap would open a key nobody uses).
pub async fn set_recovery_wrap(db: &Database, wrapped: &str, public_key: &str) -> DbResult<bool> {
    let done = sqlx::query(
        "UPDATE organisation_key SET recovery_wrap = $1, unclaimed_recovery = '' \
         WHERE id = 1 AND public_key = $2",
    )
    .bind(wrapped)
    .bind(public_key)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// An account's wrap of the secret key: (salt, wrapped).
pub async fn account_wrap(db: &Database, account_id: i64) -> DbResult<Option<(String, String)>> {
    let row = sqlx::query("SELECT salt, wrapped FROM organisation_key_wraps WHERE account_id = $1")
        .bind(account_id)
        .fetch_optional(&db.pool)
        .await?;
    row.map(|r| Ok((r.try_get("salt")?, r.try_get("wrapped")?)))
        .transpose()
}

/// Which accounts hold a wrap of the key.
pub async fn accounts_with_wraps(db: &Database) -> DbResult<Vec<i64>> {
    Ok(
        sqlx::query_scalar("SELECT account_id FROM organisation_key_wraps")
            .fetch_all(&db.pool)
            .await?,
    )
}

/// Stores an account's wrap of the key (in place of any earlier one); a
/// disabled account gets none. On the pool or inside a transaction.
pub async fn store_account_wrap<'c>(
    executor: impl sqlx::Executor<'c, Database = sqlx::Any>,
    account_id: i64,
    salt: &str,
    wrapped: &str,
    now: i64,
) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO organisation_key_wraps (account_id, salt, wrapped, created_at) \
         SELECT id, $2, $3, $4 FROM accounts WHERE id = $1 AND disabled = 0 \
         ON CONFLICT (account_id) DO UPDATE SET salt = $2, wrapped = $3, created_at = $4",
    )
    .bind(account_id)
    .bind(salt)
    .bind(wrapped)
    .bind(now)
    .execute(executor)
    .await?;
    Ok(())
}

/// Answers stored in plain text by an earlier version: (id, name,
/// contact, note).
pub async fn plain_answers(db: &Database) -> DbResult<Vec<(i64, String, String, String)>> {
    let rows = sqlx::query(
        "SELECT id, display_name, contact, note FROM rsvps \
         WHERE display_name <> '' OR contact <> '' OR note <> ''",
    )
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("id")?,
                r.try_get("display_name")?,
                r.try_get("contact")?,
                r.try_get("note")?,
            ))
        })
        .collect()
}

/// Stores an answer's sealed fields in place of its plain ones; never on a
/// purged answer, never over fields the member sealed since (only the
/// plain copy goes then), and only while `public_key` (the key they were
/// sealed to) is the organisation's: after a rotation meanwhile, the
/// answer stays for the next pass.
pub async fn seal_plain_answer(
    db: &Database,
    id: i64,
    personal_sealed: &str,
    key_for_organisers: &str,
    public_key: &str,
) -> DbResult<()> {
    sqlx::query(
        "UPDATE rsvps SET \
         personal_sealed = CASE WHEN personal_sealed = '' THEN $2 ELSE personal_sealed END, \
         key_for_organisers = CASE WHEN personal_sealed = '' THEN $3 ELSE key_for_organisers END, \
         display_name = '', contact = '', note = '' WHERE id = $1 AND purged_at IS NULL \
         AND EXISTS (SELECT 1 FROM organisation_key WHERE id = 1 AND public_key = $4)",
    )
    .bind(id)
    .bind(personal_sealed)
    .bind(key_for_organisers)
    .bind(public_key)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// A new key pair in place of the old, in one transaction: every sealed
/// answer key re-sealed by `reseal`, every account's wrap and every other
/// session's copy of the old key deleted, the acting admin's wrap (and
/// session copy) stored. Every event's lock is taken first, so no answer is
/// sealed to the old key meanwhile. It happens only while `old_public_key`
/// is the organisation's (`None` when another admin replaced it first:
/// their key is not replaced by one whose answers this one cannot open).
pub struct Rotation<'a> {
    pub old_public_key: &'a str,
    pub public_key: &'a str,
    /// Empty: no recovery key (the admin makes one on the accounts screen).
    pub recovery_wrap: &'a str,
    pub account_id: i64,
    pub salt: &'a str,
    pub account_wrap: &'a str,
    /// The acting session: (hash of its cookie, its copy of the new key).
    pub session: Option<(&'a str, &'a str)>,
}

/// What a rotation came to: answers sealed again, and answers that did not
/// open with the old key (left as they were: nobody can read them).
pub struct Rotated {
    pub resealed: u64,
    pub unopened: u64,
}

pub async fn rotate(
    db: &Database,
    rotation: Rotation<'_>,
    mut reseal: impl FnMut(&str) -> Option<String>,
    now: i64,
) -> DbResult<Option<Rotated>> {
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE events SET seats_taken = seats_taken")
        .execute(&mut *tx)
        .await?;
    let replaced = sqlx::query(
        "UPDATE organisation_key SET public_key = $1, recovery_wrap = $2, \
         unclaimed_recovery = '', created_at = $3 \
         WHERE id = 1 AND public_key = $4",
    )
    .bind(rotation.public_key)
    .bind(rotation.recovery_wrap)
    .bind(now)
    .bind(rotation.old_public_key)
    .execute(&mut *tx)
    .await?;
    if replaced.rows_affected() != 1 {
        return Ok(None);
    }
    let sealed: Vec<(i64, String)> =
        sqlx::query("SELECT id, key_for_organisers FROM rsvps WHERE key_for_organisers <> ''")
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|r| Ok((r.try_get("id")?, r.try_get("key_for_organisers")?)))
            .collect::<sqlx::Result<_>>()?;
    let mut rotated = Rotated {
        resealed: 0,
        unopened: 0,
    };
    for (id, old) in &sealed {
        let Some(new) = reseal(old) else {
            rotated.unopened += 1;
            continue;
        };
        // Only if unchanged: a purge on another server may have emptied it.
        let done = sqlx::query(
            "UPDATE rsvps SET key_for_organisers = $2 WHERE id = $1 AND key_for_organisers = $3",
        )
        .bind(id)
        .bind(new)
        .bind(old)
        .execute(&mut *tx)
        .await?;
        rotated.resealed += done.rows_affected();
    }
    sqlx::query("DELETE FROM organisation_key_wraps")
        .execute(&mut *tx)
        .await?;
    store_account_wrap(
        &mut *tx,
        rotation.account_id,
        rotation.salt,
        rotation.account_wrap,
        now,
    )
    .await?;
    let (session_hash, session_wrap) = rotation.session.unwrap_or_default();
    sqlx::query(
        "UPDATE sessions SET organisation_key = CASE WHEN id_hash = $1 THEN $2 ELSE '' END",
    )
    .bind(session_hash)
    .bind(session_wrap)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Some(rotated))
}
