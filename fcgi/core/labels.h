/* labels.h: what the dashboard calls the values of the schema's enums, in Spanish. One
 * table per enum, so that a message status, a channel or a role reads the same on every
 * page and in the audit log (three programs had a table each, and they had drifted: a
 * PENDING message was "Pendiente" on the patient's page and "Programado" on its
 * campaign's). */
#ifndef RM_LABELS_H
#define RM_LABELS_H

#include <stddef.h>

struct label {
	const char *key, *text;
};

/* The text of key in table (n entries); NULL when key is NULL or not in the table. */
const char *label_find(const struct label *table, size_t n, const char *key);

/* The Spanish name of one enum value; the value itself when it is not one of the enum's
 * (a value the schema gains later shows as itself, not as nothing); NULL for NULL. */
const char *label_channel(const char *channel);		/* message_channel */
const char *label_message_type(const char *type);	/* message_type */
const char *label_message_status(const char *status);	/* message_status */
const char *label_campaign_status(const char *status);	/* campaign_status */
const char *label_role(const char *role);		/* user_role */
const char *label_language(const char *language);	/* a patient's: es, en */
const char *label_plan(const char *plan);		/* a workspace's plan */

/* The tables, in the order pages offer them, for the pages that list an enum's values,
 * and how many entries each has. */
extern const struct label label_channels[], label_roles[];
extern const size_t label_channels_n, label_roles_n;

struct tpl_dict;
/* One section named section in d per entry of table (n entries): VALUE its key, LABEL its
 * text, and SELECTED shown for the entry whose key is selected (NULL: none). */
void label_options(struct tpl_dict *d, const char *section, const struct label *table,
		   size_t n, const char *selected);

#endif
