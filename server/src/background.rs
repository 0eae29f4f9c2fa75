//! Work the server does on its own, on a schedule: following settings an
//! admin changed on another app server, sweeping rate-limit counts and
//! expired sessions, deleting personal data past its time. Started in one
//! place ([`start`]), stopped with the server ([`Tasks::stop`]).

use crate::config::Config;
use app::db::Backend;
use app::services::Site;
use std::future::Future;
use std::time::Duration;
use tokio::task::JoinHandle;

/// The scheduled tasks of one server.
pub struct Tasks(Vec<JoinHandle<()>>);

impl Tasks {
    /// Stops them all (a task in the middle of its work is cut short; each
    /// runs in a transaction, so nothing is left half done).
    pub fn stop(self) {
        for task in self.0 {
            task.abort();
        }
    }
}

/// Runs `work` now and then every `period`, logging (never stopping on) a
/// failure.
fn every<F, Fut, E>(site: &Site, period: Duration, what: &'static str, work: F) -> JoinHandle<()>
where
    F: Fn(Site) -> Fut + Send + 'static,
    Fut: Future<Output = Result<(), E>> + Send,
    E: std::fmt::Display,
{
    let site = site.clone();
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(period);
        loop {
            ticks.tick().await;
            if let Err(error) = work(site.clone()).await {
                tracing::warn!(%error, "{what} failed");
            }
        }
    })
}

/// Starts the server's scheduled work.
pub fn start(site: &Site, config: &Config) -> Tasks {
    let tasks = vec![
        // Copies of the database: taken when asked, deleted past the
        // retention period (the copies taken before upgrades among them).
        copies(site, config),
        // Settings an admin changes on another app server reach this one.
        every(
            site,
            Duration::from_secs(30),
            "reloading the instance settings",
            |site| async move { app::services::organise::apply_stored_settings(&site).await },
        ),
        // Rate-limit counts past their window and expired sessions.
        every(
            site,
            Duration::from_secs(60),
            "deleting expired counts and sessions",
            |site| async move {
                // A writer key past its quarter hour goes within a minute.
                site.retire_old_answer_sealer();
                app::services::limits::sweep(&site, app::services::now()).await
            },
        ),
        // Personal data past its time: at start and every hour.
        every(
            site,
            Duration::from_secs(3600),
            "deleting expired personal data",
            |site| async move {
                app::services::purge(&site, app::services::now())
                    .await
                    .map(|_| ())
            },
        ),
        // Answers an app server of an earlier version wrote in plain text
        // while this one already ran (during an upgrade of several).
        every(
            site,
            Duration::from_secs(3600),
            "sealing answers stored in plain text",
            |site| async move { app::services::keys::seal_plain_answers(&site).await },
        ),
    ];
    Tasks(tasks)
}

/// Every hour, the copies past the retention period are deleted; with
/// `YIGHIN_BACKUP_EVERY_HOURS`, a copy is taken that often (the first one
/// hour after the start, so that restarts do not pile them up).
fn copies(site: &Site, config: &Config) -> JoinHandle<()> {
    let Some(dir) = crate::backups::folder(config).filter(|_| site.db.backend == Backend::Sqlite)
    else {
        return tokio::spawn(async {});
    };
    let every_hours = config.backup_every_hours;
    let recipient = config.backup_to.clone();
    let hours = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    every(
        site,
        Duration::from_secs(3600),
        "taking or deleting copies of the database",
        move |site| {
            let (dir, recipient) = (dir.clone(), recipient.clone());
            // Hours since the start: 0 on the first run, at the start.
            let hour = hours.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            async move {
                let now = app::services::now();
                if copy_due(hour, every_hours) {
                    crate::backups::take(&site.db, &dir, None, recipient.as_deref(), now)
                        .await
                        .map_err(|e| e.to_string())?;
                }
                let keep_days = site.settings().retention_days;
                crate::backups::prune(&dir, keep_days, now).map_err(|e| e.to_string())?;
                Ok::<(), String>(())
            }
        },
    )
}

/// Whether a copy is taken `hour` hours after the start, one every
/// `every_hours` (0: never), none at the start itself.
fn copy_due(hour: u64, every_hours: u64) -> bool {
    every_hours > 0 && hour > 0 && hour.is_multiple_of(every_hours)
}

#[cfg(test)]
mod tests {
    #[test]
    fn copies_are_due_every_so_many_hours_after_the_start() {
        let due = |every| {
            (0..=48)
                .filter(|h| super::copy_due(*h, every))
                .collect::<Vec<_>>()
        };
        assert_eq!(due(24), [24, 48]);
        assert_eq!(due(12), [12, 24, 36, 48]);
        assert!(due(0).is_empty());
    }
}
