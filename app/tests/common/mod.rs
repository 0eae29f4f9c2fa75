//! Databases for the integration tests.

use app::db::Database;
use app::i18n::Lang;
use app::services::{Settings, Site};

/// Fresh, migrated databases: a SQLite file, and a new PostgreSQL database
/// when `TEST_POSTGRES_URL` names a server. `YIGHIN_REQUIRE_POSTGRES=1`
/// (set by the test command) turns a missing server into a failure.
pub async fn databases(name: &str) -> (Vec<Database>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("test.db").display());
    let mut dbs = vec![Database::connect(&url).await.unwrap()];
    match std::env::var("TEST_POSTGRES_URL") {
        Ok(admin_url) => {
            let admin = Database::connect(&admin_url).await.unwrap();
            let db_name = format!("yighin_{name}_{}", std::process::id());
            sqlx::query(&format!("DROP DATABASE IF EXISTS {db_name}"))
                .execute(&admin.pool)
                .await
                .unwrap();
            sqlx::query(&format!("CREATE DATABASE {db_name}"))
                .execute(&admin.pool)
                .await
                .unwrap();
            let base = admin_url.rsplit_once('/').unwrap().0;
            dbs.push(
                Database::connect(&format!("{base}/{db_name}"))
                    .await
                    .unwrap(),
            );
        }
        Err(_) => {
            assert!(
                std::env::var("YIGHIN_REQUIRE_POSTGRES").is_err(),
                "YIGHIN_REQUIRE_POSTGRES is set but TEST_POSTGRES_URL is not"
            );
            eprintln!("TEST_POSTGRES_URL not set: PostgreSQL part skipped");
        }
    }
    for db in &dbs {
        db.migrate().await.unwrap();
    }
    (dbs, dir)
}

/// A site over `db` with the defaults of a Toronto instance.
pub fn site(db: &Database) -> Site {
    Site::new(db.clone(), settings())
}

/// The settings of [`site`].
pub fn settings() -> Settings {
    Settings {
        instance_name: "Test".into(),
        default_zone: chrono_tz::America::Toronto,
        default_lang: Lang::En,
        languages: Lang::ALL.to_vec(),
        secure_cookies: false,
        base_url: "http://127.0.0.1:3000".into(),
        retention_days: 30,
        client_ip_header: None,
        onion_url: None,
        changed_at: 0,
        embed_origins: Vec::new(),
    }
}
