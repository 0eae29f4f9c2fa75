//! What the server functions do, as plain functions that tests call directly.

pub mod accounts;
pub mod atom;
pub mod calendar;
mod disclosure;
pub mod embed;
mod events;
pub mod import;
pub mod keys;
pub mod limits;
pub mod notices;
pub mod organise;
pub mod outbox;
pub mod poster_images;
pub mod posters;
pub mod rsvp;

pub use disclosure::{public_title, redact, Disclosure};
pub use events::{detail, listing, markdown_html, place_of, when_label, LIST_LIMIT};

use crate::db::events::EventRow;
use crate::db::rsvps;
use crate::db::{Database, DbResult};
use crate::i18n::Lang;
use crate::time::{parse_local, parse_zone};
use chrono::NaiveDateTime;
use chrono_tz::Tz;
use std::sync::{Arc, OnceLock, RwLock};

/// What the layer answering a request needs to know of a failure beyond
/// its message (which is logged, never sent): whether the database was
/// unreachable, so that trying again shortly may work (503, not 500).
pub trait Failure: std::fmt::Display {
    fn is_unavailable(&self) -> bool;
}

impl Failure for crate::db::DbError {
    fn is_unavailable(&self) -> bool {
        crate::db::DbError::is_unavailable(self)
    }
}

/// Implements [`Failure`] for a service error whose `Db` variant holds a
/// [`crate::db::DbError`].
macro_rules! failure_by_db_variant {
    ($($error:ty),*) => {$(
        impl crate::services::Failure for $error {
            fn is_unavailable(&self) -> bool {
                matches!(self, Self::Db(error) if error.is_unavailable())
            }
        }
    )*};
}
failure_by_db_variant!(
    rsvp::RsvpError,
    organise::OrganiseError,
    accounts::LoginError,
    accounts::AccountError
);

/// Instance-wide settings that pages need.
#[derive(Clone, Debug)]
pub struct Settings {
    pub instance_name: String,
    pub default_zone: Tz,
    pub default_lang: Lang,
    /// The languages offered, in the order the switcher lists them.
    pub languages: Vec<Lang>,
    /// Served over TLS: cookies get the `Secure` attribute.
    pub secure_cookies: bool,
    /// The public address, without a trailing slash, for links people keep.
    pub base_url: String,
    /// Days after an event its answers' names, contacts and notes are kept.
    pub retention_days: i64,
    /// Behind a reverse proxy: the header naming the client's address.
    pub client_ip_header: Option<String>,
    /// The instance's onion address (`http://….onion`, no trailing slash)
    /// when a Tor onion service leads to it.
    pub onion_url: Option<String>,
    /// When an admin last changed the settings, or the instance's address
    /// changed (what feeds show besides events): part of their validators.
    pub changed_at: i64,
    /// The websites (origins: `https://example.org`) that may show the
    /// embeddable list in a frame; none by default.
    pub embed_origins: Vec<String>,
}

/// Which of the instance's addresses a request came to: the public one,
/// or its onion service (whose requests arrive on a listener of their own).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Reached {
    #[default]
    Public,
    Onion,
}

impl Settings {
    /// The address links given to a visitor start with: the one they came
    /// to, so that a member on the onion service stays on it.
    pub fn base_url_for(&self, reached: Reached) -> &str {
        match (reached, &self.onion_url) {
            (Reached::Onion, Some(onion)) => onion,
            _ => &self.base_url,
        }
    }

    /// The offered language a tag names, else the instance's default.
    pub fn lang(&self, tag: Option<&str>) -> Lang {
        tag.and_then(Lang::from_tag)
            .filter(|l| self.languages.contains(l))
            .unwrap_or(self.default_lang)
    }
}

/// Everything a request handler needs, shared through axum state and
/// Leptos context: one pointer, as every request takes copies of it.
#[derive(Clone, Debug)]
pub struct Site(Arc<SiteParts>);

impl std::ops::Deref for Site {
    type Target = SiteParts;

    fn deref(&self) -> &SiteParts {
        &self.0
    }
}

#[derive(Clone, Debug)]
pub struct SiteParts {
    pub db: Database,
    /// Admins change some settings while the server runs; readers take a
    /// snapshot with [`Site::settings`].
    settings: Arc<RwLock<Arc<Settings>>>,
    feeds: calendar::FeedCache,
    /// The key that hashes client addresses (and names no account has) for
    /// the rate limits. Never in the database: made at random when the
    /// server starts, or read from a file that every app server of one
    /// instance shares (see [`Site::with_client_key`]).
    client_key: Arc<str>,
    /// The key that signs device keys, so that only keys this instance
    /// issued are accepted (read from the database once).
    device_secret: Arc<OnceLock<String>>,
    /// What a sign-in with an unknown name is checked against; see
    /// [`accounts::decoy_hash`].
    decoy_hash: Arc<OnceLock<String>>,
    /// Password hashings allowed at once; see [`accounts::PASSWORD_WORK`].
    password_work: Arc<tokio::sync::Semaphore>,
    /// Set once the organisation's key pair is known to exist.
    organisation_key_made: Arc<tokio::sync::OnceCell<()>>,
    /// What seals answers to the organisation's key now (see
    /// [`crate::sealing::AnswerSealer`]): replaced every quarter hour, and
    /// when the key is.
    answer_sealer: Arc<std::sync::Mutex<Option<Arc<crate::sealing::AnswerSealer>>>>,
    /// The key members' email addresses are encrypted under, when the
    /// instance sends email (never in the database); `None`: no email is
    /// offered.
    mail_key: Option<crate::sealing::MailKey>,
}

impl Site {
    pub fn new(db: Database, settings: Settings) -> Site {
        Site(Arc::new(SiteParts {
            db,
            settings: Arc::new(RwLock::new(Arc::new(settings))),
            feeds: calendar::FeedCache::default(),
            client_key: crate::secrets::new_token().into(),
            device_secret: Arc::default(),
            decoy_hash: Arc::default(),
            password_work: Arc::new(tokio::sync::Semaphore::new(accounts::PASSWORD_WORK)),
            organisation_key_made: Arc::default(),
            answer_sealer: Arc::default(),
            mail_key: None,
        }))
    }

    /// The same site sending email: members may ask for their notices by
    /// email, their addresses encrypted under `key`.
    pub fn with_mail_key(self, key: crate::sealing::MailKey) -> Site {
        let mut parts = Arc::unwrap_or_clone(self.0);
        parts.mail_key = Some(key);
        Site(Arc::new(parts))
    }

    /// The mail key, when the instance sends email.
    pub fn mail_key(&self) -> Option<&crate::sealing::MailKey> {
        self.mail_key.as_ref()
    }

    /// The same site with a client key of the operator's (shared by all
    /// app servers of the instance, so that their rate limits add up).
    pub fn with_client_key(self, key: &str) -> Site {
        let mut parts = Arc::unwrap_or_clone(self.0);
        parts.client_key = key.into();
        Site(Arc::new(parts))
    }

    /// The secret that signs device keys: made once per instance and kept
    /// in the database, where every app server finds it. (A copy of the
    /// database lets no one plant a device key: that needs a cookie set in
    /// the member's browser, which `__Host-` prevents over TLS.)
    pub async fn device_secret(&self) -> DbResult<String> {
        if let Some(secret) = self.device_secret.get() {
            return Ok(secret.clone());
        }
        let stored = crate::db::instance_values::instance_value(
            &self.db,
            "device_secret",
            &crate::secrets::new_token(),
        )
        .await?;
        Ok(self.device_secret.get_or_init(|| stored).clone())
    }

    /// The sealer for answers while it is young, without asking the
    /// database for the public key (the event's lock checks that it is
    /// still the organisation's, and seals again if not).
    pub(crate) fn young_answer_sealer(&self) -> Option<Arc<crate::sealing::AnswerSealer>> {
        let mut slot = self.sealer_slot();
        if slot.as_ref().is_some_and(|s| !s.is_young()) {
            *slot = None;
        }
        slot.clone()
    }

    /// Drops the sealer once its time is up, whether or not answers come:
    /// a server left idle keeps no writer key that opens what it sealed.
    pub fn retire_old_answer_sealer(&self) {
        drop(self.young_answer_sealer());
    }

    /// Drops the sealer (the organisation's key was just replaced here).
    pub(crate) fn forget_answer_sealer(&self) {
        *self.sealer_slot() = None;
    }

    fn sealer_slot(&self) -> std::sync::MutexGuard<'_, Option<Arc<crate::sealing::AnswerSealer>>> {
        match self.answer_sealer.lock() {
            Ok(current) => current,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// The sealer for answers to the organisation's key `public`: the
    /// current one while it fits, else a new one.
    pub(crate) fn answer_sealer(
        &self,
        public: &str,
    ) -> Result<Arc<crate::sealing::AnswerSealer>, crate::sealing::SealError> {
        let mut current = self.sealer_slot();
        if let Some(sealer) = current.as_ref().filter(|s| s.fits(public)) {
            return Ok(sealer.clone());
        }
        let sealer = Arc::new(crate::sealing::AnswerSealer::new(public)?);
        *current = Some(sealer.clone());
        Ok(sealer)
    }

    /// The settings as they are now.
    pub fn settings(&self) -> Arc<Settings> {
        match self.settings.read() {
            Ok(settings) => settings.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    pub(crate) fn replace_settings(&self, settings: Settings) {
        let mut current = match self.settings.write() {
            Ok(current) => current,
            Err(poisoned) => poisoned.into_inner(),
        };
        *current = Arc::new(settings);
    }
}

/// Deletes the personal data of answers to events that ended more than
/// the retention period ago, and makes sure no copy stays in the database's
/// log. Returns how many answers were emptied.
pub async fn purge(site: &Site, now: i64) -> DbResult<u64> {
    let cutoff = now - site.settings().retention_days * 86_400;
    let purged = rsvps::purge_personal_data(&site.db, cutoff, now).await?;
    if purged > 0 {
        if !site.db.flush_deleted().await? {
            tracing::warn!("the database's write-ahead log stayed busy: deleted data may remain in it until the next purge");
        }
        tracing::info!(purged, "personal data of past events' answers deleted");
    }
    Ok(purged)
}

pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// The local start and end of a stored event; rows are validated on the way
/// in, so a failure here means the data was damaged outside the app.
pub(crate) fn local_times(row: &EventRow) -> Option<(NaiveDateTime, NaiveDateTime, Tz)> {
    Some((
        parse_local(&row.start_local)?,
        parse_local(&row.end_local)?,
        parse_zone(&row.time_zone)?,
    ))
}
