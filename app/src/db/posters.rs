//! Events' posters: the files made of an upload, and their descriptions.

use super::{Database, DbError, DbResult};
use crate::domain::PosterFormat;
use sqlx::{AnyConnection, Row};

/// A file of a poster as stored, without its bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PosterFileRow {
    pub event_id: i64,
    pub name: String,
    pub format: PosterFormat,
    pub width: u32,
    pub height: u32,
}

/// A file to store.
pub struct NewPosterFile {
    pub name: String,
    pub format: PosterFormat,
    pub width: u32,
    pub height: u32,
    pub bytes: Vec<u8>,
}

/// A file's bytes and format, to serve.
pub struct PosterBytes {
    pub format: PosterFormat,
    pub bytes: Vec<u8>,
}

fn file_row(row: &sqlx::any::AnyRow) -> DbResult<PosterFileRow> {
    let mime: String = row.try_get("mime")?;
    let size = |column: &str| -> DbResult<u32> {
        u32::try_from(row.try_get::<i64, _>(column)?)
            .map_err(|_| DbError::Corrupt(format!("poster {column}")))
    };
    Ok(PosterFileRow {
        event_id: row.try_get("event_id")?,
        name: row.try_get("name")?,
        format: PosterFormat::from_mime(&mime)
            .ok_or_else(|| DbError::Corrupt(format!("poster format {mime}")))?,
        width: size("width")?,
        height: size("height")?,
    })
}

/// Makes `files` the event's poster and `alts` its descriptions, in place
/// of any poster it had (whose files go with it).
pub async fn replace_in(
    conn: &mut AnyConnection,
    event_id: i64,
    files: &[NewPosterFile],
    alts: &[(String, String)],
    now: i64,
) -> DbResult<()> {
    remove_in(conn, event_id).await?;
    sqlx::query("INSERT INTO posters (event_id, created_at) VALUES ($1, $2)")
        .bind(event_id)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    for file in files {
        sqlx::query(
            "INSERT INTO poster_files (event_id, name, mime, width, height, bytes) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(event_id)
        .bind(&file.name)
        .bind(file.format.mime())
        .bind(i64::from(file.width))
        .bind(i64::from(file.height))
        .bind(&file.bytes)
        .execute(&mut *conn)
        .await?;
    }
    set_alts_in(conn, event_id, alts).await
}

/// The event's poster descriptions, (language tag, text), in place of the
/// ones it had.
pub async fn set_alts_in(
    conn: &mut AnyConnection,
    event_id: i64,
    alts: &[(String, String)],
) -> DbResult<()> {
    sqlx::query("DELETE FROM poster_alts WHERE event_id = $1")
        .bind(event_id)
        .execute(&mut *conn)
        .await?;
    for (lang, alt) in alts.iter().filter(|(_, alt)| !alt.is_empty()) {
        sqlx::query("INSERT INTO poster_alts (event_id, lang, alt) VALUES ($1, $2, $3)")
            .bind(event_id)
            .bind(lang)
            .bind(alt)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Removes the event's poster, its files and descriptions (if it has one).
pub async fn remove_in(conn: &mut AnyConnection, event_id: i64) -> DbResult<()> {
    sqlx::query("DELETE FROM posters WHERE event_id = $1")
        .bind(event_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The event's poster files with their bytes (to copy them).
pub async fn files_with_bytes_in(
    conn: &mut AnyConnection,
    event_id: i64,
) -> DbResult<Vec<(PosterFileRow, Vec<u8>)>> {
    sqlx::query(
        "SELECT event_id, name, mime, width, height, bytes FROM poster_files \
         WHERE event_id = $1 ORDER BY width, mime",
    )
    .bind(event_id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|row| Ok((file_row(row)?, row.try_get("bytes")?)))
    .collect()
}

/// Whether the event has a poster.
pub async fn exists_in(conn: &mut AnyConnection, event_id: i64) -> DbResult<bool> {
    Ok(sqlx::query("SELECT 1 FROM posters WHERE event_id = $1")
        .bind(event_id)
        .fetch_optional(&mut *conn)
        .await?
        .is_some())
}

/// The files of the events' posters (none for an event without one),
/// narrowest first.
pub async fn files_of(db: &Database, event_ids: &[i64]) -> DbResult<Vec<PosterFileRow>> {
    if event_ids.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (1..=event_ids.len()).map(|n| format!("${n}")).collect();
    let sql = format!(
        "SELECT event_id, name, mime, width, height FROM poster_files \
         WHERE event_id IN ({}) ORDER BY event_id, width, mime",
        placeholders.join(", ")
    );
    let mut query = sqlx::query(&sql);
    for id in event_ids {
        query = query.bind(*id);
    }
    query
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(file_row)
        .collect()
}

/// The event's poster descriptions, (language tag, text).
pub async fn alts(db: &Database, event_id: i64) -> DbResult<Vec<(String, String)>> {
    alts_in(&mut *db.pool.acquire().await?, event_id).await
}

pub async fn alts_in(conn: &mut AnyConnection, event_id: i64) -> DbResult<Vec<(String, String)>> {
    sqlx::query("SELECT lang, alt FROM poster_alts WHERE event_id = $1 ORDER BY lang")
        .bind(event_id)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|row| Ok((row.try_get("lang")?, row.try_get("alt")?)))
        .collect()
}

/// The file `name` of the event's poster.
pub async fn file_of_event(
    db: &Database,
    event_id: i64,
    name: &str,
) -> DbResult<Option<PosterBytes>> {
    let row = sqlx::query("SELECT mime, bytes FROM poster_files WHERE event_id = $1 AND name = $2")
        .bind(event_id)
        .bind(name)
        .fetch_optional(&db.pool)
        .await?;
    row.map(|row| bytes_of(&row)).transpose()
}

/// The file `name`, if a poster of an event that is not sensitive has it.
pub async fn public_file(db: &Database, name: &str) -> DbResult<Option<PosterBytes>> {
    let row = sqlx::query(
        "SELECT f.mime, f.bytes FROM poster_files f JOIN events e ON e.id = f.event_id \
         WHERE f.name = $1 AND e.sensitive = 0 LIMIT 1",
    )
    .bind(name)
    .fetch_optional(&db.pool)
    .await?;
    row.map(|row| bytes_of(&row)).transpose()
}

fn bytes_of(row: &sqlx::any::AnyRow) -> DbResult<PosterBytes> {
    let mime: String = row.try_get("mime")?;
    Ok(PosterBytes {
        format: PosterFormat::from_mime(&mime)
            .ok_or_else(|| DbError::Corrupt(format!("poster format {mime}")))?,
        bytes: row.try_get("bytes")?,
    })
}
