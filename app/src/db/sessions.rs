//! Organiser sessions, shared by every app server: only the hash of a
//! session's cookie is stored.

use super::accounts::{AccountRow, ACCOUNT_COLUMNS};
use super::{Database, DbResult};
use sqlx::{FromRow, Row};

/// A new session; `organisation_key` is its copy of the organisation's
/// secret key, wrapped under its cookie (empty: the account holds none).
pub async fn create_session(
    db: &Database,
    id_hash: &str,
    account_id: i64,
    organisation_key: &str,
    now: i64,
) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO sessions (id_hash, account_id, organisation_key, created_at, last_seen_at) \
         VALUES ($1, $2, $3, $4, $4)",
    )
    .bind(id_hash)
    .bind(account_id)
    .bind(organisation_key)
    .bind(now)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// The live session with this hash and its enabled account: seen within
/// `idle` seconds and begun within `lifetime`.
pub async fn session_account(
    db: &Database,
    id_hash: &str,
    now: i64,
    idle: i64,
    lifetime: i64,
) -> DbResult<Option<(AccountRow, i64)>> {
    let sql = format!(
        "SELECT {ACCOUNT_COLUMNS}, s.last_seen_at FROM sessions s \
         JOIN accounts a ON a.id = s.account_id \
         WHERE s.id_hash = $1 AND a.disabled = 0 \
         AND s.last_seen_at > $2 AND s.created_at > $3"
    );
    let row = sqlx::query(&sql)
        .bind(id_hash)
        .bind(now - idle)
        .bind(now - lifetime)
        .fetch_optional(&db.pool)
        .await?;
    match row {
        Some(row) => Ok(Some((
            AccountRow::from_row(&row)?,
            row.try_get("last_seen_at")?,
        ))),
        None => Ok(None),
    }
}

/// A session's wrapped copy of the organisation's key (empty: none).
pub async fn organisation_key(db: &Database, id_hash: &str) -> DbResult<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT organisation_key FROM sessions WHERE id_hash = $1")
            .bind(id_hash)
            .fetch_optional(&db.pool)
            .await?,
    )
}

pub async fn touch_session(db: &Database, id_hash: &str, now: i64) -> DbResult<()> {
    sqlx::query("UPDATE sessions SET last_seen_at = $2 WHERE id_hash = $1")
        .bind(id_hash)
        .bind(now)
        .execute(&db.pool)
        .await?;
    Ok(())
}

pub async fn delete_session(db: &Database, id_hash: &str) -> DbResult<()> {
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
        .bind(id_hash)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Deletes sessions idle for `idle` seconds or begun `lifetime` ago: they
/// open nothing any more.
pub async fn delete_expired_sessions(
    db: &Database,
    now: i64,
    idle: i64,
    lifetime: i64,
) -> DbResult<u64> {
    let done = sqlx::query("DELETE FROM sessions WHERE last_seen_at <= $1 OR created_at <= $2")
        .bind(now - idle)
        .bind(now - lifetime)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected())
}
