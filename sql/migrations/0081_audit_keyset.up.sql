-- 0081: the audit log's pages (/audit) are read newest first by (created_at, id), a page
-- starting after the last entry of the one before (keyset paging): this index serves both
-- directions within a workspace, however deep the page.
CREATE INDEX audit_logs_page_idx ON audit_logs (workspace_id, created_at DESC, id DESC);
