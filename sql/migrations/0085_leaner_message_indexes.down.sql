-- Reverts 0085.
CREATE INDEX patients_campaign_phone_idx
  ON patients (workspace_id, campaign_id, phone, appointment_time);
CREATE INDEX messages_patient_type_idx ON messages (patient_id, type);
CREATE INDEX messages_sent_at_idx ON messages (sent_at);
DROP INDEX messages_sent_idx;
CREATE INDEX messages_external_id_idx ON messages (external_id);
DROP INDEX messages_external_id_set_idx;
