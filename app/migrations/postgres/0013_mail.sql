-- Members who asked for email: their address, with the private link the
-- email leads back to, encrypted under the mail key, which is never in the
-- database (a key file beside it, or a setting). Deleted when the event
-- ends, and when the member stops the emails or cancels.
ALTER TABLE rsvps ADD COLUMN mail_sealed TEXT NOT NULL DEFAULT '';
-- SHA-256 of the token of the link that stops the emails.
ALTER TABLE rsvps ADD COLUMN mail_stop_hash TEXT;
CREATE UNIQUE INDEX rsvps_by_mail_stop ON rsvps (mail_stop_hash);
CREATE INDEX rsvps_with_mail ON rsvps (event_id) WHERE mail_sealed <> '';

-- The outbox: one email a notice and member who asked for email, queued
-- in the transaction of the notice. A sender claims rows for a while
-- (lease_owner, lease_until): another app server, or this one restarted,
-- takes over a row only once the claim has run out.
CREATE TABLE mail_outbox (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    notice_id BIGINT NOT NULL REFERENCES notices (id) ON DELETE CASCADE,
    rsvp_id BIGINT NOT NULL REFERENCES rsvps (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    lease_owner TEXT NOT NULL DEFAULT '',
    lease_until BIGINT NOT NULL DEFAULT 0,
    sent_at BIGINT,
    -- Not sent, and never will be: the address is gone, the mail server
    -- refused it for good, or a limit was reached.
    dropped_at BIGINT,
    UNIQUE (notice_id, rsvp_id)
);
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at)
    WHERE sent_at IS NULL AND dropped_at IS NULL;
CREATE INDEX mail_outbox_by_rsvp ON mail_outbox (rsvp_id, created_at);
CREATE INDEX mail_outbox_sent ON mail_outbox (sent_at);

-- One row every sender locks while it counts the hour's messages and
-- claims more: the hourly limit holds however many app servers send.
CREATE TABLE mail_claims (id BIGINT PRIMARY KEY, claimed_at BIGINT NOT NULL);
INSERT INTO mail_claims (id, claimed_at) VALUES (1, 0);
