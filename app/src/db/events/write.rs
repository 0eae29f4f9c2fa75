//! Storing, changing and removing events and their texts.

use super::*;

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
    db.note_change();
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
/// say nothing); a slug already taken answers [`DbError::Conflict`]. A
/// start moved after someone answered is remembered, so that every page can
/// say when it was to start.
pub async fn update_in(
    conn: &mut AnyConnection,
    id: i64,
    event: &ValidEvent,
    noticeable: bool,
    now: i64,
) -> DbResult<()> {
    let d = &event.draft;
    let updated = sqlx::query(&format!(
        "UPDATE events SET previous_starts_at = CASE WHEN starts_at <> $7 AND EXISTS \
         (SELECT 1 FROM rsvps r WHERE r.event_id = $1 AND r.state <> 'cancelled') \
         THEN starts_at ELSE previous_starts_at END, \
         kind = $2, status = $3, start_local = $4, end_local = $5, \
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
