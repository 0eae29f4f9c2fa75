//! A line for work that is cheaper done together: each request waits in
//! it, and each turn takes every request waiting then (up to a bound) and
//! does them at once, each told its own outcome. On SQLite every
//! statement is a round trip to the connection's own thread, on
//! PostgreSQL every commit waits for the disk; a burst pays for them once
//! a turn instead of once a request. Used for new answers (one transaction
//! per event, see `rsvps::answer_line`) and the answer limit's counts (one
//! statement a turn, see `rate_counts`).

use super::{DbError, DbResult};
use std::future::Future;
use tokio::sync::{mpsc, oneshot};

/// Where one request's outcome goes.
pub(crate) type Reply<R> = oneshot::Sender<DbResult<R>>;

/// The sending end of a line; the line runs until every copy is gone.
pub struct Line<T, R>(mpsc::UnboundedSender<(T, Reply<R>)>);

impl<T, R> Clone for Line<T, R> {
    fn clone(&self) -> Self {
        Line(self.0.clone())
    }
}

impl<T, R> std::fmt::Debug for Line<T, R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Line")
    }
}

impl<T: Send + 'static, R: Send + 'static> Line<T, R> {
    /// A line whose turns take at most `most_together` requests and hand
    /// them, in the order they came, to `turn`, which answers each.
    pub(crate) fn start<F, Fut>(most_together: usize, mut turn: F) -> Self
    where
        F: FnMut(Vec<(T, Reply<R>)>) -> Fut + Send + 'static,
        Fut: Future<Output = ()> + Send,
    {
        let (sender, mut receiver) = mpsc::unbounded_channel::<(T, Reply<R>)>();
        tokio::spawn(async move {
            while let Some(first) = receiver.recv().await {
                let mut waiting = vec![first];
                while waiting.len() < most_together {
                    match receiver.try_recv() {
                        Ok(next) => waiting.push(next),
                        Err(_) => break,
                    }
                }
                // Given up while it waited (the client's connection
                // dropped): not done, no one would learn the outcome.
                waiting.retain(|(_, reply)| !reply.is_closed());
                if !waiting.is_empty() {
                    turn(waiting).await;
                }
            }
        });
        Line(sender)
    }

    /// Waits for `work`'s turn and tells its outcome; `Err(work)` when the
    /// line has stopped, for the caller to do it alone. A turn that ended
    /// without answering (it panicked) counts as "unavailable".
    pub(crate) async fn take_turn(&self, work: T) -> Result<DbResult<R>, T> {
        let (reply, outcome) = oneshot::channel();
        if let Err(refused) = self.0.send((work, reply)) {
            return Err(refused.0 .0);
        }
        Ok(outcome.await.unwrap_or_else(|_| Err(unavailable())))
    }
}

/// `items` grouped by key, the groups in the order their first item came
/// and each group's items in the order they came.
pub(crate) fn grouped<K: PartialEq, V>(
    items: impl IntoIterator<Item = (K, V)>,
) -> Vec<(K, Vec<V>)> {
    let mut groups: Vec<(K, Vec<V>)> = Vec::new();
    for (key, item) in items {
        match groups.iter_mut().position(|(k, _)| *k == key) {
            Some(at) => groups[at].1.push(item),
            None => groups.push((key, vec![item])),
        }
    }
    groups
}

/// What every request of a turn is told when the database is out of
/// reach, or the turn ended without an answer.
pub(crate) fn unavailable() -> DbError {
    DbError::Unavailable(sqlx::Error::PoolClosed)
}
