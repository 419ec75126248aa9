-- Reverts 0064.
DROP INDEX IF EXISTS audit_logs_page_idx;
