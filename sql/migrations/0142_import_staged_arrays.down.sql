-- 0142 down: the staged rows as 0100's JSON document again, built from the arrays: the
-- rows to import with all their values, then the listed rows that are not (refused and
-- duplicates) with what the report shows of them (the contact goes back as the phone
-- when it is one, else as the email).
ALTER TABLE import_batches
  ADD COLUMN staged_rows json NOT NULL DEFAULT '[]' CHECK (json_typeof(staged_rows) = 'array');
ALTER TABLE import_batches ALTER COLUMN staged_rows SET COMPRESSION lz4;

UPDATE import_batches b SET staged_rows = coalesce(d.doc, '[]')
  FROM (SELECT x.id, json_agg(e.o ORDER BY e.line) AS doc
          FROM import_batches x
         CROSS JOIN LATERAL (
           SELECT r.line, json_build_object('line', r.line, 'status', 'ACCEPTED',
                    'reason', NULL, 'name', r.name, 'phone', r.phone, 'email', r.email,
                    'appointment_time', r.appointment_time,
                    'appointment_type', r.appointment_type, 'has_consent', r.has_consent,
                    'channel', r.channel, 'language', r.language, 'opted_out', r.opted_out) AS o
             FROM unnest(x.import_lines, x.import_names, x.import_phones, x.import_emails,
                         x.import_appointment_times, x.import_appointment_types,
                         x.import_consents, x.import_channels, x.import_languages,
                         x.import_opted_out)
               AS r(line, name, phone, email, appointment_time, appointment_type,
                    has_consent, channel, language, opted_out)
           UNION ALL
           SELECT r.line, json_build_object('line', r.line, 'status', r.status,
                    'reason', r.reason, 'name', r.name,
                    'phone', CASE WHEN r.contact LIKE '+%' THEN r.contact END,
                    'email', CASE WHEN r.contact NOT LIKE '+%' THEN r.contact END,
                    'appointment_time', NULL, 'appointment_type', NULL,
                    'has_consent', false, 'channel', NULL, 'language', NULL,
                    'opted_out', false)
             FROM unnest(x.listed_lines, x.listed_statuses, x.listed_reasons, x.listed_names,
                         x.listed_contacts) AS r(line, status, reason, name, contact)
            WHERE r.status <> 'ACCEPTED') e
         GROUP BY x.id) d
 WHERE d.id = b.id;

ALTER TABLE import_batches
  DROP COLUMN import_lines, DROP COLUMN import_names, DROP COLUMN import_phones,
  DROP COLUMN import_emails, DROP COLUMN import_appointment_times,
  DROP COLUMN import_appointment_types, DROP COLUMN import_consents,
  DROP COLUMN import_channels, DROP COLUMN import_languages, DROP COLUMN import_opted_out,
  DROP COLUMN listed_lines, DROP COLUMN listed_statuses, DROP COLUMN listed_reasons,
  DROP COLUMN listed_names, DROP COLUMN listed_contacts;
