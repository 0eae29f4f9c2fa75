//! One story of storing and reading events, run on SQLite and, when the test
//! command has started one, on PostgreSQL.
#![cfg(feature = "ssr")]

mod common;

use app::db::events::{self, ListQuery, Period};
use app::db::{Backend, DbError};
use app::domain::{EventFilter, EventKind};
use app::i18n::Lang;
use app::services;
use chrono::NaiveDate;
use common::{databases, site};

fn toronto_noon(date: NaiveDate) -> i64 {
    app::time::resolve(
        date.and_hms_opt(12, 0, 0).unwrap(),
        chrono_tz::America::Toronto,
    )
    .unwrap()
    .timestamp()
}

#[tokio::test]
async fn events_story_on_every_backend() {
    let (dbs, _dir) = databases("story").await;
    let today = NaiveDate::from_ymd_opt(2027, 5, 10).unwrap();
    let now = toronto_noon(today);
    for db in &dbs {
        let label = format!("{:?}", db.backend);
        // Migrating again is harmless.
        db.migrate().await.unwrap();

        let drafts = app::demo::drafts(today);
        for draft in drafts.clone() {
            events::insert(db, &draft.validate().unwrap(), None, now)
                .await
                .unwrap();
        }
        assert_eq!(
            events::count(db).await.unwrap(),
            drafts.len() as i64,
            "{label}"
        );

        // A slug is unique, and the failure is reported by kind.
        let again = drafts[0].clone().validate().unwrap();
        assert!(
            matches!(
                events::insert(db, &again, None, now).await,
                Err(DbError::Conflict)
            ),
            "{label}"
        );
        assert_eq!(
            events::count(db).await.unwrap(),
            drafts.len() as i64,
            "{label}"
        );

        // Upcoming: soonest first, nothing that has ended.
        let all = ListQuery {
            limit: 500,
            ..Default::default()
        };
        let upcoming = events::list(db, Period::Upcoming, Lang::En, now, &all)
            .await
            .unwrap();
        assert!(
            upcoming
                .windows(2)
                .all(|w| w[0].starts_at <= w[1].starts_at),
            "{label}"
        );
        assert!(upcoming.iter().all(|e| e.ends_at > now), "{label}");
        assert_eq!(upcoming[0].slug, "seminar-digital-security", "{label}");
        let past = events::list(db, Period::Past, Lang::En, now, &all)
            .await
            .unwrap();
        assert!(
            past.windows(2).all(|w| w[0].starts_at >= w[1].starts_at),
            "{label}"
        );
        assert_eq!(upcoming.len() + past.len(), drafts.len(), "{label}");

        // Filters by kind and by city (accents included).
        let iftars = ListQuery {
            kind: Some(EventKind::Iftar),
            limit: 50,
            ..Default::default()
        };
        let found = events::list(db, Period::Upcoming, Lang::En, now, &iftars)
            .await
            .unwrap();
        assert_eq!(
            found.iter().map(|e| e.slug.as_str()).collect::<Vec<_>>(),
            ["iftar-parliament-hill"],
            "{label}"
        );
        let montreal = ListQuery {
            city: Some("Montréal"),
            limit: 50,
            ..Default::default()
        };
        let found = events::list(db, Period::Upcoming, Lang::En, now, &montreal)
            .await
            .unwrap();
        assert!(
            !found.is_empty() && found.iter().all(|e| e.city == "Montréal"),
            "{label}"
        );
        let cities = events::cities(db, Period::Upcoming, now).await.unwrap();
        assert!(
            cities.contains(&"Ottawa".to_string()) && cities.contains(&"Ankara".to_string()),
            "{label}"
        );

        // Text in the reader's language where translated, else the original.
        let fr = events::by_slug(db, "navruz-celebration", Lang::Fr)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (fr.text_lang, fr.text.title.as_str()),
            (Lang::UgArab, "نورۇز بايرىمى"),
            "{label}"
        );
        let en = events::by_slug(db, "navruz-celebration", Lang::En)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (en.text_lang, en.text.title.as_str()),
            (Lang::En, "Navruz celebration"),
            "{label}"
        );
        assert!(
            events::by_slug(db, "no-such-event", Lang::En)
                .await
                .unwrap()
                .is_none(),
            "{label}"
        );

        // Wall-clock time and zone survive exactly; the instant matches them.
        let ankara = events::by_slug(db, "congress-ankara", Lang::En)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(ankara.time_zone, "Europe/Istanbul", "{label}");
        assert_eq!(ankara.start_local, "2027-06-24T10:00", "{label}");
        assert_eq!(ankara.starts_at, 1_813_820_400, "{label}");
        assert_eq!(ankara.ends_at - ankara.starts_at, 32 * 3600, "{label}");

        // The services group by local day and label foreign zones.
        let site = site(db);
        let listing = services::listing(
            &site,
            Period::Upcoming,
            &EventFilter::default(),
            Lang::Fr,
            now,
        )
        .await
        .unwrap();
        assert_eq!(listing.days[0].date_label, "jeudi 13 mai 2027", "{label}");
        let cards: Vec<_> = listing.days.iter().flat_map(|d| &d.events).collect();
        let washington = cards
            .iter()
            .find(|c| c.slug == "conference-transnational-repression")
            .unwrap();
        assert_eq!(
            washington.zone_label.as_deref(),
            Some("heure locale à New York, UTC−4"),
            "{label}"
        );
        let toronto = cards
            .iter()
            .find(|c| c.slug == "navruz-celebration")
            .unwrap();
        assert_eq!(toronto.zone_label, None, "{label}");
        assert_eq!(
            toronto.time_label, "18\u{a0}h\u{a0}00 – 23\u{a0}h\u{a0}00",
            "{label}"
        );
        let detail = services::detail(&site, "congress-ankara", Lang::UgLatn, now)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(detail.text.title, "Xelqara Uyghur qurultiyi", "{label}");
        assert!(!detail.is_past, "{label}");
    }
    assert!(dbs.iter().any(|d| d.backend == Backend::Sqlite));
}

#[tokio::test]
async fn demo_data_loads_only_into_an_empty_database() {
    let (dbs, _dir) = databases("demo").await;
    for db in &dbs {
        let now = toronto_noon(NaiveDate::from_ymd_opt(2027, 1, 1).unwrap());
        let site = common::site(db);
        let loaded = app::demo::load_if_empty(&site, now, chrono_tz::America::Toronto)
            .await
            .unwrap();
        assert!(loaded >= 12);
        assert_eq!(
            app::demo::load_if_empty(&site, now, chrono_tz::America::Toronto)
                .await
                .unwrap(),
            0
        );
        assert_eq!(events::count(db).await.unwrap(), loaded as i64);
        // A full event with a waitlist, and nearly full ones.
        for &(slug, going, waitlisted) in app::demo::DEMO_ATTENDANCE {
            let event = events::by_slug(db, slug, Lang::En).await.unwrap().unwrap();
            let counts = app::db::rsvps::counts(db, event.id).await.unwrap();
            assert_eq!(
                (counts.going, counts.waitlisted),
                (going, waitlisted),
                "{slug}"
            );
            assert!(going <= event.capacity.unwrap(), "{slug}");
        }
    }
}

#[tokio::test]
async fn a_database_a_newer_build_migrated_is_refused_naming_that_build() {
    let (dbs, _dir) = databases("schema").await;
    for db in &dbs {
        let schema = db.schema().await.unwrap();
        assert!(schema.is_current(), "{schema:?}");
        assert_eq!(schema.known, app::db::known_schema(Backend::Sqlite));
        assert_eq!(schema.known, app::db::known_schema(Backend::Postgres));
        assert_eq!(
            app::db::instance_values::stored_value(db, "schema_written_by")
                .await
                .unwrap()
                .as_deref(),
            Some(app::db::VERSION)
        );
        // Migrating again changes nothing.
        db.migrate().await.unwrap();
        // A newer build applied a migration this one lacks.
        sqlx::query(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
             VALUES ($1, 'from the future', TRUE, $2, 0)",
        )
        .bind(schema.known + 1)
        .bind(vec![0u8; 48])
        .execute(&db.pool)
        .await
        .unwrap();
        app::db::instance_values::store_value(db, "schema_written_by", "9.9.9")
            .await
            .unwrap();
        match db.migrate().await {
            Err(error @ DbError::SchemaTooNew { .. }) => {
                let said = error.to_string();
                assert!(said.contains("Yighin 9.9.9 or newer"), "{said}");
                assert!(
                    said.contains(&format!("version {}", schema.known + 1)),
                    "{said}"
                );
            }
            other => panic!("{:?}: {other:?}", db.backend),
        }
        assert!(!db.schema().await.unwrap().is_current());
    }
}
