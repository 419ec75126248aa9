-- 0030: staff users managed by the OWNER (issue 6, /users): deactivation and the one-time
-- links that let a new (or locked-out) user set a password.
--
-- users.deactivated_at: NULL while the user may sign in. A deactivated user keeps their row
-- (campaigns, feedback and the audit trail point at it) but cannot sign in, and any session
-- they still had stops working: the two sign-in lookups below skip them, besides the
-- program deleting their sessions in the same transaction.
ALTER TABLE users ADD COLUMN deactivated_at timestamptz;

-- A set-password link: only the SHA-256 of its 256-bit random token is kept. Valid 72 hours
-- (expires_at, written by the program), usable once (used_at). purpose says whether it
-- came with the invitation or was issued later to reset a password.
CREATE TABLE user_tokens (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  user_id      uuid NOT NULL,
  token_hash   bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
  purpose      text NOT NULL CHECK (purpose IN ('INVITE', 'RESET')),
  expires_at   timestamptz NOT NULL,
  used_at      timestamptz,
  created_by   uuid,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (workspace_id, id),
  FOREIGN KEY (workspace_id, user_id) REFERENCES users (workspace_id, id) ON DELETE CASCADE,
  FOREIGN KEY (workspace_id, created_by) REFERENCES users (workspace_id, id)
    ON DELETE SET NULL (created_by)
);
CREATE INDEX user_tokens_user_idx ON user_tokens (workspace_id, user_id);
CREATE TRIGGER user_tokens_updated_at BEFORE UPDATE ON user_tokens
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

ALTER TABLE user_tokens ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON user_tokens
  USING (workspace_id = nullif(current_setting('app.workspace_id', true), '')::uuid)
  WITH CHECK (workspace_id = nullif(current_setting('app.workspace_id', true), '')::uuid);
GRANT SELECT, INSERT, UPDATE, DELETE ON user_tokens TO rm_app;

-- The set-password page is public: the token is all it has, so finding its workspace is a
-- cross-tenant lookup like a session's (0007's rules: definer, fixed search_path, ids only).
-- Unexpired, unused tokens of active users only.
CREATE FUNCTION app_user_token_workspace(p_token_hash bytea) RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT t.workspace_id
    FROM public.user_tokens t
    JOIN public.users u ON u.workspace_id = t.workspace_id AND u.id = t.user_id
   WHERE t.token_hash = p_token_hash AND t.used_at IS NULL AND t.expires_at > now()
     AND u.deactivated_at IS NULL
$$;

-- Adding a user must refuse an address used in any workspace, deactivated users included
-- (emails are unique across workspaces); this says yes or no and nothing more.
CREATE FUNCTION app_email_taken(p_email text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT EXISTS (SELECT 1 FROM public.users u WHERE u.email = lower(btrim(p_email)))
$$;

-- Same contracts as in 0007, now blind to deactivated users: one cannot sign in, and a
-- session of one is not found.
CREATE OR REPLACE FUNCTION app_login_workspace(p_email text) RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT u.workspace_id FROM public.users u
   WHERE u.email = lower(btrim(p_email)) AND u.deactivated_at IS NULL
$$;

CREATE OR REPLACE FUNCTION app_session_workspace(p_token_hash bytea) RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT s.workspace_id
    FROM public.sessions s
    JOIN public.users u ON u.workspace_id = s.workspace_id AND u.id = s.user_id
   WHERE s.token_hash = p_token_hash AND s.expires_at > now() AND u.deactivated_at IS NULL
$$;

REVOKE ALL ON FUNCTION app_user_token_workspace(bytea), app_email_taken(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_user_token_workspace(bytea), app_email_taken(text) TO rm_app;
