//! Notices and who they are for. A notice is written in the transaction of
//! the change that causes it (under the event's lock), with one row in
//! `notice_recipients` for each answer it reaches, chosen by one
//! statement (no answer can change state between "who is going" and "tell
//! them"), and its emails queued in the outbox ([`super::outbox`]).

use super::{get_named, Database, DbResult};
use crate::i18n::Lang;
use crate::notices::{Audience, NoticeKind};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

/// Which of an event's answers a notice reaches: a condition on `r`, one
/// of its `rsvps`. Purged answers are never reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Recipients(&'static str);

impl Recipients {
    /// Every live answer: going (with a place, or waiting for one or for
    /// approval) or maybe; not "not going", not cancelled.
    pub const LIVE: Recipients = Recipients("r.answer <> 'not_going' AND r.state <> 'cancelled'");
    /// At a sensitive event, the answers an organiser let in: going, with
    /// a place or waiting for one after approval. ("Maybe" answers there
    /// were never vetted, and see only what the public sees.)
    pub const VETTED: Recipients =
        Recipients("r.answer = 'going' AND r.state IN ('confirmed', 'waitlisted')");
    /// Those with a place.
    pub const GOING: Recipients = Recipients("r.answer = 'going' AND r.state = 'confirmed'");
    pub const WAITLISTED: Recipients = Recipients("r.state = 'waitlisted'");
    /// Those to remind: going with a place, or maybe.
    pub const EXPECTED: Recipients =
        Recipients("r.answer <> 'not_going' AND r.state = 'confirmed'");

    /// Whom an announcement to `audience` reaches: at a sensitive event,
    /// never an answer no organiser let in (it may carry the place).
    pub fn of(audience: Audience, sensitive: bool) -> Recipients {
        match audience {
            Audience::Everyone if sensitive => Recipients::VETTED,
            Audience::Everyone => Recipients::LIVE,
            Audience::Going => Recipients::GOING,
            Audience::Waitlisted => Recipients::WAITLISTED,
        }
    }

    /// Whom a reminder reaches: at a sensitive event, those with a place
    /// alone.
    pub fn reminded(sensitive: bool) -> Recipients {
        if sensitive {
            Recipients::GOING
        } else {
            Recipients::EXPECTED
        }
    }
}

/// A notice to write.
#[derive(Clone, Copy, Debug)]
pub struct NewNotice<'a> {
    pub kind: NoticeKind,
    /// What changed (see [`crate::notices::Changes`]); an announcement's
    /// audience; `waitlisted` for an approval without a seat.
    pub detail: &'a str,
    /// An announcement's text, and the language it is in.
    pub body: &'a str,
    pub lang: Option<Lang>,
}

impl NewNotice<'_> {
    pub fn of(kind: NoticeKind) -> NewNotice<'static> {
        NewNotice {
            kind,
            detail: "",
            body: "",
            lang: None,
        }
    }

    pub fn with_detail(kind: NoticeKind, detail: &str) -> NewNotice<'_> {
        NewNotice {
            detail,
            ..NewNotice::of(kind)
        }
    }
}

async fn insert_notice(
    conn: &mut AnyConnection,
    event_id: i64,
    notice: &NewNotice<'_>,
    now: i64,
) -> DbResult<i64> {
    Ok(sqlx::query(
        "INSERT INTO notices (event_id, kind, detail, body, lang, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(event_id)
    .bind(notice.kind.as_str())
    .bind(notice.detail)
    .bind(notice.body)
    .bind(notice.lang.map_or("", Lang::tag))
    .bind(now)
    .fetch_one(&mut *conn)
    .await?
    .try_get("id")?)
}

/// Writes a notice to every answer of the event that `to` matches, in the
/// caller's transaction; returns how many it reached. A notice that
/// reaches no one is not kept (an announcement is, with its count of 0).
pub async fn record(
    conn: &mut AnyConnection,
    event_id: i64,
    notice: NewNotice<'_>,
    to: Recipients,
    now: i64,
) -> DbResult<i64> {
    let id = insert_notice(conn, event_id, &notice, now).await?;
    let reached = sqlx::query(&format!(
        "INSERT INTO notice_recipients (rsvp_id, notice_id) SELECT r.id, $1 FROM rsvps r \
         WHERE r.event_id = $2 AND r.purged_at IS NULL AND {}",
        to.0
    ))
    .bind(id)
    .bind(event_id)
    .execute(&mut *conn)
    .await?
    .rows_affected() as i64;
    if reached == 0 && notice.kind != NoticeKind::Announcement {
        sqlx::query("DELETE FROM notices WHERE id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await?;
    } else {
        sqlx::query("UPDATE notices SET recipients = $1 WHERE id = $2")
            .bind(reached)
            .bind(id)
            .execute(&mut *conn)
            .await?;
        super::outbox::queue(conn, id, now).await?;
    }
    Ok(reached)
}

/// Writes a notice to one answer of the event, in the caller's transaction.
pub async fn record_for(
    conn: &mut AnyConnection,
    event_id: i64,
    rsvp_id: i64,
    notice: NewNotice<'_>,
    now: i64,
) -> DbResult<()> {
    let id = insert_notice(conn, event_id, &notice, now).await?;
    sqlx::query("INSERT INTO notice_recipients (rsvp_id, notice_id) VALUES ($1, $2)")
        .bind(rsvp_id)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE notices SET recipients = 1 WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    super::outbox::queue(conn, id, now).await?;
    Ok(())
}

/// A stored notice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoticeRow {
    pub id: i64,
    pub event_id: i64,
    pub kind: NoticeKind,
    pub detail: String,
    pub body: String,
    /// The language of an announcement's text (`None` for other notices).
    pub lang: Option<Lang>,
    pub recipients: i64,
    pub created_at: i64,
}

const NOTICE_COLUMNS: &str =
    "n.id, n.event_id, n.kind, n.detail, n.body, n.lang, n.recipients, n.created_at";

fn notice_from(row: &AnyRow) -> DbResult<NoticeRow> {
    Ok(NoticeRow {
        id: row.try_get("id")?,
        event_id: row.try_get("event_id")?,
        kind: get_named(row, "kind", NoticeKind::parse)?,
        detail: row.try_get("detail")?,
        body: row.try_get("body")?,
        lang: Lang::from_tag(&row.try_get::<String, _>("lang")?),
        recipients: row.try_get("recipients")?,
        created_at: row.try_get("created_at")?,
    })
}

/// One notice.
pub async fn by_id(db: &Database, id: i64) -> DbResult<Option<NoticeRow>> {
    let row = sqlx::query(&format!(
        "SELECT {NOTICE_COLUMNS} FROM notices n WHERE n.id = $1"
    ))
    .bind(id)
    .fetch_optional(&db.pool)
    .await?;
    row.as_ref().map(notice_from).transpose()
}

/// The most notices a private page or a calendar entry shows.
pub const SHOWN: i64 = 50;

/// The notices that reached an answer, newest first.
pub async fn of_answer(db: &Database, rsvp_id: i64) -> DbResult<Vec<NoticeRow>> {
    let rows = sqlx::query(&format!(
        "SELECT {NOTICE_COLUMNS} FROM notices n \
         JOIN notice_recipients nr ON nr.notice_id = n.id WHERE nr.rsvp_id = $1 \
         ORDER BY n.created_at DESC, n.id DESC LIMIT {SHOWN}"
    ))
    .bind(rsvp_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(notice_from).collect()
}

/// The notices that reached any of these answers, newest first, each with
/// the answer it reached: one query, however many answers.
pub async fn of_answers(db: &Database, rsvp_ids: &[i64]) -> DbResult<Vec<(i64, NoticeRow)>> {
    if rsvp_ids.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (1..=rsvp_ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT nr.rsvp_id, {NOTICE_COLUMNS} FROM notices n \
         JOIN notice_recipients nr ON nr.notice_id = n.id WHERE nr.rsvp_id IN ({}) \
         ORDER BY n.created_at DESC, n.id DESC",
        placeholders.join(", ")
    );
    let mut query = sqlx::query(&sql);
    for id in rsvp_ids {
        query = query.bind(*id);
    }
    let rows = query.fetch_all(&db.pool).await?;
    rows.iter()
        .map(|row| Ok((row.try_get("rsvp_id")?, notice_from(row)?)))
        .collect()
}

/// An event's announcements, newest first.
pub async fn announcements(db: &Database, event_id: i64) -> DbResult<Vec<NoticeRow>> {
    let rows = sqlx::query(&format!(
        "SELECT {NOTICE_COLUMNS} FROM notices n WHERE n.event_id = $1 AND n.kind = 'announcement' \
         ORDER BY n.created_at DESC, n.id DESC LIMIT {SHOWN}"
    ))
    .bind(event_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(notice_from).collect()
}

/// How many announcements the event sent from `since`, read in the
/// caller's transaction (under the event's lock, so that two sent at once
/// are counted one after the other).
pub async fn announcements_since(
    conn: &mut AnyConnection,
    event_id: i64,
    since: i64,
) -> DbResult<i64> {
    Ok(sqlx::query(
        "SELECT COUNT(*) AS n FROM notices \
         WHERE event_id = $1 AND kind = 'announcement' AND created_at >= $2",
    )
    .bind(event_id)
    .bind(since)
    .fetch_one(&mut *conn)
    .await?
    .try_get("n")?)
}

/// Notices given for a moment in an event's life: its reminder, and for a
/// sensitive event the hour its place is revealed. Each is given once for
/// each start the event has (moved, it is given again).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Moment {
    Reminder,
    PlaceRevealed,
}

impl Moment {
    /// The condition of an event whose moment has come at `$1` and was not
    /// given for its start yet.
    fn due(self) -> &'static str {
        match self {
            Moment::Reminder => {
                "status = 'scheduled' AND reminder_hours > 0 AND starts_at > $1 \
                 AND starts_at - reminder_hours * 3600 <= $1 \
                 AND (reminded_for IS NULL OR reminded_for <> starts_at)"
            }
            Moment::PlaceRevealed => {
                "status = 'scheduled' AND sensitive = 1 AND reveal_hours IS NOT NULL \
                 AND starts_at > $1 AND starts_at - reveal_hours * 3600 <= $1 \
                 AND (revealed_for IS NULL OR revealed_for <> starts_at)"
            }
        }
    }

    fn given_column(self) -> &'static str {
        match self {
            Moment::Reminder => "reminded_for",
            Moment::PlaceRevealed => "revealed_for",
        }
    }
}

/// Events whose moment has come at `now` and was not given yet.
pub async fn due(db: &Database, moment: Moment, now: i64) -> DbResult<Vec<i64>> {
    let rows = sqlx::query(&format!(
        "SELECT id FROM events WHERE {} ORDER BY starts_at LIMIT 100",
        moment.due()
    ))
    .bind(now)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|row| Ok(row.try_get("id")?))
        .collect::<DbResult<_>>()
}

/// Marks the event's moment given, in the caller's transaction (under the
/// event's lock): true when it was due and not given (by this server or
/// another), false when there is nothing to do.
pub async fn claim(
    conn: &mut AnyConnection,
    event_id: i64,
    moment: Moment,
    now: i64,
) -> DbResult<bool> {
    let claimed = sqlx::query(&format!(
        "UPDATE events SET {} = starts_at WHERE id = $2 AND {}",
        moment.given_column(),
        moment.due()
    ))
    .bind(now)
    .bind(event_id)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    Ok(claimed == 1)
}

/// Deletes the notices of events that ended before `cutoff`, in the
/// caller's transaction (the purge of their answers' personal data); whom
/// they reached and their emails go with them (`ON DELETE CASCADE`).
pub async fn delete_of_ended(conn: &mut AnyConnection, cutoff: i64) -> DbResult<u64> {
    Ok(sqlx::query(
        "DELETE FROM notices WHERE event_id IN (SELECT id FROM events WHERE ends_at < $1)",
    )
    .bind(cutoff)
    .execute(&mut *conn)
    .await?
    .rows_affected())
}
