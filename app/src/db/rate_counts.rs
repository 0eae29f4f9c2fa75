//! Counts in fixed windows for the rate limits, keyed by what is counted
//! and a keyed hash of who (see `services::limits`).

use super::{Database, DbResult};
use sqlx::Row;

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
    .fetch_one(db.writer())
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
    .fetch_optional(db.writer())
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
    .execute(db.writer())
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
