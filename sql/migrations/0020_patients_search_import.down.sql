-- Reverts 0020.
DROP FUNCTION patients_appointment(text, uuid);
DROP TABLE import_rows;
DROP TABLE import_batches;
DROP INDEX messages_patient_idx;
DROP INDEX patients_campaign_phone_idx;
DROP INDEX patients_created_idx;
DROP INDEX patients_phone_search_idx;
DROP INDEX patients_name_search_idx;
ALTER TABLE patients DROP COLUMN name_search;
DROP FUNCTION patients_fold(text);
DROP EXTENSION pg_trgm;
