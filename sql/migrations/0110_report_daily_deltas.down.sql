-- Reverts 0110: the changes not yet folded go into report_daily first; then 0084's
-- writers (the upsert built as text, under the workspace's lock) come back.
SELECT report_daily_fold();

DROP FUNCTION report_rows(date, date, uuid, uuid, message_channel, uuid);
CREATE FUNCTION report_rows(p_from date, p_to date, p_practice uuid, p_campaign uuid,
                            p_channel message_channel, p_author uuid)
RETURNS SETOF report_daily LANGUAGE sql STABLE AS $$
  SELECT r.* FROM public.report_daily r
   WHERE r.day BETWEEN p_from AND p_to
     AND (p_practice IS NULL OR r.practice_id = p_practice)
     AND (p_campaign IS NULL OR r.campaign_id = p_campaign)
     AND (p_channel IS NULL OR r.channel = p_channel)
     AND (p_author IS NULL OR r.campaign_id IN
            (SELECT c.id FROM public.campaigns c WHERE c.created_by = p_author))
$$;
GRANT EXECUTE ON FUNCTION report_rows(date, date, uuid, uuid, message_channel, uuid) TO rm_app;

-- 0084's lock, statement and recount, as 0084 wrote them.
CREATE FUNCTION report_daily_lock(p_workspace uuid) RETURNS boolean
LANGUAGE plpgsql VOLATILE SET search_path = public, pg_temp AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('report_daily'), hashtext(p_workspace::text));
  RETURN true;
END
$$;
REVOKE ALL ON FUNCTION report_daily_lock(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION report_daily_lock(uuid) TO rm_app;

CREATE OR REPLACE FUNCTION report_daily_sql(changed text) RETURNS text
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
       AND public.report_daily_lock(workspace_id)
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

CREATE OR REPLACE FUNCTION report_daily_rebuild(p_workspace uuid, p_campaign uuid) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY INVOKER SET search_path = public, pg_temp AS $$
BEGIN
  PERFORM public.report_daily_lock(p_workspace);
  DELETE FROM public.report_daily
   WHERE workspace_id = p_workspace AND campaign_id IS NOT DISTINCT FROM p_campaign;
  EXECUTE public.report_daily_sql(format(
    'SELECT 1 AS sign, m.* FROM public.messages m
      WHERE m.workspace_id = %L AND m.campaign_id IS NOT DISTINCT FROM %L::uuid',
    p_workspace, p_campaign));
END
$$;


-- 0060's trigger function.
CREATE OR REPLACE FUNCTION report_daily_on_messages() RETURNS trigger
LANGUAGE plpgsql SECURITY INVOKER SET search_path = public, pg_temp AS $$
BEGIN
  EXECUTE public.report_daily_sql(CASE TG_OP
    WHEN 'INSERT' THEN 'SELECT 1 AS sign, n.* FROM new_rows n'
    WHEN 'DELETE' THEN 'SELECT -1 AS sign, o.* FROM old_rows o'
    ELSE 'SELECT 1 AS sign, n.* FROM new_rows n UNION ALL SELECT -1, o.* FROM old_rows o' END);
  RETURN NULL;
END
$$;

DROP FUNCTION report_daily_fold();
DROP FUNCTION report_daily_record(messages[], messages[]);
DROP VIEW report_daily_now;
DROP TABLE report_daily_delta;
