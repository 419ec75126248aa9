/* reports.c: the reports program: the home page, the reports with their CSV exports, and
 * the audit log. One file per page in fcgi/reports/; this file holds the route table.
 * Routes: / /reports /reports/table.csv /reports/messages.csv /audit /alerts */
#include "core/alerts.h"
#include "core/app.h"
#include "core/nitems.h"
#include "reports/reports.h"

/* The report's filters, read by the page and by both exports. */
static const struct field report_fields[] = {
	{ .name = "range", .kind = FIELD_LINE, .src = FROM_QUERY, .max = 10 },
	{ .name = "from", .kind = FIELD_LINE, .src = FROM_QUERY, .max = 10 },
	{ .name = "to", .kind = FIELD_LINE, .src = FROM_QUERY, .max = 10 },
	{ .name = "practice", .kind = FIELD_UUID, .src = FROM_QUERY },
	{ .name = "campaign", .kind = FIELD_UUID, .src = FROM_QUERY },
	{ .name = "channel", .kind = FIELD_LINE, .src = FROM_QUERY, .max = 10 },
	FIELDS_END,
};

static const struct field audit_fields[] = {
	{ .name = "user", .kind = FIELD_UUID, .src = FROM_QUERY },
	{ .name = "action", .kind = FIELD_LINE, .src = FROM_QUERY, .max = 100 },
	{ .name = "entity", .kind = FIELD_LINE, .src = FROM_QUERY, .max = 100 },
	{ .name = "from", .kind = FIELD_LINE, .src = FROM_QUERY, .max = 10 },
	{ .name = "to", .kind = FIELD_LINE, .src = FROM_QUERY, .max = 10 },
	/* Keyset paging: the entry a page starts after, going back or forward in time. */
	{ .name = "before", .kind = FIELD_UUID, .src = FROM_QUERY },
	{ .name = "after", .kind = FIELD_UUID, .src = FROM_QUERY },
	FIELDS_END,
};

#define REPORT_ROLES (ROLE_OWNER | ROLE_DOCTOR)

static const struct route routes[] = {
	{ .method = "GET", .pattern = "/", .handler = home_get, .roles = ROLES_ALL },
	{ .method = "GET", .pattern = "/reports", .handler = report_get, .roles = REPORT_ROLES,
	  .fields = report_fields },
	{ .method = "GET", .pattern = "/reports/table.csv", .handler = report_table_csv,
	  .roles = REPORT_ROLES, .fields = report_fields },
	{ .method = "GET", .pattern = "/reports/messages.csv", .handler = report_messages_csv,
	  .roles = REPORT_ROLES, .fields = report_fields },
	{ .method = "GET", .pattern = "/audit", .handler = audit_get, .roles = ROLE_OWNER,
	  .fields = audit_fields },
	{ .method = "GET", .pattern = "/alerts", .handler = alerts_list_get,
	  .roles = REPORT_ROLES, .fields = alerts_list_fields },
	{ .method = "POST", .pattern = "/alerts/:id/resolve", .handler = alerts_resolve,
	  .roles = REPORT_ROLES, .fields = alerts_resolve_fields },
};

int main(int argc, char **argv)
{
	/* Automatic, not static: the page modules' tables are objects, not constants. */
	const struct app_sql more[] = { home_sql, filter_sql, report_sql, export_sql, audit_sql,
					 alerts_sql };
	const struct app app = {
		.name = "reports", .routes = routes, .nroutes = nitems(routes),
		.more_sql = more, .nmore_sql = nitems(more),
	};
	return app_main(&app, argc, argv);
}
