-- Reverts 0112: app_status_rank keeps its own search_path again (0050).
ALTER FUNCTION app_status_rank(message_status) SET search_path = public, pg_temp;
