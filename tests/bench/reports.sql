-- The SQL of one signed-in GET /reports?range=90 (fcgi/core/app.c dispatch,
-- fcgi/core/session.c session_load, fcgi/reports/filter.c and page.c for the OWNER), in
-- the same order and one transaction, for pgbench -M prepared as rm_app. :hash as in
-- home.sql. Keep in step with those files.
BEGIN;
SELECT app_session_workspace(decode(:hash, 'hex')) AS workspace_id \gset ws_
SELECT pg_catalog.set_config('app.workspace_id', :ws_workspace_id, true);
SELECT s.id AS session_id, u.id AS user_id, u.name, u.email, u.role::text AS role,       w.id AS workspace_id, w.name AS workspace_name, w.plan::text AS plan,       w.message_credits  FROM sessions s  JOIN users u ON u.workspace_id = s.workspace_id AND u.id = s.user_id  JOIN workspaces w ON w.id = s.workspace_id WHERE s.token_hash = decode(:hash, 'hex') AND s.expires_at > now() \gset s_
UPDATE sessions SET last_seen_at = now() WHERE id = :s_session_id AND last_seen_at < now() - interval '5 minutes';
SELECT to_char(CASE '90' WHEN '7' THEN t - 6 WHEN '30' THEN t - 29                       WHEN '90' THEN t - 89 WHEN 'custom' THEN NULL::date                       ELSE date_trunc('month', t)::date END, 'YYYY-MM-DD') AS from_day,       to_char(CASE '90' WHEN 'custom' THEN NULL::date ELSE t END, 'YYYY-MM-DD') AS to_day  FROM (SELECT (now() AT TIME ZONE 'America/Guayaquil')::date AS t) x \gset r_
SELECT id, name FROM practices ORDER BY name, id;
SELECT id, name FROM campaigns WHERE (NULL::uuid IS NULL OR created_by = NULL::uuid) ORDER BY name, id;
SELECT f.*, c.name AS campaign_name, to_char(f.week, 'DD/MM') AS week_label  FROM report_figures(:r_from_day::date, :r_to_day::date, NULL::uuid, NULL::uuid,                      NULL::message_channel, NULL::uuid) f  LEFT JOIN campaigns c ON c.id = f.campaign_id ORDER BY f.grp, f.week, c.name, f.channel;
COMMIT;
