-- The benchmark workspace: 1,000,000 patients and 5,000,000 messages in one workspace
-- ("Clínica Benchmark"), next to the demo data, for tests/bench/staff.sh. Run by
-- scripts/bench-data.sh as postgres in one transaction (psql --single-transaction):
-- nothing is half-generated. Values are plausible rather than random noise: 5 practices,
-- 42 campaigns over the last 90 days (COMPLETED, ACTIVE, one DRAFT, one CANCELLED),
-- Spanish names with accents, Ecuadorian mobiles, channels 70 % SMS / 25 % WhatsApp / 5 %
-- email, ratings skewed to 4-5 as real ones are.
--
-- Speed: a few big INSERT … SELECT generate_series; ids follow the row number (so the
-- primary keys fill in order); the secondary indexes of patients and messages are dropped
-- first and built again at the end from their own definitions (whatever migrations
-- defined them); row-level triggers on the two tables are paused during the load and the
-- rollups they keep are rebuilt afterwards where a rebuild function exists
-- (report_daily_rebuild); statement-level triggers (report_counts) run as usual.
--
-- Fixed ids: workspace b0000000-0000-4000-8000-000000000001, owner
-- bench@reputationmanager.com (password demo1234) b0000000-0000-4000-8000-000000000002.
SET client_encoding = 'UTF8';
SET LOCAL maintenance_work_mem = '1GB';
SET LOCAL work_mem = '256MB';
SET LOCAL max_parallel_maintenance_workers = 2;

-- :patients (psql -v patients=N) scales the run down for a quick check; 5 messages each.
\if :{?patients}
\else
  \set patients 1000000
\endif
\set ws '\'b0000000-0000-4000-8000-000000000001\''
\set owner '\'b0000000-0000-4000-8000-000000000002\''

-- A workspace left from an interrupted or smaller run goes first (its rows cascade).
DELETE FROM workspaces WHERE id = :ws;

INSERT INTO workspaces (id, name, plan, message_credits)
VALUES (:ws, 'Clínica Benchmark', 'ENTERPRISE', 100000);
INSERT INTO users (id, workspace_id, email, password_hash, name, role)
VALUES (:owner, :ws, 'bench@reputationmanager.com',
        '$2b$12$Hk8Lk6auA5eYVsoe5ExzyeZYcsCQ6lTxRrJrb1BpkkmiNNFV9OWgO', 'Dra. Benchmark', 'OWNER');
SELECT app_create_default_templates(:ws);

INSERT INTO practices (id, workspace_id, name, address, city, state, country, google_place_id,
                       timezone)
SELECT ('b3000000-0000-4000-8000-' || lpad(to_hex(p), 12, '0'))::uuid, :ws,
       'Consultorio ' || city, 'Av. Principal ' || p * 100, city, state, 'EC',
       'ChIJbench' || p || 'xxxxxxxxxxxxxxx', 'America/Guayaquil'
  FROM (VALUES (1, 'Quito', 'Pichincha'), (2, 'Guayaquil', 'Guayas'), (3, 'Cuenca', 'Azuay'),
               (4, 'Ambato', 'Tungurahua'), (5, 'Loja', 'Loja')) AS v (p, city, state);

-- Campaigns 0..39 carry the patients, one every ~2.2 days over 90 days; the last four are
-- still ACTIVE. 40 is a DRAFT and 41 was CANCELLED, both empty.
CREATE TEMP TABLE bench_campaigns ON COMMIT DROP AS
SELECT k, ('b4000000-0000-4000-8000-' || lpad(to_hex(k), 12, '0'))::uuid AS id,
       ('b3000000-0000-4000-8000-' || lpad(to_hex(1 + k % 5), 12, '0'))::uuid AS practice_id,
       now() - interval '90 days' + k * interval '2.2 days' AS starts,
       CASE WHEN k < 36 THEN 'COMPLETED' WHEN k < 40 THEN 'ACTIVE'
            WHEN k = 40 THEN 'DRAFT' ELSE 'CANCELLED' END::campaign_status AS status
  FROM generate_series(0, 41) AS k;
INSERT INTO campaigns (id, workspace_id, name, status, scheduled_hours_after, description,
                       practice_id, created_by, created_at)
SELECT id, :ws,
       (ARRAY['Consultas', 'Controles', 'Odontología', 'Pediatría', 'Dermatología'])[1 + k % 5]
         || ' ' || to_char(starts, 'DD/MM/YYYY') || ' #' || k,
       status, 2 + k % 4, 'Campaña generada para las pruebas de carga.', practice_id, :owner,
       starts
  FROM bench_campaigns;

-- Pause the row-level triggers of the two big tables (not the foreign keys' internal ones).
CREATE TEMP TABLE bench_triggers ON COMMIT DROP AS
SELECT c.relname AS tbl, t.tgname AS name
  FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
 WHERE c.relname IN ('patients', 'messages') AND c.relnamespace = 'public'::regnamespace
   AND NOT t.tgisinternal AND t.tgenabled <> 'D' AND (t.tgtype & 1) = 1;
SELECT 'paused trigger ' || tbl || '.' || name AS note FROM bench_triggers ORDER BY 1;
DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT * FROM bench_triggers LOOP
    EXECUTE format('ALTER TABLE public.%I DISABLE TRIGGER %I', r.tbl, r.name);
  END LOOP;
END $$;

-- Drop the secondary indexes (not those behind a constraint); keep their definitions.
CREATE TEMP TABLE bench_indexes ON COMMIT DROP AS
SELECT i.indexname AS name, i.indexdef AS def
  FROM pg_indexes i
 WHERE i.schemaname = 'public' AND i.tablename IN ('patients', 'messages')
   AND NOT EXISTS (SELECT 1 FROM pg_constraint k
                    WHERE k.conindid = format('public.%I', i.indexname)::regclass);
DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT * FROM bench_indexes LOOP
    EXECUTE format('DROP INDEX public.%I', r.name);
  END LOOP;
END $$;

-- 40 first names and 40 surnames, two surnames each as in Ecuador: 64,000 full names.
CREATE TEMP TABLE bench_words ON COMMIT DROP AS
SELECT ARRAY['María', 'José', 'Ana', 'Luis', 'Sofía', 'Carlos', 'Lucía', 'Jorge', 'Valentina',
             'Andrés', 'Camila', 'Diego', 'Isabel', 'Fernando', 'Gabriela', 'Ramón', 'Paola',
             'Víctor', 'Daniela', 'Raúl', 'Mónica', 'Héctor', 'Verónica', 'Iván', 'Belén',
             'Óscar', 'Natalia', 'Julián', 'Andrea', 'Tomás', 'Inés', 'Martín', 'Rocío',
             'Sebastián', 'Ángela', 'Nicolás', 'Patricia', 'Adrián', 'Estefanía', 'Joaquín']
         AS first_names,
       ARRAY['Pérez', 'García', 'Rodríguez', 'López', 'Martínez', 'Sánchez', 'Gómez', 'Díaz',
             'Hernández', 'Muñoz', 'Álvarez', 'Romero', 'Jiménez', 'Ruiz', 'Torres', 'Vásquez',
             'Ramírez', 'Flores', 'Benítez', 'Castillo', 'Ortiz', 'Chávez', 'Guzmán', 'Morales',
             'Suárez', 'Zambrano', 'Cedeño', 'Mendoza', 'Andrade', 'Córdova', 'Espinoza',
             'Villacís', 'Yépez', 'Quiñónez', 'Ibáñez', 'Peña', 'Salazar', 'Narváez', 'Aguirre',
             'Paredes'] AS surnames;

INSERT INTO patients (id, workspace_id, name, phone, email, appointment_time, appointment_type,
                      has_consent, consent_at, opted_out_at, preferred_channel, language,
                      campaign_id, created_at)
SELECT ('b1000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid, :ws,
       g.first_name || ' ' || s1 || ' ' || s2,
       '+5939' || (10000000 + i)::text,
       CASE WHEN i % 10 < 4 OR ch = 'EMAIL' THEN 'paciente' || i || '@example.ec' END,
       appt,
       (ARRAY['Consulta general', 'Control', 'Limpieza dental', 'Vacunación', 'Ecografía',
              'Chequeo anual'])[1 + i % 6],
       i % 100 <> 7, CASE WHEN i % 100 <> 7 THEN appt - interval '15 minutes' END,
       CASE WHEN i % 100 = 13 THEN appt + interval '1 day' END,
       ch, 'es', c.id, appt - interval '1 day'
  FROM (SELECT i, w.first_names[1 + i % 40] AS first_name,
               w.surnames[1 + (i / 40) % 40] AS s1,
               w.surnames[1 + (i / 1600) % 40] AS s2,
               CASE WHEN i % 100 < 70 THEN 'SMS' WHEN i % 100 < 95 THEN 'WHATSAPP'
                    ELSE 'EMAIL' END::message_channel AS ch,
               i % 40 AS k
          FROM generate_series(1, :patients) AS i CROSS JOIN bench_words w) AS g
  JOIN bench_campaigns c ON c.k = g.k
  -- Office hours, 08:00-18:00 in Quito (13:00-23:00 UTC), on the campaign's first two days.
  CROSS JOIN LATERAL (SELECT date_trunc('day', c.starts) + (i % 2) * interval '1 day'
                             + interval '13 hours'
                             + ((i::bigint * 7919) % 36000) * interval '1 second' AS appt) AS a;

-- Five messages a patient: the rating request, a reminder, the follow-up to the answer, a
-- second visit's request and one last message still PENDING in the active campaigns
-- (scheduled days ahead, so the sender has nothing due) or CANCELLED in the others.
INSERT INTO messages (id, workspace_id, patient_id, campaign_id, type, channel, status, content,
                      rating, sent_at, delivered_at, replied_at, reply_text, external_id, cost,
                      attempts, scheduled_at, created_at)
SELECT ('b2000000-0000-4000-8000-' || lpad(to_hex(p.n * 5 + p.j), 12, '0'))::uuid, :ws,
       p.id, p.campaign_id, t.type, p.preferred_channel, t.status,
       CASE WHEN t.status NOT IN ('PENDING', 'CANCELLED')
            THEN 'Hola, ¿cómo calificarías tu visita? Responde del 1 al 5.' END,
       CASE WHEN t.status = 'REPLIED' THEN t.rating END,
       CASE WHEN t.status IN ('SENT', 'DELIVERED', 'REPLIED', 'FAILED') THEN t.at END,
       CASE WHEN t.status IN ('DELIVERED', 'REPLIED') THEN t.at + interval '5 seconds' END,
       CASE WHEN t.status = 'REPLIED' THEN t.at + interval '20 minutes' END,
       CASE WHEN t.status = 'REPLIED' THEN t.rating::text END,
       CASE WHEN t.status IN ('SENT', 'DELIVERED', 'REPLIED', 'FAILED')
            THEN CASE p.preferred_channel WHEN 'WHATSAPP' THEN 'wamid.bench' ELSE 'SMbench' END
                 || (p.n * 5 + p.j) END,
       CASE WHEN t.status IN ('SENT', 'DELIVERED', 'REPLIED') THEN 0.0075 END,
       CASE WHEN t.status IN ('PENDING', 'CANCELLED') THEN 0 ELSE 1 END,
       CASE WHEN t.status = 'PENDING' THEN now() + (1 + p.n % 7) * interval '1 day' ELSE t.at END,
       least(t.at, now()) - interval '1 hour'
  -- random() in the select list of this subquery: one draw per message (in a LATERAL
  -- subquery the planner may cache it per j).
  FROM (SELECT x.*, ('x' || substr(x.id::text, 25, 12))::bit(48)::bigint AS n,
               c.status AS campaign_status, j, random() AS r, random() AS r2
          FROM patients x JOIN bench_campaigns c ON c.id = x.campaign_id
          CROSS JOIN generate_series(1, 5) AS j
         WHERE x.workspace_id = :ws) AS p
  CROSS JOIN LATERAL (
    SELECT CASE p.j WHEN 1 THEN 'INITIAL' WHEN 2 THEN 'REMINDER'
                  WHEN 3 THEN CASE WHEN p.r2 < 0.2 THEN 'FOLLOWUP_UNHAPPY' ELSE 'FOLLOWUP_HAPPY' END
                  WHEN 4 THEN 'INITIAL' ELSE 'REMINDER' END::message_type AS type,
           CASE WHEN p.j = 5 THEN CASE WHEN p.campaign_status = 'ACTIVE' THEN 'PENDING'
                                     ELSE 'CANCELLED' END
                WHEN p.j IN (1, 4) AND p.r < 0.35 THEN 'REPLIED'
                WHEN p.r < 0.80 THEN 'DELIVERED'
                WHEN p.r < 0.94 THEN 'SENT'
                ELSE 'FAILED' END::message_status AS status,
           CASE WHEN p.r2 < 0.05 THEN 1 WHEN p.r2 < 0.10 THEN 2 WHEN p.r2 < 0.20 THEN 3
                WHEN p.r2 < 0.45 THEN 4 ELSE 5 END AS rating,
           least(p.appointment_time + interval '2 hours' + (p.j - 1) * interval '26 hours',
                 now() - interval '1 minute') AS at) AS t;

-- Indexes back, then the paused triggers, then what they would have kept.
DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT * FROM bench_indexes LOOP
    EXECUTE r.def;
  END LOOP;
  FOR r IN SELECT * FROM bench_triggers LOOP
    EXECUTE format('ALTER TABLE public.%I ENABLE TRIGGER %I', r.tbl, r.name);
  END LOOP;
  IF to_regprocedure('public.report_daily_rebuild(uuid,uuid)') IS NOT NULL THEN
    PERFORM public.report_daily_rebuild('b0000000-0000-4000-8000-000000000001'::uuid, c.id)
       FROM bench_campaigns c;
  END IF;
  -- Since 0110 a recount appends its rows; fold them, as the sender would within seconds.
  IF to_regprocedure('public.report_daily_fold()') IS NOT NULL THEN
    PERFORM public.report_daily_fold();
  END IF;
END $$;

SELECT (SELECT count(*) FROM patients WHERE workspace_id = :ws) AS patients,
       (SELECT count(*) FROM messages WHERE workspace_id = :ws) AS messages;
