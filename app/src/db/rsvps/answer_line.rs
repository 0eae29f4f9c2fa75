//! New answers that arrive together, stored together.
//!
//! Answers to one event are stored one at a time under its lock. Alone, an
//! answer pays for a whole transaction: on SQLite each statement is a
//! round trip to the connection's own thread (begin, the event's lock, the
//! insert, commit, and the seats when it gets one), on PostgreSQL its
//! commit waits for the disk. A burst of answers waits in this line, and
//! each turn takes every answer to the same event waiting then into one
//! transaction under the event's lock: one lock and one commit for all,
//! each answer placed in the order it arrived, as if it had come alone.
//! If that transaction fails, each answer in it is tried alone, so that a
//! failure is its own answer's.

use super::seats::{create_alone, create_together, NewRsvp, Placed, Stored};
use crate::db::{Database, DbResult};
use tokio::sync::{mpsc, oneshot};

/// Answers taken into one transaction at most.
const MOST_TOGETHER: usize = 64;

type Reply = oneshot::Sender<DbResult<Placed<Stored>>>;

/// One answer waiting: its event, itself, and where its outcome goes.
type Waiting = (i64, NewRsvp, Reply);

#[derive(Debug)]
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

    /// Stores `new` in its turn.
    pub(crate) async fn store(&self, event_id: i64, new: NewRsvp) -> DbResult<Placed<Stored>> {
        let (reply, outcome) = oneshot::channel();
        self.0
            .send((event_id, new, reply))
            .map_err(|_| crate::db::DbError::Unavailable(sqlx::Error::PoolClosed))?;
        outcome
            .await
            .map_err(|_| crate::db::DbError::Unavailable(sqlx::Error::PoolClosed))?
    }
}

async fn serve(db: Database, mut line: mpsc::UnboundedReceiver<Waiting>) {
    let mut next = None;
    loop {
        let first = match next.take() {
            Some(waiting) => waiting,
            None => match line.recv().await {
                Some(waiting) => waiting,
                None => return,
            },
        };
        let event_id = first.0;
        let mut turn = vec![first];
        while turn.len() < MOST_TOGETHER {
            match line.try_recv() {
                Ok(waiting) if waiting.0 == event_id => turn.push(waiting),
                Ok(other) => {
                    next = Some(other);
                    break;
                }
                Err(_) => break,
            }
        }
        let (answers, replies): (Vec<NewRsvp>, Vec<Reply>) =
            turn.into_iter().map(|(_, new, reply)| (new, reply)).unzip();
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
            Err(_) => {
                for (reply, new) in replies.into_iter().zip(answers) {
                    let _ = reply.send(create_alone(&db, event_id, new).await);
                }
            }
        }
    }
}
