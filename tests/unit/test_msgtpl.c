/* test_msgtpl.c: message templates (core/msgtpl.h): what a save accepts and refuses,
 * and what the sender and the preview get from rendering. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/arena.h"
#include "core/msgtpl.h"

static int setup(void **state)
{
	*state = arena_new();
	return 0;
}

static int teardown(void **state)
{
	arena_free(*state);
	return 0;
}

static int check(void **state, const char *text, struct msgtpl_check *chk)
{
	return msgtpl_check(*state, text, strlen(text), chk);
}

/* Refused, with a message that contains want (and bad_name when given). */
static void assert_refused(void **state, const char *text, const char *want,
			   const char *bad_name)
{
	struct msgtpl_check chk;
	assert_int_equal(check(state, text, &chk), -1);
	assert_non_null(chk.error);
	if (!strstr(chk.error, want))
		fail_msg("error for %s is \"%s\", expected it to contain \"%s\"", text, chk.error, want);
	if (bad_name)
		assert_string_equal(chk.bad_name, bad_name);
}

static const char *render(void **state, const char *text, const struct msgtpl_values *v)
{
	return msgtpl_render(*state, text, strlen(text), v, NULL);
}

static const struct msgtpl_values sample = { .v = {
	[MSGTPL_NAME] = "María",
	[MSGTPL_DOCTOR] = "Dra. Pérez",
	[MSGTPL_PRACTICE] = "Consultorio Central",
	[MSGTPL_APPOINTMENT_TYPE] = "Limpieza",
	[MSGTPL_DATE] = "lunes 15 de noviembre, 10:00",
	[MSGTPL_REVIEW_LINK] = "https://g.page/r/x",
	[MSGTPL_FEEDBACK_LINK] = "https://rm.example/f/abc",
} };

static void test_names_round_trip(void **state)
{
	(void)state;
	for (int v = 0; v < MSGTPL_NVARS; v++) {
		const char *n = msgtpl_var_name((enum msgtpl_var)v);
		enum msgtpl_var back;
		assert_true(msgtpl_var_lookup(n, strlen(n), &back));
		assert_int_equal(back, v);
	}
	assert_string_equal(msgtpl_var_name(MSGTPL_APPOINTMENT_TYPE), "appointmentType");
	assert_string_equal(msgtpl_var_name(MSGTPL_NVARS), "");
	enum msgtpl_var out;
	assert_false(msgtpl_var_lookup("Name", 4, &out));
	assert_false(msgtpl_var_lookup("nam", 3, &out));
	assert_false(msgtpl_var_lookup("", 0, &out));
}

static void test_every_variable_accepted_in_order_of_appearance(void **state)
{
	struct msgtpl_check chk;
	assert_int_equal(check(state, "{{feedbackLink}} {{reviewLink}} {{date}} "
			       "{{appointmentType}} {{practice}} {{doctor}} {{name}} {{name}}",
			       &chk), 0);
	assert_null(chk.error);
	assert_int_equal(chk.nused, 7);
	assert_int_equal(chk.used[0], MSGTPL_FEEDBACK_LINK);
	assert_int_equal(chk.used[6], MSGTPL_NAME);
	assert_string_equal(msgtpl_vars_array(*state, &chk),
			    "{feedbackLink,reviewLink,date,appointmentType,practice,doctor,name}");
}

static void test_plain_text_has_no_variables(void **state)
{
	struct msgtpl_check chk;
	assert_int_equal(check(state, "Gracias por su visita. { } {x} a}b", &chk), 0);
	assert_int_equal(chk.nused, 0);
	assert_string_equal(msgtpl_vars_array(*state, &chk), "{}");
	assert_false(msgtpl_uses(&chk, MSGTPL_REVIEW_LINK));
}

static void test_default_unhappy_template(void **state)
{
	struct msgtpl_check chk;
	const char *t = "Lamentamos que tu visita al {{practice}} no haya sido la que esperabas, "
			"{{name}}. Cuéntanos qué pasó, en privado: {{feedbackLink}} o, si lo "
			"prefieres, deja una reseña pública: {{reviewLink}}";
	assert_int_equal(check(state, t, &chk), 0);
	assert_string_equal(msgtpl_vars_array(*state, &chk),
			    "{practice,name,feedbackLink,reviewLink}");
	assert_true(msgtpl_uses(&chk, MSGTPL_REVIEW_LINK));
}

static void test_empty_and_blank_refused(void **state)
{
	struct msgtpl_check chk;
	assert_int_equal(msgtpl_check(*state, "", 0, &chk), -1);
	assert_string_equal(chk.error, "La plantilla está vacía.");
	assert_refused(state, "  \r\n\t ", "vacía", NULL);
}

static void test_spaces_inside_braces_accepted(void **state)
{
	struct msgtpl_check chk;
	assert_int_equal(check(state, "Hola {{ name }}, {{\tpractice}} {{date  }}", &chk), 0);
	assert_int_equal(chk.nused, 3);
	assert_string_equal(render(state, "Hola {{ name }}!", &sample), "Hola María!");
}

static void test_unknown_name_refused_with_its_name(void **state)
{
	assert_refused(state, "Hola {{paciente}}", "«{{paciente}}» no existe", "paciente");
	assert_refused(state, "Hola {{ paciente }}", "Las variables son", "paciente");
	/* The first problem is the one reported. */
	assert_refused(state, "{{name}} {{foo}} {{bar}}", "{{foo}}", "foo");
}

static void test_case_mistake_suggests_the_right_name(void **state)
{
	assert_refused(state, "Hola {{Name}}", "¿quiso decir «{{name}}»? Las mayúsculas", "Name");
	assert_refused(state, "{{reviewlink}}", "«{{reviewLink}}»", "reviewlink");
	assert_refused(state, "{{APPOINTMENTTYPE}}", "«{{appointmentType}}»", "APPOINTMENTTYPE");
}

static void test_typo_suggests_the_closest_name(void **state)
{
	assert_refused(state, "{{reviewLnk}}", "¿quiso decir «{{reviewLink}}»?", "reviewLnk");
	assert_refused(state, "{{feedbakLink}}", "«{{feedbackLink}}»", "feedbakLink");
	assert_refused(state, "{{nmae}}", "«{{name}}»", "nmae");
	/* Far from every name: the list instead. */
	assert_refused(state, "{{zzzzzzzzzz}}", "Las variables son", NULL);
}

static void test_unterminated_refused(void **state)
{
	assert_refused(state, "Hola {{name", "«{{name» no está cerrada", "name");
	assert_refused(state, "Hola {{", "no está cerrada", "");
	assert_refused(state, "{{name} y más", "no está cerrada", NULL);
	/* A marker does not run across lines. */
	assert_refused(state, "{{name\n}}", "no está cerrada", NULL);
}

static void test_stray_closing_braces_refused(void **state)
{
	assert_refused(state, "Hola name}}", "«}}» sin su «{{»", NULL);
	assert_refused(state, "{name}}", "sin su", NULL);
	assert_refused(state, "{{name}}}}", "sin su", NULL);
	/* One brace more is plain text. */
	struct msgtpl_check chk;
	assert_int_equal(check(state, "{{name}}}", &chk), 0);
	assert_string_equal(render(state, "{{name}}}", &sample), "María}");
}

static void test_nested_and_triple_braces_refused(void **state)
{
	assert_refused(state, "{{na{{me}}", "no se pueden anidar", "na{{me");
	assert_refused(state, "{{{name}}}", "no se pueden anidar", "{name");
	assert_refused(state, "{{a}b}}", "no se pueden anidar", "a}b");
}

static void test_empty_marker_refused(void **state)
{
	assert_refused(state, "Hola {{}}", "variable vacía", "");
	assert_refused(state, "Hola {{   }}", "variable vacía", "");
}

static void test_ctemplate_syntax_is_not_special(void **state)
{
	assert_refused(state, "{{#name}}x{{/name}}", "no existe", "#name");
	assert_refused(state, "{{>layout}}", "no existe", ">layout");
	assert_refused(state, "{{name:h}}", "no existe", "name:h");
	assert_refused(state, "{{!comment}}", "no existe", "!comment");
}

static void test_invalid_utf8_and_controls_refused(void **state)
{
	struct msgtpl_check chk;
	assert_int_equal(msgtpl_check(*state, "Hola \xc3", 6, &chk), -1);
	assert_non_null(strstr(chk.error, "UTF-8"));
	assert_int_equal(msgtpl_check(*state, "a\0b", 3, &chk), -1);
	assert_int_equal(msgtpl_check(*state, "a\x01" "b", 3, &chk), -1);
	assert_int_equal(msgtpl_check(*state, "\xed\xa0\x80", 3, &chk), -1);   /* surrogate */
	assert_null(msgtpl_render(*state, "Hola \xc3", 6, &sample, NULL));
}

static void test_length_limit_in_characters(void **state)
{
	struct msgtpl_check chk;
	/* 4096 two-byte characters are fine; one more is not. */
	size_t n = MSGTPL_MAX_CHARS;
	char *t = malloc(2 * (n + 1) + 1);
	for (size_t i = 0; i <= n; i++)
		memcpy(t + 2 * i, "ñ", 2);
	assert_int_equal(msgtpl_check(*state, t, 2 * n, &chk), 0);
	assert_int_equal(msgtpl_check(*state, t, 2 * (n + 1), &chk), -1);
	assert_non_null(strstr(chk.error, "4097 caracteres"));
	free(t);
}

static void test_huge_input_refused_quickly(void **state)
{
	size_t n = 8u << 20;
	char *t = malloc(n);
	memset(t, '{', n);
	struct msgtpl_check chk;
	assert_int_equal(msgtpl_check(*state, t, n, &chk), -1);
	free(t);
}

static void test_long_bad_name_quoted_short(void **state)
{
	char t[300];
	strcpy(t, "{{");
	memset(t + 2, 'x', 200);
	strcpy(t + 202, "}}");
	struct msgtpl_check chk;
	assert_int_equal(check(state, t, &chk), -1);
	assert_true(strlen(chk.bad_name) < 50);
	assert_non_null(strstr(chk.bad_name, "…"));
	/* Cut on a character boundary: 30 'ñ' are 60 bytes. */
	strcpy(t, "{{");
	for (int i = 0; i < 30; i++)
		memcpy(t + 2 + 2 * i, "ñ", 2);
	strcpy(t + 62, "}}");
	assert_int_equal(check(state, t, &chk), -1);
	assert_int_equal(strlen(chk.bad_name), 40 + strlen("…"));
}

static void test_offset_points_at_the_problem(void **state)
{
	struct msgtpl_check chk;
	assert_int_equal(check(state, "Hola {{name}}, {{Practice}}", &chk), -1);
	assert_int_equal(chk.offset, 15);
}

static void test_render_every_variable(void **state)
{
	assert_string_equal(render(state, "{{name}}|{{doctor}}|{{practice}}|{{appointmentType}}|"
				   "{{date}}|{{reviewLink}}|{{feedbackLink}}", &sample),
			    "María|Dra. Pérez|Consultorio Central|Limpieza|"
			    "lunes 15 de noviembre, 10:00|https://g.page/r/x|https://rm.example/f/abc");
}

static void test_render_missing_values_are_empty(void **state)
{
	struct msgtpl_values v = { .v = { [MSGTPL_NAME] = "Ana" } };
	assert_string_equal(render(state, "Hola {{name}} {{doctor}}.", &v), "Hola Ana .");
	assert_string_equal(render(state, "Hola {{name}}.", NULL), "Hola .");
}

static void test_render_does_not_escape_or_reexpand(void **state)
{
	struct msgtpl_values v = { .v = {
		[MSGTPL_NAME] = "<b>{{reviewLink}}</b> & \"x\"",
		[MSGTPL_REVIEW_LINK] = "https://a.example/?a=1&b=2",
	} };
	assert_string_equal(render(state, "{{name}} {{reviewLink}}", &v),
			    "<b>{{reviewLink}}</b> & \"x\" https://a.example/?a=1&b=2");
}

static void test_render_keeps_text_and_newlines(void **state)
{
	size_t len;
	const char *t = "Línea 1\r\nLínea 2: {{name}}\n";
	char *s = msgtpl_render(*state, t, strlen(t), &sample, &len);
	assert_string_equal(s, "Línea 1\r\nLínea 2: María\n");
	assert_int_equal(len, strlen(s));
}

static void test_render_refuses_what_the_check_refuses(void **state)
{
	assert_null(render(state, "Hola {{Name}}", &sample));
	assert_null(render(state, "Hola {{name", &sample));
	assert_null(render(state, "", &sample));
}

static void test_params_in_order_of_occurrence(void **state)
{
	const char **params;
	size_t n;
	const char *t = "{{practice}}: {{name}}, {{name}}. {{reviewLink}}";
	assert_int_equal(msgtpl_params(*state, t, strlen(t), &sample, &params, &n), 0);
	assert_int_equal(n, 4);
	assert_string_equal(params[0], "Consultorio Central");
	assert_string_equal(params[1], "María");
	assert_string_equal(params[2], "María");
	assert_string_equal(params[3], "https://g.page/r/x");
	assert_int_equal(msgtpl_params(*state, "Sin variables", 13, &sample, &params, &n), 0);
	assert_int_equal(n, 0);
	assert_null(params);
	/* Missing values are empty strings, never NULL. */
	assert_int_equal(msgtpl_params(*state, "{{doctor}}", 10, NULL, &params, &n), 0);
	assert_string_equal(params[0], "");
	assert_int_equal(msgtpl_params(*state, "{{Doctor}}", 10, &sample, &params, &n), -1);
}

static void test_params_grow_past_the_first_block(void **state)
{
	char t[64 * 8 + 1] = "";
	for (int i = 0; i < 64; i++)
		strcat(t, "{{date}}");
	const char **params;
	size_t n;
	assert_int_equal(msgtpl_params(*state, t, strlen(t), &sample, &params, &n), 0);
	assert_int_equal(n, 64);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(params[i], "lunes 15 de noviembre, 10:00");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_round_trip),
		cmocka_unit_test_setup_teardown(test_every_variable_accepted_in_order_of_appearance, setup, teardown),
		cmocka_unit_test_setup_teardown(test_plain_text_has_no_variables, setup, teardown),
		cmocka_unit_test_setup_teardown(test_default_unhappy_template, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_and_blank_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_spaces_inside_braces_accepted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_name_refused_with_its_name, setup, teardown),
		cmocka_unit_test_setup_teardown(test_case_mistake_suggests_the_right_name, setup, teardown),
		cmocka_unit_test_setup_teardown(test_typo_suggests_the_closest_name, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unterminated_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stray_closing_braces_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nested_and_triple_braces_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_marker_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ctemplate_syntax_is_not_special, setup, teardown),
		cmocka_unit_test_setup_teardown(test_invalid_utf8_and_controls_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_length_limit_in_characters, setup, teardown),
		cmocka_unit_test_setup_teardown(test_huge_input_refused_quickly, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_bad_name_quoted_short, setup, teardown),
		cmocka_unit_test_setup_teardown(test_offset_points_at_the_problem, setup, teardown),
		cmocka_unit_test_setup_teardown(test_render_every_variable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_render_missing_values_are_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_render_does_not_escape_or_reexpand, setup, teardown),
		cmocka_unit_test_setup_teardown(test_render_keeps_text_and_newlines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_render_refuses_what_the_check_refuses, setup, teardown),
		cmocka_unit_test_setup_teardown(test_params_in_order_of_occurrence, setup, teardown),
		cmocka_unit_test_setup_teardown(test_params_grow_past_the_first_block, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
