//! The benchmark: seeds a database, starts the server binary, measures it
//! over loopback with concurrent clients, prints one table and the budgets.
//!
//! `scripts/bench.sh` runs it against a release build; the test command
//! runs it at `--tiny` size only to prove it works (no test asserts a time).

mod feed_writing;
mod lighthouse;
mod load;
mod phone;
mod poster;
mod report;
mod seed;
mod server;

use load::load;
use report::{budget, budgeted, print_table, row, stats_row};
use seed::seed;
use server::{free_port, memory_kib, total_memory_gib, Server};

use app::db::events::{self};
use app::db::{rsvps, Database};
use app::i18n::Lang;
use clap::Parser;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Parser, Debug)]
#[command(about = "Measures Yighin and checks the performance budgets")]
struct Args {
    /// The server binary to measure.
    #[arg(long, default_value = "target/release/yighin")]
    server: PathBuf,
    /// A PostgreSQL database to use (it must be empty); default: a new SQLite file.
    #[arg(long, env = "DATABASE_URL")]
    database_url: Option<String>,
    /// A small run that only proves the benchmark works.
    #[arg(long)]
    tiny: bool,
    /// The installed benchmark tools (`bench/tools`): when given, Lighthouse
    /// scores the pages a member opens, and other libraries write the feed.
    #[arg(long)]
    tools: Option<PathBuf>,
}

/// The admin the benchmark signs in as.
const ADMIN: &str = "bench-admin";
const ADMIN_PASSWORD: &str = "bench admin passphrase";

/// The sizes of one run.
pub(crate) struct Sizes {
    events: usize,
    feed_events: usize,
    answers: usize,
    clients: usize,
    capacity: i64,
    requests: usize,
    concurrency: usize,
}

const FULL: Sizes = Sizes {
    events: 10_000,
    feed_events: 1_000,
    answers: 10_000,
    clients: 200,
    capacity: 1_000,
    requests: 2_000,
    concurrency: 32,
};

const TINY: Sizes = Sizes {
    events: 300,
    feed_events: 50,
    answers: 300,
    clients: 20,
    capacity: 30,
    requests: 60,
    concurrency: 4,
};

/// A load on one address: its name, URL, the `If-None-Match` to send and
/// which status counts as success.
type Phase = (&'static str, String, Option<String>, fn(u16) -> bool);

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let sizes = if args.tiny { TINY } else { FULL };
    let dir = tempfile::tempdir()?;
    let database_url = args
        .database_url
        .clone()
        .unwrap_or_else(|| format!("sqlite://{}", dir.path().join("bench.db").display()));
    let backend = if database_url.starts_with("sqlite:") {
        "SQLite"
    } else {
        "PostgreSQL"
    };
    eprintln!("seeding {} events on {backend}…", sizes.events + 1);
    let db = Database::connect(&database_url).await?;
    db.migrate().await?;
    if events::count(&db).await? > 0 {
        return Err("the database must be empty".into());
    }
    let seeding = Instant::now();
    seed(&db, &sizes).await?;
    let seeded = seeding.elapsed();

    // An admin, as a volunteer makes the first one, to read the answers.
    let mut create_admin = Command::new(&args.server)
        .env("DATABASE_URL", &database_url)
        .env("YIGHIN_DEMO", "false")
        .env("RUST_LOG", "warn")
        .args(["create-admin", ADMIN])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", args.server.display()))?;
    {
        use std::io::Write;
        let mut stdin = create_admin.stdin.take().ok_or("create-admin's input")?;
        writeln!(stdin, "{ADMIN_PASSWORD}")?;
    }
    if !create_admin.wait()?.success() {
        return Err("create-admin failed".into());
    }

    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let child = Command::new(&args.server)
        .env("DATABASE_URL", &database_url)
        .env("YIGHIN_LISTEN", format!("127.0.0.1:{port}"))
        .env("YIGHIN_BASE_URL", &base)
        .env("YIGHIN_DEMO", "false")
        .env("YIGHIN_BENCH_ROUTES", "true")
        .env("YIGHIN_CLIENT_IP_HEADER", "x-forwarded-for")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", args.server.display()))?;
    let server = Server(child);
    let pid = server.0.id();
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(256)
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let mut up = false;
    for _ in 0..200 {
        if http
            .get(format!("{base}/healthz"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            up = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    if !up {
        return Err("the server did not start".into());
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let rest_kib = memory_kib(pid);
    let mut rows = vec![
        row(
            "machine",
            format!(
                "{} cores, {} GiB",
                std::thread::available_parallelism().map_or(0, |n| n.get()),
                total_memory_gib()
            ),
        ),
        row(
            "database",
            format!(
                "{backend}; {} events stored (seeded in {:.1} s)",
                sizes.events + 1,
                seeded.as_secs_f64()
            ),
        ),
        row(
            "server memory at rest",
            format!("{:.1} MB", rest_kib as f64 / 1024.0),
        ),
    ];

    // The event list: the framework, then the same query by hand.
    let client = |i: usize| format!("10.{}.{}.{}", (i >> 16) & 255, (i >> 8) & 255, i & 255);
    let ok200 = |s: u16| s == 200;
    // What was served, to compare with the same bytes from memory: what,
    // address, rate, and the share of the memory rate it should reach.
    let mut served: Vec<(&str, String, f64, f64)> = Vec::new();
    let event_page = format!("/events/event-{}", sizes.events - 1);
    for (what, path) in [
        ("event list page (Leptos SSR)", "/"),
        ("event list, plain string template", "/bench/plain-list"),
        ("an event page (Leptos SSR)", event_page.as_str()),
    ] {
        let url = format!("{base}{path}");
        // Rendered once before the clock starts, as the feed is built once
        // ("first build") before its warm load: a kept page is rendered
        // once for the many requests that follow.
        http.get(&url).send().await?.bytes().await?;
        let stats = {
            let (http, url) = (http.clone(), url.clone());
            load(
                sizes.requests,
                sizes.concurrency,
                Arc::new(move |i| http.get(&url).header("x-forwarded-for", client(i))),
                ok200,
            )
            .await
        };
        if path != "/bench/plain-list" {
            served.push((what, url, stats.per_second(), budget::PAGE_SHARE_OF_MEMORY));
        }
        let figure = stats_row(what, &stats);
        rows.push(if path == "/" {
            budgeted(
                what,
                figure,
                stats.percentile(0.99),
                budget::LIST_P99_MS,
                true,
            )
        } else {
            row(what, figure)
        });
    }

    // The feed of `feed_events` events: first build, warm, 304, static.
    let feed_url = format!("{base}/calendar.ics?kind=conference");
    let first = Instant::now();
    let answer = http.get(&feed_url).send().await?;
    let etag = answer
        .headers()
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let feed = answer.bytes().await?;
    let first_ms = first.elapsed().as_secs_f64() * 1000.0;
    let feed_count = feed.windows(12).filter(|w| w == b"BEGIN:VEVENT").count();
    rows.push(row(
        format!("feed of {feed_count} events, first build"),
        format!("{first_ms:.1} ms, {} KB", feed.len() / 1024),
    ));
    // The page's stylesheet: a site file, which the binary carries.
    let page_html = http
        .get(format!("{base}{event_page}"))
        .send()
        .await?
        .text()
        .await?;
    let stylesheet = phone::site_files(&page_html)
        .into_iter()
        .find(|path| path.ends_with(".css"))
        .ok_or("the event page names no stylesheet")?;
    let phases: [Phase; 3] = [
        ("feed, warm", feed_url.clone(), None, |s| s == 200),
        (
            "feed, 304 Not Modified",
            feed_url.clone(),
            Some(etag),
            |s| s == 304,
        ),
        (
            "a site file (the stylesheet)",
            format!("{base}{stylesheet}"),
            None,
            |s| s == 200,
        ),
    ];
    for (what, url, etag, ok) in phases {
        let share = match what {
            "feed, warm" => Some(budget::PAGE_SHARE_OF_MEMORY),
            "a site file (the stylesheet)" => Some(budget::STATIC_SHARE_OF_MEMORY),
            _ => None,
        };
        let stats = {
            let (http, url) = (http.clone(), url.clone());
            load(
                sizes.requests,
                sizes.concurrency,
                Arc::new(move |i| {
                    let request = http.get(&url).header("x-forwarded-for", client(i));
                    match &etag {
                        Some(etag) => request.header("if-none-match", etag),
                        None => request,
                    }
                }),
                ok,
            )
            .await
        };
        if let Some(share) = share {
            served.push((what, url, stats.per_second(), share));
        }
        let figure = stats_row(what, &stats);
        rows.push(match what {
            "feed, warm" => budgeted(
                what,
                figure,
                stats.percentile(0.99),
                budget::FEED_WARM_P99_MS,
                true,
            ),
            "feed, 304 Not Modified" => budgeted(
                what,
                figure,
                stats.percentile(0.99),
                budget::FEED_304_P99_MS,
                true,
            ),
            _ => row(what, figure),
        });
    }

    // Each against the same number of bytes served from memory by the same
    // server, through the same middleware: the most it could do.
    for (what, url, rate, share) in served {
        let size = http.get(&url).send().await?.bytes().await?.len();
        let memory_url = format!("{base}/bench/bytes?n={size}");
        let http = http.clone();
        let memory = load(
            sizes.requests,
            sizes.concurrency,
            Arc::new(move |i| http.get(&memory_url).header("x-forwarded-for", client(i))),
            ok200,
        )
        .await
        .per_second();
        rows.push(budgeted(
            &format!("{what}, against the same {size} bytes from memory"),
            format!("{rate:.0} vs {memory:.0} req/s: {:.2}", rate / memory),
            rate / memory,
            share,
            false,
        ));
    }

    // Writing that feed alone (no database, no HTTP), beside other writers.
    let filter = app::services::calendar::FeedFilter {
        kind: Some(app::domain::EventKind::Conference),
        ..Default::default()
    };
    let feed_rows = app::services::calendar::feed_rows(&db, &filter, Lang::En).await?;
    let runs = if args.tiny { 3 } else { 20 };
    let zone = chrono_tz::America::Toronto;
    let ours = feed_writing::ours(&feed_rows, &base, zone, runs);
    let what = format!(
        "feed of {} events written alone (no database)",
        feed_rows.len()
    );
    let mut others = Vec::new();
    if let Some(tools) = &args.tools {
        let events = dir.path().join("feed-events.json");
        feed_writing::export(&feed_rows, &base, &events)?;
        let writers = [
            (
                "Node's ical-generator",
                PathBuf::from("node"),
                tools.join("feed.mjs"),
            ),
            (
                "Python's icalendar",
                tools.join(".venv/bin/python"),
                tools.join("feed.py"),
            ),
        ];
        for (name, program, script) in writers {
            eprintln!("writing the feed with {name}…");
            match feed_writing::theirs(&program, &script, &events, runs) {
                Ok(ms) => others.push((name, ms)),
                Err(error) => rows.push(row(
                    format!("the same by {name}"),
                    format!("failed: {error}"),
                )),
            }
        }
    }
    match others.iter().map(|(_, ms)| *ms).reduce(f64::min) {
        Some(fastest) => rows.push(budgeted(
            &what,
            format!(
                "{ours:.2} ms (median of {runs}); {}",
                others
                    .iter()
                    .map(|(name, ms)| format!("{name} {ms:.2} ms ({:.1}× ours)", ms / ours))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            ours,
            fastest,
            true,
        )),
        None => rows.push(row(what, format!("{ours:.2} ms (median of {runs})"))),
    }

    // The burst: every client answers "going", a few times each.
    let url = format!("{base}/events/bench-burst/rsvp");
    let clients = sizes.clients;
    let burst = {
        let http = http.clone();
        load(
            sizes.answers,
            clients,
            Arc::new(move |i| {
                http.post(&url)
                    .header("x-forwarded-for", client(i % clients))
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(format!("answer=going&guests=0&name=Member+{i}"))
            }),
            |s| s == 303,
        )
        .await
    };
    let event = events::by_slug(&db, "bench-burst", Lang::En)
        .await?
        .ok_or("the burst event")?;
    let counts = rsvps::counts(&db, event.id).await?;
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM rsvps")
        .fetch_one(&db.pool)
        .await?;
    let correct = counts.going == sizes.capacity
        && counts.waitlisted == sizes.answers as i64 - sizes.capacity
        && stored == sizes.answers as i64
        && burst.errors == 0;
    rows.push(budgeted(
        &format!(
            "RSVP burst: {} answers, {clients} clients, capacity {}",
            sizes.answers, sizes.capacity
        ),
        stats_row("answers", &burst),
        burst.per_second(),
        budget::BURST_PER_SECOND,
        false,
    ));
    rows.push(row(
        "burst correctness",
        format!(
            "{} going, {} waitlisted, {} stored, {} errors: {}",
            counts.going,
            counts.waitlisted,
            stored,
            burst.errors,
            if correct { "exact" } else { "WRONG" }
        ),
    ));

    // The organiser's answers screen of the burst event, names opened.
    let login = format!(
        "username={ADMIN}&password={}",
        ADMIN_PASSWORD.replace(' ', "+")
    );
    let signed_in = post_form(
        &http,
        &format!("{base}/organise/login"),
        "10.255.0.1",
        login,
    )
    .await?;
    let cookie = header_of(&signed_in, "set-cookie")
        .and_then(|v| v.split(';').next().map(str::to_string))
        .ok_or("no session cookie after signing in")?;
    // Its first page, then a search by name, which opens every answer.
    let screens = [
        ("organiser's answers screen", String::new()),
        (
            "organiser's answers screen, searched by name",
            format!("?q=Member+{}", sizes.answers - 1),
        ),
    ];
    for (what, query) in screens {
        let answers_url = format!("{base}/organise/events/bench-burst/rsvps{query}");
        let cookie = cookie.clone();
        let answers_list = {
            let http = http.clone();
            load(
                (sizes.requests / 40).max(4),
                4,
                Arc::new(move |_| http.get(&answers_url).header("cookie", &cookie)),
                ok200,
            )
            .await
        };
        rows.push(row(
            format!("{what}, {} answers", sizes.answers),
            stats_row("organiser screen", &answers_list),
        ));
    }

    // A phone's photo made into the event page's poster (the pages
    // Lighthouse audits below then carry it), that page asked for
    // meanwhile.
    let photo = poster::twelve_megapixel_photo();
    let event_slug = event_page.trim_start_matches("/events/");
    let mut uploads = Vec::new();
    for _ in 0..if args.tiny { 1 } else { 3 } {
        uploads.push(poster::upload(&http, &base, &cookie, event_slug, &event_page, &photo).await?);
    }
    uploads.sort_by_key(|u| u.took);
    let median = &uploads[uploads.len() / 2];
    rows.push(row(
        "a 12-megapixel photo (4000 × 3000) made into a poster",
        format!(
            "{:.2} s, median of {} uploads of a {:.1} MB JPEG (8 files made); the event page \
             meanwhile: {} requests, the slowest {:.0} ms",
            median.took.as_secs_f64(),
            uploads.len(),
            median.photo_bytes as f64 / 1024.0 / 1024.0,
            median.pages,
            median.slowest_page.as_secs_f64() * 1000.0
        ),
    ));

    // The database's own durable single-row insert rate, for scale.
    sqlx::query("CREATE TABLE bench_raw (id BIGINT PRIMARY KEY, note TEXT NOT NULL)")
        .execute(&db.pool)
        .await?;
    let raw_rows = sizes.answers.min(2_000);
    let started = Instant::now();
    for i in 0..raw_rows {
        sqlx::query("INSERT INTO bench_raw (id, note) VALUES ($1, $2)")
            .bind(i as i64)
            .bind("x")
            .execute(&db.pool)
            .await?;
    }
    let raw_rate = raw_rows as f64 / started.elapsed().as_secs_f64();
    sqlx::query("DROP TABLE bench_raw")
        .execute(&db.pool)
        .await?;
    rows.push(row(
        "raw durable single-row inserts, one client",
        format!("{raw_rate:.0} rows/s"),
    ));
    rows.push(budgeted(
        "RSVP burst, against the raw insert rate",
        format!(
            "{:.0} vs {raw_rate:.0} per second: {:.2}",
            burst.per_second(),
            burst.per_second() / raw_rate
        ),
        burst.per_second() / raw_rate,
        budget::BURST_SHARE_OF_RAW_INSERTS,
        false,
    ));

    let end_kib = memory_kib(pid);
    rows.push(budgeted(
        "server memory at the end of the load",
        format!("{:.1} MB", end_kib as f64 / 1024.0),
        end_kib as f64 / 1024.0,
        budget::MEMORY_MB,
        true,
    ));

    // What a phone downloads on a first visit to an event page, as sent.
    let visit = phone::first_visit(&http, &base, &event_page).await?;
    rows.push(budgeted(
        &format!("wasm as sent ({})", visit.wasm_encoding),
        format!("{:.1} KB", visit.wasm as f64 / 1024.0),
        visit.wasm as f64 / 1024.0,
        budget::WASM_SENT_KB,
        true,
    ));
    rows.push(budgeted(
        "first visit to an event page, all as sent",
        format!(
            "{:.1} KB ({})",
            visit.total as f64 / 1024.0,
            visit
                .parts
                .iter()
                .map(|(what, bytes)| format!("{what} {bytes}"))
                .collect::<Vec<_>>()
                .join(" + ")
        ),
        visit.total as f64 / 1024.0,
        budget::FIRST_VISIT_KB,
        true,
    ));

    if let Some(tools) = &args.tools {
        let lighthouse = tools.join("node_modules/.bin/lighthouse");
        // A member's private page: the address an answer leads to.
        let answer = "answer=going&guests=0&name=Lighthouse".to_string();
        let rsvp = format!("{base}{event_page}/rsvp");
        let answered = post_form(&http, &rsvp, "10.254.0.1", answer).await?;
        let private = header_of(&answered, "location").ok_or("no private link after answering")?;
        let pages = [
            ("the list", "/".to_string()),
            ("an event page", event_page.clone()),
            (
                "the list in Uyghur (Arabic script)",
                "/?lang=ug-Arab".to_string(),
            ),
            ("a private RSVP page", private),
        ];
        for (what, path) in pages {
            eprintln!("Lighthouse: {what}…");
            let found = lighthouse::audit(&lighthouse, &format!("{base}{path}"));
            rows.push(match found {
                Ok(s) => budgeted(
                    &format!("Lighthouse mobile, {what}"),
                    format!(
                        "performance {:.2}, accessibility {:.2}, best practices {:.2}, SEO {:.2}; \
                         LCP {:.1} s, CLS {:.3}, {:.1} KB",
                        s.performance,
                        s.accessibility,
                        s.best_practices,
                        s.seo,
                        s.lcp_ms / 1000.0,
                        s.cls,
                        s.bytes / 1024.0
                    ),
                    s.performance,
                    budget::LIGHTHOUSE_PERFORMANCE,
                    false,
                ),
                Err(error) => row(
                    format!("Lighthouse mobile, {what}"),
                    format!("failed: {error}"),
                ),
            });
        }
    }
    drop(server);

    print_table(&rows, args.tiny);
    if !correct {
        return Err("the RSVP burst lost or misplaced answers".into());
    }
    Ok(())
}

/// A form posted as a browser posts it, from the client `client`.
async fn post_form(
    http: &reqwest::Client,
    url: &str,
    client: &str,
    body: String,
) -> Result<reqwest::Response, reqwest::Error> {
    http.post(url)
        .header("x-forwarded-for", client)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
}

/// A response header's text.
fn header_of(response: &reqwest::Response, name: &str) -> Option<String> {
    let value = response.headers().get(name)?.to_str().ok()?;
    Some(value.to_string())
}
