/* patients.h: what the files of the patients program share: the handlers the route
 * table in ../patients.c lists, each file's statement table, and small helpers. */
#ifndef RM_PATIENTS_H
#define RM_PATIENTS_H

#include <stdbool.h>
#include <stddef.h>
#include "core/app.h"

/* Statement tables, one per file, registered by main. */
extern const struct app_sql patients_list_sql, patients_form_sql, patients_page_sql,
	patients_actions_sql, patients_import_upload_sql, patients_import_batch_sql,
	patients_common_sql;

/* list.c */
int patients_get_list(struct ctx *c);
/* form.c */
int patients_get_new(struct ctx *c);
int patients_post_new(struct ctx *c);
int patients_get_edit(struct ctx *c);
int patients_post_edit(struct ctx *c);
/* page.c */
int patients_get_page(struct ctx *c);
/* actions.c */
int patients_post_opt_out(struct ctx *c);
int patients_post_erase(struct ctx *c);
int patients_get_export(struct ctx *c);
/* import_upload.c */
int patients_get_import(struct ctx *c);
int patients_post_import(struct ctx *c);
/* import_batch.c */
int patients_get_import_report(struct ctx *c);
int patients_post_import_confirm(struct ctx *c);

/* The signed-in user's id when a DOCTOR (whose view is limited, in SQL, to the patients
 * of campaigns they created), NULL for the other roles. */
const char *patients_doctor_scope(const struct ctx *c);

/* The patient of the route's :id, locked for update, if the user may see it: 1 with
 * *out set; 0 after setting a 404 page (no such patient, another workspace's, or not the
 * doctor's); -1 on a database error. A handler does `if (rc <= 0) return rc;`. */
int patients_load(struct ctx *c, PGresult **out);
/* The same, and 0 after a 422 page when the patient's data was erased (nothing left to
 * edit or opt out). */
int patients_load_live(struct ctx *c, PGresult **out);

/* Normalises a phone as typed or imported to E.164 (Ecuador by default). Matches
 * csv_import_phone_fn. */
int patients_phone(const char *in, char *out, size_t n, bool *mobile, const char **reason);

/* Fills a <select> section (CAMPAIGNS: ID, NAME, SELECTED) with the campaigns the user
 * may put patients in; only DRAFT and ACTIVE ones when open_only. 0 or -1. */
int patients_campaign_options(struct ctx *c, const char *selected, bool open_only);

/* o as JSON text in the request's arena; o is released. For audit values. */
struct json_object;
const char *patients_json_text(struct ctx *c, struct json_object *o);

#endif
