//! Upgrades from every earlier schema, with data in it. `tests/fixtures/`
//! keeps, for each schema a release has written, a database of that schema
//! (a SQLite file, a PostgreSQL dump) holding events, answers, an admin
//! and a signed-in session, with the secrets that open them. This build
//! migrates each, and everything must still work: every event and answer,
//! the admin's password and session, an answer's private link and its
//! sealed name.
//!
//! A new fixture is written, before a release whose migrations change the
//! schema, by `cargo test -p yighin --test upgrade -- --ignored
//! write_fixture` (with `TEST_POSTGRES_URL` set for the dump).

mod common;

use app::db::{Backend, Database};
use std::path::{Path, PathBuf};
use std::process::Command;

const PASSWORD: &str = "a long enough password";
const NAME: &str = "Fixture Member";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// What a fixture holds, and the secrets that open it.
struct Fixture {
    schema: i64,
    session: String,
    link: String,
    events: i64,
    answers: i64,
}

/// The fixture files of `backend` at `schema`: the database, the secrets.
fn fixture_files(backend: &str, schema: i64) -> (PathBuf, PathBuf) {
    let data = match backend {
        "sqlite" => format!("sqlite-schema-{schema}.db"),
        _ => format!("postgres-schema-{schema}.sql"),
    };
    (
        fixtures().join(data),
        fixtures().join(format!("{backend}-schema-{schema}.txt")),
    )
}

impl Fixture {
    fn read(backend: &str, schema: i64) -> Fixture {
        let (_, secrets) = fixture_files(backend, schema);
        let text = std::fs::read_to_string(&secrets).unwrap();
        let value = |key: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(&format!("{key}=")))
                .unwrap_or_else(|| panic!("{key} in {}", secrets.display()))
                .to_string()
        };
        Fixture {
            schema,
            session: value("session"),
            link: value("link"),
            events: value("events").parse().unwrap(),
            answers: value("answers").parse().unwrap(),
        }
    }

    fn write(&self, backend: &str) {
        std::fs::write(
            fixture_files(backend, self.schema).1,
            format!(
                "session={}\nlink={}\nevents={}\nanswers={}\n",
                self.session, self.link, self.events, self.answers
            ),
        )
        .unwrap();
    }
}

/// The schemas fixtures were written for.
fn fixture_schemas() -> Vec<i64> {
    let mut schemas: Vec<i64> = std::fs::read_dir(fixtures())
        .unwrap()
        .filter_map(|e| {
            let name = e.ok()?.file_name().to_string_lossy().into_owned();
            name.strip_prefix("sqlite-schema-")?
                .strip_suffix(".txt")?
                .parse()
                .ok()
        })
        .collect();
    schemas.sort();
    schemas
}

async fn count(db: &Database, query: &str) -> i64 {
    sqlx::query_scalar(query).fetch_one(&db.pool).await.unwrap()
}

/// Everything a fixture holds works with this build.
async fn still_works(db: Database, fixture: &Fixture) {
    db.migrate().await.unwrap();
    // The fixture's session and link are judged at the hour the fixture was
    // written: a session idles out after hours, and this test runs for years.
    let written = count(&db, "SELECT MAX(last_seen_at) FROM sessions").await + 60;
    let site = common_site(db.clone());
    let now = app::services::now();
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM events").await,
        fixture.events
    );
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM rsvps").await,
        fixture.answers
    );
    let signed_in = app::services::accounts::login(&site, "root", PASSWORD, None, now).await;
    assert!(signed_in.is_ok(), "{:?}: the admin's password", db.backend);
    let session = app::services::accounts::session(&site, &fixture.session, written)
        .await
        .unwrap();
    assert!(session.is_some(), "{:?}: the session survives", db.backend);
    let base_url = site.settings().base_url.clone();
    let mine = app::services::rsvp::my_rsvp(
        &site,
        &fixture.link,
        app::i18n::Lang::En,
        written,
        &base_url,
    )
    .await
    .unwrap_or_else(|e| panic!("{:?}: the private link: {e}", db.backend));
    assert_eq!(mine.form.name, NAME, "{:?}: the sealed name", db.backend);
}

fn common_site(db: Database) -> app::services::Site {
    let config = yighin::config::Config::for_database("sqlite://unused.db");
    yighin::state(&config, db).site
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_earlier_schema_with_data_upgrades_keeping_everything() {
    let schemas = fixture_schemas();
    assert!(
        !schemas.is_empty(),
        "no fixture in {}",
        fixtures().display()
    );
    for schema in schemas {
        // SQLite: a copy of the file.
        let fixture = Fixture::read("sqlite", schema);
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("yighin.db");
        std::fs::copy(fixture_files("sqlite", schema).0, &file).unwrap();
        let db = Database::connect(&format!("sqlite://{}", file.display()))
            .await
            .unwrap();
        assert_eq!(db.schema().await.unwrap().stored, schema);
        still_works(db, &fixture).await;
        // PostgreSQL: the dump loaded into an empty database.
        if let Some(url) = common::postgres_url(&format!("upgrade_{schema}")).await {
            let fixture = Fixture::read("postgres", schema);
            let loading = Database::connect(&url).await.unwrap();
            let dump = std::fs::read_to_string(fixture_files("postgres", schema).0).unwrap();
            sqlx::raw_sql(&dump).execute(&loading.pool).await.unwrap();
            // The dump empties its connection's search path: a fresh one.
            loading.close().await;
            let db = Database::connect(&url).await.unwrap();
            assert_eq!(db.schema().await.unwrap().stored, schema);
            still_works(db, &fixture).await;
        }
    }
}

/// Writes the fixture of this build's schema: two events, answers, an
/// admin with a session, and an answer whose private link is kept.
async fn fill(db: &Database) -> Fixture {
    db.migrate().await.unwrap();
    let site = common_site(db.clone());
    let now = app::services::now();
    app::services::keys::prepare(&site, now).await.unwrap();
    for (slug, title) in [("fixture-iftar", "Iftar"), ("fixture-seminar", "Seminar")] {
        let draft = app::domain::EventDraft::titled(
            slug,
            app::domain::EventKind::Meeting,
            (app::i18n::Lang::En, title),
            "2031-03-01T18:00",
            "2031-03-01T21:00",
            "America/Toronto",
        );
        app::db::events::insert(db, &draft.validate().unwrap(), None, now)
            .await
            .unwrap();
    }
    let secret = site.device_secret().await.unwrap();
    let mut link = String::new();
    for n in 0..3 {
        let form = app::rsvp::RsvpForm {
            answer: "going".into(),
            guests: "0".into(),
            name: if n == 0 {
                NAME.into()
            } else {
                format!("Member {n}")
            },
            contact: String::new(),
            note: String::new(),
            ..Default::default()
        };
        let key = app::secrets::new_device_key(&secret);
        let submitted = app::services::rsvp::submit(&site, "fixture-iftar", &form, &key, now)
            .await
            .unwrap();
        if n == 0 {
            link = submitted.token;
        }
    }
    Fixture {
        schema: app::db::known_schema(db.backend),
        session: String::new(),
        link,
        events: 2,
        answers: 3,
    }
}

/// Makes the fixture of this build's schema in the database at `url`.
async fn make(url: &str) -> Fixture {
    let db = Database::connect(url).await.unwrap();
    let mut fixture = fill(&db).await;
    db.close().await;
    // The admin, as `create-admin` makes the first one.
    let mut admin = Command::new(env!("CARGO_BIN_EXE_yighin"))
        .args(["create-admin", "root"])
        .env("DATABASE_URL", url)
        .env("RUST_LOG", "warn")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    use std::io::Write;
    admin
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{PASSWORD}\n").as_bytes())
        .unwrap();
    assert!(admin.wait().unwrap().success());
    let db = Database::connect(url).await.unwrap();
    let site = common_site(db.clone());
    let (session, _) =
        app::services::accounts::login(&site, "root", PASSWORD, None, app::services::now())
            .await
            .unwrap();
    fixture.session = session;
    db.close().await;
    fixture
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "writes tests/fixtures/ for this build's schema"]
async fn write_fixture() {
    let schema = app::db::known_schema(Backend::Sqlite);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("fixture.db");
    let fixture = make(&format!("sqlite://{}?mode=rwc", file.display())).await;
    let target = fixture_files("sqlite", schema).0;
    let _ = std::fs::remove_file(&target);
    let db = Database::connect(&format!("sqlite://{}", file.display()))
        .await
        .unwrap();
    sqlx::query("VACUUM INTO $1")
        .bind(target.to_string_lossy().into_owned())
        .execute(&db.pool)
        .await
        .unwrap();
    db.close().await;
    fixture.write("sqlite");

    let url = common::postgres_url("fixture")
        .await
        .expect("TEST_POSTGRES_URL, for the PostgreSQL fixture");
    let fixture = make(&url).await;
    let dumped = Command::new("pg_dump")
        .args([
            "--inserts",
            "--no-owner",
            "--no-privileges",
            "--dbname",
            &url,
        ])
        .output()
        .unwrap();
    assert!(dumped.status.success(), "{dumped:?}");
    // Without psql's own commands (`\restrict`): read by the server.
    let dump: String = String::from_utf8(dumped.stdout)
        .unwrap()
        .lines()
        .filter(|line| !line.starts_with('\\'))
        .map(|line| format!("{line}\n"))
        .collect();
    std::fs::write(fixture_files("postgres", schema).0, dump).unwrap();
    fixture.write("postgres");
}
