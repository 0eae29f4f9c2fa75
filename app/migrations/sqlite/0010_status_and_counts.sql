-- Public counts of a small gathering tell who is there ("2 going" to a
-- meeting of known members): they are shown only from this many seats
-- taken (0: always).
ALTER TABLE events ADD COLUMN count_threshold BIGINT NOT NULL DEFAULT 5;
-- The start an event was moved from, so that every page can say so.
ALTER TABLE events ADD COLUMN previous_starts_at BIGINT;
