-- Reverts 0145: 0110's function, which also served INSERT and UPDATE.
CREATE OR REPLACE FUNCTION report_daily_on_messages() RETURNS trigger
LANGUAGE plpgsql SECURITY INVOKER SET search_path = public, pg_temp AS $$
DECLARE
  v_new public.messages[];
  v_old public.messages[];
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    SELECT array_agg(n) INTO v_new FROM new_rows n
     WHERE n.status IN ('SENT', 'DELIVERED', 'REPLIED') OR n.rating IS NOT NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    SELECT array_agg(o) INTO v_old FROM old_rows o
     WHERE o.status IN ('SENT', 'DELIVERED', 'REPLIED') OR o.rating IS NOT NULL;
  END IF;
  PERFORM public.report_daily_record(v_new, v_old);
  RETURN NULL;
END
$$;
