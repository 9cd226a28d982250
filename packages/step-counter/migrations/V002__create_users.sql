-- People who record steps; a user belongs to at most one team.
-- The foreign key is deferrable so a seed load inside one transaction may insert tables in
-- any order (db-fixture loads seeds table by table).
CREATE TABLE users (
  name         text PRIMARY KEY CHECK (name ~ '^[a-z0-9][a-z0-9._-]{0,39}$'),
  display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 80),
  team         text REFERENCES teams (name) ON UPDATE CASCADE ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
  created_at   timestamptz NOT NULL DEFAULT now()
);

-- The leaderboard starts from a team's members.
CREATE INDEX users_team_idx ON users (team);
