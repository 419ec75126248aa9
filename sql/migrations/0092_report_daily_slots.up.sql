-- 0092: a rollup row per connection, so concurrent callbacks stop queueing on one row.
--
-- Every status callback and rating of a campaign on one day and channel changed the same
-- report_daily row, and since 0084 took the workspace's rollup lock: both held to commit,
-- so the webhooks' transactions ran one at a time behind them (tests/bench/webhooks.sh at
-- 500,000 messages: p99 17.6 ms, and pgbench on the same UPDATE no better). Now the key
-- has a slot, the writing connection's (its backend pid modulo 8), and the lock is per
-- workspace and slot: connections with different slots neither share rows nor wait on
-- each other, and one connection's transactions still cannot deadlock with another of
-- the same slot (they take turns, as 0084 made them). The figures are sums over rows
-- already (report_rows, report_figures, the home page, the campaign list), so readers
-- see the same numbers; a single slot row may go below zero (a message counted in one
-- slot and changed from another), its sums never do.
CREATE FUNCTION report_daily_slot() RETURNS smallint
LANGUAGE sql VOLATILE AS $$ SELECT (pg_catalog.pg_backend_pid() % 8)::smallint $$;
GRANT EXECUTE ON FUNCTION report_daily_slot() TO rm_app;

ALTER TABLE report_daily ADD COLUMN slot smallint NOT NULL DEFAULT 0;
ALTER TABLE report_daily ALTER COLUMN slot SET DEFAULT report_daily_slot();
ALTER TABLE report_daily DROP CONSTRAINT report_daily_key;
ALTER TABLE report_daily ADD CONSTRAINT report_daily_key
  UNIQUE NULLS NOT DISTINCT (workspace_id, day, campaign_id, channel, slot);

CREATE OR REPLACE FUNCTION report_daily_lock(p_workspace uuid) RETURNS boolean
LANGUAGE plpgsql VOLATILE SET search_path = public, pg_temp AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('report_daily'),
                                hashtext(p_workspace::text || '/' || public.report_daily_slot()));
  RETURN true;
END
$$;
