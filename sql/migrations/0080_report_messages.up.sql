-- 0080: the messages behind a report, by the same definitions as its figures (0060, 0061),
-- for the messages CSV export.
--
--   report_messages(p_from, p_to, p_practice, p_campaign, p_channel, p_author)
--     Every message that adds to some figure of report_figures over the same range and
--     filters, and no other: a rating request (INITIAL, REMINDER) or a happy follow-up
--     that reached SENT, DELIVERED or REPLIED on a day of the range (day of sent_at), or
--     a message whose rating came on a day of the range (day of replied_at); days in the
--     campaign's practice's timezone (America/Guayaquil without one), exactly as
--     report_daily_sql (0060) counts them, coalesce to created_at included. A failed or
--     cancelled message adds to no figure and is not listed. Plain SQL, so the planner
--     inlines it; runs under row-level security like report_rows.
--
-- The UTC windows (a day either side of the range: no timezone is more than 14 hours
-- from UTC) are redundant with the exact day tests; they let each branch use an index:
-- messages_sent_at_idx (0004) for the sends, messages_rated_idx below for the ratings.
-- A rating is a small share of the messages, so the partial index is small.

CREATE INDEX messages_rated_idx ON messages (replied_at) WHERE rating IS NOT NULL;

CREATE FUNCTION report_messages(p_from date, p_to date, p_practice uuid, p_campaign uuid,
                                p_channel message_channel, p_author uuid)
RETURNS SETOF messages LANGUAGE sql STABLE AS $$
  SELECT m.* FROM public.messages m
    LEFT JOIN public.campaigns c ON c.workspace_id = m.workspace_id AND c.id = m.campaign_id
    LEFT JOIN public.practices p ON p.workspace_id = c.workspace_id AND p.id = c.practice_id
   WHERE (p_practice IS NULL OR c.practice_id = p_practice)
     AND (p_campaign IS NULL OR m.campaign_id = p_campaign)
     AND (p_channel IS NULL OR m.channel = p_channel)
     AND (p_author IS NULL OR c.created_by = p_author)
     AND ((m.type IN ('INITIAL', 'REMINDER', 'FOLLOWUP_HAPPY')
           AND m.status IN ('SENT', 'DELIVERED', 'REPLIED')
           AND (m.sent_at IS NULL
                OR (m.sent_at >= (p_from - 1)::timestamp AT TIME ZONE 'UTC'
                    AND m.sent_at < (p_to + 2)::timestamp AT TIME ZONE 'UTC'))
           AND (coalesce(m.sent_at, m.created_at)
                  AT TIME ZONE coalesce(p.timezone, 'America/Guayaquil'))::date
               BETWEEN p_from AND p_to)
       OR (m.rating IS NOT NULL
           AND (m.replied_at IS NULL
                OR (m.replied_at >= (p_from - 1)::timestamp AT TIME ZONE 'UTC'
                    AND m.replied_at < (p_to + 2)::timestamp AT TIME ZONE 'UTC'))
           AND (coalesce(m.replied_at, m.created_at)
                  AT TIME ZONE coalesce(p.timezone, 'America/Guayaquil'))::date
               BETWEEN p_from AND p_to))
$$;

GRANT EXECUTE ON FUNCTION report_messages(date, date, uuid, uuid, message_channel, uuid)
  TO rm_app;
