-- Reverts 0050. SERVICE messages are deleted (the enum value cannot be dropped in place,
-- so the type is rebuilt without it).
DROP INDEX feedback_one_per_message_idx;
DROP FUNCTION app_complete_campaigns();
DROP FUNCTION app_enqueue_reminders();
DROP FUNCTION app_reminder_possible(messages);
DROP INDEX messages_unanswered_initial_idx;
DROP INDEX messages_one_reminder_idx;
DROP FUNCTION app_reply_ambiguity(text, text);
DROP FUNCTION app_reply_workspace(text, text);
DROP FUNCTION app_reply_candidates(text, text);
DROP FUNCTION app_awaits_rating(messages);
DROP FUNCTION app_status_rank(message_status);

CREATE FUNCTION app_reply_workspace(p_phone text) RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT m.workspace_id
    FROM public.patients p
    JOIN public.messages m ON m.workspace_id = p.workspace_id AND m.patient_id = p.id
   WHERE p.phone = p_phone AND m.sent_at IS NOT NULL
   ORDER BY m.sent_at DESC LIMIT 1
$$;
REVOKE ALL ON FUNCTION app_reply_workspace(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_reply_workspace(text) TO rm_app;

DELETE FROM messages WHERE type::text = 'SERVICE';
ALTER TYPE message_type RENAME TO message_type_0050;
CREATE TYPE message_type AS ENUM ('INITIAL', 'FOLLOWUP_HAPPY', 'FOLLOWUP_UNHAPPY', 'REMINDER');
ALTER TABLE messages ALTER COLUMN type TYPE message_type USING type::text::message_type;
ALTER TABLE templates ALTER COLUMN type TYPE message_type USING type::text::message_type;
DROP TYPE message_type_0050;
