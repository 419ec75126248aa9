-- 0002: tenants (workspaces), staff users, sessions, and the login throttle table.
--
-- Tenancy pattern used by every tenant table from here on:
--   * workspace_id uuid NOT NULL REFERENCES workspaces ON DELETE CASCADE: deleting a
--     workspace removes all of its data in one statement;
--   * UNIQUE (workspace_id, id): the target of composite foreign keys, so a child row can
--     only point at a parent in its own workspace. Its index leads with workspace_id and is
--     the "index on workspace_id" of the table (a second single-column index would only
--     cost writes);
--   * children reference parents by (workspace_id, parent_id).
-- Every table gets created_at/updated_at and the set_updated_at trigger.

CREATE TABLE workspaces (
  id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name                   text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
  plan                   workspace_plan NOT NULL DEFAULT 'FREE',
  -- Each outgoing message takes one credit in the claim transaction; never negative.
  message_credits        integer NOT NULL DEFAULT 50 CHECK (message_credits >= 0),
  stripe_customer_id     text UNIQUE,
  stripe_subscription_id text UNIQUE,
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER workspaces_updated_at BEFORE UPDATE ON workspaces
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE users (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id  uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  -- Unique across all workspaces: sign-in is by email alone (app_login_workspace).
  email         text NOT NULL UNIQUE
                CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 320 AND email LIKE '%_@_%'),
  password_hash text NOT NULL,                 -- libxcrypt, "$2b$12$…"
  name          text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
  role          user_role NOT NULL DEFAULT 'DOCTOR',
  avatar_url    text,
  phone         text CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),   -- E.164
  last_login_at timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (workspace_id, id)
);
CREATE TRIGGER users_updated_at BEFORE UPDATE ON users
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE sessions (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  user_id      uuid NOT NULL,
  -- SHA-256 of the cookie token; the token itself is never stored.
  token_hash   bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
  expires_at   timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  ip_address   inet,
  user_agent   text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (workspace_id, id),
  -- Deleting a user signs them out everywhere.
  FOREIGN KEY (workspace_id, user_id) REFERENCES users (workspace_id, id) ON DELETE CASCADE
);
CREATE INDEX sessions_user_idx    ON sessions (workspace_id, user_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);   -- purge of expired sessions
CREATE TRIGGER sessions_updated_at BEFORE UPDATE ON sessions
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Not a tenant table: attempts are counted before anyone knows the workspace. No RLS; rm_app
-- has no privilege on it and reaches it only through app_login_failures/app_login_record.
CREATE TABLE login_attempts (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email        text NOT NULL,                 -- lowercased by app_login_record
  ip_address   inet,
  attempted_at timestamptz NOT NULL DEFAULT now(),
  succeeded    boolean NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_attempts_email_idx ON login_attempts (email, attempted_at);
CREATE INDEX login_attempts_at_idx    ON login_attempts (attempted_at);   -- pruning
CREATE TRIGGER login_attempts_updated_at BEFORE UPDATE ON login_attempts
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();
