-- 0117: the patient list's search by last digits through a small index (issue 6).
--
-- patients_phone_suffix_idx (0071) kept every phone reversed, so every new number landed
-- on a random page of an 80 MB index (at a million patients): of a 10,000-row import's
-- insert, it was the costliest index by far, the more so after a checkpoint, when the
-- first change to each of those pages writes the whole page to the WAL. Last digits are
-- now found by their last four: (workspace_id, last four digits) takes 10,000 values per
-- workspace, so B-tree deduplication keeps it to a few MB, and an import touches a few
-- hundred pages of it. The search still means "ends with what was typed": four digits or
-- more use the index and check the rest of the number on the rows found; two or three
-- look up every four-digit ending they could be (patients_last4_keys).
CREATE INDEX patients_phone_last4_idx ON patients (workspace_id, right(phone, 4));
DROP INDEX patients_phone_suffix_idx;
-- The statistics of the new expression: without them the planner took "ends in 45" for
-- 5% of the patients and walked a million of them newest first (0.35 s instead of 18 ms).
ANALYZE patients;

-- The last four digits of the phones that end in p_digits: itself when it has four or more,
-- else every way of completing it to four ("45": "0045" to "9945"), so that two or three
-- digits are still lookups in the index (one, a tenth of the patients, is left to the
-- planner, which walks the newest first).
CREATE FUNCTION patients_last4_keys(p_digits text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT CASE WHEN pg_catalog.length(p_digits) >= 4 THEN ARRAY[pg_catalog.right(p_digits, 4)]
    ELSE ARRAY(SELECT pg_catalog.lpad(n::text, 4 - pg_catalog.length(p_digits), '0') || p_digits
                 FROM pg_catalog.generate_series(0, (10 ^ (4 - pg_catalog.length(p_digits)))::int - 1) n)
  END
$$;

CREATE OR REPLACE FUNCTION app_patients_page(p_kind text, p_query text, p_campaign uuid,
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
    -- The last digits are found through their last four (patients_phone_last4_idx).
    WHEN p_kind = 'phone' AND p_query ~ '^[0-9]{1,20}$' THEN
      ' AND ((p.phone ~>=~ (''+'' || $2) AND p.phone ~<~ (''+'' || $2 || '':''))'
      '   OR (p.phone ~>=~ (''+593'' || $2) AND p.phone ~<~ (''+593'' || $2 || '':''))'
      '   OR (right(p.phone, 4) = ANY (patients_last4_keys($2))'
      '       AND right(p.phone, length($2)) = $2))'
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

