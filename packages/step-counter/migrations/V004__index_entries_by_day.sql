-- The leaderboard reads every member's entries for one week: an index led by the day
-- keeps that a range scan over a week of rows instead of a scan of all history.
CREATE INDEX entries_day_idx ON entries (day, user_name) INCLUDE (steps);
