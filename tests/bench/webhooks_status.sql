-- pgbench: what POST /hooks/twilio/status runs for one "delivered" callback
-- (fcgi/webhooks/status.c): the workspace with the tenant scope, then the replay guard
-- and the update in one statement. -D ws=<workspace> -D count=<messages>.
\set n random(1, :count)
\set r random(1, 2000000000)
BEGIN;
SELECT s.ws, set_config('app.workspace_id', coalesce(s.ws::text, ''), true) AS tenant
  FROM app_status_workspace('twilio', 'SMbench' || :n, 'delivered', 'DELIVERED', NULL) AS s(ws) \gset
WITH fresh AS (
  INSERT INTO webhook_events (workspace_id, provider, event_id, processed_at)
  VALUES (:ws, 'pgbench', 'SMbench' || :n || ':' || :r, now())
  ON CONFLICT (provider, event_id) DO NOTHING RETURNING id)
UPDATE messages SET
  status = CASE WHEN app_status_rank(status) < app_status_rank('DELIVERED'::message_status)
                THEN 'DELIVERED'::message_status ELSE status END,
  delivered_at = CASE WHEN 'DELIVERED' = 'DELIVERED' THEN coalesce(delivered_at, now())
                      ELSE delivered_at END,
  error = CASE WHEN 'DELIVERED' = 'FAILED' AND app_status_rank(status) < app_status_rank('FAILED')
               THEN NULL ELSE error END
WHERE external_id = 'SMbench' || :n AND EXISTS (SELECT 1 FROM fresh)
  AND (app_status_rank(status) < app_status_rank('DELIVERED'::message_status)
       OR ('DELIVERED' = 'DELIVERED' AND delivered_at IS NULL AND status <> 'CANCELLED'))
RETURNING id, status;
COMMIT;
