SET client_encoding = 'UTF8';   -- the file is UTF-8 whatever the caller's locale
-- Demo data for development and the integration tests. Runs as rm_owner (which bypasses
-- RLS as the owner), inside one transaction (scripts/db.sh seed). Idempotent: fixed UUIDs
-- and ON CONFLICT DO NOTHING, so running it again changes nothing and never resets what a
-- developer edited (credits, statuses…). Both users' password is demo1234.
--
-- Fixed ids (tests and docs may rely on them):
--   workspace  Consultorio Demo          10000000-0000-4000-8000-000000000001
--   user       demo@… (OWNER)            20000000-0000-4000-8000-000000000001
--   user       doctor@… (DOCTOR)         20000000-0000-4000-8000-000000000002
--   practice   Consultorio Centro        30000000-0000-4000-8000-000000000001
--   campaign   Pacientes Noviembre 2025  40000000-0000-4000-8000-000000000001
--   patients                             50000000-0000-4000-8000-00000000000{1,2,3}

INSERT INTO workspaces (id, name, plan, message_credits)
VALUES ('10000000-0000-4000-8000-000000000001', 'Consultorio Demo', 'PROFESSIONAL', 2000)
ON CONFLICT DO NOTHING;

-- bcrypt cost 12 of "demo1234" (libxcrypt, crypt.METHOD_BLOWFISH rounds=4096).
INSERT INTO users (id, workspace_id, email, password_hash, name, role)
VALUES
  ('20000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000001',
   'demo@reputationmanager.com',
   '$2b$12$Hk8Lk6auA5eYVsoe5ExzyeZYcsCQ6lTxRrJrb1BpkkmiNNFV9OWgO', 'Dr. Demo', 'OWNER'),
  ('20000000-0000-4000-8000-000000000002', '10000000-0000-4000-8000-000000000001',
   'doctor@reputationmanager.com',
   '$2b$12$Hk8Lk6auA5eYVsoe5ExzyeZYcsCQ6lTxRrJrb1BpkkmiNNFV9OWgO', 'Dra. María López', 'DOCTOR')
ON CONFLICT DO NOTHING;

INSERT INTO practices (id, workspace_id, name, address, city, state, country, google_place_id,
                       timezone)
VALUES ('30000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000001',
        'Consultorio Centro', 'Av. Amazonas N24-03', 'Quito', 'Pichincha', 'EC',
        'ChIJN1t_tDeuEmsRUsoyG83frY4', 'America/Guayaquil')
ON CONFLICT DO NOTHING;

-- The three default Spanish templates (same function signup uses).
DO $$ BEGIN PERFORM app_create_default_templates('10000000-0000-4000-8000-000000000001'); END $$;

INSERT INTO campaigns (id, workspace_id, name, status, scheduled_hours_after, description,
                       practice_id, created_by)
VALUES ('40000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000001',
        'Pacientes Noviembre 2025', 'ACTIVE', 2, 'Pacientes atendidos en noviembre de 2025.',
        '30000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000001')
ON CONFLICT DO NOTHING;

-- Appointments a few hours before the seed first runs, so that the sender sends the demo
-- campaign's requests right after `make run` (2 hours after the appointment is already past);
-- consent recorded at the front desk before each appointment. Running the seed again keeps
-- these rows as they are (ON CONFLICT DO NOTHING).
INSERT INTO patients (id, workspace_id, name, phone, appointment_time, appointment_type,
                      has_consent, consent_at, preferred_channel, language, campaign_id)
VALUES
  ('50000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000001',
   'Juan Pérez', '+593987654321', now() - interval '5 hours', 'Consulta general',
   true, now() - interval '5 hours 15 minutes', 'SMS', 'es', '40000000-0000-4000-8000-000000000001'),
  ('50000000-0000-4000-8000-000000000002', '10000000-0000-4000-8000-000000000001',
   'María García', '+593987654322', now() - interval '4 hours', 'Control',
   true, now() - interval '4 hours 15 minutes', 'WHATSAPP', 'es', '40000000-0000-4000-8000-000000000001'),
  ('50000000-0000-4000-8000-000000000003', '10000000-0000-4000-8000-000000000001',
   'Carlos Ramírez', '+593987654323', now() - interval '3 hours', 'Consulta general',
   true, now() - interval '3 hours 20 minutes', 'SMS', 'es', '40000000-0000-4000-8000-000000000001')
ON CONFLICT DO NOTHING;

-- Their rating requests, through the same function activation uses. A patient who already
-- has one gets nothing more, so a second run adds no message.
DO $$ BEGIN PERFORM campaign_enqueue('40000000-0000-4000-8000-000000000001'); END $$;
