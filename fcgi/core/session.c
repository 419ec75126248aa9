/* session.c: session cookies, their rows, and CSRF tokens. */
#include "session.h"
#include "ctx.h"
#include "buf.h"
#include "crypto.h"
#include "log.h"
#include "nitems.h"
#include "route.h"

#include <string.h>

#define TOKEN_BYTES 32

enum {
	S_WORKSPACE, S_LOAD, S_TOUCH, S_INSERT, S_DELETE, S_DELETE_OTHERS, S_PRUNE,
};

static const struct db_stmt sql[] = {
	/* Cross-tenant by nature: which workspace does this token belong to. */
	[S_WORKSPACE] = { "session_workspace",
		"SELECT app_session_workspace(decode($1, 'hex')) AS workspace_id" },
	[S_LOAD] = { "session_load",
		"SELECT s.id AS session_id, u.id AS user_id, u.name, u.email, u.role::text AS role,"
		"       w.id AS workspace_id, w.name AS workspace_name, w.plan::text AS plan,"
		"       w.message_credits"
		"  FROM sessions s"
		"  JOIN users u ON u.workspace_id = s.workspace_id AND u.id = s.user_id"
		"  JOIN workspaces w ON w.id = s.workspace_id"
		" WHERE s.token_hash = decode($1, 'hex') AND s.expires_at > now()" },
	/* Written at most every five minutes, not on every page view. */
	[S_TOUCH] = { "session_touch",
		"UPDATE sessions SET last_seen_at = now()"
		" WHERE id = $1 AND last_seen_at < now() - interval '5 minutes'" },
	[S_INSERT] = { "session_insert",
		"INSERT INTO sessions (workspace_id, user_id, token_hash, expires_at,"
		"                      ip_address, user_agent)"
		"VALUES ($1, $2, decode($3, 'hex'), now() + make_interval(hours => $4::int),"
		"        nullif($5, '')::inet, left($6, 500))" },
	[S_DELETE] = { "session_delete",
		"DELETE FROM sessions WHERE token_hash = decode($1, 'hex')" },
	[S_DELETE_OTHERS] = { "session_delete_others",
		"DELETE FROM sessions WHERE user_id = $1 AND token_hash <> decode($2, 'hex')" },
	[S_PRUNE] = { "session_prune",
		"DELETE FROM sessions WHERE user_id = $1 AND expires_at < now()" },
};

void session_register(struct db *db)
{
	db_register(db, sql, nitems(sql));
}

int session_new_token(char *out, size_t n)
{
	unsigned char raw[64];
	if (n > sizeof raw || crypto_random(raw, n))
		return -1;
	struct buf b = BUF_INIT;
	crypto_hex(&b, raw, n);
	memcpy(out, b.buf, b.len + 1);
	buf_release(&b);
	return 0;
}

void session_token_hash(const char *token, char out[65])
{
	unsigned char h[32];
	crypto_sha256(token, strlen(token), h);
	struct buf b = BUF_INIT;
	crypto_hex(&b, h, sizeof h);
	memcpy(out, b.buf, 65);
	buf_release(&b);
}

/* A token we issued is exactly 64 lowercase hex characters; anything else is ignored
 * without touching the database. */
static bool token_shape_ok(const char *t)
{
	if (!t || strlen(t) != TOKEN_BYTES * 2)
		return false;
	return strspn(t, "0123456789abcdef") == TOKEN_BYTES * 2;
}

int session_load(struct ctx *c)
{
	const char *token = kv_get(&c->req.cookies, SESSION_COOKIE);
	if (!token_shape_ok(token))
		return 0;
	char hash[65];
	session_token_hash(token, hash);
	PGresult *res = Q(c, &sql[S_WORKSPACE], hash);
	if (!res)
		return -1;
	const char *ws = db_get(res, 0, "workspace_id");
	if (!ws)
		return 0;
	if (db_set_tenant(c->db, ws))
		return -1;
	res = Q(c, &sql[S_LOAD], hash);
	if (!res)
		return -1;
	if (PQntuples(res) != 1)
		return 0;
	struct user *u = arena_calloc(c->a, 1, sizeof *u);
	u->session_id = db_get(res, 0, "session_id");
	u->id = db_get(res, 0, "user_id");
	u->name = db_get_or(res, 0, "name", "");
	u->email = db_get_or(res, 0, "email", "");
	u->role_name = db_get_or(res, 0, "role", "");
	u->role = role_from_name(u->role_name);
	u->workspace_id = db_get(res, 0, "workspace_id");
	u->workspace_name = db_get_or(res, 0, "workspace_name", "");
	u->plan = db_get_or(res, 0, "plan", "");
	u->credits = db_get_int(res, 0, "message_credits", 0);
	if (!Q(c, &sql[S_TOUCH], u->session_id))
		return -1;
	c->user = u;
	c->session_token = arena_strdup(c->a, token);
	return 0;
}

static struct cookie_opts cookie_opts(const struct ctx *c, long max_age)
{
	return (struct cookie_opts){ .max_age = max_age, .secure = c->cfg->secure_cookies,
				     .http_only = true };
}

int session_start(struct ctx *c, const char *workspace_id, const char *user_id)
{
	char token[TOKEN_BYTES * 2 + 1], hash[65];
	if (session_new_token(token, TOKEN_BYTES))
		return -1;
	session_token_hash(token, hash);
	const char *hours = arena_printf(c->a, "%d", c->cfg->session_hours);
	if (!Q(c, &sql[S_PRUNE], user_id) ||
	    !Q(c, &sql[S_INSERT], workspace_id, user_id, hash, hours, c->req.remote_addr,
	       c->req.user_agent))
		return -1;
	struct cookie_opts o = cookie_opts(c, (long)c->cfg->session_hours * 3600);
	if (resp_cookie(&c->resp, SESSION_COOKIE, token, &o))
		return -1;
	c->session_token = arena_strdup(c->a, token);
	return 0;
}

int session_end(struct ctx *c)
{
	if (c->session_token) {
		char hash[65];
		session_token_hash(c->session_token, hash);
		if (!Q(c, &sql[S_DELETE], hash))
			return -1;
	}
	struct cookie_opts o = cookie_opts(c, -1);
	if (resp_cookie(&c->resp, SESSION_COOKIE, "", &o))
		return -1;
	c->session_token = NULL;
	c->user = NULL;
	return 0;
}

int session_end_others(struct ctx *c)
{
	char hash[65];
	session_token_hash(c->session_token, hash);
	return Q(c, &sql[S_DELETE_OTHERS], c->user->id, hash) ? 0 : -1;
}

void csrf_compute(const char *secret, const char *binding, char out[65])
{
	struct buf msg = BUF_INIT, hex = BUF_INIT;
	buf_add(&msg, "csrf", 5);   /* includes the NUL: a domain separator */
	buf_adds(&msg, binding);
	unsigned char mac[32];
	crypto_hmac_sha256(secret, strlen(secret), msg.buf, msg.len, mac);
	crypto_hex(&hex, mac, sizeof mac);
	memcpy(out, hex.buf, 65);
	buf_release(&msg);
	buf_release(&hex);
}

/* The value CSRF tokens are bound to for this request, or NULL when there is none. */
static const char *csrf_binding(const struct ctx *c)
{
	if (c->session_token)
		return c->session_token;
	const char *pre = kv_get(&c->req.cookies, CSRF_COOKIE);
	return token_shape_ok(pre) ? pre : NULL;
}

int csrf_prepare(struct ctx *c)
{
	const char *binding = csrf_binding(c);
	if (!binding) {
		char token[TOKEN_BYTES * 2 + 1];
		if (session_new_token(token, TOKEN_BYTES))
			return -1;
		struct cookie_opts o = cookie_opts(c, 0);
		if (resp_cookie(&c->resp, CSRF_COOKIE, token, &o))
			return -1;
		binding = arena_strdup(c->a, token);
	}
	char tok[65];
	csrf_compute(c->cfg->secret_key, binding, tok);
	c->csrf = arena_strdup(c->a, tok);
	return 0;
}

bool csrf_check(struct ctx *c)
{
	const char *binding = csrf_binding(c);
	const char *sent = kv_get(&c->req.form, CSRF_FIELD);
	if (!sent)
		sent = req_header(&c->req, c->a, "X-CSRF-Token");
	if (!binding || !sent)
		return false;
	char want[65];
	csrf_compute(c->cfg->secret_key, binding, want);
	return crypto_equal(want, 64, sent, strlen(sent));
}
