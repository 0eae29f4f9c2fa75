//! Signing in and out, sessions, accounts and the audit log.
//!
//! Passwords are hashed with argon2id at the parameters OWASP recommends
//! (19 MiB, two passes, one lane). A failed login says the same whatever
//! failed, takes the same time whether or not the account exists, and counts
//! against the account and against the client; past a limit, logins are
//! refused for the rest of the window. Sessions live in the database, so
//! every app server sees them; the cookie holds a random token whose hash
//! alone is stored.

use super::keys::Opener;
use super::Site;
use crate::accounts::{AccountInfo, NewAccount, NewAccountForm, Role};
use crate::db::accounts::{self as store, AccountRow};
use crate::db::{DbError, DbResult};
use crate::domain::{FieldError, Problem};
use crate::sealing::argon2id as argon2;
use crate::secrets::{new_token, token_hash};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use zeroize::Zeroizing;

/// A session ends after this long without a request...
pub const SESSION_IDLE: i64 = 2 * 3600;
/// ...and in any case this long after signing in.
pub const SESSION_LIFETIME: i64 = 12 * 3600;
/// Failed logins are counted in windows of this many seconds.
pub const FAILURE_WINDOW: i64 = 15 * 60;
/// Failures an account may see in one window before logins to it are refused.
pub const MAX_ACCOUNT_FAILURES: i64 = 5;
/// Failures one client may cause in one window, over all accounts.
pub const MAX_CLIENT_FAILURES: i64 = 20;

/// The PHC string of a password's argon2id hash, salt included.
pub fn hash_password(password: &str) -> String {
    let salt = SaltString::encode_b64(&rand::random::<[u8; 16]>()).expect("a 16-byte salt");
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 hashing with valid parameters")
        .to_string()
}

fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            argon2()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash to check against when there is no account, so that a sign-in
/// with a name that does not exist takes as long as one that does. Made
/// once per server, at start-up, so that no first attempt is slower.
pub async fn decoy_hash(site: &Site) -> String {
    if let Some(hash) = site.decoy_hash.get() {
        return hash.clone();
    }
    let hash = password_work(site, || hash_password(&new_token())).await;
    site.decoy_hash.get_or_init(|| hash).clone()
}

/// Password hashing takes 19 MiB and tens of milliseconds each time: it
/// runs off the async workers, and only [`PASSWORD_WORK`] at once, so that
/// a burst of sign-ins waits in line instead of taking the memory.
pub(crate) async fn password_work<T: Send + 'static>(
    site: &Site,
    work: impl FnOnce() -> T + Send + 'static,
) -> T {
    // The permit goes with the work into its thread: if the request is
    // dropped meanwhile (the client went away), the hashing still counts
    // until it ends. The semaphore is never closed, so a permit comes.
    let permit = site.password_work.clone().acquire_owned().await.ok();
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        work()
    })
    .await
    .expect("password hashing does not panic")
}

/// Hashings of passwords in flight at once, per app server.
pub const PASSWORD_WORK: usize = 2;

#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    /// Wrong name or password, or a disabled account: one answer for all.
    #[error("login refused")]
    Refused,
    #[error("too many failed logins")]
    TooMany,
    #[error(transparent)]
    Db(#[from] DbError),
}

/// An attempt counted in a bucket's window, to be taken back if it
/// succeeds (or is not judged after all).
struct Attempt<'a> {
    bucket: &'a str,
    window_start: i64,
}

/// Counts an attempt in `bucket` before it is judged; `None` when the
/// window already holds `max` attempts. Counting first is what makes the
/// limit exact: however many attempts arrive at once, each takes its number
/// atomically, and only `max` go on; the others are never counted.
async fn take_attempt<'a>(
    site: &Site,
    bucket: &'a str,
    max: i64,
    now: i64,
) -> DbResult<Option<Attempt<'a>>> {
    Ok(
        crate::db::rate_counts::take_hit(&site.db, bucket, now, FAILURE_WINDOW, max)
            .await?
            .map(|window_start| Attempt {
                bucket,
                window_start,
            }),
    )
}

async fn give_back(site: &Site, attempt: &Attempt<'_>) -> DbResult<()> {
    crate::db::rate_counts::refund_hit(&site.db, attempt.bucket, attempt.window_start).await
}

/// Checks a name and password; on success starts a session and returns its
/// token (for the cookie) and the account. `client` identifies where the
/// request came from, for the per-client limit.
///
/// Every attempt is counted against the account (by its id, or a keyed
/// hash of a name no account has) and the client (a keyed hash of its
/// address) before the password is checked; an attempt past either limit
/// is refused unjudged. A successful sign-in takes its own count back, so
/// the counts are of failures and attempts under way: at most
/// [`MAX_ACCOUNT_FAILURES`] wrong passwords per account and
/// [`MAX_CLIENT_FAILURES`] per client are ever judged in a window.
pub async fn login(
    site: &Site,
    username: &str,
    password: &str,
    client: Option<&str>,
    now: i64,
) -> Result<(String, AccountInfo), LoginError> {
    use super::limits::{bucket, LOGIN_ACCOUNT, LOGIN_CLIENT, LOGIN_NAME};
    let username = username.trim().to_lowercase();
    let account = store::by_username(&site.db, &username).await?;
    let account_bucket = match &account {
        Some(account) => format!("{LOGIN_ACCOUNT}:{}", account.id),
        None => bucket(site, LOGIN_NAME, &username),
    };
    let Some(account_attempt) =
        take_attempt(site, &account_bucket, MAX_ACCOUNT_FAILURES, now).await?
    else {
        return Err(LoginError::TooMany);
    };
    let client_bucket = client.map(|client| bucket(site, LOGIN_CLIENT, client));
    let client_attempt = match &client_bucket {
        Some(bucket) => match take_attempt(site, bucket, MAX_CLIENT_FAILURES, now).await? {
            Some(attempt) => Some(attempt),
            None => {
                give_back(site, &account_attempt).await?;
                return Err(LoginError::TooMany);
            }
        },
        None => None,
    };
    let hash = match &account {
        Some(account) => account.password_hash.clone(),
        None => decoy_hash(site).await,
    };
    let typed = Zeroizing::new(password.to_string());
    let matches = password_work(site, move || verify_password(&typed, &hash)).await;
    let Some(account) = account.filter(|a| matches && !a.disabled) else {
        return Err(LoginError::Refused);
    };
    give_back(site, &account_attempt).await?;
    if let Some(attempt) = &client_attempt {
        give_back(site, attempt).await?;
    }
    // Always a new session id: whatever cookie came with the request is
    // never promoted to a signed-in session.
    let token = new_token();
    let info = account.info();
    let password = Zeroizing::new(password.to_string());
    let key = super::keys::unlock_at_sign_in(site, &info, password, &token, now).await?;
    crate::db::sessions::create_session(&site.db, &token_hash(&token), account.id, &key, now)
        .await?;
    crate::db::audit::audit(&site.db, Some(&info), "signed in", "", now).await?;
    Ok((token, info))
}

/// The account signed in with this session token, if the session lives.
pub async fn session(site: &Site, token: &str, now: i64) -> DbResult<Option<AccountInfo>> {
    if !crate::secrets::looks_like_token(token) {
        return Ok(None);
    }
    let id_hash = token_hash(token);
    let Some((account, last_seen)) = crate::db::sessions::session_account(
        &site.db,
        &id_hash,
        now,
        SESSION_IDLE,
        SESSION_LIFETIME,
    )
    .await?
    else {
        return Ok(None);
    };
    // One write a minute at most keeps the idle clock honest.
    if now - last_seen >= 60 {
        crate::db::sessions::touch_session(&site.db, &id_hash, now).await?;
    }
    Ok(Some(account.info()))
}

/// Ends the session on the server: its cookie is worthless from now on.
pub async fn logout(site: &Site, token: &str, now: i64) -> DbResult<()> {
    if let Some(account) = session(site, token, now).await? {
        crate::db::audit::audit(&site.db, Some(&account), "signed out", "", now).await?;
    }
    crate::db::sessions::delete_session(&site.db, &token_hash(token)).await
}

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("invalid account")]
    Invalid(Vec<FieldError>),
    #[error(transparent)]
    Db(#[from] DbError),
}

/// Whether `password` is the account's, asked again before a grave step;
/// counted against the account like a sign-in (`None`: too many wrong
/// ones in this window, not judged).
pub(crate) async fn password_matches(
    site: &Site,
    account_id: i64,
    password: Zeroizing<String>,
    now: i64,
) -> DbResult<Option<bool>> {
    use super::limits::LOGIN_ACCOUNT;
    let Some(account) = store::by_id(&site.db, account_id).await? else {
        return Ok(Some(false));
    };
    let bucket = format!("{LOGIN_ACCOUNT}:{account_id}");
    let Some(attempt) = take_attempt(site, &bucket, MAX_ACCOUNT_FAILURES, now).await? else {
        return Ok(None);
    };
    let hash = account.password_hash;
    let matches = password_work(site, move || verify_password(&password, &hash)).await;
    if matches {
        give_back(site, &attempt).await?;
    }
    Ok(Some(matches))
}

/// Creates an account, by an admin (`actor`) or from the command line,
/// and wraps the organisation's key (which `opener` holds, if the admin's
/// session or the command line unlocked it) under its password.
pub async fn create_account(
    site: &Site,
    actor: Option<&AccountInfo>,
    opener: &Opener,
    form: &NewAccountForm,
    now: i64,
) -> Result<i64, AccountError> {
    let NewAccount {
        username,
        display_name,
        password,
        role,
    } = form.validate().map_err(AccountError::Invalid)?;
    let password = Zeroizing::new(password);
    let typed = password.clone();
    let hash = password_work(site, move || hash_password(&typed)).await;
    let id = match store::create(&site.db, &username, &display_name, &hash, role, now).await {
        Err(DbError::Conflict) => {
            return Err(AccountError::Invalid(vec![FieldError {
                field: "username".into(),
                problem: Problem::Taken,
            }]))
        }
        other => other?,
    };
    if let Some(key) = opener.key() {
        let (salt, wrapped) = super::keys::password_wrap(site, key, password).await;
        crate::db::organisation_key::store_account_wrap(&site.db.pool, id, &salt, &wrapped, now)
            .await?;
    }
    let what = format!("created {} account", role.as_str());
    crate::db::audit::audit(&site.db, actor, &what, &username, now).await?;
    Ok(id)
}

/// Sets a new password for an account (ending its sessions), and wraps the
/// organisation's key for it when the acting admin's session (`opener`)
/// holds it: this is how an organiser without the key gets it.
pub async fn reset_password(
    site: &Site,
    actor: Option<&AccountInfo>,
    opener: &Opener,
    account_id: i64,
    password: &str,
    now: i64,
) -> Result<(), AccountError> {
    if let Some(problem) = crate::accounts::check_password(password) {
        return Err(AccountError::Invalid(vec![FieldError {
            field: "password".into(),
            problem,
        }]));
    }
    let account = store::by_id(&site.db, account_id)
        .await?
        .ok_or(DbError::NotFound)?;
    let password = Zeroizing::new(password.to_string());
    let typed = password.clone();
    let hash = password_work(site, move || hash_password(&typed)).await;
    // (A disabled account is given none: see `store_account_wrap`.)
    let wrap = match opener.key() {
        Some(key) => Some(super::keys::password_wrap(site, key, password).await),
        None => None,
    };
    let wrap = wrap
        .as_ref()
        .map(|(salt, wrapped)| (salt.as_str(), wrapped.as_str()));
    store::set_password(&site.db, account_id, &hash, wrap, now).await?;
    crate::db::audit::audit(
        &site.db,
        actor,
        "reset the password of",
        &account.username,
        now,
    )
    .await?;
    Ok(())
}

/// Disables (ending its sessions) or enables an account. An admin cannot
/// disable themself, so an instance is never left without one by mistake.
pub async fn set_disabled(
    site: &Site,
    actor: &AccountInfo,
    account_id: i64,
    disabled: bool,
    now: i64,
) -> Result<(), AccountError> {
    if disabled && actor.id == account_id {
        return Err(AccountError::Invalid(vec![FieldError {
            field: "account".into(),
            problem: Problem::Invalid,
        }]));
    }
    let account = store::by_id(&site.db, account_id)
        .await?
        .ok_or(DbError::NotFound)?;
    store::set_disabled(&site.db, account_id, disabled, now).await?;
    let what = if disabled { "disabled" } else { "enabled" };
    crate::db::audit::audit(&site.db, Some(actor), what, &account.username, now).await?;
    Ok(())
}

pub async fn accounts(site: &Site) -> DbResult<Vec<(AccountInfo, bool)>> {
    Ok(store::all(&site.db)
        .await?
        .iter()
        .map(|a: &AccountRow| (a.info(), a.disabled))
        .collect())
}

/// Whether the account may manage an event organised by `organiser_id`.
pub fn can_manage(account: &AccountInfo, organiser_id: Option<i64>) -> bool {
    account.role == Role::Admin || organiser_id == Some(account.id)
}
