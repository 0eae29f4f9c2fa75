//! What members are told, as they read it: the notices on a private page
//! and in a personal feed, and the notices given at a moment of an event's
//! life (its reminder; a sensitive event's place shown) by the server's
//! scheduled work.

use super::{Disclosure, Site};
use crate::db::events::EventRow;
use crate::db::notices::{self, Moment, NewNotice, NoticeRow, Recipients};
use crate::db::{rsvps, DbError, DbResult};
use crate::i18n::Lang;
use crate::notices::{notice_text, NoticeKind, NoticeView};

/// When a notice was written, as `lang` reads dates, in `event`'s zone
/// (as the page shows it: a redacted event's is the instance's), and for
/// `<time datetime>`.
pub(crate) fn at_labels(
    event: &EventRow,
    at: i64,
    lang: Lang,
    fallback: chrono_tz::Tz,
) -> (String, String) {
    let zone = crate::time::parse_zone(&event.time_zone).unwrap_or(fallback);
    match chrono::DateTime::from_timestamp(at, 0) {
        Some(utc) => {
            let local = utc.with_timezone(&zone);
            (
                crate::time::format_date_time(lang, local.naive_local()),
                local.to_rfc3339(),
            )
        }
        None => (String::new(), String::new()),
    }
}

/// A stored notice as `lang` reads it, for `event` (already redacted for
/// its reader, as `disclosure` says) whose date and time read `when`. A
/// reader who sees a sensitive event as the public does never gets an
/// organiser's words (which may name the place), should any reach them.
pub fn view(
    site: &Site,
    notice: &NoticeRow,
    event: &EventRow,
    disclosure: Disclosure,
    when: &str,
    lang: Lang,
) -> NoticeView {
    let (at_label, at_iso) =
        at_labels(event, notice.created_at, lang, site.settings().default_zone);
    NoticeView {
        text: notice_text(lang, notice.kind, &notice.detail, when),
        body_html: if shows_words(notice, disclosure) {
            super::events::markdown_html(&notice.body)
        } else {
            String::new()
        },
        body_lang: notice.lang.unwrap_or(lang),
        at_label,
        at_iso,
    }
}

/// Whether a reader who sees the event as `disclosure` says is shown an
/// announcement's own words: not one who sees a sensitive event as the
/// public does (they may name the place).
fn shows_words(notice: &NoticeRow, disclosure: Disclosure) -> bool {
    notice.kind == NoticeKind::Announcement && disclosure != Disclosure::Redacted
}

/// The notices that reached an answer, newest first, as `lang` reads them.
pub async fn of_answer(
    site: &Site,
    rsvp_id: i64,
    event: &EventRow,
    disclosure: Disclosure,
    when: &str,
    lang: Lang,
) -> DbResult<Vec<NoticeView>> {
    Ok(notices::of_answer(&site.db, rsvp_id)
        .await?
        .iter()
        .map(|notice| view(site, notice, event, disclosure, when, lang))
        .collect())
}

/// A notice as plain text, for a calendar entry's description: when, what
/// happened, and an announcement's own words.
pub fn plain_text(
    site: &Site,
    notice: &NoticeRow,
    event: &EventRow,
    disclosure: Disclosure,
    when: &str,
    lang: Lang,
) -> String {
    let (at, _) = at_labels(event, notice.created_at, lang, site.settings().default_zone);
    let text = notice_text(lang, notice.kind, &notice.detail, when);
    if shows_words(notice, disclosure) {
        format!("{at} — {text}\n{}", notice.body.trim())
    } else {
        format!("{at} — {text}")
    }
}

/// Gives the notices whose moment has come at `now`: reminders, and the
/// hour a sensitive event's place shows. Each event's is given under its
/// lock, once for each start it has, by whichever app server comes first;
/// returns how many events gave one.
pub async fn give_due(site: &Site, now: i64) -> DbResult<usize> {
    let mut given = 0;
    for moment in [Moment::Reminder, Moment::PlaceRevealed] {
        for event_id in notices::due(&site.db, moment, now).await? {
            let mut lock = match rsvps::lock(&site.db, event_id).await {
                Ok(lock) => lock,
                // Deleted meanwhile.
                Err(DbError::NotFound) => continue,
                Err(other) => return Err(other),
            };
            if !notices::claim(lock.conn(), event_id, moment, now).await? {
                continue;
            }
            let sensitive = crate::db::events::by_id_in(lock.conn(), event_id, Lang::En)
                .await?
                .is_some_and(|event| event.sensitive);
            let (notice, to) = match moment {
                Moment::Reminder => (
                    NewNotice::of(NoticeKind::Reminder),
                    Recipients::reminded(sensitive),
                ),
                Moment::PlaceRevealed => {
                    (NewNotice::of(NoticeKind::PlaceRevealed), Recipients::GOING)
                }
            };
            lock.notify(notice, to, now).await?;
            lock.commit().await?;
            given += 1;
        }
    }
    Ok(given)
}
