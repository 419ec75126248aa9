-- Reverts 0132: 0050's app_complete_campaigns.

CREATE OR REPLACE FUNCTION app_complete_campaigns(p_workspace uuid DEFAULT NULL) RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  n integer;
BEGIN
  UPDATE public.campaigns c SET status = 'COMPLETED'
   WHERE c.status = 'ACTIVE'
     AND (p_workspace IS NULL OR c.workspace_id = p_workspace)
     AND EXISTS (SELECT 1 FROM public.messages m
                  WHERE m.workspace_id = c.workspace_id AND m.campaign_id = c.id)
     AND NOT EXISTS (SELECT 1 FROM public.messages m
                      WHERE m.workspace_id = c.workspace_id AND m.campaign_id = c.id
                        AND m.status IN ('PENDING', 'SENDING'))
     AND NOT EXISTS (SELECT 1 FROM public.messages m
                      WHERE m.workspace_id = c.workspace_id AND m.campaign_id = c.id
                        AND m.type = 'INITIAL' AND public.app_reminder_possible(m));
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END
$$;
