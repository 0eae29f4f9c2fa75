//! The database: one pool over SQLite or PostgreSQL, chosen by URL.
//!
//! Queries are written once with `$n` placeholders, which both backends
//! accept through sqlx's `Any` driver; where the dialects differ the code
//! branches on [`Backend`].

pub mod accounts;
pub mod audit;
pub mod events;
pub mod instance_values;
pub mod line;
pub mod member_feeds;
pub mod notices;
pub mod organisation_key;
pub mod outbox;
pub mod posters;
pub mod rate_counts;
pub mod rsvps;
pub mod sessions;

use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Executor};
use std::time::Duration;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone, Debug)]
pub struct Database {
    pub pool: AnyPool,
    pub backend: Backend,
    /// Where write transactions go. On SQLite one connection: a writer
    /// then waits its turn in the pool's queue and starts the moment the
    /// one before commits, instead of sleeping in SQLite's busy handler
    /// and waking late, while the write lock stands idle. On PostgreSQL,
    /// which locks rows, the same pool as everything else.
    writer: AnyPool,
    /// Changes committed through this process that public pages show (an
    /// event stored, an answer, a change under an event's lock: see
    /// [`rsvps::EventLock::commit`]), counted so that what is kept in
    /// memory knows at once when it is out of date.
    changes: std::sync::Arc<std::sync::atomic::AtomicU64>,
    /// Where new answers wait to be stored together.
    answer_line: Option<rsvps::AnswerLine>,
    /// Where the answer limit's hits wait to be counted together.
    count_line: Option<rate_counts::CountLine>,
}

fn migrator(backend: Backend) -> sqlx::migrate::Migrator {
    match backend {
        Backend::Sqlite => sqlx::migrate!("./migrations/sqlite"),
        Backend::Postgres => sqlx::migrate!("./migrations/postgres"),
    }
}

/// The newest schema version this build has for `backend` (its last
/// migration's number; the same on both backends).
pub fn known_schema(backend: Backend) -> i64 {
    migrator(backend)
        .iter()
        .map(|migration| migration.version)
        .max()
        .unwrap_or(0)
}

/// Database failures, by kind rather than by constraint name.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("a row with the same unique value exists")]
    Conflict,
    #[error("no such row")]
    NotFound,
    #[error("unsupported database URL (use sqlite: or postgres:)")]
    UnsupportedUrl,
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
    /// The database cannot be reached (restarting, overloaded, gone): the
    /// request may succeed if tried again shortly.
    #[error("database unavailable: {0}")]
    Unavailable(sqlx::Error),
    #[error(transparent)]
    Sqlx(sqlx::Error),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// The database was migrated by a newer build than this one: running
    /// this build on it could lose what the newer schema holds.
    #[error(
        "the database's schema is version {stored}, newer than this build of Yighin ({}) knows \
         (version {known}): run {} instead",
        VERSION,
        match .written_by { Some(v) => format!("Yighin {v} or newer"), None => "the newer Yighin that migrated it".into() }
    )]
    SchemaTooNew {
        stored: i64,
        known: i64,
        written_by: Option<String>,
    },
}

/// This build's version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The instance value naming the version that last migrated the database.
const SCHEMA_WRITTEN_BY: &str = "schema_written_by";

/// Where a database's schema stands against this build's: the newest
/// migration applied to it (0 for an empty database) and the newest this
/// build has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Schema {
    pub stored: i64,
    pub known: i64,
}

impl Schema {
    /// Every migration this build has is applied, and none it lacks.
    pub fn is_current(&self) -> bool {
        self.stored == self.known
    }

    /// A database with data whose schema this build will change.
    pub fn will_upgrade(&self) -> bool {
        self.stored > 0 && self.stored < self.known
    }
}

impl From<sqlx::Error> for DbError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::Database(d) if d.kind() == sqlx::error::ErrorKind::UniqueViolation => {
                DbError::Conflict
            }
            _ if unreachable(&e) => DbError::Unavailable(e),
            _ => DbError::Sqlx(e),
        }
    }
}

/// Whether a failure means the database could not be reached or is going
/// away, rather than that a query was wrong: no free connection in time, a
/// closed pool, a broken connection, PostgreSQL's connection errors (class
/// 08) and shutdown states (57P01–57P05), SQLite still busy after its
/// timeout.
fn unreachable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(d) => d
            .code()
            .is_some_and(|code| code.starts_with("08") || code.starts_with("57P") || code == "5"),
        _ => false,
    }
}

impl DbError {
    /// The database is away for now: answer 503, not 500.
    pub fn is_unavailable(&self) -> bool {
        matches!(self, DbError::Unavailable(_))
    }
}

pub type DbResult<T> = Result<T, DbError>;

/// Reads a text column that names one of a fixed set of values (a kind, a
/// state, a language), refusing any other text.
pub(crate) fn get_named<T>(
    row: &sqlx::any::AnyRow,
    column: &str,
    parse: impl FnOnce(&str) -> Option<T>,
) -> sqlx::Result<T> {
    use sqlx::Row;
    let text: String = row.try_get(column)?;
    parse(&text).ok_or_else(|| sqlx::Error::ColumnDecode {
        index: column.into(),
        source: format!("unknown value {text:?}").into(),
    })
}

impl Database {
    /// Connects; a SQLite file is created if missing and put in WAL mode.
    pub async fn connect(url: &str) -> DbResult<Database> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(DbError::UnsupportedUrl);
        };
        let (pool, writer) = match backend {
            Backend::Sqlite => {
                let url = if url.contains('?') {
                    url.to_string()
                } else {
                    format!("{url}?mode=rwc")
                };
                // Writers queue for SQLite's one write lock: a burst of
                // answers may wait several seconds for a connection.
                let sqlite = |connections| {
                    AnyPoolOptions::new()
                        .max_connections(connections)
                        .acquire_timeout(Duration::from_secs(10))
                        // A file does not drop a connection as a server
                        // can: no round trip to test one before each use.
                        .test_before_acquire(false)
                        .after_connect(|conn, _| {
                            Box::pin(async move {
                                conn.execute(sqlx::raw_sql(
                                    "PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 10000; \
                                     PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; \
                                     PRAGMA secure_delete = ON;",
                                ))
                                .await?;
                                Ok(())
                            })
                        })
                };
                let pool = sqlite(8).connect(&url).await?;
                (pool, sqlite(1).connect(&url).await?)
            }
            // Answers to one event queue on its row lock, so a burst waits
            // for a connection as it does on SQLite; while PostgreSQL
            // restarts, a request waits this long before it is answered
            // "unavailable, try again" (503), rather than hanging.
            Backend::Postgres => {
                let pool = AnyPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect(url)
                    .await?;
                (pool.clone(), pool)
            }
        };
        let mut db = Database {
            pool,
            writer,
            backend,
            changes: Default::default(),
            answer_line: None,
            count_line: None,
        };
        // The lines' own copies have none: their work goes straight to the
        // database.
        let bare = db.clone();
        db.answer_line = Some(rsvps::AnswerLine::start(bare.clone()));
        db.count_line = Some(rate_counts::CountLine::start(bare));
        Ok(db)
    }

    /// Where new answers wait to be stored together (`None` for the line's
    /// own copy, whose work goes straight to the database).
    pub fn answer_line(&self) -> Option<&rsvps::AnswerLine> {
        self.answer_line.as_ref()
    }

    /// Where hits to a rate limit wait to be counted together (`None` for
    /// the line's own copy).
    pub fn count_line(&self) -> Option<&rate_counts::CountLine> {
        self.count_line.as_ref()
    }

    /// Closes every connection, waiting for those in use (on SQLite the
    /// writer's too, so that the file is no longer held open).
    pub async fn close(&self) {
        self.pool.close().await;
        self.writer.close().await;
    }

    /// The pool for a write that is not in a transaction of its own (a
    /// count, say): on SQLite the one writer connection that write
    /// transactions take too.
    pub fn writer(&self) -> &AnyPool {
        &self.writer
    }

    /// How many changes public pages show this process has committed.
    pub fn changes(&self) -> u64 {
        self.changes.load(std::sync::atomic::Ordering::Acquire)
    }

    /// Counts a change public pages show, once it is committed.
    pub fn note_change(&self) {
        self.changes
            .fetch_add(1, std::sync::atomic::Ordering::Release);
    }

    /// Applies the migrations this build has and the database lacks;
    /// refuses a database a newer build migrated (naming that build).
    pub async fn migrate(&self) -> DbResult<()> {
        let schema = self.schema().await?;
        if schema.stored > schema.known {
            return Err(DbError::SchemaTooNew {
                stored: schema.stored,
                known: schema.known,
                written_by: instance_values::stored_value(self, SCHEMA_WRITTEN_BY)
                    .await
                    .ok()
                    .flatten(),
            });
        }
        migrator(self.backend).run(&self.pool).await?;
        if !schema.is_current() {
            instance_values::store_value(self, SCHEMA_WRITTEN_BY, VERSION).await?;
        }
        Ok(())
    }

    /// Where the database's schema stands against this build's.
    pub async fn schema(&self) -> DbResult<Schema> {
        let known = known_schema(self.backend);
        let tables = match self.backend {
            Backend::Sqlite => {
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'"
            }
            Backend::Postgres => {
                "SELECT COUNT(*) FROM pg_tables WHERE tablename = '_sqlx_migrations'"
            }
        };
        let exists: i64 = sqlx::query_scalar(tables).fetch_one(&self.pool).await?;
        // No table of migrations: nothing was ever applied.
        let stored = if exists == 0 {
            0
        } else {
            sqlx::query_scalar::<_, Option<i64>>(
                "SELECT MAX(version) FROM _sqlx_migrations WHERE success = TRUE",
            )
            .fetch_one(&self.pool)
            .await?
            .unwrap_or(0)
        };
        Ok(Schema { stored, known })
    }

    /// After deleting personal data: on SQLite, copies the write-ahead log
    /// into the database file and empties it, so that no earlier version of
    /// a page (with the deleted text) stays in the log. (`secure_delete`,
    /// on for every connection, has already zeroed the freed space.)
    ///
    /// A checkpoint cannot finish while another connection reads an older
    /// snapshot, so it is tried again (for up to a minute) until SQLite
    /// reports it complete; `false` if it never did.
    pub async fn flush_deleted(&self) -> DbResult<bool> {
        if self.backend != Backend::Sqlite {
            return Ok(true);
        }
        for attempt in 0..60 {
            if self.checkpoint().await? {
                return Ok(true);
            }
            tracing::debug!(attempt, "write-ahead log busy; checkpoint tried again");
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
        Ok(false)
    }

    /// On SQLite, one attempt at copying the write-ahead log into the
    /// database file and emptying it (see [`Database::flush_deleted`]);
    /// true when it was done.
    pub async fn checkpoint(&self) -> DbResult<bool> {
        if self.backend != Backend::Sqlite {
            return Ok(true);
        }
        // (busy, frames in the log, frames copied): busy 0 means the log
        // was copied in full and truncated.
        let row = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .fetch_one(&self.pool)
            .await?;
        Ok(sqlx::Row::try_get::<i64, _>(&row, 0)? == 0)
    }

    /// A write transaction. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`), so that two of them never deadlock upgrading a
    /// read lock; on PostgreSQL rows are locked as they are written.
    pub async fn begin_write(&self) -> DbResult<sqlx::Transaction<'static, sqlx::Any>> {
        Ok(match self.backend {
            Backend::Sqlite => self.writer.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.writer.begin().await?,
        })
    }
}
