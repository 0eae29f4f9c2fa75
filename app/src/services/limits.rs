//! Rate limits that hold across app servers: counts in fixed windows, kept
//! in the database, keyed by what is limited and a hash of who.

use super::Site;
use crate::db::accounts as store;
use crate::db::DbResult;
use crate::secrets::{derived_token, new_token};

/// Answers (new or changed) one client may send in a window: generous,
/// because a whole community hall may share one address.
pub const MAX_ANSWERS: i64 = 60;
/// The window of the answer limit, in seconds.
pub const ANSWER_WINDOW: i64 = 10 * 60;

/// The bucket of a client for `purpose`: its address keyed by a secret of
/// the instance, so that the database holds no address and no way back to
/// one.
pub async fn client_bucket(site: &Site, purpose: &str, client: &str) -> DbResult<String> {
    let key = match site.client_key.get() {
        Some(key) => key,
        None => {
            // Every app server reads (or, the first, stores) the same key.
            let stored = store::instance_value(&site.db, "client_key", &new_token()).await?;
            site.client_key.get_or_init(|| stored)
        }
    };
    Ok(format!("{purpose}:{}", derived_token(key, client)))
}

/// Counts one answer from `client`; false once it has sent too many in the
/// window. A request with no known client is not limited here.
pub async fn allow_answer(site: &Site, client: Option<&str>, now: i64) -> DbResult<bool> {
    let Some(client) = client else {
        return Ok(true);
    };
    let bucket = client_bucket(site, "answers", client).await?;
    Ok(store::count_hit(&site.db, &bucket, now, ANSWER_WINDOW).await? <= MAX_ANSWERS)
}
