//! Counts in fixed windows for the rate limits, keyed by what is counted
//! and a keyed hash of who (see `services::limits`).

use super::line::{grouped, unavailable, Line, Reply};
use super::{Database, DbError, DbResult};
use sqlx::Row;
use std::collections::BTreeMap;

/// Hits counted by one statement at most.
const MOST_TOGETHER: usize = 128;

/// One hit to count: its bucket, when it came, and its window's length.
pub struct Hit {
    bucket: String,
    now: i64,
    window: i64,
}

/// Where hits wait to be counted together: a burst of answers costs one
/// statement a turn, not one each, on the connection every answer's
/// transaction needs too.
#[derive(Clone, Debug)]
pub struct CountLine(Line<Hit, i64>);

impl CountLine {
    /// The line of `db` (whose own copy must have none), served by a task
    /// of its own until every copy of the line is gone.
    pub(crate) fn start(db: Database) -> CountLine {
        CountLine(Line::start(MOST_TOGETHER, move |waiting| {
            count_turn(db.clone(), waiting)
        }))
    }
}

/// Counts one hit in `bucket`'s window (a new window once the old one is
/// `window` seconds old); returns the hits in the current window. Kept in
/// the database so that limits hold across app servers. Hits that arrive
/// together are counted together, each told what it would have been told
/// alone, in the order they came.
pub async fn count_hit(db: &Database, bucket: &str, now: i64, window: i64) -> DbResult<i64> {
    let hit = Hit {
        bucket: bucket.to_string(),
        now,
        window,
    };
    let hit = match db.count_line() {
        Some(line) => match line.0.take_turn(hit).await {
            Ok(counted) => return counted,
            Err(hit) => hit,
        },
        None => hit,
    };
    count_alone(db, hit.bucket, now, window).await
}

/// One turn: the hits of one moment and window counted by one statement.
async fn count_turn(db: Database, waiting: Vec<(Hit, Reply<i64>)>) {
    let moments = grouped(
        waiting
            .into_iter()
            .map(|(hit, reply)| ((hit.now, hit.window), (hit, reply))),
    );
    for ((now, window), hits) in moments {
        count_moment(&db, now, window, hits).await;
    }
}

async fn count_moment(db: &Database, now: i64, window: i64, waiting: Vec<(Hit, Reply<i64>)>) {
    let mut per_bucket: BTreeMap<String, i64> = BTreeMap::new();
    for (hit, _) in &waiting {
        *per_bucket.entry(hit.bucket.clone()).or_default() += 1;
    }
    match count_many(db, &per_bucket, now, window).await {
        Ok(totals) => {
            // The hits before this turn's: the total less this turn's.
            let mut seen: BTreeMap<String, i64> = totals
                .into_iter()
                .map(|(bucket, total)| {
                    let before = total - per_bucket.get(&bucket).copied().unwrap_or_default();
                    (bucket, before)
                })
                .collect();
            for (hit, reply) in waiting {
                let counted = seen.get_mut(&hit.bucket).map(|seen| {
                    *seen += 1;
                    *seen
                });
                let _ = reply.send(counted.ok_or(DbError::NotFound));
            }
        }
        // Out of reach: each hit is told at once; any other failure is
        // each hit's own, counted alone.
        Err(error) if error.is_unavailable() => {
            for (_, reply) in waiting {
                let _ = reply.send(Err(unavailable()));
            }
        }
        Err(_) => {
            for (hit, reply) in waiting {
                let _ = reply.send(count_alone(db, hit.bucket, now, window).await);
            }
        }
    }
}

async fn count_alone(db: &Database, bucket: String, now: i64, window: i64) -> DbResult<i64> {
    let hits = BTreeMap::from([(bucket, 1)]);
    let totals = count_many(db, &hits, now, window).await?;
    totals.into_values().next().ok_or(DbError::NotFound)
}

/// Counts `hits` (how many to each bucket, sorted, so that statements
/// from several app servers take the rows' locks in one order) at `now`;
/// returns each bucket's hits in its current window.
async fn count_many(
    db: &Database,
    hits: &BTreeMap<String, i64>,
    now: i64,
    window: i64,
) -> DbResult<BTreeMap<String, i64>> {
    let statement = count_statement(hits.len());
    let mut query = sqlx::query(&statement).bind(now).bind(now - window);
    for (bucket, count) in hits {
        query = query.bind(bucket.as_str()).bind(*count);
    }
    let rows = query.fetch_all(db.writer()).await?;
    rows.iter()
        .map(|row| Ok((row.try_get("bucket")?, row.try_get("hits")?)))
        .collect()
}

/// The statement that counts hits to `buckets` buckets: a bucket's window
/// starts again at `$1` once it began at `$2` or before.
fn count_statement(buckets: usize) -> String {
    let rows: Vec<String> = (0..buckets)
        .map(|i| format!("(${}, $1, ${})", 3 + 2 * i, 4 + 2 * i))
        .collect();
    format!(
        "INSERT INTO rate_counts (bucket, window_start, hits) VALUES {} \
         ON CONFLICT (bucket) DO UPDATE SET \
         hits = CASE WHEN rate_counts.window_start <= $2 THEN excluded.hits \
         ELSE rate_counts.hits + excluded.hits END, \
         window_start = CASE WHEN rate_counts.window_start <= $2 THEN $1 \
         ELSE rate_counts.window_start END \
         RETURNING bucket, hits",
        rows.join(", ")
    )
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
