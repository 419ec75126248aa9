-- 0142: the staged CSV import as typed arrays on its batch, not one JSON document (0100).
--
-- Each step read the document by parsing it: the report parsed all 10,000 rows to list
-- the few it shows, the confirm parsed them again to insert them (json_to_recordset over
-- a 10,000-row document: 66-75 ms; the same rows from typed arrays with unnest: 22-30 ms),
-- and the upload had its input JSON parsed and the document validated. Now the upload
-- sends arrays in the binary wire format (core/pgarray.h), which the server copies in,
-- and the rows are kept in two sets of parallel arrays, one element a row, in line order:
--   import_*: the rows the confirm inserts (ACCEPTED: refused and duplicate rows are not
--             here), with their values and the appointment already resolved in the
--             practice's timezone; import_opted_out: phone or email on the opt-out list;
--   listed_*: the rows the report lists (refused, duplicate, or accepted but opted out:
--             a few, so the report reads none of the rows to insert), with the status,
--             the reason, the name and the contact (the phone, or the email).
-- A row the confirm finds already in the campaign moves from the first set to the second
-- (patients_import_mark_duplicates). The figures stay the columns 0100 added.
-- lz4, as 0100 chose for the document: pglz is slower to compress than to write.

ALTER TABLE import_batches
  ADD COLUMN import_lines             integer[] NOT NULL DEFAULT '{}',
  ADD COLUMN import_names             text[] NOT NULL DEFAULT '{}',
  ADD COLUMN import_phones            text[] NOT NULL DEFAULT '{}',
  ADD COLUMN import_emails            text[] NOT NULL DEFAULT '{}',
  ADD COLUMN import_appointment_times timestamptz[] NOT NULL DEFAULT '{}',
  ADD COLUMN import_appointment_types text[] NOT NULL DEFAULT '{}',
  ADD COLUMN import_consents          boolean[] NOT NULL DEFAULT '{}',
  ADD COLUMN import_channels          text[] NOT NULL DEFAULT '{}',
  ADD COLUMN import_languages         text[] NOT NULL DEFAULT '{}',
  ADD COLUMN import_opted_out         boolean[] NOT NULL DEFAULT '{}',
  ADD COLUMN listed_lines             integer[] NOT NULL DEFAULT '{}',
  ADD COLUMN listed_statuses          text[] NOT NULL DEFAULT '{}',
  ADD COLUMN listed_reasons           text[] NOT NULL DEFAULT '{}',
  ADD COLUMN listed_names             text[] NOT NULL DEFAULT '{}',
  ADD COLUMN listed_contacts          text[] NOT NULL DEFAULT '{}';
ALTER TABLE import_batches
  ALTER COLUMN import_names SET COMPRESSION lz4,
  ALTER COLUMN import_phones SET COMPRESSION lz4,
  ALTER COLUMN import_emails SET COMPRESSION lz4,
  ALTER COLUMN import_appointment_times SET COMPRESSION lz4,
  ALTER COLUMN import_appointment_types SET COMPRESSION lz4,
  ALTER COLUMN import_channels SET COMPRESSION lz4,
  ALTER COLUMN import_languages SET COMPRESSION lz4,
  ALTER COLUMN listed_reasons SET COMPRESSION lz4,
  ALTER COLUMN listed_names SET COMPRESSION lz4,
  ALTER COLUMN listed_contacts SET COMPRESSION lz4;

-- Batches staged now (an hour's worth at most) keep their rows, confirmed ones their
-- report; the rest of 0100's document (the values of rows not imported) is not needed.
UPDATE import_batches b SET
  import_lines = s.import_lines, import_names = s.import_names,
  import_phones = s.import_phones, import_emails = s.import_emails,
  import_appointment_times = s.import_appointment_times,
  import_appointment_types = s.import_appointment_types,
  import_consents = s.import_consents, import_channels = s.import_channels,
  import_languages = s.import_languages, import_opted_out = s.import_opted_out,
  listed_lines = s.listed_lines, listed_statuses = s.listed_statuses,
  listed_reasons = s.listed_reasons, listed_names = s.listed_names,
  listed_contacts = s.listed_contacts
  FROM (SELECT x.id,
          coalesce(array_agg(r.line ORDER BY r.line) FILTER (WHERE a), '{}') AS import_lines,
          coalesce(array_agg(r.name ORDER BY r.line) FILTER (WHERE a), '{}') AS import_names,
          coalesce(array_agg(r.phone ORDER BY r.line) FILTER (WHERE a), '{}') AS import_phones,
          coalesce(array_agg(r.email ORDER BY r.line) FILTER (WHERE a), '{}') AS import_emails,
          coalesce(array_agg(r.appointment_time ORDER BY r.line) FILTER (WHERE a), '{}')
            AS import_appointment_times,
          coalesce(array_agg(r.appointment_type ORDER BY r.line) FILTER (WHERE a), '{}')
            AS import_appointment_types,
          coalesce(array_agg(coalesce(r.has_consent, false) ORDER BY r.line) FILTER (WHERE a),
                   '{}') AS import_consents,
          coalesce(array_agg(r.channel ORDER BY r.line) FILTER (WHERE a), '{}') AS import_channels,
          coalesce(array_agg(r.language ORDER BY r.line) FILTER (WHERE a), '{}')
            AS import_languages,
          coalesce(array_agg(coalesce(r.opted_out, false) ORDER BY r.line) FILTER (WHERE a),
                   '{}') AS import_opted_out,
          coalesce(array_agg(r.line ORDER BY r.line) FILTER (WHERE l), '{}') AS listed_lines,
          coalesce(array_agg(r.status ORDER BY r.line) FILTER (WHERE l), '{}') AS listed_statuses,
          coalesce(array_agg(r.reason ORDER BY r.line) FILTER (WHERE l), '{}') AS listed_reasons,
          coalesce(array_agg(r.name ORDER BY r.line) FILTER (WHERE l), '{}') AS listed_names,
          coalesce(array_agg(coalesce(r.phone, r.email) ORDER BY r.line) FILTER (WHERE l), '{}')
            AS listed_contacts
          FROM import_batches x
         CROSS JOIN LATERAL json_to_recordset(x.staged_rows) AS r(line integer, status text,
           reason text, name text, phone text, email text, appointment_time timestamptz,
           appointment_type text, has_consent boolean, channel text, language text,
           opted_out boolean)
         CROSS JOIN LATERAL (SELECT r.status = 'ACCEPTED' AS a,
                                    r.status <> 'ACCEPTED' OR coalesce(r.opted_out, false) AS l) f
         GROUP BY x.id) s
 WHERE s.id = b.id;

ALTER TABLE import_batches DROP COLUMN staged_rows;
