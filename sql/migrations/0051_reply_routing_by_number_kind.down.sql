-- Reverts 0051: 0050's candidates.
CREATE OR REPLACE FUNCTION app_reply_candidates(p_phone text, p_receiving text)
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
