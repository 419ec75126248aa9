-- Reverts 0001. Later migrations are already reverted, so nothing depends on these.
DROP FUNCTION set_updated_at();
DROP TYPE message_status;
DROP TYPE message_type;
DROP TYPE message_channel;
DROP TYPE campaign_status;
DROP TYPE user_role;
DROP TYPE workspace_plan;
