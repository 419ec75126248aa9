-- 0085: fewer index entries for every message and patient inserted (the CSV import's
-- confirm enqueues one message per patient: issue 6's 10,000 rows).
--
-- A PENDING message has no provider id and no sent_at yet, but the indexes on those two
-- columns took an entry for it anyway; every lookup on them names a value (external_id =
-- $1, sent_at ranges), which PostgreSQL knows excludes NULL, so partial indexes serve
-- them. messages_patient_type_idx (patient_id, type) repeats what messages_patient_idx
-- (workspace_id, patient_id, created_at) finds: a patient has a handful of messages. And
-- patients_campaign_phone_idx served only the import's duplicate check, which
-- patients_campaign_appointment_idx (0072) answers as well (same campaign and
-- appointment time, then the phone among those).
CREATE INDEX messages_external_id_set_idx ON messages (external_id)
  WHERE external_id IS NOT NULL;
DROP INDEX messages_external_id_idx;
CREATE INDEX messages_sent_idx ON messages (sent_at) WHERE sent_at IS NOT NULL;
DROP INDEX messages_sent_at_idx;
DROP INDEX messages_patient_type_idx;
DROP INDEX patients_campaign_phone_idx;
