-- Sensitive events: the place is shown only to members with a confirmed
-- place, and public subscription feeds carry only a generic title.
ALTER TABLE events ADD COLUMN sensitive INTEGER NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN public_title TEXT NOT NULL DEFAULT '';
