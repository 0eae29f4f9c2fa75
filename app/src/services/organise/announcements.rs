//! An organiser's message to those who answered an event: written under
//! the event's lock with whom it reached, so that it reaches exactly the
//! answers that stand as it is sent, and counted, never listed.

use super::*;
use crate::db::notices::{self, NewNotice, Recipients};
use crate::notices::{limits, AnnouncementForm, NoticeKind, SentAnnouncement};

/// Sends an announcement; returns how many answers it reached. Refused
/// (a problem on the message) past the event's daily number.
pub async fn announce(
    site: &Site,
    account: &AccountInfo,
    slug: &str,
    form: &AnnouncementForm,
    now: i64,
) -> Result<i64, OrganiseError> {
    let event = managed_event(site, account, slug, Lang::En).await?;
    let announcement = form
        .validate(&site.settings().languages)
        .map_err(OrganiseError::Invalid)?;
    let mut lock = rsvps::lock(&site.db, event.id).await?;
    // Counted under the lock: two sent at once are counted one after the
    // other.
    let sent_today = notices::announcements_since(lock.conn(), event.id, now - 86_400).await?;
    if sent_today >= limits::ANNOUNCEMENTS_PER_DAY {
        return Err(invalid(
            "message",
            Problem::TooManyAnnouncements {
                max: limits::ANNOUNCEMENTS_PER_DAY,
            },
        ));
    }
    // Whether the event is sensitive as it stands now, under the lock.
    let sensitive = events::by_id_in(lock.conn(), event.id, Lang::En)
        .await?
        .ok_or(OrganiseError::NotFound)?
        .sensitive;
    let notice = NewNotice {
        kind: NoticeKind::Announcement,
        detail: announcement.audience.as_str(),
        body: &announcement.message,
        lang: Some(announcement.lang),
    };
    let to = Recipients::of(announcement.audience, sensitive);
    let reached = lock.notify(notice, to, now).await?;
    let action = format!("sent a message to {reached} answers of");
    crate::db::audit::audit_in(lock.conn(), Some(account), &action, slug, now).await?;
    lock.commit().await?;
    Ok(reached)
}

/// The event's announcements, newest first, as its organisers see them:
/// what, to which audience, to how many.
pub(super) async fn sent(
    site: &Site,
    event: &EventRow,
    lang: Lang,
) -> Result<Vec<SentAnnouncement>, OrganiseError> {
    let zone = site.settings().default_zone;
    Ok(notices::announcements(&site.db, event.id)
        .await?
        .into_iter()
        .map(|notice| {
            let (at_label, _) =
                crate::services::notices::at_labels(event, notice.created_at, lang, zone);
            SentAnnouncement {
                body_html: crate::services::markdown_html(&notice.body),
                lang: notice.lang.unwrap_or(lang),
                audience: crate::notices::Audience::parse(&notice.detail)
                    .unwrap_or(crate::notices::Audience::Everyone),
                recipients: notice.recipients,
                at_label,
            }
        })
        .collect())
}
