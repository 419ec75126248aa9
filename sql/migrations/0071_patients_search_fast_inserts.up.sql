-- 0071: patient search that scales and inserts that stay cheap (issue 6's import of
-- 10,000 rows; the staff pages at a million patients).
--
-- Measured on 10,000 inserted rows (a transaction rolled back, the test stack): 3.3–4.0 s
-- before, 1.4 s after. Where the time went:
--   * the two trigram GIN indexes (name_search, phone): ~25 trigram entries a name, each
--     a GIN insertion with fastupdate off, ~2 s. Names are now found by word prefixes in a
--     tsvector (3–5 entries a name); phones by B-tree prefix and suffix matches;
--   * single-column indexes no tenant-scoped query can use (a boolean, two mostly-NULL
--     timestamps, an appointment time searched by nothing, a campaign index that
--     patients_campaign_phone_idx already starts with), and three on messages whose
--     columns take a handful of values (status, type, rating): every insert paid for
--     them, no plan chose them;
--   * two foreign keys to workspaces that the composite ones already imply (a message's
--     patient, a staged row's batch, each with ON DELETE CASCADE from the workspace): one
--     more lookup for every row inserted;
--   * patients_fold had a SET clause, which keeps PostgreSQL from inlining a SQL
--     function: each generated name_search went through the function executor.

-- The same folding, inlinable (the calls are schema-qualified instead of pinning the
-- search_path). The body must give the same result as 0020's: name_search is stored.
CREATE OR REPLACE FUNCTION patients_fold(t text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT pg_catalog.lower(pg_catalog.translate(t,
           'ÁÀÂÄÃÉÈÊËÍÌÎÏÓÒÔÖÕÚÙÛÜÑÇáàâäãéèêëíìîïóòôöõúùûüñç',
           'AAAAAEEEEIIIIOOOOOUUUUNCaaaaaeeeeiiiiooooouuuunc'))
$$;

-- The words of the folded name, for "garcia" or "gar per" finding "Juan García Pérez"
-- (patients_name_query builds the query: every word typed, as a prefix).
ALTER TABLE patients ADD COLUMN name_words tsvector
  GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, patients_fold(name))) STORED;
CREATE INDEX patients_name_words_idx ON patients USING gin (name_words);

-- A search text → a tsquery of its folded words, each a prefix, all required; NULL when
-- it has no word. Words are split on anything that is not a letter or a digit and quoted,
-- so nothing typed can become a tsquery operator.
CREATE FUNCTION patients_name_query(q text) RETURNS tsquery
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT pg_catalog.to_tsquery('simple'::regconfig,
           pg_catalog.string_agg(pg_catalog.quote_literal(w) || ':*', ' & '))
    FROM pg_catalog.regexp_split_to_table(public.patients_fold(q), '[^[:alnum:]]+') AS w
   WHERE w <> ''
$$;

-- Phones: the start of the number (as typed with or without the country code) and its
-- last digits, as ranges of text_pattern_ops (the database's collation is C.UTF-8, which
-- PostgreSQL 15 does not order as plain bytes in a default B-tree). reverse() serves the
-- last digits.
DROP INDEX patients_phone_search_idx;
CREATE INDEX patients_phone_prefix_idx ON patients (workspace_id, phone text_pattern_ops);
CREATE INDEX patients_phone_suffix_idx
  ON patients (workspace_id, reverse(phone) text_pattern_ops);

-- One page of the patient list (GET /patients): the ids, newest first, of the current
-- workspace's patients that pass the filters and, for p_kind 'name' or 'phone', match
-- p_query. SECURITY DEFINER because of row-level security: under it, PostgreSQL may use an
-- index only for leakproof operators, and neither @@ (the name's words) nor reverse() (the
-- last digits) is one, so as rm_app every search read the whole workspace (0.7–1.3 s at a
-- million patients) instead of a few index pages (under 15 ms). It is narrow: the
-- workspace is the one app.workspace_id names (the same setting the policies read, never
-- a parameter), it returns ids only, and the page reads the rows themselves under RLS.
-- p_doctor limits it to that user's campaigns (a DOCTOR's list). Dynamic SQL so that each
-- call is planned for its own text: a prefix that matches half the workspace wants the
-- newest-first walk, a rare one the index.
CREATE FUNCTION app_patients_page(p_kind text, p_query text, p_campaign uuid,
                                  p_consent boolean, p_opted_out boolean, p_replied boolean,
                                  p_doctor uuid, p_offset integer, p_limit integer)
RETURNS TABLE (id uuid, created_at timestamptz)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_ws    uuid := NULLIF(current_setting('app.workspace_id', true), '')::uuid;
  v_match text := CASE
    WHEN p_kind = 'all' THEN ''
    WHEN p_kind = 'name' THEN ' AND p.name_words @@ patients_name_query($2)'
    -- $2 is digits: the start of +<digits>, of +593<digits> (a national number typed
    -- without its 0), or the last digits. [x, x || ':') is "starts with x" for digits.
    WHEN p_kind = 'phone' AND p_query ~ '^[0-9]{1,20}$' THEN
      ' AND ((p.phone ~>=~ (''+'' || $2) AND p.phone ~<~ (''+'' || $2 || '':''))'
      '   OR (p.phone ~>=~ (''+593'' || $2) AND p.phone ~<~ (''+593'' || $2 || '':''))'
      '   OR (reverse(p.phone) ~>=~ reverse($2)'
      '       AND reverse(p.phone) ~<~ (reverse($2) || '':'')))'
  END;
BEGIN
  IF v_ws IS NULL OR v_match IS NULL OR p_offset < 0 OR p_limit NOT BETWEEN 1 AND 1000 THEN
    RETURN;
  END IF;
  RETURN QUERY EXECUTE
    'SELECT p.id, p.created_at FROM patients p'
    ' LEFT JOIN campaigns c ON c.workspace_id = p.workspace_id AND c.id = p.campaign_id'
    ' WHERE p.workspace_id = $1' || v_match ||
    ' AND ($3::uuid IS NULL OR p.campaign_id = $3)'
    ' AND ($4::boolean IS NULL OR p.has_consent = $4)'
    ' AND ($5::boolean IS NULL OR (p.opted_out_at IS NOT NULL) = $5)'
    ' AND ($6::boolean IS NULL OR EXISTS (SELECT 1 FROM messages m'
    '      WHERE m.workspace_id = p.workspace_id AND m.patient_id = p.id'
    '        AND m.replied_at IS NOT NULL) = $6)'
    ' AND ($7::uuid IS NULL OR c.created_by = $7)'
    ' ORDER BY p.created_at DESC, p.id DESC LIMIT $9 OFFSET $8'
    USING v_ws, p_query, p_campaign, p_consent, p_opted_out, p_replied, p_doctor,
          p_offset, p_limit;
END
$$;
REVOKE ALL ON FUNCTION app_patients_page(text, text, uuid, boolean, boolean, boolean, uuid,
                                         integer, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_patients_page(text, text, uuid, boolean, boolean, boolean, uuid,
                                            integer, integer) TO rm_app;

DROP INDEX patients_name_search_idx;
DROP INDEX patients_consent_idx;
DROP INDEX patients_opted_out_idx;
DROP INDEX patients_deleted_idx;
DROP INDEX patients_appointment_idx;
DROP INDEX patients_campaign_idx;
DROP INDEX messages_status_idx;
DROP INDEX messages_type_idx;
DROP INDEX messages_rating_idx;

-- A message's (workspace_id, patient_id) and a staged row's (workspace_id, batch_id) keys
-- are NOT NULL and reference rows that themselves reference the workspace and go with it.
ALTER TABLE messages DROP CONSTRAINT messages_workspace_id_fkey;
ALTER TABLE import_rows DROP CONSTRAINT import_rows_workspace_id_fkey;
