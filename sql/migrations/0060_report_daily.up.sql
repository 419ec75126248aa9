-- 0060: daily rollups of the messages, for reports that stay fast at millions of messages.
--
-- One row per (workspace, day, campaign, channel); the campaign's practice rides along so a
-- report can filter by practice without a join. A row holds what every figure of the
-- reports needs (see 0061 for the definitions):
--   sent          rating requests (INITIAL, REMINDER) whose status is SENT, DELIVERED or
--                 REPLIED, on the day of sent_at
--   delivered     of those, DELIVERED or REPLIED (same day: the day it was sent)
--   replied       of those, REPLIED (same day)
--   happy_sent    FOLLOWUP_HAPPY messages that reached SENT, DELIVERED or REPLIED (sent_at day)
--   happy_clicked of those, the ones whose review link was clicked (review_clicked_at set)
--   rating_1..5   messages carrying that rating, on the day of replied_at
-- Days are calendar days in the campaign's practice's timezone (America/Guayaquil for a
-- message without a campaign or a campaign without a practice).
--
-- The rows are kept by statement triggers on messages in the same transaction that changes
-- messages (insert, update, delete, including the deletes cascaded from a patient or a
-- campaign): each changed message's old contribution is taken away and its new one added. A campaign that moves to another practice, or a practice whose timezone changes,
-- has its rows rebuilt from its messages. Counts follow each message's current status: a
-- message that FAILED after being SENT leaves "sent".

CREATE TABLE report_daily (
  id            uuid NOT NULL DEFAULT gen_random_uuid(),
  workspace_id  uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  day           date NOT NULL,
  campaign_id   uuid,
  practice_id   uuid,
  channel       message_channel NOT NULL,
  sent          integer NOT NULL DEFAULT 0,
  delivered     integer NOT NULL DEFAULT 0,
  replied       integer NOT NULL DEFAULT 0,
  happy_sent    integer NOT NULL DEFAULT 0,
  happy_clicked integer NOT NULL DEFAULT 0,
  rating_1      integer NOT NULL DEFAULT 0,
  rating_2      integer NOT NULL DEFAULT 0,
  rating_3      integer NOT NULL DEFAULT 0,
  rating_4      integer NOT NULL DEFAULT 0,
  rating_5      integer NOT NULL DEFAULT 0,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (id),
  UNIQUE (workspace_id, id),
  -- The upsert key; also the index every report reads (workspace, then days).
  CONSTRAINT report_daily_key UNIQUE NULLS NOT DISTINCT (workspace_id, day, campaign_id, channel),
  -- A campaign's rows go with it (its messages do too).
  FOREIGN KEY (workspace_id, campaign_id) REFERENCES campaigns (workspace_id, id) ON DELETE CASCADE,
  FOREIGN KEY (workspace_id, practice_id) REFERENCES practices (workspace_id, id)
    ON DELETE SET NULL (practice_id)
);
CREATE INDEX report_daily_campaign_idx ON report_daily (workspace_id, campaign_id);
CREATE INDEX report_daily_practice_idx ON report_daily (workspace_id, practice_id);
CREATE TRIGGER report_daily_updated_at BEFORE UPDATE ON report_daily
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

ALTER TABLE report_daily ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON report_daily
  USING (workspace_id = nullif(current_setting('app.workspace_id', true), '')::uuid)
  WITH CHECK (workspace_id = nullif(current_setting('app.workspace_id', true), '')::uuid);
-- The triggers run with the rights of whoever changes the message (rm_app in a request).
GRANT SELECT, INSERT, UPDATE, DELETE ON report_daily TO rm_app;

-- The statement that applies a set of message changes to the rollups. `changed` is a query
-- giving rows of messages with a leading `sign` column: 1 for a message's new state, -1
-- for its old one. Each fact is counted on its own day; the changes are summed per rollup
-- row, rows whose net change is zero are left alone (a sender's lease or a new content
-- changes nothing), and the rest are upserted in key order, so that two transactions
-- always lock rollup rows in the same order. Messages whose workspace or campaign is no
-- longer visible (inside the cascaded delete of either) are skipped: their rows go with
-- the cascade (the foreign keys of report_daily).
CREATE FUNCTION report_daily_sql(changed text) RETURNS text
LANGUAGE sql IMMUTABLE AS $f$
  SELECT format($q$
    WITH changed AS (%s),
    ctx AS (
      SELECT m.*, c.practice_id AS practice, coalesce(p.timezone, 'America/Guayaquil') AS tz,
             m.status IN ('SENT', 'DELIVERED', 'REPLIED') AS reached,
             m.type IN ('INITIAL', 'REMINDER') AS request,
             m.type = 'FOLLOWUP_HAPPY' AS happy
        FROM changed m
        JOIN public.workspaces w ON w.id = m.workspace_id
        LEFT JOIN public.campaigns c ON c.workspace_id = m.workspace_id AND c.id = m.campaign_id
        LEFT JOIN public.practices p ON p.workspace_id = c.workspace_id AND p.id = c.practice_id
       WHERE m.campaign_id IS NULL OR c.id IS NOT NULL),
    facts AS (
      SELECT workspace_id, (coalesce(sent_at, created_at) AT TIME ZONE tz)::date AS day,
             campaign_id, practice, channel,
             sign * request::int AS sent,
             sign * (request AND status IN ('DELIVERED', 'REPLIED'))::int AS delivered,
             sign * (request AND status = 'REPLIED')::int AS replied,
             sign * happy::int AS happy_sent,
             sign * (happy AND review_clicked_at IS NOT NULL)::int AS happy_clicked,
             0 AS r1, 0 AS r2, 0 AS r3, 0 AS r4, 0 AS r5
        FROM ctx WHERE reached AND (request OR happy)
      UNION ALL
      SELECT workspace_id, (coalesce(replied_at, created_at) AT TIME ZONE tz)::date,
             campaign_id, practice, channel, 0, 0, 0, 0, 0,
             sign * (rating = 1)::int, sign * (rating = 2)::int, sign * (rating = 3)::int,
             sign * (rating = 4)::int, sign * (rating = 5)::int
        FROM ctx WHERE rating IS NOT NULL),
    net AS (
      SELECT workspace_id, day, campaign_id, channel, (array_agg(practice))[1] AS practice,
             sum(sent) AS sent, sum(delivered) AS delivered, sum(replied) AS replied,
             sum(happy_sent) AS happy_sent, sum(happy_clicked) AS happy_clicked,
             sum(r1) AS r1, sum(r2) AS r2, sum(r3) AS r3, sum(r4) AS r4, sum(r5) AS r5
        FROM facts GROUP BY workspace_id, day, campaign_id, channel)
    INSERT INTO public.report_daily AS r
           (workspace_id, day, campaign_id, channel, practice_id, sent, delivered, replied,
            happy_sent, happy_clicked, rating_1, rating_2, rating_3, rating_4, rating_5)
    SELECT workspace_id, day, campaign_id, channel, practice, sent, delivered, replied,
           happy_sent, happy_clicked, r1, r2, r3, r4, r5
      FROM net
     WHERE (sent, delivered, replied, happy_sent, happy_clicked, r1, r2, r3, r4, r5)
           IS DISTINCT FROM (0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
     ORDER BY workspace_id, day, campaign_id, channel
    ON CONFLICT ON CONSTRAINT report_daily_key DO UPDATE
       SET sent = r.sent + excluded.sent, delivered = r.delivered + excluded.delivered,
           replied = r.replied + excluded.replied, happy_sent = r.happy_sent + excluded.happy_sent,
           happy_clicked = r.happy_clicked + excluded.happy_clicked,
           rating_1 = r.rating_1 + excluded.rating_1, rating_2 = r.rating_2 + excluded.rating_2,
           rating_3 = r.rating_3 + excluded.rating_3, rating_4 = r.rating_4 + excluded.rating_4,
           rating_5 = r.rating_5 + excluded.rating_5, practice_id = excluded.practice_id
  $q$, changed)
$f$;

-- Statement triggers: one pass over the statement's transition tables, whatever the number
-- of rows (an import, a campaign's cancellation, the benchmark's millions of messages). The
-- transition tables are visible to EXECUTE in this function (not in functions it calls).
CREATE FUNCTION report_daily_on_messages() RETURNS trigger
LANGUAGE plpgsql SECURITY INVOKER SET search_path = public, pg_temp AS $$
BEGIN
  EXECUTE public.report_daily_sql(CASE TG_OP
    WHEN 'INSERT' THEN 'SELECT 1 AS sign, n.* FROM new_rows n'
    WHEN 'DELETE' THEN 'SELECT -1 AS sign, o.* FROM old_rows o'
    ELSE 'SELECT 1 AS sign, n.* FROM new_rows n UNION ALL SELECT -1, o.* FROM old_rows o' END);
  RETURN NULL;
END
$$;

CREATE TRIGGER report_daily_insert AFTER INSERT ON messages
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_daily_on_messages();
CREATE TRIGGER report_daily_delete AFTER DELETE ON messages
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_daily_on_messages();
CREATE TRIGGER report_daily_update AFTER UPDATE ON messages
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_daily_on_messages();

-- Recounts one campaign's rows (or, with p_campaign NULL, the workspace's messages without a
-- campaign) from its messages.
CREATE FUNCTION report_daily_rebuild(p_workspace uuid, p_campaign uuid) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY INVOKER SET search_path = public, pg_temp AS $$
BEGIN
  DELETE FROM public.report_daily
   WHERE workspace_id = p_workspace AND campaign_id IS NOT DISTINCT FROM p_campaign;
  EXECUTE public.report_daily_sql(format(
    'SELECT 1 AS sign, m.* FROM public.messages m
      WHERE m.workspace_id = %L AND m.campaign_id IS NOT DISTINCT FROM %L::uuid',
    p_workspace, p_campaign));
END
$$;

CREATE FUNCTION report_daily_on_campaign() RETURNS trigger
LANGUAGE plpgsql SECURITY INVOKER SET search_path = public, pg_temp AS $$
BEGIN
  PERFORM public.report_daily_rebuild(NEW.workspace_id, NEW.id);
  RETURN NULL;
END
$$;
CREATE TRIGGER report_daily_campaign_practice AFTER UPDATE OF practice_id ON campaigns
  FOR EACH ROW WHEN (OLD.practice_id IS DISTINCT FROM NEW.practice_id)
  EXECUTE FUNCTION report_daily_on_campaign();

CREATE FUNCTION report_daily_on_practice() RETURNS trigger
LANGUAGE plpgsql SECURITY INVOKER SET search_path = public, pg_temp AS $$
BEGIN
  PERFORM public.report_daily_rebuild(c.workspace_id, c.id)
     FROM public.campaigns c WHERE c.workspace_id = NEW.workspace_id AND c.practice_id = NEW.id;
  RETURN NULL;
END
$$;
CREATE TRIGGER report_daily_practice_timezone AFTER UPDATE OF timezone ON practices
  FOR EACH ROW WHEN (OLD.timezone IS DISTINCT FROM NEW.timezone)
  EXECUTE FUNCTION report_daily_on_practice();

-- Home's "recent activity": the latest delivered or replied messages of a workspace.
CREATE INDEX messages_activity_idx ON messages
  (workspace_id, (coalesce(replied_at, delivered_at)) DESC) WHERE status IN ('DELIVERED', 'REPLIED');

-- Messages already there (a database migrated with history) get their rows now.
SELECT report_daily_rebuild(w.id, c.id)
  FROM workspaces w LEFT JOIN campaigns c ON c.workspace_id = w.id;
SELECT report_daily_rebuild(w.id, NULL) FROM workspaces w;
