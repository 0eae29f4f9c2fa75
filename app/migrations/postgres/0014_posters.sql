-- An event's poster: what the server made of the organiser's upload (the
-- upload itself is never kept), in a few widths and two formats, each
-- named by a keyed hash of its bytes. In the database, so every app server
-- serves the same files.
CREATE TABLE posters (
    event_id BIGINT PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL
);

-- What the poster shows, in words, for those who cannot see it.
CREATE TABLE poster_alts (
    event_id BIGINT NOT NULL REFERENCES posters (event_id) ON DELETE CASCADE,
    lang TEXT NOT NULL,
    alt TEXT NOT NULL,
    PRIMARY KEY (event_id, lang)
);

CREATE TABLE poster_files (
    event_id BIGINT NOT NULL REFERENCES posters (event_id) ON DELETE CASCADE,
    -- The first 32 hex digits of the SHA-256 of the bytes, and the format's
    -- extension: "<hash>.webp", "<hash>.jpg".
    name TEXT NOT NULL,
    mime TEXT NOT NULL,
    width BIGINT NOT NULL,
    height BIGINT NOT NULL,
    bytes BYTEA NOT NULL,
    PRIMARY KEY (event_id, name)
);
CREATE INDEX poster_files_by_name ON poster_files (name);
