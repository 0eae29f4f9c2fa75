//! The RSVP forms' targets when JavaScript is off: plain POSTs that answer
//! with a redirect, or with the same page and its errors (422).

use crate::http::{see_other, Client};
use crate::render::render_with;
use crate::AppState;
use app::rsvp::{RsvpForm, RsvpFormState, RsvpOutcome};
use app::services::rsvp::{self, RsvpError};
use app::web::{answer, AnswerRequest, Answered};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;

/// Answers that the server failed: logged once, never detailed to the
/// browser (503 while the database is away).
fn failed(error: RsvpError) -> Response {
    app::error::AppError::from(error).into_response()
}

/// What an answer came to, as a plain form post is told: the private
/// page (with the device cookie), or the page again with what was wrong,
/// or the one `429` with when to try again.
async fn respond(
    state: &AppState,
    page: &str,
    headers: HeaderMap,
    form: RsvpForm,
    answered: Answered,
) -> Response {
    let (form_state, status) = match answered.outcome {
        Ok(RsvpOutcome::Saved { token }) => {
            return see_other(&app::paths::private(&token), answered.set_cookie)
        }
        Ok(RsvpOutcome::TooMany) => {
            let (retry_after, message) = app::web::too_many_answers();
            return (
                StatusCode::TOO_MANY_REQUESTS,
                [(header::RETRY_AFTER, retry_after.to_string())],
                message,
            )
                .into_response();
        }
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
        Err(RsvpError::NotFound) => (RsvpFormState::default(), StatusCode::NOT_FOUND),
        Err(other) => return failed(other),
    };
    render_with(state, page, headers, form_state, status).await
}

pub async fn submit(
    State(state): State<AppState>,
    Client(client): Client,
    Path(slug): Path<String>,
    headers: HeaderMap,
    Form(form): Form<RsvpForm>,
) -> Response {
    let request = AnswerRequest::New {
        slug: &slug,
        form: &form,
    };
    let answered = answer(&state.site, &headers, client.as_deref(), request).await;
    respond(&state, &app::paths::event(&slug), headers, form, answered).await
}

pub async fn change(
    State(state): State<AppState>,
    Client(client): Client,
    Path(token): Path<String>,
    headers: HeaderMap,
    Form(form): Form<RsvpForm>,
) -> Response {
    let request = AnswerRequest::Change {
        token: &token,
        form: &form,
    };
    let answered = answer(&state.site, &headers, client.as_deref(), request).await;
    respond(
        &state,
        &app::paths::private(&token),
        headers,
        form,
        answered,
    )
    .await
}

pub async fn cancel(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Response {
    let request = AnswerRequest::Cancel { token: &token };
    let answered = answer(&state.site, &headers, None, request).await;
    let page = app::paths::private(&token);
    respond(&state, &page, headers, RsvpForm::default(), answered).await
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

/// `POST /mail/stop/{token}`: stops a member's emails and deletes their
/// address. From the page's button, back to it (saying so); from a mail
/// client's one click (RFC 8058), a plain answer.
pub async fn stop_mail(
    State(state): State<AppState>,
    Path(token): Path<String>,
    body: String,
) -> Response {
    let page = app::paths::mail_stop(&token);
    match app::services::outbox::stop(&state.site, &token, app::services::now()).await {
        // Back to the page: it says the emails stopped, or (for a link that
        // stops nothing now) that this link stops nothing.
        Ok(true) if body.contains("confirm=1") => see_other(&format!("{page}?stopped=1"), None),
        Ok(false) if body.contains("confirm=1") => see_other(&page, None),
        Ok(_) => (
            StatusCode::OK,
            "No emails about this event are sent to this link.",
        )
            .into_response(),
        Err(error) => failed(RsvpError::Db(error)),
    }
}
