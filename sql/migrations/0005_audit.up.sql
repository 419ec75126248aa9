-- 0005: the audit log. Append-only for the application (rm_app gets INSERT and SELECT only,
-- see 0006); the only UPDATE it ever sees is the FK's SET NULL when a user is deleted,
-- which runs with the owner's rights.
CREATE TABLE audit_logs (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  user_id      uuid,                  -- NULL: system action, or the user was deleted since
  action       text NOT NULL CHECK (length(action) BETWEEN 1 AND 100),   -- e.g. patient.erase
  entity_type  text,
  entity_id    uuid,
  old_value    jsonb,
  new_value    jsonb,
  ip_address   inet,
  user_agent   text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (workspace_id, id),
  -- The trail outlives the user who made it.
  FOREIGN KEY (workspace_id, user_id) REFERENCES users (workspace_id, id)
    ON DELETE SET NULL (user_id)
);
CREATE INDEX audit_logs_created_idx ON audit_logs (created_at DESC);
CREATE INDEX audit_logs_action_idx  ON audit_logs (action);
CREATE INDEX audit_logs_user_idx    ON audit_logs (workspace_id, user_id);
CREATE INDEX audit_logs_entity_idx  ON audit_logs (workspace_id, entity_type, entity_id);
CREATE TRIGGER audit_logs_updated_at BEFORE UPDATE ON audit_logs
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();
