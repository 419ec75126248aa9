-- 0015: campaign_enqueue, the one way messages of a campaign enter the queue (activation,
-- patients added to an ACTIVE campaign, the CSV import and the demo seed all call it).
--
-- SECURITY INVOKER: it runs with the caller's rights, so under rm_app row-level security
-- keeps it inside the request's workspace; under rm_owner (the seed) it still touches only
-- the campaign's own workspace, since every row is matched on the campaign's workspace_id.
--
-- One INITIAL PENDING message per patient of the campaign (all, or only p_patients) who may
-- be contacted and has no INITIAL message in this campaign yet:
--   * may be contacted: consent given, not opted out (neither on the patient nor on the
--     workspace's opt-out list, by phone or by email), not erased, and reachable on the
--     preferred channel (a phone for SMS and WhatsApp, an e-mail for EMAIL);
--   * scheduled_at = appointment_time + scheduled_hours_after, or now when that is past;
--     an appointment more than 7 days old is skipped (a rating request that late is noise);
--     a patient without an appointment time is asked now;
--   * channel = the patient's preferred channel; content NULL (the sender renders the
--     workspace's default INITIAL template when it claims the message).
-- Returns how many were enqueued and how many skipped, by reason (patients that already had
-- their INITIAL message count in neither). The campaign row is locked first, so two calls for
-- one campaign never enqueue a patient twice. A campaign that is not ACTIVE (or not visible)
-- enqueues nothing and returns zeros. When something is due now it notifies the sender
-- (pg_notify is delivered at commit, so a rolled-back activation wakes nobody).

CREATE FUNCTION campaign_enqueue(p_campaign uuid, p_patients uuid[] DEFAULT NULL)
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
    SELECT p.* FROM patients p
     WHERE p_patients IS NOT NULL AND p.id = ANY (p_patients)
       AND p.workspace_id = v_ws AND p.campaign_id = p_campaign
  ), cand AS (
    SELECT p.id AS patient_id, p.preferred_channel AS channel,
           greatest(coalesce(p.appointment_time, now()) + make_interval(hours => v_hours),
                    now()) AS due,
           p.has_consent AND p.opted_out_at IS NULL AND p.data_deleted_at IS NULL
             AND CASE p.preferred_channel WHEN 'EMAIL' THEN p.email IS NOT NULL
                                          ELSE p.phone IS NOT NULL END
             AND NOT EXISTS (SELECT 1 FROM opt_outs o
                              WHERE o.workspace_id = v_ws
                                AND (o.phone = p.phone OR o.email = p.email)) AS ok,
           coalesce(p.appointment_time < now() - interval '7 days', false) AS too_old
      FROM targets p
     WHERE NOT EXISTS (SELECT 1 FROM messages m
                        WHERE m.workspace_id = v_ws AND m.patient_id = p.id
                          AND m.campaign_id = p_campaign AND m.type = 'INITIAL')
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
