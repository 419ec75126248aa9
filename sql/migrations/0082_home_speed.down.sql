-- Reverts 0082: 0030's SQL body of app_session_workspace, and no index.
CREATE OR REPLACE FUNCTION app_session_workspace(p_token_hash bytea) RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT s.workspace_id
    FROM public.sessions s
    JOIN public.users u ON u.workspace_id = s.workspace_id AND u.id = s.user_id
   WHERE s.token_hash = p_token_hash AND s.expires_at > now() AND u.deactivated_at IS NULL
$$;
DROP INDEX IF EXISTS feedback_unresolved_page_idx;
