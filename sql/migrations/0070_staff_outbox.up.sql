-- 0070: the staff outbox, e-mails to the practice's own people (today: the owners, when
-- a patient leaves new unhappy feedback). A message row needs a patient; these have a
-- user instead, so they get their own small queue with the same shape of life:
-- PENDING (due at scheduled_at) → SENDING (leased until locked_until) → SENT or FAILED;
-- a transient failure goes back to PENDING with a backoff, FAILED on the 5th attempt.
-- The webhooks program enqueues in the feedback's own transaction; the sender claims and
-- completes them per workspace under row-level security (fcgi/sender/batch.c), sends
-- them through the same SMTP driver as the patients' e-mails, and takes no credit.

CREATE TABLE staff_outbox (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  user_id      uuid NOT NULL,
  feedback_id  uuid,                          -- what it tells about; one mail per owner
  recipient    text NOT NULL CHECK (length(recipient) BETWEEN 3 AND 320),
  subject      text NOT NULL CHECK (length(subject) <= 300),
  body         text NOT NULL CHECK (length(body) <= 20000),
  status       text NOT NULL DEFAULT 'PENDING'
               CHECK (status IN ('PENDING', 'SENDING', 'SENT', 'FAILED')),
  attempts     integer NOT NULL DEFAULT 0,
  scheduled_at timestamptz NOT NULL DEFAULT now(),
  locked_until timestamptz,
  sent_at      timestamptz,
  error        text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (workspace_id, id),
  UNIQUE (feedback_id, user_id),
  FOREIGN KEY (workspace_id, user_id) REFERENCES users (workspace_id, id) ON DELETE CASCADE,
  FOREIGN KEY (workspace_id, feedback_id) REFERENCES feedback (workspace_id, id)
    ON DELETE CASCADE
);
CREATE TRIGGER staff_outbox_updated_at BEFORE UPDATE ON staff_outbox
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();
-- What the claim and app_due_workspaces look for: unfinished rows only.
CREATE INDEX staff_outbox_due ON staff_outbox (workspace_id, scheduled_at)
  WHERE status IN ('PENDING', 'SENDING');

ALTER TABLE staff_outbox ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON staff_outbox
  USING (workspace_id = nullif(current_setting('app.workspace_id', true), '')::uuid)
  WITH CHECK (workspace_id = nullif(current_setting('app.workspace_id', true), '')::uuid);
GRANT SELECT, INSERT, UPDATE, DELETE ON staff_outbox TO rm_app;

-- SECURITY INVOKER, in the current workspace (the sender's claim transaction): fails the
-- rows of a sender that died mid-send (as 0040 does for messages: never sent twice
-- automatically), then leases up to p_limit due rows, skipping other senders' locks.
CREATE FUNCTION staff_outbox_claim(p_limit integer, p_lease_seconds integer)
RETURNS TABLE (id uuid, recipient text, subject text, body text)
LANGUAGE plpgsql VOLATILE SECURITY INVOKER SET search_path = public, pg_temp AS $$
BEGIN
  UPDATE public.staff_outbox o
     SET status = 'FAILED', error = 'resultado desconocido', locked_until = NULL
   WHERE o.status = 'SENDING' AND o.locked_until < now();
  RETURN QUERY
  UPDATE public.staff_outbox o
     SET status = 'SENDING', locked_until = now() + make_interval(secs => p_lease_seconds)
   WHERE o.id IN (SELECT d.id FROM public.staff_outbox d
                   WHERE d.status = 'PENDING' AND d.scheduled_at <= now()
                   ORDER BY d.scheduled_at
                   LIMIT greatest(p_limit, 1)
                   FOR UPDATE SKIP LOCKED)
  RETURNING o.id, o.recipient, o.subject, o.body;
END
$$;

-- [{"id","outcome":"sent|retry|failed|opted_out","error"}], like sender_complete (0040):
-- sent → SENT; retry → PENDING again by 0040's retry rule (send_retries_left,
-- send_retry_at, send_error), FAILED on the 5th attempt; anything else → FAILED. Only
-- rows still SENDING are touched.
CREATE FUNCTION staff_outbox_complete(p_results jsonb) RETURNS integer
LANGUAGE sql VOLATILE SECURITY INVOKER SET search_path = public, pg_temp AS $$
  WITH upd AS (
    UPDATE public.staff_outbox o
       SET status = CASE
                      WHEN r.outcome = 'sent' THEN 'SENT'
                      WHEN r.outcome = 'retry' AND send_retries_left(o.attempts) THEN 'PENDING'
                      ELSE 'FAILED'
                    END,
           attempts = o.attempts + 1,
           sent_at = CASE WHEN r.outcome = 'sent' THEN now() END,
           error = send_error(r.outcome, o.attempts, r.error),
           scheduled_at = CASE
                            WHEN r.outcome = 'retry' AND send_retries_left(o.attempts)
                              THEN send_retry_at(o.attempts)
                            ELSE o.scheduled_at
                          END,
           locked_until = NULL
      FROM jsonb_to_recordset(p_results) AS r(id uuid, outcome text, error text)
     WHERE o.id = r.id AND o.status = 'SENDING'
    RETURNING o.id)
  SELECT count(*)::integer FROM upd
$$;
REVOKE ALL ON FUNCTION staff_outbox_claim(integer, integer), staff_outbox_complete(jsonb)
  FROM PUBLIC;
GRANT EXECUTE ON FUNCTION staff_outbox_claim(integer, integer), staff_outbox_complete(jsonb)
  TO rm_app;

-- 0007's lookup, now also naming the workspaces with due staff e-mails.
CREATE OR REPLACE FUNCTION app_due_workspaces(p_limit integer) RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT d.workspace_id
    FROM (SELECT m.workspace_id, m.scheduled_at
            FROM public.messages m
           WHERE (m.status = 'PENDING' AND m.scheduled_at <= now())
              OR (m.status = 'SENDING' AND m.locked_until < now())
          UNION ALL
          SELECT o.workspace_id, o.scheduled_at
            FROM public.staff_outbox o
           WHERE (o.status = 'PENDING' AND o.scheduled_at <= now())
              OR (o.status = 'SENDING' AND o.locked_until < now())) d
   GROUP BY d.workspace_id
   ORDER BY min(d.scheduled_at)
   LIMIT least(greatest(coalesce(p_limit, 100), 1), 1000)
$$;
