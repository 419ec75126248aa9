-- pgbench: what POST /hooks/twilio/inbound runs for a reply "5" (fcgi/webhooks/reply.c):
-- the workspace and its awaiting message with the tenant scope, then the replay guard and
-- the rating (the message locked and checked again) with its follow-up in one statement,
-- then the sender's wake-up.
-- -D ws=<workspace> -D count=<patients>.
\set n random(:count / 2 + 1, :count)
\set r random(1, 2000000000)
BEGIN;
SELECT r.ws, r.awaiting, r.message,
       set_config('app.workspace_id', coalesce(r.ws::text, ''), true) AS tenant
  FROM app_reply_route('+5939' || lpad(:n::text, 8, '0'), '+15005550006') r \gset
WITH fresh AS (
  INSERT INTO webhook_events (workspace_id, provider, event_id, processed_at)
  VALUES (:ws, 'pgbench', 'SMin' || :n || ':' || :r, now())
  ON CONFLICT (provider, event_id) DO NOTHING RETURNING id),
rated AS (
  UPDATE messages m SET status = 'REPLIED', rating = 5, replied_at = now(), reply_text = '5'
   WHERE m.id = nullif(:message, '')::uuid AND m.rating IS NULL AND m.status IN ('SENT', 'DELIVERED')
     AND EXISTS (SELECT 1 FROM fresh)
  RETURNING m.id, m.workspace_id, m.patient_id, m.campaign_id, m.channel),
no_reminder AS (
  UPDATE messages r SET status = 'CANCELLED' FROM rated
   WHERE r.workspace_id = rated.workspace_id AND r.patient_id = rated.patient_id
     AND r.campaign_id IS NOT DISTINCT FROM rated.campaign_id
     AND r.type = 'REMINDER' AND r.status = 'PENDING' RETURNING r.id),
followup AS (
  INSERT INTO messages (workspace_id, patient_id, campaign_id, type, channel, status,
                        scheduled_at)
  SELECT r.workspace_id, r.patient_id, r.campaign_id, 'FOLLOWUP_HAPPY', r.channel, 'PENDING',
         now()
    FROM rated r
   WHERE NOT EXISTS (SELECT 1 FROM campaigns c WHERE c.workspace_id = r.workspace_id
                        AND c.id = r.campaign_id AND c.status = 'CANCELLED')
  RETURNING id)
SELECT EXISTS (SELECT 1 FROM fresh) AS fresh, (SELECT id FROM rated) AS message_id,
       (SELECT id FROM followup) AS followup_id;
COMMIT;
-- The sender's wake-up, after the commit (fcgi/core/app.c).
SELECT pg_notify('rm_messages', ''), set_config('synchronous_commit', 'off', true);
