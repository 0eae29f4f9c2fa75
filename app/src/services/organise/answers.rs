//! An event's answers for its organisers: the list, approvals and the CSV export.

use super::*;

/// Every answer to an event, names, contacts and notes included when
/// `opener` (the session's organisation key) opens them.
pub async fn rsvp_list(
    site: &Site,
    account: &AccountInfo,
    opener: &Opener,
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
        .map(|r| {
            let personal = opener.personal(&r);
            let sealed = personal.is_none() && !r.key_for_organisers.is_empty();
            let personal = personal.unwrap_or_default();
            RsvpListEntry {
                id: r.id,
                sealed,
                display_name: personal.name.clone(),
                contact: personal.contact.clone(),
                note: personal.note.clone(),
                answer: r.answer,
                state: r.state,
                guests: r.guests,
                short_code: r.short_code,
                checked_in: r.checked_in_at.is_some(),
            }
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
    let list = rsvp_list(site, account, opener, slug, Lang::En).await?;
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
    for entry in &list.entries {
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
