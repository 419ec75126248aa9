/* test_route.c: matching a method and path against a route table (core/route.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/kv.h"
#include "core/nav.h"
#include "core/nitems.h"
#include "core/route.h"

static const struct route routes[] = {
	{ .method = "GET", .pattern = "/", .roles = ROLES_ALL },
	{ .method = "GET", .pattern = "/account", .roles = ROLES_ALL },
	{ .method = "POST", .pattern = "/account", .roles = ROLES_ALL },
	{ .method = "GET", .pattern = "/users", .roles = ROLE_OWNER },
	{ .method = "GET", .pattern = "/users/:id/edit", .roles = ROLE_OWNER },
	{ .method = "POST", .pattern = "/users/:id/edit", .roles = ROLE_OWNER },
	{ .method = "DELETE", .pattern = "/users/:id", .roles = ROLE_OWNER },
	{ .method = "POST", .pattern = "/campaigns/:cid/messages/:mid/retry", .roles = ROLES_ALL },
	{ .method = "POST", .pattern = "/hooks/twilio", .flags = ROUTE_PUBLIC | ROUTE_NO_CSRF },
};
#define NROUTES nitems(routes)

struct match {
	enum route_result result;
	const struct route *found;
	struct kvlist params;
	struct buf allow;
};

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

/* Runs route_match; the caller releases m->allow. */
static void match(void **state, const char *method, const char *path, struct match *m)
{
	m->found = NULL;
	m->params = (struct kvlist)KVLIST_INIT;
	buf_init(&m->allow);
	m->result = route_match(routes, NROUTES, method, path, *state, &m->params, &m->found,
				&m->allow);
}

static void test_literal_path_matches(void **state)
{
	struct match m;
	match(state, "GET", "/account", &m);
	assert_int_equal(m.result, ROUTE_FOUND);
	assert_ptr_equal(m.found, &routes[1]);
	assert_int_equal(m.params.count, 0);
	buf_release(&m.allow);
}

static void test_root_matches_only_root(void **state)
{
	struct match m;
	match(state, "GET", "/", &m);
	assert_int_equal(m.result, ROUTE_FOUND);
	assert_ptr_equal(m.found, &routes[0]);
	buf_release(&m.allow);
}

static void test_method_selects_among_routes_with_same_path(void **state)
{
	struct match m;
	match(state, "POST", "/account", &m);
	assert_int_equal(m.result, ROUTE_FOUND);
	assert_ptr_equal(m.found, &routes[2]);
	buf_release(&m.allow);
}

static void test_param_is_captured(void **state)
{
	struct match m;
	match(state, "GET", "/users/8c1f6e0a-1111-4222-8333-944455556666/edit", &m);
	assert_int_equal(m.result, ROUTE_FOUND);
	assert_ptr_equal(m.found, &routes[4]);
	assert_int_equal(m.params.count, 1);
	assert_string_equal(kv_get(&m.params, "id"), "8c1f6e0a-1111-4222-8333-944455556666");
	buf_release(&m.allow);
}

static void test_two_params_are_captured(void **state)
{
	struct match m;
	match(state, "POST", "/campaigns/c1/messages/m2/retry", &m);
	assert_int_equal(m.result, ROUTE_FOUND);
	assert_ptr_equal(m.found, &routes[7]);
	assert_int_equal(m.params.count, 2);
	assert_string_equal(kv_get(&m.params, "cid"), "c1");
	assert_string_equal(kv_get(&m.params, "mid"), "m2");
	buf_release(&m.allow);
}

static void test_param_does_not_span_segments(void **state)
{
	struct match m;
	match(state, "DELETE", "/users/a/b", &m);
	assert_int_equal(m.result, ROUTE_NOT_FOUND);
	buf_release(&m.allow);
}

static void test_trailing_slash_is_tolerated(void **state)
{
	struct match m;
	match(state, "GET", "/account/", &m);
	assert_int_equal(m.result, ROUTE_FOUND);
	assert_ptr_equal(m.found, &routes[1]);
	buf_release(&m.allow);

	match(state, "GET", "/users/42/edit/", &m);
	assert_int_equal(m.result, ROUTE_FOUND);
	assert_string_equal(kv_get(&m.params, "id"), "42");
	buf_release(&m.allow);
}

static void test_only_one_trailing_slash_is_tolerated(void **state)
{
	struct match m;
	match(state, "GET", "/account//", &m);
	assert_int_equal(m.result, ROUTE_NOT_FOUND);
	buf_release(&m.allow);
}

static void test_empty_segment_does_not_match_param(void **state)
{
	struct match m;
	match(state, "GET", "/users//edit", &m);
	assert_int_equal(m.result, ROUTE_NOT_FOUND);
	assert_int_equal(m.params.count, 0);
	buf_release(&m.allow);

	/* "/users/" is "/users" with a trailing slash, not "/users/:id" with an empty id:
	 * only the GET route's methods are allowed. */
	match(state, "DELETE", "/users/", &m);
	assert_int_equal(m.result, ROUTE_BAD_METHOD);
	assert_int_equal(m.params.count, 0);
	assert_string_equal(m.allow.buf, "GET, HEAD");
	buf_release(&m.allow);
}

static void test_prefix_or_longer_path_does_not_match(void **state)
{
	static const char *const paths[] = { "/acc", "/accounts", "/account/x", "/users/1/editx",
					     "/users/1/edit/x", "" };
	for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
		struct match m;
		match(state, "GET", paths[i], &m);
		assert_int_equal(m.result, ROUTE_NOT_FOUND);
		buf_release(&m.allow);
	}
}

static void test_matching_is_case_sensitive(void **state)
{
	struct match m;
	match(state, "GET", "/Account", &m);
	assert_int_equal(m.result, ROUTE_NOT_FOUND);
	buf_release(&m.allow);
}

static void test_head_matches_get_route(void **state)
{
	struct match m;
	match(state, "HEAD", "/users/7/edit", &m);
	assert_int_equal(m.result, ROUTE_FOUND);
	assert_ptr_equal(m.found, &routes[4]);
	assert_string_equal(kv_get(&m.params, "id"), "7");
	buf_release(&m.allow);
}

static void test_head_does_not_match_post_only_route(void **state)
{
	struct match m;
	match(state, "HEAD", "/hooks/twilio", &m);
	assert_int_equal(m.result, ROUTE_BAD_METHOD);
	assert_string_equal(m.allow.buf, "POST");
	buf_release(&m.allow);
}

static void test_wrong_method_is_405_with_allow_list(void **state)
{
	struct match m;
	match(state, "PUT", "/account", &m);
	assert_int_equal(m.result, ROUTE_BAD_METHOD);
	assert_null(m.found);
	assert_string_equal(m.allow.buf, "GET, HEAD, POST");
	buf_release(&m.allow);
}

static void test_allow_list_for_param_route(void **state)
{
	struct match m;
	match(state, "PATCH", "/users/9/edit", &m);
	assert_int_equal(m.result, ROUTE_BAD_METHOD);
	assert_string_equal(m.allow.buf, "GET, HEAD, POST");
	buf_release(&m.allow);

	match(state, "GET", "/users/9", &m);
	assert_int_equal(m.result, ROUTE_BAD_METHOD);
	assert_string_equal(m.allow.buf, "DELETE");
	buf_release(&m.allow);
}

static void test_bad_method_without_allow_buffer(void **state)
{
	struct kvlist params = KVLIST_INIT;
	const struct route *found = NULL;
	assert_int_equal(route_match(routes, NROUTES, "PUT", "/account", *state, &params, &found,
				     NULL),
			 ROUTE_BAD_METHOD);
}

static void test_unknown_path_is_404(void **state)
{
	struct match m;
	match(state, "GET", "/nope", &m);
	assert_int_equal(m.result, ROUTE_NOT_FOUND);
	assert_null(m.found);
	assert_int_equal(m.allow.len, 0);
	buf_release(&m.allow);
}

static void test_empty_table_is_404(void **state)
{
	struct kvlist params = KVLIST_INIT;
	const struct route *found = NULL;
	assert_int_equal(route_match(routes, 0, "GET", "/", *state, &params, &found, NULL),
			 ROUTE_NOT_FOUND);
}

static void test_role_from_name(void **state)
{
	(void)state;
	assert_int_equal(role_from_name("OWNER"), ROLE_OWNER);
	assert_int_equal(role_from_name("DOCTOR"), ROLE_DOCTOR);
	assert_int_equal(role_from_name("RECEPTIONIST"), ROLE_RECEPTIONIST);
	assert_int_equal(role_from_name("owner"), 0);
	assert_int_equal(role_from_name("OWNER "), 0);
	assert_int_equal(role_from_name(""), 0);
	assert_int_equal(role_from_name("ADMIN"), 0);
	assert_int_equal(role_from_name(NULL), 0);
}

static void test_route_print_lists_roles_and_flags_one_route_a_line(void **state)
{
	(void)state;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	route_print(routes, NROUTES, f);
	fclose(f);
	const char *want =
		"GET / OWNER,DOCTOR,RECEPTIONIST -\n"
		"GET /account OWNER,DOCTOR,RECEPTIONIST -\n"
		"POST /account OWNER,DOCTOR,RECEPTIONIST -\n"
		"GET /users OWNER -\n"
		"GET /users/:id/edit OWNER -\n"
		"POST /users/:id/edit OWNER -\n"
		"DELETE /users/:id OWNER -\n"
		"POST /campaigns/:cid/messages/:mid/retry OWNER,DOCTOR,RECEPTIONIST -\n"
		"POST /hooks/twilio - PUBLIC,NO_CSRF\n";
	assert_string_equal(text, want);
	free(text);
}

static void test_nav_current_takes_the_longest_entry(void **state)
{
	(void)state;
	assert_string_equal(nav_current("/patients/import")->href, "/patients/import");
	assert_string_equal(nav_current("/patients/12")->href, "/patients");
	assert_string_equal(nav_current("/")->href, "/");
	assert_null(nav_current("/patientsx"));
	assert_null(nav_current("/login"));
}

static void test_nav_landing_is_the_first_entry_of_the_role(void **state)
{
	(void)state;
	assert_string_equal(nav_landing(ROLE_OWNER), "/");
	assert_string_equal(nav_landing(ROLE_DOCTOR), "/");
	assert_string_equal(nav_landing(ROLE_RECEPTIONIST), "/patients/import");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_literal_path_matches, setup, teardown),
		cmocka_unit_test_setup_teardown(test_root_matches_only_root, setup, teardown),
		cmocka_unit_test_setup_teardown(test_method_selects_among_routes_with_same_path,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_param_is_captured, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_params_are_captured, setup, teardown),
		cmocka_unit_test_setup_teardown(test_param_does_not_span_segments, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trailing_slash_is_tolerated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_only_one_trailing_slash_is_tolerated, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_empty_segment_does_not_match_param, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_prefix_or_longer_path_does_not_match, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_matching_is_case_sensitive, setup, teardown),
		cmocka_unit_test_setup_teardown(test_head_matches_get_route, setup, teardown),
		cmocka_unit_test_setup_teardown(test_head_does_not_match_post_only_route, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_wrong_method_is_405_with_allow_list, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_allow_list_for_param_route, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_method_without_allow_buffer, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_unknown_path_is_404, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_table_is_404, setup, teardown),
		cmocka_unit_test(test_role_from_name),
		cmocka_unit_test(test_route_print_lists_roles_and_flags_one_route_a_line),
		cmocka_unit_test(test_nav_current_takes_the_longest_entry),
		cmocka_unit_test(test_nav_landing_is_the_first_entry_of_the_role),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
