//! Work the server does on its own, on a schedule: following settings an
//! admin changed on another app server, sweeping rate-limit counts and
//! expired sessions, deleting personal data past its time. Started in one
//! place ([`start`]), stopped with the server ([`Tasks::stop`]).

use crate::config::Config;
use app::db::Backend;
use app::services::Site;
use std::future::Future;
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// The scheduled tasks of one server.
pub struct Tasks {
    running: Vec<JoinHandle<()>>,
    stopping: watch::Sender<bool>,
}

/// How long a task in the middle of its work (a purge, a copy) is waited
/// for when the server stops.
const STOP_WAITS_AT_MOST: Duration = Duration::from_secs(60);

impl Tasks {
    /// Stops them all: none starts its work again, and work under way (a
    /// purge, a copy) is finished, for a minute at most; then what is left
    /// is cut short (each runs in transactions, so nothing is half done).
    pub async fn stop(self) {
        let _ = self.stopping.send(true);
        for task in self.running {
            let abort = task.abort_handle();
            if tokio::time::timeout(STOP_WAITS_AT_MOST, task)
                .await
                .is_err()
            {
                abort.abort();
            }
        }
    }
}

/// Runs `work` now and then every `period`, logging (never stopping on) a
/// failure, until the server stops (work under way is finished first).
fn every<F, Fut, E>(
    site: &Site,
    stopping: &watch::Sender<bool>,
    period: Duration,
    what: &'static str,
    work: F,
) -> JoinHandle<()>
where
    F: Fn(Site) -> Fut + Send + 'static,
    Fut: Future<Output = Result<(), E>> + Send,
    E: std::fmt::Display,
{
    let site = site.clone();
    let mut stopping = stopping.subscribe();
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(period);
        loop {
            tokio::select! {
                _ = ticks.tick() => {}
                _ = stopping.wait_for(|stop| *stop) => break,
            }
            if let Err(error) = work(site.clone()).await {
                tracing::warn!(%error, "{what} failed");
            }
        }
    })
}

/// Starts the server's scheduled work.
pub fn start(site: &Site, config: &Config) -> Tasks {
    let (stopping, _) = watch::channel(false);
    let mut running = vec![
        // Settings an admin changes on another app server reach this one.
        every(
            site,
            &stopping,
            Duration::from_secs(30),
            "reloading the instance settings",
            |site| async move { app::services::organise::apply_stored_settings(&site).await },
        ),
        // Rate-limit counts past their window and expired sessions.
        every(
            site,
            &stopping,
            Duration::from_secs(60),
            "deleting expired counts and sessions",
            |site| async move {
                // A writer key past its quarter hour goes within a minute.
                site.retire_old_answer_sealer();
                app::services::limits::sweep(&site, app::services::now()).await
            },
        ),
        // Reminders, and sensitive events' places shown, when their hour
        // comes (each given once, whichever app server comes first).
        every(
            site,
            &stopping,
            Duration::from_secs(60),
            "giving the notices that are due",
            |site| async move {
                app::services::notices::give_due(&site, app::services::now())
                    .await
                    .map(drop)
            },
        ),
        // Members' email addresses go as their event ends (a task of its
        // own: nothing else's failure keeps them).
        every(
            site,
            &stopping,
            Duration::from_secs(60),
            "deleting the email addresses of events that ended",
            |site| async move {
                app::services::outbox::forget_ended(&site, app::services::now())
                    .await
                    .map(drop)
            },
        ),
        // Personal data past its time: at start and every hour.
        every(
            site,
            &stopping,
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
            &stopping,
            Duration::from_secs(3600),
            "sealing answers stored in plain text",
            |site| async move { app::services::keys::seal_plain_answers(&site).await },
        ),
    ];
    // Copies of the database: taken when asked, deleted past the
    // retention period (the copies taken before upgrades among them).
    running.extend(copies(site, &stopping, config));
    running.extend(emails(site, &stopping, config));
    Tasks { running, stopping }
}

/// With a mail server, the outbox's emails are sent every few seconds.
fn emails(site: &Site, stopping: &watch::Sender<bool>, config: &Config) -> Option<JoinHandle<()>> {
    let mailer = config.mailer().ok().flatten()?;
    let (per_hour, lease) = (config.mails_per_hour, config.mail_lease_seconds);
    Some(every(
        site,
        stopping,
        Duration::from_secs(5),
        "sending emails",
        move |site| {
            let mailer = mailer.clone();
            async move {
                crate::outbox::send_due(&site, &mailer, per_hour, lease)
                    .await
                    .map(drop)
            }
        },
    ))
}

/// Every hour, the copies past the retention period are deleted; with
/// `YIGHIN_BACKUP_EVERY_HOURS`, a copy is taken once the newest one is
/// that old.
fn copies(site: &Site, stopping: &watch::Sender<bool>, config: &Config) -> Option<JoinHandle<()>> {
    let dir = crate::backups::folder(config).filter(|_| site.db.backend == Backend::Sqlite)?;
    let every_hours = config.backup_every_hours;
    let recipient = config.backup_to.clone();
    Some(every(
        site,
        stopping,
        Duration::from_secs(3600),
        "taking or deleting copies of the database",
        move |site| {
            let (dir, recipient) = (dir.clone(), recipient.clone());
            async move {
                let now = app::services::now();
                // Deleting comes first: a copy that cannot be taken must
                // not keep the old ones alive.
                let keep_days = site.settings().retention_days;
                crate::backups::prune(&dir, keep_days, now).map_err(|e| e.to_string())?;
                let newest = crate::backups::newest(&dir).map_err(|e| e.to_string())?;
                if copy_due(newest, every_hours, now) {
                    crate::backups::take(&site.db, &dir, None, recipient.as_deref(), now)
                        .await
                        .map_err(|e| e.to_string())?;
                }
                Ok::<(), String>(())
            }
        },
    ))
}

/// Whether a copy is due at `now`, one every `every_hours` (0: never),
/// judged by the newest copy in the folder (so that restarts neither skip
/// nor pile them up).
fn copy_due(newest: Option<i64>, every_hours: u64, now: i64) -> bool {
    let every = every_hours as i64 * 3600;
    every > 0 && newest.is_none_or(|taken| now - taken >= every)
}

#[cfg(test)]
mod tests {
    use super::copy_due;

    #[test]
    fn a_copy_is_due_once_the_newest_is_as_old_as_the_interval() {
        let now = 1_800_000_000;
        assert!(copy_due(None, 24, now));
        assert!(!copy_due(Some(now - 23 * 3600), 24, now));
        assert!(copy_due(Some(now - 24 * 3600), 24, now));
        assert!(!copy_due(None, 0, now), "0: never");
    }
}
