//! An event's poster: uploaded, described, replaced, copied or removed by
//! its organisers.

use super::*;
use crate::db::posters::{self, NewPosterFile};
use crate::domain::{PosterFormat, POSTER_ALT};
use crate::services::poster_images::{make_poster, PosterImage};
use crate::validation::TextRule;
use std::sync::OnceLock;

/// One upload made into a poster at a time: decoding a phone's photo takes
/// a core and up to a few hundred megabytes for a moment, and the pages
/// must go on being served meanwhile.
fn one_at_a_time() -> &'static tokio::sync::Semaphore {
    static PERMITS: OnceLock<tokio::sync::Semaphore> = OnceLock::new();
    PERMITS.get_or_init(|| tokio::sync::Semaphore::new(1))
}

/// How long an upload waits for the one before it to be made.
const WAIT_FOR_TURN: std::time::Duration = std::time::Duration::from_secs(30);

/// Makes the poster's files from an upload, on a thread for blocking work
/// (not one that serves requests). That thread holds the turn until it is
/// done, even when the organiser's request is dropped meanwhile.
async fn made_off_the_workers(upload: Vec<u8>) -> Result<Vec<PosterImage>, Problem> {
    let turn = match tokio::time::timeout(WAIT_FOR_TURN, one_at_a_time().acquire()).await {
        Ok(Ok(turn)) => turn,
        _ => return Err(Problem::PosterBusy),
    };
    let made = tokio::task::spawn_blocking(move || {
        let _turn = turn;
        make_poster(&upload)
    });
    match made.await {
        Ok(made) => made,
        Err(error) => {
            tracing::error!(%error, "making a poster failed");
            Err(Problem::PosterFormat)
        }
    }
}

/// The descriptions from the form's `alt.TAG` fields, in every offered
/// language, trimmed; or their problems.
fn descriptions(
    pairs: &[(String, String)],
    offered: &[Lang],
) -> Result<Vec<(String, String)>, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut alts = Vec::new();
    for lang in offered {
        let name = format!("alt.{}", lang.tag());
        let text = field(pairs, &name).trim().to_string();
        match TextRule::optional(POSTER_ALT).check(&text) {
            Some(problem) => errors.push(FieldError {
                field: name,
                problem,
            }),
            None => alts.push((lang.tag().to_string(), text)),
        }
    }
    if errors.is_empty() {
        Ok(alts)
    } else {
        Err(errors)
    }
}

/// Whether the account may change the event's poster (checked before its
/// upload is read).
pub async fn may_change_poster(
    site: &Site,
    account: &AccountInfo,
    slug: &str,
) -> Result<(), OrganiseError> {
    managed_event(site, account, slug, Lang::En)
        .await
        .map(|_| ())
}

/// Files to store as the poster of `event_id`, each named for it under
/// the instance's `secret`.
fn named(
    secret: &str,
    event_id: i64,
    files: impl IntoIterator<Item = (PosterFormat, u32, u32, Vec<u8>)>,
) -> Vec<NewPosterFile> {
    files
        .into_iter()
        .map(|(format, width, height, bytes)| NewPosterFile {
            name: crate::services::posters::file_name(secret, event_id, format, &bytes),
            format,
            width,
            height,
            bytes,
        })
        .collect()
}

/// Stores the poster form: a new image (`upload`, replacing the old one
/// and its files) and the descriptions, or the descriptions alone when no
/// file was chosen. Nothing is stored when anything is refused.
pub async fn save_poster(
    site: &Site,
    account: &AccountInfo,
    slug: &str,
    upload: Option<Vec<u8>>,
    pairs: &[(String, String)],
    now: i64,
) -> Result<(), OrganiseError> {
    let event = managed_event(site, account, slug, Lang::En).await?;
    let alts = descriptions(pairs, &site.settings().languages).map_err(OrganiseError::Invalid)?;
    let files = match upload {
        Some(upload) => {
            let made = made_off_the_workers(upload)
                .await
                .map_err(|problem| invalid("poster", problem))?;
            let made = made
                .into_iter()
                .map(|f| (f.format, f.width, f.height, f.bytes));
            Some(named(&site.device_secret().await?, event.id, made))
        }
        None => None,
    };
    // Making it took a while: the account may have lost the event since.
    managed_event(site, account, slug, Lang::En).await?;
    let mut lock = rsvps::lock(&site.db, event.id).await?;
    let action = match &files {
        Some(files) => {
            posters::replace_in(lock.conn(), event.id, files, &alts, now).await?;
            "changed the poster"
        }
        None => {
            if !posters::exists_in(lock.conn(), event.id).await? {
                return Err(invalid("poster", Problem::Required));
            }
            posters::set_alts_in(lock.conn(), event.id, &alts).await?;
            "described the poster"
        }
    };
    crate::db::audit::audit_in(lock.conn(), Some(account), action, slug, now).await?;
    lock.commit().await?;
    Ok(())
}

/// Gives the event `to` a copy of the poster of `from` (a duplicated
/// event), its files named for it. Under `from`'s lock: a replacement or
/// removal meanwhile is copied whole or not at all.
pub(crate) async fn copy_poster(
    site: &Site,
    from: i64,
    to: i64,
    now: i64,
) -> Result<(), OrganiseError> {
    // Read before the lock: the first read of the secret writes it.
    let secret = site.device_secret().await?;
    let mut lock = rsvps::lock(&site.db, from).await?;
    // As of now: a sensitive event's poster (it may show the place) goes
    // to a copy that is sensitive too, never to a public one.
    let source = events::by_id_in(lock.conn(), from, Lang::En).await?;
    let copy = events::by_id_in(lock.conn(), to, Lang::En).await?;
    let public_copy_of_sensitive =
        source.is_some_and(|e| e.sensitive) && !copy.is_some_and(|e| e.sensitive);
    if !public_copy_of_sensitive && posters::exists_in(lock.conn(), from).await? {
        let source = posters::files_with_bytes_in(lock.conn(), from).await?;
        let alts = posters::alts_in(lock.conn(), from).await?;
        let files = named(
            &secret,
            to,
            source
                .into_iter()
                .map(|(f, bytes)| (f.format, f.width, f.height, bytes)),
        );
        posters::replace_in(lock.conn(), to, &files, &alts, now).await?;
    }
    lock.commit().await?;
    Ok(())
}

/// Removes the event's poster and its files.
pub async fn remove_poster(
    site: &Site,
    account: &AccountInfo,
    slug: &str,
    now: i64,
) -> Result<(), OrganiseError> {
    let event = managed_event(site, account, slug, Lang::En).await?;
    let mut lock = rsvps::lock(&site.db, event.id).await?;
    posters::remove_in(lock.conn(), event.id).await?;
    crate::db::audit::audit_in(lock.conn(), Some(account), "removed the poster", slug, now).await?;
    lock.commit().await?;
    Ok(())
}

/// A file of the event's poster, for its organisers (who may see it all).
pub async fn poster_file(
    site: &Site,
    account: &AccountInfo,
    slug: &str,
    name: &str,
) -> Result<Option<posters::PosterBytes>, OrganiseError> {
    let event = managed_event(site, account, slug, Lang::En).await?;
    if !crate::services::posters::is_file_name(name) {
        return Ok(None);
    }
    Ok(posters::file_of_event(&site.db, event.id, name).await?)
}

/// The editor's poster section: the poster as its organisers see it, and
/// its descriptions as form values (`alt.TAG`).
pub async fn poster_form(
    site: &Site,
    event: &EventRow,
    lang: Lang,
) -> Result<(Option<crate::domain::Poster>, Vec<(String, String)>), OrganiseError> {
    let address = crate::services::posters::PosterAddress::Organiser { slug: &event.slug };
    let alts = posters::alts(&site.db, event.id).await?;
    let poster =
        crate::services::posters::poster_described(site, event, lang, address, &alts).await?;
    let values = alts
        .into_iter()
        .map(|(tag, alt)| (format!("alt.{tag}"), alt))
        .collect();
    Ok((poster, values))
}
