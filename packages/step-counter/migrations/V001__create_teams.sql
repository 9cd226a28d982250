-- Teams compete on the leaderboard. The slug is the natural key: seeds and the API refer
-- to teams by it, so no identity sequence can fall behind rows loaded with COPY.
CREATE TABLE teams (
  name         text PRIMARY KEY CHECK (name ~ '^[a-z0-9][a-z0-9-]{0,39}$'),
  display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 80),
  created_at   timestamptz NOT NULL DEFAULT now()
);
