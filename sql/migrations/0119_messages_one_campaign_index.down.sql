-- Reverts 0119: the two campaign indexes of messages again.
CREATE INDEX messages_campaign_status_idx ON messages (campaign_id, status);
CREATE INDEX messages_campaign_pending_idx ON messages (workspace_id, campaign_id)
  WHERE status = 'PENDING';
DROP INDEX messages_campaign_status_ws_idx;
