-- The SQL of one signed-in GET / (fcgi/core/app.c dispatch, fcgi/core/session.c
-- session_load, fcgi/reports.c get_home), in the same order and one transaction, for
-- pgbench -M prepared as rm_app. :hash is the hex SHA-256 of the rm_session cookie
-- (pgbench -D hash=...). Keep in step with those files.
BEGIN;
SELECT app_session_workspace(decode(:hash, 'hex')) AS workspace_id \gset ws_
SELECT pg_catalog.set_config('app.workspace_id', :ws_workspace_id, true);
SELECT s.id AS session_id, u.id AS user_id, u.name, u.email, u.role::text AS role,       w.id AS workspace_id, w.name AS workspace_name, w.plan::text AS plan,       w.message_credits  FROM sessions s  JOIN users u ON u.workspace_id = s.workspace_id AND u.id = s.user_id  JOIN workspaces w ON w.id = s.workspace_id WHERE s.token_hash = decode(:hash, 'hex') AND s.expires_at > now() \gset s_
UPDATE sessions SET last_seen_at = now() WHERE id = :s_session_id AND last_seen_at < now() - interval '5 minutes';
SELECT (SELECT count(*) FROM practices) AS practices,       (SELECT count(*) FROM campaigns WHERE status = 'ACTIVE') AS active_campaigns,       (SELECT count(*) FROM patients WHERE data_deleted_at IS NULL) AS patients,       (SELECT count(*) FROM messages         WHERE sent_at > now() - interval '30 days') AS sent_30d,       (SELECT to_char(avg(rating), 'FM0.0') FROM messages         WHERE rating IS NOT NULL) AS avg_rating;
COMMIT;
