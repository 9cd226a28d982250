-- One row per user and day: re-posting the same day replaces the count (idempotent).
-- The primary key (user_name, day) serves a user's entries and summary for a date range;
-- INCLUDE (steps) lets those reads be index-only scans.
CREATE TABLE entries (
  user_name   text NOT NULL REFERENCES users (name) ON UPDATE CASCADE ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
  day         date NOT NULL,
  steps       integer NOT NULL CHECK (steps BETWEEN 0 AND 100000),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_name, day) INCLUDE (steps)
);
