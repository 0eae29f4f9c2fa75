//! Configuration from the command line and the environment.

use app::i18n::Lang;
use clap::{Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "yighin",
    version,
    about = "Events, RSVPs and calendar feeds for a community"
)]
pub struct Cli {
    #[command(flatten)]
    pub config: Config,
    #[command(subcommand)]
    pub command: Option<Command>,
}

impl Cli {
    /// The command line of this process; `--version` names the build and
    /// the database schema it migrates to.
    pub fn from_command_line() -> Cli {
        use clap::{CommandFactory, FromArgMatches};
        let version = format!(
            "{} (database schema {})",
            app::db::VERSION,
            app::db::known_schema(app::db::Backend::Sqlite)
        );
        // Once per process: the command line keeps it for its lifetime.
        let version: &'static str = Box::leak(version.into_boxed_str());
        let matches = Cli::command().version(version).get_matches();
        Cli::from_arg_matches(&matches).unwrap_or_else(|error| error.exit())
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Migrate the database and serve (the default).
    Serve,
    /// Create or migrate the database, then exit.
    Migrate,
    /// Load the demo events if no event is stored yet, then exit.
    Demo,
    /// Delete the names, contacts and notes of answers to events that ended
    /// more than the retention period ago, then exit. (The server also does
    /// this every hour.)
    Purge,
    /// Create an admin account (the first one, to begin with), then exit.
    /// The password is read from standard input. The first admin is shown
    /// the organisation's recovery key; a later one needs that recovery key
    /// (read next from standard input), or an existing admin's password
    /// with `--with-admin`.
    CreateAdmin {
        /// The admin's username (lower-case letters, digits, `.`, `_`, `-`).
        username: String,
        /// The name shown to other organisers (default: the username).
        #[arg(long)]
        display_name: Option<String>,
        /// Unlock the organisation's key with this existing admin's
        /// password (read from standard input) instead of the recovery key.
        #[arg(long)]
        with_admin: Option<String>,
    },
    /// Check the configuration, the database and this machine, and say
    /// in plain words what is wrong; exit status 1 on a problem.
    Doctor,
    /// Take a consistent copy of a SQLite database while the server runs
    /// (into the backup folder, or DIR), delete the copies there older
    /// than the retention period, then exit.
    Backup {
        /// Where the copy goes (default: the backup folder).
        dir: Option<PathBuf>,
    },
    /// Put a copy taken by `backup` in place of the database, which must
    /// not exist (stop the server, move a damaged file away), then exit.
    /// The next start migrates an older copy.
    Restore {
        /// The copy (`yighin-….db`, or `.db.age` when encrypted).
        file: PathBuf,
        /// The `age` identity file that opens an encrypted copy.
        #[arg(long)]
        identity: Option<PathBuf>,
    },
    /// Send one message to ADDRESS through the mail server set by
    /// `YIGHIN_SMTP_URL`, saying which step failed if one did (the name,
    /// the connection, TLS, the sign-in, the server's refusal); exit status
    /// 1 on a failure.
    MailTest {
        /// Where the message goes.
        #[arg(value_parser = crate::mail::parse_address)]
        address: lettre::Address,
    },
    /// Import the events of an iCalendar (.ics) file, then exit. Importing
    /// the same file again updates its events instead of adding them twice.
    Import {
        /// The file, as Google Calendar, Outlook or Apple Calendar export it.
        file: PathBuf,
        /// Kind of the events whose CATEGORIES name none of Yighin's.
        #[arg(long, default_value = "other", value_parser = parse_kind)]
        kind: app::domain::EventKind,
        /// Language the file's text is written in (default: the instance's).
        #[arg(long, value_parser = parse_lang)]
        lang: Option<Lang>,
    },
}

#[derive(Clone, Debug, clap::Args)]
pub struct Config {
    /// `sqlite://PATH` (created if missing) or `postgres://…`.
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
    pub database_url: String,
    /// Address and port to listen on.
    #[arg(long, env = "YIGHIN_LISTEN", default_value = "127.0.0.1:3000")]
    pub listen: SocketAddr,
    /// The address people reach this instance at, used in links and feeds.
    #[arg(long, env = "YIGHIN_BASE_URL", default_value = "http://127.0.0.1:3000")]
    pub base_url: String,
    /// The organisation's name, shown on every page.
    #[arg(long, env = "YIGHIN_NAME", default_value = "Yighin")]
    pub instance_name: String,
    /// IANA time zone of the organisation; times in other zones are labelled.
    #[arg(long, env = "YIGHIN_TIME_ZONE", default_value = "America/Toronto", value_parser = parse_zone)]
    pub time_zone: chrono_tz::Tz,
    /// Language for visitors whose browser asks for none we offer.
    #[arg(long, env = "YIGHIN_DEFAULT_LANG", default_value = "en", value_parser = parse_lang)]
    pub default_lang: Lang,
    /// Languages offered, comma-separated, in the order the switcher lists them.
    #[arg(long, env = "YIGHIN_LANGUAGES", default_value = "en,fr,ug-Latn,ug-Arab", value_delimiter = ',', value_parser = parse_lang)]
    pub languages: Vec<Lang>,
    /// Load demo events into an empty database at start-up. By default only
    /// into the default database (`./data/yighin.db`): a production
    /// database set by `DATABASE_URL` never gets demo events unless asked.
    #[arg(long, env = "YIGHIN_DEMO", action = clap::ArgAction::Set)]
    pub demo: Option<bool>,
    /// Behind a reverse proxy: the header in which it names the client's
    /// address (such as `X-Forwarded-For`), used only, hashed, to limit
    /// failed logins per client. Leave unset when clients connect directly.
    #[arg(long, env = "YIGHIN_CLIENT_IP_HEADER")]
    pub client_ip_header: Option<axum::http::HeaderName>,
    /// Days after an event that its answers' names, contacts and notes are
    /// deleted (the counts stay).
    #[arg(long, env = "YIGHIN_RETENTION_DAYS", default_value_t = 30, value_parser = clap::value_parser!(i64).range(0..=3650))]
    pub retention_days: i64,
    /// A file holding the key that hashes client addresses for the rate
    /// limits (at least 32 characters, such as `openssl rand -base64 32`),
    /// kept outside the database. Give every app server of one instance the
    /// same file so that their limits add up; without it each server makes
    /// a key of its own in memory at start-up, and nothing is written.
    #[arg(long, env = "YIGHIN_CLIENT_KEY_FILE")]
    pub client_key_file: Option<PathBuf>,
    /// Serve the benchmark's comparison routes (for `scripts/bench.sh` only).
    #[arg(long, env = "YIGHIN_BENCH_ROUTES", default_value_t = false, action = clap::ArgAction::Set)]
    pub bench_routes: bool,
    /// Where copies of a SQLite database go (default: `backups/` beside
    /// it): the copies taken before an upgrade, on a schedule and by
    /// `yighin backup`. Copies older than the retention period are deleted.
    #[arg(long, env = "YIGHIN_BACKUP_DIR")]
    pub backup_dir: Option<PathBuf>,
    /// Take a copy of a SQLite database every this many hours while
    /// serving (0: never).
    #[arg(long, env = "YIGHIN_BACKUP_EVERY_HOURS", default_value_t = 0)]
    pub backup_every_hours: u64,
    /// Encrypt the copies to this `age` public key (`age1…`), whose secret
    /// key is kept away from the server.
    #[arg(long, env = "YIGHIN_BACKUP_TO")]
    pub backup_to: Option<String>,
    /// The instance's onion address (`http://….onion`) when a Tor onion
    /// service leads to `YIGHIN_ONION_LISTEN`: pages on the public address
    /// name it (`Onion-Location`, which Tor Browser offers to switch to),
    /// and members who came over Tor get links to it.
    #[arg(long, env = "YIGHIN_ONION_URL", value_parser = parse_onion_url)]
    pub onion_url: Option<String>,
    /// Where the onion service's requests arrive (Tor's `HiddenServicePort`
    /// target), with `YIGHIN_ONION_URL`: a listener of its own, so that
    /// what comes through Tor is known by the socket it came to, never by a
    /// header a client could write.
    #[arg(long, env = "YIGHIN_ONION_LISTEN", default_value = "127.0.0.1:3080")]
    pub onion_listen: SocketAddr,
    /// Serve the built site (wasm, CSS, public files) from this folder
    /// rather than the copy the binary carries (or, in a binary that
    /// carries none, `target/site`).
    #[arg(long, env = "YIGHIN_SITE_ROOT")]
    pub site_root: Option<PathBuf>,
    /// The mail server that sends Yighin's messages, from the environment
    /// alone (`YIGHIN_SMTP_URL`; a flag would show its password to `ps`):
    /// `smtps://USER:PASSWORD@HOST:465` (TLS) or `smtp://USER:PASSWORD@HOST:587`
    /// (STARTTLS required; plain only to a loopback address), user and
    /// password percent-encoded; or `file:///FOLDER` to write `.eml` files
    /// instead of sending. Unset: no mail is sent. Read by
    /// [`Config::mailer`], whose errors never repeat it.
    #[arg(skip = crate::mail::SecretSetting::from_env("YIGHIN_SMTP_URL"))]
    pub smtp_url: Option<crate::mail::SecretSetting>,
    /// The sender of Yighin's messages (`Society <events@society.ca>`), an
    /// address the mail server may send from.
    #[arg(long, env = "YIGHIN_MAIL_FROM", value_parser = crate::mail::parse_sender)]
    pub mail_from: Option<lettre::message::Mailbox>,
    /// The key members' email addresses are encrypted under, from the
    /// environment alone (`YIGHIN_MAIL_KEY`, at least 32 characters, such
    /// as `openssl rand -base64 32`): the same on every app server of one
    /// instance. Unset: the key file is used instead.
    #[arg(skip = crate::mail::SecretSetting::from_env("YIGHIN_MAIL_KEY"))]
    pub mail_key: Option<crate::mail::SecretSetting>,
    /// The file holding the mail key when `YIGHIN_MAIL_KEY` is unset
    /// (default: `mail.key` beside a SQLite database), made (readable by
    /// its owner alone) on the first start that sends email. Never in the
    /// database or its copies: keep it apart from them.
    #[arg(long, env = "YIGHIN_MAIL_KEY_FILE")]
    pub mail_key_file: Option<PathBuf>,
    /// Emails the whole instance sends in an hour at most (the rest wait):
    /// a stolen organiser account cannot make it a spammer.
    #[arg(long, env = "YIGHIN_MAILS_PER_HOUR", default_value_t = 300, value_parser = clap::value_parser!(i64).range(1..=100_000))]
    pub mails_per_hour: i64,
    /// Seconds a sender's claim on an email lasts: if it dies while
    /// sending, the email is sent (by it restarted, or by another app
    /// server) once the claim has run out.
    #[arg(long, env = "YIGHIN_MAIL_LEASE_SECONDS", default_value_t = 120, value_parser = clap::value_parser!(i64).range(5..=3600))]
    pub mail_lease_seconds: i64,
}

fn parse_zone(s: &str) -> Result<chrono_tz::Tz, String> {
    app::time::parse_zone(s).ok_or_else(|| format!("unknown IANA time zone {s:?}"))
}

/// An onion service's address: `http://` or `https://`, then a version 3
/// onion name (56 base32 characters), nothing after the host.
fn parse_onion_url(s: &str) -> Result<String, String> {
    let url = s.trim_end_matches('/');
    let host = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))
        .and_then(|rest| rest.strip_suffix(".onion"))
        .ok_or_else(|| format!("{s:?} is not http://NAME.onion"))?;
    let name_ok = host.len() == 56
        && host
            .bytes()
            .all(|b| b.is_ascii_lowercase() || (b'2'..=b'7').contains(&b));
    if !name_ok {
        return Err(format!(
            "{s:?}: an onion name is the 56 letters and digits (a–z, 2–7) that Tor wrote \
             in the service's hostname file"
        ));
    }
    Ok(url.to_string())
}

fn parse_kind(s: &str) -> Result<app::domain::EventKind, String> {
    app::domain::EventKind::parse(s).ok_or_else(|| {
        let kinds: Vec<&str> = app::domain::EventKind::ALL
            .iter()
            .map(|k| k.as_str())
            .collect();
        format!("unknown kind {s:?} ({})", kinds.join(", "))
    })
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    Lang::from_tag(s)
        .ok_or_else(|| format!("unsupported language {s:?} (en, fr, ug-Latn, ug-Arab)"))
}

/// The database used when `DATABASE_URL` is not set.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/yighin.db";

impl Config {
    /// Where the site's files come from.
    pub fn site_source(&self) -> crate::site_files::SiteSource {
        use crate::site_files::{SiteSource, CARRIED};
        match &self.site_root {
            Some(folder) => SiteSource::Folder(folder.clone()),
            None if CARRIED => SiteSource::Carried,
            None => SiteSource::Folder(PathBuf::from("target/site")),
        }
    }

    /// Whether demo events are loaded into an empty database.
    pub fn loads_demo(&self) -> bool {
        self.demo
            .unwrap_or(self.database_url == DEFAULT_DATABASE_URL)
    }

    /// The operator's client key, from [`Config::client_key_file`].
    pub fn client_key(&self) -> Result<Option<String>, String> {
        let Some(path) = &self.client_key_file else {
            return Ok(None);
        };
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read the client key file {}: {e}", path.display()))?;
        let key = text.trim();
        if key.chars().count() < 32 {
            return Err(format!(
                "the client key file {} holds fewer than 32 characters",
                path.display()
            ));
        }
        Ok(Some(key.to_string()))
    }

    /// The mail path, when a mail server is set: without a sender it is an
    /// error, since no message could leave.
    pub fn mailer(&self) -> Result<Option<crate::mail::Mailer>, String> {
        match (&self.smtp_url, &self.mail_from) {
            (None, _) => Ok(None),
            (Some(_), None) => Err(
                "YIGHIN_SMTP_URL is set but YIGHIN_MAIL_FROM is not: messages need a sender \
                 address the mail server may send from"
                    .into(),
            ),
            (Some(url), Some(sender)) => {
                let route = crate::mail::parse_mail_route(url.expose())
                    .map_err(|problem| format!("YIGHIN_SMTP_URL: {problem}"))?;
                Ok(Some(crate::mail::Mailer::new(
                    route,
                    sender.clone(),
                    &self.base_url,
                )))
            }
        }
    }

    /// The mail key, when the instance sends email (a mail server is set):
    /// from `YIGHIN_MAIL_KEY`, else from its file, which is made on the
    /// first start. On PostgreSQL (several app servers) one of them must
    /// be set, so that every server has the same key.
    pub fn mail_key(&self) -> Result<Option<app::sealing::MailKey>, String> {
        if self.smtp_url.is_none() {
            return Ok(None);
        }
        if let Some(secret) = &self.mail_key {
            return app::sealing::MailKey::from_secret(secret.expose())
                .map(Some)
                .ok_or_else(|| "YIGHIN_MAIL_KEY holds fewer than 32 characters".to_string());
        }
        let file = match &self.mail_key_file {
            Some(file) => file.clone(),
            None => crate::backups::database_file(self)
                .map(|db| db.with_file_name("mail.key"))
                .ok_or_else(|| {
                    "email needs a mail key that every app server shares: set YIGHIN_MAIL_KEY \
                     or YIGHIN_MAIL_KEY_FILE"
                        .to_string()
                })?,
        };
        let unreadable = |e: std::io::Error| format!("the mail key file {}: {e}", file.display());
        if !file.exists() {
            let mut made = crate::backups::new_owner_only_file(&file).map_err(unreadable)?;
            let key = format!("{}{}", app::secrets::new_token(), app::secrets::new_token());
            std::io::Write::write_all(&mut made, key.as_bytes()).map_err(unreadable)?;
            tracing::info!(file = %file.display(), "mail key made: keep it out of the database's copies");
        }
        let text = zeroize::Zeroizing::new(std::fs::read_to_string(&file).map_err(unreadable)?);
        app::sealing::MailKey::from_secret(&text)
            .map(Some)
            .ok_or_else(|| {
                format!(
                    "the mail key file {} holds fewer than 32 characters",
                    file.display()
                )
            })
    }

    /// The defaults with a given database, for tests.
    pub fn for_database(database_url: &str) -> Config {
        let mut cli = Cli::parse_from(["yighin"]);
        cli.config.database_url = database_url.to_string();
        cli.config
    }

    /// Creates the parent folder of a SQLite file, and the empty file,
    /// as on first start: each its owner's alone (SQLite gives its log
    /// the file's permissions), whatever the umask.
    pub fn prepare_storage(&self) -> std::io::Result<()> {
        use crate::backups::{database_file, new_owner_only_file, owner_only_folder};
        let Some(file) = database_file(self) else {
            return Ok(());
        };
        if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
            owner_only_folder(dir)?;
        }
        match new_owner_only_file(&file) {
            Err(error) if error.kind() != std::io::ErrorKind::AlreadyExists => Err(error),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse_onion_url;

    #[test]
    fn onion_addresses_are_version_3_names() {
        let name = "a".repeat(52) + "2345";
        assert_eq!(
            parse_onion_url(&format!("http://{name}.onion/")),
            Ok(format!("http://{name}.onion"))
        );
        assert!(parse_onion_url(&format!("https://{name}.onion")).is_ok());
        for wrong in [
            format!("{name}.onion"),
            format!("http://{name}.onion/events"),
            format!("http://{}.onion", &name[1..]),
            format!("http://{}.onion", name.to_uppercase()),
            format!("http://{name}.example.org"),
            "http://expyuzz4wqqyqhjn.onion".to_string(),
        ] {
            assert!(parse_onion_url(&wrong).is_err(), "{wrong}");
        }
    }
}
