-- Reverts 0092: one row per key again (the slots' rows summed into one).
CREATE OR REPLACE FUNCTION report_daily_lock(p_workspace uuid) RETURNS boolean
LANGUAGE plpgsql VOLATILE SET search_path = public, pg_temp AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('report_daily'), hashtext(p_workspace::text));
  RETURN true;
END
$$;
WITH gone AS (DELETE FROM report_daily RETURNING *)
INSERT INTO report_daily (workspace_id, day, campaign_id, channel, practice_id, sent,
                          delivered, replied, happy_sent, happy_clicked, rating_1,
                          rating_2, rating_3, rating_4, rating_5, slot)
SELECT workspace_id, day, campaign_id, channel, (array_agg(practice_id))[1], sum(sent),
       sum(delivered), sum(replied), sum(happy_sent), sum(happy_clicked), sum(rating_1),
       sum(rating_2), sum(rating_3), sum(rating_4), sum(rating_5), 0
  FROM gone GROUP BY workspace_id, day, campaign_id, channel;
ALTER TABLE report_daily DROP CONSTRAINT report_daily_key;
ALTER TABLE report_daily DROP COLUMN slot;
ALTER TABLE report_daily ADD CONSTRAINT report_daily_key
  UNIQUE NULLS NOT DISTINCT (workspace_id, day, campaign_id, channel);
DROP FUNCTION report_daily_slot();
