-- Reverts 0134: 0130's app_due_workspaces.

CREATE OR REPLACE FUNCTION app_due_workspaces(p_limit integer) RETURNS SETOF uuid
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  RETURN QUERY
  SELECT d.workspace_id
    FROM (SELECT m.workspace_id, m.scheduled_at
            FROM public.messages m
           WHERE m.status = 'PENDING' AND m.scheduled_at <= now()
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
