-- Reverts 0030: the sign-in lookups as 0007 wrote them, then the new objects.
CREATE OR REPLACE FUNCTION app_login_workspace(p_email text) RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT u.workspace_id FROM public.users u WHERE u.email = lower(btrim(p_email))
$$;

CREATE OR REPLACE FUNCTION app_session_workspace(p_token_hash bytea) RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT s.workspace_id FROM public.sessions s
   WHERE s.token_hash = p_token_hash AND s.expires_at > now()
$$;

DROP FUNCTION app_email_taken(text);
DROP FUNCTION app_user_token_workspace(bytea);
DROP TABLE user_tokens;
ALTER TABLE users DROP COLUMN deactivated_at;
