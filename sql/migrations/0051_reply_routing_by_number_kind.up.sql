-- 0051: reply routing, reconciled after the review (0009) and the webhooks (0050) met.
--
-- 0050's candidates ignored which kind of number a reply arrived on and looked at any
-- age. Now:
--   * a receiving number starting with '+' is an SMS number and only SMS messages are
--     candidates; anything else is a WhatsApp phone_number_id and only WhatsApp messages
--     are (an SMS of a clinic must not claim a WhatsApp reply, nor the reverse);
--   * only messages sent in the last 7 days are candidates at all.
-- app_reply_workspace keeps 0050's order: a message still awaiting a rating wins; when
-- none awaits, the clinic that last wrote to that phone in those 7 days gets the reply
-- (so "BAJA" after a rating still reaches its clinic; a rating there changes nothing,
-- since the webhooks rate only a message that awaits one). Older than 7 days: nobody.
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
