-- 0112: app_status_rank (0050) inlined into the statements that call it.
--
-- A SQL function with a SET clause is never inlined: each of the five calls in a status
-- callback's UPDATE (fcgi/webhooks/status.c) parsed and ran its body again at every
-- execution. The body names no table and no function, only the enum's labels, so it needs
-- no search_path of its own; without the clause PostgreSQL folds it into the caller's plan
-- as a plain CASE.
ALTER FUNCTION app_status_rank(message_status) RESET search_path;
