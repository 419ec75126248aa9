-- Reverts 0117: the reversed-phone index and 0071's app_patients_page.
CREATE INDEX patients_phone_suffix_idx
  ON patients (workspace_id, reverse(phone) text_pattern_ops);
DROP INDEX patients_phone_last4_idx;

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


DROP FUNCTION patients_last4_keys(text);
