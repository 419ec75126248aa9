-- 0141: a reply's route tests "awaits a rating" inside its own statements.
--
-- app_reply_route (0131) called app_awaits_rating, PL/pgSQL with a SET clause, for every
-- candidate message and again for the message it names: each call saved and restored the
-- search_path and started an executor for its NOT EXISTS. perf during the replies
-- benchmark: the route was about a quarter of a reply's backend time, most of it these
-- calls.
--
-- Now the rule is app_message_awaits(m), a one-row SQL function without SET, which
-- PostgreSQL inlines into the caller's plan (a set-returning SQL function may hold a
-- subquery; a scalar one may not): the test and its NOT EXISTS become part of the route's
-- two statements. app_awaits_rating keeps its name and answer and now asks the same
-- function, so the rule is written once. The rule and the route's answers are unchanged
-- (test_reply_routing.py).

-- Whether message m still waits for its rating: an INITIAL or REMINDER sent (and not
-- failed) in the last 7 days, unrated, and no rating request of the same patient and
-- campaign carries a rating already. One row. SECURITY INVOKER: under RLS for the
-- programs, as the owner inside definer functions.
CREATE FUNCTION app_message_awaits(m messages) RETURNS TABLE (awaits boolean)
LANGUAGE sql STABLE AS $$
  SELECT m.type IN ('INITIAL', 'REMINDER')
     AND m.status IN ('SENT', 'DELIVERED')
     AND m.rating IS NULL
     AND m.sent_at > now() - interval '7 days'
     AND NOT EXISTS (SELECT 1 FROM public.messages r
                      WHERE r.workspace_id = m.workspace_id AND r.patient_id = m.patient_id
                        AND r.campaign_id IS NOT DISTINCT FROM m.campaign_id
                        AND r.type IN ('INITIAL', 'REMINDER') AND r.rating IS NOT NULL)
$$;
REVOKE ALL ON FUNCTION app_message_awaits(messages) FROM PUBLIC;

CREATE OR REPLACE FUNCTION app_awaits_rating(m messages) RETURNS boolean
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
  SELECT a.awaits FROM public.app_message_awaits(m) a
$$;

CREATE OR REPLACE FUNCTION app_reply_route(p_phone text, p_receiving text DEFAULT NULL,
                                           OUT ws uuid, OUT awaiting integer, OUT message uuid)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  SELECT (array_agg(c.workspace_id ORDER BY c.awaits DESC, c.sent_at DESC))[1],
         count(DISTINCT c.workspace_id) FILTER (WHERE c.awaits)::integer
    INTO ws, awaiting
    FROM (SELECT m.workspace_id, m.sent_at, a.awaits
            FROM public.patients p
            JOIN public.messages m ON m.workspace_id = p.workspace_id AND m.patient_id = p.id
            JOIN public.workspaces w ON w.id = m.workspace_id
            CROSS JOIN LATERAL public.app_message_awaits(m) a
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
  -- The reply's message: what the webhooks lock and rate under row-level security in ws.
  IF ws IS NOT NULL THEN
    SELECT m.id INTO message
      FROM public.messages m
      JOIN public.patients p ON p.workspace_id = m.workspace_id AND p.id = m.patient_id
      CROSS JOIN LATERAL public.app_message_awaits(m) a
     WHERE p.workspace_id = ws AND p.phone = p_phone AND a.awaits
     ORDER BY m.sent_at DESC LIMIT 1;
  END IF;
END
$$;
