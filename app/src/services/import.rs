//! Import of events from an iCalendar file, as Google Calendar, Outlook and
//! Apple Calendar export them. Each event is read on its own, so a broken
//! one is reported and skipped while the rest are imported; re-importing a
//! file updates the events it brought before (matched by UID) instead of
//! adding them again.

use super::Site;
use crate::db::events::{self, EventRow};
use crate::db::{DbError, DbResult};
use crate::domain::ValidEvent;
use crate::time::format_local;
use std::fmt;

pub use crate::ical::read::{
    read_file, zone_from_tzid, EntryProblem, ImportOptions, Incoming, ReadFile, Skipped,
};
pub use crate::validation::describe;

/// What an import did.
#[derive(Debug, Default)]
pub struct ImportReport {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub skipped: Vec<Skipped>,
    /// Per imported event worth a word: its title and the notes.
    pub notes: Vec<(String, &'static str)>,
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} new, {} updated, {} unchanged, {} skipped",
            self.created,
            self.updated,
            self.unchanged,
            self.skipped.len()
        )?;
        for (title, note) in &self.notes {
            writeln!(f, "note: {title:?}: {note}")?;
        }
        for skipped in &self.skipped {
            writeln!(f, "{skipped}")?;
        }
        Ok(())
    }
}

/// Whether a stored event differs from an incoming one, and whether a
/// calendar user would notice (date, time, place, title or status).
fn compare(stored: &EventRow, incoming: &ValidEvent) -> (bool, bool) {
    let d = &incoming.draft;
    let text = &d.texts[0].1;
    let noticeable = stored.start_local != format_local(incoming.start)
        || stored.end_local != format_local(incoming.end)
        || stored.time_zone != d.time_zone
        || stored.all_day != d.all_day
        || stored.venue_address != d.venue_address
        || stored.status != d.status
        || stored.text.title != text.title;
    let changed = noticeable || stored.text.description != text.description;
    (changed, noticeable)
}

/// Stores what [`read_file`] found: new UIDs become events, known ones are
/// updated in place (keeping their address, kind, capacity and RSVPs).
pub async fn import(
    site: &Site,
    file: &[u8],
    options: &ImportOptions,
    now: i64,
) -> DbResult<ImportReport> {
    let read = read_file(file, options);
    let mut report = ImportReport {
        skipped: read.skipped,
        ..Default::default()
    };
    for incoming in read.events {
        let title = incoming.event.draft.texts[0].1.title.clone();
        match events::by_import_uid(&site.db, &incoming.uid, options.lang).await? {
            Some(found) => {
                // Compared and written under the event's lock, as it is
                // now: an organiser's edit that landed meanwhile (making it
                // sensitive, say) is kept, not overwritten.
                let mut lock = crate::db::rsvps::lock(&site.db, found.id).await?;
                let stored = events::by_id_in(lock.conn(), found.id, options.lang)
                    .await?
                    .ok_or(DbError::NotFound)?;
                let (changed, noticeable) = compare(&stored, &incoming.event);
                if changed {
                    // What the file does not say stays as organisers set it.
                    let mut draft = incoming.event.draft.clone();
                    draft.slug = stored.slug.clone();
                    draft.kind = stored.kind;
                    draft.venue_name = stored.venue_name.clone();
                    draft.city = stored.city.clone();
                    draft.online_url = stored.online_url.clone();
                    draft.capacity = stored.capacity;
                    draft.sensitive = stored.sensitive;
                    draft.public_title = stored.public_title.clone();
                    let event = draft.validate().map_err(|_| {
                        DbError::Corrupt(format!("stored fields of event {}", stored.id))
                    })?;
                    events::update_in(lock.conn(), stored.id, &event, noticeable, now).await?;
                    lock.commit().await?;
                    report.updated += 1;
                } else {
                    report.unchanged += 1;
                }
            }
            None => {
                match events::insert(&site.db, &incoming.event, Some(&incoming.uid), now).await {
                    Ok(_) => report.created += 1,
                    Err(DbError::Conflict) => {
                        // The slug is taken by an event from elsewhere.
                        let mut event = incoming.event.clone();
                        event.draft.slug = format!("{}-{}", event.draft.slug, now % 100_000);
                        events::insert(&site.db, &event, Some(&incoming.uid), now).await?;
                        report.created += 1;
                    }
                    Err(other) => return Err(other),
                }
            }
        }
        report
            .notes
            .extend(incoming.notes.into_iter().map(|n| (title.clone(), n)));
    }
    Ok(report)
}
