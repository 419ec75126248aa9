-- 0134: the sender's due lookup reads only what is due.
--
-- app_due_workspaces (0130) found the workspaces with due PENDING messages with
-- "status = 'PENDING' AND scheduled_at <= now()", and the planner estimated that
-- condition from scheduled_at over the whole table, where nearly every message (sent long
-- ago) lies in the past: it expected nearly every PENDING message to be due, and read them
-- all through messages_campaign_pending_idx (the smallest index of PENDING messages),
-- due or not. On the bench data (100,000 PENDING messages, all of them ahead, of
-- 5,000,000) that was 35-70 ms of a core for every round of the sender, even with nothing
-- to send; in a clinic it grows with every appointment imported ahead.
-- Now the branch takes the earliest due messages in messages_due_idx order, which stops at
-- the first message not yet due: its cost follows what is due, not what waits. The LIMIT
-- is what makes the planner choose that order; it also bounds a round's lookup in a
-- backlog: with more than 10,000 messages overdue, the workspaces of the 10,000 that have
-- waited longest go first (a later round finds the rest).

CREATE OR REPLACE FUNCTION app_due_workspaces(p_limit integer) RETURNS SETOF uuid
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  RETURN QUERY
  SELECT d.workspace_id
    FROM (SELECT due.workspace_id, due.scheduled_at
            FROM (SELECT m.workspace_id, m.scheduled_at
                    FROM public.messages m
                   WHERE m.status = 'PENDING' AND m.scheduled_at <= now()
                   ORDER BY m.scheduled_at
                   LIMIT 10000) due
          UNION ALL
          SELECT m.workspace_id, m.scheduled_at
            FROM public.messages m
           WHERE m.status = 'SENDING' AND m.locked_until < now()
          UNION ALL
          SELECT o.workspace_id, o.scheduled_at
            FROM public.staff_outbox o
           WHERE (o.status = 'PENDING' AND o.scheduled_at <= now())
              OR (o.status = 'SENDING' AND o.locked_until < now())) d
   GROUP BY d.workspace_id
   ORDER BY min(d.scheduled_at)
   LIMIT least(greatest(coalesce(p_limit, 100), 1), 1000);
END
$$;
