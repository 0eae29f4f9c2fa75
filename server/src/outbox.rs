//! Sends the outbox's emails: claims the due ones, writes each for its
//! member, hands it to the mail path, and records how it went. A failure
//! is logged (by the step that failed, never with the mail server's words,
//! which may repeat the address) and tried again later; it never reaches
//! the organiser or member whose action caused the notice.

use crate::mail::Mailer;
use app::services::outbox;
use app::services::Site;

/// How a round of sending went.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Round {
    pub sent: usize,
    pub failed: usize,
    pub dropped: usize,
}

/// Sends the emails due now, as many as the hourly limit lets through.
/// Each is sent only after its claim is renewed for the time a send may
/// take: one whose claim ran out (and may be another sender's now) is
/// left alone.
pub async fn send_due(
    site: &Site,
    mailer: &Mailer,
    per_hour: i64,
    lease_seconds: i64,
) -> Result<Round, app::db::DbError> {
    let mut round = Round::default();
    let claimed = outbox::claim(site, per_hour, lease_seconds, app::services::now()).await?;
    for email in &claimed {
        let now = app::services::now();
        if !app::db::outbox::renew(&site.db, email, now + lease_seconds, now).await? {
            continue;
        }
        let sent = match outbox::letter(site, email).await? {
            None => None,
            Some(letter) => match mailer.letter(&letter) {
                Err(_) => {
                    tracing::warn!(email = email.id, "an email could not be written: its address is not one the mail library takes");
                    None
                }
                Ok(message) => match mailer.send(message).await {
                    Ok(()) => Some(true),
                    Err(error) => {
                        let step = error.step();
                        let attempts = email.attempts;
                        if attempts >= outbox::MAX_ATTEMPTS {
                            tracing::error!(
                                email = email.id,
                                attempts,
                                step,
                                "an email was given up"
                            );
                        } else {
                            tracing::warn!(
                                email = email.id,
                                attempts,
                                step,
                                "an email failed; it will be tried again"
                            );
                        }
                        Some(false)
                    }
                },
            },
        };
        match sent {
            Some(true) => round.sent += 1,
            Some(false) => round.failed += 1,
            None => round.dropped += 1,
        }
        outbox::finish(site, email, sent, app::services::now()).await?;
    }
    Ok(round)
}
