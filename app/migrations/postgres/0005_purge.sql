-- When an answer's name, contact and note were deleted (after the event,
-- as the retention setting says); the answer itself stays for the counts.
ALTER TABLE rsvps ADD COLUMN purged_at BIGINT;
CREATE INDEX rsvps_unpurged ON rsvps (event_id) WHERE purged_at IS NULL;
