-- Reverts 0062.
DROP TRIGGER IF EXISTS report_counts_update ON patients;
DROP TRIGGER IF EXISTS report_counts_delete ON patients;
DROP TRIGGER IF EXISTS report_counts_insert ON patients;
DROP FUNCTION IF EXISTS report_counts_on_patients();
DROP FUNCTION IF EXISTS report_counts_apply(jsonb);
DROP TABLE IF EXISTS report_counts;
