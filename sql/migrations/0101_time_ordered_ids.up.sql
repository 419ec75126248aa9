-- 0101: new patients and messages get time-ordered ids (UUID version 7, RFC 9562), so that
-- a CSV import's 10,000 of each land at the right-hand edge of their id indexes instead
-- of on 10,000 random leaf pages apiece (issue 6).
--
-- A random (version 4) id puts every insert on its own page of patients_pkey,
-- patients_workspace_id_id_key, messages_pkey, messages_workspace_id_id_key and
-- messages_patient_idx (workspace_id, patient_id, created_at): at a million patients and
-- five million messages those are hundreds of megabytes, so an import touched, dirtied
-- and logged tens of thousands of pages. Time-ordered ids touch a few. Measured on the
-- bench data (a busy 2-core machine, so noisy), 10,000 patients inserted and enqueued in
-- rolled-back transactions, random and time-ordered ids in turn: insert 0.73-0.89 s
-- against 0.79-1.17 s, enqueue 0.41-0.47 s against 0.48-0.73 s.
--
-- The ids stay unguessable enough for what they are (74 random bits; nothing uses an id as
-- a secret: patient links carry signed tokens, core/plink.h) and keep their type, so no
-- column, key or query changes. Existing rows keep their ids.
CREATE FUNCTION uuid_v7() RETURNS uuid
LANGUAGE sql VOLATILE PARALLEL SAFE AS $$
  -- The first 48 bits become the Unix time in milliseconds; the version nibble goes from
  -- 4 to 7 (bits 52 and 53 of the bytea, counted from each byte's lowest bit); the
  -- variant and the other 74 bits stay gen_random_uuid()'s. No SET search_path (it would
  -- keep PostgreSQL from inlining the function): every call is schema-qualified, and
  -- overlay and substring are SQL syntax that always means pg_catalog's.
  SELECT pg_catalog.encode(pg_catalog.set_bit(pg_catalog.set_bit(overlay(
           pg_catalog.uuid_send(pg_catalog.gen_random_uuid()) PLACING
           substring(pg_catalog.int8send(pg_catalog.floor(
             pg_catalog.date_part('epoch', pg_catalog.clock_timestamp()) * 1000)::bigint)
             FROM 3) FROM 1 FOR 6), 52, 1), 53, 1), 'hex')::uuid
$$;
GRANT EXECUTE ON FUNCTION uuid_v7() TO rm_app;

ALTER TABLE patients ALTER COLUMN id SET DEFAULT uuid_v7();
ALTER TABLE messages ALTER COLUMN id SET DEFAULT uuid_v7();
