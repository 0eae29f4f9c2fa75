//! Writing the feed alone, no database: Yighin's writer beside two
//! well-known libraries writing the same events (Node's `ical-generator`,
//! Python's `icalendar`), each timed in its own process by its own clock.

use app::db::events::EventRow;
use app::i18n::Lang;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// The median time, in ms, of writing the feed of `rows` `runs` times.
pub(crate) fn ours(rows: &[EventRow], base_url: &str, zone: chrono_tz::Tz, runs: usize) -> f64 {
    let now = app::services::now();
    let mut times: Vec<f64> = (0..runs.max(1))
        .map(|_| {
            let rows = rows.to_vec();
            let started = Instant::now();
            let feed = app::services::calendar::public_feed_text(
                base_url,
                "Bench",
                rows,
                Lang::En,
                zone,
                now,
            );
            let elapsed = started.elapsed().as_secs_f64() * 1000.0;
            std::hint::black_box(feed);
            elapsed
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

/// The same events for the other writers: what each event's entry says.
pub(crate) fn export(rows: &[EventRow], base_url: &str, path: &Path) -> std::io::Result<()> {
    let now = app::services::now();
    let events: Vec<serde_json::Value> = rows
        .iter()
        .map(|row| {
            let place = [&row.venue_name, &row.venue_address, &row.city]
                .into_iter()
                .filter(|part| !part.is_empty())
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join(", ");
            serde_json::json!({
                "uid": format!("{}@bench", row.slug),
                "sequence": row.sequence,
                "stamp": now,
                "last_modified": row.updated_at,
                "start": row.starts_at,
                "end": row.ends_at,
                "tz": row.time_zone,
                "summary": row.text.title,
                "description": format!("{}\n\n{}", row.text.summary, row.text.description),
                "location": place,
                "url": format!("{base_url}/events/{}", row.slug),
                "status": if row.status == app::domain::EventStatus::Cancelled { "CANCELLED" } else { "CONFIRMED" },
                "kind": row.kind.as_str(),
            })
        })
        .collect();
    let feed = serde_json::json!({ "name": "Bench", "events": events });
    std::fs::write(path, feed.to_string())
}

/// Runs another writer (`program` with its script) on the exported events;
/// it prints its median time in ms.
pub(crate) fn theirs(
    program: &Path,
    script: &Path,
    events: &Path,
    runs: usize,
) -> Result<f64, String> {
    let out = Command::new(program)
        .arg(script)
        .arg(events)
        .arg(runs.to_string())
        .output()
        .map_err(|e| format!("cannot start {}: {e}", program.display()))?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).trim().to_string());
    }
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .map_err(|e| format!("{}: {e}", script.display()))
}
