SET client_encoding = 'UTF8';   -- the file is UTF-8 whatever the caller's locale
-- Three months of history for the demo workspace, so that the dashboard looks lived-in:
-- a second practice, three more campaigns (one of each status with the seed's ACTIVE one),
-- about 600 patients with Ecuadorian names and phones, their messages on SMS, WhatsApp and
-- email (some failed, most delivered, many answered with a rating, mostly 4-5), follow-ups,
-- review clicks, private feedback, a few erased patients and opt-outs, and some audit rows.
--
-- Runs after seed.sql (scripts/db.sh seed), as rm_owner, in one transaction. Loaded once:
-- it does nothing when the second practice already exists. Dates are relative to the day
-- it is loaded; the pseudo-random choices are seeded, so every load draws the same shape.
-- Every message is in a final state (nothing PENDING), and none will ever call for a
-- reminder (app_enqueue_reminders, 0050: an unanswered INITIAL sent between 24 hours and
-- 7 days ago with no REMINDER yet): every unanswered request of the last 8 days already
-- has its reminder, sent a day after it, and appointments are at least two days old, so
-- that day has always passed. The sender never sends anything for the history and never
-- spends a credit on it: the only debit after `make run` is seed.sql's three requests.
--
-- Fixed ids besides seed.sql's:
--   practice  Consultorio Norte (Guayaquil)     30000000-0000-4000-8000-000000000002
--   campaigns Control trimestral (COMPLETED)    40000000-0000-4000-8000-000000000002
--             Campaña de vacunación (DRAFT)     40000000-0000-4000-8000-000000000003
--             Limpieza dental (CANCELLED)       40000000-0000-4000-8000-000000000004
--   patients                                    51000000-0000-4000-8000-000000000NNN

DO $$
DECLARE
  ws constant uuid := '10000000-0000-4000-8000-000000000001';
  owner_id constant uuid := '20000000-0000-4000-8000-000000000001';
  doctor_id constant uuid := '20000000-0000-4000-8000-000000000002';
  centro constant uuid := '30000000-0000-4000-8000-000000000001';
  norte constant uuid := '30000000-0000-4000-8000-000000000002';
  c_active constant uuid := '40000000-0000-4000-8000-000000000001';
  c_done constant uuid := '40000000-0000-4000-8000-000000000002';
  c_draft constant uuid := '40000000-0000-4000-8000-000000000003';
  c_cancel constant uuid := '40000000-0000-4000-8000-000000000004';
  first_names constant text[] := ARRAY['María', 'José', 'Luis', 'Ana', 'Carlos', 'Jorge',
    'Diana', 'Andrea', 'Juan', 'Gabriela', 'Daniela', 'Fernando', 'Verónica', 'Patricia',
    'Santiago', 'Mateo', 'Valentina', 'Camila', 'Paola', 'Cristina', 'Marco', 'Diego',
    'Pablo', 'Lucía', 'Sofía', 'Esteban', 'Ximena', 'Mónica', 'Rosa', 'Segundo', 'Wilson',
    'Byron', 'Édison', 'Jessica', 'Katherine', 'Alexandra', 'Nelly', 'Fausto', 'Galo',
    'Marcelo'];
  last_names constant text[] := ARRAY['Pérez', 'García', 'Ramírez', 'Zambrano', 'Vera',
    'Cedeño', 'Mendoza', 'Torres', 'Andrade', 'Vargas', 'Castillo', 'Guerrero', 'Moreira',
    'Morales', 'Chávez', 'Jaramillo', 'Espinoza', 'Paredes', 'Salazar', 'Cevallos',
    'Villacís', 'Proaño', 'Yépez', 'Benítez', 'Ortiz', 'Ponce', 'Cabrera', 'Córdova',
    'Sánchez', 'Reyes', 'Aguirre', 'Chiriboga', 'Naranjo', 'Toapanta', 'Quishpe', 'Guamán',
    'Tapia', 'Herrera', 'Bravo', 'Loor'];
  kinds constant text[] := ARRAY['Consulta general', 'Control', 'Odontología',
    'Pediatría', 'Ginecología', 'Laboratorio'];
  complaints constant text[] := ARRAY['Esperé más de una hora para ser atendido.',
    'La recepcionista no me explicó bien los costos.',
    'El consultorio estaba muy lleno y hacía calor.',
    'El doctor fue amable, pero la cita empezó tarde.',
    'No me dieron la receta impresa.'];
  -- What happy patients wrote back, by the rating it gives.
  words_5 constant text[] := ARRAY['5', '5 excelente', '5, muy buena atención', '5!'];
  words_4 constant text[] := ARRAY['4', '4 gracias'];
  i int; n_patients constant int := 600;
  pid uuid; camp uuid; chan message_channel; fname text; lname text;
  appt timestamptz; appt_local timestamp; sent timestamptz; replied timestamptz;
  r double precision;
  rating int; mid uuid; st message_status; email text;
BEGIN
  IF EXISTS (SELECT 1 FROM practices WHERE id = norte) THEN
    RETURN;                                    -- loaded already
  END IF;
  PERFORM setseed(0.2026);

  INSERT INTO practices (id, workspace_id, name, address, city, state, country,
                         google_place_id, timezone, phone)
  VALUES (norte, ws, 'Consultorio Norte', 'Av. Francisco de Orellana 234', 'Guayaquil',
          'Guayas', 'EC', 'ChIJd8BlQ2BZwokRAFUEcm_qrcA', 'America/Guayaquil', '+59342681234');

  INSERT INTO campaigns (id, workspace_id, name, status, scheduled_hours_after, description,
                         practice_id, created_by, created_at)
  VALUES
    (c_done, ws, 'Control trimestral', 'COMPLETED', 3,
     'Pacientes de control del trimestre pasado.', norte, doctor_id, now() - interval '95 days'),
    (c_draft, ws, 'Campaña de vacunación', 'DRAFT', 2,
     'Vacunación de temporada: en preparación.', norte, owner_id, now() - interval '2 days'),
    (c_cancel, ws, 'Limpieza dental', 'CANCELLED', 4,
     'Se canceló al cambiar de proveedor de SMS.', centro, doctor_id, now() - interval '60 days');

  FOR i IN 1..n_patients LOOP
    pid := ('51000000-0000-4000-8000-' || lpad(i::text, 12, '0'))::uuid;
    camp := CASE WHEN i <= 300 THEN c_active WHEN i <= 520 THEN c_done
                 WHEN i <= 570 THEN c_cancel ELSE c_draft END;
    r := random();
    chan := CASE WHEN r < 0.6 THEN 'WHATSAPP' WHEN r < 0.9 THEN 'SMS' ELSE 'EMAIL' END;
    fname := first_names[1 + floor(random() * array_length(first_names, 1))::int];
    lname := last_names[1 + floor(random() * array_length(last_names, 1))::int] || ' '
             || last_names[1 + floor(random() * array_length(last_names, 1))::int];
    email := CASE WHEN chan = 'EMAIL' OR random() < 0.3
                  THEN translate(lower(fname || '.' || split_part(lname, ' ', 1)),
                                 'áéíóúñ', 'aeioun') || i || '@correo.ec' END;
    -- Appointments over the 90 days before yesterday (the draft's are upcoming), 08:00-17:00
    -- local: at least two days old, so a reminder a day after the request is in the past.
    appt_local := CASE WHEN camp = c_draft
                       THEN date_trunc('day', now() AT TIME ZONE 'America/Guayaquil')
                            + (1 + floor(random() * 10)) * interval '1 day'
                       ELSE date_trunc('day', now() AT TIME ZONE 'America/Guayaquil')
                            - (2 + floor(random() * 90)) * interval '1 day' END
                  + (8 + floor(random() * 9)) * interval '1 hour'
                  + floor(random() * 4) * interval '15 minutes';
    -- The wall time is Guayaquil's: kept as a timestamp until converted (held in appt, a
    -- timestamptz, it was read as UTC, and the appointments fell at night).
    appt := appt_local AT TIME ZONE 'America/Guayaquil';
    INSERT INTO patients (id, workspace_id, name, phone, email, appointment_time,
                          appointment_type, has_consent, consent_at, preferred_channel,
                          campaign_id, created_at)
    VALUES (pid, ws, fname || ' ' || lname, '+5939' || (80000000 + i * 1013)::text, email,
            appt, kinds[1 + floor(random() * array_length(kinds, 1))::int], true,
            appt - interval '20 minutes', chan, camp, appt - interval '1 day');
    CONTINUE WHEN camp = c_draft;

    -- The rating request, a few hours after the appointment.
    sent := appt + (SELECT scheduled_hours_after FROM campaigns WHERE id = camp) * interval '1 hour'
            + floor(random() * 10) * interval '1 minute';
    r := random();
    st := CASE WHEN camp = c_cancel AND r < 0.4 THEN 'CANCELLED'
               WHEN r < 0.47 THEN 'FAILED'
               WHEN chan = 'SMS' AND r < 0.52 THEN 'SENT'
               ELSE 'DELIVERED' END;
    IF camp = c_cancel AND st = 'CANCELLED' THEN
      INSERT INTO messages (workspace_id, patient_id, campaign_id, type, channel, status,
                            scheduled_at, created_at)
      VALUES (ws, pid, camp, 'INITIAL', chan, 'CANCELLED', sent, appt);
      CONTINUE;
    END IF;
    IF st = 'FAILED' AND random() < 0.85 THEN
      st := 'DELIVERED';                       -- about 7% of requests fail in the end
    END IF;
    rating := NULL; replied := NULL;
    IF st = 'DELIVERED' AND random() < 0.62 THEN
      r := random();
      rating := CASE WHEN r < 0.52 THEN 5 WHEN r < 0.80 THEN 4 WHEN r < 0.89 THEN 3
                     WHEN r < 0.94 THEN 2 ELSE 1 END;
      replied := least(sent + (5 + floor(random() * 600)) * interval '1 minute',
                       now() - interval '1 minute');
      st := 'REPLIED';
    END IF;
    INSERT INTO messages (workspace_id, patient_id, campaign_id, type, channel, status,
                          content, rating, sent_at, delivered_at, replied_at, reply_text,
                          external_id, error, cost, attempts, scheduled_at, created_at)
    VALUES (ws, pid, camp, 'INITIAL', chan, st,
            'Hola ' || fname || ', ¿cómo calificarías tu visita? Responde del 1 al 5.',
            rating, sent,
            CASE WHEN st IN ('DELIVERED', 'REPLIED') THEN sent + interval '40 seconds' END,
            replied,
            CASE rating WHEN 5 THEN words_5[1 + floor(random() * 4)::int]
                        WHEN 4 THEN words_4[1 + floor(random() * 2)::int]
                        ELSE rating::text END,
            CASE chan WHEN 'SMS' THEN 'SM' WHEN 'WHATSAPP' THEN 'wamid.' ELSE 'mail-' END
              || md5(pid::text || 'initial'),
            CASE WHEN st = 'FAILED' THEN
              CASE chan WHEN 'SMS' THEN '30003: Unreachable destination handset'
                        WHEN 'WHATSAPP' THEN '131026: Message undeliverable'
                        ELSE '550 5.1.1 Mailbox unavailable' END END,
            CASE WHEN chan = 'EMAIL' THEN 0 ELSE 0.0450 END, 1, sent, appt)
    RETURNING id INTO mid;

    -- One reminder a day later for some of those who did not answer, and for every one of
    -- the last 8 days (the reminder window is 7): left without it, the sender would send it.
    IF st IN ('SENT', 'DELIVERED') AND (sent > now() - interval '8 days' OR random() < 0.35) THEN
      IF sent + interval '1 day' >= now() THEN
        RAISE EXCEPTION 'demo_history: a request sent at % is too recent for its reminder', sent;
      END IF;
      sent := sent + interval '1 day';
      rating := NULL; replied := NULL; st := 'DELIVERED';
      IF random() < 0.4 THEN
        rating := CASE WHEN random() < 0.75 THEN 4 + floor(random() * 2)::int
                       ELSE 1 + floor(random() * 3)::int END;
        replied := least(sent + (5 + floor(random() * 300)) * interval '1 minute',
                         now() - interval '1 minute');
        st := 'REPLIED';
      END IF;
      INSERT INTO messages (workspace_id, patient_id, campaign_id, type, channel, status,
                            content, rating, sent_at, delivered_at, replied_at, reply_text,
                            external_id, cost, attempts, scheduled_at, created_at)
      VALUES (ws, pid, camp, 'REMINDER', chan, st,
              'Hola ' || fname || ', aún nos encantaría saber cómo fue tu visita.', rating,
              sent, sent + interval '35 seconds', replied, rating::text,
              CASE chan WHEN 'SMS' THEN 'SM' WHEN 'WHATSAPP' THEN 'wamid.' ELSE 'mail-' END
                || md5(pid::text || 'reminder'),
              CASE WHEN chan = 'EMAIL' THEN 0 ELSE 0.0450 END, 1, sent, sent);
    END IF;

    -- The follow-up to a rating: the review link (4-5) or the private form (1-3).
    IF rating IS NOT NULL THEN
      sent := replied + interval '1 minute';
      INSERT INTO messages (workspace_id, patient_id, campaign_id, type, channel, status,
                            content, sent_at, delivered_at, review_clicked_at, external_id,
                            cost, attempts, scheduled_at, created_at)
      VALUES (ws, pid, camp,
              CASE WHEN rating >= 4 THEN 'FOLLOWUP_HAPPY' ELSE 'FOLLOWUP_UNHAPPY' END::message_type,
              chan, 'DELIVERED',
              CASE WHEN rating >= 4 THEN '¡Gracias, ' || fname || '! ¿Nos dejarías una reseña?'
                   ELSE 'Lamentamos que tu visita no haya sido la esperada, ' || fname || '.' END,
              sent, sent + interval '30 seconds',
              CASE WHEN rating >= 4 AND random() < 0.45
                   THEN least(sent + (2 + floor(random() * 180)) * interval '1 minute', now()) END,
              CASE chan WHEN 'SMS' THEN 'SM' WHEN 'WHATSAPP' THEN 'wamid.' ELSE 'mail-' END
                || md5(pid::text || 'followup'),
              CASE WHEN chan = 'EMAIL' THEN 0 ELSE 0.0450 END, 1, sent, sent);
      IF rating <= 3 AND random() < 0.7 THEN
        INSERT INTO feedback (workspace_id, patient_id, message_id, rating, body, resolved_at,
                              resolved_by, created_at)
        VALUES (ws, pid, mid, rating, complaints[1 + floor(random() * 5)::int],
                CASE WHEN random() < 0.5 THEN sent + interval '1 day' END,
                CASE WHEN random() < 0.5 THEN owner_id END, sent + interval '10 minutes');
      END IF;
    END IF;
  END LOOP;
  -- resolved_by goes with resolved_at.
  UPDATE feedback SET resolved_by = NULL WHERE workspace_id = ws AND resolved_at IS NULL;
  UPDATE feedback SET resolved_by = owner_id
   WHERE workspace_id = ws AND resolved_at IS NOT NULL AND resolved_by IS NULL;

  -- Two patients asked to be forgotten (their ratings stay in the reports), two opted out.
  UPDATE patients SET name = '', phone = NULL, email = NULL, appointment_type = NULL,
                      data_deleted_at = now() - interval '5 days'
   WHERE id IN ('51000000-0000-4000-8000-000000000017', '51000000-0000-4000-8000-000000000333');
  UPDATE messages SET content = NULL, reply_text = NULL
   WHERE patient_id IN ('51000000-0000-4000-8000-000000000017',
                        '51000000-0000-4000-8000-000000000333');
  INSERT INTO opt_outs (workspace_id, phone, channel, source, reason, created_at)
  SELECT ws, phone, preferred_channel, 'reply', 'Respondió STOP', now() - interval '12 days'
    FROM patients WHERE id IN ('51000000-0000-4000-8000-000000000101',
                               '51000000-0000-4000-8000-000000000404')
  ON CONFLICT DO NOTHING;
  UPDATE patients SET opted_out_at = now() - interval '12 days'
   WHERE id IN ('51000000-0000-4000-8000-000000000101', '51000000-0000-4000-8000-000000000404');

  INSERT INTO audit_logs (workspace_id, user_id, action, entity_type, entity_id, old_value,
                          new_value, ip_address, user_agent, created_at)
  VALUES
    (ws, doctor_id, 'campaign.create', 'campaign', c_done, NULL,
     '{"name": "Control trimestral", "status": "DRAFT"}', '186.46.12.10', 'Mozilla/5.0',
     now() - interval '95 days'),
    (ws, doctor_id, 'campaign.activate', 'campaign', c_done, '{"status": "DRAFT"}',
     '{"status": "ACTIVE"}', '186.46.12.10', 'Mozilla/5.0', now() - interval '94 days'),
    (ws, doctor_id, 'campaign.create', 'campaign', c_cancel, NULL,
     '{"name": "Limpieza dental", "status": "DRAFT"}', '186.46.12.10', 'Mozilla/5.0',
     now() - interval '60 days'),
    (ws, owner_id, 'campaign.cancel', 'campaign', c_cancel, '{"status": "ACTIVE"}',
     '{"status": "CANCELLED"}', '181.198.3.77', 'Mozilla/5.0', now() - interval '40 days'),
    (ws, owner_id, 'template.update', 'template', NULL,
     '{"content": "Hola {{name}}, ¿cómo fue tu visita?"}',
     '{"content": "Hola {{name}}, ¿cómo calificarías tu visita al {{practice}}? Responde del 1 al 5."}',
     '181.198.3.77', 'Mozilla/5.0', now() - interval '30 days'),
    (ws, owner_id, 'patient.erase', 'patient', '51000000-0000-4000-8000-000000000017',
     '{"name": "Paciente borrado", "phone": "+593900000000"}', '{"name": ""}',
     '181.198.3.77', 'Mozilla/5.0', now() - interval '5 days'),
    (ws, doctor_id, 'campaign.complete', 'campaign', c_done, '{"status": "ACTIVE"}',
     '{"status": "COMPLETED"}', NULL, NULL, now() - interval '3 days'),
    (ws, owner_id, 'campaign.create', 'campaign', c_draft, NULL,
     '{"name": "Campaña de vacunación", "status": "DRAFT"}', '181.198.3.77', 'Mozilla/5.0',
     now() - interval '2 days');
END
$$;
