-- 0008: columns several features share, added once so that no two of them race to add
-- the same thing.
--   practices.sending_start/sending_end: INITIAL and REMINDER messages go out only inside
--     these hours, in the practice's timezone (the sender checks at claim time).
--   workspaces.sms_from / whatsapp_phone_number_id: a workspace's own sending number. When
--     set, the sender sends from it and replies arriving on it belong to this workspace;
--     when NULL the deployment's shared number (environment) is used.
--   messages.review_clicked_at: first click on the /r/<token> review link of a message.
--   messages.free: a message that takes no credit (the confirmation of an opt-out).
--   A default REMINDER template for every workspace (the function signup and the seed use).

ALTER TABLE practices
  ADD COLUMN sending_start time NOT NULL DEFAULT '08:00',
  ADD COLUMN sending_end   time NOT NULL DEFAULT '21:00',
  ADD CONSTRAINT practices_sending_hours_check CHECK (sending_start < sending_end);

ALTER TABLE workspaces
  ADD COLUMN sms_from                 text CHECK (sms_from ~ '^\+[1-9][0-9]{6,14}$'),
  ADD COLUMN whatsapp_phone_number_id text CHECK (whatsapp_phone_number_id ~ '^[0-9]{1,32}$');

ALTER TABLE messages
  ADD COLUMN review_clicked_at timestamptz,
  ADD COLUMN free boolean NOT NULL DEFAULT false;

CREATE OR REPLACE FUNCTION app_create_default_templates(p_workspace uuid) RETURNS void
LANGUAGE sql VOLATILE SECURITY INVOKER SET search_path = public, pg_temp AS $$
  INSERT INTO public.templates
         (workspace_id, name, type, content, variables, description, is_default,
          whatsapp_template_name, whatsapp_language)
  VALUES
    (p_workspace, 'Solicitud de calificación', 'INITIAL',
     'Hola {{name}}, ¿cómo calificarías tu visita al {{practice}}? Responde del 1 al 5.',
     ARRAY['name', 'practice'],
     'Primer mensaje, unas horas después de la cita.', true,
     'solicitud_calificacion', 'es'),
    (p_workspace, 'Recordatorio', 'REMINDER',
     'Hola {{name}}, aún nos encantaría saber cómo fue tu visita al {{practice}}. '
     'Responde con un número del 1 al 5.',
     ARRAY['name', 'practice'],
     'Un solo recordatorio si no hubo respuesta en 24 horas.', true,
     'recordatorio_calificacion', 'es'),
    (p_workspace, 'Agradecimiento (4-5)', 'FOLLOWUP_HAPPY',
     '¡Gracias, {{name}}! Nos alegra que tu visita al {{practice}} haya sido buena. '
     '¿Nos ayudarías dejando una reseña en Google? {{reviewLink}}',
     ARRAY['name', 'practice', 'reviewLink'],
     'Respuesta a calificaciones de 4 o 5.', true, NULL, NULL),
    (p_workspace, 'Disculpa (1-3)', 'FOLLOWUP_UNHAPPY',
     'Lamentamos que tu visita al {{practice}} no haya sido la que esperabas, {{name}}. '
     'Cuéntanos qué pasó, en privado: {{feedbackLink}} o, si lo prefieres, '
     'deja una reseña pública: {{reviewLink}}',
     ARRAY['name', 'practice', 'feedbackLink', 'reviewLink'],
     'Respuesta a calificaciones de 1 a 3: formulario privado y también el enlace público.',
     true, NULL, NULL)
  ON CONFLICT (workspace_id, type) WHERE is_default DO NOTHING
$$;

-- Workspaces made before this migration get the reminder too.
SELECT app_create_default_templates(id) FROM workspaces;
