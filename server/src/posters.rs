//! Posters: the organiser's upload form (multipart) and removal, and the
//! files served under the public address, a private link or the organiser
//! screens.

use crate::http::see_other;
use crate::organise::SignedIn;
use crate::render::render_with;
use crate::AppState;
use app::db::posters::PosterBytes;
use app::domain::{FieldError, Problem, POSTER_MAX_BYTES};
use app::organise::ReturnedForm;
use app::paths;
use app::services::now;
use app::services::organise::{self, OrganiseError};
use app::services::posters;
use axum::extract::multipart::{Field, Multipart};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

/// The largest request a poster form may be: an upload over the limit is
/// still read to its end (and refused with a message next to the field)
/// up to this; beyond it, the request is refused as too large.
pub const MAX_POSTER_REQUEST: usize = 32 * 1024 * 1024;
/// The longest text field of the poster form read, in bytes.
const MAX_TEXT_FIELD: usize = 16 * 1024;

/// The most parts a poster form has: the file and a description in each
/// language, with room to spare.
const MAX_FIELDS: usize = 16;

/// What the poster form sent: the file (`None` when none was chosen),
/// the text fields, and the fields refused as they were read.
struct PosterForm {
    file: Option<Vec<u8>>,
    pairs: Vec<(String, String)>,
    refused: Vec<FieldError>,
}

/// Reads a field's bytes, at most `limit` of them kept; `None` when there
/// were more (read to the end all the same, so the browser sees the answer).
async fn field_bytes(field: &mut Field<'_>, limit: usize) -> Result<Option<Vec<u8>>, Response> {
    let mut bytes = Vec::new();
    let mut over = false;
    while let Some(chunk) = field.chunk().await.map_err(|e| e.into_response())? {
        if over || bytes.len() + chunk.len() > limit {
            over = true;
            bytes = Vec::new();
            continue;
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok((!over).then_some(bytes))
}

async fn read_form(mut multipart: Multipart) -> Result<PosterForm, Response> {
    let mut form = PosterForm {
        file: None,
        pairs: Vec::new(),
        refused: Vec::new(),
    };
    let mut fields = 0;
    while let Some(mut field) = multipart
        .next_field()
        .await
        .map_err(|e| e.into_response())?
    {
        fields += 1;
        if fields > MAX_FIELDS {
            return Err((StatusCode::BAD_REQUEST, "too many fields").into_response());
        }
        let name = field.name().unwrap_or_default().to_string();
        if name == "poster" {
            match field_bytes(&mut field, POSTER_MAX_BYTES).await? {
                // No file chosen: browsers send an empty part.
                Some(bytes) if bytes.is_empty() => {}
                Some(bytes) => form.file = Some(bytes),
                None => form.refused.push(FieldError {
                    field: name,
                    problem: Problem::PosterTooBig {
                        max_mb: POSTER_MAX_BYTES / (1024 * 1024),
                    },
                }),
            }
            continue;
        }
        let Some(bytes) = field_bytes(&mut field, MAX_TEXT_FIELD).await? else {
            form.refused.push(FieldError {
                field: name,
                problem: Problem::TooLong {
                    max: app::domain::POSTER_ALT,
                },
            });
            continue;
        };
        let Ok(text) = String::from_utf8(bytes) else {
            return Err((StatusCode::BAD_REQUEST, "a field is not UTF-8").into_response());
        };
        form.pairs.push((name, text));
    }
    Ok(form)
}

/// `POST /organise/events/{slug}/poster`: the poster stored, back to the
/// editor; or the editor again with the problem next to the field. The
/// upload is read only once the account may change this event's poster.
pub async fn upload(
    State(state): State<AppState>,
    SignedIn(account): SignedIn,
    Path(slug): Path<String>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Response {
    let site = &state.site;
    if let Err(error) = organise::may_change_poster(site, &account, &slug).await {
        return crate::organise::refused(error);
    }
    let form = match read_form(multipart).await {
        Ok(form) => form,
        Err(response) => return response,
    };
    let result = if form.refused.is_empty() {
        organise::save_poster(site, &account, &slug, form.file, &form.pairs, now()).await
    } else {
        Err(OrganiseError::Invalid(form.refused))
    };
    match result {
        Ok(()) => see_other(&format!("{}?poster=1#poster", paths::edit(&slug)), None),
        Err(OrganiseError::Invalid(errors)) => {
            // The editor as stored, with the descriptions as sent.
            let lang = site.settings().default_lang;
            let stored = match organise::event_form(site, &account, Some(&slug), lang).await {
                Ok(stored) => stored,
                Err(error) => return crate::organise::refused(error),
            };
            let mut values: Vec<(String, String)> = stored
                .values
                .into_iter()
                .filter(|(k, _)| !k.starts_with("alt."))
                .collect();
            values.extend(
                form.pairs
                    .into_iter()
                    .filter(|(k, _)| k.starts_with("alt.")),
            );
            let returned = ReturnedForm {
                values,
                errors,
                login_failure: None,
            };
            render_with(
                &state,
                &paths::edit(&slug),
                headers,
                returned,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(error) => crate::organise::refused(error),
    }
}

/// `POST /organise/events/{slug}/poster/remove`.
pub async fn remove(
    State(state): State<AppState>,
    SignedIn(account): SignedIn,
    Path(slug): Path<String>,
) -> Response {
    match organise::remove_poster(&state.site, &account, &slug, now()).await {
        Ok(()) => see_other(&format!("{}#poster", paths::edit(&slug)), None),
        Err(error) => crate::organise::refused(error),
    }
}

/// A poster's file: its name is the hash of its bytes, so it never changes
/// and may be kept for a year. `cache` says by whom.
fn file_response(
    found: Result<Option<PosterBytes>, app::db::DbError>,
    cache: &'static str,
) -> Response {
    match found {
        Ok(Some(file)) => (
            [
                (header::CONTENT_TYPE, file.format.mime()),
                (header::CACHE_CONTROL, cache),
            ],
            file.bytes,
        )
            .into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => app::error::AppError::from_failure(&error, "a poster").into_response(),
    }
}

/// `/posters/{name}`: a poster of an event that is not sensitive.
pub async fn public_file(State(state): State<AppState>, Path(name): Path<String>) -> Response {
    file_response(
        posters::public_file(&state.site, &name).await,
        "public, max-age=31536000, immutable",
    )
}

/// `/rsvp/{token}/posters/{name}`: the poster of the event behind a private
/// link, for a holder who may see its place.
pub async fn private_file(
    State(state): State<AppState>,
    Path((token, name)): Path<(String, String)>,
) -> Response {
    file_response(
        posters::private_file(&state.site, &token, &name, now()).await,
        "private, no-store",
    )
}

/// `/organise/events/{slug}/posters/{name}`: a poster as its organisers see
/// it in the editor.
pub async fn organiser_file(
    State(state): State<AppState>,
    SignedIn(account): SignedIn,
    Path((slug, name)): Path<(String, String)>,
) -> Response {
    match organise::poster_file(&state.site, &account, &slug, &name).await {
        Err(error) => crate::organise::refused(error),
        Ok(found) => file_response(Ok(found), "private, no-store"),
    }
}
