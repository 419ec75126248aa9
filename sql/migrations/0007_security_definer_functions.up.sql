SET client_encoding = 'UTF8';   -- Spanish template texts below; the file is UTF-8

-- 0007: the narrow cross-tenant lookups, and the default templates for a new workspace.
--
-- Before a request knows its workspace it sometimes has to find it: sign-in by email, a
-- session by its token hash, a provider callback by external id, a reply by phone, a Stripe
-- event by customer id, the sender looking for work. Each such lookup is one SECURITY
-- DEFINER function owned by rm_owner (which bypasses RLS as owner) that returns a workspace
-- id and nothing else; the request then sets app.workspace_id and runs under RLS.
-- Rules for every definer function here: fixed search_path (public, then pg_temp last so
-- a temporary object cannot shadow ours), schema-qualified tables, EXECUTE revoked from
-- PUBLIC and granted to rm_app only. Emails are compared lowercased and trimmed.
--
-- Called by the C code (signatures are a contract):
--   app_login_workspace(p_email text) RETURNS uuid
--   app_session_workspace(p_token_hash bytea) RETURNS uuid          -- unexpired only
--   app_login_failures(p_email text, p_window interval) RETURNS int -- since last success
--   app_login_record(p_email text, p_ip inet, p_succeeded bool) RETURNS void
-- Added for the webhooks program and the sender (same shape: ids only):
--   app_message_workspace(p_external_id text) RETURNS uuid    -- provider status callback
--   app_reply_workspace(p_phone text) RETURNS uuid             -- inbound reply: workspace of
--                                                                 the latest message sent to it
--   app_stripe_workspace(p_customer_id text) RETURNS uuid      -- Stripe events
--   app_due_workspaces(p_limit int) RETURNS SETOF uuid         -- workspaces with due messages
--                                                                 (PENDING and due, or SENDING
--                                                                 with an expired lease),
--                                                                 oldest work first
-- Not a definer function (runs under RLS, so only for the current workspace):
--   app_create_default_templates(p_workspace uuid) RETURNS void

CREATE FUNCTION app_login_workspace(p_email text) RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT u.workspace_id FROM public.users u WHERE u.email = lower(btrim(p_email))
$$;

CREATE FUNCTION app_session_workspace(p_token_hash bytea) RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT s.workspace_id FROM public.sessions s
   WHERE s.token_hash = p_token_hash AND s.expires_at > now()
$$;

-- Failed attempts for the email inside the window, not counting those before the latest
-- success (a correct password resets the throttle).
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

-- Records an attempt and prunes attempts older than a day (index on attempted_at keeps the
-- prune cheap), so the table stays small without a cron job. clock_timestamp() orders
-- attempts made inside one transaction.
CREATE FUNCTION app_login_record(p_email text, p_ip inet, p_succeeded boolean) RETURNS void
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  DELETE FROM public.login_attempts WHERE attempted_at < now() - interval '1 day';
  INSERT INTO public.login_attempts (email, ip_address, attempted_at, succeeded)
  VALUES (left(lower(btrim(coalesce(p_email, ''))), 320), p_ip, clock_timestamp(),
          coalesce(p_succeeded, false));
$$;

CREATE FUNCTION app_message_workspace(p_external_id text) RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT m.workspace_id FROM public.messages m
   WHERE m.external_id = p_external_id
   ORDER BY m.created_at DESC LIMIT 1
$$;

CREATE FUNCTION app_reply_workspace(p_phone text) RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT m.workspace_id
    FROM public.patients p
    JOIN public.messages m ON m.workspace_id = p.workspace_id AND m.patient_id = p.id
   WHERE p.phone = p_phone AND m.sent_at IS NOT NULL
   ORDER BY m.sent_at DESC LIMIT 1
$$;

CREATE FUNCTION app_stripe_workspace(p_customer_id text) RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT w.id FROM public.workspaces w WHERE w.stripe_customer_id = p_customer_id
$$;

CREATE FUNCTION app_due_workspaces(p_limit integer) RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT m.workspace_id
    FROM public.messages m
   WHERE (m.status = 'PENDING' AND m.scheduled_at <= now())
      OR (m.status = 'SENDING' AND m.locked_until < now())
   GROUP BY m.workspace_id
   ORDER BY min(m.scheduled_at)
   LIMIT least(greatest(coalesce(p_limit, 100), 1), 1000)
$$;

-- The default Spanish texts of a new workspace, in one place so signup and the seed agree.
-- SECURITY INVOKER: under RLS it only inserts when app.workspace_id = p_workspace (rm_owner
-- bypasses RLS and may call it for any workspace). Idempotent: a workspace that already has
-- a default for a type keeps it. The unhappy follow-up offers the public review link too:
-- Google forbids soliciting reviews only from happy customers.
CREATE FUNCTION app_create_default_templates(p_workspace uuid) RETURNS void
LANGUAGE sql VOLATILE SECURITY INVOKER SET search_path = public, pg_temp AS $$
  INSERT INTO public.templates
         (workspace_id, name, type, content, variables, description, is_default,
          whatsapp_template_name, whatsapp_language)
  VALUES
    (p_workspace, 'Solicitud de calificación', 'INITIAL',
     'Hola {{name}}, ¿cómo calificarías tu visita al {{practice}}? Responde del 1 al 5.',
     ARRAY['name', 'practice'],
     'Primer mensaje, unas horas después de la cita.', true,
     'solicitud_calificacion', 'es'),
    (p_workspace, 'Agradecimiento (4-5)', 'FOLLOWUP_HAPPY',
     '¡Gracias, {{name}}! Nos alegra que tu visita al {{practice}} haya sido buena. '
     '¿Nos ayudarías dejando una reseña en Google? {{reviewLink}}',
     ARRAY['name', 'practice', 'reviewLink'],
     'Respuesta a calificaciones de 4 o 5.', true, NULL, NULL),
    (p_workspace, 'Disculpa (1-3)', 'FOLLOWUP_UNHAPPY',
     'Lamentamos que tu visita al {{practice}} no haya sido la que esperabas, {{name}}. '
     'Cuéntanos qué pasó, en privado: {{feedbackLink}} o, si lo prefieres, '
     'deja una reseña pública: {{reviewLink}}',
     ARRAY['name', 'practice', 'feedbackLink', 'reviewLink'],
     'Respuesta a calificaciones de 1 a 3: formulario privado y también el enlace público.',
     true, NULL, NULL)
  ON CONFLICT (workspace_id, type) WHERE is_default DO NOTHING
$$;

REVOKE ALL ON FUNCTION app_login_workspace(text), app_session_workspace(bytea),
                       app_login_failures(text, interval), app_login_record(text, inet, boolean),
                       app_message_workspace(text), app_reply_workspace(text),
                       app_stripe_workspace(text), app_due_workspaces(integer),
                       app_create_default_templates(uuid)
  FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_login_workspace(text), app_session_workspace(bytea),
                          app_login_failures(text, interval), app_login_record(text, inet, boolean),
                          app_message_workspace(text), app_reply_workspace(text),
                          app_stripe_workspace(text), app_due_workspaces(integer),
                          app_create_default_templates(uuid)
  TO rm_app;
