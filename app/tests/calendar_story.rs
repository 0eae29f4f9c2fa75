//! Calendars on every backend: import from the shapes Google Calendar,
//! Outlook and Apple Calendar export, re-import, broken files, feeds that
//! round-trip through the parser, golden files, the personal feed.
#![cfg(feature = "ssr")]

mod common;

use app::db::events::{self, EventRow};
use app::db::Database;
use app::domain::{EventDraft, EventKind, EventStatus, EventText};
use app::i18n::Lang;
use app::rsvp::RsvpForm;
use app::services::calendar::{self, FeedFilter};
use app::services::import::{import, read_file, EntryProblem, ImportOptions};
use app::services::{Reached, Site};
use common::{databases, site};
use std::path::PathBuf;
use std::sync::Arc;

const NOW: i64 = 1_795_900_000; // 2026-11-28

fn sample(name: &str) -> Vec<u8> {
    std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/ics")
            .join(name),
    )
    .unwrap()
}

fn options() -> ImportOptions {
    ImportOptions {
        kind: EventKind::Meeting,
        lang: Lang::En,
        zone: chrono_tz::America::Toronto,
    }
}

async fn imported(db: &Database, uid: &str) -> EventRow {
    events::by_import_uid(db, uid, Lang::En)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("{uid} was not imported"))
}

fn draft(slug: &str, start: &str, end: &str, zone: &str, text: EventText) -> EventDraft {
    EventDraft {
        texts: vec![(Lang::En, text)],
        ..EventDraft::titled(slug, EventKind::Seminar, (Lang::En, ""), start, end, zone)
    }
}

fn titled(title: &str) -> EventText {
    EventText {
        title: title.into(),
        ..Default::default()
    }
}

async fn store(db: &Database, draft: EventDraft) -> i64 {
    events::insert(db, &draft.validate().unwrap(), None, NOW)
        .await
        .unwrap()
}

#[tokio::test]
async fn imports_what_google_outlook_and_apple_export() {
    let (dbs, _dir) = databases("import_shapes").await;
    for db in &dbs {
        let site = site(db);
        for (file, created) in [("google.ics", 3), ("outlook.ics", 3), ("apple.ics", 2)] {
            let report = import(&site, &sample(file), &options(), NOW).await.unwrap();
            assert_eq!(report.created, created, "{file}: {report}");
            assert!(report.skipped.is_empty(), "{file}: {report}");
        }

        // Google: IANA zone; text unescaped and unfolded, the space before a
        // fold kept.
        let rally = imported(db, "3k9v2m1q8r7s6t5u4v3w2x1y0z@google.com").await;
        assert_eq!(
            (rally.start_local.as_str(), rally.time_zone.as_str()),
            ("2027-03-13T14:00", "America/Toronto")
        );
        assert_eq!(
            rally.text.description,
            "Bring signs and water. Meet at the north gate, by the flag; marshals wear orange.\n\
             Second line: no faces in photos, please."
        );
        assert_eq!(
            rally.venue_address,
            "Queen's Park, 111 Wellesley St W, Toronto, ON M7A 1A2, Canada"
        );
        assert_eq!(rally.kind, EventKind::Meeting);
        // A UTC time lands in the instance's zone, after the change to EDT.
        let evening = imported(db, "7h6g5f4e3d2c1b0a9z8y7x6w5v@google.com").await;
        assert_eq!(evening.text.title, "نورۇز كېچىلىكى 🎉");
        assert_eq!(evening.start_local, "2027-03-20T18:00");
        assert_eq!(evening.starts_at, 1_805_580_000); // 2027-03-20T22:00Z
        let navruz = imported(db, "0a1b2c3d4e5f6g7h8i9j@google.com").await;
        assert!(navruz.all_day);
        assert_eq!(
            (navruz.start_local.as_str(), navruz.end_local.as_str()),
            ("2027-03-21T00:00", "2027-03-22T00:00")
        );

        // Outlook: Windows zone names, an alarm inside the event.
        let board = imported(
            db,
            "040000008200E00074C5B7101A82E00800000000B0A1C2D3E4F5D901000000000000000010000000A1B2C3D4E5F6",
        )
        .await;
        assert_eq!(board.time_zone, "America/New_York");
        assert_eq!(board.start_local, "2027-01-15T18:00");
        assert_eq!(board.starts_at, 1_800_054_000); // 23:00Z
        assert_eq!(
            board.text.description,
            "Agenda:\n1. Reports\n2. Election of the board"
        );
        let ankara = imported(
            db,
            "040000008200E00074C5B7101A82E00800000000C0A1C2D3E4F5D901000000000000000010000000B1B2C3D4E5F6",
        )
        .await;
        assert_eq!(ankara.time_zone, "Europe/Istanbul");
        assert_eq!(ankara.starts_at, 1_807_340_400); // 2027-04-10T07:00Z
        let fair = imported(
            db,
            "040000008200E00074C5B7101A82E00800000000D0A1C2D3E4F5D901000000000000000010000000C1B2C3D4E5F6",
        )
        .await;
        assert!(fair.all_day);
        assert_eq!(fair.end_local, "2027-02-03T00:00");

        // Apple: two-line location, DURATION, floating time.
        let film = imported(db, "8F3A2B1C-4D5E-6F70-8192-A3B4C5D6E7F8").await;
        assert_eq!(film.text.title, "Film night: “The Silent Steppe”");
        assert_eq!(
            film.venue_address,
            "Bloor Street cinema\n506 Bloor St W, Toronto ON M5S 1Y3, Canada"
        );
        assert_eq!(
            film.text.description,
            "Documentary, 94 minutes; discussion after."
        );
        let class = imported(db, "1E2D3C4B-5A69-7887-96A5-B4C3D2E1F000").await;
        assert_eq!(
            (class.start_local.as_str(), class.end_local.as_str()),
            ("2027-02-20T10:00", "2027-02-20T11:30")
        );
        assert_eq!(class.time_zone, "America/Toronto");
    }
}

#[tokio::test]
async fn reimporting_updates_in_place_and_raises_the_sequence_on_noticeable_changes() {
    let (dbs, _dir) = databases("reimport").await;
    for db in &dbs {
        let site = site(db);
        let file = sample("google.ics");
        import(&site, &file, &options(), NOW).await.unwrap();
        let uid = "3k9v2m1q8r7s6t5u4v3w2x1y0z@google.com";
        let before = imported(db, uid).await;

        let again = import(&site, &file, &options(), NOW + 10).await.unwrap();
        assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 3));
        assert_eq!(imported(db, uid).await.updated_at, before.updated_at);

        // Only the description changes: updated, same sequence.
        let text = String::from_utf8(file.clone()).unwrap();
        let described = text.replace("Bring signs", "Bring banners");
        let report = import(&site, described.as_bytes(), &options(), NOW + 20)
            .await
            .unwrap();
        assert_eq!((report.created, report.updated), (0, 1));
        let after = imported(db, uid).await;
        assert!(after.text.description.starts_with("Bring banners"));
        assert_eq!((after.id, after.sequence), (before.id, 0));
        assert_eq!(after.slug, before.slug);

        // The time moves: a calendar must take the new version.
        let moved = described.replace("20270313T140000", "20270313T150000");
        import(&site, moved.as_bytes(), &options(), NOW + 30)
            .await
            .unwrap();
        let after = imported(db, uid).await;
        assert_eq!(
            (after.start_local.as_str(), after.sequence),
            ("2027-03-13T15:00", 1)
        );

        // Cancelled in the source: cancelled here, kept, sequence up again.
        let cancelled = moved.replacen("STATUS:CONFIRMED", "STATUS:CANCELLED", 1);
        import(&site, cancelled.as_bytes(), &options(), NOW + 40)
            .await
            .unwrap();
        let after = imported(db, uid).await;
        assert_eq!((after.status, after.sequence), (EventStatus::Cancelled, 2));
        assert_eq!(events::count(db).await.unwrap(), 3);
    }
}

#[tokio::test]
async fn broken_entries_are_reported_and_skipped_and_the_rest_imported() {
    let (dbs, _dir) = databases("import_broken").await;
    for db in &dbs {
        let site = site(db);
        import(&site, &sample("google.ics"), &options(), NOW)
            .await
            .unwrap();
        let rally_before = imported(db, "3k9v2m1q8r7s6t5u4v3w2x1y0z@google.com").await;

        let report = import(&site, &sample("broken.ics"), &options(), NOW)
            .await
            .unwrap();
        assert_eq!(report.created, 2, "{report}");
        imported(db, "good-1@example.org").await;
        assert!(imported(db, "good-2@example.org").await.all_day);

        let problem_of = |uid: &str| {
            report
                .skipped
                .iter()
                .find(|s| s.uid.as_deref() == Some(uid))
                .map(|s| s.problem.clone())
        };
        assert_eq!(
            problem_of("no-start@example.org"),
            Some(EntryProblem::MissingStart)
        );
        assert_eq!(
            problem_of("bad-zone@example.org"),
            Some(EntryProblem::UnknownZone("Mars/Olympus_Mons".into()))
        );
        assert!(matches!(
            problem_of("bad-date@example.org"),
            Some(EntryProblem::BadDate(_))
        ));
        assert_eq!(
            problem_of("no-title@example.org"),
            Some(EntryProblem::MissingTitle)
        );
        for (uid, field) in [
            ("backwards@example.org", "end"),
            ("gap@example.org", "start"),
            ("bidi@example.org", "title.en"),
            ("too-long@example.org", "title.en"),
        ] {
            match problem_of(uid) {
                Some(EntryProblem::Invalid(errors)) => {
                    assert!(errors.iter().any(|e| e.field == field), "{uid}: {errors:?}")
                }
                other => panic!("{uid}: {other:?}"),
            }
        }
        // Entries the parser cannot read are named by their place in the file.
        let unreadable: Vec<_> = report
            .skipped
            .iter()
            .filter(|s| s.uid.is_none())
            .map(|s| (s.line, s.problem.clone()))
            .collect();
        assert!(
            matches!(
                unreadable[..],
                [
                    (36, EntryProblem::Syntax(_)),
                    (42, EntryProblem::NotUtf8),
                    (66, EntryProblem::Unterminated),
                ]
            ),
            "{unreadable:?}"
        );
        assert_eq!(report.skipped.len(), 11, "{report}");
        // Every skipped entry says which it is and why, in one line.
        let text = report.to_string();
        assert!(
            text.contains("line 66") && text.contains("no END:VEVENT"),
            "{text}"
        );

        // Nothing that was there is touched.
        assert_eq!(events::count(db).await.unwrap(), 5);
        let rally_after = imported(db, "3k9v2m1q8r7s6t5u4v3w2x1y0z@google.com").await;
        assert_eq!(rally_after.updated_at, rally_before.updated_at);
    }
}

/// Events whose text is everything TEXT escaping is about.
async fn tricky_events(db: &Database) {
    let mut tricky = titled("Iftar; dinner, \"talk\" \\ Q&A — ئىپتار 🌙");
    tricky.description = "Line one, with commas; semicolons\\backslashes.\nLine two: نورۇز مۇبارەك 🎉 👨‍👩‍👧 and a long sentence that has to be folded somewhere past the seventy-fifth octet of its line.".into();
    let mut iftar = draft(
        "tricky-iftar",
        "2027-03-05T18:00",
        "2027-03-05T21:00",
        "America/Toronto",
        tricky,
    );
    iftar.venue_name = "Hall, upstairs".into();
    iftar.city = "Ottawa".into();
    store(db, iftar).await;
    store(
        db,
        draft(
            "dc-panel",
            "2027-04-02T09:30",
            "2027-04-02T12:00",
            "America/New_York",
            titled("Washington panel"),
        ),
    )
    .await;
    store(
        db,
        draft(
            "ankara-day",
            "2027-04-10T10:00",
            "2027-04-11T18:00",
            "Europe/Istanbul",
            titled("Ankara congress"),
        ),
    )
    .await;
    let mut all_day = draft(
        "navruz-day",
        "2027-03-21T00:00",
        "2027-03-22T00:00",
        "America/Toronto",
        titled("Navruz"),
    );
    all_day.all_day = true;
    store(db, all_day).await;
    let mut cancelled = draft(
        "cancelled-talk",
        "2026-12-10T19:00",
        "2026-12-10T20:00",
        "America/Toronto",
        titled("Cancelled talk"),
    );
    cancelled.status = EventStatus::Cancelled;
    store(db, cancelled).await;
}

async fn feed(site: &Site, filter: &FeedFilter, lang: Lang) -> Arc<str> {
    let (etag, _) = calendar::feed_etag(site, filter, lang, Reached::Public)
        .await
        .unwrap();
    calendar::feed_ics(site, filter, lang, &etag, Reached::Public)
        .await
        .unwrap()
}

#[tokio::test]
async fn feeds_round_trip_through_the_parser() {
    let (dbs, _dir) = databases("round_trip").await;
    for db in &dbs {
        let site = site(db);
        tricky_events(db).await;
        let text = feed(&site, &FeedFilter::default(), Lang::En).await;
        for line in text.split_terminator("\r\n") {
            assert!(line.len() <= 75 && !line.contains('\n'), "{line:?}");
        }
        let read = read_file(text.as_bytes(), &options());
        assert!(read.skipped.is_empty(), "{:?}", read.skipped);
        let stored = events::list(
            db,
            events::Period::Upcoming,
            Lang::En,
            i64::MIN,
            &events::ListQuery {
                limit: 100,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(read.events.len(), stored.len());
        for (incoming, row) in read.events.iter().zip(&stored) {
            let event = &incoming.event;
            let d = &event.draft;
            assert_eq!(
                incoming.uid,
                calendar::event_uid(row.id, &site.settings().base_url)
            );
            assert_eq!(d.texts[0].1.title, row.text.title);
            assert_eq!(d.texts[0].1.description, row.text.description);
            assert_eq!(
                (event.starts_at, event.ends_at),
                (row.starts_at, row.ends_at),
                "{}",
                row.slug
            );
            assert_eq!(
                (d.time_zone.as_str(), d.all_day),
                (row.time_zone.as_str(), row.all_day)
            );
            assert_eq!(d.status, row.status);
            let place: Vec<&str> = [
                row.venue_name.as_str(),
                row.venue_address.as_str(),
                row.city.as_str(),
            ]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect();
            assert_eq!(d.venue_address, place.join(", "));
        }
    }
}

/// Compares `actual` with the golden file `name`; `UPDATE_GOLDEN=1`
/// rewrites the file instead (then review the diff).
fn golden(name: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var("UPDATE_GOLDEN").is_ok() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        expected == actual,
        "{name} differs from its golden file:\n{actual}"
    );
}

#[tokio::test]
async fn feeds_match_their_golden_files_on_every_backend() {
    let (dbs, _dir) = databases("golden").await;
    for db in &dbs {
        let site = site(db);
        tricky_events(db).await;
        golden(
            "feed.ics",
            &feed(&site, &FeedFilter::default(), Lang::En).await,
        );
        let one = calendar::event_ics(&site, "tricky-iftar", Lang::En, NOW, Reached::Public)
            .await
            .unwrap()
            .unwrap();
        golden("event.ics", &one);
    }
}

/// Read over the onion service, a feed's links lead there; its UIDs stay
/// those of the public address, so a calendar that subscribed on both
/// holds each event once; and neither address is served the other's copy.
#[tokio::test]
async fn a_feed_read_over_tor_links_to_the_onion_address() {
    let (dbs, _dir) = databases("onion_feed").await;
    let onion = format!("http://{}.onion", "a".repeat(56));
    for db in &dbs {
        let site = Site::new(
            db.clone(),
            app::services::Settings {
                onion_url: Some(onion.clone()),
                ..common::settings()
            },
        );
        tricky_events(db).await;
        let filter = FeedFilter::default();
        let public = feed(&site, &filter, Lang::En).await;
        let (etag, _) = calendar::feed_etag(&site, &filter, Lang::En, Reached::Onion)
            .await
            .unwrap();
        let (public_etag, _) = calendar::feed_etag(&site, &filter, Lang::En, Reached::Public)
            .await
            .unwrap();
        assert_ne!(etag, public_etag);
        let over_tor = calendar::feed_ics(&site, &filter, Lang::En, &etag, Reached::Onion)
            .await
            .unwrap();
        // Unfolded: long lines are folded at 75 octets.
        let lines = |feed: &str, name: &str| -> Vec<String> {
            feed.replace("\r\n ", "")
                .lines()
                .filter(|l| l.starts_with(name))
                .map(str::to_string)
                .collect()
        };
        assert_eq!(lines(&over_tor, "UID:"), lines(&public, "UID:"));
        assert!(lines(&public, "UID:")[0].ends_with("@127.0.0.1:3000"));
        let links = lines(&over_tor, "URL:");
        assert!(!links.is_empty());
        assert!(
            links
                .iter()
                .all(|l| l.starts_with(&format!("URL:{onion}/events/"))),
            "{links:?}"
        );
        assert!(lines(&public, "URL:")
            .iter()
            .all(|l| l.starts_with("URL:http://127.0.0.1:3000/events/")));
        let one = calendar::event_ics(&site, "tricky-iftar", Lang::En, NOW, Reached::Onion)
            .await
            .unwrap()
            .unwrap();
        assert!(one
            .replace("\r\n ", "")
            .contains(&format!("URL:{onion}/events/tricky-iftar")));
    }
}

#[tokio::test]
async fn an_unchanged_feed_is_served_from_memory_and_a_change_shows() {
    let (dbs, _dir) = databases("feed_cache").await;
    for db in &dbs {
        let site = site(db);
        import(&site, &sample("google.ics"), &options(), NOW)
            .await
            .unwrap();
        let filter = FeedFilter::default();
        let first = feed(&site, &filter, Lang::En).await;
        let second = feed(&site, &filter, Lang::En).await;
        assert!(Arc::ptr_eq(&first, &second));

        // Two changes within one second still change the validator.
        let (etag_before, _) = calendar::feed_etag(&site, &filter, Lang::En, Reached::Public)
            .await
            .unwrap();
        let text = String::from_utf8(sample("google.ics")).unwrap();
        let moved = text.replace("20270313T140000", "20270313T150000");
        import(&site, moved.as_bytes(), &options(), NOW)
            .await
            .unwrap();
        let (etag_after, _) = calendar::feed_etag(&site, &filter, Lang::En, Reached::Public)
            .await
            .unwrap();
        assert_ne!(etag_before, etag_after);
        let third = feed(&site, &filter, Lang::En).await;
        assert!(third.contains("DTSTART;TZID=America/Toronto:20270313T150000"));
        assert!(third.contains("SEQUENCE:1"));
    }
}

#[tokio::test]
async fn feeds_filter_by_the_language_events_are_written_in() {
    let (dbs, _dir) = databases("feed_language").await;
    for db in &dbs {
        let site = site(db);
        store(
            db,
            draft(
                "english-only",
                "2027-01-10T18:00",
                "2027-01-10T20:00",
                "America/Toronto",
                titled("English only"),
            ),
        )
        .await;
        let mut both = draft(
            "both",
            "2027-01-11T18:00",
            "2027-01-11T20:00",
            "America/Toronto",
            titled("Film night"),
        );
        both.texts.push((Lang::UgArab, titled("كىنو كېچىسى")));
        store(db, both).await;
        let filter = FeedFilter {
            written_in: Some(Lang::UgArab),
            ..Default::default()
        };
        let uyghur = feed(&site, &filter, Lang::UgArab).await;
        assert!(uyghur.contains("SUMMARY:كىنو كېچىسى"));
        assert!(!uyghur.contains("English only"));
        let everything = feed(&site, &FeedFilter::default(), Lang::UgArab).await;
        assert!(everything.contains("SUMMARY:English only"));
    }
}

fn answer(answer: &str) -> RsvpForm {
    RsvpForm {
        answer: answer.into(),
        guests: "0".into(),
        name: "Canary Name".into(),
        contact: "canary@example.org".into(),
        note: "canary note".into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn the_personal_feed_shows_the_devices_answers_and_can_be_revoked() {
    let (dbs, _dir) = databases("personal_feed").await;
    for db in &dbs {
        let site = site(db);
        for (slug, title) in [
            ("going-to", "Going to this"),
            ("maybe-to", "Maybe this"),
            ("not-to", "Not this"),
        ] {
            store(
                db,
                draft(
                    slug,
                    "2099-01-10T18:00",
                    "2099-01-10T20:00",
                    "America/Toronto",
                    titled(title),
                ),
            )
            .await;
        }
        let mine = app::secrets::new_token();
        let theirs = app::secrets::new_token();
        use app::services::rsvp::submit;
        submit(&site, "going-to", &answer("going"), &mine, NOW)
            .await
            .unwrap();
        submit(&site, "maybe-to", &answer("maybe"), &mine, NOW)
            .await
            .unwrap();
        submit(&site, "not-to", &answer("not_going"), &mine, NOW)
            .await
            .unwrap();
        submit(&site, "not-to", &answer("going"), &theirs, NOW)
            .await
            .unwrap();

        let path = calendar::my_feed_path(&site, &mine, Lang::En, NOW)
            .await
            .unwrap();
        assert_eq!(
            path,
            calendar::my_feed_path(&site, &mine, Lang::En, NOW)
                .await
                .unwrap()
        );
        let token = path.split('/').nth(3).unwrap().to_string();
        let ics = calendar::my_feed_ics(&site, &token, Lang::En, Reached::Public)
            .await
            .unwrap()
            .unwrap();
        assert!(ics.contains("SUMMARY:Going to this"));
        assert!(ics.contains("SUMMARY:Maybe this"));
        assert!(!ics.contains("Not this"));
        assert!(ics.contains("DESCRIPTION:Your answer: Going"));
        assert!(ics.contains("STATUS:TENTATIVE"), "a maybe is tentative");
        assert!(!ics.contains("anary"), "no personal data in a feed");

        // Revoked: the old address shows nothing, a new one works.
        calendar::renew_my_feed(&site, &mine, NOW).await.unwrap();
        assert_eq!(
            calendar::my_feed_ics(&site, &token, Lang::En, Reached::Public)
                .await
                .unwrap(),
            None
        );
        let renewed = calendar::my_feed_path(&site, &mine, Lang::En, NOW)
            .await
            .unwrap();
        assert_ne!(renewed, path);
        let token = renewed.split('/').nth(3).unwrap();
        assert!(
            calendar::my_feed_ics(&site, token, Lang::En, Reached::Public)
                .await
                .unwrap()
                .is_some()
        );
        assert_eq!(
            calendar::my_feed_ics(&site, "not-a-token", Lang::En, Reached::Public)
                .await
                .unwrap(),
            None
        );
    }
}

#[tokio::test]
async fn the_feed_marker_moves_with_what_feeds_show_and_not_with_seats() {
    let (dbs, _dir) = databases("feed_marker").await;
    for db in &dbs {
        let label = format!("{:?}", db.backend);
        let site = site(db);
        let empty = events::change_marker(db).await.unwrap();
        let id = store(
            db,
            draft(
                "marker-test",
                "2099-02-01T18:00",
                "2099-02-01T20:00",
                "America/Toronto",
                titled("Marker test"),
            ),
        )
        .await;
        let stored = events::change_marker(db).await.unwrap();
        // The revision alone must move: the latest change time need not.
        assert_eq!(stored.0, empty.0 + 1, "{label}");

        // Answers move seat counts, which no public feed shows.
        app::services::rsvp::submit(
            &site,
            "marker-test",
            &answer("going"),
            &app::secrets::new_token(),
            NOW,
        )
        .await
        .unwrap();
        assert_eq!(events::change_marker(db).await.unwrap(), stored, "{label}");

        events::set_status(
            &mut db.pool.acquire().await.unwrap(),
            id,
            EventStatus::Cancelled,
            NOW,
        )
        .await
        .unwrap();
        let cancelled = events::change_marker(db).await.unwrap();
        assert_eq!(cancelled.0, stored.0 + 1, "{label}");

        sqlx::query("DELETE FROM rsvps WHERE event_id = $1")
            .bind(id)
            .execute(&db.pool)
            .await
            .unwrap();
        sqlx::query("DELETE FROM events WHERE id = $1")
            .bind(id)
            .execute(&db.pool)
            .await
            .unwrap();
        let deleted = events::change_marker(db).await.unwrap();
        assert_eq!(deleted.0, cancelled.0 + 1, "{label}");
    }
}
