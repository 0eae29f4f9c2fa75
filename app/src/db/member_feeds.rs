//! Personal calendar feeds: which device's RSVPs a feed address shows.

use super::{Database, DbResult};
use sqlx::Row;

/// The generation of a device's feed address, if it has one.
pub async fn generation(db: &Database, member_hash: &str) -> DbResult<Option<i64>> {
    let row = sqlx::query("SELECT generation FROM member_feeds WHERE member_hash = $1")
        .bind(member_hash)
        .fetch_optional(&db.pool)
        .await?;
    Ok(row.map(|r| r.try_get("generation")).transpose()?)
}

/// Records a device's current feed address (by its hash), replacing the
/// one before, which stops working.
pub async fn save(
    db: &Database,
    member_hash: &str,
    generation: i64,
    feed_hash: &str,
    now: i64,
) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO member_feeds (member_hash, generation, feed_hash, updated_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (member_hash) DO UPDATE \
         SET generation = $2, feed_hash = $3, updated_at = $4",
    )
    .bind(member_hash)
    .bind(generation)
    .bind(feed_hash)
    .bind(now)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// The device whose current feed address has this hash.
pub async fn member_by_feed(db: &Database, feed_hash: &str) -> DbResult<Option<String>> {
    let row = sqlx::query("SELECT member_hash FROM member_feeds WHERE feed_hash = $1")
        .bind(feed_hash)
        .fetch_optional(&db.pool)
        .await?;
    Ok(row.map(|r| r.try_get("member_hash")).transpose()?)
}
