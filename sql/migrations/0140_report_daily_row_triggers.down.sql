-- Reverts 0140: 0110's statement triggers on INSERT and UPDATE of messages.
DROP TRIGGER report_daily_insert ON messages;
DROP TRIGGER report_daily_update ON messages;
DROP FUNCTION report_daily_on_message();
DROP FUNCTION report_daily_facts(messages, integer);
CREATE TRIGGER report_daily_insert AFTER INSERT ON messages
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_daily_on_messages();
CREATE TRIGGER report_daily_update AFTER UPDATE ON messages
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_daily_on_messages();
