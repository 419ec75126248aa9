-- 0009: sign-in throttling that an attacker cannot turn against the real user, a signup
-- cap per address, and replies routed to the clinic that is waiting for them.
--
-- Called by the C code (signatures are a contract):
--   app_login_begin(p_email text, p_ip inet, p_max integer, p_window interval)
--     RETURNS TABLE (attempt_id uuid, email_failures integer)
--   app_login_succeeded(p_attempt uuid) RETURNS void
--   app_signup_attempt(p_ip inet, p_max integer) RETURNS boolean
--   app_reply_workspace(p_phone text, p_receiving text DEFAULT NULL) RETURNS uuid
--
-- Sign-in: the hard stop counts failures per (email, client address), so guesses from one
-- address never stop the right password from another; across addresses failures only
-- slow sign-in for that email down (a growing delay the program applies), never refuse
-- it. An attempt is recorded as a failure before the password is checked and turned into
-- a success after, under a transaction-level advisory lock on (email, address): parallel
-- attempts from one address queue behind each other and each sees the ones before, so
-- they can never exceed the limit.

CREATE INDEX login_attempts_email_ip_idx ON login_attempts (email, ip_address, attempted_at);

CREATE FUNCTION app_login_begin(p_email text, p_ip inet, p_max integer, p_window interval)
RETURNS TABLE (attempt_id uuid, email_failures integer)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_email text := left(lower(btrim(coalesce(p_email, ''))), 320);
  v_pair  integer;
BEGIN
  -- Held until the request's transaction ends, i.e. past the password check.
  PERFORM pg_advisory_xact_lock(hashtextextended('login ' || v_email || ' ' ||
                                                 coalesce(host(p_ip), ''), 0));
  SELECT count(*) INTO v_pair
    FROM public.login_attempts a
   WHERE a.email = v_email AND a.ip_address IS NOT DISTINCT FROM p_ip
     AND NOT a.succeeded AND a.attempted_at > now() - p_window
     AND a.attempted_at > coalesce((SELECT max(s.attempted_at) FROM public.login_attempts s
                                     WHERE s.email = v_email AND s.succeeded
                                       AND s.ip_address IS NOT DISTINCT FROM p_ip),
                                   '-infinity');
  SELECT count(*) INTO email_failures
    FROM public.login_attempts a
   WHERE a.email = v_email AND NOT a.succeeded AND a.attempted_at > now() - p_window
     AND a.attempted_at > coalesce((SELECT max(s.attempted_at) FROM public.login_attempts s
                                     WHERE s.email = v_email AND s.succeeded),
                                   '-infinity');
  IF v_pair >= p_max THEN
    attempt_id := NULL;   -- refused; not recorded, so refusals do not extend the stop
  ELSE
    DELETE FROM public.login_attempts WHERE attempted_at < now() - interval '1 day';
    INSERT INTO public.login_attempts (email, ip_address, attempted_at, succeeded)
    VALUES (v_email, p_ip, clock_timestamp(), false)
    RETURNING id INTO attempt_id;
  END IF;
  RETURN NEXT;
END
$$;

CREATE FUNCTION app_login_succeeded(p_attempt uuid) RETURNS void
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  UPDATE public.login_attempts SET succeeded = true WHERE id = p_attempt
$$;

DROP FUNCTION app_login_failures(text, interval);
DROP FUNCTION app_login_record(text, inet, boolean);

-- Signup: every attempt from an address is counted (an attempt tells whether an email has
-- an account), at most p_max an hour. Same lock-then-count shape as sign-in.
CREATE TABLE signup_attempts (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  ip_address   inet,
  attempted_at timestamptz NOT NULL DEFAULT now(),
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER signup_attempts_updated_at BEFORE UPDATE ON signup_attempts
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE INDEX signup_attempts_ip_idx ON signup_attempts (ip_address, attempted_at);
CREATE INDEX signup_attempts_at_idx ON signup_attempts (attempted_at);   -- pruning

CREATE FUNCTION app_signup_attempt(p_ip inet, p_max integer) RETURNS boolean
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('signup ' || coalesce(host(p_ip), ''), 0));
  IF (SELECT count(*) FROM public.signup_attempts a
       WHERE a.ip_address IS NOT DISTINCT FROM p_ip
         AND a.attempted_at > now() - interval '1 hour') >= p_max THEN
    RETURN false;
  END IF;
  DELETE FROM public.signup_attempts WHERE attempted_at < now() - interval '1 day';
  INSERT INTO public.signup_attempts (ip_address, attempted_at) VALUES (p_ip, clock_timestamp());
  RETURN true;
END
$$;

-- A reply belongs to the clinic waiting for it: the most recent INITIAL or REMINDER sent
-- to that phone in the last 7 days and not rated yet. When the receiving number is known
-- (Twilio's To, in E.164; WhatsApp's phone_number_id, digits) only clinics that send from
-- it qualify: those whose own number it is, or, when it is no clinic's own number (the
-- deployment's shared one), those without an own number on that channel.
DROP FUNCTION app_reply_workspace(text);
CREATE FUNCTION app_reply_workspace(p_phone text, p_receiving text DEFAULT NULL) RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  WITH own AS (
    SELECT EXISTS (SELECT 1 FROM public.workspaces w
                    WHERE w.sms_from = p_receiving
                       OR w.whatsapp_phone_number_id = p_receiving) AS known
  )
  SELECT m.workspace_id
    FROM public.patients p
    JOIN public.messages m ON m.workspace_id = p.workspace_id AND m.patient_id = p.id
    JOIN public.workspaces w ON w.id = m.workspace_id
    CROSS JOIN own
   WHERE p.phone = p_phone
     AND m.type IN ('INITIAL', 'REMINDER') AND m.rating IS NULL
     AND m.sent_at > now() - interval '7 days'
     AND (p_receiving IS NULL
          OR (p_receiving LIKE '+%' AND m.channel = 'SMS'
              AND (CASE WHEN own.known THEN w.sms_from = p_receiving
                        ELSE w.sms_from IS NULL END))
          OR (p_receiving NOT LIKE '+%' AND m.channel = 'WHATSAPP'
              AND (CASE WHEN own.known THEN w.whatsapp_phone_number_id = p_receiving
                        ELSE w.whatsapp_phone_number_id IS NULL END)))
   ORDER BY m.sent_at DESC
   LIMIT 1
$$;

REVOKE ALL ON FUNCTION app_login_begin(text, inet, integer, interval),
                       app_login_succeeded(uuid), app_signup_attempt(inet, integer),
                       app_reply_workspace(text, text)
  FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_login_begin(text, inet, integer, interval),
                          app_login_succeeded(uuid), app_signup_attempt(inet, integer),
                          app_reply_workspace(text, text)
  TO rm_app;
