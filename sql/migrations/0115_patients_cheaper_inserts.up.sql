-- 0115: a patient costs less to insert (issue 6: 10,000 imported rows in under a second).
--
-- Measured on the bench data (1,000,000 patients), 10,000 rows inserted and rolled back:
--   * name_search (0020), a stored copy of the folded name, has been read by nothing since
--     0071 (names are found by name_words); each insert still folded every name for it;
--   * patients_fold lowercased after translating 48 accented letters, and PostgreSQL's
--     translate() walks its whole list for every character of the name: about half the
--     generated column's cost. Lowercasing first leaves the 24 lowercase letters to
--     translate. The result is the same for every character: checked on this database's
--     ctype (C.UTF-8) for all 1,114,111 code points, which matters because name_words is
--     stored. It stays one strict expression, so PostgreSQL still inlines it (a CASE, say
--     to skip plain ASCII names, is not strict, and a strict function whose body is not
--     is run through the SQL function executor at every row: three times slower);
--   * patients_phone_idx (phone) served the equality lookups (the reply routing across
--     workspaces, opt-outs inside one) and patients_phone_prefix_idx (workspace_id, phone)
--     the patient list's prefix search. One (phone, workspace_id) index in pattern order
--     serves both (= is in text_pattern_ops), with the workspace checked inside the
--     index; a new number lands on one random leaf page less.
ALTER TABLE patients DROP COLUMN name_search;

CREATE OR REPLACE FUNCTION patients_fold(t text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT pg_catalog.translate(pg_catalog.lower(t),
           'áàâäãéèêëíìîïóòôöõúùûüñç', 'aaaaaeeeeiiiiooooouuuunc')
$$;

CREATE INDEX patients_phone_lookup_idx ON patients (phone text_pattern_ops, workspace_id);
DROP INDEX patients_phone_idx;
DROP INDEX patients_phone_prefix_idx;
