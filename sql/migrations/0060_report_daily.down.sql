-- Reverts 0060.
DROP INDEX IF EXISTS messages_activity_idx;
DROP TRIGGER IF EXISTS report_daily_practice_timezone ON practices;
DROP TRIGGER IF EXISTS report_daily_campaign_practice ON campaigns;
DROP TRIGGER IF EXISTS report_daily_update ON messages;
DROP TRIGGER IF EXISTS report_daily_delete ON messages;
DROP TRIGGER IF EXISTS report_daily_insert ON messages;
DROP FUNCTION IF EXISTS report_daily_on_practice();
DROP FUNCTION IF EXISTS report_daily_on_campaign();
DROP FUNCTION IF EXISTS report_daily_rebuild(uuid, uuid);
DROP FUNCTION IF EXISTS report_daily_on_messages();
DROP FUNCTION IF EXISTS report_daily_sql(text);
DROP TABLE IF EXISTS report_daily;
