//! Server functions of the organiser screens. Each finds the signed-in
//! account from the session cookie and lets the service check what it may
//! do; refusals carry their HTTP status (401, 403, 404).

use super::AppError;
use crate::accounts::AccountInfo;
use crate::accounts::AuditEntry;
use crate::organise::{
    AccountsPage, AnswerQuery, CheckInPage, Dashboard, EventFormData, ReturnedForm, RsvpList,
};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::server;

/// The account signed in by this request's session cookie, if any.
#[cfg(feature = "ssr")]
pub(crate) async fn signed_in() -> Result<Option<AccountInfo>, AppError> {
    let site = server::site()?;
    let headers = server::request_headers();
    let Some(token) = crate::web::session_token(&headers, site.settings().secure_cookies) else {
        return Ok(None);
    };
    crate::services::accounts::session(&site, token, crate::services::now())
        .await
        .map_err(server::fail)
}

/// The organisation's key as this request's session holds it (it opens
/// names, contacts and notes until the request ends).
#[cfg(feature = "ssr")]
async fn session_opener() -> Result<crate::services::keys::Opener, AppError> {
    let site = server::site()?;
    let headers = server::request_headers();
    let Some(token) = crate::web::session_token(&headers, site.settings().secure_cookies) else {
        return Ok(Default::default());
    };
    crate::services::keys::opener(&site, token)
        .await
        .map_err(server::fail)
}

/// Organiser pages are private: never cached, never indexed.
#[cfg(feature = "ssr")]
async fn require_account() -> Result<AccountInfo, AppError> {
    server::no_store();
    signed_in()
        .await?
        .ok_or_else(|| server::fail(AppError::NotSignedIn))
}

/// The signed-in account, for the header and the sign-in page.
#[server]
pub async fn load_account() -> Result<Option<AccountInfo>, AppError> {
    server::no_store();
    signed_in().await
}

#[server]
pub async fn load_dashboard(lang: String) -> Result<Dashboard, AppError> {
    let site = server::site()?;
    let account = require_account().await?;
    let lang = site.settings().lang(Some(&lang));
    crate::services::organise::dashboard(&site, &account, lang, crate::services::now())
        .await
        .map_err(server::fail)
}

#[server]
pub async fn load_rsvp_list(
    slug: String,
    lang: String,
    // Absent: the first page of every answer.
    #[server(default)] query: AnswerQuery,
) -> Result<RsvpList, AppError> {
    let site = server::site()?;
    let account = require_account().await?;
    let lang = site.settings().lang(Some(&lang));
    let opener = session_opener().await?;
    let query = query.normalised();
    let mut list =
        crate::services::organise::rsvp_list(&site, &account, &opener, &slug, lang, &query)
            .await
            .map_err(server::fail)?;
    // A message sent without JavaScript that came back with its problems.
    if let Some(returned) = use_context::<ReturnedForm>() {
        list.returned = returned;
    }
    Ok(list)
}

/// The check-in screen; right after a code was entered without JavaScript,
/// the result the form handler worked out.
#[server]
pub async fn load_check_in(slug: String, lang: String) -> Result<CheckInPage, AppError> {
    let site = server::site()?;
    let account = require_account().await?;
    if let Some(page) = use_context::<CheckInPage>().filter(|p| p.slug == slug) {
        return Ok(page);
    }
    let lang = site.settings().lang(Some(&lang));
    crate::services::organise::check_in_page(&site, &account, &slug, lang)
        .await
        .map_err(server::fail)
}

/// Checks in a door code without reloading the page.
#[server]
pub async fn check_in_code(
    slug: String,
    code: String,
    lang: String,
) -> Result<CheckInPage, AppError> {
    let site = server::site()?;
    let account = require_account().await?;
    let lang = site.settings().lang(Some(&lang));
    let opener = session_opener().await?;
    let now = crate::services::now();
    crate::services::organise::check_in(&site, &account, &opener, &slug, &code, lang, now)
        .await
        .map_err(server::fail)
}

/// The event editor: empty for a new event, else filled from the event; or,
/// right after a submission with mistakes, what was sent and what was wrong.
#[server]
pub async fn load_event_form(
    slug: Option<String>,
    lang: String,
) -> Result<EventFormData, AppError> {
    let site = server::site()?;
    let account = require_account().await?;
    let lang = site.settings().lang(Some(&lang));
    let mut form = crate::services::organise::event_form(&site, &account, slug.as_deref(), lang)
        .await
        .map_err(server::fail)?;
    if let Some(returned) = use_context::<ReturnedForm>() {
        form.values = returned.values;
        form.errors = returned.errors;
    }
    Ok(form)
}

/// Every account, for admins.
#[server]
pub async fn load_accounts() -> Result<AccountsPage, AppError> {
    use crate::organise::AccountEntry;
    use crate::services::{accounts, organise};
    let site = server::site()?;
    let me = require_account().await?;
    organise::require_admin(&me).map_err(server::fail)?;
    let holding = crate::services::keys::accounts_holding_key(&site)
        .await
        .map_err(server::fail)?;
    let accounts = accounts::accounts(&site)
        .await
        .map_err(server::fail)?
        .into_iter()
        .map(|(account, disabled)| AccountEntry {
            holds_key: holding.contains(&account.id),
            account,
            disabled,
        })
        .collect();
    Ok(AccountsPage {
        key_unlocked: session_opener().await?.can_open(),
        has_recovery_key: crate::services::keys::has_recovery_key(&site)
            .await
            .map_err(server::fail)?,
        me,
        accounts,
        returned: use_context::<ReturnedForm>().unwrap_or_default(),
    })
}

/// The instance settings form, for admins.
#[server]
pub async fn load_settings() -> Result<EventFormData, AppError> {
    let site = server::site()?;
    let me = require_account().await?;
    let mut form = crate::services::organise::settings_form(&site, &me)
        .await
        .map_err(server::fail)?;
    if let Some(returned) = use_context::<ReturnedForm>() {
        form.values = returned.values;
        form.errors = returned.errors;
    }
    Ok(form)
}

/// The latest actions of organisers and admins, for admins.
#[server]
pub async fn load_audit_log() -> Result<Vec<AuditEntry>, AppError> {
    let site = server::site()?;
    let me = require_account().await?;
    crate::services::organise::require_admin(&me).map_err(server::fail)?;
    crate::db::audit::audit_log(&site.db, 500)
        .await
        .map_err(server::fail)
}

/// A form that came back from a no-JavaScript handler with its errors
/// (loaded as a resource so that the browser sees what the server rendered).
pub async fn returned_form() -> Option<ReturnedForm> {
    #[cfg(feature = "ssr")]
    {
        use_context::<ReturnedForm>()
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}
