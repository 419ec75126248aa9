/* campaign_pages.h: the campaigns pages (/campaigns): list with figures, create, edit,
 * the detail page with each patient's latest message, and the lifecycle actions
 * (activate, complete, cancel). A DOCTOR reaches only the campaigns they created: every
 * statement takes the author to filter on ($3, NULL for an OWNER). */
#ifndef RM_CAMPAIGNS_CAMPAIGN_PAGES_H
#define RM_CAMPAIGNS_CAMPAIGN_PAGES_H

#include "core/app.h"

extern const struct app_sql campaign_pages_sql;

extern const struct field campaign_list_fields[];
extern const struct field campaign_form_fields[];
extern const struct field campaign_detail_fields[];
extern const struct field campaign_id_fields[];
extern const struct field campaign_update_fields[];

int campaign_list(struct ctx *c);
int campaign_new(struct ctx *c);
int campaign_create(struct ctx *c);
int campaign_detail(struct ctx *c);
int campaign_edit(struct ctx *c);
int campaign_update(struct ctx *c);
int campaign_activate(struct ctx *c);
int campaign_complete(struct ctx *c);
int campaign_cancel(struct ctx *c);

#endif
