//! Sealed answers, on both backends: a copy of the database (the SQLite file
//! and its log, or a `pg_dump`) holds no name, contact or note a member
//! typed, at any moment; organisers signed in read them, on any app server
//! with the same cookie; signing out, disabling an account and replacing
//! the key take that away; the recovery key is refused when wrong.

mod common;

use app::accounts::Role;
use axum::http::{header, StatusCode};
use common::{apps, TestApp};
use std::process::{Command, Stdio};

const CANARIES: [&str; 3] = [
    "SealedNameK4v",
    "sealed-contact-K4v@example.org",
    "SealedNoteK4v",
];
const EVENT: &str = "seminar-digital-security";

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

/// Everything a copy of the database holds: the SQLite file with its
/// write-ahead log, or what `pg_dump` writes out.
fn database_copy(app: &TestApp) -> Vec<u8> {
    if let Some(file) = app.database_file() {
        let wal = file.with_extension("db-wal");
        return [file, wal]
            .iter()
            .flat_map(|p| std::fs::read(p).unwrap_or_default())
            .collect();
    }
    let dump = Command::new("pg_dump")
        .arg("--dbname")
        .arg(&app.database_url)
        .output()
        .expect("pg_dump runs");
    assert!(
        dump.status.success(),
        "{}",
        String::from_utf8_lossy(&dump.stderr)
    );
    dump.stdout
}

/// Asserts that a copy holds none of the canaries, and (so that the search
/// is known to work) that it does hold the event's title.
fn assert_names_nobody(app: &TestApp, when: &str) {
    let copy = database_copy(app);
    assert!(
        contains(&copy, EVENT),
        "{:?} {when}: the copy holds the events",
        app.backend()
    );
    for canary in CANARIES {
        assert!(
            !contains(&copy, canary),
            "{:?} {when}: {canary} in a copy of the database",
            app.backend()
        );
    }
}

fn answer_body() -> String {
    format!(
        "answer=going&guests=1&name={}&contact={}&note={}",
        CANARIES[0],
        CANARIES[1].replace('@', "%40"),
        CANARIES[2]
    )
}

fn shows_canaries(body: &str) -> bool {
    CANARIES.iter().all(|c| body.contains(c))
}

async fn answers_page(app: &TestApp, cookie: &str) -> String {
    let page = app
        .get_with(
            &format!("/organise/events/{EVENT}/rsvps"),
            header::COOKIE,
            cookie,
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    page.body
}

async fn wraps(app: &TestApp) -> Vec<i64> {
    app::services::keys::accounts_holding_key(&app.site)
        .await
        .unwrap()
}

/// The recovery key a key screen shows once.
fn shown_recovery_key(body: &str) -> String {
    body.split("class=\"recovery-key\"")
        .nth(1)
        .and_then(|rest| rest.split("<code dir=\"ltr\">").nth(1))
        .and_then(|rest| rest.split('<').next())
        .expect("a recovery key on the page")
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_copy_of_the_database_names_nobody_and_organisers_read_every_answer() {
    for app in apps().await {
        let backend = app.backend();
        // A member answers; their own page shows their answer back.
        let sent = app
            .post_with(&format!("/events/{EVENT}/rsvp"), &answer_body(), &[])
            .await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        let link = sent.headers[header::LOCATION].to_str().unwrap().to_string();
        let device = sent.cookie();
        assert!(shows_canaries(&app.get(&link).await.body), "{backend:?}");
        assert_names_nobody(&app, "after the answer");

        // A fresh private link, issued from the device, still shows it.
        let mine = app.get_with("/my", header::COOKIE, &device).await.body;
        let reopen = mine
            .split("action=\"/my/")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        let reopened = app
            .post_with(&format!("/my/{reopen}"), "", &[(header::COOKIE, &device)])
            .await;
        assert_eq!(reopened.status, StatusCode::SEE_OTHER);
        let new_link = reopened.headers[header::LOCATION].to_str().unwrap();
        assert!(shows_canaries(&app.get(new_link).await.body), "{backend:?}");

        // An admin signed in reads it: the list, the CSV, the door.
        let admin_id = app.account("amina", Role::Admin).await;
        let admin = app.sign_in("amina").await;
        assert!(
            shows_canaries(&answers_page(&app, &admin).await),
            "{backend:?}"
        );
        let csv = app
            .get_with(
                &format!("/organise/events/{EVENT}/rsvps.csv"),
                header::COOKIE,
                &admin,
            )
            .await;
        assert!(shows_canaries(&csv.body), "{backend:?}");
        // Another app server on the same database, with the same cookie.
        let config = yighin::config::Config::for_database("sqlite://unused.db");
        let other = TestApp::from_state(yighin::state(&config, app.site.db.clone()));
        assert!(
            shows_canaries(&answers_page(&other, &admin).await),
            "{backend:?}"
        );
        assert_names_nobody(&app, "after organisers read the answers");

        // A new organiser, made by the admin, gets the key with the password.
        let made = app
            .post_with(
                "/organise/accounts",
                "username=bilal&display_name=&password=bilal+has+a+long+password&role=organiser",
                &[(header::COOKIE, &admin)],
            )
            .await;
        assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
        let bilal_id = app::db::accounts::by_username(&app.site.db, "bilal")
            .await
            .unwrap()
            .unwrap()
            .id;
        app.assign(EVENT, bilal_id).await;
        let bilal = app.sign_in("bilal").await;
        assert!(
            shows_canaries(&answers_page(&app, &bilal).await),
            "{backend:?}"
        );
        // Signed out, the session and its copy of the key are gone.
        let out = app
            .post_with("/organise/logout", "", &[(header::COOKIE, &bilal)])
            .await;
        assert_eq!(out.status, StatusCode::SEE_OTHER);
        let token = bilal.split_once('=').unwrap().1;
        let opener = app::services::keys::opener(&app.site, token).await.unwrap();
        assert!(
            !opener.can_open(),
            "{backend:?}: a signed-out session opens nothing"
        );
        let sessions: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE account_id = $1")
                .bind(bilal_id)
                .fetch_one(&app.site.db.pool)
                .await
                .unwrap();
        assert_eq!(sessions, 0);
        // Disabled, the account's wrap of the key goes too.
        assert!(wraps(&app).await.contains(&bilal_id));
        let disabled = app
            .post_with(
                &format!("/organise/accounts/{bilal_id}/disable"),
                "",
                &[(header::COOKIE, &admin)],
            )
            .await;
        assert_eq!(disabled.status, StatusCode::SEE_OTHER);
        assert!(!wraps(&app).await.contains(&bilal_id), "{backend:?}");

        // Replacing the key: refused with a wrong password; then every
        // answer stays readable to the admin, other accounts lose the key,
        // and the old recovery key opens nothing.
        let chen_id = app.account("chen", Role::Organiser).await;
        app.assign(EVENT, chen_id).await;
        let wrong = app
            .post_with(
                "/organise/key/rotate",
                "confirm_password=not+my+password+at+all",
                &[(header::COOKIE, &admin)],
            )
            .await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
        let rotated = app
            .post_with(
                "/organise/key/rotate",
                "confirm_password=amina+has+a+long+password",
                &[(header::COOKIE, &admin)],
            )
            .await;
        assert_eq!(rotated.status, StatusCode::OK, "{}", rotated.body);
        assert!(rotated.body.contains("The key was replaced"));
        let recovery = shown_recovery_key(&rotated.body);
        let logged: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'replaced the organisation key'",
        )
        .fetch_one(&app.site.db.pool)
        .await
        .unwrap();
        assert_eq!(logged, 1, "{backend:?}: the audit log records it");
        assert!(
            shows_canaries(&answers_page(&app, &admin).await),
            "{backend:?}"
        );
        assert_eq!(wraps(&app).await, vec![admin_id]);
        let chen = app.sign_in("chen").await;
        let sealed = answers_page(&app, &chen).await;
        assert!(!sealed.contains(CANARIES[0]) && sealed.contains("Name sealed"));
        let old = app.recovery_key().unwrap();
        let keys = app::services::keys::opener_from_recovery_key;
        assert!(keys(&app.site, &old).await.unwrap().is_none());
        assert!(keys(&app.site, &recovery).await.unwrap().is_some());
        // The admin gives chen the new key by setting a new password.
        let reset = app
            .post_with(
                &format!("/organise/accounts/{chen_id}/password"),
                "password=chen+has+a+long+password",
                &[(header::COOKIE, &admin)],
            )
            .await;
        assert_eq!(reset.status, StatusCode::SEE_OTHER);
        let chen = app.sign_in("chen").await;
        assert!(
            shows_canaries(&answers_page(&app, &chen).await),
            "{backend:?}"
        );
        assert_names_nobody(&app, "after the key was replaced");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upgrade_seals_plain_answers_and_the_first_admin_replaces_the_waiting_key() {
    for app in apps().await {
        let backend = app.backend();
        let event = app::db::events::by_slug(&app.site.db, EVENT, app::i18n::Lang::En)
            .await
            .unwrap()
            .unwrap();
        sqlx::query(
            "INSERT INTO rsvps (event_id, token_hash, member_hash, answer, state, guests, \
             display_name, contact, note, short_code, queued_at, created_at, updated_at) \
             VALUES ($1, 'old-link', 'old-device', 'going', 'confirmed', 0, $2, $3, $4, 'OLD234', 0, 0, 0)",
        )
        .bind(event.id)
        .bind(CANARIES[0])
        .bind(CANARIES[1])
        .bind(CANARIES[2])
        .execute(&app.site.db.pool)
        .await
        .unwrap();
        app::services::keys::prepare(&app.site, app::services::now())
            .await
            .unwrap();
        assert_names_nobody(&app, "after the upgrade's sealing");

        // An admin of the earlier version (no key yet) signs in: they take
        // the waiting key by replacing it, so the recovery key a copy made
        // meanwhile held opens nothing any more.
        let waiting: String =
            sqlx::query_scalar("SELECT unclaimed_recovery FROM organisation_key WHERE id = 1")
                .fetch_one(&app.site.db.pool)
                .await
                .unwrap();
        let form = app::accounts::NewAccountForm {
            username: "amina".into(),
            display_name: String::new(),
            password: "amina has a long password".into(),
            role: "admin".into(),
        };
        let now = app::services::now();
        app::services::accounts::create_account(&app.site, None, &Default::default(), &form, now)
            .await
            .unwrap();
        let admin = app.sign_in("amina").await;
        assert!(
            shows_canaries(&answers_page(&app, &admin).await),
            "{backend:?}"
        );
        let keys = &app.site;
        assert!(!app::services::keys::waits_for_first_admin(keys)
            .await
            .unwrap());
        assert!(
            app::services::keys::opener_from_recovery_key(keys, &waiting)
                .await
                .unwrap()
                .is_none()
        );
        assert!(!app::services::keys::has_recovery_key(keys).await.unwrap());
        let accounts = app
            .get_with("/organise/accounts", header::COOKIE, &admin)
            .await;
        assert!(accounts.body.contains("no recovery key yet"), "{backend:?}");
        // The admin makes one, confirming with the password.
        let made = app
            .post_with(
                "/organise/key/recovery",
                "confirm_password=amina+has+a+long+password",
                &[(header::COOKIE, &admin)],
            )
            .await;
        assert_eq!(made.status, StatusCode::OK, "{}", made.body);
        let recovery = shown_recovery_key(&made.body);
        assert!(
            app::services::keys::opener_from_recovery_key(keys, &recovery)
                .await
                .unwrap()
                .is_some()
        );
        assert_names_nobody(&app, "after the first admin took the key");
    }
}

/// An answer that waits for its event's lock while the organisation's key
/// is being replaced is sealed to the key that stands once it gets the
/// lock (on PostgreSQL a statement that waited sees other tables as they
/// were when it began: the key must be read after the lock, not with it).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_answer_that_waits_out_a_key_replacement_is_sealed_to_the_new_key() {
    use app::services::rsvp;
    for app in apps().await {
        let backend = app.backend();
        let site = app.site.clone();
        let now = app::services::now();
        let event = app::db::events::by_slug(&site.db, EVENT, app::i18n::Lang::En)
            .await
            .unwrap()
            .unwrap();
        let form = |name: &str| app::rsvp::RsvpForm {
            answer: "maybe".into(),
            guests: "0".into(),
            name: name.into(),
            ..Default::default()
        };
        // The server's writer key is made for the key of now.
        rsvp::submit(&site, EVENT, &form("Before"), "device-a", now)
            .await
            .unwrap();
        // A replacement holds the event's lock and has stored a new key.
        let new_key = app::sealing::OrganisationKey::generate();
        let mut replacing = site.db.begin_write().await.unwrap();
        sqlx::query("UPDATE events SET seats_taken = seats_taken WHERE id = $1")
            .bind(event.id)
            .execute(&mut *replacing)
            .await
            .unwrap();
        sqlx::query("UPDATE organisation_key SET public_key = $1 WHERE id = 1")
            .bind(new_key.public())
            .execute(&mut *replacing)
            .await
            .unwrap();
        let waiting = tokio::spawn({
            let site = site.clone();
            async move { rsvp::submit(&site, EVENT, &form("Waited"), "device-b", now).await }
        });
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        assert!(
            !waiting.is_finished(),
            "{backend:?}: the answer did not wait"
        );
        replacing.commit().await.unwrap();
        waiting.await.unwrap().unwrap();
        let (sealed_key, sealed_text): (String, String) = sqlx::query_as(
            "SELECT key_for_organisers, personal_sealed FROM rsvps \
             WHERE id = (SELECT MAX(id) FROM rsvps)",
        )
        .fetch_one(&site.db.pool)
        .await
        .unwrap();
        let key = new_key
            .open(&sealed_key)
            .unwrap_or_else(|_| panic!("{backend:?}: sealed to the key replaced while it waited"));
        assert_eq!(key.decrypt(&sealed_text).unwrap().name, "Waited");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn answers_that_arrive_while_the_key_is_replaced_stay_readable() {
    use app::services::{accounts, keys, organise, rsvp};
    for app in apps().await {
        let backend = app.backend();
        app.account("amina", Role::Admin).await;
        let site = std::sync::Arc::new(app.site.clone());
        let now = app::services::now();
        let (token, admin) =
            accounts::login(&site, "amina", "amina has a long password", None, now)
                .await
                .unwrap();
        let answers: Vec<_> = (0..60)
            .map(|i| {
                let site = site.clone();
                tokio::spawn(async move {
                    let form = app::rsvp::RsvpForm {
                        answer: "going".into(),
                        guests: "0".into(),
                        name: format!("Member {i}"),
                        ..Default::default()
                    };
                    rsvp::submit(&site, EVENT, &form, &format!("device-{i}"), now).await
                })
            })
            .collect();
        // Another app server, whose sealer was made before the key changes.
        let config = yighin::config::Config::for_database("sqlite://unused.db");
        let other = yighin::state(&config, app.site.db.clone()).site;
        let form = |name: &str| app::rsvp::RsvpForm {
            answer: "maybe".into(),
            guests: "0".into(),
            name: name.into(),
            ..Default::default()
        };
        rsvp::submit(&other, EVENT, &form("Before"), "device-x", now)
            .await
            .unwrap();
        let password = zeroize::Zeroizing::new("amina has a long password".to_string());
        keys::rotate(&site, &admin, &token, password, now)
            .await
            .unwrap();
        for answer in answers {
            answer.await.unwrap().unwrap();
        }
        rsvp::submit(&other, EVENT, &form("After"), "device-y", now)
            .await
            .unwrap();
        // The list as the admin opens it now (its first page holds them all).
        let everything = app::organise::AnswerQuery::default().normalised();
        let opened_list = || async {
            let opener = keys::opener(&site, &token).await.unwrap();
            organise::rsvp_list(
                &site,
                &admin,
                &opener,
                EVENT,
                app::i18n::Lang::En,
                &everything,
            )
            .await
            .unwrap()
        };
        let list = opened_list().await;
        let sealed = list.entries.iter().filter(|e| e.sealed).count();
        assert_eq!(sealed, 0, "{backend:?}: answers sealed to a replaced key");
        assert!(list.entries.len() >= 62);
        assert!(list.entries.iter().any(|e| e.display_name == "After"));
        // Two replacements at once: one wins; the other is refused rather
        // than sealing to a key whose answers it cannot open.
        let again = || {
            let password = zeroize::Zeroizing::new("amina has a long password".to_string());
            keys::rotate(&site, &admin, &token, password, now)
        };
        let (first, second) = tokio::join!(again(), again());
        assert_eq!(
            [first.is_ok(), second.is_ok()]
                .iter()
                .filter(|ok| **ok)
                .count(),
            1,
            "{backend:?}"
        );
        let list = opened_list().await;
        assert_eq!(list.entries.iter().filter(|e| e.sealed).count(), 0);
    }
}

/// `yighin create-admin`, as a volunteer runs it.
fn create_admin(database: &str, args: &[&str], input: &str) -> std::process::Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_yighin"))
        .env("DATABASE_URL", database)
        .env("YIGHIN_DEMO", "false")
        .arg("create-admin")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn a_later_admin_needs_the_recovery_key_or_an_admins_password() {
    let dir = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", dir.path().join("keys.db").display());
    let first = create_admin(&database, &["amina"], "amina has a long password\n");
    assert!(first.status.success(), "{first:?}");
    let printed = String::from_utf8(first.stdout).unwrap();
    let recovery = printed
        .lines()
        .map(str::trim)
        .find(|l| l.len() == 39 && l.matches('-').count() == 7)
        .expect("the recovery key is printed")
        .to_string();
    // Printed once: it is no longer in the database.
    let copy = std::fs::read(dir.path().join("keys.db")).unwrap();
    assert!(!contains(&copy, &recovery));

    let wrong = create_admin(
        &database,
        &["bilal"],
        "bilal has a long password\n2222-3333-4444-5555-6666-7777-8888-9999\n",
    );
    assert!(!wrong.status.success());
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("not the organisation's recovery key"));
    let right = create_admin(
        &database,
        &["bilal"],
        &format!("bilal has a long password\n{}\n", recovery.to_lowercase()),
    );
    assert!(right.status.success(), "{right:?}");
    let wrong_admin = create_admin(
        &database,
        &["chen", "--with-admin", "amina"],
        "chen has a long password\nnot amina's password\n",
    );
    assert!(!wrong_admin.status.success());
    let with_admin = create_admin(
        &database,
        &["chen", "--with-admin", "amina"],
        "chen has a long password\namina has a long password\n",
    );
    assert!(with_admin.status.success(), "{with_admin:?}");
    // Only the first admin is shown a recovery key; the refused attempts
    // created nobody.
    assert!(!String::from_utf8_lossy(&with_admin.stdout).contains("recovery key"));
    let accounts: Vec<String> = tokio::runtime::Runtime::new().unwrap().block_on(async {
        let db = app::db::Database::connect(&database).await.unwrap();
        sqlx::query_scalar("SELECT username FROM accounts ORDER BY id")
            .fetch_all(&db.pool)
            .await
            .unwrap()
    });
    assert_eq!(accounts, ["amina", "bilal", "chen"]);
}
