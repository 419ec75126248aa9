-- Reverts 0141: 0111's app_awaits_rating and 0131's app_reply_route.
CREATE OR REPLACE FUNCTION app_awaits_rating(m messages) RETURNS boolean
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp AS $$
BEGIN
  RETURN m.type IN ('INITIAL', 'REMINDER')
     AND m.status IN ('SENT', 'DELIVERED')
     AND m.rating IS NULL
     AND m.sent_at > now() - interval '7 days'
     AND NOT EXISTS (SELECT 1 FROM public.messages r
                      WHERE r.workspace_id = m.workspace_id AND r.patient_id = m.patient_id
                        AND r.campaign_id IS NOT DISTINCT FROM m.campaign_id
                        AND r.type IN ('INITIAL', 'REMINDER') AND r.rating IS NOT NULL);
END
$$;
CREATE OR REPLACE FUNCTION app_reply_route(p_phone text, p_receiving text DEFAULT NULL,
                                OUT ws uuid, OUT awaiting integer, OUT message uuid)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  SELECT (array_agg(c.workspace_id ORDER BY c.awaits DESC, c.sent_at DESC))[1],
         count(DISTINCT c.workspace_id) FILTER (WHERE c.awaits)::integer
    INTO ws, awaiting
    FROM (SELECT m.workspace_id, m.sent_at, public.app_awaits_rating(m) AS awaits
            FROM public.patients p
            JOIN public.messages m ON m.workspace_id = p.workspace_id AND m.patient_id = p.id
            JOIN public.workspaces w ON w.id = m.workspace_id
           WHERE p.phone = p_phone
             AND m.sent_at > now() - interval '7 days'
             AND m.channel IN ('SMS', 'WHATSAPP')
             AND (p_receiving IS NULL
                  OR ((p_receiving LIKE '+%') = (m.channel = 'SMS')
                      AND (CASE m.channel WHEN 'SMS' THEN w.sms_from
                                          ELSE w.whatsapp_phone_number_id END = p_receiving
                           OR (CASE m.channel WHEN 'SMS' THEN w.sms_from
                                              ELSE w.whatsapp_phone_number_id END IS NULL
                               AND NOT EXISTS (SELECT 1 FROM public.workspaces o
                                                WHERE o.sms_from = p_receiving
                                                   OR o.whatsapp_phone_number_id = p_receiving)))))
         ) c;
  -- The reply's message: what the webhooks locked and rated under row-level security
  -- in ws (0111's hooks_reply_awaiting, the same rule and order).
  IF ws IS NOT NULL THEN
    SELECT m.id INTO message
      FROM public.messages m
      JOIN public.patients p ON p.workspace_id = m.workspace_id AND p.id = m.patient_id
     WHERE p.workspace_id = ws AND p.phone = p_phone AND public.app_awaits_rating(m)
     ORDER BY m.sent_at DESC LIMIT 1;
  END IF;
END
$$;
DROP FUNCTION app_message_awaits(messages);
