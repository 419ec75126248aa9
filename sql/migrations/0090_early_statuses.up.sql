-- 0090: delivery statuses that arrive before the sender has recorded the provider's id.
--
-- Twilio posts 'queued'/'sent' (even 'delivered') callbacks as soon as its API has
-- accepted a message, and that callback can reach the webhooks before the sender's own
-- sender_complete has written the message's external_id. Such a callback used to be
-- acknowledged and lost. Now it is kept here and applied when the id is recorded.
--
--   early_statuses: one row per (provider, external_id, provider_status) seen for an id no
--     message has yet; the key deduplicates replays exactly as webhook_events does for
--     known messages. Not a tenant table: no workspace is known yet. rm_app has no
--     grant on it; only the two SECURITY DEFINER functions below touch it.
--   app_status_workspace(p_provider, p_external_id, p_provider_status, p_status, p_error)
--     The workspace of the message with this provider id (as app_message_workspace,
--     0007), or, when no message has it yet, keeps the callback here and returns NULL.
--     Writes nothing else and returns nothing but the workspace id.
--   messages_apply_early_statuses (BEFORE UPDATE OF external_id trigger on messages): when
--     a message gets its provider id (sender_complete, 0040, or whatever records it
--     later), the callbacks kept for that id are applied to the new row with the rule of
--     fcgi/webhooks/status.c: a status only moves forward (app_status_rank), the error
--     of a FAILED is kept only when FAILED was a step forward, DELIVERED sets
--     delivered_at (at the time the callback arrived). Each applied callback is recorded
--     in webhook_events, so a later copy of it is a replay like any other. A trigger
--     rather than a change to sender_complete: whoever records an external_id, the kept
--     callbacks follow, and the sender's function stays the sender's.
--   Race: the webhooks' "no message has this id" and the sender's "nothing kept for this
--     id" could otherwise both be true and both commit. Both sides take one
--     transaction-level advisory lock per id before they look, so the second to come
--     waits for the first to commit and then sees its row (READ COMMITTED: the look
--     after the lock is a new statement with a new snapshot).
--   app_early_statuses_purge(): drops kept callbacks older than 24 hours (their message
--     never got that id: a provider's mistake, or a message of another deployment). The
--     sender's once-a-minute maintenance calls it.
SET client_encoding = 'UTF8';

CREATE TABLE early_statuses (
  provider        text NOT NULL CHECK (provider ~ '^[a-z_]{1,32}$'),
  external_id     text NOT NULL CHECK (length(external_id) BETWEEN 1 AND 200),
  provider_status text NOT NULL CHECK (length(provider_status) BETWEEN 1 AND 32),
  status          message_status NOT NULL,   -- ours, from fcgi/webhooks/status.c's map
  error           text CHECK (length(error) <= 1000),
  received_at     timestamptz NOT NULL DEFAULT now(),
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (external_id, provider, provider_status)
);
CREATE INDEX early_statuses_received_idx ON early_statuses (received_at);   -- the purge
CREATE TRIGGER early_statuses_updated_at BEFORE UPDATE ON early_statuses
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();
REVOKE ALL ON early_statuses FROM PUBLIC;

-- The lock both sides take for one provider id.
CREATE FUNCTION app_early_status_lock(p_external_id text) RETURNS void
LANGUAGE sql VOLATILE SET search_path = public, pg_temp AS $$
  SELECT pg_advisory_xact_lock(hashtextextended('early_status ' || p_external_id, 0))
$$;

CREATE FUNCTION app_status_workspace(p_provider text, p_external_id text,
                                     p_provider_status text, p_status message_status,
                                     p_error text)
RETURNS uuid
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_ws uuid;
BEGIN
  -- The common case: the message has its id already; no lock.
  SELECT m.workspace_id INTO v_ws FROM public.messages m
   WHERE m.external_id = p_external_id ORDER BY m.created_at DESC LIMIT 1;
  IF FOUND THEN
    RETURN v_ws;
  END IF;
  PERFORM public.app_early_status_lock(p_external_id);
  SELECT m.workspace_id INTO v_ws FROM public.messages m
   WHERE m.external_id = p_external_id ORDER BY m.created_at DESC LIMIT 1;
  IF FOUND THEN
    RETURN v_ws;
  END IF;
  INSERT INTO public.early_statuses (provider, external_id, provider_status, status, error)
  VALUES (p_provider, p_external_id, p_provider_status, p_status, left(p_error, 1000))
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;

CREATE FUNCTION messages_apply_early_statuses() RETURNS trigger
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_taken public.early_statuses[];
  e public.early_statuses;
BEGIN
  PERFORM public.app_early_status_lock(NEW.external_id);
  WITH taken AS (
    DELETE FROM public.early_statuses s
     WHERE s.external_id = NEW.external_id
       AND s.provider = CASE NEW.channel WHEN 'SMS' THEN 'twilio'
                                         WHEN 'WHATSAPP' THEN 'whatsapp' END
    RETURNING s.*
  )
  SELECT coalesce(array_agg(t ORDER BY t.received_at), '{}') INTO v_taken FROM taken t;
  -- In the order they arrived, with status.c's rule (STATUS_APPLY).
  FOREACH e IN ARRAY v_taken LOOP
    INSERT INTO public.webhook_events (workspace_id, provider, event_id, processed_at)
    VALUES (NEW.workspace_id, e.provider, NEW.external_id || ':' || e.provider_status, now())
    ON CONFLICT (provider, event_id) DO NOTHING;
    IF public.app_status_rank(NEW.status) < public.app_status_rank(e.status) THEN
      IF e.status = 'FAILED' THEN
        NEW.error := e.error;
      END IF;
      NEW.status := e.status;
    END IF;
    IF e.status = 'DELIVERED' AND NEW.delivered_at IS NULL AND NEW.status <> 'CANCELLED' THEN
      NEW.delivered_at := e.received_at;
    END IF;
  END LOOP;
  RETURN NEW;
END
$$;

CREATE TRIGGER messages_early_statuses BEFORE UPDATE OF external_id ON messages
  FOR EACH ROW
  WHEN (NEW.external_id IS NOT NULL AND NEW.external_id IS DISTINCT FROM OLD.external_id)
  EXECUTE FUNCTION messages_apply_early_statuses();

CREATE FUNCTION app_early_statuses_purge() RETURNS integer
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  WITH gone AS (
    DELETE FROM public.early_statuses WHERE received_at < now() - interval '24 hours'
    RETURNING 1
  )
  SELECT count(*)::integer FROM gone
$$;

REVOKE ALL ON FUNCTION app_early_status_lock(text),
                       app_status_workspace(text, text, text, message_status, text),
                       messages_apply_early_statuses(), app_early_statuses_purge()
  FROM PUBLIC;
-- The trigger function cannot be called directly (PostgreSQL runs a function returning
-- trigger only as a trigger); the grant only keeps every definer function's grants alike.
GRANT EXECUTE ON FUNCTION app_status_workspace(text, text, text, message_status, text),
                          messages_apply_early_statuses(), app_early_statuses_purge()
  TO rm_app;
