DROP FUNCTION app_create_default_templates(uuid);
DROP FUNCTION app_due_workspaces(integer);
DROP FUNCTION app_stripe_workspace(text);
DROP FUNCTION app_reply_workspace(text);
DROP FUNCTION app_message_workspace(text);
DROP FUNCTION app_login_record(text, inet, boolean);
DROP FUNCTION app_login_failures(text, interval);
DROP FUNCTION app_session_workspace(bytea);
DROP FUNCTION app_login_workspace(text);
