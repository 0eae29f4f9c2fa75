//! Event rows and the queries that read and write them.

use super::{get_named, Database, DbError, DbResult};
use crate::domain::{EventKind, EventStatus, EventText, ValidEvent};
use crate::i18n::Lang;
use crate::time::format_local;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, FromRow, Row};

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
    pub starts_at: i64,
    pub ends_at: i64,
    pub venue_name: String,
    pub venue_address: String,
    pub city: String,
    pub online_url: String,
    pub capacity: Option<i64>,
    /// Raised on every change a calendar user would notice.
    pub sequence: i64,
    pub updated_at: i64,
    pub organiser_id: Option<i64>,
    pub text: EventText,
    pub text_lang: Lang,
}

const EVENT_COLUMNS: &str = "e.id, e.slug, e.kind, e.status, e.start_local, e.end_local, \
    e.time_zone, e.all_day, e.sensitive, e.public_title, e.reveal_hours, e.starts_at, e.ends_at, e.venue_name, e.venue_address, e.city, e.online_url, \
    e.capacity, e.sequence, e.updated_at, e.organiser_id, \
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
            starts_at: row.try_get("starts_at")?,
            ends_at: row.try_get("ends_at")?,
            venue_name: row.try_get("venue_name")?,
            venue_address: row.try_get("venue_address")?,
            city: row.try_get("city")?,
            online_url: row.try_get("online_url")?,
            capacity: row.try_get("capacity")?,
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

/// Stores a new event and its texts in one transaction; returns its id.
/// `import_uid` names the calendar entry it came from, if any. A slug
/// already taken answers [`DbError::Conflict`].
pub async fn insert(
    db: &Database,
    event: &ValidEvent,
    import_uid: Option<&str>,
    now: i64,
) -> DbResult<i64> {
    let mut tx = db.begin_write().await?;
    let id = insert_in(&mut tx, event, import_uid, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// [`insert`] inside a transaction the caller commits (with the event's
/// organiser, rules and audit entry, say). A sensitive event is stored
/// needing approval.
pub async fn insert_in(
    conn: &mut AnyConnection,
    event: &ValidEvent,
    import_uid: Option<&str>,
    now: i64,
) -> DbResult<i64> {
    let d = &event.draft;
    let id: i64 = sqlx::query(
        "INSERT INTO events (slug, kind, status, start_local, end_local, time_zone, starts_at, \
         ends_at, venue_name, venue_address, city, online_url, capacity, original_lang, \
         created_at, updated_at, all_day, import_uid, sensitive, public_title, approval_required) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15, $16, $17, \
         $18, $19, $18) \
         RETURNING id",
    )
    .bind(&d.slug)
    .bind(d.kind.as_str())
    .bind(d.status.as_str())
    .bind(format_local(event.start))
    .bind(format_local(event.end))
    .bind(event.zone.name())
    .bind(event.starts_at)
    .bind(event.ends_at)
    .bind(&d.venue_name)
    .bind(&d.venue_address)
    .bind(d.city.trim())
    .bind(&d.online_url)
    .bind(d.capacity)
    .bind(d.original_lang.tag())
    .bind(now)
    .bind(i64::from(d.all_day))
    .bind(import_uid)
    .bind(i64::from(d.sensitive))
    .bind(d.public_title.trim())
    .fetch_one(&mut *conn)
    .await?
    .try_get("id")?;
    for (lang, text) in &d.texts {
        save_text(conn, id, *lang, text).await?;
    }
    Ok(id)
}

/// Writes an event's text in one language, replacing what was there.
async fn save_text(
    conn: &mut AnyConnection,
    event_id: i64,
    lang: Lang,
    text: &EventText,
) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO event_texts (event_id, lang, title, summary, description, \
         accessibility, what_to_bring, safety) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (event_id, lang) DO UPDATE SET title = $3, summary = $4, \
         description = $5, accessibility = $6, what_to_bring = $7, safety = $8",
    )
    .bind(event_id)
    .bind(lang.tag())
    .bind(text.title.trim())
    .bind(text.summary.trim())
    .bind(&text.description)
    .bind(&text.accessibility)
    .bind(&text.what_to_bring)
    .bind(&text.safety)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Sets `updated_at` to the time in `now` (a placeholder), always moving it
/// forward: feeds are validated by the latest change, so two changes
/// within one second must still leave different marks.
fn touch(now: &str) -> String {
    format!("updated_at = CASE WHEN updated_at < {now} THEN {now} ELSE updated_at + 1 END")
}

/// Updates an event: everything but its address (slug) and original
/// language; the texts given replace those in their languages, others stay.
/// `noticeable` raises its SEQUENCE, so that calendars holding it take the
/// new version. The capacity is not changed here: it changes seats, under
/// the event's lock ([`super::rsvps::EventLock::set_capacity`]). Runs in
/// the caller's transaction; an event made sensitive needs approval. The
/// slug changes only for a sensitive event (whose address must be able to
/// say nothing); a slug already taken answers [`DbError::Conflict`].
pub async fn update_in(
    conn: &mut AnyConnection,
    id: i64,
    event: &ValidEvent,
    noticeable: bool,
    now: i64,
) -> DbResult<()> {
    let d = &event.draft;
    let updated = sqlx::query(&format!(
        "UPDATE events SET kind = $2, status = $3, start_local = $4, end_local = $5, \
         time_zone = $6, starts_at = $7, ends_at = $8, all_day = $9, venue_name = $10, \
         venue_address = $11, city = $12, online_url = $13, \
         sequence = sequence + $14, sensitive = $16, public_title = $17, \
         approval_required = CASE WHEN $16 = 1 THEN 1 ELSE approval_required END, \
         slug = CASE WHEN $16 = 1 THEN $18 ELSE slug END, \
         {TOUCH} WHERE id = $1",
        TOUCH = touch("$15")
    ))
    .bind(id)
    .bind(d.kind.as_str())
    .bind(d.status.as_str())
    .bind(format_local(event.start))
    .bind(format_local(event.end))
    .bind(event.zone.name())
    .bind(event.starts_at)
    .bind(event.ends_at)
    .bind(i64::from(d.all_day))
    .bind(&d.venue_name)
    .bind(&d.venue_address)
    .bind(d.city.trim())
    .bind(&d.online_url)
    .bind(i64::from(noticeable))
    .bind(now)
    .bind(i64::from(d.sensitive))
    .bind(d.public_title.trim())
    .bind(&d.slug)
    .execute(&mut *conn)
    .await?;
    if updated.rows_affected() == 0 {
        return Err(DbError::NotFound);
    }
    for (lang, text) in &d.texts {
        save_text(conn, id, *lang, text).await?;
    }
    Ok(())
}

/// Removes an event's translations into languages not in `keep`.
pub async fn remove_texts_except(conn: &mut AnyConnection, id: i64, keep: &[Lang]) -> DbResult<()> {
    for lang in Lang::ALL.iter().filter(|l| !keep.contains(l)) {
        sqlx::query(
            "DELETE FROM event_texts WHERE event_id = $1 AND lang = $2 \
             AND lang <> (SELECT original_lang FROM events WHERE id = $1)",
        )
        .bind(id)
        .bind(lang.tag())
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// An event's texts in every language it has, and which is the original.
pub async fn texts(db: &Database, id: i64) -> DbResult<(Lang, Vec<(Lang, EventText)>)> {
    let original: String = sqlx::query("SELECT original_lang FROM events WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(DbError::NotFound)?
        .try_get("original_lang")?;
    let original =
        Lang::from_tag(&original).ok_or_else(|| DbError::Corrupt(format!("language of {id}")))?;
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

/// Postpones, cancels or schedules again: a change every calendar must see.
/// Runs in the caller's transaction (under the event's lock: whether
/// answers are taken depends on it).
pub async fn set_status(
    conn: &mut AnyConnection,
    id: i64,
    status: EventStatus,
    now: i64,
) -> DbResult<()> {
    let updated = sqlx::query(&format!(
        "UPDATE events SET status = $2, sequence = sequence + 1, {TOUCH} WHERE id = $1",
        TOUCH = touch("$3")
    ))
    .bind(id)
    .bind(status.as_str())
    .bind(now)
    .execute(&mut *conn)
    .await?;
    if updated.rows_affected() == 0 {
        return Err(DbError::NotFound);
    }
    Ok(())
}

/// Makes `account_id` the organiser of an event (who may then manage it).
pub async fn set_organiser(
    conn: &mut AnyConnection,
    event_id: i64,
    account_id: Option<i64>,
) -> DbResult<()> {
    sqlx::query("UPDATE events SET organiser_id = $2 WHERE id = $1")
        .bind(event_id)
        .bind(account_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
