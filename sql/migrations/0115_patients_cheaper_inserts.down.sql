-- Reverts 0115: the two phone indexes, 0071's patients_fold, and name_search again.
CREATE INDEX patients_phone_idx ON patients (phone);
CREATE INDEX patients_phone_prefix_idx ON patients (workspace_id, phone text_pattern_ops);
DROP INDEX patients_phone_lookup_idx;

CREATE OR REPLACE FUNCTION patients_fold(t text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT pg_catalog.lower(pg_catalog.translate(t,
           'ÁÀÂÄÃÉÈÊËÍÌÎÏÓÒÔÖÕÚÙÛÜÑÇáàâäãéèêëíìîïóòôöõúùûüñç',
           'AAAAAEEEEIIIIOOOOOUUUUNCaaaaaeeeeiiiiooooouuuunc'))
$$;

ALTER TABLE patients ADD COLUMN name_search text
  GENERATED ALWAYS AS (patients_fold(name)) STORED;
