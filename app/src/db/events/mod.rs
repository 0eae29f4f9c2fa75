//! Event rows and the queries that read them; writing them is [`write`].

use super::{get_named, Database, DbError, DbResult};
use crate::domain::{EventKind, EventStatus, EventText, ValidEvent};
use crate::i18n::Lang;
use crate::time::format_local;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, FromRow, Row};

mod write;
pub use write::*;

/// Whether a list shows events still to come (or under way) or finished ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Period {
    Upcoming,
    Past,
}

/// An event as stored, with its text in one language (the reader's where
/// translated, else the original).
#[derive(Clone, Debug)]
pub struct EventRow {
    pub id: i64,
    pub slug: String,
    pub kind: EventKind,
    pub status: EventStatus,
    pub start_local: String,
    pub end_local: String,
    pub time_zone: String,
    pub all_day: bool,
    pub sensitive: bool,
    pub public_title: String,
    /// For a sensitive event: hours before the start from which approved
    /// members see the place; `None`: as soon as they are approved.
    pub reveal_hours: Option<i64>,
    /// Hours before the start that members with a place are reminded (0:
    /// never).
    pub reminder_hours: i64,
    pub starts_at: i64,
    pub ends_at: i64,
    pub venue_name: String,
    pub venue_address: String,
    pub city: String,
    pub online_url: String,
    pub capacity: Option<i64>,
    /// Seats held by confirmed "going" answers and their guests.
    pub seats_taken: i64,
    /// Whether the organisers hide the counts altogether.
    pub hide_counts: bool,
    /// Counts are public only from this many seats taken.
    pub count_threshold: i64,
    /// When the event was to start before its start was last moved.
    pub previous_starts_at: Option<i64>,
    /// Raised on every change a calendar user would notice.
    pub sequence: i64,
    pub updated_at: i64,
    pub organiser_id: Option<i64>,
    pub text: EventText,
    pub text_lang: Lang,
}

const EVENT_COLUMNS: &str = "e.id, e.slug, e.kind, e.status, e.start_local, e.end_local, \
    e.time_zone, e.all_day, e.sensitive, e.public_title, e.reveal_hours, e.reminder_hours, e.starts_at, e.ends_at, e.venue_name, e.venue_address, e.city, e.online_url, \
    e.capacity, e.seats_taken, e.hide_counts, e.count_threshold, e.previous_starts_at, \
    e.sequence, e.updated_at, e.organiser_id, \
    CASE WHEN tr.title IS NULL THEN e.original_lang ELSE tr.lang END AS text_lang, \
    COALESCE(tr.title, orig.title) AS title, \
    COALESCE(tr.summary, orig.summary) AS summary, \
    COALESCE(tr.description, orig.description) AS description, \
    COALESCE(tr.accessibility, orig.accessibility) AS accessibility, \
    COALESCE(tr.what_to_bring, orig.what_to_bring) AS what_to_bring, \
    COALESCE(tr.safety, orig.safety) AS safety";

/// Joins the original text and, where there is one, the translation into `$1`.
const EVENT_TEXT_JOINS: &str = "FROM events e \
    JOIN event_texts orig ON orig.event_id = e.id AND orig.lang = e.original_lang \
    LEFT JOIN event_texts tr ON tr.event_id = e.id AND tr.lang = $1";

impl EventRow {
    /// Whether `seats_taken` may be shown publicly: not when the organisers
    /// hide the counts, nor for a sensitive event, and only from the
    /// organisers' threshold (a handful of names is easy to guess). "Full",
    /// with the capacity, says as much as a count: it follows the same rule.
    pub fn counts_public(&self, seats_taken: i64) -> bool {
        !self.hide_counts && !self.sensitive && seats_taken >= self.count_threshold
    }

    /// Whether no seat is left at `seats_taken`.
    pub fn is_full(&self, seats_taken: i64) -> bool {
        self.capacity.is_some_and(|c| seats_taken >= c)
    }
}

impl FromRow<'_, AnyRow> for EventRow {
    fn from_row(row: &AnyRow) -> sqlx::Result<Self> {
        Ok(EventRow {
            id: row.try_get("id")?,
            slug: row.try_get("slug")?,
            kind: get_named(row, "kind", EventKind::parse)?,
            status: get_named(row, "status", EventStatus::parse)?,
            start_local: row.try_get("start_local")?,
            end_local: row.try_get("end_local")?,
            time_zone: row.try_get("time_zone")?,
            all_day: row.try_get::<i64, _>("all_day")? != 0,
            sensitive: row.try_get::<i64, _>("sensitive")? != 0,
            public_title: row.try_get("public_title")?,
            reveal_hours: row.try_get("reveal_hours")?,
            reminder_hours: row.try_get("reminder_hours")?,
            starts_at: row.try_get("starts_at")?,
            ends_at: row.try_get("ends_at")?,
            venue_name: row.try_get("venue_name")?,
            venue_address: row.try_get("venue_address")?,
            city: row.try_get("city")?,
            online_url: row.try_get("online_url")?,
            capacity: row.try_get("capacity")?,
            seats_taken: row.try_get("seats_taken")?,
            hide_counts: row.try_get::<i64, _>("hide_counts")? != 0,
            count_threshold: row.try_get("count_threshold")?,
            previous_starts_at: row.try_get("previous_starts_at")?,
            sequence: row.try_get("sequence")?,
            updated_at: row.try_get("updated_at")?,
            organiser_id: row.try_get("organiser_id")?,
            text_lang: get_named(row, "text_lang", Lang::from_tag)?,
            text: EventText {
                title: row.try_get("title")?,
                summary: row.try_get("summary")?,
                description: row.try_get("description")?,
                accessibility: row.try_get("accessibility")?,
                what_to_bring: row.try_get("what_to_bring")?,
                safety: row.try_get("safety")?,
            },
        })
    }
}

/// Filters of a list query, as stored values.
#[derive(Clone, Debug, Default)]
pub struct ListQuery<'a> {
    pub kind: Option<EventKind>,
    pub city: Option<&'a str>,
    /// Only events with text written in (or translated into) this language.
    pub written_in: Option<Lang>,
    /// Only events this account organises.
    pub organised_by: Option<i64>,
    pub limit: i64,
    pub offset: i64,
}

/// Events of a period in order: upcoming soonest first, past latest first.
pub async fn list(
    db: &Database,
    period: Period,
    lang: Lang,
    now: i64,
    query: &ListQuery<'_>,
) -> DbResult<Vec<EventRow>> {
    let (condition, order) = match period {
        Period::Upcoming => ("e.ends_at > $2", "e.starts_at ASC, e.id ASC"),
        Period::Past => ("e.ends_at <= $2", "e.starts_at DESC, e.id DESC"),
    };
    let sql = format!(
        "SELECT {EVENT_COLUMNS} {EVENT_TEXT_JOINS} WHERE {condition} \
         AND (CAST($3 AS TEXT) IS NULL OR e.kind = $3) \
         AND (CAST($4 AS TEXT) IS NULL OR (e.city = $4 AND e.sensitive = 0)) \
         AND (CAST($7 AS TEXT) IS NULL OR (e.sensitive = 0 AND EXISTS (SELECT 1 \
              FROM event_texts w WHERE w.event_id = e.id AND w.lang = $7))) \
         AND (CAST($8 AS BIGINT) IS NULL OR e.organiser_id = $8) \
         ORDER BY {order} LIMIT $5 OFFSET $6"
    );
    let rows = sqlx::query_as::<_, EventRow>(&sql)
        .bind(lang.tag())
        .bind(now)
        .bind(query.kind.map(|k| k.as_str()))
        .bind(query.city)
        .bind(query.limit)
        .bind(query.offset)
        .bind(query.written_in.map(Lang::tag))
        .bind(query.organised_by)
        .fetch_all(&db.pool)
        .await?;
    Ok(rows)
}

/// The cities that have events in a period, for the city filter. A
/// sensitive event's city is not public: it names none.
pub async fn cities(db: &Database, period: Period, now: i64) -> DbResult<Vec<String>> {
    let condition = match period {
        Period::Upcoming => "ends_at > $1",
        Period::Past => "ends_at <= $1",
    };
    let sql = format!(
        "SELECT DISTINCT city FROM events WHERE {condition} AND city <> '' AND sensitive = 0 \
         ORDER BY city"
    );
    let rows = sqlx::query(&sql).bind(now).fetch_all(&db.pool).await?;
    rows.iter()
        .map(|r| r.try_get::<String, _>("city").map_err(DbError::from))
        .collect()
}

pub async fn by_slug(db: &Database, slug: &str, lang: Lang) -> DbResult<Option<EventRow>> {
    one_where(db, "e.slug = $2", slug.to_string(), lang).await
}

pub async fn by_id(db: &Database, id: i64, lang: Lang) -> DbResult<Option<EventRow>> {
    one_where(db, "e.id = $2", id, lang).await
}

/// The events with these ids, in no particular order, their text in `lang`:
/// one query for all of a device's answers rather than one per answer.
pub async fn by_ids(db: &Database, ids: &[i64], lang: Lang) -> DbResult<Vec<EventRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (2..ids.len() + 2).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT {EVENT_COLUMNS} {EVENT_TEXT_JOINS} WHERE e.id IN ({})",
        placeholders.join(", ")
    );
    let mut query = sqlx::query_as::<_, EventRow>(&sql).bind(lang.tag());
    for id in ids {
        query = query.bind(*id);
    }
    Ok(query.fetch_all(&db.pool).await?)
}

/// The event imported from the calendar entry with this UID.
pub async fn by_import_uid(db: &Database, uid: &str, lang: Lang) -> DbResult<Option<EventRow>> {
    one_where(db, "e.import_uid = $2", uid.to_string(), lang).await
}

/// The event matching `condition` on `$2`, with its text in `lang`.
async fn one_where<T>(
    db: &Database,
    condition: &str,
    value: T,
    lang: Lang,
) -> DbResult<Option<EventRow>>
where
    T: 'static + Send + for<'q> sqlx::Encode<'q, sqlx::Any> + sqlx::Type<sqlx::Any>,
{
    let sql = format!("SELECT {EVENT_COLUMNS} {EVENT_TEXT_JOINS} WHERE {condition}");
    Ok(sqlx::query_as::<_, EventRow>(&sql)
        .bind(lang.tag())
        .bind(value)
        .fetch_optional(&db.pool)
        .await?)
}

/// The events' revision (moved by database triggers on every insert,
/// deletion and change of `updated_at`) and when any event last changed:
/// what a subscription feed's content depends on, read without building it.
pub async fn change_marker(db: &Database) -> DbResult<(i64, i64)> {
    let row = sqlx::query(
        "SELECT r.revision AS revision, \
         COALESCE((SELECT MAX(updated_at) FROM events), 0) AS last \
         FROM event_revision r WHERE r.id = 1",
    )
    .fetch_one(&db.pool)
    .await?;
    Ok((row.try_get("revision")?, row.try_get("last")?))
}

pub async fn count(db: &Database) -> DbResult<i64> {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM events")
        .fetch_one(&db.pool)
        .await?;
    Ok(row.try_get("n")?)
}

/// The language an event's organisers wrote it in.
pub async fn original_lang(db: &Database, id: i64) -> DbResult<Lang> {
    let original: String = sqlx::query("SELECT original_lang FROM events WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(DbError::NotFound)?
        .try_get("original_lang")?;
    Lang::from_tag(&original).ok_or_else(|| DbError::Corrupt(format!("language of {id}")))
}

/// An event's texts in every language it has, and which is the original.
pub async fn texts(db: &Database, id: i64) -> DbResult<(Lang, Vec<(Lang, EventText)>)> {
    let original = original_lang(db, id).await?;
    let rows = sqlx::query(
        "SELECT lang, title, summary, description, accessibility, what_to_bring, safety \
         FROM event_texts WHERE event_id = $1",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    let mut texts = Vec::new();
    for row in rows {
        texts.push((
            get_named(&row, "lang", Lang::from_tag)?,
            EventText {
                title: row.try_get("title")?,
                summary: row.try_get("summary")?,
                description: row.try_get("description")?,
                accessibility: row.try_get("accessibility")?,
                what_to_bring: row.try_get("what_to_bring")?,
                safety: row.try_get("safety")?,
            },
        ));
    }
    Ok((original, texts))
}

/// The event with this id as it is inside the caller's transaction (under
/// its lock: what an edit or an import builds on must not have changed
/// since it was read).
pub async fn by_id_in(conn: &mut AnyConnection, id: i64, lang: Lang) -> DbResult<Option<EventRow>> {
    let sql = format!("SELECT {EVENT_COLUMNS} {EVENT_TEXT_JOINS} WHERE e.id = $2");
    Ok(sqlx::query_as::<_, EventRow>(&sql)
        .bind(lang.tag())
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?)
}
