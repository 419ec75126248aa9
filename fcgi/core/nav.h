/* nav.h: the dashboard's navigation, one table with the roles that see each entry.
 *
 * The layout shows a signed-in user only the entries of their role, and sign-in sends
 * each role to its first entry (a receptionist lands on /patients/import). The roles
 * here match the route tables of the programs that serve each page. */
#ifndef RM_NAV_H
#define RM_NAV_H

#include <stddef.h>

struct nav_item {
	const char *key;     /* marks the current entry */
	const char *href;
	const char *label;
	unsigned roles;      /* enum role bits */
};

extern const struct nav_item nav_items[];
extern const size_t nav_count;

/* The entry a path belongs to (the longest href that is a prefix by segments), or NULL. */
const struct nav_item *nav_current(const char *path);
/* Where a user of this role lands after signing in: their first navigation entry. */
const char *nav_landing(unsigned role);

#endif
