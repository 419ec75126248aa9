-- 0004: the outgoing message queue, private feedback, the opt-out list and provider
-- webhook events.

-- A message row is also the job: PENDING with scheduled_at is queued. The sender claims due
-- rows with FOR UPDATE SKIP LOCKED, sets SENDING and locked_until (a lease: a sender that
-- dies leaves rows that become claimable again once locked_until passes), commits, sends,
-- then records SENT/FAILED in a second transaction.
CREATE TABLE messages (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id  uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  patient_id    uuid NOT NULL,
  campaign_id   uuid,
  type          message_type NOT NULL,
  channel       message_channel NOT NULL,
  status        message_status NOT NULL DEFAULT 'PENDING',
  content       text,                          -- rendered text, filled at claim time or earlier
  rating        integer CHECK (rating BETWEEN 1 AND 5),   -- the patient's answer, if any
  sent_at       timestamptz,
  delivered_at  timestamptz,
  replied_at    timestamptz,
  reply_text    text,
  external_id   text,                          -- provider id: Twilio SM…, WhatsApp wamid…
  error         text,
  cost          numeric(10,4) CHECK (cost >= 0),
  attempts      integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  scheduled_at  timestamptz NOT NULL DEFAULT now(),
  locked_until  timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (workspace_id, id),
  -- Messages are part of the patient and of the campaign: they go with either.
  FOREIGN KEY (workspace_id, patient_id)  REFERENCES patients (workspace_id, id)  ON DELETE CASCADE,
  FOREIGN KEY (workspace_id, campaign_id) REFERENCES campaigns (workspace_id, id) ON DELETE CASCADE
);
CREATE INDEX messages_status_idx          ON messages (status);
CREATE INDEX messages_type_idx            ON messages (type);
CREATE INDEX messages_sent_at_idx         ON messages (sent_at);
CREATE INDEX messages_rating_idx          ON messages (rating);
CREATE INDEX messages_external_id_idx     ON messages (external_id);   -- status callbacks
CREATE INDEX messages_campaign_status_idx ON messages (campaign_id, status);
CREATE INDEX messages_patient_type_idx    ON messages (patient_id, type);
-- The sender's claim: "status = 'PENDING' AND scheduled_at <= now() ORDER BY scheduled_at".
-- Partial, so it holds only the queue, not the history.
CREATE INDEX messages_due_idx             ON messages (scheduled_at) WHERE status = 'PENDING';
-- Reclaiming leases of senders that died mid-send.
CREATE INDEX messages_lease_idx           ON messages (locked_until) WHERE status = 'SENDING';
CREATE TRIGGER messages_updated_at BEFORE UPDATE ON messages
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Private feedback from unhappy patients (the /f/<token> form).
CREATE TABLE feedback (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  patient_id   uuid NOT NULL,
  message_id   uuid,
  rating       integer CHECK (rating BETWEEN 1 AND 5),
  body         text CHECK (length(body) <= 10000),
  resolved_at  timestamptz,
  resolved_by  uuid,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (workspace_id, id),
  -- Feedback is the patient's data: it goes with the patient (erasure deletes rows).
  FOREIGN KEY (workspace_id, patient_id)  REFERENCES patients (workspace_id, id) ON DELETE CASCADE,
  -- It outlives the message it answered (a campaign's messages cascade away with it).
  FOREIGN KEY (workspace_id, message_id)  REFERENCES messages (workspace_id, id)
    ON DELETE SET NULL (message_id),
  FOREIGN KEY (workspace_id, resolved_by) REFERENCES users (workspace_id, id)
    ON DELETE SET NULL (resolved_by)
);
CREATE INDEX feedback_created_idx    ON feedback (workspace_id, created_at DESC);
CREATE INDEX feedback_unresolved_idx ON feedback (workspace_id, created_at) WHERE resolved_at IS NULL;
CREATE INDEX feedback_patient_idx    ON feedback (workspace_id, patient_id);
CREATE INDEX feedback_message_idx    ON feedback (workspace_id, message_id);
CREATE INDEX feedback_resolver_idx   ON feedback (workspace_id, resolved_by);
CREATE TRIGGER feedback_updated_at BEFORE UPDATE ON feedback
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Workspace-wide opt-outs. An opt-out by phone or by email blocks every channel to that
-- phone/email in the workspace (LOPDP: withdrawal must be as simple as consent); channel
-- only records where it came from. Kept apart from patients so it survives re-imports.
CREATE TABLE opt_outs (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  phone        text CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
  email        text CHECK (email = lower(email)),
  channel      message_channel,
  source       text NOT NULL DEFAULT 'staff' CHECK (source ~ '^[a-z_]{1,32}$'),   -- reply, staff, link…
  reason       text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (workspace_id, id),
  CHECK (phone IS NOT NULL OR email IS NOT NULL)
);
-- One row per phone and per email in a workspace: "INSERT … ON CONFLICT DO NOTHING".
CREATE UNIQUE INDEX opt_outs_phone_idx ON opt_outs (workspace_id, phone) WHERE phone IS NOT NULL;
CREATE UNIQUE INDEX opt_outs_email_idx ON opt_outs (workspace_id, email) WHERE email IS NOT NULL;
CREATE TRIGGER opt_outs_updated_at BEFORE UPDATE ON opt_outs
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Provider callbacks already seen: "INSERT … ON CONFLICT (provider, event_id) DO NOTHING"
-- makes replays no-ops. The key is global (provider ids are), not per workspace.
CREATE TABLE webhook_events (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  provider     text NOT NULL CHECK (provider ~ '^[a-z_]{1,32}$'),   -- twilio, whatsapp, stripe
  event_id     text NOT NULL CHECK (length(event_id) BETWEEN 1 AND 255),
  payload      jsonb NOT NULL DEFAULT '{}',
  processed_at timestamptz,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (workspace_id, id),
  UNIQUE (provider, event_id)
);
CREATE INDEX webhook_events_created_idx ON webhook_events (created_at);   -- pruning
CREATE TRIGGER webhook_events_updated_at BEFORE UPDATE ON webhook_events
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();
