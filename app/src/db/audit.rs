//! Who did what, when: organiser and admin actions. No IP addresses.

use super::{Database, DbResult};
use crate::accounts::{AccountInfo, AuditEntry};
use sqlx::{AnyConnection, Row};

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
