/* auth.c: signing up, signing in and out, and one's own account.
 * Routes: /signup /login /logout /account; /users (auth/users.c). */
#include "core/app.h"
#include "auth/users.h"
#include "core/nitems.h"
#include "core/audit.h"
#include "core/log.h"
#include "core/nav.h"
#include "core/password.h"
#include "core/render.h"
#include "core/session.h"

#include <errno.h>
#include <string.h>
#include <time.h>

enum {
	Q_LOGIN_WORKSPACE, Q_LOGIN_BEGIN, Q_LOGIN_SUCCEEDED, Q_USER_BY_EMAIL, Q_LOGIN_DONE,
	Q_REHASH, Q_NEW_ID, Q_WORKSPACE_INSERT, Q_OWNER_INSERT, Q_DEFAULT_TEMPLATES,
	Q_USER_HASH, Q_ACCOUNT_NAME, Q_ACCOUNT_PASSWORD, Q_SIGNUP_ATTEMPT,
};

static const struct db_stmt sql[] = {
	/* The two cross-tenant lookups sign-in needs, as SECURITY DEFINER functions that
	 * reveal a workspace id and nothing else. */
	[Q_LOGIN_WORKSPACE] = { "auth_login_workspace",
		"SELECT app_login_workspace($1) AS workspace_id" },
	/* Records the attempt as a failure before the password is checked, under a lock
	 * on (email, address) held until the request's transaction ends (migration 0009). */
	[Q_LOGIN_BEGIN] = { "auth_login_begin",
		"SELECT attempt_id, email_failures FROM app_login_begin($1, nullif($2, '')::inet,"
		" $3::int, make_interval(mins => $4::int))" },
	[Q_LOGIN_SUCCEEDED] = { "auth_login_succeeded", "SELECT app_login_succeeded($1)" },
	[Q_USER_BY_EMAIL] = { "auth_user_by_email",
		"SELECT id, name, password_hash, role::text AS role FROM users WHERE email = $1" },
	[Q_LOGIN_DONE] = { "auth_login_done",
		"UPDATE users SET last_login_at = now() WHERE id = $1" },
	[Q_REHASH] = { "auth_rehash",
		"UPDATE users SET password_hash = $2 WHERE id = $1" },
	[Q_NEW_ID] = { "auth_new_id", "SELECT gen_random_uuid() AS id" },
	[Q_WORKSPACE_INSERT] = { "auth_workspace_insert",
		"INSERT INTO workspaces (id, name) VALUES ($1, $2)" },
	[Q_OWNER_INSERT] = { "auth_owner_insert",
		"INSERT INTO users (workspace_id, email, password_hash, name, role)"
		" VALUES ($1, $2, $3, $4, 'OWNER') RETURNING id" },
	[Q_DEFAULT_TEMPLATES] = { "auth_default_templates",
		"SELECT app_create_default_templates($1)" },
	[Q_USER_HASH] = { "auth_user_hash",
		"SELECT password_hash FROM users WHERE id = $1" },
	[Q_ACCOUNT_NAME] = { "auth_account_name",
		"UPDATE users SET name = $2 WHERE id = $1" },
	[Q_ACCOUNT_PASSWORD] = { "auth_account_password",
		"UPDATE users SET password_hash = $2 WHERE id = $1" },
	/* Counts the attempt; false once the address made RM_SIGNUP_MAX_PER_HOUR this hour. */
	[Q_SIGNUP_ATTEMPT] = { "auth_signup_attempt",
		"SELECT app_signup_attempt(nullif($1, '')::inet, $2::int) AS allowed" },
};

#define BAD_LOGIN "Correo o contraseña incorrectos."

/* A valid hash of nothing anyone knows: verifying against it when the e-mail is
 * unknown makes a wrong e-mail take as long as a wrong password. */
static const char *dummy_hash(const struct config *cfg)
{
	static char hash[128];
	if (!hash[0] && password_hash("no-such-user-password", cfg->bcrypt_cost, hash, sizeof hash))
		hash[0] = '\0';
	return hash;
}

/* Where sign-in leads: the page the user was going to, else their role's first
 * navigation entry (a receptionist lands on /patients/import). */
static const char *next_or_landing(struct ctx *c, unsigned role)
{
	const char *next = ctx_param(c, "next");
	return next ? next : nav_landing(role);
}

static int login_form(struct ctx *c, int status)
{
	tpl_set(c->page, "EMAIL", ctx_param(c, "email"));
	tpl_set(c->page, "NEXT", ctx_param(c, "next"));
	return render_page(c, status, "login", "Iniciar sesión");
}

static int get_login(struct ctx *c)
{
	if (c->user)
		return render_redirect(c, next_or_landing(c, c->user->role));
	return login_form(c, 200);
}

static int login_failed(struct ctx *c, const char *ws, const char *user_id)
{
	if (ws && audit_record(c, ws, user_id, "login_failed", "user", user_id, NULL, NULL))
		return -1;
	log_info("login failed", "ip", c->req.remote_addr);
	ctx_error(c, "", BAD_LOGIN);
	return login_form(c, 401);
}

/* Failures for an email from every address slow its sign-in down, never stop it: from
 * the limit on, each failure doubles a wait before the password is checked, up to
 * LOGIN_DELAY_MAX_MS. The hard stop is per address (app_login_begin), so an attacker's
 * guesses cost the real user at most this wait. */
#define LOGIN_DELAY_MAX_MS 2000
static void login_slow_down(const struct config *cfg, long long email_failures)
{
	long long over = email_failures - cfg->login_max_failures;
	if (over < 0)
		return;
	long long ms = over >= 5 ? LOGIN_DELAY_MAX_MS : 100LL << over;
	if (ms > LOGIN_DELAY_MAX_MS)
		ms = LOGIN_DELAY_MAX_MS;
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static int post_login(struct ctx *c)
{
	if (ctx_has_errors(c))
		return login_form(c, 422);
	const char *email = ctx_param(c, "email"), *password = ctx_param(c, "password");

	PGresult *res = Q(c, &sql[Q_LOGIN_BEGIN], email, c->req.remote_addr,
			  arena_printf(c->a, "%d", c->cfg->login_max_failures),
			  arena_printf(c->a, "%d", c->cfg->login_window_minutes));
	if (!res)
		return -1;
	const char *attempt = db_get(res, 0, "attempt_id");
	if (!attempt) {
		ctx_error(c, "", arena_printf(c->a, "Demasiados intentos fallidos con este correo "
			  "desde tu conexión. Espera %d minutos e inténtalo de nuevo.",
			  c->cfg->login_window_minutes));
		return login_form(c, 429);
	}
	attempt = arena_strdup(c->a, attempt);
	login_slow_down(c->cfg, db_get_int(res, 0, "email_failures", 0));

	res = Q(c, &sql[Q_LOGIN_WORKSPACE], email);
	if (!res)
		return -1;
	const char *ws = db_get(res, 0, "workspace_id");
	if (!ws) {
		password_verify(password, dummy_hash(c->cfg));
		return login_failed(c, NULL, NULL);
	}
	if (db_set_tenant(c->db, ws) || !(res = Q(c, &sql[Q_USER_BY_EMAIL], email)))
		return -1;
	const char *uid = db_get(res, 0, "id"), *hash = db_get_or(res, 0, "password_hash", "");
	if (!uid || !password_verify(password, hash))
		return login_failed(c, ws, uid);

	if (password_needs_rehash(hash, c->cfg->bcrypt_cost)) {
		char fresh[128];
		if (password_hash(password, c->cfg->bcrypt_cost, fresh, sizeof fresh) ||
		    !Q(c, &sql[Q_REHASH], uid, fresh))
			return -1;
	}
	if (!Q(c, &sql[Q_LOGIN_SUCCEEDED], attempt) ||
	    !Q(c, &sql[Q_LOGIN_DONE], uid) || session_start(c, ws, uid) ||
	    audit_record(c, ws, uid, "login", "user", uid, NULL, NULL))
		return -1;
	return render_redirect(c, next_or_landing(c, role_from_name(db_get(res, 0, "role"))));
}

static int post_logout(struct ctx *c)
{
	if (audit_record(c, NULL, NULL, "logout", "user", c->user->id, NULL, NULL) ||
	    session_end(c))
		return -1;
	return render_redirect(c, "/login");
}

static int signup_form(struct ctx *c, int status)
{
	tpl_set(c->page, "WORKSPACE", ctx_param(c, "workspace"));
	tpl_set(c->page, "NAME", ctx_param(c, "name"));
	tpl_set(c->page, "EMAIL", ctx_param(c, "email"));
	return render_page(c, status, "signup", "Crear cuenta");
}

static int get_signup(struct ctx *c)
{
	if (c->user)
		return render_redirect(c, "/");
	return signup_form(c, 200);
}

/* Checks a new password and its confirmation; adds field errors. */
static void check_new_password(struct ctx *c, const char *field, const char *confirm_field)
{
	const char *p = ctx_param(c, field), *p2 = ctx_param(c, confirm_field);
	if (!p)
		return;
	if (strlen(p) > PASSWORD_MAX_LEN)
		ctx_error(c, field, "La contraseña no puede superar 72 bytes.");
	else if (!p2 || strcmp(p, p2) != 0)
		ctx_error(c, confirm_field, "Las contraseñas no coinciden.");
}

static int post_signup(struct ctx *c)
{
	/* Every attempt counts, valid or not: each one tells whether an email has an account. */
	PGresult *res = Q(c, &sql[Q_SIGNUP_ATTEMPT], c->req.remote_addr,
			  arena_printf(c->a, "%d", c->cfg->signup_max_per_hour));
	if (!res)
		return -1;
	if (!db_get_bool(res, 0, "allowed")) {
		log_warn("signup cap reached", "ip", c->req.remote_addr);
		ctx_error(c, "", "Se crearon demasiadas cuentas desde tu conexión en la última hora. "
			  "Inténtalo más tarde.");
		return signup_form(c, 429);
	}
	check_new_password(c, "password", "password2");
	if (ctx_has_errors(c))
		return signup_form(c, 422);
	const char *email = ctx_param(c, "email");
	res = Q(c, &sql[Q_LOGIN_WORKSPACE], email);
	if (!res)
		return -1;
	if (db_get(res, 0, "workspace_id")) {
		ctx_error(c, "email", "Ya existe una cuenta con este correo.");
		return signup_form(c, 422);
	}
	char hash[128];
	if (password_hash(ctx_param(c, "password"), c->cfg->bcrypt_cost, hash, sizeof hash) ||
	    !(res = Q0(c, &sql[Q_NEW_ID])))
		return -1;
	const char *ws = arena_strdup(c->a, db_get(res, 0, "id"));
	if (db_set_tenant(c->db, ws) ||
	    !Q(c, &sql[Q_WORKSPACE_INSERT], ws, ctx_param(c, "workspace")))
		return -1;
	res = Q(c, &sql[Q_OWNER_INSERT], ws, email, hash, ctx_param(c, "name"));
	if (!res && db_unique_violation(c->db)) {
		/* Someone took the address between the check and the insert. */
		c->rollback = true;
		ctx_error(c, "email", "Ya existe una cuenta con este correo.");
		return signup_form(c, 422);
	}
	if (!res)
		return -1;
	const char *uid = arena_strdup(c->a, db_get(res, 0, "id"));
	if (!Q(c, &sql[Q_DEFAULT_TEMPLATES], ws) || session_start(c, ws, uid) ||
	    audit_record(c, ws, uid, "signup", "workspace", ws, NULL, NULL))
		return -1;
	return render_redirect(c, "/");
}

static int account_form(struct ctx *c, int status)
{
	const char *name = ctx_param(c, "name");
	tpl_set(c->page, "NAME", name ? name : c->user->name);
	tpl_set(c->page, "EMAIL", c->user->email);
	if (ctx_param(c, "saved"))
		tpl_show(c->page, "SAVED");
	return render_page(c, status, "account", "Mi cuenta");
}

static int get_account(struct ctx *c)
{
	return account_form(c, 200);
}

static int post_account(struct ctx *c)
{
	check_new_password(c, "new_password", "new_password2");
	if (ctx_has_errors(c))
		return account_form(c, 422);
	PGresult *res = Q(c, &sql[Q_USER_HASH], c->user->id);
	if (!res)
		return -1;
	if (!password_verify(ctx_param(c, "current_password"), db_get_or(res, 0, "password_hash", ""))) {
		ctx_error(c, "current_password", "La contraseña actual no es correcta.");
		return account_form(c, 422);
	}
	const char *name = ctx_param(c, "name"), *fresh = ctx_param(c, "new_password");
	if (!Q(c, &sql[Q_ACCOUNT_NAME], c->user->id, name))
		return -1;
	if (fresh) {
		char hash[128];
		if (password_hash(fresh, c->cfg->bcrypt_cost, hash, sizeof hash) ||
		    !Q(c, &sql[Q_ACCOUNT_PASSWORD], c->user->id, hash) || session_end_others(c))
			return -1;
	}
	/* The audit keeps the names, never a password or its hash. */
	struct json_object *old = json_object_new_object(), *new = json_object_new_object();
	json_object_object_add(old, "name", json_object_new_string(c->user->name));
	json_object_object_add(new, "name", json_object_new_string(name));
	json_object_object_add(new, "password_changed", json_object_new_boolean(fresh != NULL));
	int rc = audit_record(c, NULL, NULL, "account.update", "user", c->user->id,
			      json_object_to_json_string(old), json_object_to_json_string(new));
	json_object_put(old);
	json_object_put(new);
	return rc ? -1 : render_redirect(c, "/account?saved=1");
}

static const struct field login_get_fields[] = {
	{ .name = "next", .kind = FIELD_LOCAL_PATH, .src = FROM_QUERY, .lenient = true },
	FIELDS_END,
};
static const struct field login_fields[] = {
	{ .name = "email", .kind = FIELD_EMAIL, .src = FROM_BODY, .required = true,
	  .max = 254 },
	{ .name = "password", .kind = FIELD_PASSWORD, .src = FROM_BODY, .required = true,
	  .min = 1, .max = PASSWORD_MAX_LEN },
	{ .name = "next", .kind = FIELD_LOCAL_PATH, .src = FROM_BODY, .lenient = true },
	FIELDS_END,
};
static const struct field signup_fields[] = {
	{ .name = "workspace", .kind = FIELD_LINE, .src = FROM_BODY, .required = true,
	  .min = 2, .max = 120 },
	{ .name = "name", .kind = FIELD_LINE, .src = FROM_BODY, .required = true, .min = 2,
	  .max = 120 },
	{ .name = "email", .kind = FIELD_EMAIL, .src = FROM_BODY, .required = true,
	  .max = 254 },
	{ .name = "password", .kind = FIELD_PASSWORD, .src = FROM_BODY, .required = true,
	  .min = PASSWORD_MIN_LEN, .max = PASSWORD_MAX_LEN },
	{ .name = "password2", .kind = FIELD_PASSWORD, .src = FROM_BODY, .required = true,
	  .min = 1, .max = PASSWORD_MAX_LEN },
	FIELDS_END,
};
static const struct field account_get_fields[] = {
	{ .name = "saved", .kind = FIELD_INT, .src = FROM_QUERY, .min = 1, .max = 1 },
	FIELDS_END,
};
static const struct field account_fields[] = {
	{ .name = "name", .kind = FIELD_LINE, .src = FROM_BODY, .required = true, .min = 2,
	  .max = 120 },
	{ .name = "current_password", .kind = FIELD_PASSWORD, .src = FROM_BODY,
	  .required = true, .min = 1, .max = PASSWORD_MAX_LEN },
	{ .name = "new_password", .kind = FIELD_PASSWORD, .src = FROM_BODY,
	  .min = PASSWORD_MIN_LEN, .max = PASSWORD_MAX_LEN },
	{ .name = "new_password2", .kind = FIELD_PASSWORD, .src = FROM_BODY,
	  .max = PASSWORD_MAX_LEN },
	FIELDS_END,
};

static const struct route routes[] = {
	{ .method = "GET", .pattern = "/login", .handler = get_login, .flags = ROUTE_PUBLIC,
	  .fields = login_get_fields },
	{ .method = "POST", .pattern = "/login", .handler = post_login,
	  .flags = ROUTE_PUBLIC, .fields = login_fields },
	{ .method = "POST", .pattern = "/logout", .handler = post_logout, .roles = ROLES_ALL },
	{ .method = "GET", .pattern = "/signup", .handler = get_signup, .flags = ROUTE_PUBLIC },
	{ .method = "POST", .pattern = "/signup", .handler = post_signup,
	  .flags = ROUTE_PUBLIC, .fields = signup_fields },
	{ .method = "GET", .pattern = "/account", .handler = get_account, .roles = ROLES_ALL,
	  .fields = account_get_fields },
	{ .method = "POST", .pattern = "/account", .handler = post_account,
	  .roles = ROLES_ALL, .fields = account_fields },
	/* Users (auth/users.c). The public set-password routes come before the :id ones. */
	{ .method = "GET", .pattern = "/users/password/:token", .handler = users_get_password,
	  .flags = ROUTE_PUBLIC, .fields = users_password_get_fields },
	{ .method = "POST", .pattern = "/users/password/:token", .handler = users_post_password,
	  .flags = ROUTE_PUBLIC, .fields = users_password_fields },
	{ .method = "GET", .pattern = "/users", .handler = users_get_list, .roles = ROLE_OWNER,
	  .fields = users_list_fields },
	{ .method = "POST", .pattern = "/users", .handler = users_post_add, .roles = ROLE_OWNER,
	  .fields = users_add_fields },
	{ .method = "POST", .pattern = "/users/:id/role", .handler = users_post_role,
	  .roles = ROLE_OWNER, .fields = users_role_fields },
	{ .method = "POST", .pattern = "/users/:id/deactivate", .handler = users_post_deactivate,
	  .roles = ROLE_OWNER, .fields = users_id_fields },
	{ .method = "POST", .pattern = "/users/:id/reactivate", .handler = users_post_reactivate,
	  .roles = ROLE_OWNER, .fields = users_id_fields },
	{ .method = "POST", .pattern = "/users/:id/link", .handler = users_post_link,
	  .roles = ROLE_OWNER, .fields = users_id_fields },
};

int main(int argc, char **argv)
{
	static const struct app app = {
		.name = "auth", .routes = routes, .nroutes = nitems(routes),
		.sql = sql, .nsql = nitems(sql),
		.more_sql = &users_sql, .nmore_sql = 1,
	};
	return app_main(&app, argc, argv);
}
