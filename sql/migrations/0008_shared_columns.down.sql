-- Reverts 0008. The REMINDER templates stay (they are ordinary rows).
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
ALTER TABLE messages DROP COLUMN free, DROP COLUMN review_clicked_at;
ALTER TABLE workspaces DROP COLUMN whatsapp_phone_number_id, DROP COLUMN sms_from;
ALTER TABLE practices DROP CONSTRAINT practices_sending_hours_check,
  DROP COLUMN sending_end, DROP COLUMN sending_start;
