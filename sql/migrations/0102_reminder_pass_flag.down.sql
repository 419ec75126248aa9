-- 0102 down: the pass as 0073 left it, without the flag and its index.
CREATE OR REPLACE FUNCTION app_enqueue_reminders(p_workspace uuid DEFAULT NULL) RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  n integer;
BEGIN
  -- Two senders' maintenance at once: the second waits, then sees the first's reminders.
  PERFORM pg_advisory_xact_lock(hashtextextended('app_enqueue_reminders', 0));
  -- The first conditions repeat app_reminder_possible's on purpose: written out, they let
  -- the planner use messages_unanswered_initial_idx, which it cannot see through a call.
  WITH due AS (
    SELECT m.workspace_id, m.patient_id, m.campaign_id, m.channel
      FROM public.messages m
      JOIN public.campaigns c ON c.workspace_id = m.workspace_id AND c.id = m.campaign_id
     WHERE m.type = 'INITIAL' AND m.status IN ('SENT', 'DELIVERED') AND m.rating IS NULL
       AND m.reply_text IS NULL
       AND m.sent_at <= now() - interval '24 hours'
       AND m.sent_at > now() - interval '7 days'
       AND c.status = 'ACTIVE'
       AND (p_workspace IS NULL OR m.workspace_id = p_workspace)
       AND public.app_reminder_possible(m)
  ), ins AS (
    INSERT INTO public.messages (workspace_id, patient_id, campaign_id, type, channel,
                                 status, scheduled_at)
    SELECT workspace_id, patient_id, campaign_id, 'REMINDER', channel, 'PENDING', now()
      FROM due
    RETURNING 1
  )
  SELECT count(*) INTO n FROM ins;
  IF n > 0 THEN
    PERFORM pg_notify('rm_messages', '');
  END IF;
  RETURN n;
END
$$;

DROP INDEX messages_awaiting_reminder_idx;
ALTER TABLE messages DROP COLUMN reminder_enqueued;
