-- Reverts 0080.
DROP FUNCTION IF EXISTS report_messages(date, date, uuid, uuid, message_channel, uuid);
DROP INDEX IF EXISTS messages_rated_idx;
