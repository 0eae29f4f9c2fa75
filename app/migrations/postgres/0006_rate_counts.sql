-- Failed logins were the first thing counted in windows; answers are too
-- now. One table, keyed by what is counted and a hash of who.
ALTER TABLE login_failures RENAME TO rate_counts;
ALTER TABLE rate_counts RENAME COLUMN failures TO hits;
