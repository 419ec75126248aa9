-- 0131: a reply's route names its message too.
--
-- The webhooks read a reply's candidates twice: app_reply_route (SECURITY DEFINER, as
-- rm_owner) chose the workspace, then hooks_reply_awaiting / hooks_reply_rate (as rm_app,
-- under row-level security) found the same phone's messages again to pick the one that
-- awaits a rating. Both called app_awaits_rating, and that was the larger cost: its
-- statement is subject to row-level security when rm_app runs it and not when rm_owner
-- does, so PostgreSQL's plan cache, shared by the two callers in one connection, threw
-- the plan away at every change of role: each reply planned it twice (perf during the
-- replies benchmark: 12% of the webhooks' backend time was that planning).
--
-- Now app_reply_route also returns message: in the workspace it chose, the most recent
-- message to that phone that awaits a rating (the rule and order of the old
-- hooks_reply_awaiting, unchanged). The webhooks lock that one message by id and check
-- again, under the lock, what another reply or a callback could have changed since
-- (rating, status). Only rm_owner calls app_awaits_rating on this path now.
--
-- The id names a message of the workspace the function already names; the webhooks
-- touch it only after scoping the transaction to that workspace.

DROP FUNCTION app_reply_route(text, text);
CREATE FUNCTION app_reply_route(p_phone text, p_receiving text DEFAULT NULL,
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
REVOKE ALL ON FUNCTION app_reply_route(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_reply_route(text, text) TO rm_app;

REVOKE ALL ON FUNCTION app_reply_route(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_reply_route(text, text) TO rm_app;
