/* audit_labels.c: the Spanish names of the audit log's actions, entities, fields and
 * values (see audit_labels.h). */
#include "audit_labels.h"

#include <stdbool.h>
#include <string.h>

#include "core/nitems.h"

const struct label audit_actions[] = {
	{ "login", "Inició sesión" },
	{ "login_failed", "Intento fallido de inicio de sesión" },
	{ "logout", "Cerró sesión" },
	{ "signup", "Creó la cuenta" },
	{ "account.update", "Cambió sus datos de acceso" },
	{ "user.create", "Añadió un usuario" },
	{ "user.role", "Cambió el rol de un usuario" },
	{ "user.link", "Generó un enlace para crear contraseña" },
	{ "user.password_set", "Creó su contraseña" },
	{ "user.deactivate", "Desactivó un usuario" },
	{ "user.reactivate", "Reactivó un usuario" },
	{ "practice.create", "Creó un consultorio" },
	{ "practice.update", "Editó un consultorio" },
	{ "practice.delete", "Borró un consultorio" },
	{ "template.create", "Creó una plantilla" },
	{ "template.update", "Editó una plantilla" },
	{ "template.default", "Hizo predeterminada una plantilla" },
	{ "template.delete", "Borró una plantilla" },
	{ "campaign.create", "Creó una campaña" },
	{ "campaign.update", "Editó una campaña" },
	{ "campaign.activate", "Activó una campaña" },
	{ "campaign.complete", "Completó una campaña" },
	{ "campaign.cancel", "Canceló una campaña" },
	{ "patient.create", "Añadió un paciente" },
	{ "patient.update", "Editó un paciente" },
	{ "patient.opt_out", "Dio de baja a un paciente" },
	{ "patient.erase", "Borró los datos de un paciente" },
	{ "patient.export", "Descargó los datos de un paciente" },
	{ "import.upload", "Subió un archivo de pacientes" },
	{ "import.confirm", "Confirmó una importación" },
	{ "feedback.resolve", "Resolvió un comentario" },
};
const size_t audit_actions_n = nitems(audit_actions);

const struct label audit_entities[] = {
	{ "workspace", "Cuenta" }, { "user", "Usuario" }, { "practice", "Consultorio" },
	{ "template", "Plantilla" }, { "campaign", "Campaña" }, { "patient", "Paciente" },
	{ "import_batch", "Importación" }, { "feedback", "Comentario" },
};
const size_t audit_entities_n = nitems(audit_entities);

static const struct {
	const char *type, *before, *after;
} entity_pages[] = {
	{ "patient", "/patients/", "" }, { "campaign", "/campaigns/", "" },
	{ "template", "/templates/", "" }, { "practice", "/practices/", "/edit" },
	{ "import_batch", "/patients/import/", "" },
};

static const struct label fields[] = {
	{ "address", "Dirección" }, { "appointment", "Cita" },
	{ "appointment_type", "Tipo de cita" }, { "campaign_id", "Campaña" },
	{ "city", "Ciudad" }, { "content", "Texto" }, { "country", "País" },
	{ "created_at", "Creado" }, { "created_by", "Creado por" },
	{ "description", "Descripción" }, { "email", "Correo" },
	{ "enqueued", "Mensajes programados" }, { "erased", "Datos borrados" },
	{ "filename", "Archivo" }, { "google_place_id", "Place ID de Google" },
	{ "has_consent", "Consentimiento" }, { "id", "Id" },
	{ "imported", "Pacientes importados" }, { "is_default", "Predeterminada" },
	{ "language", "Idioma" }, { "name", "Nombre" },
	{ "password_changed", "Contraseña cambiada" }, { "phone", "Teléfono" },
	{ "practice_id", "Consultorio" }, { "preferred_channel", "Canal" },
	{ "purpose", "Enlace" }, { "resolved", "Resuelto" }, { "role", "Rol" },
	{ "rows", "Filas" }, { "scheduled_hours_after", "Horas después de la cita" },
	{ "sending_end", "Fin del horario de envío" },
	{ "sending_start", "Inicio del horario de envío" },
	{ "skipped_blocked", "Sin mensaje (sin consentimiento, de baja o sin contacto)" },
	{ "skipped_past", "Sin mensaje (cita de hace más de 7 días)" },
	{ "state", "Provincia" }, { "status", "Estado" }, { "timezone", "Zona horaria" },
	{ "type", "Tipo" }, { "updated_at", "Actualizado" }, { "variables", "Variables" },
	{ "whatsapp_language", "Idioma de WhatsApp" },
	{ "whatsapp_template_name", "Plantilla de WhatsApp" },
	{ "workspace_id", "Cuenta" }, { "zip_code", "Código postal" },
};

static const struct label purposes[] = {
	{ "INVITE", "Invitación" }, { "RESET", "Restablecer contraseña" },
};
static const struct label booleans[] = { { "true", "Sí" }, { "false", "No" } };
/* The fields whose values are true or false. */
static const char *const boolean_fields[] = {
	"has_consent", "is_default", "password_changed", "resolved",
};

const char *audit_action_label(const char *action)
{
	return label_find(audit_actions, audit_actions_n, action);
}

const char *audit_entity_label(const char *entity_type)
{
	return label_find(audit_entities, audit_entities_n, entity_type);
}

const char *audit_field_label(const char *field)
{
	return label_find(fields, nitems(fields), field);
}

int audit_entity_path(const char *entity_type, const char **before, const char **after)
{
	for (size_t i = 0; entity_type && i < nitems(entity_pages); i++)
		if (strcmp(entity_pages[i].type, entity_type) == 0) {
			*before = entity_pages[i].before;
			*after = entity_pages[i].after;
			return 1;
		}
	return 0;
}

static bool is_boolean_field(const char *field)
{
	for (size_t i = 0; i < nitems(boolean_fields); i++)
		if (strcmp(field, boolean_fields[i]) == 0)
			return true;
	return false;
}

const char *audit_value_label(const char *field, const char *value)
{
	if (!field || !value)
		return value;
	const char *text = NULL;
	if (strcmp(field, "status") == 0)	/* only campaigns record a status */
		return label_campaign_status(value);
	if (strcmp(field, "role") == 0)
		return label_role(value);
	if (strcmp(field, "preferred_channel") == 0)
		return label_channel(value);
	if (strcmp(field, "type") == 0)		/* a template's */
		return label_message_type(value);
	if (strcmp(field, "purpose") == 0)
		text = label_find(purposes, nitems(purposes), value);
	else if (is_boolean_field(field))
		text = label_find(booleans, nitems(booleans), value);
	return text ? text : value;
}
