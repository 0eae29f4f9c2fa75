//! Copies of the database as a volunteer admin takes and restores them
//! from a shell: `yighin backup`, `yighin restore`, the copy taken before
//! an upgrade, and copies past the retention period deleted.

mod common;

use app::db::Database;
use common::said;
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const PASSWORD: &str = "a long enough password";

fn url(database: &Path) -> String {
    format!("sqlite://{}", database.display())
}

fn yighin(database: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_yighin"));
    command
        .args(args)
        .env("DATABASE_URL", url(database))
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (name, value) in env {
        command.env(name, value);
    }
    let mut child = command.spawn().unwrap();
    // Read only by `create-admin` (its password).
    let _ = child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{PASSWORD}\n").as_bytes());
    child.wait_with_output().unwrap()
}

/// `yighin restore` of an encrypted `copy` with the `identity` file.
fn restore_with(database: &Path, copy: &Path, identity: &Path) -> Output {
    let (copy, identity) = (copy.to_str().unwrap(), identity.to_str().unwrap());
    yighin(database, &["restore", copy, "--identity", identity], &[])
}

/// The copy a `backup` run says it took.
fn copy_taken(output: &Output) -> PathBuf {
    assert!(output.status.success(), "{}", said(output));
    let text = said(output);
    let line = text
        .lines()
        .find_map(|l| l.strip_prefix("copy taken: "))
        .unwrap_or_else(|| panic!("{text}"));
    PathBuf::from(line.trim())
}

/// What must survive a restore: events, answers per state, accounts,
/// sessions.
async fn contents(database: &Path) -> Vec<i64> {
    let db = Database::connect(&url(database)).await.unwrap();
    let mut counts = Vec::new();
    for query in [
        "SELECT COUNT(*) FROM events",
        "SELECT COUNT(*) FROM rsvps WHERE state = 'confirmed'",
        "SELECT COUNT(*) FROM rsvps WHERE state = 'waitlisted'",
        "SELECT COUNT(*) FROM accounts",
        "SELECT COALESCE(SUM(seats_taken), 0) FROM events",
    ] {
        counts.push(sqlx::query_scalar(query).fetch_one(&db.pool).await.unwrap());
    }
    db.close().await;
    counts
}

/// The admin signs in: the session's token.
async fn sign_in(database: &Path) -> Option<String> {
    let config = yighin::config::Config::for_database(&url(database));
    let state = yighin::start(&config).await.unwrap();
    let signed_in =
        app::services::accounts::login(&state.site, "root", PASSWORD, None, app::services::now())
            .await
            .ok()
            .map(|(token, _)| token);
    state.site.db.close().await;
    signed_in
}

/// Whether the session of `token` still signs its organiser in.
async fn session_holds(database: &Path, token: &str) -> bool {
    let config = yighin::config::Config::for_database(&url(database));
    let state = yighin::start(&config).await.unwrap();
    let session = app::services::accounts::session(&state.site, token, app::services::now())
        .await
        .unwrap();
    state.site.db.close().await;
    session.is_some()
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_copy_restores_every_event_answer_and_sign_in_after_damage() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("data/yighin.db");
    let demo = yighin(&database, &["demo"], &[]);
    assert!(demo.status.success(), "{}", said(&demo));
    let admin = yighin(&database, &["create-admin", "root"], &[]);
    assert!(admin.status.success(), "{}", said(&admin));
    let session = sign_in(&database).await.unwrap();
    let before = contents(&database).await;
    assert!(before[1] > 0 && before[2] > 0, "{before:?}");

    // A copy past the retention period (30 days by default) in the folder.
    let folder = dir.path().join("data/backups");
    std::fs::create_dir_all(&folder).unwrap();
    let stale = folder.join("yighin-20200101T000000Z.db");
    std::fs::write(&stale, b"an old copy").unwrap();
    let other = folder.join("notes.txt");
    std::fs::write(&other, b"not a copy").unwrap();

    let copy = copy_taken(&yighin(&database, &["backup"], &[]));
    assert_eq!(copy.parent().unwrap(), folder);
    assert_eq!(mode(&copy), 0o600, "readable by its owner only");
    assert!(
        !stale.exists(),
        "a copy older than the retention period is deleted"
    );
    assert!(other.exists(), "other files are left alone");

    // The database is damaged.
    std::fs::write(&database, b"not a database any more").unwrap();
    for end in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{end}", database.display()));
    }
    let refused = yighin(&database, &["restore", copy.to_str().unwrap()], &[]);
    assert!(!refused.status.success());
    assert!(
        said(&refused).contains("yighin.db exists"),
        "{}",
        said(&refused)
    );
    std::fs::rename(&database, dir.path().join("damaged.db")).unwrap();
    // A log left from the damaged database would be read into the copy.
    let stale_log = dir.path().join("data/yighin.db-wal");
    std::fs::write(&stale_log, b"an old log").unwrap();
    let refused = yighin(&database, &["restore", copy.to_str().unwrap()], &[]);
    assert!(!refused.status.success());
    assert!(
        said(&refused).contains("yighin.db-wal exists"),
        "{}",
        said(&refused)
    );
    std::fs::remove_file(&stale_log).unwrap();

    let restored = yighin(&database, &["restore", copy.to_str().unwrap()], &[]);
    assert!(restored.status.success(), "{}", said(&restored));
    assert_eq!(mode(&database), 0o600);
    assert_eq!(contents(&database).await, before);
    assert!(sign_in(&database).await.is_some());
    assert!(
        session_holds(&database, &session).await,
        "the organiser signed in before the copy still is"
    );

    // Not a copy of a Yighin database: refused, nothing put in place.
    let elsewhere = dir.path().join("elsewhere/yighin.db");
    let junk = dir.path().join("yighin-20990101T000000Z.db");
    std::fs::write(&junk, b"junk").unwrap();
    let refused = yighin(&elsewhere, &["restore", junk.to_str().unwrap()], &[]);
    assert!(!refused.status.success(), "{}", said(&refused));
    assert!(!elsewhere.exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_encrypted_copy_opens_only_with_its_identity() {
    use age::secrecy::ExposeSecret;
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("data/yighin.db");
    let demo = yighin(&database, &["demo"], &[]);
    assert!(demo.status.success(), "{}", said(&demo));
    let before = contents(&database).await;

    let identity = age::x25519::Identity::generate();
    let recipient = identity.to_public().to_string();
    let identity_file = dir.path().join("backup-key.txt");
    std::fs::write(&identity_file, identity.to_string().expose_secret()).unwrap();

    let away = dir.path().join("away");
    let copy = copy_taken(&yighin(
        &database,
        &["backup", away.to_str().unwrap()],
        &[("YIGHIN_BACKUP_TO", &recipient)],
    ));
    assert!(copy.to_string_lossy().ends_with(".db.age"), "{copy:?}");
    assert_eq!(mode(&away), 0o700, "a folder it makes is its owner's alone");
    assert_eq!(mode(&copy), 0o600);
    let bytes = std::fs::read(&copy).unwrap();
    assert!(!bytes.windows(15).any(|w| w == b"SQLite format 3"));
    let files: Vec<_> = std::fs::read_dir(&away).unwrap().collect();
    assert_eq!(files.len(), 1, "no plain copy is left beside it");

    let elsewhere = dir.path().join("restored/yighin.db");
    let without = yighin(&elsewhere, &["restore", copy.to_str().unwrap()], &[]);
    assert!(!without.status.success());
    assert!(said(&without).contains("--identity"), "{}", said(&without));
    let wrong = age::x25519::Identity::generate();
    let wrong_file = dir.path().join("wrong-key.txt");
    std::fs::write(&wrong_file, wrong.to_string().expose_secret()).unwrap();
    let with_wrong = restore_with(&elsewhere, &copy, &wrong_file);
    assert!(!with_wrong.status.success());
    assert!(!elsewhere.exists());

    let restored = restore_with(&elsewhere, &copy, &identity_file);
    assert!(restored.status.success(), "{}", said(&restored));
    assert_eq!(contents(&elsewhere).await, before);
}

/// A database at the schema before `next`, as an earlier build left it.
async fn earlier_database(database: &Path, next: i64) {
    std::fs::create_dir_all(database.parent().unwrap()).unwrap();
    let db = Database::connect(&format!("{}?mode=rwc", url(database)))
        .await
        .unwrap();
    let mut earlier = sqlx::migrate!("../app/migrations/sqlite");
    earlier.migrations = earlier
        .migrations
        .iter()
        .filter(|m| m.version < next)
        .cloned()
        .collect::<Vec<_>>()
        .into();
    earlier.run(&db.pool).await.unwrap();
    db.close().await;
}

fn folder_of(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upgrade_takes_a_copy_first_and_a_newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let latest = app::db::known_schema(app::db::Backend::Sqlite);
    let backups = dir.path().join("data/backups");

    // From before sealed answers (schema 11): a plain copy would keep
    // answers the upgrade seals, so none is taken without a key to
    // encrypt it to.
    let plain = dir.path().join("plain/yighin.db");
    earlier_database(&plain, 11).await;
    let migrated = yighin(&plain, &["migrate"], &[]);
    assert!(migrated.status.success(), "{}", said(&migrated));
    assert!(said(&migrated).contains("no copy taken before the upgrade"));
    assert!(folder_of(&dir.path().join("plain/backups")).is_empty());

    let database = dir.path().join("data/yighin.db");
    earlier_database(&database, latest).await;
    let recipient = age::x25519::Identity::generate().to_public().to_string();
    let with_key = [("YIGHIN_BACKUP_TO", recipient.as_str())];
    let migrated = yighin(&database, &["migrate"], &with_key);
    assert!(migrated.status.success(), "{}", said(&migrated));
    let copies = folder_of(&backups);
    assert_eq!(copies.len(), 1, "{copies:?}");
    assert!(
        copies[0].starts_with(&format!("yighin-before-schema-{latest}-"))
            && copies[0].ends_with(".db.age"),
        "{copies:?}"
    );
    // Migrated again: nothing to change, no copy.
    assert!(yighin(&database, &["migrate"], &with_key).status.success());
    assert_eq!(folder_of(&backups).len(), 1);
    // A key that is not one stops the start.
    let wrong = yighin(&database, &["migrate"], &[("YIGHIN_BACKUP_TO", "age1nope")]);
    assert!(!wrong.status.success());
    assert!(
        said(&wrong).contains("not an age public key"),
        "{}",
        said(&wrong)
    );

    // A newer build's schema: this one refuses it, naming the version.
    let db = Database::connect(&url(&database)).await.unwrap();
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES ($1, 'from the future', TRUE, $2, 0)",
    )
    .bind(latest + 1)
    .bind(vec![0u8; 48])
    .execute(&db.pool)
    .await
    .unwrap();
    db.close().await;
    let refused = yighin(&database, &["migrate"], &[]);
    assert!(!refused.status.success());
    assert!(
        said(&refused).contains(&format!("Yighin {} or newer", app::db::VERSION)),
        "{}",
        said(&refused)
    );

    let version = Command::new(env!("CARGO_BIN_EXE_yighin"))
        .arg("--version")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&version.stdout).trim(),
        format!("yighin {} (database schema {latest})", app::db::VERSION)
    );
}
