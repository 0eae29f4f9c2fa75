//! Bounded property tests over everything that reads outside input: `.ics`
//! files (random bytes, and damaged copies of real exports) and the forms.
//! None may panic; whatever they accept must be clean.
#![cfg(feature = "ssr")]

use app::domain::EventKind;
use app::i18n::Lang;
use app::rsvp::{limits, RsvpForm};
use app::services::import::{read_file, ImportOptions};
use app::services::organise::parse_event_form;
use app::validation::is_forbidden_char;
use proptest::prelude::*;

fn options() -> ImportOptions {
    ImportOptions {
        kind: EventKind::Other,
        lang: Lang::En,
        zone: chrono_tz::America::Toronto,
    }
}

fn samples() -> Vec<Vec<u8>> {
    ["google.ics", "outlook.ics", "apple.ics", "broken.ics"]
        .iter()
        .map(|name| {
            std::fs::read(format!("{}/tests/ics/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
        })
        .collect()
}

fn clean(text: &str) -> bool {
    !text.chars().any(is_forbidden_char)
}

/// Text with what trips parsers up: separators, escapes, controls, bidi
/// marks, invalid-looking sequences, right-to-left letters.
fn nasty() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "a",
        " ",
        ",",
        ";",
        ":",
        "\\",
        "\\n",
        "\r\n",
        "\n ",
        "\0",
        "\u{202E}",
        "\u{FFFD}",
        "ئ",
        "😀",
        "BEGIN:VEVENT",
        "END:VEVENT",
        "DTSTART:",
        "TZID=",
        "\"",
        "=",
        "&",
        "%",
        "<script>",
        "20270101T000000Z",
        "VALUE=DATE",
    ]);
    prop::collection::vec(pieces, 0..40).prop_map(|p| p.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_bytes_are_read_without_panicking(bytes in prop::collection::vec(any::<u8>(), 0..4000)) {
        let read = read_file(&bytes, &options());
        for event in &read.events {
            prop_assert!(event.event.draft.texts.iter().all(|(_, t)| clean(&t.title) && clean(&t.description)));
        }
    }

    #[test]
    fn damaged_exports_import_what_is_intact_and_report_the_rest(
        which in 0usize..4,
        cuts in prop::collection::vec((any::<prop::sample::Index>(), nasty()), 1..6),
    ) {
        let mut file = samples()[which].clone();
        for (at, insert) in cuts {
            let at = at.index(file.len() + 1);
            file.splice(at..at, insert.into_bytes());
        }
        let entries = file
            .split(|b| *b == b'\n')
            .filter(|line| std::str::from_utf8(line).is_ok_and(|l| l.trim().eq_ignore_ascii_case("BEGIN:VEVENT")))
            .count();
        let read = read_file(&file, &options());
        // Every entry is either imported or reported, none twice.
        prop_assert_eq!(read.events.len() + read.skipped.len(), entries);
        for event in &read.events {
            let d = &event.event.draft;
            prop_assert!(d.texts.iter().all(|(_, t)| clean(&t.title) && clean(&t.description)));
            prop_assert!(clean(&d.venue_address));
            prop_assert!(event.event.ends_at > event.event.starts_at);
        }
    }

    #[test]
    fn rsvp_forms_accept_only_clean_answers(
        answer in nasty(), guests in nasty(), name in nasty(), contact in nasty(), note in nasty(),
    ) {
        let form = RsvpForm { answer, guests, name, contact, note, ..Default::default() };
        if let Ok(input) = form.validate() {
            prop_assert!(clean(&input.name) && clean(&input.contact) && clean(&input.note));
            prop_assert!((0..=limits::MAX_GUESTS).contains(&input.guests));
            prop_assert!(!input.name.trim().is_empty());
        }
    }

    #[test]
    fn event_forms_accept_only_valid_events(
        pairs in prop::collection::vec((prop::sample::select(vec![
            "slug", "kind", "start", "end", "time_zone", "all_day", "title.en", "summary.en",
            "description.en", "title.ug-Arab", "capacity", "deadline", "original_lang", "city",
        ]), nasty()), 0..20),
    ) {
        let pairs: Vec<(String, String)> = pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        if let Ok(input) = parse_event_form(&pairs, &Lang::ALL) {
            let d = &input.event.draft;
            prop_assert!(input.event.ends_at > input.event.starts_at);
            prop_assert!(d.texts.iter().all(|(_, t)| clean(&t.title) && clean(&t.summary)));
            prop_assert!(clean(&d.city));
        }
    }
}
