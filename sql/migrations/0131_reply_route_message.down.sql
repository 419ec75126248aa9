-- Reverts 0131: 0111's app_reply_route, without the message.

DROP FUNCTION app_reply_route(text, text);
CREATE FUNCTION app_reply_route(p_phone text, p_receiving text DEFAULT NULL,
                                OUT ws uuid, OUT awaiting integer)
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
END
$$;
REVOKE ALL ON FUNCTION app_reply_route(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_reply_route(text, text) TO rm_app;
