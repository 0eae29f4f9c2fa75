//! Accounts, sessions, login failures, instance values and the audit log.

use super::{get_named, Database, DbError, DbResult};
use crate::accounts::{AccountInfo, AuditEntry, Role};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, FromRow, Row};

/// An account as stored, password hash included: never for a page.
#[derive(Clone, Debug)]
pub struct AccountRow {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub role: Role,
    pub disabled: bool,
}

impl AccountRow {
    pub fn info(&self) -> AccountInfo {
        AccountInfo {
            id: self.id,
            username: self.username.clone(),
            display_name: self.display_name.clone(),
            role: self.role,
        }
    }
}

impl FromRow<'_, AnyRow> for AccountRow {
    fn from_row(row: &AnyRow) -> sqlx::Result<Self> {
        Ok(AccountRow {
            id: row.try_get("id")?,
            username: row.try_get("username")?,
            display_name: row.try_get("display_name")?,
            password_hash: row.try_get("password_hash")?,
            role: get_named(row, "role", Role::parse)?,
            disabled: row.try_get::<i64, _>("disabled")? != 0,
        })
    }
}

const ACCOUNT_COLUMNS: &str =
    "a.id, a.username, a.display_name, a.password_hash, a.role, a.disabled";

/// Creates an account; a username already taken answers [`DbError::Conflict`].
pub async fn create(
    db: &Database,
    username: &str,
    display_name: &str,
    password_hash: &str,
    role: Role,
    now: i64,
) -> DbResult<i64> {
    let row = sqlx::query(
        "INSERT INTO accounts (username, display_name, password_hash, role, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
    )
    .bind(username)
    .bind(display_name)
    .bind(password_hash)
    .bind(role.as_str())
    .bind(now)
    .fetch_one(&db.pool)
    .await?;
    Ok(row.try_get("id")?)
}

pub async fn by_username(db: &Database, username: &str) -> DbResult<Option<AccountRow>> {
    let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM accounts a WHERE a.username = $1");
    Ok(sqlx::query_as(&sql)
        .bind(username)
        .fetch_optional(&db.pool)
        .await?)
}

pub async fn by_id(db: &Database, id: i64) -> DbResult<Option<AccountRow>> {
    let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM accounts a WHERE a.id = $1");
    Ok(sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(&db.pool)
        .await?)
}

pub async fn all(db: &Database) -> DbResult<Vec<AccountRow>> {
    let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM accounts a ORDER BY a.username");
    Ok(sqlx::query_as(&sql).fetch_all(&db.pool).await?)
}

pub async fn count(db: &Database) -> DbResult<i64> {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM accounts")
        .fetch_one(&db.pool)
        .await?;
    Ok(row.try_get("n")?)
}

/// Disables or enables an account; disabling also ends its sessions.
pub async fn set_disabled(db: &Database, id: i64, disabled: bool, now: i64) -> DbResult<()> {
    let mut tx = db.pool.begin().await?;
    let updated = sqlx::query("UPDATE accounts SET disabled = $2, updated_at = $3 WHERE id = $1")
        .bind(id)
        .bind(i64::from(disabled))
        .bind(now)
        .execute(&mut *tx)
        .await?;
    if updated.rows_affected() == 0 {
        return Err(DbError::NotFound);
    }
    if disabled {
        sqlx::query("DELETE FROM sessions WHERE account_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Sets a new password hash and ends every session of the account.
pub async fn set_password(db: &Database, id: i64, password_hash: &str, now: i64) -> DbResult<()> {
    let mut tx = db.pool.begin().await?;
    let updated =
        sqlx::query("UPDATE accounts SET password_hash = $2, updated_at = $3 WHERE id = $1")
            .bind(id)
            .bind(password_hash)
            .bind(now)
            .execute(&mut *tx)
            .await?;
    if updated.rows_affected() == 0 {
        return Err(DbError::NotFound);
    }
    sqlx::query("DELETE FROM sessions WHERE account_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

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

/// Counts one hit in `bucket`'s window (a new window once the old one is
/// `window` seconds old); returns the hits in the current window. Kept in
/// the database so that limits hold across app servers.
pub async fn count_hit(db: &Database, bucket: &str, now: i64, window: i64) -> DbResult<i64> {
    let row = sqlx::query(
        "INSERT INTO rate_counts (bucket, window_start, hits) VALUES ($1, $2, 1) \
         ON CONFLICT (bucket) DO UPDATE SET \
         hits = CASE WHEN rate_counts.window_start <= $3 THEN 1 ELSE rate_counts.hits + 1 END, \
         window_start = CASE WHEN rate_counts.window_start <= $3 THEN $2 ELSE rate_counts.window_start END \
         RETURNING hits",
    )
    .bind(bucket)
    .bind(now)
    .bind(now - window)
    .fetch_one(&db.pool)
    .await?;
    Ok(row.try_get("hits")?)
}

/// Counts one hit in `bucket`'s window only while it holds fewer than
/// `max`: one atomic statement, so that however many requests arrive at
/// once, exactly `max` get a number. Returns the window's start (to take
/// the hit back with [`refund_hit`]), or `None` when the window is full.
pub async fn take_hit(
    db: &Database,
    bucket: &str,
    now: i64,
    window: i64,
    max: i64,
) -> DbResult<Option<i64>> {
    let row = sqlx::query(
        "INSERT INTO rate_counts (bucket, window_start, hits) VALUES ($1, $2, 1) \
         ON CONFLICT (bucket) DO UPDATE SET \
         hits = CASE WHEN rate_counts.window_start <= $3 THEN 1 ELSE rate_counts.hits + 1 END, \
         window_start = CASE WHEN rate_counts.window_start <= $3 THEN $2 ELSE rate_counts.window_start END \
         WHERE rate_counts.window_start <= $3 OR rate_counts.hits < $4 \
         RETURNING window_start",
    )
    .bind(bucket)
    .bind(now)
    .bind(now - window)
    .bind(max)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(|r| r.try_get("window_start")).transpose()?)
}

/// Takes back a hit [`take_hit`] counted in the window that began at
/// `window_start` (a later window is left alone).
pub async fn refund_hit(db: &Database, bucket: &str, window_start: i64) -> DbResult<()> {
    sqlx::query(
        "UPDATE rate_counts SET hits = hits - 1 \
         WHERE bucket = $1 AND window_start = $2 AND hits > 0",
    )
    .bind(bucket)
    .bind(window_start)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Deletes the counts for `purpose` whose window began `window` seconds or
/// more ago: past its window a count limits nothing, and kept it would only
/// tell when someone was here. Returns how many went.
pub async fn sweep_rate_counts(
    db: &Database,
    purpose: &str,
    now: i64,
    window: i64,
) -> DbResult<u64> {
    let done = sqlx::query("DELETE FROM rate_counts WHERE bucket LIKE $1 AND window_start <= $2")
        .bind(format!("{purpose}:%"))
        .bind(now - window)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected())
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

/// The instance's value `name`, set to `initial` the first time it is asked for.
pub async fn instance_value(db: &Database, name: &str, initial: &str) -> DbResult<String> {
    sqlx::query(
        "INSERT INTO instance_values (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
    )
    .bind(name)
    .bind(initial)
    .execute(&db.pool)
    .await?;
    stored_value(db, name).await?.ok_or(DbError::NotFound)
}

/// A value the instance stored, if any.
pub async fn stored_value(db: &Database, name: &str) -> DbResult<Option<String>> {
    let row = sqlx::query("SELECT value FROM instance_values WHERE name = $1")
        .bind(name)
        .fetch_optional(&db.pool)
        .await?;
    Ok(row.map(|r| r.try_get("value")).transpose()?)
}

pub async fn store_value(db: &Database, name: &str, value: &str) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO instance_values (name, value) VALUES ($1, $2) \
         ON CONFLICT (name) DO UPDATE SET value = $2",
    )
    .bind(name)
    .bind(value)
    .execute(&db.pool)
    .await?;
    Ok(())
}

pub async fn audit(
    db: &Database,
    actor: Option<&AccountInfo>,
    action: &str,
    subject: &str,
    now: i64,
) -> DbResult<()> {
    audit_in(&mut *db.pool.acquire().await?, actor, action, subject, now).await
}

/// An audit entry written in a transaction, with the change it records.
pub async fn audit_in(
    conn: &mut AnyConnection,
    actor: Option<&AccountInfo>,
    action: &str,
    subject: &str,
    now: i64,
) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO audit_log (at, account_id, actor, action, subject) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(now)
    .bind(actor.map(|a| a.id))
    .bind(actor.map_or("(command line)", |a| a.username.as_str()))
    .bind(action)
    .bind(subject)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The latest audit entries, newest first.
pub async fn audit_log(db: &Database, limit: i64) -> DbResult<Vec<AuditEntry>> {
    let rows = sqlx::query(
        "SELECT at, actor, action, subject FROM audit_log ORDER BY at DESC, id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(AuditEntry {
                at: r.try_get("at")?,
                actor: r.try_get("actor")?,
                action: r.try_get("action")?,
                subject: r.try_get("subject")?,
            })
        })
        .collect()
}
