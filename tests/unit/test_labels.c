/* test_labels.c: the Spanish names of the schema's enum values (fcgi/core/labels.c) and of
 * the audit log's actions, fields and values (fcgi/reports/audit_labels.c, linked in
 * beside the core library: it is the reports program's own). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/labels.h"
#include "reports/audit_labels.h"

static void enum_values_have_their_spanish_names(void **state)
{
	(void)state;
	assert_string_equal(label_channel("WHATSAPP"), "WhatsApp");
	assert_string_equal(label_channel("EMAIL"), "Correo");
	assert_string_equal(label_message_status("PENDING"), "Programado");
	assert_string_equal(label_message_status("FAILED"), "Fallido");
	assert_string_equal(label_message_status("REPLIED"), "Respondido");
	assert_string_equal(label_message_type("FOLLOWUP_UNHAPPY"), "Disculpa (1-3)");
	assert_string_equal(label_campaign_status("CANCELLED"), "Cancelada");
	assert_string_equal(label_role("RECEPTIONIST"), "Recepción");
	assert_string_equal(label_language("es"), "Español");
	assert_string_equal(label_language("en"), "Inglés");
	assert_string_equal(label_language("es-EC"), "es-EC");
}

static void unknown_values_show_as_themselves_and_null_stays_null(void **state)
{
	(void)state;
	assert_string_equal(label_channel("TELEGRAM"), "TELEGRAM");
	assert_string_equal(label_message_status("pending"), "pending");   /* case matters */
	assert_string_equal(label_role(""), "");
	assert_null(label_channel(NULL));
	assert_null(label_role(NULL));
	assert_null(label_find(label_channels, label_channels_n, NULL));
	assert_null(label_find(label_channels, label_channels_n, "SMSX"));
	assert_string_equal(label_find(label_channels, label_channels_n, "SMS"), "SMS");
}

static void audit_names_actions_entities_and_fields(void **state)
{
	(void)state;
	assert_string_equal(audit_action_label("patient.erase"), "Borró los datos de un paciente");
	assert_string_equal(audit_action_label("login_failed"),
			    "Intento fallido de inicio de sesión");
	assert_null(audit_action_label("patient_erase"));
	assert_null(audit_action_label(NULL));
	assert_string_equal(audit_entity_label("import_batch"), "Importación");
	assert_null(audit_entity_label("message"));
	assert_string_equal(audit_field_label("scheduled_hours_after"), "Horas después de la cita");
	assert_null(audit_field_label("Status"));
}

static void audit_links_the_entities_a_page_shows(void **state)
{
	(void)state;
	const char *before = NULL, *after = NULL;
	assert_int_equal(audit_entity_path("practice", &before, &after), 1);
	assert_string_equal(before, "/practices/");
	assert_string_equal(after, "/edit");
	assert_int_equal(audit_entity_path("import_batch", &before, &after), 1);
	assert_string_equal(before, "/patients/import/");
	assert_string_equal(after, "");
	assert_int_equal(audit_entity_path("user", &before, &after), 0);
	assert_int_equal(audit_entity_path(NULL, &before, &after), 0);
}

static void audit_values_are_named_by_their_field(void **state)
{
	(void)state;
	assert_string_equal(audit_value_label("status", "ACTIVE"), "Activa");
	assert_string_equal(audit_value_label("role", "OWNER"), "Propietario");
	assert_string_equal(audit_value_label("preferred_channel", "WHATSAPP"), "WhatsApp");
	assert_string_equal(audit_value_label("type", "REMINDER"), "Recordatorio");
	assert_string_equal(audit_value_label("has_consent", "true"), "Sí");
	assert_string_equal(audit_value_label("resolved", "false"), "No");
	assert_string_equal(audit_value_label("purpose", "INVITE"), "Invitación");
	/* A value of a field without names, or a name the field does not have, is itself. */
	assert_string_equal(audit_value_label("name", "ACTIVE"), "ACTIVE");
	assert_string_equal(audit_value_label("has_consent", "sí"), "sí");
	assert_string_equal(audit_value_label("purpose", "OTRO"), "OTRO");
	assert_string_equal(audit_value_label("name", "(dato borrado)"), "(dato borrado)");
	assert_null(audit_value_label("status", NULL));
	assert_string_equal(audit_value_label(NULL, "x"), "x");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(enum_values_have_their_spanish_names),
		cmocka_unit_test(unknown_values_show_as_themselves_and_null_stays_null),
		cmocka_unit_test(audit_names_actions_entities_and_fields),
		cmocka_unit_test(audit_links_the_entities_a_page_shows),
		cmocka_unit_test(audit_values_are_named_by_their_field),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
