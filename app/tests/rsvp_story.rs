//! RSVPs on every backend: capacity, waitlist, promotion, closing, and a
//! burst of concurrent answers.
#![cfg(feature = "ssr")]

mod common;

use app::db::rsvps;
use app::db::Database;
use app::domain::{EventDraft, EventKind};
use app::i18n::Lang;
use app::rsvp::{PublicCounts, RsvpForm, RsvpState};
use app::services::rsvp::{self as service, RsvpError};
use common::{databases, site};
use std::sync::Arc;

const NOW: i64 = 1_800_000_000;

/// Stores an event far in the future with the given capacity; returns its id.
async fn event(db: &Database, slug: &str, capacity: Option<i64>) -> i64 {
    let draft = EventDraft {
        venue_name: "Hall".into(),
        city: "Ottawa".into(),
        capacity,
        ..EventDraft::titled(
            slug,
            EventKind::Iftar,
            (Lang::En, slug),
            "2099-03-01T18:00",
            "2099-03-01T21:00",
            "America/Toronto",
        )
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
        assert_eq!(row.guests, 2);
        assert!(!row.token_hash.contains(&chimen.token));
        // The name is stored sealed; the private link opens it.
        assert!(!row.personal_sealed.contains("Chimen") && !row.personal_sealed.is_empty());
        let mine = service::my_rsvp(
            &site,
            &chimen.token,
            Lang::En,
            NOW,
            "https://events.example.org",
        )
        .await
        .unwrap();
        assert_eq!(mine.form.name, "Chimen");

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
        rsvps::set_rules(
            db,
            id,
            &rsvps::RulesInput {
                open: true,
                deadline: Some(NOW + 100),
                approval_required: true,
                ..Default::default()
            },
        )
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
        rsvps::set_rules(db, id, &rsvps::RulesInput::default())
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

/// Answers to three events arrive at once, interleaved, parties of one to
/// three, some "maybe": on SQLite they are stored several at a time (see
/// `db::rsvps::answer_line`), and each must land as if it had come alone.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn answers_to_several_events_at_once_land_as_if_each_came_alone() {
    let (dbs, _dir) = databases("interleaved").await;
    for db in &dbs {
        let site = Arc::new(site(db));
        let capacities = [("hall", 50), ("room", 30)];
        for (slug, capacity) in capacities {
            event(db, slug, Some(capacity)).await;
        }
        let closed = event(db, "closed", Some(10)).await;
        rsvps::set_rules(db, closed, &rsvps::RulesInput::default())
            .await
            .unwrap();
        let slugs = ["hall", "room", "closed"];
        let tasks: Vec<_> = (0..600)
            .map(|i| {
                let site = site.clone();
                let mut form = going(&format!("member {i}"), (i % 3) as i64);
                if i % 7 == 0 {
                    form.answer = "maybe".into();
                }
                tokio::spawn(async move {
                    // In runs of fifty, so that answers to one event wait
                    // in line together as well as beside other events'.
                    let slug = slugs[(i / 50) % 3];
                    let submitted =
                        service::submit(&site, slug, &form, &format!("device {i}"), NOW).await;
                    (slug, submitted)
                })
            })
            .collect();
        let mut sent = std::collections::HashMap::new();
        for task in tasks {
            let (slug, submitted) = task.await.unwrap();
            match submitted {
                Err(RsvpError::Closed) => assert_eq!(slug, "closed", "{:?}", db.backend),
                Ok(done) => {
                    assert_ne!(slug, "closed", "{:?}", db.backend);
                    // Its private link opens it, as it was placed.
                    let row = service::find(&site, &done.token).await.unwrap();
                    assert_eq!(row.state, done.state, "{:?}", db.backend);
                    *sent.entry(slug).or_insert(0) += 1;
                }
                other => panic!("{:?}: {other:?}", db.backend),
            }
        }
        for (slug, capacity) in capacities {
            let id = app::db::events::by_slug(db, slug, Lang::En)
                .await
                .unwrap()
                .unwrap()
                .id;
            let answers: Vec<(String, String, i64)> =
                sqlx::query_as("SELECT answer, state, guests FROM rsvps WHERE event_id = $1")
                    .bind(id)
                    .fetch_all(&db.pool)
                    .await
                    .unwrap();
            assert_eq!(answers.len(), sent[slug], "{slug} {:?}", db.backend);
            let seats: i64 = answers
                .iter()
                .filter(|(answer, state, _)| answer == "going" && state == "confirmed")
                .map(|(_, _, guests)| 1 + guests)
                .sum();
            let taken: i64 = sqlx::query_scalar("SELECT seats_taken FROM events WHERE id = $1")
                .bind(id)
                .fetch_one(&db.pool)
                .await
                .unwrap();
            assert_eq!(seats, taken, "{slug} {:?}", db.backend);
            assert!(taken <= capacity, "{slug} {:?}", db.backend);
            // Seats only filled: a party waiting would not have fitted when
            // it came either.
            for (_, state, guests) in &answers {
                if state == "waitlisted" {
                    assert!(1 + guests > capacity - taken, "{slug} {:?}", db.backend);
                }
            }
        }
        let none: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM rsvps WHERE event_id = $1")
            .bind(closed)
            .fetch_one(&db.pool)
            .await
            .unwrap();
        assert_eq!(none, 0, "{:?}", db.backend);
    }
}

/// An admin of the site's database, as the organiser services see one.
async fn admin(site: &app::services::Site) -> app::accounts::AccountInfo {
    use app::db::accounts;
    if let Some(root) = accounts::by_username(&site.db, "root").await.unwrap() {
        return root.info();
    }
    let role = app::accounts::Role::Admin;
    let id = accounts::create(&site.db, "root", "Root", "(no password)", role, NOW)
        .await
        .unwrap();
    accounts::by_id(&site.db, id).await.unwrap().unwrap().info()
}

/// Saves the event `slug` through the editor's service with `changes`
/// made to its form.
async fn edit(
    site: &app::services::Site,
    slug: &str,
    changes: &[(&str, &str)],
    now: i64,
) -> Result<String, app::services::organise::OrganiseError> {
    use app::services::organise;
    let admin = admin(site).await;
    let mut values = organise::event_form(site, &admin, Some(slug), Lang::En)
        .await
        .unwrap()
        .values;
    values.retain(|(k, _)| !changes.iter().any(|(name, _)| name == k));
    values.extend(changes.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    values.retain(|(_, v)| !v.is_empty());
    organise::save_event(site, &admin, Some(slug), &values, now).await
}

async fn state_of(site: &app::services::Site, token: &str) -> RsvpState {
    service::find(site, token).await.unwrap().state
}

#[tokio::test]
async fn an_organiser_s_capacity_and_rules_go_through_the_answers_lock() {
    use app::domain::Problem;
    use app::services::organise::OrganiseError;
    let (dbs, _dir) = databases("capacity").await;
    for db in &dbs {
        let site = site(db);
        event(db, "hall", Some(2)).await;
        let a = service::submit(&site, "hall", &going("A", 0), "da", NOW)
            .await
            .unwrap();
        let b = service::submit(&site, "hall", &going("B", 0), "db", NOW + 1)
            .await
            .unwrap();
        let c = service::submit(&site, "hall", &going("C", 0), "dc", NOW + 2)
            .await
            .unwrap();
        let d = service::submit(&site, "hall", &going("D", 0), "dd", NOW + 3)
            .await
            .unwrap();
        assert_eq!(
            [a.state, b.state, c.state, d.state],
            [
                RsvpState::Confirmed,
                RsvpState::Confirmed,
                RsvpState::Waitlisted,
                RsvpState::Waitlisted
            ]
        );
        // A larger capacity confirms the waitlist at once, first come first.
        edit(&site, "hall", &[("capacity", "3")], NOW + 4)
            .await
            .unwrap();
        assert_eq!(state_of(&site, &c.token).await, RsvpState::Confirmed);
        assert_eq!(state_of(&site, &d.token).await, RsvpState::Waitlisted);
        let id = app::db::events::by_slug(db, "hall", Lang::En)
            .await
            .unwrap()
            .unwrap()
            .id;
        assert_eq!(counts(db, id).await, (3, 1));
        // Below the seats taken: refused, nothing changed.
        match edit(&site, "hall", &[("capacity", "2")], NOW + 5).await {
            Err(OrganiseError::Invalid(errors)) => {
                assert_eq!(errors[0].problem, Problem::BelowAttendance { taken: 3 })
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(counts(db, id).await, (3, 1));

        // A confirmed member who edits only the note or the name keeps the
        // seat, even with others waiting; D keeps its place in line.
        let mut note = going("A", 0);
        note.note = "I will bring dates".into();
        assert_eq!(
            service::change(&site, &a.token, Some(&note), NOW + 6)
                .await
                .unwrap(),
            RsvpState::Confirmed
        );
        assert_eq!(
            service::change(&site, &a.token, Some(&going("A. K.", 0)), NOW + 7)
                .await
                .unwrap(),
            RsvpState::Confirmed
        );
        assert_eq!(counts(db, id).await, (3, 1));
        assert_eq!(state_of(&site, &d.token).await, RsvpState::Waitlisted);
    }
}

#[tokio::test]
async fn approved_members_keep_their_place_when_they_edit_their_answer() {
    let (dbs, _dir) = databases("vetted").await;
    for db in &dbs {
        let site = site(db);
        let id = event(db, "vetted", Some(10)).await;
        edit(&site, "vetted", &[("approval_required", "on")], NOW)
            .await
            .unwrap();
        let answer = service::submit(&site, "vetted", &going("Ezaa", 0), "d1", NOW)
            .await
            .unwrap();
        assert_eq!(answer.state, RsvpState::Pending);
        let rsvp = service::find(&site, &answer.token).await.unwrap();
        app::services::organise::decide(
            &site,
            &admin(&site).await,
            "vetted",
            rsvp.id,
            true,
            NOW + 1,
        )
        .await
        .unwrap();
        assert_eq!(counts(db, id).await, (1, 0));
        let mut note = going("Ezaa", 0);
        note.note = "Arriving late".into();
        for (form, when) in [(note, NOW + 2), (going("Ezaa T.", 0), NOW + 3)] {
            assert_eq!(
                service::change(&site, &answer.token, Some(&form), when)
                    .await
                    .unwrap(),
                RsvpState::Confirmed
            );
        }
        assert_eq!(counts(db, id).await, (1, 0));
        // Fewer guests keep the seat; more guests, whom no organiser has
        // seen, wait for approval again.
        assert_eq!(
            service::change(&site, &answer.token, Some(&going("Ezaa", 2)), NOW + 4)
                .await
                .unwrap(),
            RsvpState::Pending
        );
        assert_eq!(counts(db, id).await, (0, 0));

        // Approved but waitlisted (the hall is full): more guests, whom no
        // organiser has seen, wait for approval too.
        edit(&site, "vetted", &[("capacity", "1")], NOW + 5)
            .await
            .unwrap();
        let first = service::submit(&site, "vetted", &going("Bir", 0), "d2", NOW + 5)
            .await
            .unwrap();
        let second = service::submit(&site, "vetted", &going("Ikki", 0), "d3", NOW + 5)
            .await
            .unwrap();
        for answer in [&first, &second] {
            let rsvp = service::find(&site, &answer.token).await.unwrap();
            app::services::organise::decide(
                &site,
                &admin(&site).await,
                "vetted",
                rsvp.id,
                true,
                NOW + 6,
            )
            .await
            .unwrap();
        }
        assert_eq!(state_of(&site, &second.token).await, RsvpState::Waitlisted);
        assert_eq!(
            service::change(&site, &second.token, Some(&going("Ikki", 3)), NOW + 7)
                .await
                .unwrap(),
            RsvpState::Pending
        );
        service::change(&site, &first.token, None, NOW + 8)
            .await
            .unwrap();
        assert_eq!(
            state_of(&site, &second.token).await,
            RsvpState::Pending,
            "not seated unvetted"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn lowering_the_capacity_while_answers_arrive_never_overbooks() {
    let (dbs, _dir) = databases("lowering").await;
    for db in &dbs {
        let site = Arc::new(site(db));
        let id = event(db, "rush", Some(1000)).await;
        admin(&site).await;
        // Sixteen members' phones answering one after another (960 seats
        // asked for), while an organiser lowers the capacity step by step.
        let mut phones = Vec::new();
        for phone in 0..16 {
            let site = site.clone();
            phones.push(tokio::spawn(async move {
                for n in 0..40 {
                    let device = format!("device {phone}-{n}");
                    let form = going(&format!("m{phone}-{n}"), n % 3);
                    service::submit(&site, "rush", &form, &device, NOW)
                        .await
                        .unwrap();
                }
            }));
        }
        let organiser = {
            let site = site.clone();
            tokio::spawn(async move {
                let mut landed = 0;
                for capacity in ["300", "250", "200", "150", "100"] {
                    // Refused when answers already took more: fine.
                    if edit(&site, "rush", &[("capacity", capacity)], NOW)
                        .await
                        .is_ok()
                    {
                        landed += 1;
                    }
                }
                landed
            })
        };
        for phone in phones {
            phone.await.unwrap();
        }
        let landed = organiser.await.unwrap();
        assert!(landed > 0, "a lowering landed on {:?}", db.backend);
        let (taken, capacity): (i64, i64) =
            sqlx::query_as("SELECT seats_taken, capacity FROM events WHERE id = $1")
                .bind(id)
                .fetch_one(&db.pool)
                .await
                .unwrap();
        let held: i64 = sqlx::query_scalar(
            "SELECT CAST(COALESCE(SUM(1 + guests), 0) AS BIGINT) FROM rsvps \
             WHERE event_id = $1 AND answer = 'going' AND state = 'confirmed'",
        )
        .bind(id)
        .fetch_one(&db.pool)
        .await
        .unwrap();
        assert!(
            taken <= capacity,
            "{taken} > {capacity} on {:?}",
            db.backend
        );
        assert_eq!(taken, held, "{:?}", db.backend);
    }
}

#[tokio::test]
async fn door_codes_are_unique_per_event() {
    let (dbs, _dir) = databases("codes").await;
    for db in &dbs {
        let site = site(db);
        let id = event(db, "codes", None).await;
        for i in 0..50 {
            service::submit(&site, "codes", &going("M", 0), &format!("d{i}"), NOW)
                .await
                .unwrap();
        }
        let codes: Vec<String> =
            sqlx::query_scalar("SELECT short_code FROM rsvps WHERE event_id = $1")
                .bind(id)
                .fetch_all(&db.pool)
                .await
                .unwrap();
        let distinct: std::collections::HashSet<&String> = codes.iter().collect();
        assert_eq!(distinct.len(), 50);
        // The database itself refuses a second answer with a code in use.
        let copied = sqlx::query(
            "INSERT INTO rsvps (event_id, token_hash, member_hash, answer, state, guests, \
             display_name, short_code, queued_at, created_at, updated_at) \
             VALUES ($1, 'x', 'y', 'maybe', 'confirmed', 0, 'Copy', $2, 0, 0, 0)",
        )
        .bind(id)
        .bind(&codes[0])
        .execute(&db.pool)
        .await;
        assert!(copied.is_err(), "{:?}", db.backend);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sign_in_attempts_are_counted_before_they_are_judged() {
    use app::services::accounts::{self, LoginError};
    let (dbs, _dir) = databases("signins").await;
    for db in &dbs {
        // Two app servers on one database, each with a key of its own.
        let servers = [Arc::new(site(db)), Arc::new(site(db))];
        let form = app::accounts::NewAccountForm {
            username: "aygul".into(),
            display_name: String::new(),
            password: "aygul has a long password".into(),
            role: "organiser".into(),
        };
        accounts::create_account(&servers[0], None, &Default::default(), &form, NOW)
            .await
            .unwrap();
        let attempts: Vec<_> = (0..40)
            .map(|i| {
                let site = servers[i % 2].clone();
                tokio::spawn(async move {
                    let client = format!("198.51.100.{i}");
                    accounts::login(&site, "aygul", "a wrong password", Some(&client), NOW).await
                })
            })
            .collect();
        let mut judged = 0;
        for attempt in attempts {
            match attempt.await.unwrap() {
                Err(LoginError::TooMany) => {}
                Err(LoginError::Refused) => judged += 1,
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(judged, 5, "{:?}", db.backend);
    }
}

#[tokio::test]
async fn counts_stop_at_the_limit_and_take_backs_stay_in_their_window() {
    use app::db::rate_counts::{refund_hit, take_hit};
    let (dbs, _dir) = databases("hits").await;
    for db in &dbs {
        for _ in 0..5 {
            assert_eq!(take_hit(db, "b", NOW, 900, 5).await.unwrap(), Some(NOW));
        }
        assert_eq!(take_hit(db, "b", NOW + 1, 900, 5).await.unwrap(), None);
        let stored: i64 = sqlx::query_scalar("SELECT hits FROM rate_counts WHERE bucket = 'b'")
            .fetch_one(&db.pool)
            .await
            .unwrap();
        assert_eq!(stored, 5, "refused attempts are not counted");
        // A take-back that arrives after its window has closed leaves the
        // new window's count alone.
        let later = NOW + 901;
        assert_eq!(take_hit(db, "b", later, 900, 5).await.unwrap(), Some(later));
        refund_hit(db, "b", NOW).await.unwrap();
        for _ in 0..4 {
            assert!(take_hit(db, "b", later, 900, 5).await.unwrap().is_some());
        }
        assert_eq!(take_hit(db, "b", later, 900, 5).await.unwrap(), None);
        refund_hit(db, "b", later).await.unwrap();
        assert!(take_hit(db, "b", later, 900, 5).await.unwrap().is_some());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hits_that_arrive_together_are_counted_as_if_each_came_alone() {
    use app::db::rate_counts::count_hit;
    let (dbs, _dir) = databases("together").await;
    for db in &dbs {
        let hits: Vec<_> = (0..300)
            .map(|i| {
                let db = db.clone();
                let bucket = ["a", "b", "c"][i % 3];
                tokio::spawn(async move { (bucket, count_hit(&db, bucket, NOW, 600).await) })
            })
            .collect();
        let mut told: std::collections::HashMap<&str, Vec<i64>> = Default::default();
        for hit in hits {
            let (bucket, counted) = hit.await.unwrap();
            told.entry(bucket).or_default().push(counted.unwrap());
        }
        for bucket in ["a", "b", "c"] {
            let mut numbers = told.remove(bucket).unwrap();
            numbers.sort();
            assert_eq!(numbers, (1..=100).collect::<Vec<_>>(), "{:?}", db.backend);
        }
        assert_eq!(count_hit(db, "a", NOW + 599, 600).await.unwrap(), 101);
        assert_eq!(
            count_hit(db, "a", NOW + 600, 600).await.unwrap(),
            1,
            "a new window"
        );
    }
}
