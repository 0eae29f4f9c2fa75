//! Check-in at the door, by the code a member shows.

use super::*;

async fn door(
    site: &Site,
    event: EventRow,
    lang: Lang,
    result: Option<CheckInResult>,
) -> Result<CheckInPage, OrganiseError> {
    let (arrived, expected) = rsvps::headcount(&site.db, event.id).await?;
    Ok(CheckInPage {
        when_label: when_label(lang, &event),
        slug: event.slug,
        title: event.text.title,
        headcount: Headcount { arrived, expected },
        result,
    })
}

/// The check-in screen before any code is entered.
pub async fn check_in_page(
    site: &Site,
    account: &AccountInfo,
    slug: &str,
    lang: Lang,
) -> Result<CheckInPage, OrganiseError> {
    let event = managed_event(site, account, slug, lang).await?;
    door(site, event, lang, None).await
}

/// Checks in the answer with the door code a member shows; its name is
/// opened with `opener`, the session's organisation key.
pub async fn check_in(
    site: &Site,
    account: &AccountInfo,
    opener: &Opener,
    slug: &str,
    code: &str,
    lang: Lang,
    now: i64,
) -> Result<CheckInPage, OrganiseError> {
    let event = managed_event(site, account, slug, lang).await?;
    // People read codes aloud and type them on phones: ignore case and spaces.
    let code: String = code
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_uppercase)
        .collect();
    let result = match rsvps::by_short_code(&site.db, event.id, &code).await? {
        None => CheckInResult::NoSuchCode,
        Some(rsvp) => {
            let people = 1 + rsvp.guests;
            // Without the organisation's key the name stays sealed: the
            // code the member showed stands in for it.
            let name = opener
                .personal(&rsvp)
                .map(|p| p.name.clone())
                .unwrap_or_else(|| code.clone());
            if rsvp.answer != Answer::Going || rsvp.state != RsvpState::Confirmed {
                CheckInResult::NotConfirmed {
                    name,
                    state: rsvp.state,
                    answer: rsvp.answer,
                }
            } else if rsvps::check_in(&site.db, rsvp.id, now).await? {
                crate::db::audit::audit(
                    &site.db,
                    Some(account),
                    "checked in an RSVP at",
                    slug,
                    now,
                )
                .await?;
                CheckInResult::CheckedIn { name, people }
            } else {
                CheckInResult::AlreadyIn { name, people }
            }
        }
    };
    door(site, event, lang, Some(result)).await
}
