-- Reverts 0071.
ALTER TABLE import_rows ADD CONSTRAINT import_rows_workspace_id_fkey
  FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE;
ALTER TABLE messages ADD CONSTRAINT messages_workspace_id_fkey
  FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE;
CREATE INDEX messages_rating_idx ON messages (rating);
CREATE INDEX messages_type_idx ON messages (type);
CREATE INDEX messages_status_idx ON messages (status);
CREATE INDEX patients_campaign_idx ON patients (workspace_id, campaign_id);
CREATE INDEX patients_appointment_idx ON patients (appointment_time);
CREATE INDEX patients_deleted_idx ON patients (data_deleted_at);
CREATE INDEX patients_opted_out_idx ON patients (opted_out_at);
CREATE INDEX patients_consent_idx ON patients (has_consent);
CREATE INDEX patients_name_search_idx ON patients USING gin (name_search gin_trgm_ops)
  WITH (fastupdate = off);
DROP INDEX patients_phone_suffix_idx;
DROP INDEX patients_phone_prefix_idx;
CREATE INDEX patients_phone_search_idx ON patients USING gin (phone gin_trgm_ops)
  WITH (fastupdate = off);
DROP FUNCTION app_patients_page(text, text, uuid, boolean, boolean, boolean, uuid, integer,
                               integer);
DROP FUNCTION patients_name_query(text);
ALTER TABLE patients DROP COLUMN name_words;
CREATE OR REPLACE FUNCTION patients_fold(t text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT SET search_path = pg_catalog AS $$
  SELECT lower(translate(t, 'ÁÀÂÄÃÉÈÊËÍÌÎÏÓÒÔÖÕÚÙÛÜÑÇáàâäãéèêëíìîïóòôöõúùûüñç',
                            'AAAAAEEEEIIIIOOOOOUUUUNCaaaaaeeeeiiiiooooouuuunc'))
$$;
