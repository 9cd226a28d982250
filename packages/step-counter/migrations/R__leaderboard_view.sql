-- Repeatable: re-applied whenever it changes. Joins entries to their user's team, which
-- is what the leaderboard and team totals read. Plain view: the planner inlines it, so
-- the indexes on entries still apply.
CREATE OR REPLACE VIEW team_entries AS
SELECT u.team, u.name AS user_name, u.display_name, e.day, e.steps
FROM users u
JOIN entries e ON e.user_name = u.name
WHERE u.team IS NOT NULL;
