/* app.c: the serving loop and the per-request pipeline shared by every program. */
#include "app.h"
#include "audit.h"
#include "buf.h"
#include "form.h"
#include "log.h"
#include "render.h"
#include "session.h"

#include <fcgiapp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static const char *fcgi_param(void *src, const char *name)
{
	FCGX_Request *fr = src;
	return FCGX_GetParam(name, fr->envp);
}

static long fcgi_read(void *src, char *buf, size_t n)
{
	FCGX_Request *fr = src;
	int want = n > (1u << 30) ? 1 << 30 : (int)n;
	return FCGX_GetStr(buf, want, fr->in);
}

/* Sends a guest to the login page, remembering where they were going. */
static int to_login(struct ctx *c)
{
	struct buf next = BUF_INIT, loc = BUF_INIT;
	buf_adds(&next, c->req.path);
	if (req_is_get(&c->req) && c->req.query_string[0]) {
		buf_addch(&next, '?');
		buf_adds(&next, c->req.query_string);
	}
	buf_adds(&loc, "/login?next=");
	form_encode(&loc, next.buf, next.len);
	int rc = render_redirect(c, arena_strdup(c->a, loc.buf));
	buf_release(&next);
	buf_release(&loc);
	return rc;
}

/* Everything between a matched route and the handler's answer, inside the request's
 * transaction. Returns the handler's result; -1 means roll back and answer 500. */
static int run_route(struct ctx *c)
{
	const struct route *rt = c->route;
	if (session_load(c) || csrf_prepare(c))
		return -1;
	if (!(rt->flags & ROUTE_PUBLIC)) {
		if (!c->user) {
			c->rollback = true;
			return to_login(c);
		}
		if (!(rt->roles & c->user->role)) {
			c->rollback = true;
			return render_error(c, 403, "Tu rol no tiene permiso para esta página.");
		}
	}
	if (!req_is_get(&c->req) && !(rt->flags & ROUTE_NO_CSRF) && !csrf_check(c)) {
		log_warn("csrf check failed", "path", c->req.path);
		c->rollback = true;
		return render_error(c, 403, "El formulario caducó o no es válido. "
					    "Vuelve a cargar la página e inténtalo de nuevo.");
	}
	validate_fields(c->a, rt->fields, &c->req.form, &c->req.query, &c->path, &c->params,
			&c->errors);
	return rt->handler(c);
}

/* For pages that match no route: loads the session, if any, so that a signed-in user
 * still sees the navigation on the error page. Read-only; errors are ignored (the
 * page is an error page anyway). */
static void show_visitor(struct ctx *c)
{
	if (db_begin(c->db) == 0) {
		if (session_load(c) || csrf_prepare(c))
			c->user = NULL;
		db_rollback(c->db);
	}
}

/* After the commit of a request that queued a message due now (ctx.wake_sender). A
 * NOTIFY inside the request's transaction takes PostgreSQL's database-wide notify lock at
 * commit and holds it through the WAL flush, so notifying commits queue one behind the
 * other. In a transaction of its own, committed without waiting for the flush, it holds
 * the lock for microseconds; it is a hint, not data (the sender also polls every
 * RM_SENDER_POLL_SECONDS), so a crash that loses it loses nothing. */
static const struct db_stmt wake_sender = { "app_wake_sender",
	"SELECT pg_notify('rm_messages', ''), set_config('synchronous_commit', 'off', true)" };

static int dispatch(const struct app *app, struct ctx *c, FCGX_Request *fr)
{
	int st = req_parse_head(&c->req, c->a, fcgi_param, fr);
	if (st)
		return render_error(c, st, "La solicitud no es válida.");

	struct buf allow = BUF_INIT;
	enum route_result m = route_match(app->routes, app->nroutes, c->req.method, c->req.path,
					  c->a, &c->path, &c->route, &allow);
	if (m == ROUTE_BAD_METHOD) {
		show_visitor(c);
		resp_header(&c->resp, "Allow", allow.buf);
		buf_release(&allow);
		return render_error(c, 405, "Esta dirección no acepta ese método.");
	}
	buf_release(&allow);
	if (m == ROUTE_NOT_FOUND) {
		show_visitor(c);
		return render_error(c, 404, "No encontramos la página que buscas.");
	}

	size_t limit = c->route->flags & ROUTE_UPLOAD ? c->cfg->max_upload : c->cfg->max_body;
	st = req_read_body(&c->req, c->a, fcgi_read, limit);
	if (st == 413)
		return render_error(c, 413, arena_printf(c->a,
			"El envío supera el máximo de %zu MB.", limit >> 20));
	if (!st)
		st = req_parse_body(&c->req, c->a);
	if (st)
		return render_error(c, st, "El formulario llegó incompleto o mal formado.");

	/* Before the transaction: a forged callback costs no database work at all. */
	if (c->route->verify && c->route->verify(c))
		return 0;
	if (db_begin(c->db))
		return render_error(c, 503, "El servicio no está disponible. Inténtalo en unos minutos.");
	int rc = run_route(c);
	/* A failed COMMIT has already ended the transaction: nothing to roll back then. */
	if (rc < 0 || c->rollback)
		db_rollback(c->db);
	else if (db_commit(c->db))
		rc = -1;
	else if (c->wake_sender)
		DB_EXEC0(c->db, c->a, &wake_sender);   /* logged if it fails; the sender polls */
	if (rc < 0) {
		resp_clear(&c->resp);
		return render_error(c, 500, "Algo salió mal de nuestro lado. No se guardó ningún cambio.");
	}
	return 0;
}

static void handle(const struct app *app, const struct config *cfg, struct db *db,
		   struct arena *a, FCGX_Request *fr)
{
	double t0 = log_clock_ms();
	struct ctx c = { .a = a, .cfg = cfg, .db = db, .out = fr->out };
	resp_init(&c.resp);
	c.layout = tpl_dict_new(a);
	c.page = tpl_include(c.layout, "BODY");
	dispatch(app, &c, fr);
	/* A streamed response (stream.h) has been sent already, headers and all. */
	if (!c.streamed) {
		/* Dashboard pages carry workspace data: never kept by caches. */
		resp_header(&c.resp, "Cache-Control", "no-store");
		struct buf out = BUF_INIT;
		resp_serialize(&c.resp, req_is_head(&c.req), &out);
		FCGX_PutStr(out.buf, (int)out.len, fr->out);
		buf_release(&out);
	}
	/* One line per request; log_fmt's buffer serves one value, so ms comes from the arena. */
	log_info("request", "method", c.req.method, "path", c.req.path,
		 "status", log_fmt("%d", c.resp.status),
		 "ms", arena_printf(a, "%.1f", log_clock_ms() - t0));
	resp_release(&c.resp);
}

/* Reads what is left of the request's input (the body an early answer such as 404 or
 * 413 never read, and the end-of-input record) up to its end, so that nginx never meets
 * a connection closed under a body it is still sending. false when the input could not
 * be read to its end: the connection is then closed without further ado.
 *
 * (Connections are not kept: nginx opens one per request. With fastcgi_keep_conn, and
 * libfcgi's FCGX_Finish_r not draining, the next FCGX_Accept_r parsed the rest of an
 * unread body as FastCGI records, so a client could have a request of its choosing served
 * and its answer sent to whoever came next; keeping connections measured no steady gain
 * worth that risk and the poll loop it needed. See README, "FastCGI connections".) */
static bool drain_input(FCGX_Request *r)
{
	char sink[16384];
	while (FCGX_GetStr(sink, (int)sizeof sink, r->in) > 0)
		;
	if (FCGX_GetError(r->in) == 0 && FCGX_HasSeenEOF(r->in) == EOF)
		return true;
	log_warn("request input not read to its end; closing the connection");
	return false;
}

/* One request at a time: accept a connection, answer its request, close it. */
static int serve_forever(const struct app *app, const struct config *cfg, struct db *db,
			 struct arena *a)
{
	FCGX_Request r;
	/* spawn-fcgi hands the listening socket over as fd 0. */
	if (FCGX_InitRequest(&r, 0, 0)) {
		log_error("FCGX_InitRequest failed");
		return -1;
	}
	for (;;) {
		int rc = FCGX_Accept_r(&r);
		if (rc < 0) {
			log_error("accept failed", "errno", log_fmt("%d", -rc));
			return -1;
		}
		handle(app, cfg, db, a, &r);
		bool clean = drain_input(&r);
		FCGX_Finish_r(&r);
		if (!clean)
			FCGX_Free(&r, 1);
		arena_reset(a);
	}
}

int app_main(const struct app *app, int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--routes") == 0) {
		route_print(app->routes, app->nroutes, stdout);
		return fflush(stdout) ? 1 : 0;
	}
	struct config cfg;
	log_init(app->name, LOG_INFO);
	if (config_load(&cfg))
		return 1;
	log_init(app->name, cfg.log_level);
	if (tpl_init(cfg.template_dir))
		return 1;
	signal(SIGPIPE, SIG_IGN);
	if (FCGX_Init()) {
		log_error("FCGX_Init failed");
		return 1;
	}
	struct db *db = db_new(cfg.database_url);
	session_register(db);
	audit_register(db);
	db_register(db, &wake_sender, 1);
	db_register(db, app->sql, app->nsql);
	for (size_t i = 0; i < app->nmore_sql; i++)
		db_register(db, app->more_sql[i].stmts, app->more_sql[i].n);
	if (db_ensure(db))
		log_warn("database not reachable at start; will retry per request");

	struct arena *a = arena_new();
	log_info("started");
	int rc = serve_forever(app, &cfg, db, a);
	arena_free(a);
	db_free(db);
	return rc ? 1 : 0;
}
