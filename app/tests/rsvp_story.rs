//! RSVPs on every backend: capacity, waitlist, promotion, closing, and a
//! burst of concurrent answers.
#![cfg(feature = "ssr")]

mod common;

use app::db::rsvps;
use app::db::Database;
use app::domain::{EventDraft, EventKind, EventStatus, EventText};
use app::i18n::Lang;
use app::rsvp::{PublicCounts, RsvpForm, RsvpState};
use app::services::rsvp::{self as service, RsvpError};
use common::{databases, site};
use std::sync::Arc;

const NOW: i64 = 1_800_000_000;

/// Stores an event far in the future with the given capacity; returns its id.
async fn event(db: &Database, slug: &str, capacity: Option<i64>) -> i64 {
    let draft = EventDraft {
        slug: slug.into(),
        kind: EventKind::Iftar,
        status: EventStatus::Scheduled,
        start_local: "2099-03-01T18:00".into(),
        end_local: "2099-03-01T21:00".into(),
        time_zone: "America/Toronto".into(),
        all_day: false,
        sensitive: false,
        public_title: String::new(),
        venue_name: "Hall".into(),
        venue_address: String::new(),
        city: "Ottawa".into(),
        online_url: String::new(),
        capacity,
        original_lang: Lang::En,
        texts: vec![(
            Lang::En,
            EventText {
                title: slug.into(),
                ..Default::default()
            },
        )],
    };
    app::db::events::insert(db, &draft.validate().unwrap(), None, NOW)
        .await
        .unwrap()
}

fn going(name: &str, guests: i64) -> RsvpForm {
    RsvpForm {
        answer: "going".into(),
        guests: guests.to_string(),
        name: name.into(),
        ..Default::default()
    }
}

async fn counts(db: &Database, id: i64) -> (i64, i64) {
    let PublicCounts { going, waitlisted } = rsvps::counts(db, id).await.unwrap();
    (going, waitlisted)
}

#[tokio::test]
async fn capacity_waitlist_and_promotion_on_every_backend() {
    let (dbs, _dir) = databases("rsvp").await;
    for db in &dbs {
        let site = site(db);
        let id = event(db, "iftar", Some(3)).await;

        let aygul = service::submit(&site, "iftar", &going("Aygül", 1), "device-a", NOW)
            .await
            .unwrap();
        assert_eq!(aygul.state, RsvpState::Confirmed);
        // Two seats needed, one left: waitlisted.
        let bahar = service::submit(&site, "iftar", &going("Bahar", 1), "device-b", NOW + 1)
            .await
            .unwrap();
        assert_eq!(bahar.state, RsvpState::Waitlisted);
        // One seat needed, one left: a smaller party fits.
        let chimen = service::submit(&site, "iftar", &going("Chimen", 0), "device-c", NOW + 2)
            .await
            .unwrap();
        assert_eq!(chimen.state, RsvpState::Confirmed);
        assert_eq!(counts(db, id).await, (3, 1));
        // "Maybe" takes no seat and never waits.
        let maybe = RsvpForm {
            answer: "maybe".into(),
            name: "Dilnur".into(),
            ..Default::default()
        };
        let dilnur = service::submit(&site, "iftar", &maybe, "device-d", NOW + 3)
            .await
            .unwrap();
        assert_eq!(dilnur.state, RsvpState::Confirmed);
        assert_eq!(counts(db, id).await, (3, 1));

        // Aygül cancels: her two seats go to Bahar, first in line.
        let cancelled = service::change(&site, &aygul.token, None, NOW + 4)
            .await
            .unwrap();
        assert_eq!(cancelled, RsvpState::Cancelled);
        assert_eq!(
            service::find(&site, &bahar.token).await.unwrap().state,
            RsvpState::Confirmed
        );
        assert_eq!(counts(db, id).await, (3, 0));

        // Growing a party beyond what is free sends it to the waitlist;
        // shrinking another party promotes it again, in the same transaction.
        assert_eq!(
            service::change(&site, &chimen.token, Some(&going("Chimen", 2)), NOW + 5)
                .await
                .unwrap(),
            RsvpState::Waitlisted
        );
        assert_eq!(counts(db, id).await, (2, 1));
        assert_eq!(
            service::change(&site, &bahar.token, Some(&going("Bahar", 0)), NOW + 6)
                .await
                .unwrap(),
            RsvpState::Confirmed
        );
        assert_eq!(
            service::find(&site, &chimen.token).await.unwrap().state,
            RsvpState::Waitlisted
        );
        assert_eq!(
            service::change(&site, &bahar.token, None, NOW + 7)
                .await
                .unwrap(),
            RsvpState::Cancelled
        );
        assert_eq!(
            service::find(&site, &chimen.token).await.unwrap().state,
            RsvpState::Confirmed
        );
        assert_eq!(counts(db, id).await, (3, 0));

        // Private links: only the exact token finds its RSVP.
        assert!(matches!(
            service::find(&site, "not-a-token").await,
            Err(RsvpError::NotFound)
        ));
        let mut forged = chimen.token.clone();
        forged.replace_range(0..1, if forged.starts_with('A') { "B" } else { "A" });
        assert!(matches!(
            service::find(&site, &forged).await,
            Err(RsvpError::NotFound)
        ));
        let row = service::find(&site, &chimen.token).await.unwrap();
        assert_eq!((row.display_name.as_str(), row.guests), ("Chimen", 2));
        assert!(!row.token_hash.contains(&chimen.token));

        // Invalid answers are refused with their fields, nothing stored.
        let bad = RsvpForm {
            answer: "going".into(),
            guests: "99".into(),
            ..Default::default()
        };
        match service::submit(&site, "iftar", &bad, "device-e", NOW).await {
            Err(RsvpError::Invalid(errors)) => assert_eq!(errors.len(), 2),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            service::submit(&site, "no-such", &going("E", 0), "d", NOW).await,
            Err(RsvpError::NotFound)
        ));
    }
}

#[tokio::test]
async fn closed_rsvps_deadlines_and_approval_mode() {
    let (dbs, _dir) = databases("rules").await;
    for db in &dbs {
        let site = site(db);
        let id = event(db, "meeting", Some(10)).await;
        rsvps::set_rules(db, id, true, Some(NOW + 100), true, false)
            .await
            .unwrap();
        let pending = service::submit(&site, "meeting", &going("Erkin", 0), "d1", NOW)
            .await
            .unwrap();
        assert_eq!(pending.state, RsvpState::Pending);
        assert_eq!(counts(db, id).await, (0, 0));
        assert!(matches!(
            service::submit(&site, "meeting", &going("Late", 0), "d2", NOW + 100).await,
            Err(RsvpError::Closed)
        ));
        rsvps::set_rules(db, id, false, None, false, false)
            .await
            .unwrap();
        assert!(matches!(
            service::submit(&site, "meeting", &going("Closed", 0), "d3", NOW).await,
            Err(RsvpError::Closed)
        ));
        assert!(matches!(
            service::change(&site, &pending.token, Some(&going("Erkin", 1)), NOW).await,
            Err(RsvpError::Closed)
        ));
        // Cancelling is always possible.
        assert_eq!(
            service::change(&site, &pending.token, None, NOW)
                .await
                .unwrap(),
            RsvpState::Cancelled
        );
    }
}

/// 1,000 members answer "going" at once to an event of capacity 100.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_burst_of_answers_fills_exactly_the_capacity() {
    let (dbs, _dir) = databases("burst").await;
    for db in &dbs {
        let site = Arc::new(site(db));
        let id = event(db, "rally", Some(100)).await;
        let tasks: Vec<_> = (0..1000)
            .map(|i| {
                let site = site.clone();
                tokio::spawn(async move {
                    service::submit(
                        &site,
                        "rally",
                        &going(&format!("member {i}"), 0),
                        &format!("device {i}"),
                        NOW,
                    )
                    .await
                })
            })
            .collect();
        let mut confirmed = 0;
        let mut waitlisted = 0;
        for task in tasks {
            match task.await.unwrap() {
                Ok(s) if s.state == RsvpState::Confirmed => confirmed += 1,
                Ok(s) if s.state == RsvpState::Waitlisted => waitlisted += 1,
                other => panic!("{:?}: {other:?}", db.backend),
            }
        }
        assert_eq!((confirmed, waitlisted), (100, 900), "{:?}", db.backend);
        assert_eq!(counts(db, id).await, (100, 900), "{:?}", db.backend);
        let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM rsvps WHERE event_id = $1")
            .bind(id)
            .fetch_one(&db.pool)
            .await
            .unwrap();
        assert_eq!(stored, 1000, "{:?}", db.backend);
    }
}
