-- 0143: the rollups' row trigger (0140) computes a change's facts itself and appends them
-- with plain INSERTs.
--
-- 0140's function appended a change in one statement over report_daily_facts: an
-- aggregate over a union of NEW's and OLD's facts, each joined to campaigns and practices.
-- Run once per counted change, that plan's start and end (some twenty nodes) cost more
-- than its rows: backend CPU per status callback ("delivered", 400 in a loop, alternated
-- eight times) 0.51-0.79 ms with it, 0.41-0.60 ms with this, and 0.29-0.31 ms with no
-- rollup at all (issue 8: a third of a callback's database time was the rollup).
--
-- Now the function asks one small query (the campaign's practice and timezone; OLD's
-- again only when its campaign is another), works out each state's parts in PL/pgSQL
-- (its send on the day of sent_at, its rating on the day of replied_at, NEW counted +1
-- and OLD -1), nets the parts that share a rollup key and appends each part that does not
-- net to nothing with an INSERT ... VALUES. The facts, their days and keys, the skip of a
-- state whose campaign is not visible, and the WHEN clauses of the triggers are 0140's.
-- report_daily_facts had no other user and goes.
CREATE OR REPLACE FUNCTION report_daily_on_message() RETURNS trigger
LANGUAGE plpgsql SECURITY INVOKER SET search_path = public, pg_temp AS $$
DECLARE
  -- Up to four parts (NEW's and OLD's send and rating), each a rollup key and ten
  -- counters (sent, delivered, replied, happy_sent, happy_clicked, rating_1..5): part i
  -- holds counters (i - 1) * 10 + 1 to i * 10 of c.
  ws uuid[]; camp uuid[]; chan message_channel[]; day date[]; practice uuid[];
  c integer[] := '{}';
  n integer := 0;
  m messages; sign integer; side integer; i integer; j integer; k integer;
  place_practice uuid; place_tz text; place_seen boolean;
  request boolean; happy boolean;
BEGIN
  FOR side IN 1..2 LOOP
    IF side = 1 THEN
      m := NEW; sign := 1;
    ELSIF TG_OP = 'UPDATE' THEN
      m := OLD; sign := -1;
    ELSE
      EXIT;
    END IF;
    -- The campaign's practice and its timezone; OLD's only asked when its campaign is
    -- another. A state whose campaign is not visible counts nowhere.
    IF side = 1 OR (OLD.workspace_id, OLD.campaign_id)
                   IS DISTINCT FROM (NEW.workspace_id, NEW.campaign_id) THEN
      place_practice := NULL; place_tz := 'America/Guayaquil'; place_seen := true;
      IF m.campaign_id IS NOT NULL THEN
        SELECT cp.practice_id, coalesce(pr.timezone, 'America/Guayaquil')
          INTO place_practice, place_tz
          FROM public.campaigns cp
          LEFT JOIN public.practices pr
            ON pr.workspace_id = cp.workspace_id AND pr.id = cp.practice_id
         WHERE cp.workspace_id = m.workspace_id AND cp.id = m.campaign_id;
        place_seen := FOUND;
      END IF;
    END IF;
    CONTINUE WHEN NOT place_seen;
    request := m.type IN ('INITIAL', 'REMINDER');
    happy := m.type = 'FOLLOWUP_HAPPY';
    -- The send: a rating request or happy follow-up that reached the patient, on the
    -- day of sent_at.
    IF m.status IN ('SENT', 'DELIVERED', 'REPLIED') AND (request OR happy) THEN
      n := n + 1;
      ws[n] := m.workspace_id; camp[n] := m.campaign_id; chan[n] := m.channel;
      practice[n] := place_practice;
      day[n] := (coalesce(m.sent_at, m.created_at) AT TIME ZONE place_tz)::date;
      c := c || ARRAY[sign * request::int,
                      sign * (request AND m.status IN ('DELIVERED', 'REPLIED'))::int,
                      sign * (request AND m.status = 'REPLIED')::int,
                      sign * happy::int,
                      sign * (happy AND m.review_clicked_at IS NOT NULL)::int,
                      0, 0, 0, 0, 0];
    END IF;
    -- The rating, on the day of replied_at.
    IF m.rating IS NOT NULL THEN
      n := n + 1;
      ws[n] := m.workspace_id; camp[n] := m.campaign_id; chan[n] := m.channel;
      practice[n] := place_practice;
      day[n] := (coalesce(m.replied_at, m.created_at) AT TIME ZONE place_tz)::date;
      c := c || ARRAY[0, 0, 0, 0, 0, sign * (m.rating = 1)::int, sign * (m.rating = 2)::int,
                      sign * (m.rating = 3)::int, sign * (m.rating = 4)::int,
                      sign * (m.rating = 5)::int];
    END IF;
  END LOOP;
  -- Parts with the same key are netted into the first of them; what nets to nothing is
  -- not appended.
  FOR i IN 1..n LOOP
    CONTINUE WHEN ws[i] IS NULL;
    FOR j IN i + 1..n LOOP
      IF (ws[j], camp[j], chan[j], day[j]) IS NOT DISTINCT FROM (ws[i], camp[i], chan[i], day[i]) THEN
        FOR k IN 1..10 LOOP
          c[(i - 1) * 10 + k] := c[(i - 1) * 10 + k] + c[(j - 1) * 10 + k];
        END LOOP;
        ws[j] := NULL;
      END IF;
    END LOOP;
    CONTINUE WHEN c[(i - 1) * 10 + 1:i * 10] = '{0,0,0,0,0,0,0,0,0,0}'::int[];
    INSERT INTO public.report_daily_delta
           (workspace_id, day, campaign_id, channel, practice_id, sent, delivered, replied,
            happy_sent, happy_clicked, rating_1, rating_2, rating_3, rating_4, rating_5)
    VALUES (ws[i], day[i], camp[i], chan[i], practice[i],
            c[(i - 1) * 10 + 1], c[(i - 1) * 10 + 2], c[(i - 1) * 10 + 3], c[(i - 1) * 10 + 4],
            c[(i - 1) * 10 + 5], c[(i - 1) * 10 + 6], c[(i - 1) * 10 + 7], c[(i - 1) * 10 + 8],
            c[(i - 1) * 10 + 9], c[(i - 1) * 10 + 10]);
  END LOOP;
  RETURN NULL;
END
$$;

DROP FUNCTION report_daily_facts(messages, integer);
