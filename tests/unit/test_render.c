/* test_render.c: pages in the layout, Spanish error pages, redirects, JSON and CSV,
 * rendered with the project's real templates. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/app.h"
#include "core/csv_out.h"
#include "core/render.h"

static struct config cfg = { .secret_key = "0123456789abcdef0123456789abcdef" };

/* The binary is build/<kind>/unit/test_render; the templates are in the repo root. */
static int find_templates(void)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n < 0)
		return -1;
	exe[n] = '\0';
	char *dir = dirname(dirname(dirname(dirname(exe))));
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/templates", dir);
	return tpl_init(path);
}

static int setup(void **state)
{
	struct ctx *c = calloc(1, sizeof *c);
	c->a = arena_new();
	c->cfg = &cfg;
	c->req.method = "GET";
	c->req.path = "/";
	c->req.query_string = "";
	c->csrf = "c5rf";
	resp_init(&c->resp);
	c->layout = tpl_dict_new(c->a);
	c->page = tpl_include(c->layout, "BODY");
	*state = c;
	return 0;
}

static int teardown(void **state)
{
	struct ctx *c = *state;
	resp_release(&c->resp);
	arena_free(c->a);
	free(c);
	return 0;
}

static void sign_in(struct ctx *c)
{
	static struct user u = {
		.id = "u1", .workspace_id = "w1", .name = "Dra. <Ana>", .email = "ana@example.ec",
		.role_name = "OWNER", .role = ROLE_OWNER, .workspace_name = "Clínica & Co",
		.plan = "PROFESSIONAL", .credits = 1234,
	};
	c->user = &u;
}

static const char *header(struct ctx *c, const char *name)
{
	char *h = strstr(c->resp.headers.buf, name);
	if (!h)
		return NULL;
	h += strlen(name) + 2;
	return arena_strndup(c->a, h, strcspn(h, "\r"));
}

static void test_error_page_is_spanish_and_escaped(void **state)
{
	struct ctx *c = *state;
	assert_int_equal(render_error(c, 404, "No hay <script>alert(1)</script> aquí."), 0);
	assert_int_equal(c->resp.status, 404);
	const char *b = c->resp.body.buf;
	assert_non_null(strstr(b, "<html lang=\"es\">"));
	assert_non_null(strstr(b, "Página no encontrada"));
	assert_non_null(strstr(b, "&lt;script&gt;"));
	assert_null(strstr(b, "<script>"));
	assert_null(strstr(b, "<nav"));   /* guests get no navigation */
}

static void test_signed_in_layout_has_navigation_and_figures(void **state)
{
	struct ctx *c = *state;
	sign_in(c);
	c->req.path = "/account";
	tpl_set(c->page, "NAME", "x");
	assert_int_equal(render_page(c, 200, "account", "Mi cuenta"), 0);
	const char *b = c->resp.body.buf;
	assert_non_null(strstr(b, "<title>Mi cuenta · Reputation Manager</title>"));
	assert_non_null(strstr(b, "Clínica &amp; Co"));
	assert_non_null(strstr(b, "Plan Profesional"));
	assert_non_null(strstr(b, ">1234<"));
	assert_non_null(strstr(b, "Dra. &lt;Ana&gt;"));
	assert_non_null(strstr(b, "<a href=\"/account\" aria-current=\"page\">Cuenta</a>"));
	assert_non_null(strstr(b, "<a href=\"/campaigns\">Campañas</a>"));
	/* The logout form carries the CSRF token. */
	assert_non_null(strstr(b, "name=\"_csrf\" value=\"c5rf\""));
}

static const struct route patient_route = {
	.method = "GET", .pattern = "/f/:token", .flags = ROUTE_PUBLIC | ROUTE_PATIENT,
};

static void test_patient_page_is_headed_by_the_clinic_even_for_signed_in_staff(void **state)
{
	struct ctx *c = *state;
	sign_in(c);   /* a staff member trying a patient's link sees what the patient sees */
	c->route = &patient_route;
	c->clinic = "Sonrisa & Salud";
	tpl_set(c->page, "PRACTICE", "Sonrisa & Salud");
	assert_int_equal(render_page(c, 200, "feedback", "Cuéntanos qué pasó"), 0);
	const char *b = c->resp.body.buf;
	assert_non_null(strstr(b, "<title>Cuéntanos qué pasó · Sonrisa &amp; Salud</title>"));
	assert_non_null(strstr(b, "<span class=\"brand\">Sonrisa &amp; Salud</span>"));
	assert_null(strstr(b, "Reputation Manager"));
	assert_null(strstr(b, "href=\"/\""));
	assert_null(strstr(b, "<nav"));
	assert_null(strstr(b, "Cerrar sesión"));
}

static void test_patient_error_page_of_an_unknown_clinic_names_nobody(void **state)
{
	struct ctx *c = *state;
	c->route = &patient_route;
	assert_int_equal(render_error(c, 404, "No existe."), 0);
	const char *b = c->resp.body.buf;
	assert_non_null(strstr(b, "<title>Página no encontrada</title>"));
	assert_null(strstr(b, "class=\"brand\""));
	assert_null(strstr(b, "Reputation Manager"));
}

static void test_field_errors_are_listed_and_placed(void **state)
{
	struct ctx *c = *state;
	ctx_error(c, "email", "Escribe un correo electrónico válido.");
	ctx_error(c, "", "Correo o contraseña incorrectos.");
	assert_int_equal(render_page(c, 422, "signup", "Crear cuenta"), 0);
	const char *b = c->resp.body.buf;
	assert_int_equal(c->resp.status, 422);
	assert_non_null(strstr(b, "<p class=\"alert\" role=\"alert\">Correo o contraseña incorrectos.</p>"));
	assert_non_null(strstr(b, "<span class=\"field-error\">Escribe un correo electrónico válido.</span>"));
}

static void test_redirect_only_to_local_paths(void **state)
{
	struct ctx *c = *state;
	render_redirect(c, "/account?saved=1");
	assert_int_equal(c->resp.status, 303);
	assert_string_equal(header(c, "Location"), "/account?saved=1");
	resp_clear(&c->resp);
	render_redirect(c, "//evil.example/");
	assert_string_equal(header(c, "Location"), "/");
	resp_clear(&c->resp);
	render_redirect(c, "https://evil.example/");
	assert_string_equal(header(c, "Location"), "/");
}

static void test_json_response(void **state)
{
	struct ctx *c = *state;
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "ok", json_object_new_boolean(1));
	render_json(c, 202, o);
	json_object_put(o);
	assert_int_equal(c->resp.status, 202);
	assert_string_equal(c->resp.content_type, "application/json");
	assert_string_equal(c->resp.body.buf, "{\"ok\":true}");
}

static void test_csv_download(void **state)
{
	struct ctx *c = *state;
	struct buf csv = BUF_INIT;
	const char *row[] = { "Juan Pérez", "=1+1" };
	csv_out_row(&csv, row, 2);
	assert_int_equal(render_csv(c, "pacientes \"2025\"\r\n.csv", &csv), 0);
	buf_release(&csv);
	assert_string_equal(c->resp.content_type, "text/csv; charset=utf-8");
	assert_string_equal(header(c, "Content-Disposition"),
			    "attachment; filename=\"pacientes__2025___.csv\"");
	assert_memory_equal(c->resp.body.buf, "\xEF\xBB\xBFJuan Pérez,'=1+1\r\n",
			    strlen("\xEF\xBB\xBFJuan Pérez,'=1+1\r\n"));
}

static void test_missing_page_template_fails(void **state)
{
	struct ctx *c = *state;
	assert_int_equal(render_page(c, 200, "no-such-page", "X"), -1);
	/* An error page still renders after that. */
	render_error(c, 500, "Algo salió mal.");
	assert_int_equal(c->resp.status, 500);
	assert_non_null(strstr(c->resp.body.buf, "Algo salió mal."));
}

int main(void)
{
	if (find_templates())
		return 1;
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_error_page_is_spanish_and_escaped),
		T(test_signed_in_layout_has_navigation_and_figures),
		T(test_patient_page_is_headed_by_the_clinic_even_for_signed_in_staff),
		T(test_patient_error_page_of_an_unknown_clinic_names_nobody),
		T(test_field_errors_are_listed_and_placed),
		T(test_redirect_only_to_local_paths),
		T(test_json_response),
		T(test_csv_download),
		T(test_missing_page_template_fails),
	};
#undef T
	return cmocka_run_group_tests_name("render", tests, NULL, NULL);
}
