-- 0119: one index for a campaign's messages by status (issue 6: each imported message
-- wrote two).
--
-- messages_campaign_status_idx (campaign_id, status) served the counts by status, and
-- messages_campaign_pending_idx (workspace_id, campaign_id) WHERE status = 'PENDING'
-- (0072) the campaign page's count of waiting messages from the index alone, which needs
-- workspace_id for the policy's check. One (campaign_id, status) index carrying
-- workspace_id serves both from the index alone: every new message, and every change of
-- a PENDING message's status, updates one index less.
CREATE INDEX messages_campaign_status_ws_idx ON messages (campaign_id, status)
  INCLUDE (workspace_id);
DROP INDEX messages_campaign_status_idx;
DROP INDEX messages_campaign_pending_idx;
