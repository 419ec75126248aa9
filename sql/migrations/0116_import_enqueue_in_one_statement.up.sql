-- 0116: an import's patients and their first messages in one statement (issue 6).
--
-- The confirm of an import inserted the patients, sent their 10,000 ids back to the
-- program and passed them to campaign_enqueue, which read the patients again and looked,
-- for each, for an INITIAL message a patient inserted a moment ago cannot have. The
-- confirm now inserts the messages from the rows its own INSERT returns
-- (fcgi/patients/import.c, Q_IMPORT_ROWS). What decides whether and when a patient is
-- asked is written once, in the three functions below, which both it and campaign_enqueue
-- call. They are plain SQL expressions without SET, so PostgreSQL inlines them into each
-- caller's plan (a function call per row would cost what the change saves).

SET client_encoding = 'UTF8';

-- Whether a patient may be asked at all: consent, not opted out, data not deleted, and a
-- contact for the channel. (The workspace's opt-out list is each caller's lookup.)
CREATE FUNCTION patient_askable(p_consent boolean, p_opted_out_at timestamptz,
                                p_deleted_at timestamptz, p_channel message_channel,
                                p_phone text, p_email text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT p_consent AND p_opted_out_at IS NULL AND p_deleted_at IS NULL
     AND CASE p_channel WHEN 'EMAIL' THEN p_email IS NOT NULL ELSE p_phone IS NOT NULL END
$$;

-- When a campaign that asks p_hours after the appointment asks first: never in the past,
-- and now for a patient without an appointment time.
CREATE FUNCTION campaign_first_due(p_appointment timestamptz, p_hours integer)
RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT greatest(coalesce(p_appointment, pg_catalog.now())
                  + pg_catalog.make_interval(hours => p_hours), pg_catalog.now())
$$;

-- An appointment more than 7 days past: too late to ask about it (a rating is only taken
-- for 7 days).
CREATE FUNCTION campaign_too_late(p_appointment timestamptz) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT coalesce(p_appointment < pg_catalog.now() - interval '7 days', false)
$$;

GRANT EXECUTE ON FUNCTION patient_askable(boolean, timestamptz, timestamptz, message_channel,
                                          text, text) TO rm_app;
GRANT EXECUTE ON FUNCTION campaign_first_due(timestamptz, integer) TO rm_app;
GRANT EXECUTE ON FUNCTION campaign_too_late(timestamptz) TO rm_app;

-- The same campaign_enqueue (0083), through the functions above.
CREATE OR REPLACE FUNCTION campaign_enqueue(p_campaign uuid, p_patients uuid[] DEFAULT NULL)
RETURNS TABLE (enqueued integer, skipped_past integer, skipped_blocked integer)
LANGUAGE plpgsql VOLATILE SECURITY INVOKER SET search_path = public, pg_temp AS $$
DECLARE
  v_ws    uuid;
  v_hours integer;
  v_due   boolean;
BEGIN
  enqueued := 0; skipped_past := 0; skipped_blocked := 0;
  SELECT c.workspace_id, c.scheduled_hours_after INTO v_ws, v_hours
    FROM campaigns c WHERE c.id = p_campaign AND c.status = 'ACTIVE'
     FOR UPDATE;
  IF NOT FOUND THEN
    RETURN NEXT;
    RETURN;
  END IF;

  -- The patients to look at: the whole campaign, or only the listed ones (found by their
  -- primary key, so an import of 10,000 rows into a large campaign does not scan it all).
  WITH targets AS (
    SELECT p.* FROM patients p
     WHERE p_patients IS NULL AND p.workspace_id = v_ws AND p.campaign_id = p_campaign
    UNION ALL
    -- Joined to the list, not "id = ANY (list)": as a filter on the campaign's rows that
    -- compared every row with every id (10,000 × 10,000 for an import, 4 s).
    SELECT p.* FROM unnest(p_patients) AS l(id)
      JOIN patients p ON p.id = l.id
     WHERE p_patients IS NOT NULL AND p.workspace_id = v_ws AND p.campaign_id = p_campaign
  ), cand AS (
    SELECT p.id AS patient_id, p.preferred_channel AS channel,
           campaign_first_due(p.appointment_time, v_hours) AS due,
           patient_askable(p.has_consent, p.opted_out_at, p.data_deleted_at,
                           p.preferred_channel, p.phone, p.email)
             AND NOT EXISTS (SELECT 1 FROM opt_outs o
                              WHERE o.workspace_id = v_ws AND o.phone = p.phone)
             AND NOT EXISTS (SELECT 1 FROM opt_outs o
                              WHERE o.workspace_id = v_ws AND o.email = p.email) AS ok,
           campaign_too_late(p.appointment_time) AS too_old
      FROM targets p
     -- OFFSET 0: a lookup per patient by (workspace_id, patient_id), never an anti join
     -- (see the header). IS NOT DISTINCT FROM (the same as = here: p_campaign is set)
     -- keeps the campaign out of the index choice: a new campaign is one the statistics
     -- have never seen, so an index on campaign_id looked like the one row to read, and
     -- each lookup walked the messages this statement had just inserted for it (6.6 s
     -- for 10,000 patients at five million messages).
     WHERE NOT EXISTS (SELECT 1 FROM messages m
                        WHERE m.workspace_id = v_ws AND m.patient_id = p.id
                          AND m.campaign_id IS NOT DISTINCT FROM p_campaign
                          AND m.type = 'INITIAL'
                       OFFSET 0)
  ), ins AS (
    INSERT INTO messages (workspace_id, patient_id, campaign_id, type, channel, status,
                          scheduled_at)
    SELECT v_ws, cand.patient_id, p_campaign, 'INITIAL', cand.channel, 'PENDING', cand.due
      FROM cand WHERE cand.ok AND NOT cand.too_old
    RETURNING messages.scheduled_at
  )
  SELECT (SELECT count(*) FROM ins)::integer,
         (SELECT count(*) FROM cand WHERE cand.ok AND cand.too_old)::integer,
         (SELECT count(*) FROM cand WHERE NOT cand.ok)::integer,
         coalesce((SELECT bool_or(ins.scheduled_at <= now()) FROM ins), false)
    INTO enqueued, skipped_past, skipped_blocked, v_due;
  IF v_due THEN
    PERFORM pg_notify('rm_messages', '');
  END IF;
  RETURN NEXT;
END
$$;

GRANT EXECUTE ON FUNCTION campaign_enqueue(uuid, uuid[]) TO rm_app;
