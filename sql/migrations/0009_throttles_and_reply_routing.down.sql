-- Reverts 0009: the sign-in throttle of 0007, no signup cap, replies by latest message.
DROP FUNCTION app_reply_workspace(text, text);
CREATE FUNCTION app_reply_workspace(p_phone text) RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT m.workspace_id
    FROM public.patients p
    JOIN public.messages m ON m.workspace_id = p.workspace_id AND m.patient_id = p.id
   WHERE p.phone = p_phone AND m.sent_at IS NOT NULL
   ORDER BY m.sent_at DESC LIMIT 1
$$;

DROP FUNCTION app_signup_attempt(inet, integer);
DROP TABLE signup_attempts;

CREATE FUNCTION app_login_failures(p_email text, p_window interval) RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT count(*)::integer
    FROM public.login_attempts a
   WHERE a.email = lower(btrim(p_email))
     AND NOT a.succeeded
     AND a.attempted_at > now() - p_window
     AND a.attempted_at > coalesce((SELECT max(s.attempted_at)
                                      FROM public.login_attempts s
                                     WHERE s.email = lower(btrim(p_email)) AND s.succeeded),
                                   '-infinity')
$$;
CREATE FUNCTION app_login_record(p_email text, p_ip inet, p_succeeded boolean) RETURNS void
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  DELETE FROM public.login_attempts WHERE attempted_at < now() - interval '1 day';
  INSERT INTO public.login_attempts (email, ip_address, attempted_at, succeeded)
  VALUES (left(lower(btrim(coalesce(p_email, ''))), 320), p_ip, clock_timestamp(),
          coalesce(p_succeeded, false));
$$;
DROP FUNCTION app_login_succeeded(uuid);
DROP FUNCTION app_login_begin(text, inet, integer, interval);
DROP INDEX login_attempts_email_ip_idx;

REVOKE ALL ON FUNCTION app_login_failures(text, interval), app_login_record(text, inet, boolean),
                       app_reply_workspace(text)
  FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_login_failures(text, interval),
                          app_login_record(text, inet, boolean), app_reply_workspace(text)
  TO rm_app;
