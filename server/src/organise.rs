//! The organiser screens' form targets: sign-in and sign-out, approvals,
//! check-in and the CSV export. Each checks the session and lets the
//! service check, per event, what the account may do.

use crate::http::{see_other, Client};
use crate::render::render_with;
use crate::AppState;
use app::accounts::AccountInfo;
use app::organise::{LoginFailure, LoginForm, ReturnedForm};
use app::paths;
use app::services::accounts::{self, LoginError};
use app::services::keys::{self, Opener};
use app::services::now;
use app::services::organise::{self, OrganiseError};
use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use serde::Deserialize;

/// The account of the request's session; without one, the browser is sent
/// to the sign-in page.
pub struct SignedIn(pub AccountInfo);

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let site = &state.site;
        let Some(token) = app::web::session_token(&parts.headers, site.settings().secure_cookies)
        else {
            return Err(refused(OrganiseError::NotSignedIn));
        };
        match accounts::session(site, token, now()).await {
            Ok(Some(account)) => Ok(SignedIn(account)),
            Ok(None) => Err(refused(OrganiseError::NotSignedIn)),
            Err(error) => Err(refused(OrganiseError::Db(error))),
        }
    }
}

/// The organisation's key as the request's session holds it: it opens
/// names, contacts and notes while the request lasts (none without a
/// session, or for an account that holds no key).
pub struct SessionKey(pub Opener);

impl FromRequestParts<AppState> for SessionKey {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let site = &state.site;
        let Some(token) = app::web::session_token(&parts.headers, site.settings().secure_cookies)
        else {
            return Ok(SessionKey(Opener::default()));
        };
        keys::opener(site, token)
            .await
            .map(SessionKey)
            .map_err(|error| refused(OrganiseError::Db(error)))
    }
}

pub(crate) fn refused(error: OrganiseError) -> Response {
    match error {
        OrganiseError::NotSignedIn => see_other(paths::LOGIN, None),
        other => app::error::AppError::from(other).into_response(),
    }
}

/// `POST /organise/login`.
pub async fn login(
    State(state): State<AppState>,
    Client(client): Client,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let site = &state.site;
    let secure = site.settings().secure_cookies;
    let failure = match accounts::login(
        site,
        &form.username,
        &form.password,
        client.as_deref(),
        now(),
    )
    .await
    {
        Ok((token, _)) => {
            return see_other(
                paths::ORGANISE,
                Some(app::web::session_cookie(Some(&token), secure)),
            )
        }
        Err(LoginError::Refused) => (LoginFailure::Refused, StatusCode::UNAUTHORIZED),
        Err(LoginError::TooMany) => (LoginFailure::TooMany, StatusCode::TOO_MANY_REQUESTS),
        Err(LoginError::Db(error)) => return refused(OrganiseError::Db(error)),
    };
    let returned = ReturnedForm {
        values: vec![("username".into(), form.username)],
        errors: Vec::new(),
        login_failure: Some(failure.0),
    };
    render_with(&state, paths::LOGIN, headers, returned, failure.1).await
}

/// `POST /organise/logout`: the session ends on the server, the cookie goes.
pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let site = &state.site;
    let secure = site.settings().secure_cookies;
    if let Some(token) = app::web::session_token(&headers, secure) {
        if let Err(error) = accounts::logout(site, token, now()).await {
            return refused(OrganiseError::Db(error));
        }
    }
    see_other("/", Some(app::web::session_cookie(None, secure)))
}

/// `POST /organise/events/{slug}/rsvps/{id}/{approve|decline}`.
pub async fn decide(
    State(state): State<AppState>,
    SignedIn(account): SignedIn,
    Path((slug, id, verb)): Path<(String, i64, String)>,
) -> Response {
    let approve = match verb.as_str() {
        "approve" => true,
        "decline" => false,
        _ => return refused(OrganiseError::NotFound),
    };
    match organise::decide(&state.site, &account, &slug, id, approve, now()).await {
        Ok(_) => see_other(&paths::rsvps(&slug), None),
        Err(error) => refused(error),
    }
}

/// `POST /organise/events/{slug}/announce`: back to the answers with the
/// count it reached, or with the form and its problems.
pub async fn announce(
    State(state): State<AppState>,
    SignedIn(account): SignedIn,
    Path(slug): Path<String>,
    headers: HeaderMap,
    Form(form): Form<app::notices::AnnouncementForm>,
) -> Response {
    match organise::announce(&state.site, &account, &slug, &form, now()).await {
        Ok(reached) => see_other(
            &format!("{}?sent={reached}#announce", paths::rsvps(&slug)),
            None,
        ),
        Err(OrganiseError::Invalid(errors)) => {
            let returned = ReturnedForm {
                values: vec![
                    ("message".into(), form.message),
                    ("audience".into(), form.audience),
                    ("lang".into(), form.lang),
                ],
                errors,
                login_failure: None,
            };
            render_with(
                &state,
                &paths::rsvps(&slug),
                headers,
                returned,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(error) => refused(error),
    }
}

#[derive(Deserialize)]
pub struct CheckInForm {
    code: String,
    #[serde(default)]
    lang: Option<String>,
}

/// `POST /organise/events/{slug}/check-in`: the screen again, with the result.
pub async fn check_in(
    State(state): State<AppState>,
    SignedIn(account): SignedIn,
    SessionKey(opener): SessionKey,
    Path(slug): Path<String>,
    headers: HeaderMap,
    Form(form): Form<CheckInForm>,
) -> Response {
    let lang = state.site.settings().lang(form.lang.as_deref());
    let site = &state.site;
    match organise::check_in(site, &account, &opener, &slug, &form.code, lang, now()).await {
        Ok(page) => {
            render_with(
                &state,
                &paths::check_in(&slug),
                headers,
                page,
                StatusCode::OK,
            )
            .await
        }
        Err(error) => refused(error),
    }
}

/// `GET /organise/events/{slug}/rsvps.csv`.
pub async fn rsvp_csv(
    State(state): State<AppState>,
    SignedIn(account): SignedIn,
    SessionKey(opener): SessionKey,
    Path(slug): Path<String>,
) -> Response {
    match organise::rsvp_csv(&state.site, &account, &opener, &slug, now()).await {
        Ok((filename, csv)) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{filename}\""),
                ),
                (header::CACHE_CONTROL, "no-store".to_string()),
            ],
            csv,
        )
            .into_response(),
        Err(error) => refused(error),
    }
}

/// Where the editor of an event (or of a new one) is.
fn editor_path(slug: Option<&str>) -> String {
    match slug {
        Some(slug) => paths::edit(slug),
        None => paths::NEW_EVENT.to_string(),
    }
}

async fn save(
    state: &AppState,
    account: &AccountInfo,
    slug: Option<&str>,
    headers: HeaderMap,
    pairs: Vec<(String, String)>,
) -> Response {
    match organise::save_event(&state.site, account, slug, &pairs, now()).await {
        Ok(saved) => see_other(&format!("{}?saved=1", paths::edit(&saved)), None),
        Err(OrganiseError::Invalid(errors)) => {
            let mut pairs = pairs;
            // Saved by someone else meanwhile: the form comes back as sent,
            // and saving it again (now knowingly) goes through.
            for error in &errors {
                if let app::domain::Problem::ChangedMeanwhile { version } = error.problem {
                    pairs.retain(|(k, _)| k != "version");
                    pairs.push(("version".into(), version.to_string()));
                }
            }
            let returned = ReturnedForm {
                values: pairs,
                errors,
                login_failure: None,
            };
            render_with(
                state,
                &editor_path(slug),
                headers,
                returned,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(error) => refused(error),
    }
}

/// `POST /organise/events/new`.
pub async fn create_event(
    State(state): State<AppState>,
    SignedIn(account): SignedIn,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    save(&state, &account, None, headers, pairs).await
}

/// `POST /organise/events/{slug}/edit`.
pub async fn edit_event(
    State(state): State<AppState>,
    SignedIn(account): SignedIn,
    Path(slug): Path<String>,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    save(&state, &account, Some(&slug), headers, pairs).await
}

#[derive(Deserialize)]
pub struct StatusForm {
    status: String,
}

/// `POST /organise/events/{slug}/status`: postpone, cancel, schedule again.
pub async fn set_status(
    State(state): State<AppState>,
    SignedIn(account): SignedIn,
    Path(slug): Path<String>,
    Form(form): Form<StatusForm>,
) -> Response {
    let Some(status) = app::domain::EventStatus::parse(&form.status) else {
        return refused(OrganiseError::NotFound);
    };
    match organise::set_status(&state.site, &account, &slug, status, now()).await {
        Ok(()) => see_other(&paths::edit(&slug), None),
        Err(error) => refused(error),
    }
}

/// `POST /organise/events/{slug}/duplicate`: to the copy's editor.
pub async fn duplicate(
    State(state): State<AppState>,
    SignedIn(account): SignedIn,
    Path(slug): Path<String>,
) -> Response {
    match organise::duplicate(&state.site, &account, &slug, now()).await {
        Ok(copy) => see_other(&paths::edit(&copy), None),
        Err(error) => refused(error),
    }
}

/// `POST /organise/accounts`: a new organiser or admin.
pub async fn create_account(
    State(state): State<AppState>,
    SignedIn(account): SignedIn,
    SessionKey(opener): SessionKey,
    headers: HeaderMap,
    Form(form): Form<app::accounts::NewAccountForm>,
) -> Response {
    if let Err(error) = organise::require_admin(&account) {
        return refused(error);
    }
    match accounts::create_account(&state.site, Some(&account), &opener, &form, now()).await {
        Ok(_) => see_other(paths::ACCOUNTS, None),
        Err(accounts::AccountError::Invalid(errors)) => {
            // The password is never sent back.
            let returned = ReturnedForm {
                values: vec![
                    ("username".into(), form.username),
                    ("display_name".into(), form.display_name),
                    ("role".into(), form.role),
                ],
                errors,
                login_failure: None,
            };
            render_with(
                &state,
                paths::ACCOUNTS,
                headers,
                returned,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(accounts::AccountError::Db(error)) => refused(error.into()),
    }
}

#[derive(Deserialize, Default)]
pub struct PasswordForm {
    #[serde(default)]
    password: String,
}

/// `POST /organise/accounts/{id}/{disable|enable|password}`.
pub async fn change_account(
    State(state): State<AppState>,
    SignedIn(account): SignedIn,
    SessionKey(opener): SessionKey,
    Path((id, verb)): Path<(i64, String)>,
    Form(form): Form<PasswordForm>,
) -> Response {
    if let Err(error) = organise::require_admin(&account) {
        return refused(error);
    }
    let site = &state.site;
    let result = match verb.as_str() {
        "disable" => accounts::set_disabled(site, &account, id, true, now()).await,
        "enable" => accounts::set_disabled(site, &account, id, false, now()).await,
        "password" => {
            accounts::reset_password(site, Some(&account), &opener, id, &form.password, now()).await
        }
        _ => return refused(OrganiseError::NotFound),
    };
    match result {
        Ok(()) => see_other(paths::ACCOUNTS, None),
        Err(accounts::AccountError::Invalid(errors)) => refused(OrganiseError::Invalid(errors)),
        Err(accounts::AccountError::Db(error)) => refused(error.into()),
    }
}

/// The accounts screen again with what a step on the organisation's key
/// came to (`values`: the new recovery key, shown this once), or what was
/// wrong with it.
async fn key_screen(
    state: &AppState,
    headers: HeaderMap,
    result: Result<Vec<(String, String)>, keys::KeyError>,
) -> Response {
    use app::domain::{FieldError, Problem};
    let (values, field) = match result {
        Ok(values) => (values, None),
        Err(keys::KeyError::WrongPassword) => (Vec::new(), Some("confirm_password")),
        Err(keys::KeyError::NoKey) => (Vec::new(), Some("key")),
        Err(keys::KeyError::TooMany) => {
            let retry_after = app::services::accounts::FAILURE_WINDOW;
            return app::error::AppError::TooMany { retry_after }.into_response();
        }
        Err(keys::KeyError::Db(error)) => return refused(error.into()),
    };
    let errors: Vec<FieldError> = field
        .map(|field| FieldError {
            field: field.into(),
            problem: Problem::Invalid,
        })
        .into_iter()
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let returned = ReturnedForm {
        values,
        errors,
        login_failure: None,
    };
    render_with(state, paths::ACCOUNTS, headers, returned, status).await
}

/// `POST /organise/key/recovery`: a new recovery key, shown once.
pub async fn new_recovery_key(
    State(state): State<AppState>,
    SignedIn(account): SignedIn,
    SessionKey(opener): SessionKey,
    headers: HeaderMap,
    Form(form): Form<ConfirmForm>,
) -> Response {
    if let Err(error) = organise::require_admin(&account) {
        return refused(error);
    }
    let password = zeroize::Zeroizing::new(form.confirm_password);
    let result = keys::new_recovery(&state.site, &account, &opener, password, now())
        .await
        .map(|recovery| vec![("recovery_key".into(), recovery.to_string())]);
    key_screen(&state, headers, result).await
}

#[derive(Deserialize, Default)]
pub struct ConfirmForm {
    #[serde(default)]
    confirm_password: String,
}

/// `POST /organise/key/rotate`: a new organisation key, every answer
/// sealed again; the new recovery key is shown once.
pub async fn rotate_key(
    State(state): State<AppState>,
    SignedIn(account): SignedIn,
    headers: HeaderMap,
    Form(form): Form<ConfirmForm>,
) -> Response {
    if let Err(error) = organise::require_admin(&account) {
        return refused(error);
    }
    let site = &state.site;
    let Some(token) = app::web::session_token(&headers, site.settings().secure_cookies) else {
        return refused(OrganiseError::NotSignedIn);
    };
    let password = zeroize::Zeroizing::new(form.confirm_password);
    let result = keys::rotate(site, &account, token, password, now())
        .await
        .map(|recovery| {
            vec![
                ("recovery_key".into(), recovery.to_string()),
                ("rotated".into(), "1".into()),
            ]
        });
    key_screen(&state, headers, result).await
}

/// `POST /organise/settings`.
pub async fn save_settings(
    State(state): State<AppState>,
    SignedIn(account): SignedIn,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let path = paths::SETTINGS;
    match organise::save_settings(&state.site, &account, &pairs, now()).await {
        Ok(()) => see_other(&format!("{path}?saved=1"), None),
        Err(OrganiseError::Invalid(errors)) => {
            let returned = ReturnedForm {
                values: pairs,
                errors,
                login_failure: None,
            };
            render_with(
                &state,
                path,
                headers,
                returned,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(error) => refused(error),
    }
}
