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
-- The rows are kept by triggers on messages in the same transaction that changes a message
-- (insert, any update of a column that matters, delete, including the deletes cascaded from
-- a patient or a campaign): the message's old contribution is taken away and its new one
-- added. A campaign that moves to another practice, or a practice whose timezone changes,
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

-- Adds (sign = 1) or takes away (sign = -1) one message's contribution.
CREATE FUNCTION report_daily_add(m messages, sign integer) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY INVOKER SET search_path = public, pg_temp AS $$
DECLARE
  v_practice uuid;
  v_tz       text := 'America/Guayaquil';
  v_found    boolean;
  v_request  boolean := m.type IN ('INITIAL', 'REMINDER');
  v_happy    boolean := m.type = 'FOLLOWUP_HAPPY';
  v_reached  boolean := m.status IN ('SENT', 'DELIVERED', 'REPLIED');
  v_day      date;
BEGIN
  IF NOT v_reached AND m.rating IS NULL THEN
    RETURN;                       -- PENDING, SENDING, FAILED, CANCELLED without a rating
  END IF;
  -- Inside a cascaded delete of the workspace or of the campaign, the parent is already
  -- invisible here: its rollup rows go by their own cascade, so there is nothing to do.
  IF m.campaign_id IS NULL THEN
    SELECT true INTO v_found FROM public.workspaces w WHERE w.id = m.workspace_id;
  ELSE
    SELECT true, c.practice_id, coalesce(p.timezone, v_tz) INTO v_found, v_practice, v_tz
      FROM public.campaigns c
      LEFT JOIN public.practices p ON p.workspace_id = c.workspace_id AND p.id = c.practice_id
     WHERE c.workspace_id = m.workspace_id AND c.id = m.campaign_id;
  END IF;
  IF v_found IS NULL THEN
    RETURN;
  END IF;

  IF v_reached AND (v_request OR v_happy) THEN
    v_day := (coalesce(m.sent_at, m.created_at) AT TIME ZONE v_tz)::date;
    INSERT INTO public.report_daily AS r
           (workspace_id, day, campaign_id, practice_id, channel,
            sent, delivered, replied, happy_sent, happy_clicked)
    VALUES (m.workspace_id, v_day, m.campaign_id, v_practice, m.channel,
            sign * v_request::int,
            sign * (v_request AND m.status IN ('DELIVERED', 'REPLIED'))::int,
            sign * (v_request AND m.status = 'REPLIED')::int,
            sign * v_happy::int,
            sign * (v_happy AND m.review_clicked_at IS NOT NULL)::int)
    ON CONFLICT ON CONSTRAINT report_daily_key DO UPDATE
       SET sent = r.sent + excluded.sent, delivered = r.delivered + excluded.delivered,
           replied = r.replied + excluded.replied, happy_sent = r.happy_sent + excluded.happy_sent,
           happy_clicked = r.happy_clicked + excluded.happy_clicked,
           practice_id = excluded.practice_id;
  END IF;

  IF m.rating IS NOT NULL THEN
    v_day := (coalesce(m.replied_at, m.created_at) AT TIME ZONE v_tz)::date;
    INSERT INTO public.report_daily AS r
           (workspace_id, day, campaign_id, practice_id, channel,
            rating_1, rating_2, rating_3, rating_4, rating_5)
    VALUES (m.workspace_id, v_day, m.campaign_id, v_practice, m.channel,
            sign * (m.rating = 1)::int, sign * (m.rating = 2)::int, sign * (m.rating = 3)::int,
            sign * (m.rating = 4)::int, sign * (m.rating = 5)::int)
    ON CONFLICT ON CONSTRAINT report_daily_key DO UPDATE
       SET rating_1 = r.rating_1 + excluded.rating_1, rating_2 = r.rating_2 + excluded.rating_2,
           rating_3 = r.rating_3 + excluded.rating_3, rating_4 = r.rating_4 + excluded.rating_4,
           rating_5 = r.rating_5 + excluded.rating_5, practice_id = excluded.practice_id;
  END IF;
END
$$;

CREATE FUNCTION report_daily_on_message() RETURNS trigger
LANGUAGE plpgsql SECURITY INVOKER SET search_path = public, pg_temp AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM public.report_daily_add(OLD, -1);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM public.report_daily_add(NEW, 1);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER report_daily_insert AFTER INSERT ON messages
  FOR EACH ROW EXECUTE FUNCTION report_daily_on_message();
CREATE TRIGGER report_daily_delete AFTER DELETE ON messages
  FOR EACH ROW EXECUTE FUNCTION report_daily_on_message();
-- Only updates that change a counted fact (the sender's lease, content and attempts do not).
CREATE TRIGGER report_daily_update AFTER UPDATE ON messages
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status
                  OR OLD.sent_at IS DISTINCT FROM NEW.sent_at
                  OR OLD.replied_at IS DISTINCT FROM NEW.replied_at
                  OR OLD.rating IS DISTINCT FROM NEW.rating
                  OR OLD.review_clicked_at IS DISTINCT FROM NEW.review_clicked_at
                  OR OLD.campaign_id IS DISTINCT FROM NEW.campaign_id
                  OR OLD.channel IS DISTINCT FROM NEW.channel
                  OR OLD.type IS DISTINCT FROM NEW.type
                  OR OLD.created_at IS DISTINCT FROM NEW.created_at
                  OR OLD.workspace_id IS DISTINCT FROM NEW.workspace_id)
  EXECUTE FUNCTION report_daily_on_message();

-- Recounts one campaign's rows (or, with p_campaign NULL, the workspace's messages without a
-- campaign) from its messages.
CREATE FUNCTION report_daily_rebuild(p_workspace uuid, p_campaign uuid) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY INVOKER SET search_path = public, pg_temp AS $$
DECLARE
  m public.messages;
BEGIN
  DELETE FROM public.report_daily
   WHERE workspace_id = p_workspace AND campaign_id IS NOT DISTINCT FROM p_campaign;
  FOR m IN SELECT * FROM public.messages
            WHERE workspace_id = p_workspace AND campaign_id IS NOT DISTINCT FROM p_campaign
  LOOP
    PERFORM public.report_daily_add(m, 1);
  END LOOP;
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
