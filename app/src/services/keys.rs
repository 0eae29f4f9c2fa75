//! The organisation's key: made once per instance, unlocked at sign-in into
//! the session that needs it, wrapped for each account's password, replaced
//! by an admin; and the answers an earlier version stored in plain text,
//! sealed. The cryptography is in [`crate::sealing`]; this is where it
//! meets accounts, sessions and the database.
//!
//! Until the first admin takes it, the recovery key waits in the database
//! (an instance with no admin has no one to give it to); the first admin
//! (`yighin create-admin`, or the first admin's sign-in after an upgrade)
//! takes the key by replacing it, so that the waiting recovery key opens
//! nothing written after.

use super::Site;
use crate::accounts::AccountInfo;
use crate::db::organisation_key as store;
use crate::db::rsvps::RsvpRow;
use crate::db::DbResult;
use crate::sealing::{
    new_recovery_key, new_salt, Agreements, AnswerKey, AnswerSealer, OrganisationKey, Personal,
    Purpose, SealError, SealedAnswer, WrappingKey,
};
use crate::secrets::token_hash;
use std::sync::Mutex;
use zeroize::Zeroizing;

/// The organisation's secret key as one request holds it, if it does: it
/// opens answers for as long as the request lasts, and is zeroised after
/// (with the key agreements it made).
#[derive(Default)]
pub struct Opener(Option<OrganisationKey>, Mutex<Agreements>);

impl Opener {
    /// Whether this session holds the organisation's key at all.
    pub fn holds_key(&self) -> bool {
        self.0.is_some()
    }

    pub(crate) fn key(&self) -> Option<&OrganisationKey> {
        self.0.as_ref()
    }

    /// Whether names, contacts and notes can be read.
    pub fn can_open(&self) -> bool {
        self.0.is_some()
    }

    /// An answer's name, contact and note; `None` when this request holds
    /// no key (or the answer was purged).
    pub fn personal(&self, row: &RsvpRow) -> Option<Personal> {
        let key = self.0.as_ref()?;
        if row.key_for_organisers.is_empty() {
            return None;
        }
        let mut agreements = match self.1.lock() {
            Ok(agreements) => agreements,
            Err(poisoned) => poisoned.into_inner(),
        };
        let opened = key
            .open_with(&row.key_for_organisers, &mut agreements)
            .and_then(|answer_key| answer_key.decrypt(&row.personal_sealed));
        match opened {
            Ok(personal) => Some(personal),
            Err(SealError) => {
                tracing::warn!(
                    rsvp = row.id,
                    "an answer does not open with the organisation's key"
                );
                None
            }
        }
    }
}

/// Makes the organisation's key pair if the instance has none yet (its
/// recovery key waiting for the first admin), then seals any answer an
/// earlier version stored in plain text. Run at start-up.
pub async fn prepare(site: &Site, now: i64) -> DbResult<()> {
    ensure(site, now).await?;
    seal_plain_answers(site).await
}

/// Makes sure the organisation's key pair exists before anything is sealed
/// to it: once per app server (a burst of first answers waits for one
/// check), nothing after.
pub async fn ensure(site: &Site, now: i64) -> DbResult<()> {
    site.organisation_key_made
        .get_or_try_init(|| async {
            if store::get(&site.db).await?.is_none() {
                let key = OrganisationKey::generate();
                let recovery = new_recovery_key();
                let wrapped = recovery_wrap(&recovery, &key);
                // Two app servers starting at once: the first one's key stays.
                store::create(&site.db, &key.public(), &wrapped, &recovery, now).await?;
            }
            Ok(())
        })
        .await
        .map(|_| ())
}

/// An answer's personal fields sealed: to the organisation's public key
/// (made first if the instance has none yet) and for the private link
/// `link_token` and, when at hand, the device.
pub async fn seal_answer(
    site: &Site,
    key: AnswerKey,
    personal: &Personal,
    link_token: &str,
    device_key: Option<&str>,
    now: i64,
) -> DbResult<SealedAnswer> {
    let sealer = match site.young_answer_sealer() {
        Some(sealer) => sealer,
        None => {
            ensure(site, now).await?;
            let public = public_key(site).await?;
            site.answer_sealer(&public).map_err(|_| bad_public_key())?
        }
    };
    Ok(SealedAnswer::new(
        key, personal, &sealer, link_token, device_key,
    ))
}

/// The key wrapped under a recovery key that [`new_recovery_key`] made.
fn recovery_wrap(recovery: &str, key: &OrganisationKey) -> String {
    WrappingKey::from_recovery_key(recovery)
        .expect("a new recovery key has the right shape")
        .wrap_organisation_key(key)
}

/// The key a recovery key opens from its wrap, if it does.
fn open_with_recovery(recovery: &str, wrapped: &str) -> Option<OrganisationKey> {
    WrappingKey::from_recovery_key(recovery)?
        .unwrap_organisation_key(wrapped)
        .ok()
}

fn bad_public_key() -> crate::db::DbError {
    crate::db::DbError::Corrupt("the organisation's public key".into())
}

/// Seals what an earlier version stored in plain text (only the public key
/// is needed), then flushes the log so no plain copy stays in the file.
pub async fn seal_plain_answers(site: &Site) -> DbResult<()> {
    let plain = store::plain_answers(&site.db).await?;
    if plain.is_empty() {
        return Ok(());
    }
    let public = public_key(site).await?;
    let sealer = AnswerSealer::new(&public).map_err(|_| bad_public_key())?;
    for (id, name, contact, note) in &plain {
        let key = AnswerKey::generate();
        let personal = Personal {
            name: name.clone(),
            contact: contact.clone(),
            note: note.clone(),
        };
        let sealed = sealer.seal(&key);
        store::seal_plain_answer(&site.db, *id, &key.encrypt(&personal), &sealed, &public).await?;
    }
    if !site.db.flush_deleted().await? {
        tracing::warn!(
            "the write-ahead log stayed busy: plain answers may remain in it until the next purge"
        );
    }
    tracing::info!(
        answers = plain.len(),
        "answers stored in plain text are sealed"
    );
    Ok(())
}

async fn public_key(site: &Site) -> DbResult<String> {
    Ok(store::get(&site.db)
        .await?
        .ok_or(crate::db::DbError::NotFound)?
        .public_key)
}

/// What a sign-in does with the password it just checked: unwraps the
/// organisation's key for the account and returns the new session's copy,
/// wrapped under its cookie `session_token` (empty when the account holds
/// no key: an admin gives it one by setting a new password). While the key
/// waits for the first admin, an admin's sign-in takes it by replacing it
/// (see [`take_unclaimed`]). Slow on purpose: one argon2id derivation.
pub(crate) async fn unlock_at_sign_in(
    site: &Site,
    account: &AccountInfo,
    password: Zeroizing<String>,
    session_token: &str,
    now: i64,
) -> DbResult<String> {
    let key = match store::account_wrap(&site.db, account.id).await? {
        Some((salt, wrapped)) => {
            let kek = super::accounts::password_work(site, move || {
                WrappingKey::from_password(&password, &salt)
            })
            .await;
            match kek.and_then(|kek| kek.unwrap_organisation_key(&wrapped)) {
                Ok(key) => key,
                Err(SealError) => {
                    tracing::warn!(account = account.id, "an account's key does not open");
                    return Ok(String::new());
                }
            }
        }
        None if account.is_admin() => {
            match take_unclaimed(site, account, password, Some(session_token), false, now).await? {
                Some((key, _)) => key,
                None => return Ok(String::new()),
            }
        }
        None => return Ok(String::new()),
    };
    Ok(WrappingKey::from_token(session_token, Purpose::Session).wrap_organisation_key(&key))
}

/// The first admin takes the key that waited for them, and takes it by
/// replacing it: a copy of the database made while it waited (when its
/// recovery key was in the database) opens nothing written after. Every
/// answer is sealed again to the new key, wrapped for `account`'s password
/// (and the signing-in session). With `with_recovery`, a new recovery key
/// is made and returned (for `yighin create-admin` to print); without, the
/// instance has none until the admin makes one on the accounts screen.
/// `None` when the key no longer waits (another admin took it).
pub async fn take_unclaimed(
    site: &Site,
    account: &AccountInfo,
    password: Zeroizing<String>,
    session_token: Option<&str>,
    with_recovery: bool,
    now: i64,
) -> DbResult<Option<(OrganisationKey, Option<Zeroizing<String>>)>> {
    let Some(old) = unclaimed_key(site).await? else {
        return Ok(None);
    };
    let new = OrganisationKey::generate();
    let recovery = with_recovery.then(new_recovery_key);
    let replacement = Replacement::new(
        site,
        &new,
        password,
        session_token,
        recovery.as_deref().map(|r| r.as_str()),
    )
    .await;
    let old_public = old.public();
    let rotation = replacement.rotation(&old_public, account.id);
    let Some(rotated) = store::rotate(&site.db, rotation, reseal(&old, &new), now).await? else {
        return Ok(None);
    };
    site.forget_answer_sealer();
    site.db.flush_deleted().await?;
    let what = format!("{} answers sealed again", rotated.resealed);
    crate::db::audit::audit(
        &site.db,
        Some(account),
        "took the organisation key",
        &what,
        now,
    )
    .await?;
    Ok(Some((new, recovery)))
}

/// What replacing the key stores: the new public key, its wraps under the
/// recovery key, the admin's password and the session.
struct Replacement {
    public: String,
    recovery_wrap: String,
    salt: String,
    account_wrap: String,
    session: Option<(String, String)>,
}

impl Replacement {
    async fn new(
        site: &Site,
        new: &OrganisationKey,
        password: Zeroizing<String>,
        session_token: Option<&str>,
        recovery: Option<&str>,
    ) -> Replacement {
        let recovery_wrap = recovery
            .map(|recovery| recovery_wrap(recovery, new))
            .unwrap_or_default();
        let (salt, account_wrap) = password_wrap(site, new, password).await;
        let session = session_token.map(|token| {
            (
                token_hash(token),
                WrappingKey::from_token(token, Purpose::Session).wrap_organisation_key(new),
            )
        });
        Replacement {
            public: new.public(),
            recovery_wrap,
            salt,
            account_wrap,
            session,
        }
    }

    fn rotation<'a>(&'a self, old_public_key: &'a str, account_id: i64) -> store::Rotation<'a> {
        store::Rotation {
            old_public_key,
            public_key: &self.public,
            recovery_wrap: &self.recovery_wrap,
            account_id,
            salt: &self.salt,
            account_wrap: &self.account_wrap,
            session: self
                .session
                .as_ref()
                .map(|(hash, wrap)| (hash.as_str(), wrap.as_str())),
        }
    }
}

/// Seals an answer key sealed to `old` again to `new` (one writer key for
/// them all); `None` when it does not open (it stays as it was: nobody can
/// read it).
fn reseal<'a>(
    old: &'a OrganisationKey,
    new: &'a OrganisationKey,
) -> impl FnMut(&str) -> Option<String> + 'a {
    let sealer = AnswerSealer::new(&new.public()).expect("a key pair's own public key");
    let mut agreements = Agreements::default();
    move |sealed| {
        old.open_with(sealed, &mut agreements)
            .map(|key| sealer.seal(&key))
            .ok()
    }
}

/// The key while it waits for the first admin.
async fn unclaimed_key(site: &Site) -> DbResult<Option<OrganisationKey>> {
    let Some(row) = store::get(&site.db).await? else {
        return Ok(None);
    };
    if row.unclaimed_recovery.is_empty() {
        return Ok(None);
    }
    Ok(open_with_recovery(
        &row.unclaimed_recovery,
        &row.recovery_wrap,
    ))
}

/// The key wrapped under a password: (salt, wrapped).
pub(crate) async fn password_wrap(
    site: &Site,
    key: &OrganisationKey,
    password: Zeroizing<String>,
) -> (String, String) {
    let salt = new_salt();
    let for_kdf = salt.clone();
    let kek = super::accounts::password_work(site, move || {
        WrappingKey::from_password(&password, &for_kdf)
    })
    .await
    .expect("a fresh salt is valid");
    let wrapped = kek.wrap_organisation_key(key);
    (salt, wrapped)
}

/// The key the session with this cookie holds.
pub async fn opener(site: &Site, session_token: &str) -> DbResult<Opener> {
    if !crate::secrets::looks_like_token(session_token) {
        return Ok(Opener::default());
    }
    let wrapped =
        crate::db::sessions::organisation_key(&site.db, &token_hash(session_token)).await?;
    let key = wrapped.filter(|w| !w.is_empty()).and_then(|wrapped| {
        WrappingKey::from_token(session_token, Purpose::Session)
            .unwrap_organisation_key(&wrapped)
            .ok()
    });
    // A copy made just before the key was replaced (a sign-in racing a
    // rotation) is not the organisation's key any more: it opens nothing
    // new, and must not be handed on.
    let Some(key) = key else {
        return Ok(Opener::default());
    };
    let current = public_key(site).await?;
    Ok(Opener(
        (key.public() == current).then_some(key),
        Mutex::default(),
    ))
}

/// The key from the recovery key (for `yighin create-admin` once an admin
/// exists); `None` when it is not the instance's recovery key.
pub async fn opener_from_recovery_key(site: &Site, recovery: &str) -> DbResult<Option<Opener>> {
    let Some(row) = store::get(&site.db).await? else {
        return Ok(None);
    };
    Ok(open_with_recovery(recovery, &row.recovery_wrap)
        .map(|key| Opener(Some(key), Mutex::default())))
}

/// The key from an account's name and password (for `yighin create-admin`
/// with an existing admin's password); `None` when they do not open it.
pub async fn opener_from_password(
    site: &Site,
    username: &str,
    password: Zeroizing<String>,
) -> DbResult<Option<Opener>> {
    let Some(account) =
        crate::db::accounts::by_username(&site.db, &username.trim().to_lowercase()).await?
    else {
        return Ok(None);
    };
    if account.disabled || account.role != crate::accounts::Role::Admin {
        return Ok(None);
    }
    let Some((salt, wrapped)) = store::account_wrap(&site.db, account.id).await? else {
        return Ok(None);
    };
    let kek =
        super::accounts::password_work(site, move || WrappingKey::from_password(&password, &salt))
            .await;
    Ok(kek
        .and_then(|kek| kek.unwrap_organisation_key(&wrapped))
        .ok()
        .map(|key| Opener(Some(key), Mutex::default())))
}

/// Whether the key still waits for the first admin.
pub async fn waits_for_first_admin(site: &Site) -> DbResult<bool> {
    Ok(store::get(&site.db)
        .await?
        .is_some_and(|row| !row.unclaimed_recovery.is_empty()))
}

/// Whether the instance has a recovery key (none after the first admin
/// took the key at sign-in, until they make one).
pub async fn has_recovery_key(site: &Site) -> DbResult<bool> {
    Ok(store::get(&site.db)
        .await?
        .is_some_and(|row| !row.recovery_wrap.is_empty()))
}

/// Which accounts hold the key (the others see names sealed).
pub async fn accounts_holding_key(site: &Site) -> DbResult<Vec<i64>> {
    store::accounts_with_wraps(&site.db).await
}

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// This session holds no key to act with.
    #[error("this session holds no organisation key")]
    NoKey,
    /// The admin's password, asked again, was wrong.
    #[error("wrong password")]
    WrongPassword,
    /// Too many wrong passwords for the account in this window.
    #[error("too many attempts")]
    TooMany,
    #[error(transparent)]
    Db(#[from] crate::db::DbError),
}

/// A new recovery key in place of the old one (which stops working),
/// shown once to the admin who made it; they confirm with their password
/// (a stolen session alone cannot make one).
pub async fn new_recovery(
    site: &Site,
    actor: &AccountInfo,
    opener: &Opener,
    password: Zeroizing<String>,
    now: i64,
) -> Result<Zeroizing<String>, KeyError> {
    let key = opener.key().ok_or(KeyError::NoKey)?;
    confirm_password(site, actor, password, now).await?;
    let recovery = new_recovery_key();
    let wrapped = recovery_wrap(&recovery, key);
    if !store::set_recovery_wrap(&site.db, &wrapped, &key.public()).await? {
        return Err(KeyError::NoKey);
    }
    site.db.flush_deleted().await?;
    crate::db::audit::audit(&site.db, Some(actor), "made a new recovery key", "", now).await?;
    Ok(recovery)
}

async fn confirm_password(
    site: &Site,
    actor: &AccountInfo,
    password: Zeroizing<String>,
    now: i64,
) -> Result<(), KeyError> {
    match super::accounts::password_matches(site, actor.id, password, now).await? {
        Some(true) => Ok(()),
        Some(false) => Err(KeyError::WrongPassword),
        None => Err(KeyError::TooMany),
    }
}

/// Replaces the organisation's key pair: every live answer re-sealed to
/// the new one, every account's wrap and every other session's copy of the
/// old one deleted (an admin gives organisers the new one by setting their
/// passwords), the old recovery key void. The acting admin confirms with
/// their password, which wraps the new key for them; returns the new
/// recovery key, shown once.
pub async fn rotate(
    site: &Site,
    actor: &AccountInfo,
    session_token: &str,
    password: Zeroizing<String>,
    now: i64,
) -> Result<Zeroizing<String>, KeyError> {
    let old = opener(site, session_token).await?;
    let old = old.key().ok_or(KeyError::NoKey)?;
    confirm_password(site, actor, password.clone(), now).await?;
    let new = OrganisationKey::generate();
    let recovery = new_recovery_key();
    let replacement = Replacement::new(
        site,
        &new,
        password,
        Some(session_token),
        Some(recovery.as_str()),
    )
    .await;
    let old_public = old.public();
    let rotated = store::rotate(
        &site.db,
        replacement.rotation(&old_public, actor.id),
        reseal(old, &new),
        now,
    )
    .await?
    .ok_or(KeyError::NoKey)?;
    site.forget_answer_sealer();
    site.db.flush_deleted().await?;
    let mut what = format!("{} answers sealed again", rotated.resealed);
    if rotated.unopened > 0 {
        what.push_str(&format!(", {} could not be opened", rotated.unopened));
    }
    crate::db::audit::audit(
        &site.db,
        Some(actor),
        "replaced the organisation key",
        &what,
        now,
    )
    .await?;
    Ok(recovery)
}
