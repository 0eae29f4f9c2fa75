//! The event editor: reading its form, creating, editing, postponing,
//! cancelling and duplicating events.

use super::*;
use crate::db::notices::{NewNotice, Recipients};
use crate::notices::{Changes, NoticeKind};

/// An event as the editor sends it, checked: the draft and its RSVP rules.
#[derive(Debug)]
pub struct EventInput {
    pub event: ValidEvent,
    pub rules: RulesInput,
}

/// The most hours before its start that a sensitive event's place may be
/// set to be revealed (30 days).
pub const MAX_REVEAL_HOURS: i64 = 720;
/// The most seats taken an organiser may keep the counts hidden under.
pub const MAX_COUNT_THRESHOLD: i64 = 1_000;
/// What a new event's counts stay hidden under: a handful of names is
/// easy to guess from a number.
pub const DEFAULT_COUNT_THRESHOLD: i64 = 5;
/// The most hours before its start that an event's reminder may be set
/// for (30 days).
pub const MAX_REMINDER_HOURS: i64 = 720;
pub use crate::db::rsvps::DEFAULT_REMINDER_HOURS;

/// An optional whole number field: `None` when empty; a problem (and
/// `None`) when it is not a number from `min` to `max`.
fn number_between(
    pairs: &[(String, String)],
    name: &str,
    min: i64,
    max: i64,
    errors: &mut Vec<FieldError>,
) -> Option<i64> {
    let text = field(pairs, name).trim();
    if text.is_empty() {
        return None;
    }
    let number = text.parse::<i64>().ok().filter(|n| (min..=max).contains(n));
    if number.is_none() {
        errors.push(FieldError {
            field: name.into(),
            problem: Problem::NotBetween { min, max },
        });
    }
    number
}

/// Reads the editor's fields (`title.en`, `start`, `capacity`, ...). Texts
/// come in every offered language; a language whose fields are all empty
/// has no text.
pub fn parse_event_form(
    pairs: &[(String, String)],
    offered: &[Lang],
) -> Result<EventInput, Vec<FieldError>> {
    let mut errors = Vec::new();
    let text = |lang: Lang| EventText {
        title: field(pairs, &format!("title.{}", lang.tag()))
            .trim()
            .to_string(),
        summary: field(pairs, &format!("summary.{}", lang.tag()))
            .trim()
            .to_string(),
        description: field(pairs, &format!("description.{}", lang.tag())).replace("\r\n", "\n"),
        ..Default::default()
    };
    let texts: Vec<(Lang, EventText)> = offered
        .iter()
        .map(|lang| (*lang, text(*lang)))
        .filter(|(_, t)| !(t.title.is_empty() && t.summary.is_empty() && t.description.is_empty()))
        .collect();
    let original_lang = Lang::from_tag(field(pairs, "original_lang"))
        .filter(|l| offered.contains(l))
        .unwrap_or(offered[0]);
    let capacity = match field(pairs, "capacity").trim() {
        "" => None,
        text => match text.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                errors.push(FieldError {
                    field: "capacity".into(),
                    problem: Problem::NotBetween {
                        min: 1,
                        max: crate::domain::limits::CAPACITY,
                    },
                });
                None
            }
        },
    };
    let draft = EventDraft {
        slug: field(pairs, "slug").trim().to_lowercase(),
        kind: EventKind::parse(field(pairs, "kind")).unwrap_or(EventKind::Other),
        status: EventStatus::parse(field(pairs, "status")).unwrap_or(EventStatus::Scheduled),
        start_local: field(pairs, "start").to_string(),
        end_local: field(pairs, "end").to_string(),
        time_zone: field(pairs, "time_zone").trim().to_string(),
        all_day: ticked(pairs, "all_day"),
        sensitive: ticked(pairs, "sensitive"),
        public_title: field(pairs, "public_title").trim().to_string(),
        venue_name: field(pairs, "venue_name").trim().to_string(),
        venue_address: field(pairs, "venue_address").trim().to_string(),
        city: field(pairs, "city").trim().to_string(),
        online_url: field(pairs, "online_url").trim().to_string(),
        capacity,
        original_lang,
        texts,
    };
    let draft_sensitive = draft.sensitive;
    let zone = crate::time::parse_zone(&draft.time_zone);
    let deadline = match field(pairs, "deadline").trim() {
        "" => None,
        text => {
            let instant = crate::time::parse_local(text)
                .zip(zone)
                .and_then(|(local, zone)| crate::time::resolve(local, zone).ok());
            if instant.is_none() {
                errors.push(FieldError {
                    field: "deadline".into(),
                    problem: Problem::InvalidDateTime,
                });
            }
            instant.map(|t| t.timestamp())
        }
    };
    let event = match draft.validate() {
        Ok(event) => Some(event),
        Err(found) => {
            errors.extend(found);
            None
        }
    };
    let approval_required = ticked(pairs, "approval_required");
    // Who may learn a sensitive event's place is an organiser's decision,
    // every time: the two go together or not at all.
    if draft_sensitive && !approval_required {
        errors.push(FieldError {
            field: "approval_required".into(),
            problem: Problem::SensitiveNeedsApproval,
        });
    }
    let reveal_hours = number_between(pairs, "reveal_hours", 1, MAX_REVEAL_HOURS, &mut errors);
    let reminder_hours =
        number_between(pairs, "reminder_hours", 0, MAX_REMINDER_HOURS, &mut errors)
            .unwrap_or(DEFAULT_REMINDER_HOURS);
    let count_threshold = number_between(
        pairs,
        "count_threshold",
        0,
        MAX_COUNT_THRESHOLD,
        &mut errors,
    );
    match event {
        Some(event) if errors.is_empty() => Ok(EventInput {
            event,
            rules: RulesInput {
                open: ticked(pairs, "rsvp_open"),
                deadline,
                approval_required,
                hide_counts: ticked(pairs, "hide_counts"),
                // Only an explicit 0 shows the counts always.
                count_threshold: count_threshold.unwrap_or(DEFAULT_COUNT_THRESHOLD),
                reveal_hours,
                reminder_hours,
            },
        }),
        _ => Err(errors),
    }
}

/// The editor's fields for a stored event.
async fn form_values(
    site: &Site,
    event: &EventRow,
) -> Result<Vec<(String, String)>, OrganiseError> {
    let rules = rsvps::rules(&site.db, event.id)
        .await?
        .ok_or(OrganiseError::NotFound)?;
    let (original, texts) = events::texts(&site.db, event.id).await?;
    let on = |b: bool| if b { "on" } else { "" }.to_string();
    let zone = crate::time::parse_zone(&event.time_zone).unwrap_or(site.settings().default_zone);
    let deadline = rules
        .deadline
        .and_then(|d| chrono::DateTime::from_timestamp(d, 0))
        .map(|d| crate::time::format_local(d.with_timezone(&zone).naive_local()))
        .unwrap_or_default();
    let mut values = vec![
        ("slug".to_string(), event.slug.clone()),
        // What the form was filled from: a save on top of a later change
        // is refused (see `save_event`).
        ("version".into(), event.updated_at.to_string()),
        ("kind".into(), event.kind.as_str().into()),
        ("start".into(), event.start_local.clone()),
        ("end".into(), event.end_local.clone()),
        ("time_zone".into(), event.time_zone.clone()),
        ("all_day".into(), on(event.all_day)),
        ("sensitive".into(), on(event.sensitive)),
        ("public_title".into(), event.public_title.clone()),
        ("venue_name".into(), event.venue_name.clone()),
        ("venue_address".into(), event.venue_address.clone()),
        ("city".into(), event.city.clone()),
        ("online_url".into(), event.online_url.clone()),
        (
            "capacity".into(),
            event.capacity.map(|c| c.to_string()).unwrap_or_default(),
        ),
        ("original_lang".into(), original.tag().into()),
        (
            "reveal_hours".into(),
            event
                .reveal_hours
                .map(|h| h.to_string())
                .unwrap_or_default(),
        ),
        ("rsvp_open".into(), on(rules.open)),
        ("approval_required".into(), on(rules.approval_required)),
        ("hide_counts".into(), on(rules.hide_counts)),
        ("count_threshold".into(), rules.count_threshold.to_string()),
        ("reminder_hours".into(), event.reminder_hours.to_string()),
        ("deadline".into(), deadline),
    ];
    for (lang, text) in texts {
        values.push((format!("title.{}", lang.tag()), text.title));
        values.push((format!("summary.{}", lang.tag()), text.summary));
        values.push((format!("description.{}", lang.tag()), text.description));
    }
    Ok(values)
}

/// The editor, empty for a new event (`slug` `None`) or filled from one.
pub async fn event_form(
    site: &Site,
    account: &AccountInfo,
    slug: Option<&str>,
    lang: Lang,
) -> Result<EventFormData, OrganiseError> {
    let languages = site.settings().languages.clone();
    let Some(slug) = slug else {
        return Ok(EventFormData {
            slug: None,
            status: None,
            values: vec![
                ("kind".into(), EventKind::Meeting.as_str().into()),
                (
                    "time_zone".into(),
                    site.settings().default_zone.name().into(),
                ),
                ("original_lang".into(), lang.tag().into()),
                ("rsvp_open".into(), "on".into()),
                (
                    "count_threshold".into(),
                    DEFAULT_COUNT_THRESHOLD.to_string(),
                ),
                ("reminder_hours".into(), DEFAULT_REMINDER_HOURS.to_string()),
            ],
            errors: Vec::new(),
            languages,
            poster: None,
        });
    };
    let event = managed_event(site, account, slug, lang).await?;
    let mut values = form_values(site, &event).await?;
    let (poster, alts) = poster_form(site, &event, lang).await?;
    values.extend(alts);
    Ok(EventFormData {
        slug: Some(event.slug.clone()),
        status: Some(event.status),
        values,
        errors: Vec::new(),
        languages,
        poster,
    })
}

/// Creates an event (`slug` `None`; the account becomes its organiser) or
/// updates one; returns its slug. An update that moves the date, time,
/// place, title or status raises the event's SEQUENCE.
///
/// Everything is written in one transaction — the event, its texts, its
/// organiser, its rules and capacity, the audit entry — and an update holds
/// the event's lock, as answers do: a capacity is checked against the seats
/// taken at that moment (never below them), a larger one confirms the
/// waitlist at once, and an event made sensitive sends its unvetted
/// "going" answers to approval.
pub async fn save_event(
    site: &Site,
    account: &AccountInfo,
    slug: Option<&str>,
    pairs: &[(String, String)],
    now: i64,
) -> Result<String, OrganiseError> {
    let offered = &site.settings().languages;
    let stored = match slug {
        Some(slug) => Some(managed_event(site, account, slug, Lang::En).await?),
        None => None,
    };
    let mut pairs = pairs.to_vec();
    let version = field(&pairs, "version").trim().parse::<i64>().ok();
    if let Some(stored) = &stored {
        // The status does not change here; the address only for a
        // sensitive event, whose address must be able to say nothing (the
        // database keeps the old one for any other event).
        pairs.retain(|(k, _)| k != "status");
        if !ticked(&pairs, "sensitive") || field(&pairs, "slug").trim().is_empty() {
            pairs.retain(|(k, _)| k != "slug");
            pairs.push(("slug".into(), stored.slug.clone()));
        }
        pairs.push(("status".into(), stored.status.as_str().into()));
    }
    // A new event's address, unless the organiser wrote one, is made from
    // its title; when taken, a number follows ("iftar-2").
    let derived = stored.is_none() && field(&pairs, "slug").trim().is_empty();
    if derived {
        let original = field(&pairs, "original_lang").to_string();
        let title = field(&pairs, &format!("title.{original}")).to_string();
        pairs.retain(|(k, _)| k != "slug");
        pairs.push(("slug".into(), crate::domain::slug_from(&title)));
    }
    let mut input = parse_event_form(&pairs, offered).map_err(OrganiseError::Invalid)?;
    let mut slug = input.event.draft.slug.clone();
    match &stored {
        None => {
            let base = slug.clone();
            let mut attempt = 1;
            loop {
                let mut tx = site.db.begin_write().await?;
                let id = match events::insert_in(&mut tx, &input.event, None, now).await {
                    Ok(id) => id,
                    Err(DbError::Conflict) if derived && attempt < 20 => {
                        attempt += 1;
                        slug = format!("{base}-{attempt}");
                        input.event.draft.slug = slug.clone();
                        continue;
                    }
                    Err(DbError::Conflict) => return Err(invalid("slug", Problem::Taken)),
                    Err(other) => return Err(other.into()),
                };
                events::set_organiser(&mut tx, id, Some(account.id)).await?;
                rsvps::write_rules(&mut tx, id, &input.rules).await?;
                crate::db::audit::audit_in(&mut tx, Some(account), "created", &slug, now).await?;
                tx.commit().await.map_err(DbError::from)?;
                site.db.note_change();
                break;
            }
        }
        Some(stored) => {
            let (_, old_texts) = events::texts(&site.db, stored.id).await?;
            let d = &input.event.draft;
            let title_changed = d.texts.iter().any(|(lang, text)| {
                old_texts
                    .iter()
                    .find(|(l, _)| l == lang)
                    .is_none_or(|(_, old)| old.title != text.title)
            });
            let changes = Changes {
                time: stored.start_local != format_local(input.event.start)
                    || stored.end_local != format_local(input.event.end)
                    || stored.time_zone != d.time_zone
                    || stored.all_day != d.all_day,
                place: stored.venue_name != d.venue_name
                    || stored.venue_address != d.venue_address
                    || stored.city != d.city
                    || stored.online_url != d.online_url,
            };
            let noticeable = title_changed
                || changes.any()
                || stored.sensitive != d.sensitive
                || stored.public_title != d.public_title;
            let mut lock = rsvps::lock(&site.db, stored.id).await?;
            // As of now, under the lock. A form filled before someone else
            // saved the event would undo their change (make a sensitive
            // event public again, reopen answers): it is refused, with the
            // version to save over deliberately.
            let now_stored = events::by_id_in(lock.conn(), stored.id, Lang::En)
                .await?
                .ok_or(OrganiseError::NotFound)?;
            if version.is_some_and(|v| v != now_stored.updated_at) {
                return Err(invalid(
                    "version",
                    Problem::ChangedMeanwhile {
                        version: now_stored.updated_at,
                    },
                ));
            }
            // A cancellation that landed since the form was read stays.
            input.event.draft.status = now_stored.status;
            let was_sensitive = now_stored.sensitive;
            let d = &input.event.draft;
            if let Err(taken) = lock.set_capacity(d.capacity, now).await? {
                return Err(invalid("capacity", Problem::BelowAttendance { taken }));
            }
            match events::update_in(lock.conn(), stored.id, &input.event, noticeable, now).await {
                Err(DbError::Conflict) => return Err(invalid("slug", Problem::Taken)),
                other => other?,
            }
            let keep: Vec<Lang> = d.texts.iter().map(|(l, _)| *l).collect();
            events::remove_texts_except(lock.conn(), stored.id, &keep).await?;
            lock.set_rules(&input.rules).await?;
            if d.sensitive && !was_sensitive {
                lock.require_vetting(now).await?;
            }
            // Seats may have been freed (approval now needed): the waitlist
            // moves up, in the same transaction.
            lock.promote(now).await?;
            // Those who answered learn that the date, time or place moved.
            if changes.any() {
                let detail = changes.detail();
                let notice = NewNotice::with_detail(NoticeKind::Changed, &detail);
                lock.notify(notice, Recipients::LIVE, now).await?;
            }
            crate::db::audit::audit_in(lock.conn(), Some(account), "edited", &slug, now).await?;
            lock.commit().await?;
        }
    }
    Ok(slug)
}

/// Postpones, cancels or schedules again: the event stays, calendars
/// update. Under the event's lock: answers stop (or start) being taken at
/// the moment the status changes.
pub async fn set_status(
    site: &Site,
    account: &AccountInfo,
    slug: &str,
    status: EventStatus,
    now: i64,
) -> Result<(), OrganiseError> {
    let event = managed_event(site, account, slug, Lang::En).await?;
    if event.status != status {
        let mut lock = rsvps::lock(&site.db, event.id).await?;
        events::set_status(lock.conn(), event.id, status, now).await?;
        let (action, kind) = match status {
            EventStatus::Scheduled => ("scheduled again", NoticeKind::Rescheduled),
            EventStatus::Postponed => ("postponed", NoticeKind::Postponed),
            EventStatus::Cancelled => ("cancelled", NoticeKind::Cancelled),
        };
        lock.notify(NewNotice::of(kind), Recipients::LIVE, now)
            .await?;
        crate::db::audit::audit_in(lock.conn(), Some(account), action, slug, now).await?;
        lock.commit().await?;
    }
    Ok(())
}

/// A copy of an event with a new address, scheduled, organised by the
/// account and without answers; returns the copy's slug.
pub async fn duplicate(
    site: &Site,
    account: &AccountInfo,
    slug: &str,
    now: i64,
) -> Result<String, OrganiseError> {
    let event = managed_event(site, account, slug, Lang::En).await?;
    let mut pairs = form_values(site, &event).await?;
    pairs.retain(|(k, _)| k != "slug");
    for n in 1..100 {
        let copy = match n {
            1 => format!("{slug}-copy"),
            n => format!("{slug}-copy-{n}"),
        };
        let mut attempt = pairs.clone();
        attempt.push((
            "slug".into(),
            copy.chars().take(crate::domain::limits::SLUG).collect(),
        ));
        match save_event(site, account, None, &attempt, now).await {
            Err(OrganiseError::Invalid(errors))
                if errors
                    .iter()
                    .any(|e| e.field == "slug" && e.problem == Problem::Taken) =>
            {
                continue
            }
            Ok(new_slug) => {
                // The copy keeps the poster, under names of its own.
                let copy = managed_event(site, account, &new_slug, Lang::En).await?;
                copy_poster(site, event.id, copy.id, now).await?;
                crate::db::audit::audit(&site.db, Some(account), "duplicated", slug, now).await?;
                return Ok(new_slug);
            }
            Err(other) => return Err(other),
        }
    }
    Err(invalid("slug", Problem::Taken))
}
