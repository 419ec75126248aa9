-- Reverts 0133: 0132's app_complete_campaigns.
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
