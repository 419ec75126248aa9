/* render.c: pages in the layout, error pages, redirects and JSON. */
#include "render.h"
#include "ctx.h"
#include "route.h"
#include "tpl.h"
#include "validate.h"
#include "json.h"
#include "labels.h"
#include "log.h"
#include "nav.h"

#include <string.h>

/* A patient's page is the clinic's: its name, when the link named one, heads the page and
 * ends the title. The product's name and its link to the dashboard's sign-in would only
 * puzzle a patient. */
static bool fill_patient_top(struct ctx *c)
{
	if (!c->route || !(c->route->flags & ROUTE_PATIENT))
		return false;
	if (c->clinic) {
		tpl_set(tpl_section(c->layout, "SITE"), "NAME", c->clinic);
		tpl_set(tpl_section(c->layout, "CLINIC_BRAND"), "NAME", c->clinic);
	}
	return true;
}

static void fill_layout(struct ctx *c, const char *title)
{
	struct tpl_dict *l = c->layout;
	tpl_set(l, "TITLE", title);
	tpl_set(l, "CSRF", c->csrf);
	if (fill_patient_top(c))
		return;
	tpl_set(tpl_section(l, "SITE"), "NAME", "Reputation Manager");
	tpl_show(l, "PRODUCT_BRAND");
	if (!c->user)
		return;
	struct tpl_dict *s = tpl_section(l, "SIGNED_IN");
	tpl_set(s, "USER_NAME", c->user->name);
	tpl_set(s, "WORKSPACE_NAME", c->user->workspace_name);
	tpl_set(s, "PLAN", label_plan(c->user->plan));
	tpl_set_int(s, "CREDITS", c->user->credits);
	/* Only the entries of the user's role: a doctor sees no Usuarios. */
	const struct nav_item *current = nav_current(c->req.path);
	for (size_t i = 0; i < nav_count; i++) {
		if (!(nav_items[i].roles & c->user->role))
			continue;
		struct tpl_dict *item = tpl_section(s, "NAV");
		tpl_set(item, "HREF", nav_items[i].href);
		tpl_set(item, "LABEL", nav_items[i].label);
		if (&nav_items[i] == current)
			tpl_show(item, "CURRENT");
	}
	/* With the stand-in providers (make run), their phone simulator is one click away. */
	if (c->cfg->simulator_url)
		tpl_set(tpl_section(s, "SIMULATOR"), "URL", c->cfg->simulator_url);
}

/* Form-level errors (field "") go to the FORM_ERRORS list; a field's error shows the
 * {{#ERR_<field>}} section beside it, so no empty element is printed for the others. */
static void fill_errors(struct ctx *c)
{
	for (const struct kv *e = c->errors.head; e; e = e->next) {
		const char *section = e->name[0] ? arena_printf(c->a, "ERR_%s", e->name) : "FORM_ERRORS";
		tpl_set(tpl_section(c->page, section), "MESSAGE", e->value);
	}
}

int render_page(struct ctx *c, int status, const char *page, const char *title)
{
	fill_layout(c, title);
	fill_errors(c);
	tpl_set(c->page, "CSRF", c->csrf);
	tpl_set(c->page, "TITLE", title);
	tpl_set_file(c->page, arena_printf(c->a, "%s.tpl", page));
	c->resp.status = status;
	c->resp.content_type = "text/html; charset=utf-8";
	buf_reset(&c->resp.body);
	return tpl_render("layout.tpl", c->layout, &c->resp.body);
}

static const char *error_title(int status)
{
	switch (status) {
	case 400: return "Solicitud no válida";
	case 403: return "Acceso denegado";
	case 404: return "Página no encontrada";
	case 405: return "Método no permitido";
	case 413: return "Archivo demasiado grande";
	case 422: return "Datos no válidos";
	case 429: return "Demasiados intentos";
	case 503: return "Servicio no disponible";
	default: return "Error del servidor";
	}
}

int render_error(struct ctx *c, int status, const char *message)
{
	/* A fresh page dictionary: nothing the handler set leaks into the error page. */
	c->layout = tpl_dict_new(c->a);
	c->page = tpl_include(c->layout, "BODY");
	tpl_set(c->page, "MESSAGE", message);
	tpl_set_int(c->page, "STATUS", status);
	if (render_page(c, status, "error", error_title(status))) {
		/* The template itself failed: answer in plain text rather than not at all. */
		c->resp.content_type = "text/plain; charset=utf-8";
		buf_reset(&c->resp.body);
		buf_printf(&c->resp.body, "%d %s\n", status, error_title(status));
	}
	return 0;
}

int render_redirect(struct ctx *c, const char *location)
{
	if (!valid_local_path(location, strlen(location)))
		location = "/";
	c->resp.status = 303;
	c->resp.content_type = NULL;
	buf_reset(&c->resp.body);
	return resp_header(&c->resp, "Location", location);
}

int render_json(struct ctx *c, int status, struct json_object *obj)
{
	c->resp.status = status;
	c->resp.content_type = "application/json";
	buf_reset(&c->resp.body);
	json_to_buf(&c->resp.body, obj);
	return 0;
}

int render_csv_head(struct ctx *c, const char *filename)
{
	char *name = arena_strdup(c->a, filename);
	for (char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.'))
			*p = '_';
	c->resp.status = 200;
	c->resp.content_type = RENDER_CSV_TYPE;
	return resp_header(&c->resp, "Content-Disposition",
			   arena_printf(c->a, "attachment; filename=\"%s\"", name));
}

int render_csv(struct ctx *c, const char *filename, const struct buf *body)
{
	if (render_csv_head(c, filename))
		return -1;
	buf_reset(&c->resp.body);
	/* A byte-order mark, so that Excel reads the accents as UTF-8. */
	buf_adds(&c->resp.body, RENDER_CSV_BOM);
	buf_add(&c->resp.body, body->buf, body->len);
	return 0;
}
