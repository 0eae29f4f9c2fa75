//! Copies of a SQLite database: taken while the server runs (`yighin
//! backup`, and on a schedule with `YIGHIN_BACKUP_EVERY_HOURS`), taken
//! before an upgrade changes the schema, and restored (`yighin restore`).
//!
//! A copy holds what the database held when it was taken, names and
//! contacts among it. So a copy older than the retention period is
//! deleted (by the next copy, and by the server every hour): what the
//! purge deleted does not live on in copies longer than that. A copy is
//! readable by its owner only, and may be encrypted to an `age`
//! recipient whose key is kept away from the server.
//!
//! On PostgreSQL, `pg_dump` takes the copies (see the README).

use crate::config::Config;
use app::db::{Backend, Database, DbError};
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error(
        "copies of a PostgreSQL database are taken with pg_dump and restored with \
         pg_restore (see the README's \"Backups\")"
    )]
    Postgres,
    #[error("{0}")]
    Refused(String),
    #[error("{0}: {1}")]
    Io(String, std::io::Error),
    #[error("encryption: {0}")]
    Age(String),
    #[error(transparent)]
    Db(#[from] DbError),
}

const PREFIX: &str = "yighin-";
const TIME_FORMAT: &str = "%Y%m%dT%H%M%SZ";

/// The file a copy is written to, taken at `now`: the time is in its name,
/// and its age is judged by it (not by the file's dates, which a copy to
/// another disk changes).
fn copy_name(label: Option<&str>, now: i64, encrypted: bool) -> String {
    let time = chrono::DateTime::from_timestamp(now, 0)
        .unwrap_or_default()
        .format(TIME_FORMAT);
    let label = label.map(|l| format!("{l}-")).unwrap_or_default();
    let age = if encrypted { ".age" } else { "" };
    format!("{PREFIX}{label}{time}.db{age}")
}

/// When the copy named `name` was taken; `None` for any other file.
fn taken_at(name: &str) -> Option<i64> {
    let stem = name.strip_prefix(PREFIX)?;
    let stem = stem.strip_suffix(".db.age").or(stem.strip_suffix(".db"))?;
    let time = stem.get(stem.len().checked_sub(16)?..)?;
    chrono::NaiveDateTime::parse_from_str(time, TIME_FORMAT)
        .ok()
        .map(|t| t.and_utc().timestamp())
}

/// The SQLite file of `config`'s database (`sqlite://PATH` or
/// `sqlite:PATH`; not an in-memory one).
pub fn database_file(config: &Config) -> Option<PathBuf> {
    let url = &config.database_url;
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = path.split('?').next().unwrap_or(path);
    (!path.is_empty() && !path.starts_with(":memory:")).then(|| PathBuf::from(path))
}

/// The side files SQLite keeps beside a database while it is in use.
fn side_files(database: &Path) -> [PathBuf; 3] {
    ["-wal", "-shm", "-journal"].map(|end| {
        let mut name = database.as_os_str().to_owned();
        name.push(end);
        PathBuf::from(name)
    })
}

/// Where copies go unless told otherwise: `backups/` beside the database.
pub fn folder(config: &Config) -> Option<PathBuf> {
    if let Some(dir) = &config.backup_dir {
        return Some(dir.clone());
    }
    let file = database_file(config)?;
    Some(file.parent().unwrap_or(Path::new(".")).join("backups"))
}

fn io(what: &Path) -> impl FnOnce(std::io::Error) -> BackupError + '_ {
    move |error| BackupError::Io(what.display().to_string(), error)
}

/// Takes a consistent copy of `db` into `dir` while it is in use (SQLite's
/// `VACUUM INTO`), readable by its owner only; encrypted to `recipient`
/// (an `age` public key) when given. Returns the copy's path.
pub async fn take(
    db: &Database,
    dir: &Path,
    label: Option<&str>,
    recipient: Option<&str>,
    now: i64,
) -> Result<PathBuf, BackupError> {
    if db.backend != Backend::Sqlite {
        return Err(BackupError::Postgres);
    }
    let recipient = recipient.map(parse_recipient).transpose()?;
    // The copies in it are owner-only, whoever may read the folder.
    owner_only_folder(dir).map_err(io(dir))?;
    let plain = dir.join(copy_name(label, now, false));
    // SQLite writes into an empty file made here, so that the copy is
    // never readable by others, not even for a moment.
    owner_only_file(&plain)?;
    let written = sqlx::query("VACUUM INTO $1")
        .bind(plain.to_string_lossy().into_owned())
        .execute(&db.pool)
        .await;
    if let Err(error) = written {
        let _ = std::fs::remove_file(&plain);
        return Err(DbError::from(error).into());
    }
    let Some(recipient) = recipient else {
        return Ok(plain);
    };
    let sealed = dir.join(copy_name(label, now, true));
    let result = encrypt(&plain, &sealed, recipient);
    let _ = std::fs::remove_file(&plain);
    result.map(|()| sealed)
}

/// Makes `dir` (and the folders above it) where missing, its owner's
/// alone whatever the umask; a folder that exists is left as it is.
pub(crate) fn owner_only_folder(dir: &Path) -> std::io::Result<()> {
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

/// Makes the empty file `path`, its owner's alone whatever the umask;
/// fails if it exists.
pub(crate) fn new_owner_only_file(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
}

fn owner_only_file(path: &Path) -> Result<std::fs::File, BackupError> {
    new_owner_only_file(path).map_err(io(path))
}

/// Checks an `age` public key before it is needed (at start-up).
pub fn check_recipient(text: &str) -> Result<(), BackupError> {
    parse_recipient(text).map(|_| ())
}

fn parse_recipient(text: &str) -> Result<age::x25519::Recipient, BackupError> {
    text.trim()
        .parse()
        .map_err(|_| BackupError::Age(format!("{text:?} is not an age public key (age1…)")))
}

fn encrypt(
    plain: &Path,
    sealed: &Path,
    recipient: age::x25519::Recipient,
) -> Result<(), BackupError> {
    let encryptor =
        age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
            .map_err(|e| BackupError::Age(e.to_string()))?;
    let mut input = std::fs::File::open(plain).map_err(io(plain))?;
    let output = owner_only_file(sealed)?;
    let mut writer = encryptor
        .wrap_output(std::io::BufWriter::new(output))
        .map_err(io(sealed))?;
    std::io::copy(&mut input, &mut writer).map_err(io(sealed))?;
    writer
        .finish()
        .and_then(|mut w| w.flush())
        .map_err(io(sealed))
}

/// The copies in `dir`, with when each was taken.
fn copies(dir: &Path) -> std::io::Result<Vec<(PathBuf, i64)>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => return Err(error),
    };
    Ok(entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter_map(|path| {
            let taken = taken_at(path.file_name()?.to_str()?)?;
            Some((path, taken))
        })
        .collect())
}

/// When the newest copy in `dir` was taken, if there is one.
pub fn newest(dir: &Path) -> std::io::Result<Option<i64>> {
    Ok(copies(dir)?.into_iter().map(|(_, taken)| taken).max())
}

/// Deletes the copies in `dir` taken more than `keep_days` days before
/// `now`; returns them. One that cannot be deleted is said in the log and
/// the others are deleted all the same.
pub fn prune(dir: &Path, keep_days: i64, now: i64) -> std::io::Result<Vec<PathBuf>> {
    let oldest_kept = now - keep_days * 86_400;
    let mut deleted = Vec::new();
    for (path, taken) in copies(dir)? {
        if taken >= oldest_kept {
            continue;
        }
        match std::fs::remove_file(&path) {
            Ok(()) => deleted.push(path),
            Err(error) => tracing::error!(
                copy = %path.display(),
                %error,
                "a copy past the retention period could not be deleted"
            ),
        }
    }
    Ok(deleted)
}

/// Puts the copy `file` in place of `config`'s database, which must not
/// exist (the server stopped, a damaged file moved away): a copy this
/// build can read, decrypted with the `age` identity file when it is
/// encrypted. The next start migrates it if it is older.
pub async fn restore(
    config: &Config,
    file: &Path,
    identity: Option<&Path>,
) -> Result<PathBuf, BackupError> {
    let target = database_file(config).ok_or(BackupError::Postgres)?;
    if let Some(there) = std::iter::once(target.clone())
        .chain(side_files(&target))
        .find(|path| path.exists())
    {
        return Err(BackupError::Refused(format!(
            "{} exists: stop the server and move the database and its -wal, -shm and \
             -journal files away first; a copy is restored only into an empty place",
            there.display()
        )));
    }
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        owner_only_folder(dir).map_err(io(dir))?;
    }
    // Written beside the target under another name, checked, then renamed.
    let incoming = target.with_extension("restoring");
    let _ = std::fs::remove_file(&incoming);
    let written = write_copy(file, identity, &incoming);
    let checked = match written {
        Ok(()) => check_copy(&incoming).await,
        Err(error) => Err(error),
    };
    // A link fails if something made the database meanwhile (a server
    // started): nothing is ever written over.
    let placed = checked.and_then(|()| std::fs::hard_link(&incoming, &target).map_err(io(&target)));
    let _ = std::fs::remove_file(&incoming);
    placed.map(|()| target)
}

fn write_copy(file: &Path, identity: Option<&Path>, to: &Path) -> Result<(), BackupError> {
    let mut output = owner_only_file(to)?;
    let input = std::fs::File::open(file).map_err(io(file))?;
    let encrypted = file.extension().is_some_and(|e| e == "age");
    if !encrypted {
        std::io::copy(&mut &input, &mut output).map_err(io(to))?;
        return Ok(());
    }
    let identity = identity.ok_or_else(|| {
        BackupError::Refused(format!(
            "{} is encrypted: give the age identity file with --identity",
            file.display()
        ))
    })?;
    let unreadable =
        |e: &dyn std::fmt::Display| BackupError::Age(format!("{}: {e}", identity.display()));
    let identities = age::IdentityFile::from_file(identity.to_string_lossy().into_owned())
        .map_err(|e| unreadable(&e))?
        .into_identities()
        .map_err(|e| unreadable(&e))?;
    let decryptor = age::Decryptor::new(std::io::BufReader::new(input))
        .map_err(|e| BackupError::Age(e.to_string()))?;
    let mut reader = decryptor
        .decrypt(identities.iter().map(|i| i.as_ref() as &dyn age::Identity))
        .map_err(|e| BackupError::Age(e.to_string()))?;
    std::io::copy(&mut reader, &mut output).map_err(io(file))?;
    Ok(())
}

/// A copy this build can use: a Yighin database whose schema is not newer.
async fn check_copy(path: &Path) -> Result<(), BackupError> {
    let url = format!("sqlite://{}", path.display());
    let db = Database::connect(&url).await?;
    let intact: Result<String, _> = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&db.pool)
        .await;
    let schema = db.schema().await;
    db.close().await;
    for side in side_files(path) {
        let _ = std::fs::remove_file(side);
    }
    if intact.as_deref().ok() != Some("ok") {
        return Err(BackupError::Refused(format!(
            "{} is damaged (SQLite's integrity check fails)",
            path.display()
        )));
    }
    let schema = schema?;
    if schema.stored == 0 {
        return Err(BackupError::Refused(format!(
            "{} is not a copy of a Yighin database",
            path.display()
        )));
    }
    if schema.stored > schema.known {
        return Err(DbError::SchemaTooNew {
            stored: schema.stored,
            known: schema.known,
            written_by: None,
        }
        .into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_is_judged_by_the_time_in_its_name() {
        let now = 1_800_000_000;
        for (label, encrypted) in [(None, false), (Some("before-schema-12"), true)] {
            let name = copy_name(label, now, encrypted);
            assert_eq!(taken_at(&name), Some(now), "{name}");
        }
        assert_eq!(taken_at("yighin.db"), None);
        assert_eq!(taken_at("yighin-notes.txt"), None);
        assert_eq!(taken_at("other-20260101T000000Z.db"), None);
    }
}
