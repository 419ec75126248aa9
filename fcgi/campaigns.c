/* campaigns.c: the campaigns program (/campaigns /practices /templates): its route table
 * and main(). The pages live in fcgi/campaigns/, one file per group of pages, each with
 * its own statement table. */
#include "core/app.h"
#include "core/nitems.h"
#include "campaigns/campaign_pages.h"
#include "campaigns/practices.h"

#define STAFF (ROLE_OWNER | ROLE_DOCTOR)

static const struct route routes[] = {
	/* Practices: doctors see them, only the owner changes them. */
	{ .method = "GET", .pattern = "/practices", .handler = practices_list, .roles = STAFF,
	  .fields = practices_list_fields },
	{ .method = "GET", .pattern = "/practices/new", .handler = practices_new, .roles = ROLE_OWNER },
	{ .method = "POST", .pattern = "/practices", .handler = practices_create, .roles = ROLE_OWNER,
	  .fields = practices_form_fields },
	{ .method = "GET", .pattern = "/practices/:id/edit", .handler = practices_edit,
	  .roles = ROLE_OWNER, .fields = practices_id_fields },
	{ .method = "POST", .pattern = "/practices/:id", .handler = practices_update,
	  .roles = ROLE_OWNER, .fields = practices_update_fields },
	{ .method = "POST", .pattern = "/practices/:id/delete", .handler = practices_delete,
	  .roles = ROLE_OWNER, .fields = practices_id_fields },

	/* Campaigns: a doctor reaches only their own (filtered in SQL). */
	{ .method = "GET", .pattern = "/campaigns", .handler = campaign_list, .roles = STAFF,
	  .fields = campaign_list_fields },
	{ .method = "GET", .pattern = "/campaigns/new", .handler = campaign_new, .roles = STAFF },
	{ .method = "POST", .pattern = "/campaigns", .handler = campaign_create, .roles = STAFF,
	  .fields = campaign_form_fields },
	{ .method = "GET", .pattern = "/campaigns/:id", .handler = campaign_detail, .roles = STAFF,
	  .fields = campaign_detail_fields },
	{ .method = "GET", .pattern = "/campaigns/:id/edit", .handler = campaign_edit,
	  .roles = STAFF, .fields = campaign_id_fields },
	{ .method = "POST", .pattern = "/campaigns/:id", .handler = campaign_update,
	  .roles = STAFF, .fields = campaign_update_fields },
	{ .method = "POST", .pattern = "/campaigns/:id/activate", .handler = campaign_activate,
	  .roles = STAFF, .fields = campaign_id_fields },
	{ .method = "POST", .pattern = "/campaigns/:id/complete", .handler = campaign_complete,
	  .roles = STAFF, .fields = campaign_id_fields },
	{ .method = "POST", .pattern = "/campaigns/:id/cancel", .handler = campaign_cancel,
	  .roles = STAFF, .fields = campaign_id_fields },
};


int main(int argc, char **argv)
{
	const struct app_sql tables[] = { practices_sql, campaign_pages_sql };
	const struct app app = {
		.name = "campaigns", .routes = routes, .nroutes = nitems(routes),
		.more_sql = tables, .nmore_sql = nitems(tables),
	};
	return app_main(&app, argc, argv);
}
