-- Organiser and admin accounts. Usernames are stored lower-case.
CREATE TABLE accounts (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    -- argon2id, in the PHC string format (parameters and salt included).
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- Server-side sessions, so that several app servers can share them. Only
-- the SHA-256 of the session cookie is stored.
CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
);
CREATE INDEX sessions_by_account ON sessions (account_id);

-- Failed logins per account and per client (both keyed by a hash, never
-- by a name or an address), in fixed windows, shared by all app servers.
CREATE TABLE login_failures (
    bucket TEXT PRIMARY KEY,
    window_start BIGINT NOT NULL,
    failures BIGINT NOT NULL
);

-- Values the instance keeps for itself, such as the key that hashes client
-- addresses for the rate limits.
CREATE TABLE instance_values (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Who did what, when: organiser and admin actions. No IP addresses.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at BIGINT NOT NULL,
    account_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_by_time ON audit_log (at);

-- The organiser who manages an event (none: only admins do).
ALTER TABLE events ADD COLUMN organiser_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL;

-- Check-in at the door.
ALTER TABLE rsvps ADD COLUMN checked_in_at BIGINT;
