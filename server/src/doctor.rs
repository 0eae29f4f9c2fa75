//! `yighin doctor`: the configuration and the machine checked, each
//! finding said in plain words for the volunteer admin who runs it. A
//! problem (exit status 1) is something that breaks a promise to members
//! or will stop the server; a warning is worth a look.

use crate::config::Config;
use app::db::{Backend, Database};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Ok,
    Warning,
    Problem,
}

#[derive(Clone, Debug)]
pub struct Finding {
    pub severity: Severity,
    pub words: String,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let label = match self.severity {
            Severity::Ok => "ok",
            Severity::Warning => "warning",
            Severity::Problem => "PROBLEM",
        };
        write!(f, "{label:>8}  {}", self.words)
    }
}

/// Free space below which the data folder is a problem, and a warning.
const DISK_PROBLEM_BYTES: u64 = 200 * 1024 * 1024;
const DISK_WARNING_BYTES: u64 = 2 * 1024 * 1024 * 1024;

struct Findings(Vec<Finding>);

impl Findings {
    fn say(&mut self, severity: Severity, words: impl Into<String>) {
        self.0.push(Finding {
            severity,
            words: words.into(),
        });
    }
}

/// Whether `url` names this machine itself.
fn is_loopback_host(url: &str) -> bool {
    use url::Host;
    match url::Url::parse(url).ok().as_ref().and_then(url::Url::host) {
        Some(Host::Domain(name)) => name == "localhost",
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// Every check, in the order an admin would fix them.
pub async fn examine(config: &Config, now: i64) -> Vec<Finding> {
    let mut found = Findings(Vec::new());
    addresses(config, &mut found);
    secrets(config, &mut found);
    mail(config, &mut found).await;
    if let Some(file) = crate::backups::database_file(config).filter(|f| !f.exists()) {
        retention(config.retention_days, &mut found);
        found.say(
            Severity::Warning,
            format!(
                "no database at {} yet: the first start makes it",
                file.display()
            ),
        );
        return found.0;
    }
    let db = match Database::connect(&config.database_url).await {
        Ok(db) => db,
        Err(error) => {
            found.say(
                Severity::Problem,
                format!("the database cannot be reached: {error}"),
            );
            return found.0;
        }
    };
    let days = match crate::command_site(config, db.clone()).await {
        Ok(site) => site.settings().retention_days,
        Err(_) => config.retention_days,
    };
    retention(days, &mut found);
    database(config, &db, now, &mut found).await;
    db.close().await;
    storage(config, &mut found);
    site_files(config, &mut found);
    found.0
}

fn addresses(config: &Config, found: &mut Findings) {
    let https = config.base_url.starts_with("https://");
    let local_base = is_loopback_host(&config.base_url);
    let local_port = config.listen.ip().is_loopback();
    match (https, local_base) {
        (true, _) => found.say(
            Severity::Ok,
            format!("members reach {} over https", config.base_url),
        ),
        (false, true) => found.say(
            Severity::Warning,
            format!(
                "the base URL {} is this machine's own: fine for trying Yighin, but members' \
                 links would point nowhere (set YIGHIN_BASE_URL to the https address)",
                config.base_url
            ),
        ),
        (false, false) => found.say(
            Severity::Problem,
            format!(
                "the base URL {} is not https: private links, sign-ins and cookies would cross \
                 the network readable by anyone on the way",
                config.base_url
            ),
        ),
    }
    match (&config.client_ip_header, local_port) {
        (Some(header), false) => found.say(
            Severity::Problem,
            format!(
                "YIGHIN_CLIENT_IP_HEADER ({header}) is trusted, but the server listens on {}, \
                 reachable without the proxy: anyone could name their own address and escape \
                 the limits (listen on 127.0.0.1)",
                config.listen
            ),
        ),
        (None, true) if https => found.say(
            Severity::Problem,
            "behind a proxy (https, listening on this machine only) without \
             YIGHIN_CLIENT_IP_HEADER: every member would count as the proxy, and a few dozen \
             answers would use up everyone's limit (set it to X-Forwarded-For)",
        ),
        (Some(header), true) => found.say(
            Severity::Ok,
            format!("the proxy names clients in {header}; the port is this machine's only"),
        ),
        _ => {}
    }
    onion(config, found);
}

fn onion(config: &Config, found: &mut Findings) {
    let Some(onion) = &config.onion_url else {
        return;
    };
    if !config.onion_listen.ip().is_loopback() {
        found.say(
            Severity::Problem,
            format!(
                "the onion service's listener {} is reachable from the network: anyone could \
                 reach it around Tor (listen on 127.0.0.1, where the Tor daemon connects)",
                config.onion_listen
            ),
        );
    } else if config.onion_listen == config.listen {
        found.say(
            Severity::Problem,
            "YIGHIN_ONION_LISTEN is YIGHIN_LISTEN: the onion service needs a port of its own",
        );
    } else {
        found.say(
            Severity::Ok,
            format!(
                "the onion service {onion} arrives at {} (Tor's HiddenServicePort target); \
                 pages on the public address name it in Onion-Location",
                config.onion_listen
            ),
        );
    }
}

/// The mail server, tried as far as signing in (nothing is sent).
async fn mail(config: &Config, found: &mut Findings) {
    let mailer = match config.mailer() {
        Ok(Some(mailer)) => mailer,
        Ok(None) => {
            return found.say(
                Severity::Ok,
                "no mail server is set (YIGHIN_SMTP_URL): Yighin sends no email",
            )
        }
        Err(words) => return found.say(Severity::Problem, words),
    };
    match (mailer.check().await, mailer.route()) {
        (Ok(steps), crate::mail::MailRoute::Folder(_)) => found.say(
            Severity::Warning,
            format!(
                "{}: fine for trying Yighin, but no one receives them",
                steps.join("; ")
            ),
        ),
        (Ok(steps), crate::mail::MailRoute::Smtp(_)) => found.say(
            Severity::Ok,
            format!(
                "the mail server works as far as signing in: {} (`yighin mail-test ADDRESS` \
                 sends a message)",
                steps.join("; ")
            ),
        ),
        (Err(error), _) => found.say(Severity::Problem, error.to_string()),
    }
}

fn secrets(config: &Config, found: &mut Findings) {
    match config.client_key() {
        Ok(Some(_)) => found.say(Severity::Ok, "the client key file is read"),
        Ok(None) => found.say(
            Severity::Warning,
            "no YIGHIN_CLIENT_KEY_FILE: each start makes a new key, so limits start again \
             after a restart, and several app servers do not add their counts up",
        ),
        Err(error) => found.say(Severity::Problem, error),
    }
    if let Some(recipient) = &config.backup_to {
        if let Err(error) = crate::backups::check_recipient(recipient) {
            found.say(Severity::Problem, error.to_string());
        }
    }
}

/// The retention period in force: the one set on the settings page, else
/// the configuration's.
fn retention(days: i64, found: &mut Findings) {
    match days {
        0 => found.say(
            Severity::Warning,
            "the retention period is 0 days: names and contacts go as soon as an event \
             ends, before an organiser can follow up",
        ),
        days if days > 365 => found.say(
            Severity::Warning,
            format!("names and contacts are kept {days} days after each event: more than a year"),
        ),
        days => found.say(
            Severity::Ok,
            format!("names and contacts are deleted {days} days after each event"),
        ),
    }
}

async fn database(config: &Config, db: &Database, now: i64, found: &mut Findings) {
    match db.schema().await {
        Ok(schema) if schema.stored > schema.known => found.say(
            Severity::Problem,
            format!(
                "the database's schema ({}) is newer than this build knows ({}): run the newer \
                 build that migrated it",
                schema.stored, schema.known
            ),
        ),
        Ok(schema) if schema.stored < schema.known => found.say(
            Severity::Warning,
            format!(
                "migrations are pending (schema {} → {}): the next start applies them{}",
                schema.stored,
                schema.known,
                if db.backend == Backend::Sqlite {
                    ", after taking a copy"
                } else {
                    "; take a pg_dump first"
                }
            ),
        ),
        Ok(schema) => found.say(
            Severity::Ok,
            format!(
                "the database answers; its schema ({}) is this build's",
                schema.stored
            ),
        ),
        Err(error) => found.say(Severity::Problem, format!("the database: {error}")),
    }
    // A clock behind the database's own latest change dates answers and
    // purges wrong.
    let latest: Result<Option<i64>, _> = sqlx::query_scalar("SELECT MAX(updated_at) FROM events")
        .fetch_one(&db.pool)
        .await;
    if let Ok(Some(latest)) = latest {
        if latest > now + 300 {
            found.say(
                Severity::Problem,
                format!(
                    "this machine's clock is {} minutes behind the last change stored: \
                     answers, deadlines and the purge go by it (set the time, e.g. with \
                     systemd-timesyncd)",
                    (latest - now) / 60
                ),
            );
        } else {
            found.say(Severity::Ok, "the clock is not behind the database");
        }
    }
    if config.backup_every_hours == 0 && db.backend == Backend::Sqlite {
        found.say(
            Severity::Warning,
            "no scheduled copies of the database (YIGHIN_BACKUP_EVERY_HOURS=24 takes one a day)",
        );
    }
}

fn site_files(config: &Config, found: &mut Findings) {
    use crate::site_files::{SiteFiles, SiteSource};
    let source = config.site_source();
    let files = SiteFiles::load(&source);
    let from = match &source {
        SiteSource::Carried => "carried by the binary".to_string(),
        SiteSource::Folder(folder) => format!("read from {}", folder.display()),
    };
    match crate::site_files::check(&crate::leptos_options(config), &files) {
        Err(error) => found.say(Severity::Problem, error),
        Ok(()) if files.is_empty() => found.say(
            Severity::Problem,
            format!("no site files ({from}): pages would come without their stylesheet and script"),
        ),
        Ok(()) => found.say(Severity::Ok, format!("the site's files are {from}")),
    }
}

fn storage(config: &Config, found: &mut Findings) {
    let Some(file) = crate::backups::database_file(config) else {
        return;
    };
    let folder = file
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    for (what, path) in [("folder", folder), ("database", file.as_path())] {
        if let Ok(meta) = std::fs::metadata(path) {
            let mode = meta.permissions().mode() & 0o777;
            if mode & 0o077 != 0 {
                found.say(
                    Severity::Problem,
                    format!(
                        "the {what} {} can be read by other users of this machine \
                         (mode {mode:o}; chmod {} it)",
                        path.display(),
                        if what == "folder" { "700" } else { "600" }
                    ),
                );
            }
        }
    }
    if let Ok(stats) = rustix::fs::statvfs(folder) {
        let free = stats.f_bavail.saturating_mul(stats.f_frsize);
        let gib = free as f64 / (1024.0 * 1024.0 * 1024.0);
        if free < DISK_PROBLEM_BYTES {
            found.say(
                Severity::Problem,
                format!("{gib:.2} GiB free where the database is: writes will soon fail"),
            );
        } else if free < DISK_WARNING_BYTES {
            found.say(
                Severity::Warning,
                format!("{gib:.1} GiB free where the database is"),
            );
        } else {
            found.say(
                Severity::Ok,
                format!("{gib:.1} GiB free where the database is"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_loopback_host;

    #[test]
    fn this_machine_is_named_by_loopback_addresses_only() {
        for url in [
            "http://127.0.0.1:3000",
            "http://localhost",
            "http://[::1]:3000/x",
        ] {
            assert!(is_loopback_host(url), "{url}");
        }
        for url in ["https://events.example.org", "http://10.0.0.1", "not a url"] {
            assert!(!is_loopback_host(url), "{url}");
        }
    }
}
