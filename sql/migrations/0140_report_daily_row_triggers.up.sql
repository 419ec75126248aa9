-- 0140: a message insert or update appends its rollup change from a row trigger that fires
-- only when the change counts somewhere.
--
-- Until now (0110) the statement triggers on INSERT and UPDATE of messages ran for every
-- statement: PostgreSQL kept transition tables of every changed row, and a PL/pgSQL
-- function collected the rows that could count into arrays and handed them to
-- report_daily_record, whose statement unnested them, joined workspaces, campaigns and
-- practices and grouped. For a one-row status callback or reply that was a quarter to a
-- third of the backend's time (perf, issue 8), and it ran just the same for the statements that count
-- nowhere: a reply's follow-up (PENDING), a cancelled reminder, the sender's claim.
--
-- Now:
--   * each trigger is FOR EACH ROW with a WHEN clause, which PostgreSQL evaluates in C
--     before queueing anything: a new row fires it only if it counts (a rating request
--     or happy follow-up that reached the patient, or a rating); a changed row only if
--     one of its two states counts and a column the rollups read changed. Everything else (the import's PENDING inserts, follow-ups, claims, leases,
--     cancellations of PENDING messages, a new content) costs nothing;
--   * the function appends the change of one row in one statement: report_daily_facts
--     (an inlined SQL function) gives a state's facts, +1 for NEW and -1 for OLD, and the
--     net per rollup key is appended as before;
--   * no transition tables on INSERT or UPDATE.
-- The facts, their days and their keys are 0060's and 0110's, unchanged. DELETE keeps its
-- statement trigger (report_daily_on_messages, 0110): deletes come in bulk (a campaign's or
-- a patient's cascade), where one call per statement is cheaper than one per row.
--
-- The workspace is not joined any more: an inserted or updated message's workspace exists
-- (its foreign key; a workspace's delete cascades deletes, never updates). Its campaign is
-- still looked up (the practice and its timezone) and a message whose campaign is not
-- visible is skipped, as before.

-- The facts of one state of a message, each signed: the send (rating requests and happy
-- follow-ups that reached the patient) on the day of sent_at, the rating on the day of
-- replied_at, in the timezone of the campaign's practice. No rows when the state counts
-- nowhere or its campaign is not visible (the WHEN clauses below test the same two
-- branches: status and type, or a rating). SQL, one statement, no SET: inlined into the
-- trigger's statement.
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

-- One row's change: its new facts minus its old ones, net per rollup key (a reply moves
-- "replied" on the day it was sent and adds a rating on the day of the reply), appended
-- where not zero. OLD is NULL on INSERT.
CREATE FUNCTION report_daily_on_message() RETURNS trigger
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

DROP TRIGGER report_daily_insert ON messages;
DROP TRIGGER report_daily_update ON messages;
-- A state counts: (status reached the patient AND type is a request or a happy follow-up)
-- OR it carries a rating (report_daily_facts' two branches).
CREATE TRIGGER report_daily_insert AFTER INSERT ON messages FOR EACH ROW
  WHEN ((NEW.status IN ('SENT', 'DELIVERED', 'REPLIED')
         AND NEW.type IN ('INITIAL', 'REMINDER', 'FOLLOWUP_HAPPY'))
        OR NEW.rating IS NOT NULL)
  EXECUTE FUNCTION report_daily_on_message();
-- A change counts when either state counts and a column that the facts read changed.
CREATE TRIGGER report_daily_update AFTER UPDATE ON messages FOR EACH ROW
  WHEN (((OLD.status IN ('SENT', 'DELIVERED', 'REPLIED')
          AND OLD.type IN ('INITIAL', 'REMINDER', 'FOLLOWUP_HAPPY'))
         OR OLD.rating IS NOT NULL
         OR (NEW.status IN ('SENT', 'DELIVERED', 'REPLIED')
             AND NEW.type IN ('INITIAL', 'REMINDER', 'FOLLOWUP_HAPPY'))
         OR NEW.rating IS NOT NULL)
        AND (OLD.workspace_id, OLD.campaign_id, OLD.channel, OLD.type, OLD.status, OLD.rating,
             OLD.sent_at, OLD.replied_at, OLD.review_clicked_at, OLD.created_at)
            IS DISTINCT FROM
            (NEW.workspace_id, NEW.campaign_id, NEW.channel, NEW.type, NEW.status, NEW.rating,
             NEW.sent_at, NEW.replied_at, NEW.review_clicked_at, NEW.created_at))
  EXECUTE FUNCTION report_daily_on_message();
