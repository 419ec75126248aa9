-- 0110: a message change appends its rollup change; the sender folds them in.
--
-- Until now (0060, 0084) each statement that changed messages upserted its net change into
-- report_daily in the same transaction, under the workspace's advisory lock. Two costs sat
-- in every status callback and every reply: the upsert statement was built as text and
-- planned again each time (about half the callback's database time), and the lock made
-- every transaction of a workspace wait, until commit, for the one before it (all of a
-- campaign's deliveries of a day land on one rollup row anyway).
--
-- Now:
--   * the statement triggers on messages call report_daily_record, whose statement is
--     written out (PL/pgSQL keeps its plan), with the changed rows that can count at all;
--   * report_daily_record appends the net change, per rollup key, to report_daily_delta:
--     a plain insert, no lock, no conflict, so writers commit side by side;
--   * report_daily_fold moves the appended changes into report_daily, summed per key, in
--     one statement (one snapshot: what it deletes is exactly what it adds). The sender
--     runs it every few seconds (fcgi/sender.c); anyone may, at any time;
--   * readers read report_daily_now: the folded rows plus the changes not yet folded. A
--     figure is exact at every moment, folded or not (sums over both).
-- report_daily keeps its meaning and its key; it just lags report_daily_now by the changes
-- appended since the last fold.

CREATE TABLE report_daily_delta (
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
  -- Keyed like every tenant table, in one index: appends never conflict on it.
  PRIMARY KEY (workspace_id, id),
  -- A campaign's changes go with it, like its rollup rows. practice_id has no foreign
  -- key (a check per append): it is always a live campaign's practice, which cannot be
  -- deleted while the campaign uses it, and a campaign moved to another practice has its
  -- changes recounted (report_daily_rebuild).
  FOREIGN KEY (workspace_id, campaign_id) REFERENCES campaigns (workspace_id, id) ON DELETE CASCADE
);
CREATE TRIGGER report_daily_delta_updated_at BEFORE UPDATE ON report_daily_delta
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();
-- Readers take a workspace's changes, or a campaign's (the campaign list, per campaign).
CREATE INDEX report_daily_delta_campaign_idx ON report_daily_delta (workspace_id, campaign_id);

ALTER TABLE report_daily_delta ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON report_daily_delta
  USING (workspace_id = nullif(current_setting('app.workspace_id', true), '')::uuid)
  WITH CHECK (workspace_id = nullif(current_setting('app.workspace_id', true), '')::uuid);
-- Appended by whoever changes a message (rm_app in a request); read by the reports;
-- deleted only by the fold (its owner's rights) and a campaign's recount.
GRANT SELECT, INSERT, DELETE ON report_daily_delta TO rm_app;

-- What every report reads. security_invoker: row-level security of the reader applies.
CREATE VIEW report_daily_now WITH (security_invoker = true) AS
  SELECT workspace_id, day, campaign_id, practice_id, channel, sent, delivered, replied,
         happy_sent, happy_clicked, rating_1, rating_2, rating_3, rating_4, rating_5
    FROM report_daily
  UNION ALL
  SELECT workspace_id, day, campaign_id, practice_id, channel, sent, delivered, replied,
         happy_sent, happy_clicked, rating_1, rating_2, rating_3, rating_4, rating_5
    FROM report_daily_delta;
GRANT SELECT ON report_daily_now TO rm_app;

-- Appends the rollup change of a set of message changes: p_new holds messages' new states
-- (counted +1), p_old their old ones (-1); either may be NULL. The facts and days are
-- 0060's, unchanged. Messages whose workspace or campaign is no longer visible (inside the
-- cascaded delete of either) are skipped: their rollups go with the cascade. A written-out
-- statement, so its plan is kept per connection; a generic one, since the arrays are the
-- only parameters and hold one or two rows on the hot paths.
CREATE FUNCTION report_daily_record(p_new messages[], p_old messages[]) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY INVOKER
SET search_path = public, pg_temp SET plan_cache_mode = force_generic_plan AS $$
BEGIN
  IF p_new IS NULL AND p_old IS NULL THEN
    RETURN;
  END IF;
  WITH changed AS (
    SELECT 1 AS sign, n.* FROM unnest(p_new) n
    UNION ALL
    SELECT -1, o.* FROM unnest(p_old) o),
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
  INSERT INTO public.report_daily_delta
         (workspace_id, day, campaign_id, channel, practice_id, sent, delivered, replied,
          happy_sent, happy_clicked, rating_1, rating_2, rating_3, rating_4, rating_5)
  SELECT workspace_id, day, campaign_id, channel, practice, sent, delivered, replied,
         happy_sent, happy_clicked, r1, r2, r3, r4, r5
    FROM net
   -- A sender's lease, new content, a status that counts nowhere: nothing to append.
   WHERE (sent, delivered, replied, happy_sent, happy_clicked, r1, r2, r3, r4, r5)
         IS DISTINCT FROM (0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
END
$$;
GRANT EXECUTE ON FUNCTION report_daily_record(messages[], messages[]) TO rm_app;

-- The statement triggers of 0060 keep their names; their function now hands the changed
-- rows that can count anywhere (a status that reached the patient, or a rating: a superset
-- of what report_daily_record counts) to report_daily_record. The sender's claims and
-- leases, cancellations of PENDING messages and the import's PENDING inserts hand over
-- nothing. Each branch reads only the transition tables its operation has.
CREATE OR REPLACE FUNCTION report_daily_on_messages() RETURNS trigger
LANGUAGE plpgsql SECURITY INVOKER SET search_path = public, pg_temp AS $$
DECLARE
  v_new public.messages[];
  v_old public.messages[];
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    SELECT array_agg(n) INTO v_new FROM new_rows n
     WHERE n.status IN ('SENT', 'DELIVERED', 'REPLIED') OR n.rating IS NOT NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    SELECT array_agg(o) INTO v_old FROM old_rows o
     WHERE o.status IN ('SENT', 'DELIVERED', 'REPLIED') OR o.rating IS NOT NULL;
  END IF;
  PERFORM public.report_daily_record(v_new, v_old);
  RETURN NULL;
END
$$;

-- Moves every appended change into report_daily, summed per key, and returns how many it
-- moved. One statement: the rows it deletes are the rows it adds, whatever commits
-- meanwhile (a change committed later waits for the next fold). Upserts in key order.
-- Crosses tenants (the sender's maintenance), hence its owner's rights; two folds at once:
-- the second returns 0 at once.
CREATE FUNCTION report_daily_fold() RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  n integer;
BEGIN
  IF NOT pg_try_advisory_xact_lock(hashtext('report_daily'), 0) THEN
    RETURN 0;
  END IF;
  WITH moved AS (
    DELETE FROM public.report_daily_delta RETURNING *),
  net AS (
    SELECT workspace_id, day, campaign_id, channel,
           (array_agg(practice_id))[1] AS practice_id, count(*) AS changes,
           sum(sent) AS sent, sum(delivered) AS delivered, sum(replied) AS replied,
           sum(happy_sent) AS happy_sent, sum(happy_clicked) AS happy_clicked,
           sum(rating_1) AS r1, sum(rating_2) AS r2, sum(rating_3) AS r3,
           sum(rating_4) AS r4, sum(rating_5) AS r5
      FROM moved GROUP BY workspace_id, day, campaign_id, channel),
  folded AS (
    INSERT INTO public.report_daily AS r
           (workspace_id, day, campaign_id, channel, practice_id, sent, delivered, replied,
            happy_sent, happy_clicked, rating_1, rating_2, rating_3, rating_4, rating_5)
    SELECT workspace_id, day, campaign_id, channel, practice_id, sent, delivered, replied,
           happy_sent, happy_clicked, r1, r2, r3, r4, r5
      FROM net
     ORDER BY workspace_id, day, campaign_id, channel
    ON CONFLICT ON CONSTRAINT report_daily_key DO UPDATE
       SET sent = r.sent + excluded.sent, delivered = r.delivered + excluded.delivered,
           replied = r.replied + excluded.replied, happy_sent = r.happy_sent + excluded.happy_sent,
           happy_clicked = r.happy_clicked + excluded.happy_clicked,
           rating_1 = r.rating_1 + excluded.rating_1, rating_2 = r.rating_2 + excluded.rating_2,
           rating_3 = r.rating_3 + excluded.rating_3, rating_4 = r.rating_4 + excluded.rating_4,
           rating_5 = r.rating_5 + excluded.rating_5, practice_id = excluded.practice_id
    RETURNING 1)
  SELECT coalesce(sum(changes), 0) INTO n FROM net;
  RETURN n;
END
$$;
REVOKE ALL ON FUNCTION report_daily_fold() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION report_daily_fold() TO rm_app;

-- Recounts one campaign's rows (or, with p_campaign NULL, the workspace's messages without
-- a campaign) from its messages. The deletes and the read of the messages are one
-- statement, one snapshot: a change committed before it is in the recount and its rows are
-- gone; one committed after keeps its appended row. It waits for a fold in progress.
CREATE OR REPLACE FUNCTION report_daily_rebuild(p_workspace uuid, p_campaign uuid) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY INVOKER SET search_path = public, pg_temp AS $$
DECLARE
  v_rows public.messages[];
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('report_daily'), 0);
  WITH folded AS (
    DELETE FROM public.report_daily
     WHERE workspace_id = p_workspace AND campaign_id IS NOT DISTINCT FROM p_campaign),
  appended AS (
    DELETE FROM public.report_daily_delta
     WHERE workspace_id = p_workspace AND campaign_id IS NOT DISTINCT FROM p_campaign)
  SELECT array_agg(m) INTO v_rows FROM public.messages m
   WHERE m.workspace_id = p_workspace AND m.campaign_id IS NOT DISTINCT FROM p_campaign
     AND (m.status IN ('SENT', 'DELIVERED', 'REPLIED') OR m.rating IS NOT NULL);
  PERFORM public.report_daily_record(v_rows, NULL);
END
$$;

-- The reports' rows (0061) now come from report_daily_now; same columns, same filters.
DROP FUNCTION report_rows(date, date, uuid, uuid, message_channel, uuid);
CREATE FUNCTION report_rows(p_from date, p_to date, p_practice uuid, p_campaign uuid,
                            p_channel message_channel, p_author uuid)
RETURNS SETOF report_daily_now LANGUAGE sql STABLE AS $$
  SELECT r.* FROM public.report_daily_now r
   WHERE r.day BETWEEN p_from AND p_to
     AND (p_practice IS NULL OR r.practice_id = p_practice)
     AND (p_campaign IS NULL OR r.campaign_id = p_campaign)
     AND (p_channel IS NULL OR r.channel = p_channel)
     AND (p_author IS NULL OR r.campaign_id IN
            (SELECT c.id FROM public.campaigns c WHERE c.created_by = p_author))
$$;
GRANT EXECUTE ON FUNCTION report_rows(date, date, uuid, uuid, message_channel, uuid) TO rm_app;

-- Writers no longer take turns (0084): appends do not conflict, and only the fold and a
-- recount write report_daily, under one lock.
DROP FUNCTION report_daily_sql(text);
DROP FUNCTION report_daily_lock(uuid);
