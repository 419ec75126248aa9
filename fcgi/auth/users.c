/* users.c: the OWNER's user management and the one-time set-password links. See users.h.
 *
 * Rules kept here, each inside the request's one transaction:
 * - an email already used in any workspace is refused (emails sign in alone);
 * - a new user gets no password (a hash that never verifies) and a link valid 72 hours,
 *   shown once; only the SHA-256 of its token is stored;
 * - the workspace keeps at least one active OWNER: demoting or deactivating the last one
 *   is refused. The workspace row is locked first, so two owners demoting each other at
 *   the same moment cannot both succeed;
 * - deactivating ends the user's sessions and unused links in the same transaction. */
#include "users.h"
#include "core/audit.h"
#include "core/labels.h"
#include "core/log.h"
#include "core/nitems.h"
#include "core/password.h"
#include "core/render.h"
#include "core/session.h"

#include <json-c/json.h>
#include <string.h>

#define USERS_PAGE_SIZE 50
#define USERS_LINK_HOURS "72"
#define USERS_TOKEN_BYTES 32
/* Stored for a user who has not set a password yet: password_verify refuses any hash
 * that starts with '*'. */
#define USERS_NO_PASSWORD "*sin-clave"

enum {
	U_LIST, U_EMAIL_TAKEN, U_INSERT, U_GET, U_LOCK_WORKSPACE, U_OTHER_OWNERS, U_SET_ROLE,
	U_DEACTIVATE, U_REACTIVATE, U_END_SESSIONS, U_DROP_LINKS, U_LINK_INSERT,
	U_LINK_WORKSPACE, U_LINK_USER, U_LINK_USE, U_SET_PASSWORD,
};

static const struct db_stmt sql[] = {
	[U_LIST] = { "users_list",
		"SELECT id, name, email, role::text AS role, deactivated_at IS NOT NULL AS deactivated,"
		"       password_hash LIKE '*%' AS no_password,"
		"       coalesce(to_char(last_login_at AT TIME ZONE 'America/Guayaquil',"
		"                        'DD/MM/YYYY HH24:MI'), '') AS last_login"
		"  FROM users"
		" ORDER BY deactivated_at IS NOT NULL, lower(name), email"
		" LIMIT $1::int OFFSET $2::int" },
	[U_EMAIL_TAKEN] = { "users_email_taken", "SELECT app_email_taken($1) AS taken" },
	[U_INSERT] = { "users_insert",
		"INSERT INTO users (workspace_id, email, password_hash, name, role)"
		" VALUES ($1, $2, '" USERS_NO_PASSWORD "', $3, $4::user_role) RETURNING id" },
	[U_GET] = { "users_get",
		"SELECT id, name, email, role::text AS role, deactivated_at IS NOT NULL AS deactivated"
		"  FROM users WHERE id = $1" },
	/* Serializes the changes that count owners (see the top of the file). */
	[U_LOCK_WORKSPACE] = { "users_lock_workspace",
		"SELECT id FROM workspaces WHERE id = $1 FOR NO KEY UPDATE" },
	[U_OTHER_OWNERS] = { "users_other_owners",
		"SELECT count(*) AS n FROM users"
		" WHERE role = 'OWNER' AND deactivated_at IS NULL AND id <> $1" },
	[U_SET_ROLE] = { "users_set_role",
		"UPDATE users SET role = $2::user_role WHERE id = $1" },
	[U_DEACTIVATE] = { "users_deactivate",
		"UPDATE users SET deactivated_at = now() WHERE id = $1 AND deactivated_at IS NULL" },
	[U_REACTIVATE] = { "users_reactivate",
		"UPDATE users SET deactivated_at = NULL WHERE id = $1 AND deactivated_at IS NOT NULL" },
	[U_END_SESSIONS] = { "users_end_sessions", "DELETE FROM sessions WHERE user_id = $1" },
	[U_DROP_LINKS] = { "users_drop_links",
		"DELETE FROM user_tokens WHERE user_id = $1 AND used_at IS NULL" },
	[U_LINK_INSERT] = { "users_link_insert",
		"INSERT INTO user_tokens (workspace_id, user_id, token_hash, purpose, expires_at,"
		"                         created_by)"
		" VALUES ($1, $2, decode($3, 'hex'), $4,"
		"         now() + make_interval(hours => " USERS_LINK_HOURS "), $5)" },
	/* Cross-tenant by nature: the public page has only the token. */
	[U_LINK_WORKSPACE] = { "users_link_workspace",
		"SELECT app_user_token_workspace(decode($1, 'hex')) AS workspace_id" },
	/* FOR UPDATE: of two submissions of the same link, the second waits and then finds
	 * it used. */
	[U_LINK_USER] = { "users_link_user",
		"SELECT t.id AS token_id, t.workspace_id, t.purpose, u.id AS user_id, u.name, u.email"
		"  FROM user_tokens t"
		"  JOIN users u ON u.workspace_id = t.workspace_id AND u.id = t.user_id"
		" WHERE t.token_hash = decode($1, 'hex') AND t.used_at IS NULL"
		"   AND t.expires_at > now() AND u.deactivated_at IS NULL"
		"   FOR UPDATE OF t" },
	[U_LINK_USE] = { "users_link_use",
		"UPDATE user_tokens SET used_at = now() WHERE id = $1" },
	[U_SET_PASSWORD] = { "users_set_password",
		"UPDATE users SET password_hash = $2 WHERE id = $1" },
};

const struct app_sql users_sql = { .stmts = sql, .n = nitems(sql) };

#define BAD_LINK "Este enlace no es válido, ya se usó o caducó. " \
	"Pide al propietario de la cuenta un enlace nuevo."
#define LAST_OWNER "La cuenta necesita al menos un propietario activo: " \
	"nombra primero a otro propietario."

/* ---- the list ---------------------------------------------------------------------- */

static long long page_number(const struct ctx *c)
{
	const char *p = ctx_param(c, "page");
	return p ? strtoll(p, NULL, 10) : 1;
}

static int add_user_rows(struct ctx *c, long long page)
{
	PGresult *res = Q(c, &sql[U_LIST], arena_printf(c->a, "%d", USERS_PAGE_SIZE + 1),
			  arena_printf(c->a, "%lld", (page - 1) * USERS_PAGE_SIZE));
	if (!res)
		return -1;
	int n = PQntuples(res);
	for (int i = 0; i < n && i < USERS_PAGE_SIZE; i++) {
		struct tpl_dict *row = tpl_section(c->page, "USER");
		const char *id = db_get(res, i, "id"), *role = db_get(res, i, "role");
		tpl_set(row, "ID", id);
		tpl_set(row, "NAME", db_get(res, i, "name"));
		tpl_set(row, "EMAIL", db_get(res, i, "email"));
		tpl_set(row, "ROLE_LABEL", label_role(role));
		tpl_set(row, "LAST_LOGIN", db_get(res, i, "last_login"));
		tpl_set(row, "CSRF", c->csrf);
		label_options(row, "ROLE_OPTION", label_roles, label_roles_n, role);
		if (db_get_bool(res, i, "deactivated"))
			tpl_show(row, "DEACTIVATED");
		else
			tpl_show(row, "ACTIVE");
		if (db_get_bool(res, i, "no_password"))
			tpl_show(row, "NO_PASSWORD");
		if (strcmp(id, c->user->id) == 0)
			tpl_show(row, "SELF");
	}
	if (page > 1)
		tpl_set_int(tpl_section(c->page, "PREV"), "PAGE", page - 1);
	if (n > USERS_PAGE_SIZE)
		tpl_set_int(tpl_section(c->page, "NEXT"), "PAGE", page + 1);
	return 0;
}

/* The list page, with the add form holding what was typed (after a refusal). */
static int list_page(struct ctx *c, int status)
{
	if (add_user_rows(c, status == 200 ? page_number(c) : 1))
		return -1;
	tpl_set(c->page, "NEW_NAME", ctx_param(c, "name"));
	tpl_set(c->page, "NEW_EMAIL", ctx_param(c, "email"));
	const char *role = ctx_param(c, "role");
	label_options(c->page, "ROLE_OPTION", label_roles, label_roles_n,
		      role ? role : "DOCTOR");
	if (status == 200 && ctx_param(c, "saved"))
		tpl_show(c->page, "SAVED");
	return render_page(c, status, "users", "Usuarios");
}

int users_get_list(struct ctx *c)
{
	return list_page(c, 200);
}

/* ---- links --------------------------------------------------------------------------- */

/* Drops the user's unused links, makes a new one and returns its absolute URL (NULL on
 * a database or randomness error). */
static const char *new_link(struct ctx *c, const char *user_id, const char *purpose)
{
	char token[USERS_TOKEN_BYTES * 2 + 1], hash[65];
	if (session_new_token(token, USERS_TOKEN_BYTES))
		return NULL;
	session_token_hash(token, hash);
	if (!Q(c, &sql[U_DROP_LINKS], user_id) ||
	    !Q(c, &sql[U_LINK_INSERT], c->user->workspace_id, user_id, hash, purpose, c->user->id))
		return NULL;
	return arena_printf(c->a, "%s/users/password/%s", c->cfg->base_url, token);
}

/* The page that shows a new link, once (every page is sent with no-store). */
static int link_page(struct ctx *c, const char *name, const char *email, const char *link,
		     bool invited)
{
	tpl_set(c->page, "NAME", name);
	tpl_set(c->page, "EMAIL", email);
	tpl_set(c->page, "LINK", link);
	tpl_set(c->page, "HOURS", USERS_LINK_HOURS);
	tpl_show(c->page, invited ? "INVITED" : "RESET");
	return render_page(c, 200, "users_link", invited ? "Usuario añadido" : "Enlace nuevo");
}

/* Audits an action on a user with old and new values (consumed). workspace_id and
 * actor_id NULL: the signed-in user's. */
static int audit_json(struct ctx *c, const char *workspace_id, const char *actor_id,
		      const char *action, const char *user_id, struct json_object *old,
		      struct json_object *new)
{
	int rc = audit_record(c, workspace_id, actor_id, action, "user", user_id,
			      old ? json_object_to_json_string(old) : NULL,
			      new ? json_object_to_json_string(new) : NULL);
	json_object_put(old);
	json_object_put(new);
	return rc;
}

static struct json_object *json_pair(const char *key, const char *value)
{
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, key, json_object_new_string(value));
	return o;
}

int users_post_add(struct ctx *c)
{
	const char *role = ctx_param(c, "role");
	if (role && !role_from_name(role))
		ctx_error(c, "role", "Elige un rol de la lista.");
	if (ctx_has_errors(c))
		return list_page(c, 422);
	const char *name = ctx_param(c, "name"), *email = ctx_param(c, "email");
	PGresult *res = Q(c, &sql[U_EMAIL_TAKEN], email);
	if (!res)
		return -1;
	if (db_get_bool(res, 0, "taken")) {
		ctx_error(c, "email", "Este correo ya está registrado en Reputation Manager.");
		return list_page(c, 422);
	}
	res = Q(c, &sql[U_INSERT], c->user->workspace_id, email, name, role);
	if (!res && db_unique_violation(c->db)) {
		/* Someone took the address between the check and the insert. */
		c->rollback = true;
		ctx_error(c, "email", "Este correo ya está registrado en Reputation Manager.");
		return list_page(c, 422);
	}
	if (!res)
		return -1;
	const char *uid = arena_strdup(c->a, db_get(res, 0, "id"));
	const char *link = new_link(c, uid, "INVITE");
	if (!link)
		return -1;
	struct json_object *new = json_object_new_object();
	json_object_object_add(new, "name", json_object_new_string(name));
	json_object_object_add(new, "email", json_object_new_string(email));
	json_object_object_add(new, "role", json_object_new_string(role));
	if (audit_json(c, NULL, NULL, "user.create", uid, NULL, new))
		return -1;
	return link_page(c, name, email, link, true);
}

/* ---- changes to one user ----------------------------------------------------------------- */

/* Locks the workspace and loads the user named by the path (NULL and a 404 page when
 * there is none in this workspace; *rc says whether the page could be rendered). */
static PGresult *locked_user(struct ctx *c, int *rc)
{
	*rc = 0;
	const char *id = ctx_param(c, "id");
	PGresult *res = NULL;
	if (id) {
		if (!Q(c, &sql[U_LOCK_WORKSPACE], c->user->workspace_id) ||
		    !(res = Q(c, &sql[U_GET], id))) {
			*rc = -1;
			return NULL;
		}
		if (PQntuples(res) == 1)
			return res;
	}
	c->rollback = true;
	*rc = render_error(c, 404, "No encontramos ese usuario en esta cuenta.");
	return NULL;
}

/* True when taking the OWNER role (or the account) away from this user would leave the
 * workspace without an active owner; then the list is shown with the reason. */
static bool last_owner(struct ctx *c, PGresult *user, int *rc)
{
	*rc = 0;
	if (strcmp(db_get(user, 0, "role"), "OWNER") != 0 || db_get_bool(user, 0, "deactivated"))
		return false;
	PGresult *res = Q(c, &sql[U_OTHER_OWNERS], db_get(user, 0, "id"));
	if (!res) {
		*rc = -1;
		return true;
	}
	if (db_get_int(res, 0, "n", 0) > 0)
		return false;
	c->rollback = true;
	ctx_error(c, "", LAST_OWNER);
	*rc = list_page(c, 422);
	return true;
}

int users_post_role(struct ctx *c)
{
	int rc;
	PGresult *user = locked_user(c, &rc);
	if (!user)
		return rc;
	const char *id = db_get(user, 0, "id"), *old = db_get(user, 0, "role");
	const char *role = ctx_param(c, "role");
	if (!role || !role_from_name(role)) {
		c->rollback = true;
		ctx_error(c, "", "Elige un rol de la lista.");
		return list_page(c, 422);
	}
	if (strcmp(role, old) == 0)
		return render_redirect(c, "/users?saved=1");
	if (strcmp(role, "OWNER") != 0 && last_owner(c, user, &rc))
		return rc;
	if (!Q(c, &sql[U_SET_ROLE], id, role) ||
	    audit_json(c, NULL, NULL, "user.role", id, json_pair("role", old),
		       json_pair("role", role)))
		return -1;
	/* An owner who gave up the role can no longer see this page. */
	bool self = strcmp(id, c->user->id) == 0;
	return render_redirect(c, self ? "/" : "/users?saved=1");
}

int users_post_deactivate(struct ctx *c)
{
	int rc;
	PGresult *user = locked_user(c, &rc);
	if (!user)
		return rc;
	const char *id = db_get(user, 0, "id");
	if (db_get_bool(user, 0, "deactivated"))
		return render_redirect(c, "/users?saved=1");
	if (last_owner(c, user, &rc))
		return rc;
	if (!Q(c, &sql[U_DEACTIVATE], id) || !Q(c, &sql[U_END_SESSIONS], id) ||
	    !Q(c, &sql[U_DROP_LINKS], id) ||
	    audit_json(c, NULL, NULL, "user.deactivate", id, NULL,
		       json_pair("email", db_get(user, 0, "email"))))
		return -1;
	/* Deactivating oneself ended this session too. */
	bool self = strcmp(id, c->user->id) == 0;
	return render_redirect(c, self ? "/login" : "/users?saved=1");
}

int users_post_reactivate(struct ctx *c)
{
	int rc;
	PGresult *user = locked_user(c, &rc);
	if (!user)
		return rc;
	const char *id = db_get(user, 0, "id");
	if (!db_get_bool(user, 0, "deactivated"))
		return render_redirect(c, "/users?saved=1");
	if (!Q(c, &sql[U_REACTIVATE], id) ||
	    audit_json(c, NULL, NULL, "user.reactivate", id, NULL,
		       json_pair("email", db_get(user, 0, "email"))))
		return -1;
	return render_redirect(c, "/users?saved=1");
}

int users_post_link(struct ctx *c)
{
	int rc;
	PGresult *user = locked_user(c, &rc);
	if (!user)
		return rc;
	const char *id = db_get(user, 0, "id");
	if (db_get_bool(user, 0, "deactivated")) {
		c->rollback = true;
		ctx_error(c, "", "Ese usuario está desactivado: reactívalo antes de enviarle un enlace.");
		return list_page(c, 422);
	}
	const char *link = new_link(c, id, "RESET");
	if (!link || audit_json(c, NULL, NULL, "user.link", id, NULL, json_pair("purpose", "RESET")))
		return -1;
	return link_page(c, db_get(user, 0, "name"), db_get(user, 0, "email"), link, false);
}

/* ---- the public set-password page ---------------------------------------------------- */

/* The link's user (token_id, workspace_id, purpose, user_id, name, email), scoping the transaction to its
 * workspace; NULL with *rc = 0 when the token is not a live link. */
static PGresult *link_user(struct ctx *c, int *rc)
{
	*rc = 0;
	const char *token = ctx_param(c, "token");
	if (!token || strspn(token, "0123456789abcdef") != USERS_TOKEN_BYTES * 2)
		return NULL;
	char hash[65];
	session_token_hash(token, hash);
	PGresult *res = Q(c, &sql[U_LINK_WORKSPACE], hash);
	if (!res) {
		*rc = -1;
		return NULL;
	}
	const char *ws = db_get(res, 0, "workspace_id");
	if (!ws)
		return NULL;
	if (db_set_tenant(c->db, ws) || !(res = Q(c, &sql[U_LINK_USER], hash))) {
		*rc = -1;
		return NULL;
	}
	return PQntuples(res) == 1 ? res : NULL;
}

static int password_form(struct ctx *c, int status, PGresult *user)
{
	resp_header(&c->resp, "Referrer-Policy", "no-referrer");
	tpl_set(c->page, "NAME", db_get(user, 0, "name"));
	tpl_set(c->page, "EMAIL", db_get(user, 0, "email"));
	tpl_set(c->page, "TOKEN", ctx_param(c, "token"));
	return render_page(c, status, "users_password", "Crea tu contraseña");
}

int users_get_password(struct ctx *c)
{
	int rc;
	PGresult *user = link_user(c, &rc);
	if (!user)
		return rc ? rc : render_error(c, 404, BAD_LINK);
	return password_form(c, 200, user);
}

int users_post_password(struct ctx *c)
{
	int rc;
	PGresult *user = link_user(c, &rc);
	if (!user) {
		c->rollback = true;
		return rc ? rc : render_error(c, 404, BAD_LINK);
	}
	const char *p = ctx_param(c, "password"), *p2 = ctx_param(c, "password2");
	if (p && (!p2 || strcmp(p, p2) != 0))
		ctx_error(c, "password2", "Las contraseñas no coinciden.");
	if (ctx_has_errors(c)) {
		c->rollback = true;
		return password_form(c, 422, user);
	}
	const char *uid = db_get(user, 0, "user_id");
	char hash[128];
	if (password_hash(p, c->cfg->bcrypt_cost, hash, sizeof hash) ||
	    !Q(c, &sql[U_SET_PASSWORD], uid, hash) ||
	    !Q(c, &sql[U_LINK_USE], db_get(user, 0, "token_id")) ||
	    !Q(c, &sql[U_DROP_LINKS], uid) || !Q(c, &sql[U_END_SESSIONS], uid) ||
	    audit_json(c, db_get(user, 0, "workspace_id"), uid, "user.password_set", uid, NULL,
		       json_pair("purpose", db_get(user, 0, "purpose"))))
		return -1;
	tpl_set(c->page, "EMAIL", db_get(user, 0, "email"));
	return render_page(c, 200, "users_password_done", "Contraseña guardada");
}

/* ---- declared input ------------------------------------------------------------------ */

const struct field users_list_fields[] = {
	{ .name = "page", .kind = FIELD_INT, .src = FROM_QUERY, .min = 1, .max = 100000,
	  .lenient = true },
	{ .name = "saved", .kind = FIELD_INT, .src = FROM_QUERY, .min = 1, .max = 1,
	  .lenient = true },
	FIELDS_END,
};
const struct field users_add_fields[] = {
	{ .name = "name", .kind = FIELD_LINE, .src = FROM_BODY, .required = true, .min = 2,
	  .max = 120 },
	{ .name = "email", .kind = FIELD_EMAIL, .src = FROM_BODY, .required = true, .max = 254 },
	{ .name = "role", .kind = FIELD_LINE, .src = FROM_BODY, .required = true, .max = 20 },
	FIELDS_END,
};
const struct field users_role_fields[] = {
	{ .name = "id", .kind = FIELD_UUID, .src = FROM_PATH, .required = true, .lenient = true },
	{ .name = "role", .kind = FIELD_LINE, .src = FROM_BODY, .required = true, .max = 20 },
	FIELDS_END,
};
const struct field users_id_fields[] = {
	{ .name = "id", .kind = FIELD_UUID, .src = FROM_PATH, .required = true, .lenient = true },
	FIELDS_END,
};
const struct field users_password_get_fields[] = {
	{ .name = "token", .kind = FIELD_LINE, .src = FROM_PATH, .required = true, .max = 64,
	  .lenient = true },
	FIELDS_END,
};
const struct field users_password_fields[] = {
	{ .name = "token", .kind = FIELD_LINE, .src = FROM_PATH, .required = true, .max = 64,
	  .lenient = true },
	{ .name = "password", .kind = FIELD_PASSWORD, .src = FROM_BODY, .required = true,
	  .min = PASSWORD_MIN_LEN, .max = PASSWORD_MAX_LEN },
	{ .name = "password2", .kind = FIELD_PASSWORD, .src = FROM_BODY, .required = true,
	  .min = 1, .max = PASSWORD_MAX_LEN },
	FIELDS_END,
};
