//! New answers that arrive together, stored together.
//!
//! Answers to one event are stored one at a time under its lock. Alone, an
//! answer pays for a whole transaction: on SQLite each statement is a
//! round trip to the connection's own thread (begin, the event's lock, the
//! insert, commit, and the seats when it gets one), on PostgreSQL its
//! commit waits for the disk. A burst of answers waits in this line; each
//! turn takes the answers waiting then, and those to one event go into one
//! transaction under the event's lock (one lock and one commit for all),
//! each placed in the order it arrived, as if it had come alone. Answers
//! to other events are stored beside them, in transactions of their own.
//! If a transaction fails, each answer in it is tried alone, so that a
//! failure is its own answer's; if the database is out of reach, every
//! answer in it is told so at once (503, try again). An answer whose
//! request was given up while it waited (the member's connection dropped)
//! is not stored: no one would get its private link or its device's key.

use super::seats::{create_alone, create_together, NewRsvp, Placed, Stored};
use crate::db::{Database, DbError, DbResult};
use tokio::sync::{mpsc, oneshot};

/// Answers taken into one transaction at most.
const MOST_TOGETHER: usize = 64;

type Reply = oneshot::Sender<DbResult<Placed<Stored>>>;

/// One answer waiting: its event, itself, and where its outcome goes.
type Waiting = (i64, NewRsvp, Reply);

#[derive(Clone, Debug)]
pub struct AnswerLine(mpsc::UnboundedSender<Waiting>);

impl AnswerLine {
    /// The line of `db` (which must not itself have one: the line's own
    /// work goes straight to the database), served by a task of its own
    /// until every copy of the line is gone.
    pub(crate) fn start(db: Database) -> AnswerLine {
        let (sender, receiver) = mpsc::unbounded_channel();
        tokio::spawn(serve(db, receiver));
        AnswerLine(sender)
    }

    /// Stores `new` in its turn; alone, should the line have stopped.
    pub(crate) async fn store(
        &self,
        db: &Database,
        event_id: i64,
        new: NewRsvp,
    ) -> DbResult<Placed<Stored>> {
        let (reply, outcome) = oneshot::channel();
        if let Err(refused) = self.0.send((event_id, new, reply)) {
            let (event_id, new, _) = refused.0;
            return create_alone(db, event_id, new).await;
        }
        outcome.await.map_err(|_| unavailable())?
    }
}

fn unavailable() -> DbError {
    DbError::Unavailable(sqlx::Error::PoolClosed)
}

async fn serve(db: Database, mut line: mpsc::UnboundedReceiver<Waiting>) {
    while let Some(first) = line.recv().await {
        let mut waiting = vec![first];
        while waiting.len() < MOST_TOGETHER {
            match line.try_recv() {
                Ok(next) => waiting.push(next),
                Err(_) => break,
            }
        }
        // Given up while waiting: not stored.
        waiting.retain(|(_, _, reply)| !reply.is_closed());
        // Each event's answers in the order they came; the events side by
        // side (on PostgreSQL each under its own row lock).
        let mut by_event: Vec<(i64, Vec<(NewRsvp, Reply)>)> = Vec::new();
        for (event_id, new, reply) in waiting {
            match by_event.iter_mut().find(|(id, _)| *id == event_id) {
                Some((_, answers)) => answers.push((new, reply)),
                None => by_event.push((event_id, vec![(new, reply)])),
            }
        }
        let mut turns = tokio::task::JoinSet::new();
        for (event_id, answers) in by_event {
            turns.spawn(store_together(db.clone(), event_id, answers));
        }
        // A turn that panicked has dropped its replies: its answers are
        // told "unavailable", and the line goes on.
        while turns.join_next().await.is_some() {}
    }
}

/// Stores answers to one event together, and tells each how it went.
async fn store_together(db: Database, event_id: i64, waiting: Vec<(NewRsvp, Reply)>) {
    let (answers, replies): (Vec<NewRsvp>, Vec<Reply>) = waiting.into_iter().unzip();
    match create_together(&db, event_id, &answers).await {
        Ok(placed) => {
            for (reply, placed) in replies.into_iter().zip(placed) {
                let _ = reply.send(Ok(placed));
            }
        }
        Err(error) if answers.len() == 1 => {
            if let Some(reply) = replies.into_iter().next() {
                let _ = reply.send(Err(error));
            }
        }
        // Out of reach (a failed commit among the ways): nothing is tried
        // again, each answer is told at once.
        Err(error) if error.is_unavailable() => {
            for reply in replies {
                let _ = reply.send(Err(unavailable()));
            }
        }
        Err(_) => {
            for (reply, new) in replies.into_iter().zip(answers) {
                if !reply.is_closed() {
                    let _ = reply.send(create_alone(&db, event_id, new).await);
                }
            }
        }
    }
}
