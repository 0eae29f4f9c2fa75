//! An event's answers for its organisers: the list, approvals and the CSV export.

use super::*;

/// An answer as its organisers see it: the name, contact and note opened
/// with `opener` (the session's organisation key), or marked sealed.
fn list_entry(opener: &Opener, row: &RsvpRow) -> RsvpListEntry {
    let personal = opener.personal(row);
    let sealed = personal.is_none() && !row.key_for_organisers.is_empty();
    let personal = personal.unwrap_or_default();
    RsvpListEntry {
        id: row.id,
        sealed,
        display_name: personal.name.clone(),
        contact: personal.contact.clone(),
        note: personal.note.clone(),
        answer: row.answer,
        state: row.state,
        guests: row.guests,
        short_code: row.short_code.clone(),
        checked_in: row.checked_in_at.is_some(),
    }
}

/// One page of an event's answers, as `query` narrows them. The counts
/// come from the database without opening anything, and only the answers
/// shown are read and opened, except that a search by name opens every
/// answer under the filter to look at it.
pub async fn rsvp_list(
    site: &Site,
    account: &AccountInfo,
    opener: &Opener,
    slug: &str,
    lang: Lang,
    query: &AnswerQuery,
) -> Result<RsvpList, OrganiseError> {
    let event = managed_event(site, account, slug, lang).await?;
    let rules = rsvps::rules(&site.db, event.id)
        .await?
        .ok_or(OrganiseError::NotFound)?;
    let tallies = rsvps::tallies(&site.db, event.id).await?;
    let count = |filter: &str| {
        tallies
            .iter()
            .filter(|t| answer_filter(t.answer, t.state) == filter)
            .map(|t| t.answers as usize)
            .sum::<usize>()
    };
    let counts = ANSWER_FILTERS.iter().map(|(f, ..)| count(f)).collect();
    let total = tallies.iter().map(|t| t.answers as usize).sum();
    let parts = query.filter.as_deref().and_then(filter_parts);
    let skip = RsvpList::skipped(query.page);
    let page = AnswerPage {
        state: parts.map(|(state, _)| state),
        answer: parts.and_then(|(_, answer)| answer),
        limit: ANSWERS_PER_PAGE as i64,
        offset: i64::try_from(skip).unwrap_or(i64::MAX),
    };
    let (matching, entries) = if query.search.is_empty() {
        let matching = query.filter.as_deref().map_or(total, count);
        let rows = rsvps::page_for_event(&site.db, event.id, page).await?;
        (
            matching,
            rows.iter().map(|row| list_entry(opener, row)).collect(),
        )
    } else {
        let every = AnswerPage {
            state: page.state,
            answer: page.answer,
            ..AnswerPage::ALL
        };
        let needle = query.search.to_lowercase();
        let found: Vec<RsvpListEntry> = rsvps::page_for_event(&site.db, event.id, every)
            .await?
            .iter()
            .map(|row| list_entry(opener, row))
            .filter(|e| {
                query.code_matches(&e.short_code) || e.display_name.to_lowercase().contains(&needle)
            })
            .collect();
        let matching = found.len();
        let entries: Vec<RsvpListEntry> = found
            .into_iter()
            .skip(skip)
            .take(ANSWERS_PER_PAGE)
            .collect();
        (matching, entries)
    };
    // Without a key every sealed answer stays shut; with one, only those
    // shown are tried.
    let any_sealed = entries.iter().any(|e| e.sealed)
        || !opener.holds_key() && tallies.iter().any(|t| t.sealed > 0);
    let announcements = super::announcements::sent(site, &event, lang).await?;
    Ok(RsvpList {
        any_sealed,
        when_label: when_label(lang, &event),
        slug: event.slug,
        title: event.text.title,
        capacity: event.capacity,
        approval_required: rules.approval_required,
        counts,
        // The seats the event holds, as every other page counts them.
        seats: event.seats_taken,
        matching,
        page: query.page,
        entries,
        sensitive: event.sensitive,
        languages: site.settings().languages.clone(),
        announcements,
        returned: Default::default(),
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
    crate::db::audit::audit_in(lock.conn(), Some(account), action, slug, now).await?;
    lock.commit().await?;
    Ok(state)
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
    opener: &Opener,
    slug: &str,
    now: i64,
) -> Result<(String, String), OrganiseError> {
    let event = managed_event(site, account, slug, Lang::En).await?;
    let entries: Vec<RsvpListEntry> = rsvps::page_for_event(&site.db, event.id, AnswerPage::ALL)
        .await?
        .iter()
        .map(|row| list_entry(opener, row))
        .collect();
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
            .map_err(|e| OrganiseError::Csv(e.to_string()))
    };
    write(&mut writer, &header.map(String::from))?;
    for entry in &entries {
        write(
            &mut writer,
            &[
                if entry.sealed {
                    "(sealed)".to_string()
                } else {
                    entry.display_name.clone()
                },
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
        .map_err(|e| OrganiseError::Csv(e.to_string()))?;
    let text = String::from_utf8(bytes).map_err(|e| OrganiseError::Csv(e.to_string()))?;
    crate::db::audit::audit(&site.db, Some(account), "exported the RSVPs of", slug, now).await?;
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
