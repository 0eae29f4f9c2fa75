//! An event's poster: uploaded, described, replaced or removed by its
//! organisers.

use super::*;
use crate::db::posters::{self, NewPosterFile};
use crate::domain::POSTER_ALT;
use crate::services::poster_images::{make_poster, PosterImage};
use crate::validation::TextRule;
use std::sync::OnceLock;

/// One upload made into a poster at a time: decoding a phone's photo takes
/// a core and a few hundred megabytes for a moment, and the pages must go
/// on being served meanwhile.
fn one_at_a_time() -> &'static tokio::sync::Semaphore {
    static PERMITS: OnceLock<tokio::sync::Semaphore> = OnceLock::new();
    PERMITS.get_or_init(|| tokio::sync::Semaphore::new(1))
}

/// Makes the poster's files from an upload, on a thread for blocking work
/// (not one that serves requests).
async fn made_off_the_workers(upload: Vec<u8>) -> Result<Vec<PosterImage>, Problem> {
    let _permit = one_at_a_time()
        .acquire()
        .await
        .map_err(|_| Problem::PosterFormat)?;
    match tokio::task::spawn_blocking(move || make_poster(&upload)).await {
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
    let made = match upload {
        Some(upload) => Some(
            made_off_the_workers(upload)
                .await
                .map_err(|problem| invalid("poster", problem))?,
        ),
        None => None,
    };
    let mut lock = rsvps::lock(&site.db, event.id).await?;
    match &made {
        Some(files) => {
            let files: Vec<NewPosterFile> = files
                .iter()
                .map(|f| NewPosterFile {
                    name: &f.name,
                    format: f.format,
                    width: f.width,
                    height: f.height,
                    bytes: &f.bytes,
                })
                .collect();
            posters::replace_in(lock.conn(), event.id, &files, &alts, now).await?;
        }
        None => {
            if !posters::exists_in(lock.conn(), event.id).await? {
                return Err(invalid("poster", Problem::Required));
            }
            posters::set_alts_in(lock.conn(), event.id, &alts).await?;
        }
    }
    let action = if made.is_some() {
        "changed the poster"
    } else {
        "described the poster"
    };
    crate::db::audit::audit_in(lock.conn(), Some(account), action, slug, now).await?;
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
    let poster = crate::services::posters::poster(site, event, lang, address).await?;
    let values = posters::alts(&site.db, event.id)
        .await?
        .into_iter()
        .map(|(tag, alt)| (format!("alt.{tag}"), alt))
        .collect();
    Ok((poster, values))
}
