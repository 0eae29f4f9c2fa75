//! A member can always tell from any page whether to go: an event's state
//! (cancelled, postponed, moved) and the member's own (a seat and its door
//! code, a place on the waitlist, a "maybe") lead every page that shows
//! them, on both databases, as a browser without JavaScript sees them.

mod common;

use app::accounts::Role;
use axum::http::{header, StatusCode};
use common::{apps, Answer, TestApp};

const SLUG: &str = "navruz-celebration";

fn location(answer: &Answer) -> String {
    answer.headers[header::LOCATION]
        .to_str()
        .unwrap()
        .to_string()
}

async fn set_status(app: &TestApp, root: &str, status: &str) {
    let body = format!("status={status}");
    let answer = app
        .post_with(
            &format!("/organise/events/{SLUG}/status"),
            &body,
            &[
                (header::COOKIE, root),
                (header::ORIGIN, "http://127.0.0.1:3000"),
            ],
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_says_when_an_event_is_cancelled_postponed_or_moved() {
    for app in apps().await {
        every_page_says_when_an_event_is_cancelled_postponed_or_moved_on(app).await;
    }
}

async fn every_page_says_when_an_event_is_cancelled_postponed_or_moved_on(app: TestApp) {
    let going = app
        .post_form(
            &format!("/events/{SLUG}/rsvp"),
            "answer=going&guests=2&name=Nur",
        )
        .await;
    let private = location(&going);
    let device = going.cookie();
    let page = app.get(&private).await.body;
    assert!(page.contains("You are going with 2 guests"), "{page}");
    assert!(page.contains("Your places: you and 2 guests"), "{page}");
    assert!(page.contains("class=\"door-code\""));
    assert!(page.contains("Add to calendar"));
    assert!(page.contains("2 Carlton St"));

    app.account("root", Role::Admin).await;
    let root = app.sign_in("root").await;
    // Cancelling takes a step; the step itself changes nothing.
    let step = app
        .get_with(
            &format!("/organise/events/{SLUG}/status"),
            header::COOKIE,
            &root,
        )
        .await;
    assert_eq!(step.status, StatusCode::OK);
    assert!(step.body.contains("Cancel this event?"), "{}", step.body);
    assert!(step.body.contains("name=\"status\" value=\"cancelled\""));
    let public = app.get(&format!("/events/{SLUG}")).await.body;
    assert!(!public.contains("This event is cancelled"));
    assert!(public.contains("class=\"rsvp\""));

    set_status(&app, &root, "cancelled").await;
    let public = app.get(&format!("/events/{SLUG}")).await.body;
    let page = app.get(&private).await.body;
    let mine = app.get_with("/my", header::COOKIE, &device).await.body;
    for (what, body) in [("event", &public), ("private", &page), ("my", &mine)] {
        assert!(
            body.contains("This event is cancelled. It will not take place."),
            "{what}: {body}"
        );
        assert!(!body.contains("Add to calendar"), "{what}");
        assert!(!body.contains("class=\"door-code\""), "{what}");
        assert!(!body.contains("name=\"answer\""), "{what}: no form");
    }
    assert!(!page.contains("You are going"), "{page}");
    assert!(page.contains("Nothing to go to."), "{page}");
    assert!(!page.contains("2 Carlton St"), "no address to go to");
    let list = app.get("/").await.body;
    assert!(list.contains("status phase-cancelled"));

    // Postponed: the date no longer holds.
    set_status(&app, &root, "scheduled").await;
    set_status(&app, &root, "postponed").await;
    let public = app.get(&format!("/events/{SLUG}")).await.body;
    let page = app.get(&private).await.body;
    for body in [&public, &page] {
        assert!(body.contains("the date below no longer holds"), "{body}");
        assert!(body.contains("<s><time"), "the date struck through: {body}");
        assert!(!body.contains("Add to calendar"));
        assert!(!body.contains("class=\"door-code\""));
        assert!(!body.contains("name=\"answer\""));
    }
    // Calendars say it in the title and the first line, not by a status
    // many of them barely show.
    let ics = app.get(&format!("/events/{SLUG}/calendar.ics")).await.body;
    assert!(
        ics.contains("SUMMARY:Postponed: Navruz celebration"),
        "{ics}"
    );
    assert!(ics.contains("DESCRIPTION:Postponed: this date no longer holds"));
    let mine = app.get_with("/my", header::COOKIE, &device).await.body;
    let feed = app.get(&common::feed_path(&mine)).await.body;
    assert!(
        feed.contains("SUMMARY:Postponed: Navruz celebration"),
        "{feed}"
    );
    // The answer waits for the new date; the member may still withdraw.
    assert!(page.contains("Your answer is kept for now"), "{page}");
    assert!(page.contains(&format!("href=\"{private}/cancel\"")));

    // Scheduled again a day later: moved, and said so everywhere.
    set_status(&app, &root, "scheduled").await;
    let before = app::db::events::by_slug(&app.site.db, SLUG, app::i18n::Lang::En)
        .await
        .unwrap()
        .unwrap();
    let first_day = app::time::format_date(
        app::i18n::Lang::En,
        app::time::parse_local(&before.start_local).unwrap().date(),
    );
    let saved = app
        .edit_event(&root, SLUG, |values| {
            for (key, value) in values.iter_mut() {
                if key == "start" || key == "end" {
                    let time = app::time::parse_local(value).unwrap() + chrono::Days::new(1);
                    *value = app::time::format_local(time);
                }
            }
        })
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let public = app.get(&format!("/events/{SLUG}")).await.body;
    let page = app.get(&private).await.body;
    for body in [&public, &page] {
        assert!(
            body.contains("This event has moved to a new date."),
            "{body}"
        );
        assert!(body.contains("It was to start:"), "{body}");
        assert!(body.contains(&format!("<s>{first_day}")), "{body}");
        assert!(body.contains("Add to calendar"));
    }
    assert!(page.contains("class=\"door-code\""), "a seat again");
    assert!(app.get("/").await.body.contains("New date"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_door_code_only_for_a_seat_and_the_waitlist_says_where_one_stands() {
    for app in apps().await {
        a_door_code_only_for_a_seat_and_the_waitlist_says_where_one_stands_on(app).await;
    }
}

async fn a_door_code_only_for_a_seat_and_the_waitlist_says_where_one_stands_on(app: TestApp) {
    // The demo iftar has 3 of 120 places left.
    let slug = "iftar-parliament-hill";
    let public = app.get(&format!("/events/{slug}")).await.body;
    assert!(public.contains("3 places left"), "{public}");
    assert!(public.contains("Reserve my place"));
    assert!(
        !public.contains("checked"),
        "no answer chosen for the member"
    );
    assert!(public.contains("From 0 to 10, not counting you."));
    assert!(public.contains("novalidate"), "the site's own messages");

    let form = format!("/events/{slug}/rsvp");
    let seat = location(&app.post_form(&form, "answer=going&guests=2&name=A").await);
    let first = location(&app.post_form(&form, "answer=going&name=B").await);
    let second = location(&app.post_form(&form, "answer=going&name=C").await);
    let maybe = location(&app.post_form(&form, "answer=maybe&name=D").await);

    let page = app.get(&seat).await.body;
    assert!(page.contains("class=\"door-code\""));
    let page = app.get(&first).await.body;
    assert!(page.contains("You are number 1 on the waitlist."), "{page}");
    assert!(!page.contains("class=\"door-code\""));
    let page = app.get(&second).await.body;
    assert!(page.contains("You are number 2 on the waitlist."), "{page}");
    assert!(!page.contains("class=\"door-code\""));
    let page = app.get(&maybe).await.body;
    assert!(page.contains("You answered “Maybe”."), "{page}");
    assert!(!page.contains("class=\"door-code\""));

    // Full now: the form and the list say so before anyone answers.
    let public = app.get(&format!("/events/{slug}")).await.body;
    assert!(public.contains("This event is full"));
    assert!(public.contains("Join the waitlist"));
    let list = app.get("/").await.body;
    assert!(list.contains("Full · waitlist"), "{list}");

    // The first in line leaves: the second is first now.
    app.post_form(&format!("{first}/cancel"), "").await;
    assert!(app
        .get(&second)
        .await
        .body
        .contains("You are number 1 on the waitlist."));
    // A freed seat goes to them, with a door code.
    app.post_form(&format!("{seat}/cancel"), "").await;
    let page = app.get(&second).await.body;
    assert!(page.contains("You are going"), "{page}");
    assert!(page.contains("class=\"door-code\""));
    // A cancelled answer can answer again, from a blank choice.
    let page = app.get(&seat).await.body;
    assert!(page.contains("Answer again"), "{page}");
    assert!(!page.contains("checked"));

    // An event that needs approval asks to join.
    let vetted = app.get("/events/members-meeting").await.body;
    assert!(vetted.contains("Ask to join"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_handful_of_answers_is_not_counted_in_public() {
    for app in apps().await {
        a_handful_of_answers_is_not_counted_in_public_on(app).await;
    }
}

async fn a_handful_of_answers_is_not_counted_in_public_on(app: TestApp) {
    let now = app::services::now();
    app.add_meeting(
        "small-meeting",
        "Small meeting",
        "2099-05-01T18:00",
        "2099-05-01T20:00",
        now,
    )
    .await;
    app.post_form("/events/small-meeting/rsvp", "answer=going&guests=3&name=A")
        .await;
    let public = app.get("/events/small-meeting").await.body;
    assert!(!public.contains("4 going"), "{public}");
    assert!(!public.contains("class=\"counts\""));
    app.post_form("/events/small-meeting/rsvp", "answer=going&name=B")
        .await;
    let public = app.get("/events/small-meeting").await.body;
    assert!(public.contains("5 going"), "{public}");

    // A new event starts with the same threshold, which organisers change.
    app.account("root", Role::Admin).await;
    let root = app.sign_in("root").await;
    let editor = app
        .get_with("/organise/events/new", header::COOKIE, &root)
        .await
        .body;
    assert!(
        editor.contains("name=\"count_threshold\" type=\"number\" value=\"5\""),
        "{editor}"
    );
    let saved = app
        .edit_event(&root, "small-meeting", |values| {
            values.retain(|(k, _)| k != "count_threshold");
            values.push(("count_threshold".into(), "10".into()));
        })
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let public = app.get("/events/small-meeting").await.body;
    assert!(!public.contains("5 going"), "{public}");
    // A field left empty keeps the protection; only 0 turns it off.
    app.edit_event(&root, "small-meeting", |values| {
        values.retain(|(k, _)| k != "count_threshold");
    })
    .await;
    let rules = app::db::rsvps::rules(&app.site.db, small_meeting_id(&app).await)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(rules.count_threshold, 5);

    // Full, and a place in line, say as much as a count: with the counts
    // hidden, neither is told.
    let id = small_meeting_id(&app).await;
    let mut lock = app::db::rsvps::lock(&app.site.db, id).await.unwrap();
    lock.set_rules(&app::db::rsvps::RulesInput {
        open: true,
        hide_counts: true,
        count_threshold: 5,
        ..Default::default()
    })
    .await
    .unwrap();
    lock.commit().await.unwrap();
    let mut lock = app::db::rsvps::lock(&app.site.db, id).await.unwrap();
    lock.set_capacity(Some(5), now).await.unwrap().unwrap();
    lock.commit().await.unwrap();
    let waiting = app
        .post_form("/events/small-meeting/rsvp", "answer=going&name=C")
        .await;
    let page = app.get(&location(&waiting)).await.body;
    assert!(page.contains("You are on the waitlist."), "{page}");
    assert!(!page.contains("number 1"), "{page}");
    let public = app.get("/events/small-meeting").await.body;
    assert!(!public.contains("This event is full"), "{public}");
    assert!(!public.contains("Join the waitlist"));
    // Pages are server HTML with islands: no page data is embedded for a
    // script to read, so a count the page does not say is nowhere in it.
    for page in [
        &public,
        &app.get("/events/iftar-parliament-hill").await.body,
    ] {
        assert!(page.contains("__RESOLVED_RESOURCES=[]"), "{page}");
        assert!(!page.contains("capacity"), "{page}");
    }
    let list = app.get("/").await.body;
    let card = list
        .split("/events/small-meeting")
        .nth(1)
        .unwrap()
        .split("</li>")
        .next()
        .unwrap();
    assert!(!card.contains("Full"), "{card}");
}

async fn small_meeting_id(app: &TestApp) -> i64 {
    app::db::events::by_slug(&app.site.db, "small-meeting", app::i18n::Lang::En)
        .await
        .unwrap()
        .unwrap()
        .id
}
