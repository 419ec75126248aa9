-- 0062: the home page's patient count, kept by triggers instead of counted per request
-- (count(*) over a million patients alone costs more than the page's whole budget).
--
-- One row per workspace: patients = its patients not erased. Statement-level triggers
-- with transition tables add each statement's change once, so a CSV import of thousands of
-- patients touches the row once. The row is a table of its own, not a column of
-- workspaces, so an import holding it never blocks the sender taking credits there.

CREATE TABLE report_counts (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  patients     bigint NOT NULL DEFAULT 0,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (workspace_id, id),
  CONSTRAINT report_counts_one_per_workspace UNIQUE (workspace_id)
);
CREATE TRIGGER report_counts_updated_at BEFORE UPDATE ON report_counts
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

ALTER TABLE report_counts ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON report_counts
  USING (workspace_id = nullif(current_setting('app.workspace_id', true), '')::uuid)
  WITH CHECK (workspace_id = nullif(current_setting('app.workspace_id', true), '')::uuid);
GRANT SELECT, INSERT, UPDATE, DELETE ON report_counts TO rm_app;

-- Adds each workspace's net change in live (not erased) patients.
CREATE FUNCTION report_counts_apply(p_delta jsonb) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY INVOKER SET search_path = public, pg_temp AS $$
BEGIN
  INSERT INTO public.report_counts AS r (workspace_id, patients)
  SELECT d.key::uuid, d.value::bigint
    FROM jsonb_each_text(p_delta) d
    JOIN public.workspaces w ON w.id = d.key::uuid     -- none inside a workspace's deletion
   WHERE d.value::bigint <> 0
  ON CONFLICT (workspace_id) DO UPDATE SET patients = r.patients + excluded.patients;
END
$$;

-- One function for the three triggers: a transition table exists only for the operations
-- that have it, and PL/pgSQL plans each branch only when it runs.
CREATE FUNCTION report_counts_on_patients() RETURNS trigger
LANGUAGE plpgsql SECURITY INVOKER SET search_path = public, pg_temp AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM public.report_counts_apply(coalesce(
      (SELECT jsonb_object_agg(workspace_id, n) FROM
         (SELECT workspace_id, count(*) AS n FROM new_rows WHERE data_deleted_at IS NULL
           GROUP BY workspace_id) x), '{}'));
  END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    PERFORM public.report_counts_apply(coalesce(
      (SELECT jsonb_object_agg(workspace_id, -n) FROM
         (SELECT workspace_id, count(*) AS n FROM old_rows WHERE data_deleted_at IS NULL
           GROUP BY workspace_id) x), '{}'));
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER report_counts_insert AFTER INSERT ON patients
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_counts_on_patients();
CREATE TRIGGER report_counts_delete AFTER DELETE ON patients
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_counts_on_patients();
CREATE TRIGGER report_counts_update AFTER UPDATE ON patients
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_counts_on_patients();

-- Workspaces that already have patients.
INSERT INTO report_counts (workspace_id, patients)
SELECT workspace_id, count(*) FROM patients WHERE data_deleted_at IS NULL GROUP BY workspace_id;
