-- What members type (name, contact, note) is stored sealed: encrypted
-- under a key of the answer's own, which is kept only encrypted — sealed
-- to the organisation's public key, and wrapped under keys derived from
-- the private link and from the device key (whose hashes alone are
-- stored). The plain columns stay, empty, for the answers of earlier
-- versions, which the server seals when it starts.
ALTER TABLE rsvps ADD COLUMN personal_sealed TEXT NOT NULL DEFAULT '';
ALTER TABLE rsvps ADD COLUMN key_for_organisers TEXT NOT NULL DEFAULT '';
ALTER TABLE rsvps ADD COLUMN key_for_link TEXT NOT NULL DEFAULT '';
ALTER TABLE rsvps ADD COLUMN key_for_device TEXT NOT NULL DEFAULT '';

-- The organisation's key pair (one row). Its secret half is stored only
-- wrapped: under the recovery key here, under each organiser's password
-- in organisation_key_wraps, and under each session's cookie in sessions.
-- Until the first admin takes it, the recovery key itself waits here
-- (`unclaimed_recovery`); then it is deleted.
CREATE TABLE organisation_key (
    id BIGINT PRIMARY KEY,
    public_key TEXT NOT NULL,
    recovery_wrap TEXT NOT NULL,
    unclaimed_recovery TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);

-- The organisation's secret key, wrapped under a key derived (argon2id,
-- with a salt of its own) from an account's password.
CREATE TABLE organisation_key_wraps (
    account_id BIGINT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    salt TEXT NOT NULL,
    wrapped TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- A live session's copy of the organisation's secret key, wrapped under a
-- key derived from the session's cookie (whose hash alone is stored).
ALTER TABLE sessions ADD COLUMN organisation_key TEXT NOT NULL DEFAULT '';
