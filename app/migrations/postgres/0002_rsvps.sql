-- RSVP settings of an event, and the running count of seats taken, which the
-- capacity check updates atomically.
ALTER TABLE events ADD COLUMN rsvp_open INTEGER NOT NULL DEFAULT 1;
ALTER TABLE events ADD COLUMN rsvp_deadline BIGINT;
ALTER TABLE events ADD COLUMN approval_required INTEGER NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN hide_counts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN seats_taken BIGINT NOT NULL DEFAULT 0;

CREATE TABLE rsvps (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    -- SHA-256 of the private link's token; the token itself is never stored.
    token_hash TEXT NOT NULL UNIQUE,
    -- SHA-256 of the device's member key, grouping "my RSVPs".
    member_hash TEXT NOT NULL,
    answer TEXT NOT NULL,
    state TEXT NOT NULL,
    guests BIGINT NOT NULL DEFAULT 0,
    display_name TEXT NOT NULL,
    contact TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    -- Shown to the member, typed in by the organiser at the door.
    short_code TEXT NOT NULL,
    -- Order in the waitlist: the time the answer last became "going".
    queued_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX rsvps_by_event ON rsvps (event_id, state, queued_at, id);
CREATE INDEX rsvps_by_member ON rsvps (member_hash);
