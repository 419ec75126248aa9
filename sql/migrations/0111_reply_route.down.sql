-- Reverts 0111: 0051's candidates, 0050's two lookups over them, and app_awaits_rating
-- as SQL again.
CREATE OR REPLACE FUNCTION app_reply_candidates(p_phone text, p_receiving text)
RETURNS TABLE (workspace_id uuid, sent_at timestamptz, awaiting boolean)
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
  SELECT m.workspace_id, m.sent_at, public.app_awaits_rating(m)
    FROM public.patients p
    JOIN public.messages m ON m.workspace_id = p.workspace_id AND m.patient_id = p.id
    JOIN public.workspaces w ON w.id = m.workspace_id
   WHERE p.phone = p_phone
     AND m.sent_at > now() - interval '7 days'
     AND m.channel IN ('SMS', 'WHATSAPP')
     AND (p_receiving IS NULL
          OR ((p_receiving LIKE '+%') = (m.channel = 'SMS')
              AND (CASE m.channel WHEN 'SMS' THEN w.sms_from ELSE w.whatsapp_phone_number_id END
                     = p_receiving
                   OR (CASE m.channel WHEN 'SMS' THEN w.sms_from ELSE w.whatsapp_phone_number_id END
                         IS NULL
                       AND NOT EXISTS (SELECT 1 FROM public.workspaces o
                                        WHERE o.sms_from = p_receiving
                                           OR o.whatsapp_phone_number_id = p_receiving)))))
$$;
REVOKE ALL ON FUNCTION app_reply_candidates(text, text) FROM PUBLIC;

CREATE OR REPLACE FUNCTION app_reply_workspace(p_phone text, p_receiving text DEFAULT NULL)
RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT c.workspace_id FROM public.app_reply_candidates(p_phone, p_receiving) c
   ORDER BY c.awaiting DESC, c.sent_at DESC LIMIT 1
$$;

CREATE OR REPLACE FUNCTION app_reply_ambiguity(p_phone text, p_receiving text DEFAULT NULL)
RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT count(DISTINCT c.workspace_id)::integer
    FROM public.app_reply_candidates(p_phone, p_receiving) c WHERE c.awaiting
$$;

DROP FUNCTION app_reply_route(text, text);
CREATE OR REPLACE FUNCTION app_awaits_rating(m messages) RETURNS boolean
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
