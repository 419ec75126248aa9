/* audit_labels.h: what /audit calls the audit log's actions, entity types, fields and
 * values, in Spanish. The log keeps its names in English (patient.erase, status: ACTIVE);
 * the page shows these beside them. */
#ifndef RM_AUDIT_LABELS_H
#define RM_AUDIT_LABELS_H

#include <stddef.h>

#include "core/labels.h"

/* Every action the programs record, in the order the filter offers them, and every
 * entity type likewise; with how many entries each has. */
extern const struct label audit_actions[], audit_entities[];
extern const size_t audit_actions_n, audit_entities_n;

/* The Spanish text of an action, entity type or field; NULL when it has none. */
const char *audit_action_label(const char *action);
const char *audit_entity_label(const char *entity_type);
const char *audit_field_label(const char *field);
/* Where the dashboard shows an entity of this type: the path before and after its id
 * ("/practices/", "/edit"); 0 when no page shows one alone (a user, a comment). */
int audit_entity_path(const char *entity_type, const char **before, const char **after);
/* A field's value as the dashboard shows it (ACTIVE: Activa, true: Sí); value itself
 * when the field has no names for its values; NULL for NULL. */
const char *audit_value_label(const char *field, const char *value);

#endif
