-- Reverts 0072.
DROP INDEX messages_campaign_pending_idx;
DROP INDEX patients_campaign_appointment_idx;
DROP TRIGGER campaign_counts_update ON patients;
DROP TRIGGER campaign_counts_delete ON patients;
DROP TRIGGER campaign_counts_insert ON patients;
DROP FUNCTION campaign_counts_on_patients();
DROP FUNCTION campaign_counts_sql(text);
DROP TABLE campaign_counts;
