/* practices.h: the practices pages (/practices): list, create, edit, delete.
 * The route table in campaigns.c points at these handlers and field tables. */
#ifndef RM_CAMPAIGNS_PRACTICES_H
#define RM_CAMPAIGNS_PRACTICES_H

#include "core/app.h"

extern const struct app_sql practices_sql;

extern const struct field practices_list_fields[];
extern const struct field practices_form_fields[];
extern const struct field practices_id_fields[];
extern const struct field practices_update_fields[];

int practices_list(struct ctx *c);
int practices_new(struct ctx *c);
int practices_create(struct ctx *c);
int practices_edit(struct ctx *c);
int practices_update(struct ctx *c);
int practices_delete(struct ctx *c);

/* The public review link of a Place ID (already checked by practice_place_id_ok). */
const char *practices_review_link(struct ctx *c, const char *place_id);

#endif
