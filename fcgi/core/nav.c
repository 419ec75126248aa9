/* nav.c: the navigation table (see nav.h). */
#include "nav.h"
#include "nitems.h"
#include "route.h"

#include <string.h>

#define STAFF (ROLE_OWNER | ROLE_DOCTOR)

const struct nav_item nav_items[] = {
	{ .key = "home", .href = "/", .label = "Inicio", .roles = STAFF },
	{ .key = "campaigns", .href = "/campaigns", .label = "Campañas", .roles = STAFF },
	{ .key = "patients", .href = "/patients", .label = "Pacientes", .roles = STAFF },
	{ .key = "import", .href = "/patients/import", .label = "Importar", .roles = ROLES_ALL },
	{ .key = "practices", .href = "/practices", .label = "Consultorios", .roles = STAFF },
	{ .key = "templates", .href = "/templates", .label = "Plantillas", .roles = STAFF },
	{ .key = "reports", .href = "/reports", .label = "Reportes", .roles = STAFF },
	{ .key = "audit", .href = "/audit", .label = "Auditoría", .roles = ROLE_OWNER },
	{ .key = "users", .href = "/users", .label = "Usuarios", .roles = ROLE_OWNER },
	{ .key = "account", .href = "/account", .label = "Cuenta", .roles = ROLES_ALL },
};

const size_t nav_count = nitems(nav_items);

/* How much of path href covers: strlen(href) when path is href or below it
 * ("/patients/1" is under "/patients"), else 0. "/" covers only "/". */
static size_t under(const char *path, const char *href)
{
	size_t n = strlen(href);
	if (strcmp(href, "/") == 0)
		return strcmp(path, "/") == 0 ? 1 : 0;
	if (strncmp(path, href, n) == 0 && (path[n] == '\0' || path[n] == '/'))
		return n;
	return 0;
}

const struct nav_item *nav_current(const char *path)
{
	const struct nav_item *best = NULL;
	size_t best_len = 0;
	for (size_t i = 0; path && i < nav_count; i++) {
		size_t n = under(path, nav_items[i].href);
		if (n > best_len) {
			best = &nav_items[i];
			best_len = n;
		}
	}
	return best;
}

const char *nav_landing(unsigned role)
{
	for (size_t i = 0; i < nav_count; i++)
		if (nav_items[i].roles & role)
			return nav_items[i].href;
	return "/account";
}
