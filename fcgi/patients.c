/* patients.c: the patients program (/patients): the route table, each route's declared
 * input, and main. The pages are in patients/: list.c (list, search, filters), form.c
 * (add, edit), page.c (one patient and their messages), actions.c (opt-out, erase,
 * export), import_upload.c and import_batch.c (CSV import: upload; report, confirm).
 *
 * Roles: OWNER everything; DOCTOR the same pages, limited in SQL to the patients of
 * the campaigns they created; RECEPTIONIST only the import and its report. */
#include "core/app.h"
#include "core/nitems.h"
#include "patients/patients.h"

static const struct field list_fields[] = {
	{ .name = "q", .kind = FIELD_LINE, .src = FROM_QUERY, .max = 100 },
	{ .name = "campaign", .kind = FIELD_UUID, .src = FROM_QUERY, .lenient = true },
	{ .name = "consent", .kind = FIELD_LINE, .src = FROM_QUERY, .max = 3, .lenient = true },
	{ .name = "opted_out", .kind = FIELD_LINE, .src = FROM_QUERY, .max = 3, .lenient = true },
	{ .name = "replied", .kind = FIELD_LINE, .src = FROM_QUERY, .max = 3, .lenient = true },
	{ .name = "page", .kind = FIELD_INT, .src = FROM_QUERY, .min = 1, .max = 100000,
	  .lenient = true },
	FIELDS_END,
};
static const struct field new_fields[] = {
	{ .name = "campaign_id", .kind = FIELD_UUID, .src = FROM_QUERY, .lenient = true },
	FIELDS_END,
};
#define PATIENT_INPUT                                                                    \
	{ .name = "name", .kind = FIELD_LINE, .src = FROM_BODY, .required = true, .min = 1,  \
	  .max = 200 },                                                                       \
	{ .name = "phone", .kind = FIELD_LINE, .src = FROM_BODY, .max = 40 },                \
	{ .name = "email", .kind = FIELD_EMAIL, .src = FROM_BODY, .max = 254 },              \
	{ .name = "appointment", .kind = FIELD_LINE, .src = FROM_BODY, .max = 40 },          \
	{ .name = "appointment_type", .kind = FIELD_LINE, .src = FROM_BODY, .max = 200 },    \
	{ .name = "consent", .kind = FIELD_INT, .src = FROM_BODY, .min = 1, .max = 1 },      \
	{ .name = "channel", .kind = FIELD_LINE, .src = FROM_BODY, .max = 10 },              \
	{ .name = "language", .kind = FIELD_LINE, .src = FROM_BODY, .max = 5 },              \
	{ .name = "campaign_id", .kind = FIELD_UUID, .src = FROM_BODY }
static const struct field create_fields[] = { PATIENT_INPUT, FIELDS_END };
static const struct field id_fields[] = {
	{ .name = "id", .kind = FIELD_UUID, .src = FROM_PATH, .required = true },
	FIELDS_END,
};
static const struct field update_fields[] = {
	{ .name = "id", .kind = FIELD_UUID, .src = FROM_PATH, .required = true },
	PATIENT_INPUT, FIELDS_END,
};
static const struct field erase_fields[] = {
	{ .name = "id", .kind = FIELD_UUID, .src = FROM_PATH, .required = true },
	{ .name = "confirm", .kind = FIELD_INT, .src = FROM_BODY, .min = 1, .max = 1 },
	FIELDS_END,
};
static const struct field import_get_fields[] = {
	{ .name = "campaign_id", .kind = FIELD_UUID, .src = FROM_QUERY, .lenient = true },
	FIELDS_END,
};
/* The file part ("file") is read by the handler: see import_upload.c. */
static const struct field import_fields[] = {
	{ .name = "campaign_id", .kind = FIELD_UUID, .src = FROM_BODY, .required = true },
	FIELDS_END,
};

#define STAFF (ROLE_OWNER | ROLE_DOCTOR)
static const struct route routes[] = {
	/* The import first: "/patients/import" would otherwise match "/patients/:id". */
	{ .method = "GET", .pattern = "/patients/import", .handler = patients_get_import,
	  .roles = ROLES_ALL, .fields = import_get_fields },
	{ .method = "POST", .pattern = "/patients/import", .handler = patients_post_import,
	  .flags = ROUTE_UPLOAD, .roles = ROLES_ALL, .fields = import_fields },
	{ .method = "GET", .pattern = "/patients/import/:id",
	  .handler = patients_get_import_report, .roles = ROLES_ALL, .fields = id_fields },
	{ .method = "POST", .pattern = "/patients/import/:id/confirm",
	  .handler = patients_post_import_confirm, .roles = ROLES_ALL, .fields = id_fields },
	{ .method = "GET", .pattern = "/patients", .handler = patients_get_list,
	  .roles = STAFF, .fields = list_fields },
	{ .method = "POST", .pattern = "/patients", .handler = patients_post_new,
	  .roles = STAFF, .fields = create_fields },
	{ .method = "GET", .pattern = "/patients/new", .handler = patients_get_new,
	  .roles = STAFF, .fields = new_fields },
	{ .method = "GET", .pattern = "/patients/:id", .handler = patients_get_page,
	  .roles = STAFF, .fields = id_fields },
	{ .method = "POST", .pattern = "/patients/:id", .handler = patients_post_edit,
	  .roles = STAFF, .fields = update_fields },
	{ .method = "GET", .pattern = "/patients/:id/edit", .handler = patients_get_edit,
	  .roles = STAFF, .fields = id_fields },
	{ .method = "POST", .pattern = "/patients/:id/opt-out", .handler = patients_post_opt_out,
	  .roles = STAFF, .fields = id_fields },
	{ .method = "POST", .pattern = "/patients/:id/erase", .handler = patients_post_erase,
	  .roles = STAFF, .fields = erase_fields },
	{ .method = "GET", .pattern = "/patients/:id/export", .handler = patients_get_export,
	  .roles = STAFF, .fields = id_fields },
};

int main(int argc, char **argv)
{
	/* Automatic, not static: the tables' sizes live in the other files. main outlives
	 * the serving loop, so they last as long as needed. */
	const struct app_sql more[] = {
		patients_common_sql, patients_list_sql, patients_form_sql, patients_page_sql,
		patients_actions_sql, patients_import_upload_sql, patients_import_batch_sql,
	};
	const struct app app = {
		.name = "patients", .routes = routes, .nroutes = nitems(routes),
		.sql = NULL, .nsql = 0, .more_sql = more, .nmore_sql = nitems(more),
	};
	return app_main(&app, argc, argv);
}
