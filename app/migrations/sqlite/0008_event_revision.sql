-- One counter that every change a feed would show moves (a new event, an
-- edit or status change, which always set updated_at, a deletion), so that
-- a calendar app's poll reads one row instead of counting every event.
-- Seat counts do not move it: they change with every answer.
CREATE TABLE event_revision (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    revision INTEGER NOT NULL
);
INSERT INTO event_revision (id, revision) VALUES (1, 0);

CREATE TRIGGER events_revised_on_insert AFTER INSERT ON events
BEGIN
    UPDATE event_revision SET revision = revision + 1 WHERE id = 1;
END;

CREATE TRIGGER events_revised_on_update AFTER UPDATE OF updated_at ON events
BEGIN
    UPDATE event_revision SET revision = revision + 1 WHERE id = 1;
END;

CREATE TRIGGER events_revised_on_delete AFTER DELETE ON events
BEGIN
    UPDATE event_revision SET revision = revision + 1 WHERE id = 1;
END;

-- The latest change (Last-Modified) by index, not by scan.
CREATE INDEX events_by_change ON events (updated_at);
