//! Organiser sessions, shared by every app server: only the hash of a
//! session's cookie is stored.

use super::accounts::{AccountRow, ACCOUNT_COLUMNS};
use super::{Database, DbResult};
use sqlx::{FromRow, Row};

pub async fn create_session(
    db: &Database,
    id_hash: &str,
    account_id: i64,
    now: i64,
) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO sessions (id_hash, account_id, created_at, last_seen_at) VALUES ($1, $2, $3, $3)",
    )
    .bind(id_hash)
    .bind(account_id)
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
