//! The table the benchmark prints: figures beside their budgets.

use crate::load::Stats;

/// One line of the table, and a budget if there is one.
pub(crate) struct Row {
    what: String,
    figure: String,
    budget: Option<(f64, f64, bool)>,
}

pub(crate) fn row(what: impl Into<String>, figure: impl Into<String>) -> Row {
    Row {
        what: what.into(),
        figure: figure.into(),
        budget: None,
    }
}

/// A figure with a budget: `lower_is_better` for times and sizes.
pub(crate) fn budgeted(
    what: &str,
    figure: String,
    value: f64,
    limit: f64,
    lower_is_better: bool,
) -> Row {
    Row {
        what: what.into(),
        figure,
        budget: Some((value, limit, lower_is_better)),
    }
}

/// The budgets, in one place (the design names what is measured; these are
/// the figures we hold ourselves to on a 2-core machine).
pub(crate) mod budget {
    /// Event list page, p99 at 32 concurrent clients, in ms.
    pub const LIST_P99_MS: f64 = 250.0;
    /// A feed answered `304`, p99, in ms.
    pub const FEED_304_P99_MS: f64 = 25.0;
    /// The full feed when warm, p99, in ms.
    pub const FEED_WARM_P99_MS: f64 = 100.0;
    /// Answers stored per second in the burst.
    pub const BURST_PER_SECOND: f64 = 150.0;
    /// The wasm as a browser that accepts brotli receives it, in KB.
    pub const WASM_SENT_KB: f64 = 100.0;
    /// A first visit to an event page (HTML, CSS, JS, wasm) as sent, in KB.
    pub const FIRST_VISIT_KB: f64 = 150.0;
    /// A page or feed's rate as a share of the same bytes from memory.
    pub const PAGE_SHARE_OF_MEMORY: f64 = 1.0 / 3.0;
    /// A static file's rate as a share of the same bytes from memory.
    pub const STATIC_SHARE_OF_MEMORY: f64 = 0.5;
    /// The RSVP burst, against the database's own durable single-row
    /// insert rate.
    pub const BURST_SHARE_OF_RAW_INSERTS: f64 = 0.5;
    /// Lighthouse's mobile performance score, at least.
    pub const LIGHTHOUSE_PERFORMANCE: f64 = 0.98;
    /// Server memory at the end of the load, in MB.
    pub const MEMORY_MB: f64 = 256.0;
}

pub(crate) fn stats_row(what: &str, stats: &Stats) -> String {
    format!(
        "{:.0} req/s, median {:.1} ms, p99 {:.1} ms{}",
        stats.per_second(),
        stats.percentile(0.5),
        stats.percentile(0.99),
        if stats.errors > 0 {
            format!(", {} ERRORS", stats.errors)
        } else {
            String::new()
        }
    )
    .replace(
        "req/s",
        if what.contains("answers") {
            "answers/s"
        } else {
            "req/s"
        },
    )
}

pub(crate) fn print_table(rows: &[Row], tiny: bool) {
    println!("| what | figure | budget |");
    println!("|---|---|---|");
    for row in rows {
        let budget = match row.budget {
            None => String::new(),
            Some((value, limit, lower)) => {
                let met = if lower {
                    value <= limit
                } else {
                    value >= limit
                };
                let ratio = if lower {
                    value / limit
                } else {
                    limit / value.max(f64::MIN_POSITIVE)
                };
                let verdict = match (tiny, met) {
                    (true, _) => "not judged at tiny size".to_string(),
                    (false, true) => format!("met ({:.2} of budget)", ratio),
                    (false, false) => format!("MISSED ({:.2}× the budget)", ratio),
                };
                let sign = if lower { "≤" } else { "≥" };
                format!("{sign} {}: {verdict}", (limit * 100.0).round() / 100.0)
            }
        };
        println!("| {} | {} | {} |", row.what, row.figure, budget);
    }
}
