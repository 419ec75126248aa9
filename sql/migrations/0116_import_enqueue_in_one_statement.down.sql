-- Reverts 0116: 0083's campaign_enqueue, without the shared functions.
SET client_encoding = 'UTF8';

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
           greatest(coalesce(p.appointment_time, now()) + make_interval(hours => v_hours),
                    now()) AS due,
           p.has_consent AND p.opted_out_at IS NULL AND p.data_deleted_at IS NULL
             AND CASE p.preferred_channel WHEN 'EMAIL' THEN p.email IS NOT NULL
                                          ELSE p.phone IS NOT NULL END
             AND NOT EXISTS (SELECT 1 FROM opt_outs o
                              WHERE o.workspace_id = v_ws AND o.phone = p.phone)
             AND NOT EXISTS (SELECT 1 FROM opt_outs o
                              WHERE o.workspace_id = v_ws AND o.email = p.email) AS ok,
           coalesce(p.appointment_time < now() - interval '7 days', false) AS too_old
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

DROP FUNCTION campaign_too_late(timestamptz);
DROP FUNCTION campaign_first_due(timestamptz, integer);
DROP FUNCTION patient_askable(boolean, timestamptz, timestamptz, message_channel, text, text);
