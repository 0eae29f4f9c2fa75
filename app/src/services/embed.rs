//! The list of upcoming events for a frame on the organisation's own
//! website: plain HTML with its style inline, no script, no cookie, no
//! form; each event links to its page here, in a new tab. Only the
//! websites an admin listed may frame it (the policy's `frame-ancestors`).

use super::atom::xml_escape;
use super::{listing, Reached, Site};
use crate::db::events::Period;
use crate::db::DbResult;
use crate::domain::{EventFilter, EventStatus, PosterFormat};
use crate::i18n::Lang;
use crate::tr;
use base64::Engine;
use sha2::{Digest, Sha256};

/// The page's whole style: small, and allowed by its hash alone.
const STYLE: &str =
    "body{margin:0;font:16px/1.45 system-ui,sans-serif;color:#1d2330;background:#fff}\
ul{list-style:none;margin:0;padding:0}\
h2{font-size:.95rem;margin:.8rem .6rem .3rem;color:#4a5365}\
li.event{display:flow-root;padding:.5rem .6rem;border-top:1px solid #dde1e8}\
a{color:#0b57a4;font-weight:600}\
.when,.place{margin:.1rem 0 0;font-size:.9rem;color:#4a5365}\
.status{font-weight:700;color:#9a3412}\
picture{float:inline-end;width:4.5rem;margin-inline-start:.6rem}\
img{display:block;width:100%;height:auto;border-radius:4px}\
.more{margin:.6rem}";

/// The content security policy of the embeddable list: nothing runs,
/// nothing is sent, only its own style and posters load, and only the
/// listed websites (or none) may show it in a frame.
pub fn content_security_policy(origins: &[String]) -> String {
    let style = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(STYLE));
    let ancestors = if origins.is_empty() {
        "'none'".to_string()
    } else {
        origins.join(" ")
    };
    format!(
        "default-src 'none'; style-src 'sha256-{style}'; img-src 'self'; base-uri 'none'; \
         form-action 'none'; frame-ancestors {ancestors}"
    )
}

/// The list's HTML in `lang`, its links to the address its reader came to.
/// A sensitive event is there as the public sees it.
pub async fn embed_page(site: &Site, lang: Lang, reached: Reached, now: i64) -> DbResult<String> {
    let settings = site.settings();
    let base = settings.base_url_for(reached).to_string();
    let events = listing(site, Period::Upcoming, &EventFilter::default(), lang, now).await?;
    let mut html = format!(
        "<!DOCTYPE html>\n<html lang=\"{}\" dir=\"{}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"referrer\" content=\"no-referrer\"><meta name=\"robots\" content=\"noindex\">\
         <title>{}</title><style>{STYLE}</style></head><body>\n<ul>\n",
        lang.tag(),
        lang.dir(),
        xml_escape(&format!(
            "{} — {}",
            settings.instance_name,
            tr!(lang, nav_upcoming)
        )),
    );
    for day in &events.days {
        html.push_str(&format!(
            "<li><h2>{}</h2><ul>\n",
            xml_escape(&day.date_label)
        ));
        for card in &day.events {
            html.push_str("<li class=\"event\">");
            if let Some(thumb) = &card.thumbnail {
                if let Some(fallback) = thumb.file_near(PosterFormat::Jpeg, 240) {
                    html.push_str(&format!(
                        "<picture><source type=\"image/webp\" srcset=\"{}\" sizes=\"4.5rem\">\
                         <img src=\"{}\" srcset=\"{}\" sizes=\"4.5rem\" width=\"{}\" height=\"{}\" \
                         alt=\"\" loading=\"lazy\"></picture>",
                        xml_escape(&thumb.srcset(PosterFormat::Webp)),
                        xml_escape(&fallback.url),
                        xml_escape(&thumb.srcset(PosterFormat::Jpeg)),
                        fallback.width,
                        fallback.height,
                    ));
                }
            }
            if card.status != EventStatus::Scheduled {
                html.push_str(&format!(
                    "<span class=\"status\">{}</span> ",
                    xml_escape(card.status.label(lang))
                ));
            }
            html.push_str(&format!(
                "<a href=\"{}\" target=\"_blank\" rel=\"noopener\" dir=\"auto\">{}</a>\
                 <p class=\"when\">{}{}</p>",
                xml_escape(&format!("{base}{}", crate::paths::event(&card.slug))),
                xml_escape(&card.title),
                xml_escape(&card.time_label),
                card.zone_label
                    .as_deref()
                    .map(|zone| format!(" ({})", xml_escape(zone)))
                    .unwrap_or_default(),
            ));
            if !card.place.is_empty() {
                html.push_str(&format!(
                    "<p class=\"place\" dir=\"auto\">{}</p>",
                    xml_escape(&card.place)
                ));
            }
            html.push_str("</li>\n");
        }
        html.push_str("</ul></li>\n");
    }
    if events.days.is_empty() {
        html.push_str(&format!(
            "<li class=\"event\">{}</li>\n",
            xml_escape(tr!(lang, embed_none))
        ));
    }
    html.push_str(&format!(
        "</ul>\n<p class=\"more\"><a href=\"{}/?lang={}\" target=\"_blank\" rel=\"noopener\">{}</a></p>\n\
         </body></html>\n",
        xml_escape(&base),
        lang.tag(),
        xml_escape(&settings.instance_name),
    ));
    Ok(html)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_names_the_listed_websites_or_none() {
        let none = content_security_policy(&[]);
        assert!(none.ends_with("frame-ancestors 'none'"), "{none}");
        assert!(!none.contains("script-src"));
        let listed = content_security_policy(&[
            "https://uyghur-society.ca".into(),
            "http://localhost:8080".into(),
        ]);
        assert!(
            listed.ends_with("frame-ancestors https://uyghur-society.ca http://localhost:8080"),
            "{listed}"
        );
        let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(STYLE));
        assert!(listed.contains(&format!("style-src 'sha256-{hash}'")));
    }
}
