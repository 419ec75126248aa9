-- Reverts 0081.
DROP INDEX IF EXISTS audit_logs_page_idx;
