//! The seat accounting: the one locking path every change of an event's
//! answers, seats and rules goes through ([`EventLock`]), and the answers,
//! changes and decisions made under it.

use super::*;
use crate::db::notices::{self, NewNotice, Recipients};
use crate::i18n::Lang;
use crate::notices::NoticeKind;
use crate::sealing::SealedAnswer;
use sqlx::{Any, AnyConnection, Transaction};
use std::collections::HashMap;

/// What an action under the lock came to: done, or refused because the
/// event takes no answers now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Placed<T> {
    Done(T),
    Closed,
}

/// One event's answers and seats, held for one transaction. Every change
/// to them — an answer, a change, a cancellation, an approval, an
/// organiser's edit of the capacity, rules or status — goes through this
/// lock, so "is there a seat, may it be taken" and "take it" are never
/// separated by another request: on PostgreSQL the event's row stays
/// locked, on SQLite the database's write lock is held, until
/// [`EventLock::commit`] (or the lock is dropped, which undoes everything).
pub struct EventLock {
    tx: Transaction<'static, Any>,
    pub event_id: i64,
    /// The database, whose changes are counted once the transaction commits.
    db: Database,
}

/// Takes the event's lock; `NotFound` when there is no such event.
pub async fn lock(db: &Database, event_id: i64) -> DbResult<EventLock> {
    let mut tx = db.begin_write().await?;
    let locked = sqlx::query("UPDATE events SET seats_taken = seats_taken WHERE id = $1")
        .bind(event_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if locked == 0 {
        return Err(DbError::NotFound);
    }
    Ok(EventLock {
        tx,
        event_id,
        db: db.clone(),
    })
}

/// Takes the event's lock for an answer: the same lock, with the rules and
/// seats read by the statement that takes it (each statement inside the
/// lock makes the line of waiting answers longer).
async fn lock_for_answer(
    db: &Database,
    event: &EventKey,
) -> DbResult<(EventLock, RsvpRules, Seats)> {
    let mut tx = db.begin_write().await?;
    let query = match event {
        EventKey::Id(id) => sqlx::query(LOCK_WITH_RULES).bind(*id),
        EventKey::Slug(slug) => sqlx::query(LOCK_WITH_RULES_BY_SLUG).bind(slug.as_str()),
    };
    let row = query
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(DbError::NotFound)?;
    let lock = EventLock {
        tx,
        event_id: row.try_get("id")?,
        db: db.clone(),
    };
    Ok((lock, rules_from(&row)?, seats_from(&row)?))
}

impl EventLock {
    /// The connection of the transaction, for writes that must land with
    /// the rest (the event's text, an audit entry).
    pub fn conn(&mut self) -> &mut AnyConnection {
        &mut self.tx
    }

    /// Commits, and counts the change for what keeps counts in memory.
    pub async fn commit(self) -> DbResult<()> {
        self.tx.commit().await?;
        self.db.note_change();
        Ok(())
    }

    /// The rules as they stand inside the lock.
    pub async fn rules(&mut self) -> DbResult<RsvpRules> {
        let row = sqlx::query(RULES_QUERY)
            .bind(self.event_id)
            .fetch_one(&mut *self.tx)
            .await?;
        rules_from(&row)
    }

    /// Seats taken now.
    pub async fn seats_taken(&mut self) -> DbResult<i64> {
        let row = sqlx::query("SELECT seats_taken FROM events WHERE id = $1")
            .bind(self.event_id)
            .fetch_one(&mut *self.tx)
            .await?;
        Ok(row.try_get("seats_taken")?)
    }

    /// Takes `seats` if they fit in the capacity; false when they do not.
    async fn take_seats(&mut self, seats: i64) -> DbResult<bool> {
        let taken = sqlx::query(
            "UPDATE events SET seats_taken = seats_taken + $1 \
             WHERE id = $2 AND (capacity IS NULL OR seats_taken + $1 <= capacity)",
        )
        .bind(seats)
        .bind(self.event_id)
        .execute(&mut *self.tx)
        .await?
        .rows_affected();
        Ok(taken == 1)
    }

    async fn release_seats(&mut self, seats: i64) -> DbResult<()> {
        if seats > 0 {
            sqlx::query("UPDATE events SET seats_taken = seats_taken - $1 WHERE id = $2")
                .bind(seats)
                .bind(self.event_id)
                .execute(&mut *self.tx)
                .await?;
        }
        Ok(())
    }

    /// Where a new or requeued answer lands, taking its seats when it is
    /// going and may have them.
    async fn place(&mut self, rules: &RsvpRules, input: &RsvpInput) -> DbResult<RsvpState> {
        Ok(match landing(rules, input) {
            Landing::Settled(state) => state,
            Landing::NeedsSeats(seats) if self.take_seats(seats).await? => RsvpState::Confirmed,
            Landing::NeedsSeats(_) => RsvpState::Waitlisted,
        })
    }

    /// Confirms waitlisted answers, oldest first, each one that fits in the
    /// seats now free; a party too large for them keeps its place. Each
    /// one confirmed is told so, in the same transaction.
    pub async fn promote(&mut self, now: i64) -> DbResult<()> {
        let waiting = sqlx::query(
            "SELECT id, guests FROM rsvps WHERE event_id = $1 AND state = 'waitlisted' \
             ORDER BY queued_at, id",
        )
        .bind(self.event_id)
        .fetch_all(&mut *self.tx)
        .await?;
        // What those seated are told, read once (and only if one is).
        let mut told: Option<NoticeKind> = None;
        for row in waiting {
            let (id, guests): (i64, i64) = (row.try_get("id")?, row.try_get("guests")?);
            if self.take_seats(1 + guests).await? {
                sqlx::query("UPDATE rsvps SET state = 'confirmed', updated_at = $1 WHERE id = $2")
                    .bind(now)
                    .bind(id)
                    .execute(&mut *self.tx)
                    .await?;
                let kind = match told {
                    Some(kind) => kind,
                    None => *told.insert(self.seat_notice(now).await?),
                };
                notices::record_for(&mut self.tx, self.event_id, id, NewNotice::of(kind), now)
                    .await?;
            }
        }
        Ok(())
    }

    /// What a member who has just been given a seat is told: that they
    /// have one, or at a sensitive event whose place shows now, that its
    /// place is on their page.
    async fn seat_notice(&mut self, now: i64) -> DbResult<NoticeKind> {
        let row =
            sqlx::query("SELECT sensitive, reveal_hours, starts_at FROM events WHERE id = $1")
                .bind(self.event_id)
                .fetch_one(&mut *self.tx)
                .await?;
        let sensitive = row.try_get::<i64, _>("sensitive")? != 0;
        let reveal_hours: Option<i64> = row.try_get("reveal_hours")?;
        let starts_at: i64 = row.try_get("starts_at")?;
        let place_shows = reveal_hours.is_none_or(|hours| now >= starts_at - hours * 3600);
        Ok(if sensitive && place_shows {
            NoticeKind::PlaceRevealed
        } else {
            NoticeKind::Confirmed
        })
    }

    /// Writes a notice to one of the event's answers in the lock's
    /// transaction.
    pub async fn notify_one(
        &mut self,
        rsvp_id: i64,
        notice: NewNotice<'_>,
        now: i64,
    ) -> DbResult<()> {
        notices::record_for(&mut self.tx, self.event_id, rsvp_id, notice, now).await
    }

    /// Writes a notice to the event's answers that `to` matches, in the
    /// lock's transaction; returns how many it reached.
    pub async fn notify(
        &mut self,
        notice: NewNotice<'_>,
        to: Recipients,
        now: i64,
    ) -> DbResult<i64> {
        notices::record(&mut self.tx, self.event_id, notice, to, now).await
    }

    /// Sets the capacity; `Err(taken)` (and nothing changed) when it is
    /// below the seats already taken. A larger capacity confirms waitlisted
    /// answers at once, first come, first served.
    pub async fn set_capacity(
        &mut self,
        capacity: Option<i64>,
        now: i64,
    ) -> DbResult<Result<(), i64>> {
        let taken = self.seats_taken().await?;
        if capacity.is_some_and(|c| c < taken) {
            return Ok(Err(taken));
        }
        sqlx::query("UPDATE events SET capacity = $1 WHERE id = $2")
            .bind(capacity)
            .bind(self.event_id)
            .execute(&mut *self.tx)
            .await?;
        self.promote(now).await?;
        Ok(Ok(()))
    }

    /// Sets the RSVP rules (see [`write_rules`]).
    pub async fn set_rules(&mut self, rules: &RulesInput) -> DbResult<()> {
        write_rules(&mut self.tx, self.event_id, rules).await
    }

    /// When an event becomes sensitive: "going" answers that no organiser
    /// approved (all of them, since it did not need approval) wait for an
    /// approval, and their seats are free again.
    pub async fn require_vetting(&mut self, now: i64) -> DbResult<()> {
        sqlx::query(
            "UPDATE rsvps SET state = 'pending', updated_at = $2 WHERE event_id = $1 \
             AND answer = 'going' AND state IN ('confirmed', 'waitlisted') AND purged_at IS NULL",
        )
        .bind(self.event_id)
        .bind(now)
        .execute(&mut *self.tx)
        .await?;
        sqlx::query(
            "UPDATE events SET seats_taken = (SELECT CAST(COALESCE(SUM(1 + r.guests), 0) AS BIGINT) \
             FROM rsvps r WHERE r.event_id = events.id AND r.answer = 'going' \
             AND r.state = 'confirmed') WHERE id = $1",
        )
        .bind(self.event_id)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    async fn answer(&mut self, id: i64) -> DbResult<RsvpRow> {
        let sql = format!("SELECT {RSVP_COLUMNS} FROM rsvps WHERE id = $1 AND event_id = $2");
        sqlx::query_as::<_, RsvpRow>(&sql)
            .bind(id)
            .bind(self.event_id)
            .fetch_optional(&mut *self.tx)
            .await?
            .ok_or(DbError::NotFound)
    }
}

/// Sets an event's RSVP rules under its lock (an organiser's edit sets
/// them with everything else in [`EventLock::set_rules`]).
pub async fn set_rules(db: &Database, event_id: i64, rules: &RulesInput) -> DbResult<()> {
    let mut lock = lock(db, event_id).await?;
    lock.set_rules(rules).await?;
    lock.commit().await
}

/// Which event an answer is to: by its id, or by the slug of its address
/// (as a member's new answer names it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EventKey {
    Id(i64),
    Slug(String),
}

/// A new answer as it is stored: the hashes of its private link and of
/// its device's key, the choice, and its personal fields sealed (the plain
/// ones in `input` are never stored); `now` is when it arrived.
pub struct NewRsvp {
    pub token_hash: String,
    pub member_hash: String,
    pub input: RsvpInput,
    pub sealed: SealedAnswer,
    /// The language it was given in: its notices are written in it.
    pub lang: Lang,
    /// The member's email, when they asked for notices by email.
    pub mail: Option<MailOptIn>,
    pub now: i64,
}

/// A member's email as stored: encrypted under the mail key (see
/// [`crate::sealing::MailKey`]), and the hash of the token of the link
/// that stops the emails.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MailOptIn {
    pub sealed: String,
    pub stop_hash: String,
}

/// What a change does to the member's email.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MailChange {
    /// As it is (the instance sends no email: the form had no field).
    Keep,
    Set(MailOptIn),
    /// No more email: the address is deleted.
    Clear,
}

/// An answer as a member sent it: its choice and guests, and its personal
/// fields sealed (the plain ones in `input` are never stored).
#[derive(Clone, Copy)]
pub struct NewAnswer<'a> {
    pub input: &'a RsvpInput,
    pub sealed: &'a SealedAnswer,
    pub lang: Lang,
    pub mail: &'a MailChange,
}

impl EventLock {
    /// The answer key sealed to the organisation's public key as it stands
    /// inside the lock (a rotation takes every event's lock, so none can
    /// pass between this and the commit): the seal made before the lock
    /// when the key is the same, else a new one.
    async fn key_for_organisers(&mut self, sealed: &SealedAnswer) -> DbResult<String> {
        let public = self.organisation_key().await?;
        Ok(
            sealed_again_if_replaced(sealed, &sealed.sealed_to, &public)?
                .unwrap_or_else(|| sealed.for_organisers.clone()),
        )
    }

    /// The organisation's public key as it stands inside the lock.
    async fn organisation_key(&mut self) -> DbResult<String> {
        super::super::organisation_key::public_key_in(&mut self.tx).await
    }
}

/// The answer key sealed again to `public`, the organisation's key now,
/// when that is no longer `sealed_to` (replaced since the seal was made);
/// `None` when it is still the one.
fn sealed_again_if_replaced(
    sealed: &SealedAnswer,
    sealed_to: &str,
    public: &str,
) -> DbResult<Option<String>> {
    if public == sealed_to {
        return Ok(None);
    }
    sealed
        .key
        .seal_to(public)
        .map(Some)
        .map_err(|_| DbError::Corrupt("the organisation's public key".into()))
}

/// A stored answer: its id, where it stands and its door code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stored {
    pub id: i64,
    pub state: RsvpState,
    pub short_code: String,
}

/// Stores a new answer atomically, the rules read under the event's lock.
/// Answers that arrive together go into one transaction (see
/// [`super::answer_line`]); each is placed as if it had come alone.
/// `NotFound` when there is no such event.
pub async fn create(db: &Database, event: EventKey, new: NewRsvp) -> DbResult<Placed<Stored>> {
    match db.answer_line() {
        Some(line) => line.store(db, event, new).await,
        None => create_alone(db, &event, new).await,
    }
}

pub(super) async fn create_alone(
    db: &Database,
    event: &EventKey,
    new: NewRsvp,
) -> DbResult<Placed<Stored>> {
    let mut placed = create_together(db, event, std::slice::from_ref(&new)).await?;
    placed.pop().ok_or(DbError::NotFound)
}

/// Stores new answers to one event, in the order given, in one transaction
/// under the event's lock: each finds the seats the ones before it left,
/// as it would have, had it come alone after them.
pub(super) async fn create_together(
    db: &Database,
    event: &EventKey,
    arrivals: &[NewRsvp],
) -> DbResult<Vec<Placed<Stored>>> {
    let (mut lock, rules, mut seats) = lock_for_answer(db, event).await?;
    let taken_before = seats.taken;
    let landed: Vec<Option<RsvpState>> = arrivals
        .iter()
        .map(|new| {
            rules
                .accepting(new.now)
                .then(|| seats.place(&rules, &new.input))
        })
        .collect();
    let to_store: Vec<(&NewRsvp, RsvpState)> = arrivals
        .iter()
        .zip(&landed)
        .filter_map(|(new, state)| state.map(|state| (new, state)))
        .collect();
    let mut stored = lock.insert_answers(&to_store).await?.into_iter();
    let placed: Vec<Placed<Stored>> = landed
        .iter()
        .map(|state| match state {
            Some(_) => stored.next().map_or(Placed::Closed, Placed::Done),
            None => Placed::Closed,
        })
        .collect();
    if placed.iter().any(|p| matches!(p, Placed::Done(_))) {
        // The seats they took, in one statement: no one else can have
        // changed them under the lock, and should they not fit all the
        // same, nothing is stored.
        let took = seats.taken - taken_before;
        if took > 0 && !lock.take_seats(took).await? {
            return Err(DbError::Conflict);
        }
        lock.commit().await?;
    }
    Ok(placed)
}

/// An answer on its way into the table: where it stands, and its key as
/// sealed to the organisation's (sealed again should that be replaced).
struct Unstored<'a> {
    at: usize,
    new: &'a NewRsvp,
    state: RsvpState,
    sealed_to: String,
    for_organisers: String,
}

impl EventLock {
    /// Inserts new answers in one statement; returns them stored, in the
    /// order given. Each gets a door code no other answer to the event has:
    /// the unique index refuses a taken one, and that answer tries again
    /// with another (31^6 codes: twenty collisions in a row means
    /// something is wrong), as does one sealed to an organisation key that
    /// was replaced since, sealed again to the new one.
    async fn insert_answers(&mut self, answers: &[(&NewRsvp, RsvpState)]) -> DbResult<Vec<Stored>> {
        let mut stored: Vec<Option<Stored>> = vec![None; answers.len()];
        let mut unstored: Vec<Unstored> = answers
            .iter()
            .enumerate()
            .map(|(at, (new, state))| Unstored {
                at,
                new,
                state: *state,
                sealed_to: new.sealed.sealed_to.clone(),
                for_organisers: new.sealed.for_organisers.clone(),
            })
            .collect();
        for _ in 0..20 {
            if unstored.is_empty() {
                break;
            }
            let codes = distinct_short_codes(unstored.len());
            let statement = insert_answers_statement(unstored.len());
            let mut query = sqlx::query(&statement).bind(self.event_id);
            for (answer, code) in unstored.iter().zip(&codes) {
                let (input, sealed) = (&answer.new.input, &answer.new.sealed);
                query = query
                    .bind(&answer.new.token_hash)
                    .bind(&answer.new.member_hash)
                    .bind(input.answer.as_str())
                    .bind(answer.state.as_str())
                    .bind(input.guests)
                    .bind(&sealed.personal)
                    .bind(&answer.for_organisers)
                    .bind(&sealed.for_link)
                    .bind(sealed.for_device.as_deref().unwrap_or_default())
                    .bind(code)
                    .bind(answer.new.now)
                    .bind(&answer.sealed_to)
                    .bind(answer.new.lang.tag())
                    .bind(answer.new.mail.as_ref().map_or("", |m| m.sealed.as_str()))
                    .bind(answer.new.mail.as_ref().map(|m| m.stop_hash.as_str()));
            }
            let mut ids: HashMap<String, i64> = HashMap::new();
            for row in query.fetch_all(&mut *self.tx).await? {
                ids.insert(row.try_get("short_code")?, row.try_get("id")?);
            }
            let mut again = Vec::new();
            for (answer, short_code) in unstored.into_iter().zip(codes) {
                match ids.get(&short_code) {
                    Some(&id) => {
                        stored[answer.at] = Some(Stored {
                            id,
                            state: answer.state,
                            short_code,
                        })
                    }
                    // The door code was taken, or the key was replaced
                    // since the seal.
                    None => again.push(answer),
                }
            }
            if !again.is_empty() {
                let public = self.organisation_key().await?;
                for answer in &mut again {
                    let sealed = &answer.new.sealed;
                    if let Some(resealed) =
                        sealed_again_if_replaced(sealed, &answer.sealed_to, &public)?
                    {
                        (answer.sealed_to, answer.for_organisers) = (public.clone(), resealed);
                    }
                }
            }
            unstored = again;
        }
        stored
            .into_iter()
            .map(|s| s.ok_or(DbError::Conflict))
            .collect()
    }
}

/// `count` door codes, no two alike.
fn distinct_short_codes(count: usize) -> Vec<String> {
    let mut codes: Vec<String> = Vec::with_capacity(count);
    while codes.len() < count {
        let code = crate::secrets::new_short_code();
        if !codes.contains(&code) {
            codes.push(code);
        }
    }
    codes
}

/// New answers to the event `$1`, fifteen values each, unless an answer's
/// door code is taken at the event or its key was sealed to an
/// organisation key that is no longer the one (then its row does not come
/// back, and no error ends the transaction). The organisation's key is
/// read by the insert itself, under the event's lock (a replacement takes
/// every event's lock, so none can come between this and the commit).
fn insert_answers_statement(answers: usize) -> String {
    let rows: Vec<String> = (0..answers)
        .map(|i| {
            let p: Vec<String> = (0..15).map(|n| format!("${}", 2 + 15 * i + n)).collect();
            format!(
                "SELECT $1, {}, '', {}, {now}, {now}, {now}, {} WHERE EXISTS \
                 (SELECT 1 FROM organisation_key WHERE id = 1 AND public_key = {})",
                p[..5].join(", "),
                p[5..10].join(", "),
                p[12..15].join(", "),
                p[11],
                now = p[10],
            )
        })
        .collect();
    format!(
        "INSERT INTO rsvps (event_id, token_hash, member_hash, answer, state, guests, \
         display_name, personal_sealed, key_for_organisers, key_for_link, key_for_device, \
         short_code, queued_at, created_at, updated_at, lang, mail_sealed, mail_stop_hash) {} \
         ON CONFLICT (event_id, short_code) WHERE short_code <> '' DO NOTHING \
         RETURNING id, short_code",
        rows.join(" UNION ALL ")
    )
}

/// Where a changed answer lands, and whether it goes to the back of the
/// waitlist.
async fn replace_answer(
    lock: &mut EventLock,
    rules: &RsvpRules,
    current: &RsvpRow,
    input: &RsvpInput,
) -> DbResult<(RsvpState, bool)> {
    let still_going = current.answer == Answer::Going && input.answer == Answer::Going;
    if !still_going || current.state == RsvpState::Cancelled {
        lock.release_seats(current.seats_held()).await?;
        return Ok((lock.place(rules, input).await?, true));
    }
    let more_guests = input.guests - current.guests;
    Ok(match current.state {
        // Approved but waiting for a seat: guests no organiser has seen
        // need approval first.
        RsvpState::Waitlisted if rules.approval_required && more_guests > 0 => {
            (RsvpState::Pending, true)
        }
        // Waiting (for a seat, or for an organiser): the place in line stays.
        RsvpState::Waitlisted | RsvpState::Pending => (current.state, false),
        // A confirmed party that shrinks or stays keeps its seats (fewer
        // of them); one that grows takes the extra seats if they are
        // free. Guests an organiser has not seen need approval first.
        RsvpState::Confirmed if more_guests <= 0 => {
            lock.release_seats(-more_guests).await?;
            (RsvpState::Confirmed, false)
        }
        RsvpState::Confirmed if rules.approval_required => {
            lock.release_seats(current.seats_held()).await?;
            (RsvpState::Pending, true)
        }
        RsvpState::Confirmed => {
            if lock.take_seats(more_guests).await? {
                (RsvpState::Confirmed, false)
            } else {
                lock.release_seats(current.seats_held()).await?;
                (RsvpState::Waitlisted, true)
            }
        }
        RsvpState::Cancelled => unreachable!("handled above"),
    })
}

/// Sets or deletes an answer's email, in the caller's transaction; a
/// deleted one takes its unsent emails with it.
pub(crate) async fn set_mail(
    conn: &mut AnyConnection,
    id: i64,
    mail: &MailChange,
    now: i64,
) -> DbResult<()> {
    let (sealed, stop_hash) = match mail {
        MailChange::Keep => return Ok(()),
        MailChange::Set(opt_in) => (opt_in.sealed.as_str(), Some(opt_in.stop_hash.as_str())),
        MailChange::Clear => ("", None),
    };
    sqlx::query("UPDATE rsvps SET mail_sealed = $1, mail_stop_hash = $2 WHERE id = $3")
        .bind(sealed)
        .bind(stop_hash)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    if sealed.is_empty() {
        crate::db::outbox::drop_unsent_of(conn, id, now).await?;
    }
    Ok(())
}

/// Changes an answer (or cancels it, with `None`) under the event's lock:
/// its seats are adjusted, the waitlist promoted, in one transaction. A
/// change is refused (`Closed`) when the event takes no answers now; a
/// cancellation never is. `token_hash` is the private link's the change
/// came through: checked again under the lock (`NotFound` if the link was
/// replaced meanwhile).
pub async fn change(
    db: &Database,
    event_id: i64,
    id: i64,
    token_hash: &str,
    answer: Option<NewAnswer<'_>>,
    now: i64,
) -> DbResult<Placed<RsvpState>> {
    let (mut lock, rules, _) = lock_for_answer(db, &EventKey::Id(event_id)).await?;
    if answer.is_some() && !rules.accepting(now) {
        return Ok(Placed::Closed);
    }
    let current = lock.answer(id).await?;
    if current.token_hash != token_hash {
        return Err(DbError::NotFound);
    }
    match answer {
        None => {
            lock.release_seats(current.seats_held()).await?;
            // A cancelled answer is told nothing more: its email goes.
            sqlx::query("UPDATE rsvps SET state = 'cancelled', updated_at = $1 WHERE id = $2")
                .bind(now)
                .bind(id)
                .execute(&mut *lock.tx)
                .await?;
            set_mail(&mut lock.tx, id, &MailChange::Clear, now).await?;
        }
        Some(NewAnswer {
            input,
            sealed,
            lang,
            mail,
        }) => {
            set_mail(&mut lock.tx, id, mail, now).await?;
            let (state, requeued) = replace_answer(&mut lock, &rules, &current, input).await?;
            let key_for_organisers = lock.key_for_organisers(sealed).await?;
            let key_for_device = sealed
                .for_device
                .as_ref()
                .unwrap_or(&current.key_for_device);
            sqlx::query(
                "UPDATE rsvps SET answer = $1, state = $2, guests = $3, personal_sealed = $4, \
                 display_name = '', contact = '', note = '', \
                 key_for_organisers = $5, key_for_link = $6, key_for_device = $7, updated_at = $8, \
                 queued_at = CASE WHEN $9 = 1 THEN $8 ELSE queued_at END, lang = $11 WHERE id = $10",
            )
            .bind(input.answer.as_str())
            .bind(state.as_str())
            .bind(input.guests)
            .bind(&sealed.personal)
            .bind(&key_for_organisers)
            .bind(&sealed.for_link)
            .bind(key_for_device)
            .bind(now)
            .bind(i64::from(requeued))
            .bind(id)
            .bind(lang.tag())
            .execute(&mut *lock.tx)
            .await?;
        }
    }
    lock.promote(now).await?;
    // The changed answer may itself have been promoted.
    let state = lock.answer(id).await?.state;
    lock.commit().await?;
    Ok(Placed::Done(state))
}

/// An organiser's decision on a pending answer: approved, it takes its
/// seats (or joins the waitlist when they are gone); declined, it is
/// cancelled. Made under the event's lock, like every change of seats;
/// `audit` records who decided, in the same transaction. Returns the new
/// state; `NotFound` unless the answer is pending and belongs to the event.
pub async fn decide(
    db: &Database,
    event_id: i64,
    id: i64,
    approve: bool,
    now: i64,
) -> DbResult<(EventLock, RsvpState)> {
    let mut lock = lock(db, event_id).await?;
    let current = lock.answer(id).await?;
    if current.state != RsvpState::Pending {
        return Err(DbError::NotFound);
    }
    let state = if !approve {
        RsvpState::Cancelled
    } else if lock.take_seats(1 + current.guests).await? {
        RsvpState::Confirmed
    } else {
        RsvpState::Waitlisted
    };
    sqlx::query("UPDATE rsvps SET state = $1, updated_at = $2, queued_at = $2 WHERE id = $3")
        .bind(state.as_str())
        .bind(now)
        .bind(id)
        .execute(&mut *lock.tx)
        .await?;
    let notice = match state {
        RsvpState::Confirmed => match lock.seat_notice(now).await? {
            NoticeKind::PlaceRevealed => NewNotice::of(NoticeKind::PlaceRevealed),
            _ => NewNotice::of(NoticeKind::Approved),
        },
        RsvpState::Waitlisted => NewNotice::with_detail(NoticeKind::Approved, "waitlisted"),
        _ => NewNotice::of(NoticeKind::Declined),
    };
    lock.notify_one(id, notice, now).await?;
    Ok((lock, state))
}

/// Gives an RSVP a new private link (the old one stops working) and, with
/// `sealed`, its fields under a new key; under the event's lock (so that
/// the seal is to the organisation's key as it stands), and only if the
/// RSVP is as `row` was read (not changed, purged or given another link
/// meanwhile).
pub async fn replace_token(
    db: &Database,
    row: &RsvpRow,
    new_token_hash: &str,
    sealed: Option<&SealedAnswer>,
    mail: &MailChange,
    now: i64,
) -> DbResult<bool> {
    let mut lock = lock(db, row.event_id).await?;
    let changed = match sealed {
        Some(sealed) => {
            let key_for_organisers = lock.key_for_organisers(sealed).await?;
            sqlx::query(
                "UPDATE rsvps SET token_hash = $1, personal_sealed = $2, key_for_organisers = $3, \
                 key_for_link = $4, key_for_device = $5 \
                 WHERE id = $6 AND token_hash = $7 AND personal_sealed = $8 AND purged_at IS NULL",
            )
            .bind(new_token_hash)
            .bind(&sealed.personal)
            .bind(&key_for_organisers)
            .bind(&sealed.for_link)
            .bind(sealed.for_device.as_deref().unwrap_or_default())
            .bind(row.id)
            .bind(&row.token_hash)
            .bind(&row.personal_sealed)
            .execute(&mut *lock.tx)
            .await?
        }
        None => {
            sqlx::query(
                "UPDATE rsvps SET token_hash = $1, key_for_link = '' \
                 WHERE id = $2 AND token_hash = $3 AND purged_at IS NULL",
            )
            .bind(new_token_hash)
            .bind(row.id)
            .bind(&row.token_hash)
            .execute(&mut *lock.tx)
            .await?
        }
    }
    .rows_affected();
    if changed == 1 {
        // The email leads to the new link (or, without the mail key, goes).
        set_mail(&mut lock.tx, row.id, mail, now).await?;
    }
    lock.commit().await?;
    Ok(changed == 1)
}
