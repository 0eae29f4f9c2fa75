//! Notices by email: a member's opt-in (their address encrypted under the
//! mail key, with the private link the emails lead back to), the emails
//! as they are written, and the outbox's claims, as the server's sender
//! uses them. Sending itself is the server's (it holds the mail path).

use super::Site;
use crate::db::events::{self, EventRow};
use crate::db::notices::NoticeRow;
use crate::db::outbox::{self, Claimed, Outcome};
use crate::db::rsvps::{MailChange, MailOptIn};
use crate::db::DbResult;
use crate::i18n::Lang;
use crate::notices::{notice_text, NoticeKind};
use crate::rsvp::{Answer, RsvpInput};
use crate::sealing::MailCopy;
use crate::{secrets, tr};

/// The token of the link that stops a member's emails: derived from their
/// private link (so nothing more is kept), and leading nowhere else.
pub fn stop_token(private_token: &str) -> String {
    secrets::derived_token(private_token, "stop the emails of an answer")
}

/// A member's email as stored, for the answer `input` behind `token`:
/// `None` when none is given, the answer is "not going" (told nothing), or
/// the instance sends no email.
pub fn opt_in(site: &Site, input: &RsvpInput, token: &str) -> Option<MailOptIn> {
    let key = site.mail_key()?;
    if input.email.trim().is_empty() || input.answer == Answer::NotGoing {
        return None;
    }
    let copy = MailCopy {
        address: input.email.trim().to_string(),
        token: token.to_string(),
    };
    Some(MailOptIn {
        sealed: key.seal(&copy, &secrets::token_hash(token)),
        stop_hash: secrets::token_hash(&stop_token(token)),
    })
}

/// What a changed answer does to the member's email: kept as it is when the
/// instance sends no email (its form has no such field), else set to what
/// the form says (empty, or "not going": deleted).
pub fn mail_change(site: &Site, input: &RsvpInput, token: &str) -> MailChange {
    if site.mail_key().is_none() {
        return MailChange::Keep;
    }
    opt_in(site, input, token).map_or(MailChange::Clear, MailChange::Set)
}

/// The address a member gave, as their private page shows it back.
pub fn address_of(site: &Site, row: &crate::db::rsvps::RsvpRow) -> String {
    site.mail_key()
        .and_then(|key| key.open(&row.mail_sealed, &row.token_hash).ok())
        .map(|copy| copy.address.clone())
        .unwrap_or_default()
}

/// An email ready for the mail path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Letter {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub lang: Lang,
    /// The link that stops these emails (for `List-Unsubscribe`).
    pub stop_url: String,
    /// The same for every attempt at one email: its `Message-ID` is made
    /// from it, so that a mail client shows a message sent twice once.
    pub message_key: String,
}

/// How long a sender may hold a claim before another takes the email over.
pub const LEASE_SECONDS: i64 = 120;
/// Emails claimed at once.
pub const BATCH: i64 = 20;
/// Attempts before an email is given up.
pub const MAX_ATTEMPTS: i64 = 8;

/// Claims the emails due now for this sender, within `per_hour` emails an
/// hour from the whole instance, for `lease_seconds`.
pub async fn claim(
    site: &Site,
    per_hour: i64,
    lease_seconds: i64,
    now: i64,
) -> DbResult<Vec<Claimed>> {
    let owner = secrets::new_token();
    outbox::claim(&site.db, &owner, now, now + lease_seconds, per_hour, BATCH).await
}

/// The email a claim is for, as its member reads it; `None` when there is
/// nothing to send any more (the address deleted, the event gone).
pub async fn letter(site: &Site, claimed: &Claimed) -> DbResult<Option<Letter>> {
    let Some(key) = site.mail_key() else {
        return Ok(None);
    };
    let Some(to) = outbox::recipient(&site.db, claimed.rsvp_id).await? else {
        return Ok(None);
    };
    let Ok(copy) = key.open(&to.mail_sealed, &to.token_hash) else {
        tracing::warn!(
            email = claimed.id,
            "an email address does not open with the mail key (was the key replaced?)"
        );
        return Ok(None);
    };
    let Some(notice) = crate::db::notices::by_id(&site.db, claimed.notice_id).await? else {
        return Ok(None);
    };
    let settings = site.settings();
    let lang = settings.lang(Some(&to.lang));
    let Some(event) = events::by_id(&site.db, to.event_id, lang).await? else {
        return Ok(None);
    };
    let base = &settings.base_url;
    let links = Links {
        private: format!("{base}{}", crate::paths::private(&copy.token)),
        stop: format!(
            "{base}{}",
            crate::paths::mail_stop(&stop_token(&copy.token))
        ),
    };
    let (subject, text, html) = compose(lang, &settings.instance_name, &notice, &event, &links);
    Ok(Some(Letter {
        to: copy.address.clone(),
        subject,
        text,
        html,
        lang,
        stop_url: links.stop,
        // Made with the mail key: a copy of the database cannot tie a
        // mail server's log of this message to the answer.
        message_key: key.tag(&format!("email {}", claimed.id)),
    }))
}

/// Records how a claimed email ended: sent; failed (again later, with a
/// longer wait each time, until it is given up); or never to be sent.
pub async fn finish(site: &Site, claimed: &Claimed, sent: Option<bool>, now: i64) -> DbResult<()> {
    let outcome = match sent {
        Some(true) => Outcome::Sent,
        Some(false) if claimed.attempts < MAX_ATTEMPTS => {
            Outcome::Retry(now + backoff(claimed.attempts))
        }
        _ => Outcome::Dropped,
    };
    outbox::finish(&site.db, claimed, outcome, now).await?;
    Ok(())
}

/// Seconds before a failed email is tried again, after `attempts`: one
/// minute, then five, then half an hour, then every two hours.
pub fn backoff(attempts: i64) -> i64 {
    match attempts {
        ..=1 => 60,
        2 => 300,
        3 => 1_800,
        _ => 7_200,
    }
}

/// Deletes the addresses of events that have ended; on SQLite the
/// write-ahead log is emptied after, so that no old page keeps them.
pub async fn forget_ended(site: &Site, now: i64) -> DbResult<u64> {
    let forgotten = outbox::forget_ended(&site.db, now).await?;
    if forgotten > 0 && !site.db.flush_deleted().await? {
        tracing::warn!("the database's write-ahead log stayed busy: deleted addresses may remain in it until the next deletion");
    }
    Ok(forgotten)
}

/// Stops the emails behind a stop link: false when it stops nothing (any
/// more).
pub async fn stop(site: &Site, token: &str, now: i64) -> DbResult<bool> {
    if !secrets::looks_like_token(token) {
        return Ok(false);
    }
    let stopped = outbox::stop(&site.db, &secrets::token_hash(token), now).await?;
    if stopped {
        site.db.flush_deleted().await?;
    }
    Ok(stopped)
}

/// Whether a stop link stops anything now.
pub async fn stop_known(site: &Site, token: &str) -> DbResult<bool> {
    if !secrets::looks_like_token(token) {
        return Ok(false);
    }
    outbox::stop_known(&site.db, &secrets::token_hash(token)).await
}

/// Where an email leads: the member's private page, and the link that
/// stops the emails.
pub struct Links {
    pub private: String,
    pub stop: String,
}

/// Text that may go into HTML.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// An email's subject, plain text and HTML, in `lang`. No image, no remote
/// content, nothing that tells anyone it was opened. A sensitive event's
/// email names neither its title nor its place, nor what an organiser
/// wrote: only that something changed, and the private page, which shows
/// what the member may see.
pub fn compose(
    lang: Lang,
    instance: &str,
    notice: &NoticeRow,
    event: &EventRow,
    links: &Links,
) -> (String, String, String) {
    let footer = tr!(lang, mail_footer);
    let stop_label = tr!(lang, mail_stop_link);
    let html_page = |subject: &str, body: String| {
        format!(
            "<!DOCTYPE html>\n<html lang=\"{}\" dir=\"{}\"><head><meta charset=\"utf-8\">\
             <title>{}</title></head><body>{body}<hr><p><small>{}<br>{} \
             <a href=\"{}\">{}</a></small></p></body></html>\n",
            lang.tag(),
            lang.dir(),
            escape(subject),
            escape(footer),
            escape(stop_label),
            escape(&links.stop),
            escape(&links.stop),
        )
    };
    let open_label = tr!(lang, mail_open_private_page);
    if event.sensitive {
        let subject = format!("{instance}: {}", tr!(lang, mail_subject_sensitive));
        let said = tr!(lang, mail_body_sensitive);
        let text = format!(
            "{said}\n{}\n\n-- \n{footer}\n{stop_label} {}\n",
            links.private, links.stop
        );
        let body = format!(
            "<p>{}<br><a href=\"{}\">{}</a></p>",
            escape(said),
            escape(&links.private),
            escape(&links.private)
        );
        let html = html_page(&subject, body);
        return (subject, text, html);
    }
    let when = super::local_times(event)
        .map(|(start, end, _)| super::when_label(lang, event, start, end))
        .unwrap_or_default();
    let headline = notice_text(lang, notice.kind, &notice.detail, &when);
    let title = event.text.title.trim();
    let subject: String = format!("{title} — {headline}").chars().take(150).collect();
    let place = super::place_of(event);
    let message = (notice.kind == NoticeKind::Announcement)
        .then(|| notice.body.trim())
        .filter(|body| !body.is_empty());
    let facts: Vec<&str> = [title, when.as_str(), place.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    let mut text = format!("{headline}\n\n");
    if let Some(message) = message {
        text.push_str(message);
        text.push_str("\n\n");
    }
    text.push_str(&facts.join("\n"));
    text.push_str(&format!(
        "\n\n{open_label} {}\n\n-- \n{footer}\n{stop_label} {}\n",
        links.private, links.stop
    ));
    let mut body = format!("<p><strong>{}</strong></p>", escape(&headline));
    if let Some(message) = message {
        let written_in = notice.lang.unwrap_or(lang);
        body.push_str(&format!(
            "<div lang=\"{}\" dir=\"{}\">{}</div>",
            written_in.tag(),
            written_in.dir(),
            super::markdown_html(message)
        ));
    }
    let facts_html: Vec<String> = facts.iter().map(|fact| escape(fact)).collect();
    body.push_str(&format!(
        "<p>{}</p><p>{} <a href=\"{}\">{}</a></p>",
        facts_html.join("<br>"),
        escape(open_label),
        escape(&links.private),
        escape(&links.private)
    ));
    let html = html_page(&subject, body);
    (subject, text, html)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{EventKind, EventStatus, EventText};

    fn event(sensitive: bool) -> EventRow {
        EventRow {
            id: 7,
            slug: "study-circle".into(),
            kind: EventKind::Meeting,
            status: EventStatus::Scheduled,
            start_local: "2099-05-01T18:00".into(),
            end_local: "2099-05-01T20:00".into(),
            time_zone: "America/Toronto".into(),
            all_day: false,
            sensitive,
            public_title: String::new(),
            reveal_hours: None,
            reminder_hours: 24,
            starts_at: 4_081_356_000,
            ends_at: 4_081_363_200,
            venue_name: "Library".into(),
            venue_address: "5000 avenue du Parc".into(),
            city: "Montréal".into(),
            online_url: String::new(),
            capacity: None,
            seats_taken: 0,
            hide_counts: false,
            count_threshold: 5,
            previous_starts_at: None,
            sequence: 0,
            updated_at: 0,
            organiser_id: None,
            text: EventText {
                title: "Study circle".into(),
                ..Default::default()
            },
            text_lang: Lang::En,
        }
    }

    fn notice(kind: NoticeKind) -> NoticeRow {
        NoticeRow {
            id: 1,
            event_id: 7,
            kind,
            detail: if kind == NoticeKind::Changed {
                "time place".into()
            } else {
                String::new()
            },
            body: "Bring tea<script>alert(1)</script> & **cups**".into(),
            lang: Some(Lang::En),
            recipients: 1,
            created_at: 0,
        }
    }

    fn links() -> Links {
        Links {
            private: "https://events.example/rsvp/TOKEN".into(),
            stop: "https://events.example/mail/stop/STOP".into(),
        }
    }

    #[test]
    fn every_notice_reads_in_every_language_with_its_links() {
        let links = links();
        for lang in Lang::ALL {
            for kind in NoticeKind::ALL {
                let (subject, text, html) =
                    compose(lang, "Society", &notice(kind), &event(false), &links);
                let said = notice_text(lang, kind, &notice(kind).detail, "");
                let first_words: String = said.chars().take(12).collect();
                assert!(subject.starts_with("Study circle — "), "{subject}");
                assert!(text.contains(&first_words), "{lang:?} {kind:?}: {text}");
                assert!(text.contains(&links.private) && text.contains(&links.stop));
                assert!(html.contains(&format!(
                    "<html lang=\"{}\" dir=\"{}\">",
                    lang.tag(),
                    lang.dir()
                )));
                assert!(text.contains("Library, 5000 avenue du Parc, Montréal"));
                assert_eq!(text.contains("**cups**"), kind == NoticeKind::Announcement);
                // The organiser's words, sanitised; nothing else of theirs.
                assert!(!html.contains("<script") && !html.contains("alert"));
            }
        }
    }

    #[test]
    fn a_sensitive_events_email_says_only_that_something_changed() {
        let links = links();
        for lang in Lang::ALL {
            for kind in NoticeKind::ALL {
                let (subject, text, html) =
                    compose(lang, "Society", &notice(kind), &event(true), &links);
                for secret in ["Study", "Library", "Parc", "Montréal", "tea", "cups"] {
                    assert!(
                        !subject.contains(secret)
                            && !text.contains(secret)
                            && !html.contains(secret)
                    );
                }
                assert!(text.contains(&links.private));
                assert!(subject.starts_with("Society: "));
            }
        }
    }

    #[test]
    fn failed_emails_wait_longer_each_time() {
        let waits: Vec<i64> = (1..=MAX_ATTEMPTS).map(backoff).collect();
        assert!(waits.windows(2).all(|w| w[0] <= w[1]), "{waits:?}");
        assert_eq!(waits[0], 60);
    }
}
