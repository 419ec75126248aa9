/* labels.c: the Spanish names of the schema's enum values (see labels.h). */
#include "labels.h"

#include <string.h>

#include "nitems.h"
#include "tpl.h"

const struct label label_channels[] = {
	{ "SMS", "SMS" }, { "WHATSAPP", "WhatsApp" }, { "EMAIL", "Correo" },
};
const size_t label_channels_n = nitems(label_channels);
const struct label label_roles[] = {
	{ "OWNER", "Propietario" }, { "DOCTOR", "Médico" }, { "RECEPTIONIST", "Recepción" },
};
const size_t label_roles_n = nitems(label_roles);
/* As the templates page names the types, with the ratings each follow-up answers. */
static const struct label message_types[] = {
	{ "INITIAL", "Solicitud" }, { "REMINDER", "Recordatorio" },
	{ "FOLLOWUP_HAPPY", "Agradecimiento (4-5)" }, { "FOLLOWUP_UNHAPPY", "Disculpa (1-3)" },
};
/* PENDING is "Programado": every pending message has its time (scheduled_at). */
static const struct label message_statuses[] = {
	{ "PENDING", "Programado" }, { "SENDING", "Enviando" }, { "SENT", "Enviado" },
	{ "DELIVERED", "Entregado" }, { "FAILED", "Fallido" }, { "REPLIED", "Respondido" },
	{ "CANCELLED", "Cancelado" },
};
static const struct label languages[] = { { "es", "Español" }, { "en", "Inglés" } };
static const struct label plans[] = {
	{ "FREE", "Gratis" }, { "STARTER", "Inicial" },
	{ "PROFESSIONAL", "Profesional" }, { "ENTERPRISE", "Empresa" },
};
static const struct label campaign_statuses[] = {
	{ "DRAFT", "Borrador" }, { "ACTIVE", "Activa" },
	{ "COMPLETED", "Completada" }, { "CANCELLED", "Cancelada" },
};

const char *label_find(const struct label *table, size_t n, const char *key)
{
	if (!key)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (strcmp(table[i].key, key) == 0)
			return table[i].text;
	return NULL;
}

static const char *label_or_self(const struct label *table, size_t n, const char *key)
{
	const char *text = label_find(table, n, key);
	return text ? text : key;
}

const char *label_channel(const char *channel)
{
	return label_or_self(label_channels, label_channels_n, channel);
}

const char *label_message_type(const char *type)
{
	return label_or_self(message_types, nitems(message_types), type);
}

const char *label_message_status(const char *status)
{
	return label_or_self(message_statuses, nitems(message_statuses), status);
}

const char *label_campaign_status(const char *status)
{
	return label_or_self(campaign_statuses, nitems(campaign_statuses), status);
}

const char *label_role(const char *role)
{
	return label_or_self(label_roles, label_roles_n, role);
}

const char *label_plan(const char *plan)
{
	return label_or_self(plans, nitems(plans), plan);
}

const char *label_language(const char *language)
{
	return label_or_self(languages, nitems(languages), language);
}

void label_options(struct tpl_dict *d, const char *section, const struct label *table,
		   size_t n, const char *selected)
{
	for (size_t i = 0; i < n; i++) {
		struct tpl_dict *o = tpl_section(d, section);
		tpl_set(o, "VALUE", table[i].key);
		tpl_set(o, "LABEL", table[i].text);
		if (selected && strcmp(selected, table[i].key) == 0)
			tpl_show(o, "SELECTED");
	}
}
