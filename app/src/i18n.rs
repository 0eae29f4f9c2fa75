//! Languages: which one a visitor gets, and the strings in it.
//!
//! The strings live in `app/locales/<tag>.json` and are compiled by
//! leptos_i18n (see `build.rs`) into checked code: every key is an
//! identifier checked at compile time, English is the fallback for a string
//! another language lacks, and plural forms follow ICU's rules for each
//! language. [`tr!`] looks a string up in a [`Lang`].
//!
//! Which language a request gets is ours to decide ([`Lang::negotiate`]):
//! only the languages the instance offers count, and the URL beats the
//! cookie, which beats `Accept-Language`.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    En,
    Fr,
    UgLatn,
    UgArab,
}

/// Languages that may still lack translations. The completeness test fails
/// for any language not named here that misses a key of `en.json`, so
/// shrinking this list is how progress is recorded.
pub const INCOMPLETE_LANGS: &[Lang] = &[];

/// Name of the cookie that remembers a visitor's language choice.
pub const LANG_COOKIE: &str = "lang";

impl Lang {
    pub const ALL: [Lang; 4] = [Lang::En, Lang::Fr, Lang::UgLatn, Lang::UgArab];

    /// The BCP 47 tag, as used in URLs, cookies and `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
            Lang::UgLatn => "ug-Latn",
            Lang::UgArab => "ug-Arab",
        }
    }

    /// The language's name in itself, for the language switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Fr => "Français",
            Lang::UgLatn => "Uyghurche",
            Lang::UgArab => "ئۇيغۇرچە",
        }
    }

    /// The same language as leptos_i18n names it.
    pub fn locale(self) -> Locale {
        match self {
            Lang::En => Locale::en,
            Lang::Fr => Locale::fr,
            Lang::UgLatn => Locale::ug_Latn,
            Lang::UgArab => Locale::ug_Arab,
        }
    }

    pub fn is_rtl(self) -> bool {
        self == Lang::UgArab
    }

    pub fn dir(self) -> &'static str {
        if self.is_rtl() {
            "rtl"
        } else {
            "ltr"
        }
    }

    /// Parses a tag as a visitor or browser may write it (case-insensitive,
    /// `_` or `-`, with or without region). Bare `ug` means Arabic script,
    /// the script Uyghur is usually written in.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let tag = tag.trim().replace('_', "-").to_ascii_lowercase();
        let mut parts = tag.split('-');
        match parts.next()? {
            "en" => Some(Lang::En),
            "fr" => Some(Lang::Fr),
            "ug" => {
                if parts.any(|p| p == "latn") {
                    Some(Lang::UgLatn)
                } else {
                    Some(Lang::UgArab)
                }
            }
            _ => None,
        }
    }

    /// Picks the language among those the instance `offers`: an explicit
    /// choice in the URL first, then the remembered cookie, then the
    /// browser's `Accept-Language`, else `default`.
    pub fn negotiate(
        from_url: Option<&str>,
        from_cookie: Option<&str>,
        accept_language: Option<&str>,
        offered: &[Lang],
        default: Lang,
    ) -> Lang {
        let offered_tag = |tag: &str| Lang::from_tag(tag).filter(|l| offered.contains(l));
        from_url
            .and_then(offered_tag)
            .or_else(|| from_cookie.and_then(offered_tag))
            .or_else(|| accept_language.and_then(|h| best_accepted(h, offered)))
            .unwrap_or(default)
    }
}

/// The offered language with the highest q-value in an `Accept-Language`
/// header; earlier entries win ties.
fn best_accepted(header: &str, offered: &[Lang]) -> Option<Lang> {
    let mut best: Option<(Lang, f32)> = None;
    for entry in header.split(',') {
        let mut fields = entry.split(';');
        let Some(lang) = fields
            .next()
            .and_then(Lang::from_tag)
            .filter(|l| offered.contains(l))
        else {
            continue;
        };
        let q = fields
            .find_map(|f| f.trim().strip_prefix("q="))
            .and_then(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        if q > 0.0 && best.is_none_or(|(_, best_q)| q > best_q) {
            best = Some((lang, q));
        }
    }
    best.map(|(lang, _)| lang)
}

/// What leptos_i18n generates from `locales/*.json` (see `build.rs`).
pub mod generated {
    include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));
}

pub use generated::i18n::Locale;

/// The string for a key of `locales/*.json` in a [`Lang`], with values for
/// its `{{ placeholders }}`: `tr!(lang, people_going, count = 3)`. A
/// `&'static str` without values, a `String` with them.
#[macro_export]
macro_rules! tr {
    ($lang:expr, $($key_and_values:tt)+) => {
        ::leptos_i18n::td_string!($crate::i18n::Lang::locale($lang), $($key_and_values)+)
    };
}

/// Month names, January first, as they stand inside a date.
pub fn month_name(lang: Lang, month: u32) -> &'static str {
    match month {
        1 => tr!(lang, month_january),
        2 => tr!(lang, month_february),
        3 => tr!(lang, month_march),
        4 => tr!(lang, month_april),
        5 => tr!(lang, month_may),
        6 => tr!(lang, month_june),
        7 => tr!(lang, month_july),
        8 => tr!(lang, month_august),
        9 => tr!(lang, month_september),
        10 => tr!(lang, month_october),
        11 => tr!(lang, month_november),
        _ => tr!(lang, month_december),
    }
}

/// Weekday names, Monday first (ISO 8601 numbering minus one).
pub fn weekday_name(lang: Lang, days_from_monday: u32) -> &'static str {
    match days_from_monday % 7 {
        0 => tr!(lang, weekday_monday),
        1 => tr!(lang, weekday_tuesday),
        2 => tr!(lang, weekday_wednesday),
        3 => tr!(lang, weekday_thursday),
        4 => tr!(lang, weekday_friday),
        5 => tr!(lang, weekday_saturday),
        _ => tr!(lang, weekday_sunday),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use std::collections::BTreeMap;

    /// A locale file's strings by key, plural forms (`key_one`, `key_other`)
    /// folded into their key: languages need different plural categories.
    fn strings(lang: Lang) -> BTreeMap<String, Vec<String>> {
        let path = format!("{}/locales/{}.json", env!("CARGO_MANIFEST_DIR"), lang.tag());
        let text = std::fs::read_to_string(&path).unwrap();
        let file: BTreeMap<String, String> = serde_json::from_str(&text).unwrap();
        let mut strings: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (key, value) in file {
            let key = ["_zero", "_one", "_two", "_few", "_many", "_other"]
                .iter()
                .find_map(|form| key.strip_suffix(form))
                .map_or(key.clone(), str::to_owned);
            strings.entry(key).or_default().push(value);
        }
        strings
    }

    #[test]
    fn every_language_not_listed_as_incomplete_has_every_key() {
        let english = strings(Lang::En);
        let mut report = Vec::new();
        for lang in Lang::ALL {
            let have = strings(lang);
            let missing: Vec<&String> = english.keys().filter(|k| !have.contains_key(*k)).collect();
            if !missing.is_empty() && !INCOMPLETE_LANGS.contains(&lang) {
                report.push(format!("{}: {:?}", lang.tag(), missing));
            }
            let unknown: Vec<&String> = have.keys().filter(|k| !english.contains_key(*k)).collect();
            assert!(
                unknown.is_empty(),
                "{} has keys English lacks: {unknown:?}",
                lang.tag()
            );
        }
        assert!(
            report.is_empty(),
            "missing translations:\n{}",
            report.join("\n")
        );
    }

    #[test]
    fn no_translation_is_empty() {
        for lang in Lang::ALL {
            for (key, values) in strings(lang) {
                for value in values {
                    assert!(!value.trim().is_empty(), "{} {key} is blank", lang.tag());
                }
            }
        }
    }

    #[test]
    fn plural_forms_follow_each_language() {
        assert_eq!(tr!(Lang::Fr, people_going, count = 1), "1 participant");
        assert_eq!(tr!(Lang::Fr, people_going, count = 0), "0 participant");
        assert_eq!(tr!(Lang::Fr, people_going, count = 2), "2 participants");
        assert_eq!(
            tr!(Lang::En, err_below_attendance, count = 1),
            "1 place is already taken."
        );
        assert_eq!(
            tr!(Lang::En, err_below_attendance, count = 0),
            "0 places are already taken."
        );
        assert_eq!(tr!(Lang::UgLatn, people_going, count = 1), "1 kishi baridu");
        assert_eq!(tr!(Lang::UgArab, people_going, count = 7), "7 كىشى بارىدۇ");
    }

    #[test]
    fn every_language_has_its_own_month_and_weekday_names() {
        assert_eq!(month_name(Lang::Fr, 8), "août");
        assert_eq!(month_name(Lang::UgLatn, 3), "Mart");
        assert_eq!(weekday_name(Lang::UgArab, 4), "جۈمە");
        assert_eq!(weekday_name(Lang::En, 6), "Sunday");
    }

    #[test]
    fn tags_round_trip() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_tag(lang.tag()), Some(lang));
        }
        assert_eq!(Lang::from_tag("ug"), Some(Lang::UgArab));
        assert_eq!(Lang::from_tag("ug_CN"), Some(Lang::UgArab));
        assert_eq!(Lang::from_tag("UG-latn"), Some(Lang::UgLatn));
        assert_eq!(Lang::from_tag("fr-CA"), Some(Lang::Fr));
        assert_eq!(Lang::from_tag("de"), None);
        assert_eq!(Lang::from_tag(""), None);
    }

    #[test]
    fn negotiation_prefers_url_then_cookie_then_header() {
        let header = Some("de-DE,fr-CA;q=0.8,en;q=0.5");
        assert_eq!(
            Lang::negotiate(Some("ug-Arab"), Some("en"), header, &Lang::ALL, Lang::En),
            Lang::UgArab
        );
        assert_eq!(
            Lang::negotiate(None, Some("ug-Latn"), header, &Lang::ALL, Lang::En),
            Lang::UgLatn
        );
        assert_eq!(
            Lang::negotiate(None, None, header, &Lang::ALL, Lang::En),
            Lang::Fr
        );
        assert_eq!(
            Lang::negotiate(Some("xx"), Some("??"), None, &Lang::ALL, Lang::Fr),
            Lang::Fr
        );
        assert_eq!(
            Lang::negotiate(None, None, Some("en;q=0.2, ug;q=0.9"), &Lang::ALL, Lang::Fr),
            Lang::UgArab
        );
        assert_eq!(
            Lang::negotiate(None, None, Some("fr;q=0"), &Lang::ALL, Lang::En),
            Lang::En
        );
    }

    #[test]
    fn negotiation_offers_only_the_instance_languages() {
        let offered = [Lang::En, Lang::UgArab];
        assert_eq!(
            Lang::negotiate(Some("fr"), None, Some("ug"), &offered, Lang::En),
            Lang::UgArab
        );
        assert_eq!(
            Lang::negotiate(
                None,
                Some("fr"),
                Some("fr, en;q=0.5"),
                &offered,
                Lang::UgArab
            ),
            Lang::En
        );
        assert_eq!(
            Lang::negotiate(None, None, Some("fr"), &offered, Lang::UgArab),
            Lang::UgArab
        );
    }

    #[test]
    fn only_arabic_script_is_right_to_left() {
        assert_eq!(Lang::UgArab.dir(), "rtl");
        for lang in [Lang::En, Lang::Fr, Lang::UgLatn] {
            assert_eq!(lang.dir(), "ltr");
        }
    }
}
