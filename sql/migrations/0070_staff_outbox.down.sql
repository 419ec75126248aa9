-- Reverts 0070.
CREATE OR REPLACE FUNCTION app_due_workspaces(p_limit integer) RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT m.workspace_id
    FROM public.messages m
   WHERE (m.status = 'PENDING' AND m.scheduled_at <= now())
      OR (m.status = 'SENDING' AND m.locked_until < now())
   GROUP BY m.workspace_id
   ORDER BY min(m.scheduled_at)
   LIMIT least(greatest(coalesce(p_limit, 100), 1), 1000)
$$;
DROP FUNCTION staff_outbox_complete(jsonb);
DROP FUNCTION staff_outbox_claim(integer, integer);
DROP TABLE staff_outbox;
