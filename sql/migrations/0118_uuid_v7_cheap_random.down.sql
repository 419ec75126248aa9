-- Reverts 0118: uuid_v7's random bits from gen_random_uuid() again (0101).
CREATE OR REPLACE FUNCTION uuid_v7() RETURNS uuid
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
