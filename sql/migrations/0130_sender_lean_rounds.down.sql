-- Reverts 0130: 0070's app_due_workspaces, 0113's sender_claim, 0040's plans of
-- sender_complete.

CREATE OR REPLACE FUNCTION app_due_workspaces(p_limit integer) RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT d.workspace_id
    FROM (SELECT m.workspace_id, m.scheduled_at
            FROM public.messages m
           WHERE (m.status = 'PENDING' AND m.scheduled_at <= now())
              OR (m.status = 'SENDING' AND m.locked_until < now())
          UNION ALL
          SELECT o.workspace_id, o.scheduled_at
            FROM public.staff_outbox o
           WHERE (o.status = 'PENDING' AND o.scheduled_at <= now())
              OR (o.status = 'SENDING' AND o.locked_until < now())) d
   GROUP BY d.workspace_id
   ORDER BY min(d.scheduled_at)
   LIMIT least(greatest(coalesce(p_limit, 100), 1), 1000)
$$;

CREATE OR REPLACE FUNCTION sender_claim(p_limit integer, p_lease_seconds integer)
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
       -- A draft campaign's messages wait; a cancelled one's are cancelled (below). A
       -- completed campaign asks nobody new, but the answers to what it asked still go
       -- out: follow-ups, the clarification and the opt-out confirmation (0091).
       AND (c.id IS NULL OR c.status IN ('ACTIVE', 'CANCELLED')
            OR (c.status = 'COMPLETED' AND m.type NOT IN ('INITIAL', 'REMINDER')))
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
  SELECT w.message_credits INTO v_credits FROM public.workspaces w WHERE w.id = v_ws
     FOR NO KEY UPDATE;
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

ALTER FUNCTION sender_complete(jsonb) RESET plan_cache_mode;
