-- 0050: what the webhooks program and the sender's maintenance need.
--
--   message_type 'SERVICE': messages the product sends on its own account in answer to a
--     patient (the opt-out confirmation, the one clarification "responde del 1 al 5").
--     They carry their content, are free (messages.free) and are not part of the rating
--     flow (reports count INITIAL/REMINDER/FOLLOWUP_*).
--   app_status_rank(message_status): the order a delivery status may only move forward
--     in: a late or repeated provider callback never moves a message backwards.
--   app_awaits_rating(messages): whether a sent INITIAL/REMINDER still waits for the
--     patient's rating (7 days; no sibling of the same patient and campaign rated yet).
--   app_reply_workspace(p_phone, p_receiving): the contract of 0009 (review branch), or
--     of 0007's one-argument form where 0009 is absent, replaced: the workspace a reply
--     belongs to. Only workspaces whose message went
--     out from the number the reply arrived on (their own sms_from /
--     whatsapp_phone_number_id, or the shared number when p_receiving is nobody's own);
--     a message awaiting a rating wins over any other, then the most recent. The fallback
--     to a message not awaiting anything is what lets "BAJA" after a rating reach its
--     clinic.
--   app_reply_ambiguity(p_phone, p_receiving): how many workspaces await a rating from
--     that phone on that number (more than one is logged).
--   app_enqueue_reminders(p_workspace DEFAULT NULL): one REMINDER per INITIAL unanswered 24 h after it was sent
--     (never a second: runs that overlap queue on a transaction lock), for ACTIVE campaigns and patients still
--     reachable; notifies the sender. The sender calls it once a minute for every
--     workspace (no argument); tests pass their own workspace.
--   app_complete_campaigns(p_workspace DEFAULT NULL): ACTIVE campaigns with messages, none PENDING or SENDING and
--     no reminder still to come, become COMPLETED. The sender calls it once a minute.
SET client_encoding = 'UTF8';

-- Not usable inside this transaction (PostgreSQL rule); nothing below names it.
ALTER TYPE message_type ADD VALUE IF NOT EXISTS 'SERVICE';

CREATE FUNCTION app_status_rank(p_status message_status) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = public, pg_temp AS $$
  SELECT CASE p_status
           WHEN 'PENDING'   THEN 0
           WHEN 'SENDING'   THEN 1
           WHEN 'SENT'      THEN 2
           WHEN 'FAILED'    THEN 3   -- a delivery report after a failure still counts
           WHEN 'DELIVERED' THEN 4
           WHEN 'REPLIED'   THEN 5
           WHEN 'CANCELLED' THEN 6   -- never sent: no callback changes it
         END
$$;

-- SECURITY INVOKER: under RLS for the programs, as the owner inside definer functions.
CREATE FUNCTION app_awaits_rating(m messages) RETURNS boolean
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
  SELECT m.type IN ('INITIAL', 'REMINDER')
     AND m.status IN ('SENT', 'DELIVERED')
     AND m.rating IS NULL
     AND m.sent_at > now() - interval '7 days'
     AND NOT EXISTS (SELECT 1 FROM public.messages r
                      WHERE r.workspace_id = m.workspace_id AND r.patient_id = m.patient_id
                        AND r.campaign_id IS NOT DISTINCT FROM m.campaign_id
                        AND r.type IN ('INITIAL', 'REMINDER') AND r.rating IS NOT NULL)
$$;

-- Internal to the two definer functions below (not granted to rm_app; SECURITY INVOKER,
-- so it runs as their owner): every message sent to the phone from the number the reply
-- arrived on, and whether it awaits a rating.
CREATE FUNCTION app_reply_candidates(p_phone text, p_receiving text)
RETURNS TABLE (workspace_id uuid, sent_at timestamptz, awaiting boolean)
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
  SELECT m.workspace_id, m.sent_at, public.app_awaits_rating(m)
    FROM public.patients p
    JOIN public.messages m ON m.workspace_id = p.workspace_id AND m.patient_id = p.id
    JOIN public.workspaces w ON w.id = m.workspace_id
   WHERE p.phone = p_phone
     AND m.sent_at IS NOT NULL
     AND m.channel IN ('SMS', 'WHATSAPP')
     AND (p_receiving IS NULL
          OR CASE m.channel WHEN 'SMS' THEN w.sms_from ELSE w.whatsapp_phone_number_id END
             = p_receiving
          OR (CASE m.channel WHEN 'SMS' THEN w.sms_from ELSE w.whatsapp_phone_number_id END
              IS NULL
              AND NOT EXISTS (SELECT 1 FROM public.workspaces o
                               WHERE o.sms_from = p_receiving
                                  OR o.whatsapp_phone_number_id = p_receiving)))
$$;

DROP FUNCTION IF EXISTS app_reply_workspace(text);
CREATE OR REPLACE FUNCTION app_reply_workspace(p_phone text, p_receiving text DEFAULT NULL)
RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT c.workspace_id FROM public.app_reply_candidates(p_phone, p_receiving) c
   ORDER BY c.awaiting DESC, c.sent_at DESC LIMIT 1
$$;

CREATE FUNCTION app_reply_ambiguity(p_phone text, p_receiving text DEFAULT NULL)
RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT count(DISTINCT c.workspace_id)::integer
    FROM public.app_reply_candidates(p_phone, p_receiving) c WHERE c.awaiting
$$;

-- INITIAL messages that may still get a reminder: what both functions below scan.
CREATE INDEX messages_unanswered_initial_idx ON messages (sent_at)
  WHERE type = 'INITIAL' AND status IN ('SENT', 'DELIVERED') AND rating IS NULL
    AND reply_text IS NULL;

-- Whether the patient of an INITIAL may still get its reminder (now or later).
CREATE FUNCTION app_reminder_possible(m messages) RETURNS boolean
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
  SELECT m.type = 'INITIAL' AND m.status IN ('SENT', 'DELIVERED') AND m.rating IS NULL
     AND m.reply_text IS NULL AND m.sent_at > now() - interval '7 days'
     AND NOT EXISTS (SELECT 1 FROM public.messages r
                      WHERE r.workspace_id = m.workspace_id AND r.patient_id = m.patient_id
                        AND r.campaign_id = m.campaign_id AND r.type = 'REMINDER')
     AND EXISTS (SELECT 1 FROM public.patients p
                  WHERE p.workspace_id = m.workspace_id AND p.id = m.patient_id
                    AND p.data_deleted_at IS NULL AND p.opted_out_at IS NULL
                    AND NOT EXISTS (SELECT 1 FROM public.opt_outs o
                                     WHERE o.workspace_id = p.workspace_id
                                       AND (o.phone = p.phone OR o.email = p.email)))
$$;

CREATE FUNCTION app_enqueue_reminders(p_workspace uuid DEFAULT NULL) RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  n integer;
BEGIN
  -- Two senders' maintenance at once: the second waits, then sees the first's reminders.
  PERFORM pg_advisory_xact_lock(hashtextextended('app_enqueue_reminders', 0));
  -- The first conditions repeat app_reminder_possible's on purpose: written out, they let
  -- the planner use messages_unanswered_initial_idx, which it cannot see through a call.
  WITH due AS (
    SELECT m.workspace_id, m.patient_id, m.campaign_id, m.channel
      FROM public.messages m
      JOIN public.campaigns c ON c.workspace_id = m.workspace_id AND c.id = m.campaign_id
     WHERE m.type = 'INITIAL' AND m.status IN ('SENT', 'DELIVERED') AND m.rating IS NULL
       AND m.reply_text IS NULL
       AND m.sent_at <= now() - interval '24 hours'
       AND c.status = 'ACTIVE'
       AND (p_workspace IS NULL OR m.workspace_id = p_workspace)
       AND public.app_reminder_possible(m)
  ), ins AS (
    INSERT INTO public.messages (workspace_id, patient_id, campaign_id, type, channel,
                                 status, scheduled_at)
    SELECT workspace_id, patient_id, campaign_id, 'REMINDER', channel, 'PENDING', now()
      FROM due
    RETURNING 1
  )
  SELECT count(*) INTO n FROM ins;
  IF n > 0 THEN
    PERFORM pg_notify('rm_messages', '');
  END IF;
  RETURN n;
END
$$;

CREATE FUNCTION app_complete_campaigns(p_workspace uuid DEFAULT NULL) RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  n integer;
BEGIN
  UPDATE public.campaigns c SET status = 'COMPLETED'
   WHERE c.status = 'ACTIVE'
     AND (p_workspace IS NULL OR c.workspace_id = p_workspace)
     AND EXISTS (SELECT 1 FROM public.messages m
                  WHERE m.workspace_id = c.workspace_id AND m.campaign_id = c.id)
     AND NOT EXISTS (SELECT 1 FROM public.messages m
                      WHERE m.workspace_id = c.workspace_id AND m.campaign_id = c.id
                        AND m.status IN ('PENDING', 'SENDING'))
     AND NOT EXISTS (SELECT 1 FROM public.messages m
                      WHERE m.workspace_id = c.workspace_id AND m.campaign_id = c.id
                        AND m.type = 'INITIAL' AND public.app_reminder_possible(m));
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END
$$;

REVOKE ALL ON FUNCTION app_status_rank(message_status), app_awaits_rating(messages),
                       app_reply_candidates(text, text), app_reply_workspace(text, text),
                       app_reply_ambiguity(text, text), app_reminder_possible(messages),
                       app_enqueue_reminders(uuid), app_complete_campaigns(uuid)
  FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_status_rank(message_status), app_awaits_rating(messages),
                          app_reply_workspace(text, text), app_reply_ambiguity(text, text),
                          app_reminder_possible(messages), app_enqueue_reminders(uuid),
                          app_complete_campaigns(uuid)
  TO rm_app;
