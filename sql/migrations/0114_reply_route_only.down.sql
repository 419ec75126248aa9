-- Reverts 0114: the two halves of app_reply_route, as 0111 defined them.

CREATE OR REPLACE FUNCTION app_reply_workspace(p_phone text, p_receiving text DEFAULT NULL)
RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT (public.app_reply_route(p_phone, p_receiving)).ws
$$;

CREATE OR REPLACE FUNCTION app_reply_ambiguity(p_phone text, p_receiving text DEFAULT NULL)
RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT (public.app_reply_route(p_phone, p_receiving)).awaiting
$$;
REVOKE ALL ON FUNCTION app_reply_workspace(text, text), app_reply_ambiguity(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_reply_workspace(text, text), app_reply_ambiguity(text, text) TO rm_app;
