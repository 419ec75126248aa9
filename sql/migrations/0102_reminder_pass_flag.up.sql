-- 0102: the sender's once-a-minute reminder pass reads only the INITIAL messages still
-- waiting for their reminder (issue 6: it cost 1.5-6 s of a core every minute at the
-- benchmark's five million messages, landing on whatever else was timed).
--
-- 0073 bounded the pass to INITIALs sent 1 to 7 days ago, but nearly all of those already
-- have their reminder (63,857 of 63,861 on the bench data), and app_reminder_possible()
-- looked that up again for each of them every minute. An INITIAL now says so itself:
-- reminder_enqueued is set by the pass that enqueues its reminder (or finds one there
-- already), and messages_awaiting_reminder_idx holds only the INITIALs without it. Who
-- gets a reminder, and when, is unchanged: app_reminder_possible() still decides.

-- A constant default: no table rewrite.
ALTER TABLE messages ADD COLUMN reminder_enqueued boolean NOT NULL DEFAULT false;

-- INITIALs that already have their reminder, within the pass's window (older ones it
-- never reads again).
UPDATE messages m SET reminder_enqueued = true
 WHERE m.type = 'INITIAL' AND m.status IN ('SENT', 'DELIVERED') AND m.rating IS NULL
   AND m.reply_text IS NULL AND m.sent_at > now() - interval '8 days'
   AND EXISTS (SELECT 1 FROM messages r
                WHERE r.workspace_id = m.workspace_id AND r.patient_id = m.patient_id
                  AND r.campaign_id = m.campaign_id AND r.type = 'REMINDER');

CREATE INDEX messages_awaiting_reminder_idx ON messages (sent_at)
  WHERE type = 'INITIAL' AND status IN ('SENT', 'DELIVERED') AND rating IS NULL
    AND reply_text IS NULL AND NOT reminder_enqueued;

CREATE OR REPLACE FUNCTION app_enqueue_reminders(p_workspace uuid DEFAULT NULL) RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  n integer;
BEGIN
  -- Two senders' maintenance at once: the second waits, then sees the first's reminders.
  PERFORM pg_advisory_xact_lock(hashtextextended('app_enqueue_reminders', 0));
  -- The first conditions repeat app_reminder_possible's on purpose: written out, they let
  -- the planner use messages_awaiting_reminder_idx, which it cannot see through a call.
  WITH cand AS (
    SELECT m.id, m.workspace_id, m.patient_id, m.campaign_id, m.channel,
           public.app_reminder_possible(m) AS possible
      FROM public.messages m
      JOIN public.campaigns c ON c.workspace_id = m.workspace_id AND c.id = m.campaign_id
     WHERE m.type = 'INITIAL' AND m.status IN ('SENT', 'DELIVERED') AND m.rating IS NULL
       AND m.reply_text IS NULL AND NOT m.reminder_enqueued
       AND m.sent_at <= now() - interval '24 hours'
       AND m.sent_at > now() - interval '7 days'
       AND c.status = 'ACTIVE'
       AND (p_workspace IS NULL OR m.workspace_id = p_workspace)
  ), ins AS (
    INSERT INTO public.messages (workspace_id, patient_id, campaign_id, type, channel,
                                 status, scheduled_at)
    SELECT workspace_id, patient_id, campaign_id, 'REMINDER', channel, 'PENDING', now()
      FROM cand WHERE possible
    RETURNING 1
  ), done AS (
    -- Those enqueued now, and those whose reminder was already there (one statement
    -- does not see its own inserts, hence both). The rest (opted out, erased) stay to
    -- be asked again, as before.
    UPDATE public.messages m SET reminder_enqueued = true
      FROM cand
     WHERE m.id = cand.id
       AND (cand.possible OR EXISTS (SELECT 1 FROM public.messages r
                                      WHERE r.workspace_id = cand.workspace_id
                                        AND r.patient_id = cand.patient_id
                                        AND r.campaign_id = cand.campaign_id
                                        AND r.type = 'REMINDER'))
    RETURNING 1
  )
  -- done runs to completion unread, as every data-modifying WITH does.
  SELECT count(*) INTO n FROM ins;
  IF n > 0 THEN
    PERFORM pg_notify('rm_messages', '');
  END IF;
  RETURN n;
END
$$;
