/* users.h: the workspace's staff, managed by its OWNER (/users), and the public page
 * where an invited user sets a password from a one-time link (/users/password/:token).
 *
 * The routes live in auth.c's table; this file gives it the handlers, their field tables
 * and the statement table to register through struct app's more_sql. */
#ifndef RM_AUTH_USERS_H
#define RM_AUTH_USERS_H

#include "core/app.h"

extern const struct app_sql users_sql;

/* OWNER: the list with the add form; adding; one user's role, deactivation,
 * reactivation and a new set-password link. */
int users_get_list(struct ctx *c);
int users_post_add(struct ctx *c);
int users_post_role(struct ctx *c);
int users_post_deactivate(struct ctx *c);
int users_post_reactivate(struct ctx *c);
int users_post_link(struct ctx *c);
/* Public, with the link's token: the form, and setting the password. */
int users_get_password(struct ctx *c);
int users_post_password(struct ctx *c);

extern const struct field users_list_fields[];
extern const struct field users_add_fields[];
extern const struct field users_role_fields[];
extern const struct field users_id_fields[];
extern const struct field users_password_get_fields[];
extern const struct field users_password_fields[];

#endif
