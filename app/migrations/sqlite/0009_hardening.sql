-- What a copy of the database must not hold, door codes that cannot
-- collide, and sensitive events that only vetted members learn about.

-- The key that hashed client addresses now lives outside the database (in
-- the server's memory, or a file every app server reads); the old key and
-- every count made with it go.
DELETE FROM instance_values WHERE name = 'client_key';
DELETE FROM rate_counts;

-- The private links of answers whose personal data was deleted stop
-- working: their hash is replaced by a value no token hashes to. Their
-- times (when they answered, were approved, arrived) go too: with a log of
-- who connected when, they could name someone. The event's start stands in.
UPDATE rsvps SET token_hash = 'purged-' || CAST(id AS TEXT),
    created_at = (SELECT e.starts_at FROM events e WHERE e.id = rsvps.event_id),
    updated_at = (SELECT e.starts_at FROM events e WHERE e.id = rsvps.event_id),
    queued_at = (SELECT e.starts_at FROM events e WHERE e.id = rsvps.event_id),
    checked_in_at = CASE WHEN checked_in_at IS NULL THEN NULL
        ELSE (SELECT e.starts_at FROM events e WHERE e.id = rsvps.event_id) END
WHERE purged_at IS NOT NULL;

-- Door codes are unique per event. Any duplicate made before gets a code
-- of its own ('0' is never in a random code, so these cannot collide).
UPDATE rsvps SET short_code = '0' || CAST(id AS TEXT)
WHERE short_code <> '' AND EXISTS (
    SELECT 1 FROM rsvps other
    WHERE other.event_id = rsvps.event_id AND other.short_code = rsvps.short_code
      AND other.id < rsvps.id
);
CREATE UNIQUE INDEX rsvps_door_codes ON rsvps (event_id, short_code) WHERE short_code <> '';

-- When approved members see a sensitive event's place: at approval (NULL),
-- or this many hours before the start.
ALTER TABLE events ADD COLUMN reveal_hours BIGINT;

-- A sensitive event always needs an organiser's approval. Its "going"
-- answers that are confirmed (or waitlisted) wait for one now: until this
-- version they could be confirmed without one (approval could be switched
-- on after they were), and which were vetted cannot be told apart. Their
-- seats are counted again.
UPDATE rsvps SET state = 'pending'
WHERE answer = 'going' AND state IN ('confirmed', 'waitlisted') AND purged_at IS NULL
  AND event_id IN (SELECT id FROM events WHERE sensitive = 1);
UPDATE events SET approval_required = 1 WHERE sensitive = 1;
UPDATE events SET seats_taken = (
    SELECT COALESCE(SUM(1 + r.guests), 0) FROM rsvps r
    WHERE r.event_id = events.id AND r.answer = 'going' AND r.state = 'confirmed'
) WHERE sensitive = 1;
