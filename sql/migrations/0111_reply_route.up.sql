-- 0111: a reply's workspace and its ambiguity in one call, with kept plans.
--
-- The webhooks asked app_reply_workspace and app_reply_ambiguity (0050, 0051) for every
-- reply: two SQL functions that PostgreSQL cannot inline (SECURITY DEFINER, SET), so
-- each call planned its candidates again, and app_awaits_rating (also SQL with SET, and
-- a subquery) was planned again for every candidate row: about 2 ms of a reply's 4.
-- Now:
--   * app_reply_route returns both answers from one pass over the candidates; it is
--     PL/pgSQL, which keeps its statement's plan for the connection;
--   * app_awaits_rating is PL/pgSQL with the same test, so its plan is kept too;
--   * app_reply_workspace and app_reply_ambiguity keep their contract (0051) and answer
--     from app_reply_route; app_reply_candidates, their shared part, is folded into it.
-- What the answers mean is unchanged: see 0051.

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

-- ws: the workspace the reply belongs to (NULL: nobody wrote to that phone from that
-- number in 7 days); awaiting: how many workspaces await a rating from it there.
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

CREATE OR REPLACE FUNCTION app_reply_workspace(p_phone text, p_receiving text DEFAULT NULL)
RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT (public.app_reply_route(p_phone, p_receiving)).ws
$$;

CREATE OR REPLACE FUNCTION app_reply_ambiguity(p_phone text, p_receiving text DEFAULT NULL)
RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT (public.app_reply_route(p_phone, p_receiving)).awaiting
$$;

DROP FUNCTION app_reply_candidates(text, text);
