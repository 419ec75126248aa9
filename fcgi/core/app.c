/* app.c: the accept loop and the per-request pipeline shared by every program. */
#include "app.h"
#include "audit.h"
#include "buf.h"
#include "form.h"
#include "log.h"
#include "render.h"
#include "session.h"

#include <errno.h>
#include <fcgiapp.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <time.h>

const char *ctx_param(const struct ctx *c, const char *name)
{
	return kv_get(&c->params, name);
}

bool ctx_has_errors(const struct ctx *c)
{
	return c->errors.count > 0;
}

void ctx_error(struct ctx *c, const char *field, const char *message)
{
	kv_add(c->a, &c->errors, field, strlen(field), message, strlen(message));
}

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

	if (db_begin(c->db))
		return render_error(c, 503, "El servicio no está disponible. Inténtalo en unos minutos.");
	int rc = run_route(c);
	if (rc < 0 || c->rollback) {
		db_rollback(c->db);
	} else if (db_commit(c->db)) {
		rc = -1;
	}
	if (rc < 0) {
		db_rollback(c->db);
		resp_clear(&c->resp);
		return render_error(c, 500, "Algo salió mal de nuestro lado. No se guardó ningún cambio.");
	}
	return 0;
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void handle(const struct app *app, const struct config *cfg, struct db *db,
		   struct arena *a, FCGX_Request *fr)
{
	double t0 = now_ms();
	struct ctx c = { .a = a, .cfg = cfg, .db = db };
	resp_init(&c.resp);
	c.layout = tpl_dict_new(a);
	c.page = tpl_include(c.layout, "BODY");
	dispatch(app, &c, fr);
	/* Dashboard pages carry workspace data: never kept by caches. */
	resp_header(&c.resp, "Cache-Control", "no-store");

	struct buf out = BUF_INIT;
	resp_serialize(&c.resp, strcmp(c.req.method ? c.req.method : "", "HEAD") == 0, &out);
	FCGX_PutStr(out.buf, (int)out.len, fr->out);
	buf_release(&out);
	log_info("request", "method", c.req.method, "path", c.req.path,
		 "status", log_fmt("%d", c.resp.status));
	log_debug("timing", "ms", log_fmt("%.1f", now_ms() - t0));
	resp_release(&c.resp);
}

/* nginx keeps FastCGI connections open (fastcgi_keep_conn), and libfcgi then reads the
 * next request from the kept connection and accepts no other. When nginx has opened
 * more connections than there are processes, the extra ones wait in the listen backlog
 * behind idle kept ones and their requests starve until a timeout. So an idle process
 * watches the listening socket too: if a connection is waiting there and the kept one
 * has nothing to say, it closes the kept one (nginx drops it from its pool, and retries
 * a request that meets a closed pooled connection) and accepts the waiting one.
 * This reads two fields fcgiapp.h marks internal; they are stable across libfcgi 2.4. */
static void yield_idle_connection(FCGX_Request *fr)
{
	if (fr->ipcFd < 0)
		return;
	struct pollfd p[2] = { { fr->ipcFd, POLLIN, 0 }, { fr->listen_sock, POLLIN, 0 } };
	while (poll(p, 2, -1) < 0)
		if (errno != EINTR)
			return;
	if (!p[0].revents && (p[1].revents & POLLIN))
		FCGX_Free(fr, 1);
}

int app_main(const struct app *app, int argc, char **argv)
{
	(void)argc;
	(void)argv;
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
	db_register(db, app->sql, app->nsql);
	if (db_ensure(db))
		log_warn("database not reachable at start; will retry per request");

	FCGX_Request fr;
	FCGX_InitRequest(&fr, 0, 0);
	struct arena *a = arena_new();
	log_info("started");
	while (FCGX_Accept_r(&fr) >= 0) {
		handle(app, &cfg, db, a, &fr);
		FCGX_Finish_r(&fr);
		arena_reset(a);
		yield_idle_connection(&fr);
	}
	arena_free(a);
	db_free(db);
	return 0;
}
