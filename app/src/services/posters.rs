//! Posters as pages show them, and their files as the server hands them
//! out. A sensitive event's poster can say where it takes place: its
//! files are served only under a private link whose holder may see the
//! place, or to its organisers; never under the public address.

use super::rsvp::find;
use super::{Disclosure, Site};
use crate::db::events::{self, EventRow};
use crate::db::posters::{self, PosterBytes, PosterFileRow};
use crate::db::DbResult;
use crate::domain::{Poster, PosterFile, PosterFormat};
use crate::i18n::Lang;
use crate::paths;

/// Through which address a poster's files are fetched.
#[derive(Clone, Copy, Debug)]
pub enum PosterAddress<'a> {
    /// `/posters/NAME`, for anyone: an event that is not sensitive.
    Public,
    /// Under a member's private link.
    Private { token: &'a str },
    /// Under the organiser screens of the event.
    Organiser { slug: &'a str },
}

impl PosterAddress<'_> {
    fn url(self, name: &str) -> String {
        match self {
            PosterAddress::Public => paths::poster(name),
            PosterAddress::Private { token } => paths::private_poster(token, name),
            PosterAddress::Organiser { slug } => paths::organiser_poster(slug, name),
        }
    }
}

fn poster_of(files: &[PosterFileRow], alt: String, address: PosterAddress) -> Poster {
    Poster {
        alt,
        files: files
            .iter()
            .map(|f| PosterFile {
                url: address.url(&f.name),
                format: f.format,
                width: f.width,
                height: f.height,
            })
            .collect(),
    }
}

/// The description in the reader's language, else in the event's
/// original one, else any; else "Poster: TITLE".
fn pick_alt(alts: &[(String, String)], lang: Lang, original: Lang, title: &str) -> String {
    [lang, original]
        .iter()
        .find_map(|l| alts.iter().find(|(tag, _)| tag == l.tag()))
        .or(alts.first())
        .map(|(_, alt)| alt.clone())
        .unwrap_or_else(|| crate::tr!(lang, poster_of, title = title))
}

/// The event's poster for a reader who may see everything `event` holds
/// (redacted as they may see it), or `None`: no poster, or a sensitive
/// event's when `address` is the public one.
pub async fn poster(
    site: &Site,
    event: &EventRow,
    lang: Lang,
    address: PosterAddress<'_>,
) -> DbResult<Option<Poster>> {
    if event.sensitive && matches!(address, PosterAddress::Public) {
        return Ok(None);
    }
    let alts = posters::alts(&site.db, event.id).await?;
    poster_described(site, event, lang, address, &alts).await
}

/// [`poster`], with its descriptions (`alts`) already read.
pub(crate) async fn poster_described(
    site: &Site,
    event: &EventRow,
    lang: Lang,
    address: PosterAddress<'_>,
    alts: &[(String, String)],
) -> DbResult<Option<Poster>> {
    let files = posters::files_of(&site.db, &[event.id]).await?;
    if files.is_empty() {
        return Ok(None);
    }
    let original = events::original_lang(&site.db, event.id).await?;
    let alt = pick_alt(alts, lang, original, &event.text.title);
    Ok(Some(poster_of(&files, alt, address)))
}

/// Small posters for a list of events, by event: none for a sensitive
/// event. They stand beside the title, which says what they show.
pub async fn thumbnails(
    site: &Site,
    events: &[EventRow],
) -> DbResult<std::collections::HashMap<i64, Poster>> {
    let ids: Vec<i64> = events
        .iter()
        .filter(|e| !e.sensitive)
        .map(|e| e.id)
        .collect();
    let files = posters::files_of(&site.db, &ids).await?;
    let mut by_event = std::collections::HashMap::new();
    for chunk in files.chunk_by(|a, b| a.event_id == b.event_id) {
        let small: Vec<PosterFileRow> = chunk
            .iter()
            .filter(|f| f.width <= crate::domain::POSTER_WIDTHS[1])
            .cloned()
            .collect();
        by_event.insert(
            chunk[0].event_id,
            poster_of(&small, String::new(), PosterAddress::Public),
        );
    }
    Ok(by_event)
}

/// A file for anyone: a poster of an event that is not sensitive.
pub async fn public_file(site: &Site, name: &str) -> DbResult<Option<PosterBytes>> {
    if !is_file_name(name) {
        return Ok(None);
    }
    posters::public_file(&site.db, name).await
}

/// A file of the poster of the event behind a private link, if its holder
/// may see the event's place.
pub async fn private_file(
    site: &Site,
    token: &str,
    name: &str,
    now: i64,
) -> DbResult<Option<PosterBytes>> {
    if !is_file_name(name) {
        return Ok(None);
    }
    let answer = match find(site, token).await {
        Ok(answer) => answer,
        Err(super::rsvp::RsvpError::Db(error)) => return Err(error),
        Err(_) => return Ok(None),
    };
    let Some(event) = events::by_id(&site.db, answer.event_id, Lang::En).await? else {
        return Ok(None);
    };
    if Disclosure::of(&event, Some((answer.answer, answer.state)), now) != Disclosure::Full {
        return Ok(None);
    }
    posters::file_of_event(&site.db, event.id, name).await
}

/// A poster file's name: the first 32 hex digits of an HMAC-SHA-256 of its
/// bytes, keyed by the instance's secret and the event. So it changes
/// whenever the bytes do (the file may be kept for a year), says nothing
/// to someone holding the picture, and no two events share a file: the
/// files of an event made sensitive are refused at once, whatever copies
/// of it exist.
pub fn file_name(secret: &str, event_id: i64, format: PosterFormat, bytes: &[u8]) -> String {
    let hash = crate::secrets::keyed_hex(
        secret,
        &[b"poster file\0", &event_id.to_be_bytes(), bytes],
        16,
    );
    format!("{hash}.{}", format.extension())
}

/// `<32 hex digits>.webp` or `.jpg`: anything else is no poster's file.
pub(crate) fn is_file_name(name: &str) -> bool {
    let Some((hash, extension)) = name.split_once('.') else {
        return false;
    };
    hash.len() == 32
        && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        && crate::domain::PosterFormat::ALL
            .iter()
            .any(|f| f.extension() == extension)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_in_the_readers_language_first() {
        let alts = vec![
            ("en".to_string(), "A march".to_string()),
            ("fr".to_string(), "Une marche".to_string()),
        ];
        assert_eq!(pick_alt(&alts, Lang::Fr, Lang::En, "T"), "Une marche");
        assert_eq!(pick_alt(&alts, Lang::UgArab, Lang::En, "T"), "A march");
        assert_eq!(
            pick_alt(&alts[1..], Lang::UgArab, Lang::En, "T"),
            "Une marche"
        );
        assert!(pick_alt(&[], Lang::En, Lang::En, "Iftar").contains("Iftar"));
    }

    #[test]
    fn names_are_keyed_by_the_instance_and_the_event() {
        let name = file_name("secret", 7, PosterFormat::Webp, b"bytes");
        assert!(is_file_name(&name), "{name}");
        assert!(name.ends_with(".webp"));
        assert_eq!(name, file_name("secret", 7, PosterFormat::Webp, b"bytes"));
        for other in [
            file_name("secret", 8, PosterFormat::Webp, b"bytes"),
            file_name("other", 7, PosterFormat::Webp, b"bytes"),
            file_name("secret", 7, PosterFormat::Webp, b"bytez"),
        ] {
            assert_ne!(name[..32], other[..32]);
        }
    }

    #[test]
    fn only_names_of_the_hash_shape_are_files() {
        assert!(is_file_name("0123456789abcdef0123456789abcdef.webp"));
        assert!(is_file_name("0123456789abcdef0123456789abcdef.jpg"));
        for bad in [
            "0123456789abcdef0123456789abcdef.png",
            "0123456789ABCDEF0123456789abcdef.jpg",
            "../../etc/passwd",
            "0123456789abcdef0123456789abcde.jpg",
            "",
        ] {
            assert!(!is_file_name(bad), "{bad}");
        }
    }
}
