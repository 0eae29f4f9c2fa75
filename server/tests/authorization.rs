//! The authorisation matrix: every organiser route and server function,
//! and the public ones, as each kind of caller — anonymous, a member
//! holding an RSVP link, the organiser of the event, the organiser of
//! another event, an admin — with the answer each must get.

mod common;

use app::accounts::Role;
use app::api::{
    CancelRsvp, ChangeRsvp, CheckInCode, ListEvents, LoadAbout, LoadAccount, LoadAccounts,
    LoadAuditLog, LoadCheckIn, LoadDashboard, LoadEvent, LoadEventForm, LoadMyRsvp, LoadMyRsvps,
    LoadRsvpList, LoadSettings, LoadSiteInfo, SubmitRsvp,
};
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use common::app;
use leptos::server_fn::ServerFn;

const EVENT: &str = "seminar-digital-security";

const EDIT: &str = "kind=seminar&original_lang=en&title.en=Seminar&start=2099-03-10T18:00\
&end=2099-03-10T19:30&time_zone=America%2FToronto&capacity=50&rsvp_open=on";

/// Callers, in the order of the expected answers below.
const CALLERS: [&str; 5] = [
    "anonymous",
    "link holder",
    "this organiser",
    "other organiser",
    "admin",
];

struct Cell {
    method: Method,
    uri: String,
    body: String,
    expected: [u16; 5],
}

fn route(method: Method, uri: &str, body: &str, expected: [u16; 5]) -> Cell {
    Cell {
        method,
        uri: uri.to_string(),
        body: body.to_string(),
        expected,
    }
}

fn server_fn<F: ServerFn>(body: &str, expected: [u16; 5]) -> Cell {
    route(Method::POST, F::PATH, body, expected)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_and_server_function_answers_each_caller_as_it_should() {
    let app = app().await;
    app.account("root", Role::Admin).await;
    let aygul = app.account("aygul", Role::Organiser).await;
    let bora = app.account("bora", Role::Organiser).await;
    let spare = app.account("spare", Role::Organiser).await;
    app.assign(EVENT, aygul).await;
    app.assign("rally-for-the-disappeared", bora).await;

    // The link holder answered the seminar: a member cookie and a private link.
    let answer = app
        .post_form(&format!("/events/{EVENT}/rsvp"), "answer=maybe&name=Holder")
        .await;
    let link = answer.headers[header::LOCATION]
        .to_str()
        .unwrap()
        .to_string();
    let token = link.trim_start_matches("/rsvp/").to_string();
    let member = answer.cookie();
    let cookies = [
        String::new(),
        member.clone(),
        app.sign_in("aygul").await,
        app.sign_in("bora").await,
        app.sign_in("root").await,
    ];

    let denied_page = [401, 401, 200, 403, 200];
    let denied_post = [303, 303, 303, 403, 303];
    let admin_page = [401, 401, 403, 403, 200];
    let admin_post = [303, 303, 403, 403, 303];
    let anyone = [200; 5];
    let matrix = vec![
        // Organiser pages.
        route(Method::GET, "/organise", "", [401, 401, 200, 200, 200]),
        route(
            Method::GET,
            "/organise/events/new",
            "",
            [401, 401, 200, 200, 200],
        ),
        route(
            Method::GET,
            &format!("/organise/events/{EVENT}/edit"),
            "",
            denied_page,
        ),
        route(
            Method::GET,
            &format!("/organise/events/{EVENT}/rsvps"),
            "",
            denied_page,
        ),
        route(
            Method::GET,
            &format!("/organise/events/{EVENT}/check-in"),
            "",
            denied_page,
        ),
        // The step before cancelling an event.
        route(
            Method::GET,
            &format!("/organise/events/{EVENT}/status"),
            "",
            denied_page,
        ),
        route(
            Method::GET,
            &format!("/organise/events/{EVENT}/rsvps.csv"),
            "",
            [303, 303, 200, 403, 200],
        ),
        route(Method::GET, "/organise/accounts", "", admin_page),
        route(Method::GET, "/organise/audit", "", admin_page),
        route(Method::GET, "/organise/settings", "", admin_page),
        route(Method::GET, "/organise/login", "", anyone),
        // Organiser form targets.
        route(
            Method::POST,
            "/organise/events/new",
            &format!("slug=new-one&{EDIT}"),
            [303, 303, 303, 422, 422],
        ),
        route(
            Method::POST,
            &format!("/organise/events/{EVENT}/edit"),
            EDIT,
            denied_post,
        ),
        route(
            Method::POST,
            &format!("/organise/events/{EVENT}/status"),
            "status=postponed",
            denied_post,
        ),
        route(
            Method::POST,
            &format!("/organise/events/{EVENT}/duplicate"),
            "",
            denied_post,
        ),
        route(
            Method::POST,
            &format!("/organise/events/{EVENT}/check-in"),
            "code=ZZZZZZ",
            [303, 303, 200, 403, 200],
        ),
        route(
            Method::POST,
            &format!("/organise/events/{EVENT}/rsvps/999999/decline"),
            "",
            [303, 303, 404, 403, 404],
        ),
        route(
            Method::POST,
            "/organise/accounts",
            "username=new&password=a+long+enough+password&role=organiser",
            admin_post,
        ),
        route(
            Method::POST,
            &format!("/organise/accounts/{spare}/disable"),
            "",
            admin_post,
        ),
        route(
            Method::POST,
            &format!("/organise/accounts/{spare}/password"),
            "password=another+long+password",
            admin_post,
        ),
        // The organisation's key: admins only (a wrong password is refused).
        route(
            Method::POST,
            "/organise/key/recovery",
            "confirm_password=not+the+password",
            [303, 303, 403, 403, 422],
        ),
        route(
            Method::POST,
            "/organise/key/rotate",
            "confirm_password=not+the+password",
            [303, 303, 403, 403, 422],
        ),
        // Organiser server functions.
        server_fn::<LoadDashboard>("lang=en", [401, 401, 200, 200, 200]),
        server_fn::<LoadEventForm>(&format!("slug={EVENT}&lang=en"), denied_page),
        server_fn::<LoadRsvpList>(&format!("slug={EVENT}&lang=en"), denied_page),
        server_fn::<LoadCheckIn>(&format!("slug={EVENT}&lang=en"), denied_page),
        server_fn::<CheckInCode>(&format!("slug={EVENT}&code=ZZZZZZ&lang=en"), denied_page),
        server_fn::<LoadAccounts>("", admin_page),
        server_fn::<LoadAuditLog>("", admin_page),
        server_fn::<LoadSettings>("", admin_page),
        server_fn::<LoadAccount>("", anyone),
        // Public ones, the same for everyone.
        server_fn::<LoadSiteInfo>("", anyone),
        server_fn::<ListEvents>("past=false&lang=en", anyone),
        server_fn::<LoadEvent>(&format!("slug={EVENT}&lang=en"), anyone),
        server_fn::<LoadMyRsvps>("lang=en", anyone),
        server_fn::<LoadMyRsvp>(&format!("token={token}&lang=en"), anyone),
        server_fn::<SubmitRsvp>(
            &format!("slug={EVENT}&answer=maybe&guests=0&name=Someone&contact=&note="),
            anyone,
        ),
        server_fn::<ChangeRsvp>(
            &format!("token={token}&answer=maybe&guests=0&name=Holder&contact=&note="),
            anyone,
        ),
        route(Method::GET, &format!("/events/{EVENT}"), "", anyone),
        route(Method::GET, "/calendar.ics", "", anyone),
        route(Method::GET, &link, "", anyone),
        route(Method::GET, &format!("{link}/cancel"), "", anyone),
        route(Method::GET, "/my", "", anyone),
        route(Method::GET, "/my/feed/renew", "", anyone),
        route(Method::GET, "/about", "", anyone),
        server_fn::<LoadAbout>("lang=en", anyone),
    ];

    let mut failures = Vec::new();
    for cell in &matrix {
        for (caller, cookie) in cookies.iter().enumerate() {
            let mut request = Request::builder()
                .method(cell.method.clone())
                .uri(&cell.uri);
            if !cookie.is_empty() {
                request = request.header(header::COOKIE, cookie);
            }
            if cell.method == Method::POST {
                request = request.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
            }
            let answer = app
                .send(request.body(Body::from(cell.body.clone())).unwrap())
                .await;
            let expected = cell.expected[caller];
            if answer.status.as_u16() != expected {
                failures.push(format!(
                    "{} {} as {}: {} (expected {expected})",
                    cell.method, cell.uri, CALLERS[caller], answer.status
                ));
            }
            if expected == 303 && caller < 2 && cell.uri.starts_with("/organise") {
                assert_eq!(
                    answer.headers[header::LOCATION],
                    "/organise/login",
                    "{}",
                    cell.uri
                );
            }
            // Organiser data never reaches callers who may not see it.
            if answer.status != StatusCode::OK || cell.uri.contains("/api/") && expected != 200 {
                assert!(
                    !answer.body.contains("Holder"),
                    "{} as {}",
                    cell.uri,
                    CALLERS[caller]
                );
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    // Cancelling through the server function is the link holder's alone.
    let cancel = server_fn::<CancelRsvp>(&format!("token={token}"), anyone);
    let answer = app
        .send(
            Request::post(cancel.uri.as_str())
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(cancel.body))
                .unwrap(),
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK);
}
