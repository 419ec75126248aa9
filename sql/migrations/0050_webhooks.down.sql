-- Reverts 0050.
DROP FUNCTION app_complete_campaigns(uuid);
DROP FUNCTION app_enqueue_reminders(uuid);
DROP FUNCTION app_reminder_possible(messages);
DROP INDEX messages_unanswered_initial_idx;
DROP FUNCTION app_reply_ambiguity(text, text);
-- app_reply_workspace goes back to what it was before: 0009's where that migration is
-- applied (its down drops the two-argument form), else 0007's one-argument form.
DROP FUNCTION app_reply_workspace(text, text);
DO $do$
BEGIN
  IF EXISTS (SELECT 1 FROM schema_migrations WHERE version = '0009') THEN
    EXECUTE $f$
      CREATE FUNCTION app_reply_workspace(p_phone text, p_receiving text DEFAULT NULL)
      RETURNS uuid
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $b$
        WITH own AS (
          SELECT EXISTS (SELECT 1 FROM public.workspaces w
                          WHERE w.sms_from = p_receiving
                             OR w.whatsapp_phone_number_id = p_receiving) AS known
        )
        SELECT m.workspace_id
          FROM public.patients p
          JOIN public.messages m ON m.workspace_id = p.workspace_id AND m.patient_id = p.id
          JOIN public.workspaces w ON w.id = m.workspace_id
          CROSS JOIN own
         WHERE p.phone = p_phone
           AND m.type IN ('INITIAL', 'REMINDER') AND m.rating IS NULL
           AND m.sent_at > now() - interval '7 days'
           AND (p_receiving IS NULL
                OR (p_receiving LIKE '+%' AND m.channel = 'SMS'
                    AND (CASE WHEN own.known THEN w.sms_from = p_receiving
                              ELSE w.sms_from IS NULL END))
                OR (p_receiving NOT LIKE '+%' AND m.channel = 'WHATSAPP'
                    AND (CASE WHEN own.known THEN w.whatsapp_phone_number_id = p_receiving
                              ELSE w.whatsapp_phone_number_id IS NULL END)))
         ORDER BY m.sent_at DESC
         LIMIT 1
      $b$$f$;
    EXECUTE 'REVOKE ALL ON FUNCTION app_reply_workspace(text, text) FROM PUBLIC';
    EXECUTE 'GRANT EXECUTE ON FUNCTION app_reply_workspace(text, text) TO rm_app';
  ELSE
    EXECUTE $f$
      CREATE FUNCTION app_reply_workspace(p_phone text) RETURNS uuid
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $b$
        SELECT m.workspace_id
          FROM public.patients p
          JOIN public.messages m ON m.workspace_id = p.workspace_id AND m.patient_id = p.id
         WHERE p.phone = p_phone AND m.sent_at IS NOT NULL
         ORDER BY m.sent_at DESC LIMIT 1
      $b$$f$;
    EXECUTE 'REVOKE ALL ON FUNCTION app_reply_workspace(text) FROM PUBLIC';
    EXECUTE 'GRANT EXECUTE ON FUNCTION app_reply_workspace(text) TO rm_app';
  END IF;
END
$do$;

DROP FUNCTION app_reply_candidates(text, text);
DROP FUNCTION app_awaits_rating(messages);
DROP FUNCTION app_status_rank(message_status);

-- The SERVICE messages go; the enum value stays (PostgreSQL cannot drop one, and rebuilding
-- the type would need every function that names it, such as the sender's, dropped too).
DELETE FROM messages WHERE type::text = 'SERVICE';
