-- 0100 down: import_rows again (as 0020 and 0071 left it), filled from the staged documents.
CREATE TABLE import_rows (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id     uuid NOT NULL,
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
ALTER TABLE import_rows ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON import_rows
  USING (workspace_id = nullif(current_setting('app.workspace_id', true), '')::uuid)
  WITH CHECK (workspace_id = nullif(current_setting('app.workspace_id', true), '')::uuid);
GRANT SELECT, INSERT, UPDATE, DELETE ON import_rows TO rm_app;

INSERT INTO import_rows (workspace_id, batch_id, line, status, reason, name, phone, email,
                         appointment_time, appointment_type, has_consent, channel, language,
                         opted_out)
SELECT b.workspace_id, b.id, r.line, r.status, r.reason, r.name, r.phone, r.email,
       r.appointment_time, r.appointment_type, coalesce(r.has_consent, false),
       r.channel::message_channel, r.language, coalesce(r.opted_out, false)
  FROM import_batches b
 CROSS JOIN LATERAL json_to_recordset(b.staged_rows) AS r(line integer, status text,
   reason text, name text, phone text, email text, appointment_time timestamptz,
   appointment_type text, has_consent boolean, channel text, language text,
   opted_out boolean);

ALTER TABLE import_batches DROP COLUMN staged_rows, DROP COLUMN accepted,
  DROP COLUMN refused, DROP COLUMN duplicate_file, DROP COLUMN duplicate_campaign,
  DROP COLUMN opted_out;
