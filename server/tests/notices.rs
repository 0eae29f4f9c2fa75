//! Notices through the router, on every backend: what members who answered
//! are told when an event changes, when an organiser decides or writes to
//! them, and before it starts — on their private page, in their language,
//! in their personal feed; and never anyone who did not answer or said
//! "not going".

mod common;

use app::accounts::Role;
use app::i18n::Lang;
use axum::http::{header, StatusCode};
use common::{apps, feed_path, TestApp};

const ORIGIN: &str = "http://127.0.0.1:3000";

/// Answers the form of `slug` without JavaScript; returns the private
/// page's path and the device cookie.
async fn answer(app: &TestApp, slug: &str, form: &str) -> (String, String) {
    let reply = app
        .post_with(&format!("/events/{slug}/rsvp"), form, &[])
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let location = reply.headers[header::LOCATION]
        .to_str()
        .unwrap()
        .to_string();
    (location, reply.cookie())
}

/// An organiser's form post, as their browser sends it.
async fn organiser_post(app: &TestApp, cookie: &str, path: &str, body: &str) -> common::Answer {
    app.post_with(
        path,
        body,
        &[(header::COOKIE, cookie), (header::ORIGIN, ORIGIN)],
    )
    .await
}

/// The "Updates" section of a private page, or "" when it has none.
fn updates(page: &str) -> String {
    page.split("class=\"updates\">")
        .nth(1)
        .map(|rest| rest.split("</section>").next().unwrap().to_string())
        .unwrap_or_default()
}

async fn team(app: &TestApp, slug: &str) -> String {
    app.account("root", Role::Admin).await;
    let aygul = app.account("aygul", Role::Organiser).await;
    app.assign(slug, aygul).await;
    app.sign_in("aygul").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changes_and_announcements_reach_those_who_answered_in_their_language() {
    for app in apps().await {
        let now = app::services::now();
        app.add_meeting(
            "study-circle",
            "Study circle",
            "2099-05-01T18:00",
            "2099-05-01T20:00",
            now,
        )
        .await;
        let cookie = team(&app, "study-circle").await;
        let (going, _) = answer(&app, "study-circle", "answer=going&name=Aygul&lang=fr").await;
        let (maybe, _) = answer(&app, "study-circle", "answer=maybe&name=Bahar&lang=ug-Arab").await;
        let (not_going, _) = answer(&app, "study-circle", "answer=not_going&name=Chimen").await;
        assert_eq!(updates(&app.get(&going).await.body), "", "nothing yet");

        // The date and the place move: both live answers are told, in the
        // language their page is read in; "not going" hears nothing.
        let moved = app
            .edit_event(&cookie, "study-circle", |values| {
                for (name, value) in values.iter_mut() {
                    match name.as_str() {
                        "start" => *value = "2099-05-02T18:00".into(),
                        "end" => *value = "2099-05-02T20:00".into(),
                        "venue_name" => *value = "Library, room 2".into(),
                        _ => {}
                    }
                }
            })
            .await;
        assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
        let french = updates(&app.get(&format!("{going}?lang=fr")).await.body);
        assert!(
            french.contains("La date, l'heure et le lieu ont changé."),
            "{french}"
        );
        let arabic = updates(&app.get(&format!("{maybe}?lang=ug-Arab")).await.body);
        assert!(
            arabic.contains("چېسلا، ۋاقىت ۋە ئورۇن ئۆزگەردى."),
            "{arabic}"
        );
        assert_eq!(updates(&app.get(&not_going).await.body), "");
        // The language each answered in is kept for what is sent to them.
        let site = &app.site;
        let token = |path: &str| path.trim_start_matches("/rsvp/").to_string();
        let row = app::services::rsvp::find(site, &token(&going))
            .await
            .unwrap();
        assert_eq!(row.lang, "fr");
        let row = app::services::rsvp::find(site, &token(&not_going))
            .await
            .unwrap();
        assert_eq!(row.lang, "en", "no language sent: the instance's");

        // Postponed, then scheduled again: each told once, newest first.
        let status_path = "/organise/events/study-circle/status";
        for status in ["postponed", "scheduled"] {
            let reply =
                organiser_post(&app, &cookie, status_path, &format!("status={status}")).await;
            assert_eq!(reply.status, StatusCode::SEE_OTHER);
        }
        let told = updates(&app.get(&going).await.body);
        let again = told.find("The event is scheduled again.").expect(&told);
        let postponed = told.find("The event is postponed").expect(&told);
        let changed = told.find("The date, time and place changed.").expect(&told);
        assert!(again < postponed && postponed < changed, "{told}");

        // A message to those with a place: only the "going" answer gets it,
        // as sanitised HTML; the organiser sees a count.
        let message = "Bring your **ID**.<script>alert(1)</script>";
        let body = form_urlencoded::Serializer::new(String::new())
            .append_pair("message", message)
            .append_pair("audience", "going")
            .append_pair("lang", "en")
            .finish();
        let announce = "/organise/events/study-circle/announce";
        let reply = organiser_post(&app, &cookie, announce, &body).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
        assert_eq!(
            reply.headers[header::LOCATION],
            "/organise/events/study-circle/rsvps?sent=1#announce"
        );
        let told = updates(&app.get(&going).await.body);
        assert!(told.contains("A message from the organisers:"), "{told}");
        assert!(told.contains("Bring your <strong>ID</strong>."), "{told}");
        assert!(!told.contains("<script"), "{told}");
        assert!(!updates(&app.get(&maybe).await.body).contains("Bring your"));
        let screen = app
            .get_with(
                "/organise/events/study-circle/rsvps?sent=1",
                header::COOKIE,
                &cookie,
            )
            .await
            .body;
        assert!(screen.contains("Sent to 1 answer."), "{screen}");
        assert!(screen.contains("Only those with a place"), "{screen}");
        let audit = app::db::audit::audit_log(&site.db, 10).await.unwrap();
        assert!(
            audit.iter().any(
                |e| e.action == "sent a message to 1 answers of" && e.subject == "study-circle"
            ),
            "{audit:?}"
        );

        // Everyone with a live answer: two, never "not going".
        let body = "message=Doors+open+at+17%3A30&audience=everyone&lang=en";
        let reply = organiser_post(&app, &cookie, announce, body).await;
        assert_eq!(
            reply.headers[header::LOCATION],
            "/organise/events/study-circle/rsvps?sent=2#announce"
        );
        assert!(updates(&app.get(&maybe).await.body).contains("Doors open at 17:30"));
        assert!(!app.get(&not_going).await.body.contains("Doors open"));

        // Refused next to the field: empty, too long, and past the number
        // an event may send in a day.
        let reply = organiser_post(&app, &cookie, announce, "message=++&audience=going").await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            reply.body.contains("id=\"announce-message-error\""),
            "{}",
            reply.body
        );
        let long = format!("message={}&audience=going", "x".repeat(2_001));
        let reply = organiser_post(&app, &cookie, announce, &long).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        for n in 3..=5 {
            let body = format!("message=Note+{n}&audience=going");
            let reply = organiser_post(&app, &cookie, announce, &body).await;
            assert_eq!(reply.status, StatusCode::SEE_OTHER, "{n}");
        }
        let reply = organiser_post(&app, &cookie, announce, "message=Sixth&audience=going").await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            reply.body.contains("sent 5 messages in the last 24 hours"),
            "{}",
            reply.body
        );
        assert!(
            reply.body.contains("Sixth"),
            "the message comes back to send later"
        );
        assert!(!updates(&app.get(&going).await.body).contains("Sixth"));

        // Another organiser's event refuses her.
        let other = "/organise/events/rally-for-the-disappeared/announce";
        let reply = organiser_post(&app, &cookie, other, "message=Hi&audience=going").await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_seat_freed_an_approval_and_a_reminder_are_told_once() {
    for app in apps().await {
        let cookie = team(&app, "members-meeting").await;
        // The iftar has 3 of 120 places left: a party of three takes them.
        let (first, _) = answer(
            &app,
            "iftar-parliament-hill",
            "answer=going&guests=2&name=A",
        )
        .await;
        let (waiting, _) = answer(&app, "iftar-parliament-hill", "answer=going&name=B").await;
        assert_eq!(updates(&app.get(&waiting).await.body), "");
        app.post_form(&format!("{first}/cancel"), "").await;
        let told = updates(&app.get(&waiting).await.body);
        assert!(told.contains("A place freed up: you are going."), "{told}");
        assert_eq!(told.matches("<li").count(), 1, "{told}");
        assert_eq!(updates(&app.get(&first).await.body), "", "her own cancel");

        // The members' meeting is sensitive: approval reveals its place.
        let (member, member_device) =
            answer(&app, "members-meeting", "answer=going&name=M&lang=en").await;
        let (refused, _) = answer(&app, "members-meeting", "answer=going&name=R").await;
        let id_of = |path: &str| {
            let site = app.site.clone();
            let token = path.trim_start_matches("/rsvp/").to_string();
            async move { app::services::rsvp::find(&site, &token).await.unwrap().id }
        };
        let (member_id, refused_id) = (id_of(&member).await, id_of(&refused).await);
        let decide =
            |id: i64, verb: &str| format!("/organise/events/members-meeting/rsvps/{id}/{verb}");
        organiser_post(&app, &cookie, &decide(member_id, "approve"), "").await;
        organiser_post(&app, &cookie, &decide(refused_id, "decline"), "").await;
        let page = app.get(&member).await.body;
        assert!(
            updates(&page).contains("the event's place is now shown on your private page"),
            "{page}"
        );
        assert!(page.contains("Centre communautaire"), "the place shows");
        let told = updates(&app.get(&refused).await.body);
        assert!(
            told.contains("An organiser could not confirm your place."),
            "{told}"
        );
        // A message to everyone at a sensitive event reaches only those an
        // organiser let in: never a "maybe", which no one vetted.
        let (unvetted, _) = answer(&app, "members-meeting", "answer=maybe&name=Q").await;
        let announce = "/organise/events/members-meeting/announce";
        let body = "message=Room+B+at+the+back&audience=everyone&lang=en";
        let reply = organiser_post(&app, &cookie, announce, body).await;
        assert_eq!(
            reply.headers[header::LOCATION],
            "/organise/events/members-meeting/rsvps?sent=1#announce"
        );
        assert!(updates(&app.get(&member).await.body).contains("Room B at the back"));
        assert!(!app.get(&unvetted).await.body.contains("Room B"));

        // The reminder: due 24 hours before the start, given once, to those
        // with a place (the declined answer is not one).
        let event = app::db::events::by_slug(&app.site.db, "members-meeting", Lang::En)
            .await
            .unwrap()
            .unwrap();
        let site = &app.site;
        let early = event.starts_at - 25 * 3600;
        let due = event.starts_at - 23 * 3600;
        let before = app::services::notices::give_due(site, early).await.unwrap();
        assert!(!updates(&app.get(&member).await.body).contains("Reminder"));
        app::services::notices::give_due(site, due).await.unwrap();
        let again = app::services::notices::give_due(site, due + 60)
            .await
            .unwrap();
        let told = updates(&app.get(&member).await.body);
        assert_eq!(
            told.matches("Reminder: the event is on").count(),
            1,
            "{told}"
        );
        assert!(!updates(&app.get(&refused).await.body).contains("Reminder"));
        assert!(
            !updates(&app.get(&unvetted).await.body).contains("Reminder"),
            "a sensitive event reminds those with a place alone"
        );
        assert_eq!(again, 0, "given once ({before} before)");

        // The personal feed carries them, and the reminder as an alarm;
        // the public feed carries no alarm.
        let my = app
            .get_with("/my", header::COOKIE, &member_device)
            .await
            .body;
        let feed = app.get(&feed_path(&my)).await.body.replace("\r\n ", "");
        assert!(feed.contains("TRIGGER:-PT24H"), "{feed}");
        assert!(feed.contains("Reminder: the event is on"), "{feed}");
        assert!(feed.contains("now shown on your private page"), "{feed}");
        let public = app.get("/calendar.ics").await.body;
        assert!(public.contains("BEGIN:VEVENT") && !public.contains("VALARM"));

        // The answers' personal data goes after the event, and with it
        // what they were told.
        let after = event.ends_at + 31 * 86_400;
        app::services::purge(site, after).await.unwrap();
        let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM notices WHERE event_id = $1")
            .bind(event.id)
            .fetch_one(&site.db.pool)
            .await
            .unwrap();
        assert_eq!(left, 0);
        let reached: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM notice_recipients nr JOIN rsvps r ON r.id = nr.rsvp_id \
             WHERE r.event_id = $1",
        )
        .bind(event.id)
        .fetch_one(&site.db.pool)
        .await
        .unwrap();
        assert_eq!(reached, 0, "whom they reached went with them");
    }
}
