-- 0061: what the reports' figures mean, in one place. The reports program reads only these
-- functions (and report_daily, see 0060); the README repeats the definitions.
--
--   NPS (1-5 scale)   promoters rate 4-5, passives 3, detractors 1-2;
--                     NPS = round((promoters - detractors) / rated × 100); NULL (shown '—')
--                     when nothing was rated. Ratings count on the day of replied_at.
--   sent              rating requests (INITIAL, REMINDER) that reached SENT, DELIVERED or
--                     REPLIED; a message delivered and then replied counts once in each.
--   conversion        replied / sent, as a whole percentage.
--   delivery rate     delivered-or-replied / sent.
--   review click-through  happy follow-ups whose /r/ link was clicked / happy follow-ups sent.
--   Percentages are rounded half away from zero; NULL (shown '—') when the divisor is 0.
--   Days are calendar days in the practice's timezone; weeks start on Monday.
--   A DOCTOR's reports cover only the campaigns they created (p_author); others pass NULL.

CREATE FUNCTION report_nps(p_promoters bigint, p_detractors bigint, p_rated bigint)
RETURNS integer LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN p_rated > 0
              THEN round((p_promoters - p_detractors) * 100.0 / p_rated)::integer END
$$;

CREATE FUNCTION report_pct(p_part bigint, p_whole bigint)
RETURNS integer LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN p_whole > 0 THEN round(p_part * 100.0 / p_whole)::integer END
$$;

-- The rollup rows of a date range, filtered. Plain SQL so the planner inlines it; runs under
-- row-level security, so only the request's workspace is seen.
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

-- Every figure of a report in one pass: the total (grp 'total'), per week ('week', week =
-- its Monday), per campaign ('campaign') and per channel ('channel').
CREATE FUNCTION report_figures(p_from date, p_to date, p_practice uuid, p_campaign uuid,
                               p_channel message_channel, p_author uuid)
RETURNS TABLE (grp text, week date, campaign_id uuid, channel message_channel,
               sent bigint, delivered bigint, replied bigint, happy_sent bigint,
               happy_clicked bigint, rating_1 bigint, rating_2 bigint, rating_3 bigint,
               rating_4 bigint, rating_5 bigint, rated bigint, promoters bigint,
               passives bigint, detractors bigint, nps integer, conversion integer,
               delivery_rate integer, click_through integer)
LANGUAGE sql STABLE AS $$
  WITH g AS (
    SELECT CASE WHEN grouping(date_trunc('week', r.day)) = 0 THEN 'week'
                WHEN grouping(r.campaign_id) = 0 THEN 'campaign'
                WHEN grouping(r.channel) = 0 THEN 'channel'
                ELSE 'total' END AS grp,
           date_trunc('week', r.day)::date AS week, r.campaign_id, r.channel,
           coalesce(sum(r.sent), 0) AS sent, coalesce(sum(r.delivered), 0) AS delivered,
           coalesce(sum(r.replied), 0) AS replied,
           coalesce(sum(r.happy_sent), 0) AS happy_sent,
           coalesce(sum(r.happy_clicked), 0) AS happy_clicked,
           coalesce(sum(r.rating_1), 0) AS r1, coalesce(sum(r.rating_2), 0) AS r2,
           coalesce(sum(r.rating_3), 0) AS r3, coalesce(sum(r.rating_4), 0) AS r4,
           coalesce(sum(r.rating_5), 0) AS r5
      FROM public.report_rows(p_from, p_to, p_practice, p_campaign, p_channel, p_author) r
     GROUP BY GROUPING SETS ((), (date_trunc('week', r.day)), (r.campaign_id), (r.channel)))
  SELECT g.grp, g.week, g.campaign_id, g.channel, g.sent, g.delivered, g.replied,
         g.happy_sent, g.happy_clicked, g.r1, g.r2, g.r3, g.r4, g.r5,
         g.r1 + g.r2 + g.r3 + g.r4 + g.r5, g.r4 + g.r5, g.r3, g.r1 + g.r2,
         public.report_nps(g.r4 + g.r5, g.r1 + g.r2, g.r1 + g.r2 + g.r3 + g.r4 + g.r5),
         public.report_pct(g.replied, g.sent), public.report_pct(g.delivered, g.sent),
         public.report_pct(g.happy_clicked, g.happy_sent)
    FROM g
$$;

GRANT EXECUTE ON FUNCTION report_nps(bigint, bigint, bigint), report_pct(bigint, bigint),
  report_rows(date, date, uuid, uuid, message_channel, uuid),
  report_figures(date, date, uuid, uuid, message_channel, uuid) TO rm_app;
