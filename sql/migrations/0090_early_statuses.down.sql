-- Reverts 0090.
DROP TRIGGER messages_early_statuses ON messages;
DROP FUNCTION app_early_statuses_purge();
DROP FUNCTION messages_apply_early_statuses();
DROP FUNCTION app_status_workspace(text, text, text, message_status, text);
DROP FUNCTION app_early_status_lock(text);
DROP TABLE early_statuses;
