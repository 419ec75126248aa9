/* webhooks.c: the webhooks program: provider callbacks under /hooks/ and the patient
 * pages under /f/ and /u/. Its pages arrive with their own issues; until then every
 * path here answers the core's 404 page, so nginx's routing is complete. */
#include "core/app.h"

static const struct route routes[] = {
	{ NULL, NULL, NULL, 0, 0, NULL },
};

int main(int argc, char **argv)
{
	static const struct app app = { .name = "webhooks", .routes = routes };
	return app_main(&app, argc, argv);
}
