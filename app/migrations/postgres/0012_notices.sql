-- What members are told about the events they answered: changes, an
-- organiser's decisions, announcements, reminders. A notice is written in
-- the same transaction as the change that causes it; who it is for is in
-- notice_recipients, one row an answer, so that each private page shows
-- its own. Both go when the answers' personal data does.
CREATE TABLE notices (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    -- changed, postponed, cancelled, rescheduled, confirmed, approved,
    -- declined, place_revealed, reminder, announcement
    kind TEXT NOT NULL,
    -- What changed, for "changed": "time", "place" or "time place".
    detail TEXT NOT NULL DEFAULT '',
    -- An announcement's text (Markdown) and the language it is written in.
    body TEXT NOT NULL DEFAULT '',
    lang TEXT NOT NULL DEFAULT '',
    -- How many answers it went to (an announcement's "sent to 42").
    recipients BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE INDEX notices_by_event ON notices (event_id, kind, created_at);

CREATE TABLE notice_recipients (
    rsvp_id BIGINT NOT NULL REFERENCES rsvps (id) ON DELETE CASCADE,
    notice_id BIGINT NOT NULL REFERENCES notices (id) ON DELETE CASCADE,
    PRIMARY KEY (rsvp_id, notice_id)
);
CREATE INDEX notice_recipients_by_notice ON notice_recipients (notice_id);

-- The language an answer was given in: its notices are written in it.
ALTER TABLE rsvps ADD COLUMN lang TEXT NOT NULL DEFAULT '';
-- Hours before the start that members with a place are reminded (0: no
-- reminder), and the start a reminder was given for (a new start, a new
-- reminder).
ALTER TABLE events ADD COLUMN reminder_hours BIGINT NOT NULL DEFAULT 24;
ALTER TABLE events ADD COLUMN reminded_for BIGINT;
-- The start a sensitive event's place was announced as revealed for (its
-- place shows a set number of hours before the start).
ALTER TABLE events ADD COLUMN revealed_for BIGINT;
