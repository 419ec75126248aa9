-- Reverts 0143: 0140's report_daily_facts and the trigger function's one statement over it.
CREATE FUNCTION report_daily_facts(m messages, sign integer)
RETURNS TABLE (workspace_id uuid, day date, campaign_id uuid, channel message_channel,
               practice_id uuid, sent integer, delivered integer, replied integer,
               happy_sent integer, happy_clicked integer,
               r1 integer, r2 integer, r3 integer, r4 integer, r5 integer)
LANGUAGE sql STABLE AS $$
  SELECT m.workspace_id, (coalesce(f.at, m.created_at) AT TIME ZONE x.tz)::date,
         m.campaign_id, m.channel, x.practice,
         sign * f.sent, sign * f.delivered, sign * f.replied, sign * f.happy_sent,
         sign * f.happy_clicked, sign * f.r1, sign * f.r2, sign * f.r3, sign * f.r4, sign * f.r5
    FROM (SELECT c.practice_id AS practice, coalesce(p.timezone, 'America/Guayaquil') AS tz
            FROM (SELECT) one
            LEFT JOIN public.campaigns c ON c.workspace_id = m.workspace_id AND c.id = m.campaign_id
            LEFT JOIN public.practices p ON p.workspace_id = c.workspace_id AND p.id = c.practice_id
           WHERE m.campaign_id IS NULL OR c.id IS NOT NULL) x,
         (SELECT m.sent_at AS at,
                 (m.type IN ('INITIAL', 'REMINDER'))::int AS sent,
                 (m.type IN ('INITIAL', 'REMINDER')
                  AND m.status IN ('DELIVERED', 'REPLIED'))::int AS delivered,
                 (m.type IN ('INITIAL', 'REMINDER') AND m.status = 'REPLIED')::int AS replied,
                 (m.type = 'FOLLOWUP_HAPPY')::int AS happy_sent,
                 (m.type = 'FOLLOWUP_HAPPY' AND m.review_clicked_at IS NOT NULL)::int AS happy_clicked,
                 0 AS r1, 0 AS r2, 0 AS r3, 0 AS r4, 0 AS r5
           WHERE m.status IN ('SENT', 'DELIVERED', 'REPLIED')
             AND m.type IN ('INITIAL', 'REMINDER', 'FOLLOWUP_HAPPY')
          UNION ALL
          SELECT m.replied_at, 0, 0, 0, 0, 0, (m.rating = 1)::int, (m.rating = 2)::int,
                 (m.rating = 3)::int, (m.rating = 4)::int, (m.rating = 5)::int
           WHERE m.rating IS NOT NULL) f
$$;

CREATE OR REPLACE FUNCTION report_daily_on_message() RETURNS trigger
LANGUAGE plpgsql SECURITY INVOKER SET search_path = public, pg_temp AS $$
BEGIN
  INSERT INTO public.report_daily_delta
         (workspace_id, day, campaign_id, channel, practice_id, sent, delivered, replied,
          happy_sent, happy_clicked, rating_1, rating_2, rating_3, rating_4, rating_5)
  SELECT f.workspace_id, f.day, f.campaign_id, f.channel, (array_agg(f.practice_id))[1],
         sum(f.sent), sum(f.delivered), sum(f.replied), sum(f.happy_sent),
         sum(f.happy_clicked), sum(f.r1), sum(f.r2), sum(f.r3), sum(f.r4), sum(f.r5)
    FROM (SELECT * FROM public.report_daily_facts(NEW, 1)
          UNION ALL
          SELECT * FROM public.report_daily_facts(OLD, -1)) f
   GROUP BY f.workspace_id, f.day, f.campaign_id, f.channel
  HAVING (sum(f.sent), sum(f.delivered), sum(f.replied), sum(f.happy_sent),
          sum(f.happy_clicked), sum(f.r1), sum(f.r2), sum(f.r3), sum(f.r4), sum(f.r5))
         IS DISTINCT FROM (0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  RETURN NULL;
END
$$;
