//! The RSVP forms' targets when JavaScript is off: plain POSTs that answer
//! with a redirect, or with the same page and its errors (422).

use crate::organise::Client;
use crate::render::render_with;
use crate::AppState;
use app::rsvp::{RsvpForm, RsvpFormState, RsvpOutcome};
use app::services::rsvp::{self, RsvpError};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;

pub(crate) fn see_other(location: &str, cookie: Option<String>) -> Response {
    let mut response = (
        StatusCode::SEE_OTHER,
        [(header::LOCATION, location.to_string())],
    )
        .into_response();
    if let Some(cookie) = cookie.and_then(|c| c.parse().ok()) {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    response
}

/// Answers that the server failed: logged once, never detailed to the
/// browser (503 while the database is away).
fn failed(error: RsvpError) -> Response {
    app::web::failure(&error, "RSVP form")
}

/// After a change or a failed submission: the redirect or the page again.
async fn respond(
    state: &AppState,
    page: &str,
    headers: HeaderMap,
    form: RsvpForm,
    result: Result<RsvpOutcome, RsvpError>,
    cookie: Option<String>,
) -> Response {
    let (form_state, status) = match result {
        Ok(RsvpOutcome::Saved { token }) => return see_other(&app::paths::private(&token), cookie),
        Ok(RsvpOutcome::Invalid(errors)) => (
            RsvpFormState {
                form,
                errors,
                closed: false,
            },
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Ok(RsvpOutcome::Closed) => (
            RsvpFormState {
                form,
                errors: Vec::new(),
                closed: true,
            },
            StatusCode::CONFLICT,
        ),
        // Not produced here: the form handlers check the limit first.
        Ok(RsvpOutcome::TooMany) => (RsvpFormState::default(), StatusCode::TOO_MANY_REQUESTS),
        Err(RsvpError::NotFound) => (RsvpFormState::default(), StatusCode::NOT_FOUND),
        Err(other) => return failed(other),
    };
    render_with(state, page, headers, form_state, status).await
}

/// Over the answer limit: a plain explanation, and when to try again.
async fn over_limit(state: &AppState, client: Option<&str>) -> Option<Response> {
    match app::services::limits::allow_answer(&state.site, client, app::services::now()).await {
        Ok(true) => None,
        Ok(false) => Some(
            (
                StatusCode::TOO_MANY_REQUESTS,
                [(
                    header::RETRY_AFTER,
                    app::services::limits::ANSWER_WINDOW.to_string(),
                )],
                "Too many answers from this connection. Please try again in a few minutes.",
            )
                .into_response(),
        ),
        Err(error) => Some(failed(RsvpError::Db(error))),
    }
}

pub async fn submit(
    State(state): State<AppState>,
    Client(client): Client,
    Path(slug): Path<String>,
    headers: HeaderMap,
    Form(form): Form<RsvpForm>,
) -> Response {
    if let Some(refused) = over_limit(&state, client.as_deref()).await {
        return refused;
    }
    let site = &state.site;
    let secret = match site.device_secret().await {
        Ok(secret) => secret,
        Err(error) => return failed(RsvpError::Db(error)),
    };
    let (member_key, cookie) =
        app::web::member_key(&headers, site.settings().secure_cookies, &secret);
    let result = rsvp::submit(site, &slug, &form, &member_key, app::services::now())
        .await
        .map(|s| s.token);
    let page = app::paths::event(&slug);
    respond(&state, &page, headers, form, rsvp::outcome(result), cookie).await
}

pub async fn change(
    State(state): State<AppState>,
    Client(client): Client,
    Path(token): Path<String>,
    headers: HeaderMap,
    Form(form): Form<RsvpForm>,
) -> Response {
    if let Some(refused) = over_limit(&state, client.as_deref()).await {
        return refused;
    }
    let result = rsvp::change(&state.site, &token, Some(&form), app::services::now())
        .await
        .map(|_| token.clone());
    let page = app::paths::private(&token);
    respond(&state, &page, headers, form, rsvp::outcome(result), None).await
}

pub async fn cancel(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Response {
    let result = rsvp::change(&state.site, &token, None, app::services::now())
        .await
        .map(|_| token.clone());
    let page = app::paths::private(&token);
    respond(
        &state,
        &page,
        headers,
        RsvpForm::default(),
        rsvp::outcome(result),
        None,
    )
    .await
}

/// From "my RSVPs": a fresh private link for one of this device's answers.
pub async fn reopen(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Response {
    let site = &state.site;
    let secret = match site.device_secret().await {
        Ok(secret) => secret,
        Err(error) => return failed(RsvpError::Db(error)),
    };
    let Some(key) = app::web::device_key(&headers, site.settings().secure_cookies, &secret) else {
        return (StatusCode::NOT_FOUND, "No answers from this device.").into_response();
    };
    match rsvp::reissue_link(site, key, id).await {
        Ok(token) => see_other(&app::paths::private(&token), None),
        Err(RsvpError::NotFound) => {
            (StatusCode::NOT_FOUND, "No such answer from this device.").into_response()
        }
        Err(other) => failed(other),
    }
}
