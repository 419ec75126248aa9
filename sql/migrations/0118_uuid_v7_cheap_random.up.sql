-- 0118: uuid_v7 (0101) takes its random bits from PostgreSQL's own generator.
--
-- gen_random_uuid() asks OpenSSL for 16 random bytes at every call: about 4 µs each, 80 ms
-- of a 10,000-row import's confirm, which makes an id for every patient and every message
-- (issue 6). The ids are not secrets (0101: nothing uses one as a capability; patient
-- links carry signed tokens), so they need unique bits, not unguessable ones. random()
-- is seeded from a strong source when the connection starts; a session that calls
-- setseed() (only the demo history does) repeats its sequence, but the millisecond prefix
-- still keeps its ids apart from any other session's. Layout (RFC 9562): 48 bits of Unix
-- time in milliseconds, the version 7, 12 random bits; the variant 10, 62 random bits
-- (two draws of 31, since a double carries only 52).
CREATE OR REPLACE FUNCTION uuid_v7() RETURNS uuid
LANGUAGE sql VOLATILE PARALLEL SAFE AS $$
  SELECT pg_catalog.encode(
    pg_catalog.int8send(
      (pg_catalog.floor(pg_catalog.date_part('epoch', pg_catalog.clock_timestamp()) * 1000)
         ::bigint << 16)
      | 28672                                                      -- 0x7000: version 7
      | pg_catalog.floor(pg_catalog.random() * 4096)::bigint)
    || pg_catalog.int8send(
      (-9223372036854775807 - 1)                                   -- the variant bit 10
      | (pg_catalog.floor(pg_catalog.random() * 2147483648)::bigint << 31)
      | pg_catalog.floor(pg_catalog.random() * 2147483648)::bigint),
    'hex')::uuid
$$;
