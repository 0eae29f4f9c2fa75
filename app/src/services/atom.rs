//! The Atom feed of upcoming public events, for the organisation's own
//! website and for feed readers: each entry's title, its local date and
//! time, city and summary, and its page. A sensitive event is there as the
//! public sees it: its public title and time, no place.

use super::{local_times, redact, when_label, Disclosure, Reached, Site};
use crate::db::events::{self, ListQuery, Period};
use crate::db::DbResult;
use crate::domain::EventStatus;
use crate::i18n::Lang;
use crate::tr;

/// The most entries the feed carries.
pub const ATOM_LIMIT: i64 = 200;

/// Text that may go into XML (content and attribute values alike).
pub fn xml_escape(text: &str) -> String {
    text.chars()
        // Characters XML 1.0 cannot carry at all.
        .filter(|c| matches!(c, '\t' | '\n' | '\r') || *c >= ' ')
        .map(|c| match c {
            '&' => "&amp;".to_string(),
            '<' => "&lt;".to_string(),
            '>' => "&gt;".to_string(),
            '"' => "&quot;".to_string(),
            '\'' => "&apos;".to_string(),
            c => c.to_string(),
        })
        .collect()
}

fn rfc3339(at: i64) -> String {
    chrono::DateTime::from_timestamp(at, 0)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The feed, in `lang`, its links to the address its reader came to.
pub async fn upcoming_atom(
    site: &Site,
    lang: Lang,
    reached: Reached,
    now: i64,
) -> DbResult<String> {
    let settings = site.settings();
    let query = ListQuery {
        limit: ATOM_LIMIT,
        ..Default::default()
    };
    let rows = events::list(&site.db, Period::Upcoming, lang, now, &query).await?;
    let links = settings.base_url_for(reached);
    let host = super::calendar::event_uid(0, &settings.base_url);
    let host = host.trim_start_matches("event-0@");
    let updated = rows
        .iter()
        .map(|row| row.updated_at)
        .max()
        .unwrap_or(0)
        .max(settings.changed_at);
    let self_url = format!("{links}{}?lang={}", crate::paths::ATOM_FEED, lang.tag());
    let mut feed = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
         <feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n\
         <id>tag:{},2026:events</id>\n<title>{}</title>\n<updated>{}</updated>\n\
         <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n\
         <link rel=\"alternate\" type=\"text/html\" href=\"{}/\"/>\n",
        lang.tag(),
        xml_escape(host),
        xml_escape(&settings.instance_name),
        rfc3339(updated),
        xml_escape(&self_url),
        xml_escape(links),
    );
    for mut row in rows {
        let disclosure = Disclosure::of(&row, None, now);
        redact(&mut row, disclosure, lang, settings.default_zone);
        let Some((start, end, _)) = local_times(&row) else {
            continue;
        };
        let when = when_label(lang, &row, start, end);
        let title = match row.status {
            EventStatus::Scheduled => row.text.title.clone(),
            EventStatus::Postponed => {
                format!("{}: {}", tr!(lang, status_postponed), row.text.title)
            }
            EventStatus::Cancelled => {
                format!("{}: {}", tr!(lang, status_cancelled), row.text.title)
            }
        };
        let line: Vec<&str> = [when.as_str(), row.city.as_str()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect();
        let mut summary = line.join(" · ");
        if !row.text.summary.is_empty() {
            summary = format!("{summary} — {}", row.text.summary);
        }
        feed.push_str(&format!(
            "<entry>\n<id>tag:{},2026:event-{}</id>\n<title>{}</title>\n<updated>{}</updated>\n\
             <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n<summary>{}</summary>\n</entry>\n",
            xml_escape(host),
            row.id,
            xml_escape(&title),
            rfc3339(row.updated_at),
            xml_escape(&format!("{links}{}", crate::paths::event(&row.slug))),
            xml_escape(&summary),
        ));
    }
    feed.push_str("</feed>\n");
    Ok(feed)
}

#[cfg(test)]
mod tests {
    use super::xml_escape;

    #[test]
    fn xml_escapes_markup_and_drops_what_it_cannot_carry() {
        assert_eq!(
            xml_escape("Iftar & \"talk\" <b>'Q'</b>\u{1}"),
            "Iftar &amp; &quot;talk&quot; &lt;b&gt;&apos;Q&apos;&lt;/b&gt;"
        );
        assert_eq!(xml_escape("ئىپتار 🌙"), "ئىپتار 🌙");
    }
}
