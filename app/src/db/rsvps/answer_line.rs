//! New answers that arrive together, stored together.
//!
//! Answers to one event are stored one at a time under its lock. Alone, an
//! answer pays for a whole transaction: on SQLite each statement is a
//! round trip to the connection's own thread (begin, the event's lock, the
//! insert, commit, and the seats when it gets one), on PostgreSQL its
//! commit waits for the disk. A burst of answers waits in this line; each
//! turn takes the answers waiting then, and those to one event go into one
//! transaction under the event's lock (one lock, one update of the seats
//! and one commit for all), each placed in the order it arrived, as if it
//! had come alone. Answers
//! to other events are stored beside them, in transactions of their own.
//! If a transaction fails, each answer in it is tried alone, so that a
//! failure is its own answer's; if the database is out of reach, every
//! answer in it is told so at once (503, try again). An answer whose
//! request was given up while it waited (the member's connection dropped)
//! is not stored: no one would get its private link or its device's key.

use super::seats::{create_alone, create_together, EventKey, NewRsvp, Placed, Stored};
use crate::db::line::{grouped, unavailable, Line, Reply};
use crate::db::{Database, DbError, DbResult};

/// Answers taken into one turn at most.
const MOST_TOGETHER: usize = 64;

/// One answer waiting: its event and itself.
type Waiting = (EventKey, NewRsvp);

#[derive(Clone, Debug)]
pub struct AnswerLine(Line<Waiting, Placed<Stored>>);

impl AnswerLine {
    /// The line of `db` (which must not itself have one: the line's own
    /// work goes straight to the database), served by a task of its own
    /// until every copy of the line is gone.
    pub(crate) fn start(db: Database) -> AnswerLine {
        AnswerLine(Line::start(MOST_TOGETHER, move |waiting| {
            store_turn(db.clone(), waiting)
        }))
    }

    /// Stores `new` in its turn; alone, should the line have stopped.
    pub(crate) async fn store(
        &self,
        db: &Database,
        event: EventKey,
        new: NewRsvp,
    ) -> DbResult<Placed<Stored>> {
        match self.0.take_turn((event, new)).await {
            Ok(outcome) => outcome,
            Err((event, new)) => create_alone(db, &event, new).await,
        }
    }
}

/// One turn: each event's answers in the order they came, the events side
/// by side (on PostgreSQL each under its own row lock).
async fn store_turn(db: Database, waiting: Vec<(Waiting, Reply<Placed<Stored>>)>) {
    let by_event = grouped(
        waiting
            .into_iter()
            .map(|((event, new), reply)| (event, (new, reply))),
    );
    let mut turns = tokio::task::JoinSet::new();
    for (event, answers) in by_event {
        turns.spawn(store_together(db.clone(), event, answers));
    }
    // A turn that panicked has dropped its replies: its answers are told
    // "unavailable", and the line goes on.
    while turns.join_next().await.is_some() {}
}

/// Stores answers to one event together, and tells each how it went.
async fn store_together(
    db: Database,
    event: EventKey,
    waiting: Vec<(NewRsvp, Reply<Placed<Stored>>)>,
) {
    let (answers, replies): (Vec<NewRsvp>, Vec<Reply<Placed<Stored>>>) =
        waiting.into_iter().unzip();
    match create_together(&db, &event, &answers).await {
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
        // No such event: the same for each.
        Err(DbError::NotFound) => {
            for reply in replies {
                let _ = reply.send(Err(DbError::NotFound));
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
                    let _ = reply.send(create_alone(&db, &event, new).await);
                }
            }
        }
    }
}
