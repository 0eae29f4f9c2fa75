//! Work the server does on its own, on a schedule: following settings an
//! admin changed on another app server, sweeping rate-limit counts and
//! expired sessions, deleting personal data past its time. Started in one
//! place ([`start`]), stopped with the server ([`Tasks::stop`]).

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
pub fn start(site: &Site) -> Tasks {
    Tasks(vec![
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
    ])
}
