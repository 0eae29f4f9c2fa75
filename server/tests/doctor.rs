//! `yighin doctor` on a sound configuration and on broken ones: each
//! problem said in words, and the exit status says whether there is one.

use app::db::Database;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use yighin::config::Config;
use yighin::doctor::{examine, Finding, Severity};

fn problems(findings: &[Finding]) -> Vec<String> {
    findings
        .iter()
        .filter(|f| f.severity == Severity::Problem)
        .map(|f| f.words.clone())
        .collect()
}

/// Whether a problem says `words`.
fn has_problem(findings: &[Finding], words: &str) -> bool {
    problems(findings).iter().any(|p| p.contains(words))
}

fn said(findings: &[Finding], words: &str) -> bool {
    findings.iter().any(|f| f.words.contains(words))
}

/// A migrated database in `dir/data`, as a first start leaves it.
async fn database(dir: &Path) -> Config {
    let file = dir.join("data/yighin.db");
    let config = Config::for_database(&format!("sqlite://{}", file.display()));
    config.prepare_storage().unwrap();
    let db = Database::connect(&config.database_url).await.unwrap();
    db.migrate().await.unwrap();
    db.close().await;
    config
}

#[tokio::test]
async fn a_sound_configuration_has_no_problem() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = database(dir.path()).await;
    let key = dir.path().join("client-key");
    std::fs::write(&key, "k".repeat(44)).unwrap();
    config.client_key_file = Some(key);
    config.base_url = "https://events.example.org".into();
    config.client_ip_header = Some("x-forwarded-for".parse().unwrap());
    config.backup_every_hours = 24;
    let site = dir.path().join("site");
    std::fs::create_dir_all(site.join("pkg")).unwrap();
    std::fs::write(site.join("pkg/yighin.css"), "body {}").unwrap();
    std::fs::write(site.join("pkg/yighin.js"), "").unwrap();
    config.site_root = Some(site);
    config.onion_url = Some(format!("http://{}.onion", "a".repeat(56)));
    let findings = examine(&config, app::services::now()).await;
    assert_eq!(problems(&findings), Vec::<String>::new(), "{findings:#?}");
    assert!(said(&findings, "the site's files are read from"));
    assert!(said(&findings, "Onion-Location"));
    assert!(said(&findings, "over https"));
    assert!(said(&findings, "GiB free"));
    assert!(said(&findings, "its schema"));
}

#[tokio::test]
async fn broken_configurations_are_said_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = database(dir.path()).await;
    config.base_url = "http://events.example.org".into();
    config.listen = "0.0.0.0:3000".parse().unwrap();
    config.client_ip_header = Some("x-forwarded-for".parse().unwrap());
    let key = dir.path().join("short-key");
    std::fs::write(&key, "too short").unwrap();
    config.client_key_file = Some(key);
    config.backup_to = Some("age1notakey".into());
    config.site_root = Some(dir.path().join("no-site"));
    config.onion_url = Some(format!("http://{}.onion", "a".repeat(56)));
    config.onion_listen = "0.0.0.0:3080".parse().unwrap();
    let folder = dir.path().join("data");
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).unwrap();
    // A change stored an hour ahead of this machine's clock.
    let db = Database::connect(&config.database_url).await.unwrap();
    let draft = app::domain::EventDraft::titled(
        "ahead",
        app::domain::EventKind::Meeting,
        (app::i18n::Lang::En, "Ahead"),
        "2030-01-01T18:00",
        "2030-01-01T20:00",
        "America/Toronto",
    );
    let ahead = app::services::now() + 3600;
    app::db::events::insert(&db, &draft.validate().unwrap(), None, ahead)
        .await
        .unwrap();
    db.close().await;

    let findings = examine(&config, app::services::now()).await;
    for words in [
        "is not https",
        "reachable without the proxy",
        "fewer than 32 characters",
        "not an age public key",
        "can be read by other users",
        "clock is 60 minutes behind",
        "no site files",
        "reachable from the network: anyone could reach it around Tor",
    ] {
        assert!(has_problem(&findings, words), "{words}: {findings:#?}");
    }

    // Behind a proxy without the client's header.
    let mut config = database(dir.path()).await;
    config.base_url = "https://events.example.org".into();
    let findings = examine(&config, app::services::now()).await;
    assert!(
        has_problem(&findings, "every member would count as the proxy"),
        "{findings:#?}"
    );

    // A database out of reach.
    let mut config = Config::for_database("postgres://nobody@127.0.0.1:1/none");
    config.base_url = "https://events.example.org".into();
    config.client_ip_header = Some("x-forwarded-for".parse().unwrap());
    let findings = examine(&config, app::services::now()).await;
    assert!(has_problem(&findings, "cannot be reached"), "{findings:#?}");
}

#[test]
fn the_command_exits_with_1_on_a_problem() {
    let dir = tempfile::tempdir().unwrap();
    let run = |base: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_yighin"))
            .arg("doctor")
            .env(
                "DATABASE_URL",
                format!("sqlite://{}", dir.path().join("none-yet.db").display()),
            )
            .env("YIGHIN_BASE_URL", base)
            .env("RUST_LOG", "error")
            .output()
            .unwrap()
    };
    let fine = run("http://127.0.0.1:3000");
    assert!(fine.status.success(), "{fine:?}");
    assert!(String::from_utf8_lossy(&fine.stdout).contains("the first start makes it"));
    let broken = run("http://events.example.org");
    assert_eq!(broken.status.code(), Some(1), "{broken:?}");
    assert!(String::from_utf8_lossy(&broken.stdout).contains("PROBLEM"));
}
