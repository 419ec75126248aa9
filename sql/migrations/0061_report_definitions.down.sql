-- Reverts 0061.
DROP FUNCTION IF EXISTS report_figures(date, date, uuid, uuid, message_channel, uuid);
DROP FUNCTION IF EXISTS report_rows(date, date, uuid, uuid, message_channel, uuid);
DROP FUNCTION IF EXISTS report_pct(bigint, bigint);
DROP FUNCTION IF EXISTS report_nps(bigint, bigint, bigint);
