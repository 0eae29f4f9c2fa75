//! An event's RSVP rules: whether it takes answers, until when, with
//! approval, with counts shown. Changed only under the event's lock
//! ([`super::EventLock::set_rules`]).

use super::*;
use sqlx::AnyConnection;

/// The RSVP rules of one event.
#[derive(Clone, Debug)]
pub struct RsvpRules {
    pub event_id: i64,
    pub open: bool,
    pub deadline: Option<i64>,
    pub approval_required: bool,
    pub hide_counts: bool,
    /// See [`crate::db::events::EventRow::count_threshold`].
    pub count_threshold: i64,
    pub ends_at: i64,
    /// Neither postponed (its date no longer holds) nor cancelled.
    pub scheduled: bool,
}

impl RsvpRules {
    /// Whether new answers or changes are accepted at `now`: not for a
    /// postponed event (no one can say yet whether they will come) nor a
    /// cancelled one.
    pub fn accepting(&self, now: i64) -> bool {
        self.open && self.scheduled && now < self.ends_at && self.deadline.is_none_or(|d| now < d)
    }
}

pub(super) const RULES_QUERY: &str =
    "SELECT id, rsvp_open, rsvp_deadline, approval_required, hide_counts, \
     count_threshold, ends_at, status FROM events WHERE id = $1";

/// Takes an event's lock (see [`super::lock`]) and reads its rules and
/// seats, in one statement: the event named by its id, or by the slug of
/// its address (a member's new answer, which then needs no statement of
/// its own to find the event). Only the locked row's columns: on
/// PostgreSQL a statement that waited for the lock sees that row as it is
/// now, but any other table as it was when the statement began.
macro_rules! lock_with_rules {
    ($column:literal) => {
        concat!(
            "UPDATE events SET seats_taken = seats_taken WHERE ",
            $column,
            " = $1 RETURNING id, rsvp_open, rsvp_deadline, approval_required, hide_counts, \
             count_threshold, ends_at, status, seats_taken, capacity"
        )
    };
}
pub(super) const LOCK_WITH_RULES: &str = lock_with_rules!("id");
pub(super) const LOCK_WITH_RULES_BY_SLUG: &str = lock_with_rules!("slug");

/// An event's seats as read under its lock: taken, and how many there are
/// (`None`: no limit).
#[derive(Clone, Copy, Debug)]
pub(super) struct Seats {
    pub taken: i64,
    pub capacity: Option<i64>,
}

impl Seats {
    /// Where a new answer lands with these seats (read under the event's
    /// lock, and kept up to date by this: a confirmed party's seats count
    /// as taken for the answers after it).
    pub fn place(&mut self, rules: &RsvpRules, input: &RsvpInput) -> RsvpState {
        match landing(rules, input) {
            Landing::Settled(state) => state,
            Landing::NeedsSeats(seats) if self.fit(seats) => {
                self.taken += seats;
                RsvpState::Confirmed
            }
            Landing::NeedsSeats(_) => RsvpState::Waitlisted,
        }
    }

    fn fit(&self, seats: i64) -> bool {
        self.capacity
            .is_none_or(|capacity| self.taken + seats <= capacity)
    }
}

/// Where a new or requeued answer lands before seats are counted.
pub(super) enum Landing {
    /// Nowhere that holds a seat: not going, or waiting for approval.
    Settled(RsvpState),
    /// Confirmed if this many seats are free, else on the waitlist.
    NeedsSeats(i64),
}

pub(super) fn landing(rules: &RsvpRules, input: &RsvpInput) -> Landing {
    if input.answer != Answer::Going {
        Landing::Settled(RsvpState::Confirmed)
    } else if rules.approval_required {
        Landing::Settled(RsvpState::Pending)
    } else {
        Landing::NeedsSeats(input.seats())
    }
}

pub(super) fn seats_from(row: &AnyRow) -> DbResult<Seats> {
    Ok(Seats {
        taken: row.try_get("seats_taken")?,
        capacity: row.try_get("capacity")?,
    })
}

pub(super) fn rules_from(row: &AnyRow) -> DbResult<RsvpRules> {
    let status: String = row.try_get("status")?;
    Ok(RsvpRules {
        event_id: row.try_get("id")?,
        open: row.try_get::<i64, _>("rsvp_open")? != 0,
        deadline: row.try_get("rsvp_deadline")?,
        approval_required: row.try_get::<i64, _>("approval_required")? != 0,
        hide_counts: row.try_get::<i64, _>("hide_counts")? != 0,
        count_threshold: row.try_get("count_threshold")?,
        ends_at: row.try_get("ends_at")?,
        scheduled: status == "scheduled",
    })
}

/// The rules as they are now, for showing them. Anything that acts on them
/// reads them again under the event's lock ([`EventLock::rules`]).
pub async fn rules(db: &Database, event_id: i64) -> DbResult<Option<RsvpRules>> {
    let row = sqlx::query(RULES_QUERY)
        .bind(event_id)
        .fetch_optional(&db.pool)
        .await?;
    row.as_ref().map(rules_from).transpose()
}

/// How many hours before its start a new event reminds its members.
pub const DEFAULT_REMINDER_HOURS: i64 = 24;

/// RSVP rules as an organiser sets them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RulesInput {
    pub open: bool,
    pub deadline: Option<i64>,
    /// Ignored for a sensitive event, which always needs approval.
    pub approval_required: bool,
    pub hide_counts: bool,
    /// See [`crate::db::events::EventRow::count_threshold`].
    pub count_threshold: i64,
    /// See [`crate::db::events::EventRow::reveal_hours`].
    pub reveal_hours: Option<i64>,
    /// Hours before the start that members with a place are reminded
    /// (0: never).
    pub reminder_hours: i64,
}

impl Default for RulesInput {
    fn default() -> Self {
        RulesInput {
            open: false,
            deadline: None,
            approval_required: false,
            hide_counts: false,
            count_threshold: 0,
            reveal_hours: None,
            reminder_hours: DEFAULT_REMINDER_HOURS,
        }
    }
}

/// Writes an event's RSVP rules in the caller's transaction: under the
/// event's lock ([`EventLock::set_rules`]), or with the new event that no
/// one can answer yet. A sensitive event keeps needing approval whatever
/// is asked: the database never holds the other combination.
pub async fn write_rules(
    conn: &mut AnyConnection,
    event_id: i64,
    rules: &RulesInput,
) -> DbResult<()> {
    sqlx::query(
        "UPDATE events SET rsvp_open = $1, rsvp_deadline = $2, \
         approval_required = CASE WHEN sensitive = 1 THEN 1 ELSE $3 END, \
         hide_counts = $4, reveal_hours = $5, count_threshold = $6, reminder_hours = $8 \
         WHERE id = $7",
    )
    .bind(i64::from(rules.open))
    .bind(rules.deadline)
    .bind(i64::from(rules.approval_required))
    .bind(i64::from(rules.hide_counts))
    .bind(rules.reveal_hours)
    .bind(rules.count_threshold)
    .bind(event_id)
    .bind(rules.reminder_hours)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
