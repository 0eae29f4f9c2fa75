-- All-day events (as calendar files have them): their local times are
-- midnight to midnight and only the dates are shown.
ALTER TABLE events ADD COLUMN all_day INTEGER NOT NULL DEFAULT 0;
-- The UID of the calendar entry an event was imported from, so that a
-- second import of the same file updates it instead of adding it again.
ALTER TABLE events ADD COLUMN import_uid TEXT;
CREATE UNIQUE INDEX events_by_import_uid ON events (import_uid);

-- The personal calendar feed of a device's RSVPs. Its address is derived
-- from the device's member key and the generation; only its hash is stored,
-- and raising the generation revokes the old address.
CREATE TABLE member_feeds (
    member_hash TEXT PRIMARY KEY,
    generation BIGINT NOT NULL,
    feed_hash TEXT NOT NULL UNIQUE,
    updated_at BIGINT NOT NULL
);
