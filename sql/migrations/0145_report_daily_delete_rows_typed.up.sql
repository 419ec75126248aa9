-- 0145: deleting many patients, or a whole workspace, in one statement no longer takes
-- memory in proportion to the patients.
--
-- The rollups' DELETE trigger (report_daily_on_messages, a statement trigger since 0110;
-- 0140 gave INSERT and UPDATE row triggers of their own) runs once per statement that
-- deletes messages, and deleting patients cascades one such statement per patient. It
-- collected the deleted rows with array_agg(o): the whole row of a transition table is an
-- anonymous record, so that gave a record[], which PL/pgSQL converted on assigning it to
-- the function's messages[] variable, and the memory of each conversion was held until
-- the outer statement ended. Measured on the webhooks benchmark's workspace (500,000
-- patients, 818,267 messages), deleting it in one statement rolled back: the backend's
-- peak RSS reached 3.3 GB, against 0.46 GB with this trigger disabled; the same aggregate
-- not assigned to a variable, or an array of the ids assigned to one, did not grow. On the
-- million patients of the bench data the kernel killed the backend at 23 GB.
--
-- ROW(o.*)::messages builds each deleted row as a messages value from the start, so the
-- array is a messages[] and nothing is converted: 0.71 GB peak for the same delete, in
-- 26 s instead of 36.
--
-- The rows of a workspace or campaign being deleted are left out before they are
-- gathered: report_daily_record counts nothing for them (it joins both, and their rollup
-- rows go with them), but a campaign's cascade gathered its hundreds of thousands of
-- messages into one array first (the million-patient workspace's delete, with the change
-- above, still peaked at 5.0 GB, in 103 s). What is counted is unchanged. Now: 0.46 GB
-- and 24 s for the 500,000 patients, 1.2 GB (1 GB of it shared buffers) and 101 s for
-- the million.
CREATE OR REPLACE FUNCTION report_daily_on_messages() RETURNS trigger
LANGUAGE plpgsql SECURITY INVOKER SET search_path = public, pg_temp AS $$
DECLARE
  v_old public.messages[];
BEGIN
  SELECT array_agg(ROW(o.*)::public.messages) INTO v_old FROM old_rows o
   WHERE (o.status IN ('SENT', 'DELIVERED', 'REPLIED') OR o.rating IS NOT NULL)
     AND EXISTS (SELECT 1 FROM public.workspaces w WHERE w.id = o.workspace_id)
     AND (o.campaign_id IS NULL
          OR EXISTS (SELECT 1 FROM public.campaigns c
                      WHERE c.workspace_id = o.workspace_id AND c.id = o.campaign_id));
  PERFORM public.report_daily_record(NULL, v_old);
  RETURN NULL;
END
$$;
