-- 0133: the minute's campaign completion asks "has it a message" by the campaign's index.
--
-- 0132's first probe, a LIMIT 1 over the campaign's messages, was planned as a sequential
-- scan: PostgreSQL expects the first of a campaign's 37,000 messages among the first few
-- hundred rows it reads. On the million-patient bench data (5,000,000 messages) a
-- campaign's messages sit far into the table, and the sender's once-a-minute pass took
-- 1.4-2.9 s of a core (seen in the bench's log, inside the import's timed runs). Asking
-- for the first by status makes a sequential scan read every match to find it, so the
-- (campaign_id, status) index is chosen: 1.9 s -> 6 ms for the bench's 7 ACTIVE campaigns.

CREATE OR REPLACE FUNCTION app_complete_campaigns(p_workspace uuid DEFAULT NULL) RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  n integer;
BEGIN
  UPDATE public.campaigns c SET status = 'COMPLETED'
   WHERE c.status = 'ACTIVE'
     AND (p_workspace IS NULL OR c.workspace_id = p_workspace)
     -- it has messages (ORDER BY: see above)
     AND (SELECT true FROM public.messages m
           WHERE m.workspace_id = c.workspace_id AND m.campaign_id = c.id
           ORDER BY m.status LIMIT 1)
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
