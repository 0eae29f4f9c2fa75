//! Rate limits that hold across app servers: counts in fixed windows, kept
//! in the database, keyed by what is limited and a keyed hash of who.
//!
//! The key lives only outside the database (see [`Site::client_key`]), and
//! counts are deleted once their window has passed, so a copy of the
//! database cannot be turned back into addresses: without the key, trying
//! every IPv4 address leads nowhere.

use super::Site;
use crate::db::DbResult;
use crate::secrets::derived_token;

/// Answers (new or changed) one client may send in a window: generous,
/// because a whole community hall may share one address.
pub const MAX_ANSWERS: i64 = 60;
/// The window of the answer limit, in seconds.
pub const ANSWER_WINDOW: i64 = 10 * 60;
/// What is counted, and in windows of how many seconds.
pub const PURPOSES: [(&str, i64); 4] = [
    (ANSWERS, ANSWER_WINDOW),
    (LOGIN_ACCOUNT, super::accounts::FAILURE_WINDOW),
    (LOGIN_NAME, super::accounts::FAILURE_WINDOW),
    (LOGIN_CLIENT, super::accounts::FAILURE_WINDOW),
];
pub const ANSWERS: &str = "answers";
/// Sign-in attempts to an account, by its id.
pub const LOGIN_ACCOUNT: &str = "login-account";
/// Sign-in attempts with a name no account has, by its keyed hash.
pub const LOGIN_NAME: &str = "login-name";
pub const LOGIN_CLIENT: &str = "login-client";

/// The bucket of `who` (a client's address, a username) for `purpose`:
/// keyed by the instance's client key, so that the database holds neither
/// nor a way back to either.
pub fn bucket(site: &Site, purpose: &str, who: &str) -> String {
    format!("{purpose}:{}", derived_token(&site.client_key, who))
}

/// Counts one answer from `client`; false once it has sent too many in the
/// window. A request with no known client is not limited here.
pub async fn allow_answer(site: &Site, client: Option<&str>, now: i64) -> DbResult<bool> {
    let Some(client) = client else {
        return Ok(true);
    };
    let bucket = bucket(site, ANSWERS, client);
    Ok(
        crate::db::rate_counts::count_hit(&site.db, &bucket, now, ANSWER_WINDOW).await?
            <= MAX_ANSWERS,
    )
}

/// Deletes what no longer limits or opens anything: counts past their
/// window and expired organiser sessions, and (on SQLite) copies the
/// write-ahead log into the zeroed file and empties it, so that the
/// deleted counts do not linger there. Run every minute.
pub async fn sweep(site: &Site, now: i64) -> DbResult<()> {
    let mut deleted = 0;
    for (purpose, window) in PURPOSES {
        deleted +=
            crate::db::rate_counts::sweep_rate_counts(&site.db, purpose, now, window).await?;
    }
    deleted += crate::db::sessions::delete_expired_sessions(
        &site.db,
        now,
        super::accounts::SESSION_IDLE,
        super::accounts::SESSION_LIFETIME,
    )
    .await?;
    if deleted > 0 {
        // One attempt: a busy log is emptied at the next sweep.
        site.db.checkpoint().await?;
    }
    Ok(())
}
