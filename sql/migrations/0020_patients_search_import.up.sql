-- 0020: patient search and the CSV import's staging tables.
--
-- Search: name_search is the name lowercased without Spanish accents (a generated column,
-- so it can never disagree with name), with a trigram index so that "perez" finds
-- "Juan Pérez" among a million patients without a scan; phones get a trigram index too
-- for partial numbers. patients_fold() is the one definition of the folding: queries
-- fold the search text with it.
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;

CREATE FUNCTION patients_fold(t text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT SET search_path = pg_catalog AS $$
  SELECT lower(translate(t, 'ÁÀÂÄÃÉÈÊËÍÌÎÏÓÒÔÖÕÚÙÛÜÑÇáàâäãéèêëíìîïóòôöõúùûüñç',
                            'AAAAAEEEEIIIIOOOOOUUUUNCaaaaaeeeeiiiiooooouuuunc'))
$$;

ALTER TABLE patients ADD COLUMN name_search text
  GENERATED ALWAYS AS (patients_fold(name)) STORED;
-- fastupdate off: with the pending list, whichever insert found it full merged it, and a
-- 10,000-row import that drew the short straw took 45 s instead of 3.
CREATE INDEX patients_name_search_idx ON patients USING gin (name_search gin_trgm_ops)
  WITH (fastupdate = off);
CREATE INDEX patients_phone_search_idx ON patients USING gin (phone gin_trgm_ops)
  WITH (fastupdate = off);
-- The list page: newest first within a workspace.
CREATE INDEX patients_created_idx ON patients (workspace_id, created_at DESC, id DESC);
-- Duplicates on import: same phone and appointment in a campaign.
CREATE INDEX patients_campaign_phone_idx ON patients (workspace_id, campaign_id, phone, appointment_time);
-- "Replied" filter and the patient page: a patient's messages.
CREATE INDEX messages_patient_idx ON messages (workspace_id, patient_id, created_at);

-- One uploaded file waiting for confirmation. It lives one hour (expires_at); confirming
-- stamps confirmed_at once, under the row's lock, so a second confirm imports nothing.
CREATE TABLE import_batches (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id    uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  campaign_id     uuid NOT NULL,
  created_by      uuid,
  filename        text NOT NULL DEFAULT '' CHECK (length(filename) <= 255),
  delimiter       text NOT NULL CHECK (delimiter IN (',', ';')),
  encoding        text NOT NULL CHECK (length(encoding) <= 32),
  ignored_columns text[] NOT NULL DEFAULT '{}',
  total_rows      integer NOT NULL CHECK (total_rows >= 0),
  confirmed_at    timestamptz,
  imported        integer CHECK (imported >= 0),
  enqueued        integer CHECK (enqueued >= 0),
  expires_at      timestamptz NOT NULL DEFAULT now() + interval '1 hour',
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (workspace_id, id),
  FOREIGN KEY (workspace_id, campaign_id) REFERENCES campaigns (workspace_id, id) ON DELETE CASCADE,
  FOREIGN KEY (workspace_id, created_by) REFERENCES users (workspace_id, id)
    ON DELETE SET NULL (created_by)
);
CREATE INDEX import_batches_expires_idx ON import_batches (workspace_id, expires_at);
CREATE INDEX import_batches_campaign_idx ON import_batches (workspace_id, campaign_id);
CREATE INDEX import_batches_author_idx ON import_batches (workspace_id, created_by);
CREATE TRIGGER import_batches_updated_at BEFORE UPDATE ON import_batches
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Every data row of the file, with its verdict: ACCEPTED (imported on confirm), REFUSED
-- (reason), DUPLICATE_FILE (an earlier line has the same contact and appointment),
-- DUPLICATE_CAMPAIGN (the campaign already has that patient and appointment).
-- opted_out: the phone or email is on the workspace's opt-out list (imported, never
-- contacted). appointment_time is already resolved in the practice's timezone.
CREATE TABLE import_rows (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id     uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  batch_id         uuid NOT NULL,
  line             integer NOT NULL CHECK (line > 1),
  status           text NOT NULL CHECK (status IN ('ACCEPTED', 'REFUSED', 'DUPLICATE_FILE',
                                                   'DUPLICATE_CAMPAIGN')),
  reason           text,
  name             text,
  phone            text CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
  email            text CHECK (email = lower(email)),
  appointment_time timestamptz,
  appointment_type text,
  has_consent      boolean NOT NULL DEFAULT false,
  channel          message_channel,
  language         text,
  opted_out        boolean NOT NULL DEFAULT false,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (workspace_id, id),
  UNIQUE (workspace_id, batch_id, line),
  FOREIGN KEY (workspace_id, batch_id) REFERENCES import_batches (workspace_id, id)
    ON DELETE CASCADE,
  CHECK (status <> 'ACCEPTED' OR (name IS NOT NULL AND appointment_time IS NOT NULL
                                  AND channel IS NOT NULL AND language IS NOT NULL))
);

CREATE TRIGGER import_rows_updated_at BEFORE UPDATE ON import_rows
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

ALTER TABLE import_batches ENABLE ROW LEVEL SECURITY;
ALTER TABLE import_rows ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON import_batches
  USING (workspace_id = nullif(current_setting('app.workspace_id', true), '')::uuid)
  WITH CHECK (workspace_id = nullif(current_setting('app.workspace_id', true), '')::uuid);
CREATE POLICY tenant_isolation ON import_rows
  USING (workspace_id = nullif(current_setting('app.workspace_id', true), '')::uuid)
  WITH CHECK (workspace_id = nullif(current_setting('app.workspace_id', true), '')::uuid);
GRANT SELECT, INSERT, UPDATE, DELETE ON import_batches TO rm_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON import_rows TO rm_app;
GRANT EXECUTE ON FUNCTION patients_fold(text) TO rm_app;

-- An appointment typed or imported as local time ("2025-11-15 10:00:00", no offset) is
-- read in the timezone of the campaign's practice (America/Guayaquil when there is
-- none); a value with an offset stands as it is.
CREATE FUNCTION patients_appointment(p_local text, p_campaign uuid) RETURNS timestamptz
LANGUAGE sql STABLE SECURITY INVOKER SET search_path = public, pg_temp AS $$
  SELECT CASE
    WHEN p_local IS NULL THEN NULL
    WHEN p_local ~ '[+-][0-9]{2}:[0-9]{2}$' THEN p_local::timestamptz
    ELSE p_local::timestamp AT TIME ZONE coalesce(
      (SELECT pr.timezone FROM campaigns c
         JOIN practices pr ON pr.workspace_id = c.workspace_id AND pr.id = c.practice_id
        WHERE c.id = p_campaign), 'America/Guayaquil')
  END
$$;

GRANT EXECUTE ON FUNCTION patients_appointment(text, uuid) TO rm_app;
