REVOKE ALL ON workspaces, users, sessions, practices, campaigns, patients, templates,
              messages, feedback, opt_outs, webhook_events, audit_logs FROM rm_app;

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['workspaces', 'users', 'sessions', 'practices', 'campaigns',
                           'patients', 'templates', 'messages', 'feedback', 'opt_outs',
                           'webhook_events', 'audit_logs']
  LOOP
    EXECUTE format('DROP POLICY tenant_isolation ON %I', t);
    EXECUTE format('ALTER TABLE %I DISABLE ROW LEVEL SECURITY', t);
  END LOOP;
END
$$;
