//! What organisers do: their dashboard, the RSVP list and its export,
//! approvals, and check-in at the door. Every function takes the signed-in
//! account and checks, per event, that it may act on it.

use super::accounts::can_manage;
use super::Site;
use crate::accounts::AccountInfo;
use crate::db::accounts as audit_store;
use crate::db::events::{self, EventRow, ListQuery, Period};
use crate::db::rsvps::RulesInput;
use crate::db::{rsvps, DbError};
use crate::domain::{
    EventDraft, EventKind, EventStatus, EventText, FieldError, Problem, ValidEvent,
};
use crate::i18n::Lang;
use crate::organise::{
    field, ticked, CheckInPage, CheckInResult, Dashboard, EventFormData, Headcount, ManagedEvent,
    RsvpList, RsvpListEntry,
};
use crate::rsvp::{Answer, RsvpState};
use crate::time::format_local;

#[derive(Debug, thiserror::Error)]
pub enum OrganiseError {
    #[error("not signed in")]
    NotSignedIn,
    #[error("not allowed")]
    Forbidden,
    #[error("no such event or answer")]
    NotFound,
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    #[error(transparent)]
    Db(DbError),
}

impl From<DbError> for OrganiseError {
    fn from(error: DbError) -> Self {
        match error {
            DbError::NotFound => OrganiseError::NotFound,
            other => OrganiseError::Db(other),
        }
    }
}

/// The event behind `slug`, if `account` may manage it.
pub(crate) async fn managed_event(
    site: &Site,
    account: &AccountInfo,
    slug: &str,
    lang: Lang,
) -> Result<EventRow, OrganiseError> {
    let event = events::by_slug(&site.db, slug, lang)
        .await?
        .ok_or(OrganiseError::NotFound)?;
    if can_manage(account, event.organiser_id) {
        Ok(event)
    } else {
        Err(OrganiseError::Forbidden)
    }
}

/// Accounts, settings and the audit log are for admins only.
pub fn require_admin(account: &AccountInfo) -> Result<(), OrganiseError> {
    if account.is_admin() {
        Ok(())
    } else {
        Err(OrganiseError::Forbidden)
    }
}

fn when_label(lang: Lang, event: &EventRow) -> String {
    super::local_times(event)
        .map(|(start, end, _)| super::when_label(lang, event, start, end))
        .unwrap_or_default()
}

/// The events an account manages (all of them for an admin): upcoming
/// soonest first, then past ones, latest first.
pub async fn dashboard(
    site: &Site,
    account: &AccountInfo,
    lang: Lang,
    now: i64,
) -> Result<Dashboard, OrganiseError> {
    let query = ListQuery {
        organised_by: (!account.is_admin()).then_some(account.id),
        limit: 500,
        ..Default::default()
    };
    let counts = rsvps::dashboard_counts(&site.db, query.organised_by).await?;
    let mut events = Vec::new();
    for period in [Period::Upcoming, Period::Past] {
        for event in events::list(&site.db, period, lang, now, &query).await? {
            let (going, waitlisted, pending) = counts.get(&event.id).copied().unwrap_or_default();
            let deletion = event.ends_at + site.settings().retention_days * 86_400;
            let data_deleted_on = (deletion > now).then(|| {
                let zone = crate::time::parse_zone(&event.time_zone).unwrap_or(chrono_tz::UTC);
                let day = chrono::DateTime::from_timestamp(deletion, 0)
                    .unwrap_or_default()
                    .with_timezone(&zone)
                    .date_naive();
                crate::time::format_date(lang, day)
            });
            events.push(ManagedEvent {
                data_deleted_on,
                when_label: when_label(lang, &event),
                is_past: period == Period::Past,
                pending,
                going,
                waitlisted,
                capacity: event.capacity,
                kind: event.kind,
                status: event.status,
                title: event.text.title,
                slug: event.slug,
            });
        }
    }
    Ok(Dashboard {
        account: account.clone(),
        events,
    })
}

/// Every answer to an event, names, contacts and notes included.
pub async fn rsvp_list(
    site: &Site,
    account: &AccountInfo,
    slug: &str,
    lang: Lang,
) -> Result<RsvpList, OrganiseError> {
    let event = managed_event(site, account, slug, lang).await?;
    let rules = rsvps::rules(&site.db, event.id)
        .await?
        .ok_or(OrganiseError::NotFound)?;
    let entries = rsvps::for_event(&site.db, event.id)
        .await?
        .into_iter()
        .map(|r| RsvpListEntry {
            id: r.id,
            display_name: r.display_name,
            contact: r.contact,
            note: r.note,
            answer: r.answer,
            state: r.state,
            guests: r.guests,
            short_code: r.short_code,
            checked_in: r.checked_in_at.is_some(),
        })
        .collect();
    Ok(RsvpList {
        when_label: when_label(lang, &event),
        slug: event.slug,
        title: event.text.title,
        capacity: event.capacity,
        approval_required: rules.approval_required,
        entries,
    })
}

/// Approves or declines a pending answer.
pub async fn decide(
    site: &Site,
    account: &AccountInfo,
    slug: &str,
    rsvp_id: i64,
    approve: bool,
    now: i64,
) -> Result<RsvpState, OrganiseError> {
    let event = managed_event(site, account, slug, Lang::En).await?;
    let (mut lock, state) = rsvps::decide(&site.db, event.id, rsvp_id, approve, now).await?;
    let action = if approve {
        "approved an RSVP to"
    } else {
        "declined an RSVP to"
    };
    audit_store::audit_in(lock.conn(), Some(account), action, slug, now).await?;
    lock.commit().await?;
    Ok(state)
}

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

/// Checks in the answer with the door code a member shows.
pub async fn check_in(
    site: &Site,
    account: &AccountInfo,
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
            let name = rsvp.display_name.clone();
            if rsvp.answer != Answer::Going || rsvp.state != RsvpState::Confirmed {
                CheckInResult::NotConfirmed {
                    name,
                    state: rsvp.state,
                    answer: rsvp.answer,
                }
            } else if rsvps::check_in(&site.db, rsvp.id, now).await? {
                audit_store::audit(&site.db, Some(account), "checked in an RSVP at", slug, now)
                    .await?;
                CheckInResult::CheckedIn { name, people }
            } else {
                CheckInResult::AlreadyIn { name, people }
            }
        }
    };
    door(site, event, lang, Some(result)).await
}

/// An event as the editor sends it, checked: the draft and its RSVP rules.
#[derive(Debug)]
pub struct EventInput {
    pub event: ValidEvent,
    pub rules: RulesInput,
}

/// The most hours before its start that a sensitive event's place may be
/// set to be revealed (30 days).
pub const MAX_REVEAL_HOURS: i64 = 720;

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
    let reveal_hours = match field(pairs, "reveal_hours").trim() {
        "" => None,
        text => {
            let hours = text
                .parse::<i64>()
                .ok()
                .filter(|h| (1..=MAX_REVEAL_HOURS).contains(h));
            if hours.is_none() {
                errors.push(FieldError {
                    field: "reveal_hours".into(),
                    problem: Problem::NotBetween {
                        min: 1,
                        max: MAX_REVEAL_HOURS,
                    },
                });
            }
            hours
        }
    };
    match event {
        Some(event) if errors.is_empty() => Ok(EventInput {
            event,
            rules: RulesInput {
                open: ticked(pairs, "rsvp_open"),
                deadline,
                approval_required,
                hide_counts: ticked(pairs, "hide_counts"),
                reveal_hours,
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
            ],
            errors: Vec::new(),
            languages,
        });
    };
    let event = managed_event(site, account, slug, lang).await?;
    Ok(EventFormData {
        slug: Some(event.slug.clone()),
        status: Some(event.status),
        values: form_values(site, &event).await?,
        errors: Vec::new(),
        languages,
    })
}

fn invalid(field: &str, problem: Problem) -> OrganiseError {
    OrganiseError::Invalid(vec![FieldError {
        field: field.into(),
        problem,
    }])
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
    let mut input = parse_event_form(&pairs, offered).map_err(OrganiseError::Invalid)?;
    let slug = input.event.draft.slug.clone();
    match &stored {
        None => {
            let mut tx = site.db.begin_write().await?;
            let id = match events::insert_in(&mut tx, &input.event, None, now).await {
                Ok(id) => id,
                Err(DbError::Conflict) => return Err(invalid("slug", Problem::Taken)),
                Err(other) => return Err(other.into()),
            };
            events::set_organiser(&mut tx, id, Some(account.id)).await?;
            rsvps::write_rules(&mut tx, id, &input.rules).await?;
            audit_store::audit_in(&mut tx, Some(account), "created", &slug, now).await?;
            tx.commit().await.map_err(DbError::from)?;
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
            let noticeable = title_changed
                || stored.start_local != format_local(input.event.start)
                || stored.end_local != format_local(input.event.end)
                || stored.time_zone != d.time_zone
                || stored.all_day != d.all_day
                || stored.venue_name != d.venue_name
                || stored.venue_address != d.venue_address
                || stored.city != d.city
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
            audit_store::audit_in(lock.conn(), Some(account), "edited", &slug, now).await?;
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
        let action = match status {
            EventStatus::Scheduled => "scheduled again",
            EventStatus::Postponed => "postponed",
            EventStatus::Cancelled => "cancelled",
        };
        audit_store::audit_in(lock.conn(), Some(account), action, slug, now).await?;
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
                audit_store::audit(&site.db, Some(account), "duplicated", slug, now).await?;
                return Ok(new_slug);
            }
            Err(other) => return Err(other),
        }
    }
    Err(invalid("slug", Problem::Taken))
}

/// Settings an admin may change while the server runs, as stored.
const SETTING_NAMES: [&str; 4] = ["instance_name", "time_zone", "languages", "default_lang"];

/// When the settings (or the instance's address) last changed, as stored.
const SETTINGS_CHANGED_AT: &str = "settings_changed_at";

/// Records the instance's address at start-up; when it differs from the
/// one before, feeds (whose UIDs and links hold it) count as changed.
pub async fn note_base_url(site: &Site, now: i64) -> Result<(), DbError> {
    let base_url = site.settings().base_url.clone();
    if audit_store::stored_value(&site.db, "base_url")
        .await?
        .as_deref()
        != Some(&base_url)
    {
        audit_store::store_value(&site.db, "base_url", &base_url).await?;
        audit_store::store_value(&site.db, SETTINGS_CHANGED_AT, &now.to_string()).await?;
    }
    Ok(())
}

/// Applies the settings admins stored over those the server started with.
/// Called at start-up, after a change, and now and then, so that every app
/// server on one database follows.
pub async fn apply_stored_settings(site: &Site) -> Result<(), DbError> {
    let mut settings = (*site.settings()).clone();
    if let Some(at) = audit_store::stored_value(&site.db, SETTINGS_CHANGED_AT).await? {
        settings.changed_at = at.parse().unwrap_or(0);
    }
    for name in SETTING_NAMES {
        let Some(value) = audit_store::stored_value(&site.db, name).await? else {
            continue;
        };
        match name {
            "instance_name" => settings.instance_name = value,
            "time_zone" => {
                if let Some(zone) = crate::time::parse_zone(&value) {
                    settings.default_zone = zone;
                }
            }
            "languages" => {
                let languages: Vec<Lang> = value.split(',').filter_map(Lang::from_tag).collect();
                if !languages.is_empty() {
                    settings.languages = languages;
                }
            }
            _ => {
                if let Some(lang) = Lang::from_tag(&value) {
                    settings.default_lang = lang;
                }
            }
        }
    }
    if !settings.languages.contains(&settings.default_lang) {
        settings.default_lang = settings.languages[0];
    }
    site.replace_settings(settings);
    Ok(())
}

/// The settings form, filled with the settings in force.
pub fn settings_form(site: &Site, account: &AccountInfo) -> Result<EventFormData, OrganiseError> {
    require_admin(account)?;
    let settings = site.settings();
    let mut values = vec![
        ("instance_name".to_string(), settings.instance_name.clone()),
        ("time_zone".into(), settings.default_zone.name().into()),
        ("default_lang".into(), settings.default_lang.tag().into()),
    ];
    values.extend(
        settings
            .languages
            .iter()
            .map(|l| ("languages".to_string(), l.tag().to_string())),
    );
    Ok(EventFormData {
        values,
        languages: Lang::ALL.to_vec(),
        ..Default::default()
    })
}

/// Stores new instance settings (name, zone, languages offered and the
/// default one) and puts them in force.
pub async fn save_settings(
    site: &Site,
    account: &AccountInfo,
    pairs: &[(String, String)],
    now: i64,
) -> Result<(), OrganiseError> {
    require_admin(account)?;
    let mut errors = Vec::new();
    let mut problem = |field: &str, problem: Problem| {
        errors.push(FieldError {
            field: field.into(),
            problem,
        })
    };
    let name = field(pairs, "instance_name").trim().to_string();
    if name.is_empty() {
        problem("instance_name", Problem::Required);
    } else if name.chars().count() > 80 {
        problem("instance_name", Problem::TooLong { max: 80 });
    } else if name.chars().any(crate::domain::is_forbidden_in_name) {
        problem("instance_name", Problem::ControlCharacters);
    }
    let zone = crate::time::parse_zone(field(pairs, "time_zone"));
    if zone.is_none() {
        problem("time_zone", Problem::UnknownTimeZone);
    }
    let languages: Vec<Lang> = Lang::ALL
        .into_iter()
        .filter(|l| pairs.iter().any(|(k, v)| k == "languages" && v == l.tag()))
        .collect();
    if languages.is_empty() {
        problem("languages", Problem::Required);
    }
    let default_lang =
        Lang::from_tag(field(pairs, "default_lang")).filter(|l| languages.contains(l));
    if default_lang.is_none() && !languages.is_empty() {
        problem("default_lang", Problem::Invalid);
    }
    let (Some(zone), Some(default_lang)) = (zone, default_lang) else {
        return Err(OrganiseError::Invalid(errors));
    };
    if !errors.is_empty() {
        return Err(OrganiseError::Invalid(errors));
    }
    let tags: Vec<&str> = languages.iter().map(|l| l.tag()).collect();
    for (key, value) in [
        ("instance_name", name.as_str()),
        ("time_zone", zone.name()),
        ("languages", &tags.join(",")),
        ("default_lang", default_lang.tag()),
        (SETTINGS_CHANGED_AT, &now.to_string()),
    ] {
        audit_store::store_value(&site.db, key, value).await?;
    }
    apply_stored_settings(site).await?;
    audit_store::audit(&site.db, Some(account), "changed the settings", "", now).await?;
    Ok(())
}

/// A spreadsheet cell that cannot run as a formula: text that a spreadsheet
/// would read as one (`= + - @`, or a tab or carriage return first) gets a
/// leading apostrophe.
pub fn safe_cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// The RSVP list as CSV (UTF-8 with a byte-order mark, so that spreadsheet
/// programs read Uyghur and accents right); returns a file name and the text.
pub async fn rsvp_csv(
    site: &Site,
    account: &AccountInfo,
    slug: &str,
    now: i64,
) -> Result<(String, String), OrganiseError> {
    let list = rsvp_list(site, account, slug, Lang::En).await?;
    let mut writer = csv::Writer::from_writer(Vec::new());
    let header = [
        "name",
        "answer",
        "state",
        "guests",
        "contact",
        "note",
        "door code",
        "checked in",
    ];
    let write = |writer: &mut csv::Writer<Vec<u8>>, row: &[String]| {
        writer
            .write_record(row.iter().map(|cell| safe_cell(cell)))
            .map_err(|e| OrganiseError::Db(DbError::Corrupt(e.to_string())))
    };
    write(&mut writer, &header.map(String::from))?;
    for entry in &list.entries {
        write(
            &mut writer,
            &[
                entry.display_name.clone(),
                entry.answer.as_str().to_string(),
                entry.state.as_str().to_string(),
                entry.guests.to_string(),
                entry.contact.clone(),
                entry.note.clone(),
                entry.short_code.clone(),
                if entry.checked_in { "yes" } else { "" }.to_string(),
            ],
        )?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| OrganiseError::Db(DbError::Corrupt(e.to_string())))?;
    let text =
        String::from_utf8(bytes).map_err(|e| OrganiseError::Db(DbError::Corrupt(e.to_string())))?;
    audit_store::audit(&site.db, Some(account), "exported the RSVPs of", slug, now).await?;
    Ok((format!("{slug}-rsvps.csv"), format!("\u{feff}{text}")))
}

#[cfg(test)]
mod tests {
    use super::safe_cell;

    #[test]
    fn cells_that_a_spreadsheet_would_run_are_defused() {
        for formula in ["=HYPERLINK(\"x\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(safe_cell(formula), format!("'{formula}"));
        }
        assert_eq!(safe_cell("Aygül"), "Aygül");
        assert_eq!(safe_cell("ئايگۈل"), "ئايگۈل");
    }
}
