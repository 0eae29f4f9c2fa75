//! Values the instance keeps for itself (the device secret, settings an
//! admin changed, the address it last ran at).

use super::{Database, DbError, DbResult};
use sqlx::Row;

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

/// The values whose names start with `prefix`, as (name, value).
pub async fn values_with_prefix(db: &Database, prefix: &str) -> DbResult<Vec<(String, String)>> {
    let rows = sqlx::query("SELECT name, value FROM instance_values WHERE name LIKE $1")
        .bind(format!("{prefix}%"))
        .fetch_all(&db.pool)
        .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("name")?, r.try_get("value")?)))
        .collect()
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
