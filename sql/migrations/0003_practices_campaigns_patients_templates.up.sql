-- 0003: practices, campaigns, patients and message templates.
-- Same tenancy pattern as 0002 (workspace_id FK cascade, UNIQUE (workspace_id, id),
-- composite FKs to parents, updated_at trigger).

CREATE TABLE practices (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id    uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  name            text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
  address         text,
  city            text,
  state           text,
  zip_code        text,
  country         text NOT NULL DEFAULT 'EC' CHECK (country ~ '^[A-Z]{2}$'),   -- ISO 3166-1
  -- Builds the public review link https://search.google.com/local/writereview?placeid=…
  google_place_id text,
  phone           text CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
  email           text CHECK (email = lower(email)),
  timezone        text NOT NULL DEFAULT 'America/Guayaquil',   -- IANA name
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (workspace_id, id)
);
CREATE TRIGGER practices_updated_at BEFORE UPDATE ON practices
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE campaigns (
  id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id          uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  name                  text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
  status                campaign_status NOT NULL DEFAULT 'ACTIVE',
  -- Hours after the appointment the rating request goes out (at most 30 days).
  scheduled_hours_after integer NOT NULL DEFAULT 2 CHECK (scheduled_hours_after BETWEEN 0 AND 720),
  description           text,
  practice_id           uuid,
  created_by            uuid,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now(),
  UNIQUE (workspace_id, id),
  -- NO ACTION (not SET NULL): a practice with campaigns cannot be deleted by itself, since
  -- a campaign without a practice has no review link. NO ACTION is checked at the end of
  -- the statement, so deleting the whole workspace still cascades cleanly.
  FOREIGN KEY (workspace_id, practice_id) REFERENCES practices (workspace_id, id),
  -- A departed user's campaigns stay; only the author is forgotten.
  FOREIGN KEY (workspace_id, created_by) REFERENCES users (workspace_id, id)
    ON DELETE SET NULL (created_by)
);
CREATE INDEX campaigns_created_idx  ON campaigns (workspace_id, created_at DESC);   -- list page
CREATE INDEX campaigns_status_idx   ON campaigns (status);
CREATE INDEX campaigns_practice_idx ON campaigns (workspace_id, practice_id);
CREATE INDEX campaigns_author_idx   ON campaigns (workspace_id, created_by);
CREATE TRIGGER campaigns_updated_at BEFORE UPDATE ON campaigns
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE patients (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id      uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  name              text NOT NULL,
  phone             text CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),   -- E.164, e.g. +593987654321
  email             text CHECK (email = lower(email)),
  appointment_time  timestamptz,
  appointment_type  text,
  -- LOPDP: health data needs explicit consent; consent_at records when it was given.
  has_consent       boolean NOT NULL DEFAULT false,
  consent_at        timestamptz,
  opted_out_at      timestamptz,
  -- Erasure (right to deletion) blanks the personal fields and stamps this; the row stays
  -- so reports keep their counts.
  data_deleted_at   timestamptz,
  preferred_channel message_channel NOT NULL DEFAULT 'SMS',
  language          text NOT NULL DEFAULT 'es' CHECK (language ~ '^[a-z]{2}(-[A-Z]{2})?$'),
  campaign_id       uuid,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (workspace_id, id),
  -- A patient must be reachable somehow, unless erased.
  CHECK (data_deleted_at IS NOT NULL OR phone IS NOT NULL OR email IS NOT NULL),
  -- Deleting a campaign keeps its patients (they are the clinic's records).
  FOREIGN KEY (workspace_id, campaign_id) REFERENCES campaigns (workspace_id, id)
    ON DELETE SET NULL (campaign_id)
);
CREATE INDEX patients_phone_idx       ON patients (phone);          -- replies by phone
CREATE INDEX patients_email_idx       ON patients (email);
CREATE INDEX patients_consent_idx     ON patients (has_consent);
CREATE INDEX patients_opted_out_idx   ON patients (opted_out_at);
CREATE INDEX patients_deleted_idx     ON patients (data_deleted_at);
CREATE INDEX patients_appointment_idx ON patients (appointment_time);
CREATE INDEX patients_campaign_idx    ON patients (workspace_id, campaign_id);
CREATE TRIGGER patients_updated_at BEFORE UPDATE ON patients
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE templates (
  id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id           uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  name                   text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
  type                   message_type NOT NULL,
  content                text NOT NULL CHECK (length(content) BETWEEN 1 AND 4096),
  variables              text[] NOT NULL DEFAULT '{}',   -- e.g. {name,practice,reviewLink}
  description            text,
  is_default             boolean NOT NULL DEFAULT false,
  -- WhatsApp only allows pre-approved templates outside the 24 h window: the approved
  -- template's name and language code for this text.
  whatsapp_template_name text,
  whatsapp_language      text,
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now(),
  UNIQUE (workspace_id, id)
);
-- Exactly one default per (workspace, type); switching the default is
-- "UPDATE … SET is_default = false WHERE type = $1 AND is_default; UPDATE … SET true …"
-- in one transaction.
CREATE UNIQUE INDEX templates_one_default_idx ON templates (workspace_id, type) WHERE is_default;
CREATE INDEX templates_type_idx ON templates (workspace_id, type);
CREATE TRIGGER templates_updated_at BEFORE UPDATE ON templates
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();
