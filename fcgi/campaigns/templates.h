/* templates.h: the message templates pages (/templates): the list by type, create, edit,
 * delete, make default, and the preview with sample data (SMS length, parts, and the
 * characters that forced UCS-2). Everyone but the receptionist sees them; only the OWNER
 * changes them (the route table says so). The route table in campaigns.c points at these
 * handlers and field tables. */
#ifndef RM_CAMPAIGNS_TEMPLATES_H
#define RM_CAMPAIGNS_TEMPLATES_H

#include "core/app.h"

extern const struct app_sql templates_sql;

extern const struct field templates_list_fields[];
extern const struct field templates_new_fields[];
extern const struct field templates_create_fields[];
extern const struct field templates_show_fields[];
extern const struct field templates_update_fields[];
extern const struct field templates_id_fields[];
extern const struct field templates_preview_fields[];

int templates_list(struct ctx *c);
int templates_new(struct ctx *c);
int templates_create(struct ctx *c);
int templates_show(struct ctx *c);      /* the editor (OWNER) or a read-only view */
int templates_update(struct ctx *c);
int templates_delete(struct ctx *c);
int templates_make_default(struct ctx *c);
int templates_preview(struct ctx *c);   /* the form again, with the typed text previewed */

#endif
