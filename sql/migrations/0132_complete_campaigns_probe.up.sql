-- 0132: the minute's campaign completion probes each ACTIVE campaign instead of reading
-- every message.
--
-- app_complete_campaigns (0050), which the sender runs once a minute, wrote its three
-- tests as EXISTS / NOT EXISTS. PostgreSQL turned "the campaign has a message" into a
-- semi-join over all of messages (a sequential scan and a hash of 565,000 rows on the
-- webhooks bench) and "no INITIAL could still get a reminder" into bitmaps of all of a
-- campaign's messages: 1.05 s of the sender's backend, on the cores the webhooks serve,
-- once a minute (seen in the bench's log, right in a timed run). Each test is now a
-- subquery that stops at the first row it finds, by the (campaign_id, status) index:
-- 2 ms on the same data. The INITIALs that could get a reminder are looked for among
-- SENT and DELIVERED ones only, which app_reminder_possible requires anyway.
-- Which campaigns complete is unchanged (test_webhooks_schedule.py).

CREATE OR REPLACE FUNCTION app_complete_campaigns(p_workspace uuid DEFAULT NULL) RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  n integer;
BEGIN
  UPDATE public.campaigns c SET status = 'COMPLETED'
   WHERE c.status = 'ACTIVE'
     AND (p_workspace IS NULL OR c.workspace_id = p_workspace)
     -- it has messages
     AND (SELECT true FROM public.messages m
           WHERE m.workspace_id = c.workspace_id AND m.campaign_id = c.id LIMIT 1)
     -- none of them PENDING or SENDING
     AND (SELECT true FROM public.messages m
           WHERE m.workspace_id = c.workspace_id AND m.campaign_id = c.id
             AND m.status IN ('PENDING', 'SENDING') LIMIT 1) IS NULL
     -- and no INITIAL that could still get its reminder
     AND (SELECT true FROM public.messages m
           WHERE m.workspace_id = c.workspace_id AND m.campaign_id = c.id
             AND m.type = 'INITIAL' AND m.status IN ('SENT', 'DELIVERED')
             AND public.app_reminder_possible(m) LIMIT 1) IS NULL;
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END
$$;
