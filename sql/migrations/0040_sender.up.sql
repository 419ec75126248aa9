SET client_encoding = 'UTF8';   -- Spanish error texts below; the file is UTF-8

-- 0040: the sender's two transactions, as SQL functions, and the messages table's
-- autovacuum settings.
--
-- Tenancy: the sender connects as rm_app like every program and works one workspace at a
-- time: app_due_workspaces() (0007, SECURITY DEFINER, ids only) names the workspaces with
-- work, then each claim and each completion runs in a transaction scoped to one of them
-- (set_config('app.workspace_id', …, true)) through the SECURITY INVOKER functions below.
-- So row-level security applies to everything the sender reads and writes: a bug in a
-- claim cannot touch another clinic's messages, credits or opt-out list. The price is
-- one claim transaction per workspace with due work instead of one for all, which is
-- small next to a network send; a single cross-tenant SECURITY DEFINER claim would have
-- been faster for very many tiny workspaces but would run with RLS off.
--
--   sender_claim(p_limit int, p_lease_seconds int) RETURNS TABLE (…)
--     In the current workspace: expires the leases of senders that died (SENDING past
--     locked_until → FAILED 'resultado desconocido', never resent automatically); locks
--     up to p_limit due PENDING messages with FOR UPDATE SKIP LOCKED (INITIAL and
--     REMINDER only inside the practice's sending hours in its timezone; other senders'
--     rows are skipped, not waited for); cancels those that may no longer go out
--     (erased, no consent, opted out by phone or email, campaign cancelled, nowhere to
--     send); takes one credit per message that is not free, from the workspace row
--     locked FOR UPDATE so that racing senders can never take the count below zero;
--     marks the rest 'sin créditos' (they stay PENDING); marks the claimed ones SENDING
--     with a lease and returns them with everything needed to render and send them.
--     Opt-out confirmations (free) skip the opt-out check: they confirm it.
--   sender_store_content(p_contents jsonb) RETURNS void
--     [{"id":…,"content":…}]: the text rendered at claim time, in the same transaction.
--   sender_complete(p_results jsonb) RETURNS integer (rows recorded)
--     [{"id","outcome":"sent|retry|failed|opted_out","external_id","cost","error"}]:
--     sent → SENT with sent_at; retry → PENDING after an exponential backoff with
--     jitter, FAILED on the 5th attempt; failed/opted_out → FAILED with the provider's
--     text; every non-sent outcome gives the credit back; opted_out also puts the phone
--     on the workspace opt-out list (Twilio 21610). Only rows still SENDING are touched.

CREATE FUNCTION sender_claim(p_limit integer, p_lease_seconds integer)
RETURNS TABLE (id uuid, type message_type, channel message_channel, content text,
               free boolean, patient_name text, phone text, email text,
               appointment_local text, appointment_type text, practice_name text,
               google_place_id text, doctor_name text, template_content text,
               whatsapp_template_name text, whatsapp_language text, sms_from text,
               whatsapp_phone_number_id text)
LANGUAGE plpgsql VOLATILE SECURITY INVOKER SET search_path = public, pg_temp AS $$
DECLARE
  v_ws      uuid := nullif(current_setting('app.workspace_id', true), '')::uuid;
  v_credits integer;
  v_take    integer;
  v_free    uuid[];
  v_paid    uuid[];
  v_go      uuid[];
  v_blocked uuid[];
  v_reasons text[];
BEGIN
  IF v_ws IS NULL THEN
    RAISE EXCEPTION 'sender_claim needs app.workspace_id';
  END IF;

  UPDATE public.messages m
     SET status = 'FAILED', error = 'resultado desconocido', locked_until = NULL
   WHERE m.status = 'SENDING' AND m.locked_until < now();

  -- A first unlocked look: with no credit left only free messages are worth locking,
  -- so queued paid ones cannot crowd an opt-out confirmation out of the batch.
  SELECT w.message_credits INTO v_credits FROM public.workspaces w WHERE w.id = v_ws;
  IF NOT FOUND THEN
    RETURN;
  END IF;

  WITH cand AS (
    SELECT m.id, m.scheduled_at, m.free,
           CASE
             WHEN p.data_deleted_at IS NOT NULL THEN 'paciente borrado'
             WHEN NOT p.has_consent THEN 'sin consentimiento'
             WHEN NOT m.free AND (p.opted_out_at IS NOT NULL
                  OR EXISTS (SELECT 1 FROM public.opt_outs o
                              WHERE o.workspace_id = m.workspace_id
                                AND (o.phone = p.phone OR o.email = p.email)))
               THEN 'paciente dado de baja'
             WHEN c.status = 'CANCELLED' THEN 'campaña cancelada'
             WHEN m.channel = 'EMAIL' AND p.email IS NULL THEN 'paciente sin email'
             WHEN m.channel <> 'EMAIL' AND p.phone IS NULL THEN 'paciente sin teléfono'
           END AS block
      FROM public.messages m
      JOIN public.patients p ON p.workspace_id = m.workspace_id AND p.id = m.patient_id
      LEFT JOIN public.campaigns c ON c.workspace_id = m.workspace_id AND c.id = m.campaign_id
      LEFT JOIN public.practices pr ON pr.workspace_id = c.workspace_id AND pr.id = c.practice_id
     WHERE m.status = 'PENDING' AND m.scheduled_at <= now()
       AND (m.free OR v_credits > 0)
       -- A draft or completed campaign's messages wait; a cancelled one's are cancelled.
       AND (c.id IS NULL OR c.status IN ('ACTIVE', 'CANCELLED'))
       AND (m.type NOT IN ('INITIAL', 'REMINDER')
            OR (now() AT TIME ZONE coalesce(pr.timezone, 'America/Guayaquil'))::time
               >= coalesce(pr.sending_start, '08:00')
           AND (now() AT TIME ZONE coalesce(pr.timezone, 'America/Guayaquil'))::time
               < coalesce(pr.sending_end, '21:00'))
     ORDER BY m.scheduled_at
     LIMIT least(greatest(p_limit, 1), 10000)
       FOR UPDATE OF m SKIP LOCKED
  )
  SELECT coalesce(array_agg(cand.id ORDER BY cand.scheduled_at)
                    FILTER (WHERE cand.block IS NULL AND cand.free), '{}'),
         coalesce(array_agg(cand.id ORDER BY cand.scheduled_at)
                    FILTER (WHERE cand.block IS NULL AND NOT cand.free), '{}'),
         coalesce(array_agg(cand.id) FILTER (WHERE cand.block IS NOT NULL), '{}'),
         coalesce(array_agg(cand.block) FILTER (WHERE cand.block IS NOT NULL), '{}')
    INTO v_free, v_paid, v_blocked, v_reasons
    FROM cand;

  UPDATE public.messages m SET status = 'CANCELLED', error = x.reason, locked_until = NULL
    FROM unnest(v_blocked, v_reasons) AS x(id, reason)
   WHERE m.id = x.id;

  -- Locked after the messages: every sender takes its locks in that order, and the row
  -- lock makes the read-then-write of the count safe against racing senders.
  SELECT w.message_credits INTO v_credits FROM public.workspaces w WHERE w.id = v_ws FOR UPDATE;
  v_take := least(v_credits, cardinality(v_paid));
  IF v_take > 0 THEN
    UPDATE public.workspaces w SET message_credits = w.message_credits - v_take WHERE w.id = v_ws;
  END IF;
  v_go := v_free || v_paid[1:v_take];

  UPDATE public.messages m SET error = 'sin créditos'
   WHERE m.id = ANY (v_paid[v_take + 1:]) AND m.error IS DISTINCT FROM 'sin créditos';
  UPDATE public.messages m
     SET status = 'SENDING', error = NULL,
         locked_until = now() + make_interval(secs => greatest(p_lease_seconds, 1))
   WHERE m.id = ANY (v_go);

  RETURN QUERY
  SELECT m.id, m.type, m.channel, m.content, m.free, p.name, p.phone, p.email,
         to_char(p.appointment_time AT TIME ZONE coalesce(pr.timezone, 'America/Guayaquil'),
                 'ID DD MM HH24:MI'),
         p.appointment_type, pr.name, pr.google_place_id, u.name, t.content,
         t.whatsapp_template_name, t.whatsapp_language, w.sms_from, w.whatsapp_phone_number_id
    FROM public.messages m
    JOIN public.workspaces w ON w.id = m.workspace_id
    JOIN public.patients p ON p.workspace_id = m.workspace_id AND p.id = m.patient_id
    LEFT JOIN public.campaigns c ON c.workspace_id = m.workspace_id AND c.id = m.campaign_id
    LEFT JOIN public.practices pr ON pr.workspace_id = c.workspace_id AND pr.id = c.practice_id
    LEFT JOIN public.users u ON u.workspace_id = c.workspace_id AND u.id = c.created_by
    LEFT JOIN public.templates t ON t.workspace_id = m.workspace_id AND t.type = m.type
                                AND t.is_default
   WHERE m.id = ANY (v_go)
   ORDER BY m.scheduled_at;
END
$$;

CREATE FUNCTION sender_store_content(p_contents jsonb) RETURNS void
LANGUAGE sql VOLATILE SECURITY INVOKER SET search_path = public, pg_temp AS $$
  UPDATE public.messages m SET content = x.content
    FROM jsonb_to_recordset(p_contents) AS x(id uuid, content text)
   WHERE m.id = x.id AND m.status = 'SENDING'
$$;

-- The retry rule of every outgoing queue (messages here, staff e-mails in 0070): five
-- attempts; 30 s, 1 min, 2 min, 4 min between them, each scaled by a random 0.5-1.5 so
-- that a burst of failures does not come back as one burst. p_attempts is the count
-- before this attempt.
CREATE FUNCTION send_retries_left(p_attempts integer) RETURNS boolean
LANGUAGE sql IMMUTABLE SET search_path = public, pg_temp AS $$
  SELECT p_attempts + 1 < 5
$$;

CREATE FUNCTION send_retry_at(p_attempts integer) RETURNS timestamptz
LANGUAGE sql VOLATILE SET search_path = public, pg_temp AS $$
  SELECT now() + make_interval(secs => 30 * 2 ^ p_attempts * (0.5 + random()))
$$;

-- The error kept for an outcome: none when sent, the provider's text otherwise, marked
-- when the last retry ran out.
CREATE FUNCTION send_error(p_outcome text, p_attempts integer, p_error text) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = public, pg_temp AS $$
  SELECT CASE
           WHEN p_outcome = 'sent' THEN NULL
           WHEN p_outcome = 'retry' AND NOT public.send_retries_left(p_attempts)
             THEN left(coalesce(p_error, 'error temporal'), 900) || ' (5 intentos)'
           ELSE left(coalesce(p_error, 'error del proveedor'), 1000)
         END
$$;

CREATE FUNCTION sender_complete(p_results jsonb) RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY INVOKER SET search_path = public, pg_temp AS $$
DECLARE
  v_ws      uuid := nullif(current_setting('app.workspace_id', true), '')::uuid;
  v_done    integer;
  v_refund  integer;
  v_optouts uuid[];
BEGIN
  WITH r AS (
    SELECT * FROM jsonb_to_recordset(p_results)
             AS x(id uuid, outcome text, external_id text, cost numeric, error text)
  ), upd AS (
    UPDATE public.messages m
       SET status = CASE
                      WHEN r.outcome = 'sent' THEN 'SENT'
                      WHEN r.outcome = 'retry' AND send_retries_left(m.attempts) THEN 'PENDING'
                      ELSE 'FAILED'
                    END::message_status,
           attempts = m.attempts + 1,
           sent_at = CASE WHEN r.outcome = 'sent' THEN now() END,
           external_id = CASE WHEN r.outcome = 'sent' THEN r.external_id END,
           cost = CASE WHEN r.outcome = 'sent' THEN abs(r.cost) END,
           error = send_error(r.outcome, m.attempts, r.error),
           scheduled_at = CASE
                            WHEN r.outcome = 'retry' AND send_retries_left(m.attempts)
                              THEN send_retry_at(m.attempts)
                            ELSE m.scheduled_at
                          END,
           locked_until = NULL
      FROM r
     WHERE m.id = r.id AND m.status = 'SENDING'
    RETURNING m.free, r.outcome, m.patient_id
  )
  SELECT count(*),
         count(*) FILTER (WHERE upd.outcome <> 'sent' AND NOT upd.free),
         coalesce(array_agg(upd.patient_id) FILTER (WHERE upd.outcome = 'opted_out'), '{}')
    INTO v_done, v_refund, v_optouts
    FROM upd;

  IF v_refund > 0 THEN
    UPDATE public.workspaces w SET message_credits = w.message_credits + v_refund
     WHERE w.id = v_ws;
  END IF;
  INSERT INTO public.opt_outs (workspace_id, phone, channel, source, reason)
  SELECT DISTINCT p.workspace_id, p.phone, 'SMS'::message_channel, 'carrier',
         'El número se dio de baja con el operador (Twilio 21610)'
    FROM public.patients p
   WHERE p.workspace_id = v_ws AND p.id = ANY (v_optouts) AND p.phone IS NOT NULL
  ON CONFLICT (workspace_id, phone) WHERE phone IS NOT NULL DO NOTHING;
  RETURN v_done;
END
$$;

REVOKE ALL ON FUNCTION sender_claim(integer, integer), sender_store_content(jsonb),
                       sender_complete(jsonb), send_retries_left(integer),
                       send_retry_at(integer), send_error(text, integer, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sender_claim(integer, integer), sender_store_content(jsonb),
                          sender_complete(jsonb), send_retries_left(integer),
                          send_retry_at(integer), send_error(text, integer, text) TO rm_app;

-- Autovacuum for messages. The table is a queue as well as the history: every message is
-- inserted, then updated three to five times within minutes (claim, outcome, status
-- callbacks, reply), and every update changes status, which is indexed, so none of them
-- can be HOT: each leaves a dead tuple in the heap and in several indexes, among them the
-- small partial indexes the claim scans (messages_due_idx, messages_lease_idx). With the
-- default scale factor (20 % of the table) a table of ten million rows would carry two
-- million dead versions before a vacuum, and the claim's index scan would wade through
-- dead entries. So: vacuum after 2 % of the rows (plus 1,000) have changed, analyze
-- after 2 % (the planner must see that the PENDING share is tiny), and after 5 % new
-- rows for insert-only stretches (campaign imports), so the visibility map stays fresh.
-- The cost delay stays at the server's default (2 ms in 15): cheap, frequent passes are
-- the aim, not faster ones. Fillfactor is left at 100: it would only help HOT updates,
-- which the status index rules out.
ALTER TABLE messages SET (
  autovacuum_vacuum_scale_factor = 0.02,
  autovacuum_vacuum_threshold = 1000,
  autovacuum_analyze_scale_factor = 0.02,
  autovacuum_vacuum_insert_scale_factor = 0.05
);
