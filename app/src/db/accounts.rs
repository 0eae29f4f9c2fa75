//! Organiser and admin accounts.

use super::{get_named, Database, DbError, DbResult};
use crate::accounts::{AccountInfo, Role};
use sqlx::any::AnyRow;
use sqlx::{FromRow, Row};

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

pub(super) const ACCOUNT_COLUMNS: &str =
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
        // A disabled account opens no answer: its wrap of the key goes.
        sqlx::query("DELETE FROM organisation_key_wraps WHERE account_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Sets a new password hash and ends every session of the account. The
/// wrap of the organisation's key under the old password goes; `key_wrap`
/// (salt, wrapped) is the one under the new password, if the caller could
/// make it.
pub async fn set_password(
    db: &Database,
    id: i64,
    password_hash: &str,
    key_wrap: Option<(&str, &str)>,
    now: i64,
) -> DbResult<()> {
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
    sqlx::query("DELETE FROM organisation_key_wraps WHERE account_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if let Some((salt, wrapped)) = key_wrap {
        super::organisation_key::store_account_wrap(&mut *tx, id, salt, wrapped, now).await?;
    }
    tx.commit().await?;
    Ok(())
}
