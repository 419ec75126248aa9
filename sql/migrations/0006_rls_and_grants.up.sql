-- 0006: row-level security and the application role's privileges.
--
-- The programs connect as rm_app, which owns nothing and is NOBYPASSRLS. Each request runs
-- in a transaction that first does set_config('app.workspace_id', <uuid>, true). The policy
-- below compares against that setting: unset or '' gives NULL, and "x = NULL" is never
-- true, so a connection that forgot to set the tenant sees no rows and can write none.
-- RLS is not FORCEd: rm_owner (migrations, seed, the SECURITY DEFINER lookups in 0007)
-- bypasses it as the owner. login_attempts and schema_migrations are not tenant tables and
-- rm_app has no privilege on them at all. Schema USAGE is granted by scripts/db.sh bootstrap.
--
-- A new tenant table must get the same three things here (or in its own migration):
-- ENABLE ROW LEVEL SECURITY, the tenant_isolation policy, explicit grants.
-- tests/integration/test_rls.py fails for a tenant table without them.

ALTER TABLE workspaces ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON workspaces
  USING (id = nullif(current_setting('app.workspace_id', true), '')::uuid)
  WITH CHECK (id = nullif(current_setting('app.workspace_id', true), '')::uuid);

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['users', 'sessions', 'practices', 'campaigns', 'patients',
                           'templates', 'messages', 'feedback', 'opt_outs',
                           'webhook_events', 'audit_logs']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
        USING (workspace_id = nullif(current_setting('app.workspace_id', true), '')::uuid)
        WITH CHECK (workspace_id = nullif(current_setting('app.workspace_id', true), '')::uuid)$p$, t);
  END LOOP;
END
$$;

-- Privileges, table by table. Signup inserts its workspace after setting app.workspace_id
-- to a freshly generated id (the WITH CHECK needs it); closing an account deletes it.
GRANT SELECT, INSERT, UPDATE, DELETE ON workspaces     TO rm_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON users          TO rm_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON sessions       TO rm_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON practices      TO rm_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON campaigns      TO rm_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON patients       TO rm_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON templates      TO rm_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON messages       TO rm_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON feedback       TO rm_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON opt_outs       TO rm_app;
-- Webhook events are marked processed, never deleted by the application.
GRANT SELECT, INSERT, UPDATE         ON webhook_events TO rm_app;
-- The audit log is append-only for the application.
GRANT SELECT, INSERT                 ON audit_logs     TO rm_app;
-- No sequences exist (ids are uuids), so there is no USAGE to grant.
