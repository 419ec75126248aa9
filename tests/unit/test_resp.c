/* test_resp.c: headers, cookies and serialization of a buffered response (core/resp.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "core/buf.h"
#include "core/resp.h"
#include "core/nitems.h"

static int setup(void **state)
{
	struct resp *r = test_malloc(sizeof *r);
	resp_init(r);
	*state = r;
	return 0;
}

static int teardown(void **state)
{
	resp_release(*state);
	test_free(*state);
	return 0;
}

static void test_init_defaults(void **state)
{
	struct resp *r = *state;
	assert_int_equal(r->status, 200);
	assert_string_equal(r->content_type, "text/html; charset=utf-8");
	assert_int_equal(r->headers.len, 0);
	assert_int_equal(r->body.len, 0);
}

static void test_header_is_added(void **state)
{
	struct resp *r = *state;
	assert_int_equal(resp_header(r, "Location", "/patients?page=2"), 0);
	assert_int_equal(resp_header(r, "X-Frame-Options", "DENY"), 0);
	assert_string_equal(r->headers.buf, "Location: /patients?page=2\r\nX-Frame-Options: DENY\r\n");
}

static void test_header_value_with_cr_or_lf_is_refused(void **state)
{
	struct resp *r = *state;
	static const char *const bad[] = { "/x\r\nSet-Cookie: a=b", "/x\nSet-Cookie: a=b",
					   "/x\rfoo", "\r\n", "a\x01", "a\x7f" };
	for (size_t i = 0; i < nitems(bad); i++) {
		assert_int_equal(resp_header(r, "Location", bad[i]), -1);
		assert_int_equal(r->headers.len, 0);
	}
}

static void test_header_value_may_hold_tab_and_be_empty(void **state)
{
	struct resp *r = *state;
	assert_int_equal(resp_header(r, "X-A", "a\tb"), 0);
	assert_int_equal(resp_header(r, "X-B", ""), 0);
	assert_string_equal(r->headers.buf, "X-A: a\tb\r\nX-B: \r\n");
}

static void test_unsafe_header_name_is_refused(void **state)
{
	struct resp *r = *state;
	static const char *const bad[] = { "", "X-A: b", "X A", "X-A\r\nX-B", "X-A\n", "X:" };
	for (size_t i = 0; i < nitems(bad); i++) {
		assert_int_equal(resp_header(r, bad[i], "v"), -1);
		assert_int_equal(r->headers.len, 0);
	}
}

static void test_session_cookie_has_all_flags(void **state)
{
	struct resp *r = *state;
	struct cookie_opts o = { .max_age = 43200, .secure = true, .http_only = true };
	assert_int_equal(resp_cookie(r, "rm_session", "0123abcd", &o), 0);
	assert_string_equal(r->headers.buf, "Set-Cookie: rm_session=0123abcd; Path=/; "
					    "SameSite=Lax; Max-Age=43200; HttpOnly; Secure\r\n");
}

static void test_browser_session_cookie_has_no_max_age(void **state)
{
	struct resp *r = *state;
	struct cookie_opts o = { .max_age = 0, .secure = false, .http_only = true };
	assert_int_equal(resp_cookie(r, "rm_csrf", "ff", &o), 0);
	assert_string_equal(r->headers.buf,
			    "Set-Cookie: rm_csrf=ff; Path=/; SameSite=Lax; HttpOnly\r\n");
	assert_null(strstr(r->headers.buf, "Max-Age"));
	assert_null(strstr(r->headers.buf, "Secure"));
}

static void test_deleting_cookie_sets_max_age_zero(void **state)
{
	struct resp *r = *state;
	struct cookie_opts o = { .max_age = -1, .secure = true, .http_only = true };
	assert_int_equal(resp_cookie(r, "rm_session", "", &o), 0);
	assert_string_equal(r->headers.buf, "Set-Cookie: rm_session=; Path=/; SameSite=Lax; "
					    "Max-Age=0; HttpOnly; Secure\r\n");
}

static void test_unsafe_cookie_value_is_refused(void **state)
{
	struct resp *r = *state;
	struct cookie_opts o = { .max_age = 0, .secure = true, .http_only = true };
	static const char *const bad[] = { "a;b", "a b", "a\r\nSet-Cookie: x=y", "a,b", "\"a\"",
					   "a\\b", "a\x7f", "\xc3\xb1", "a=b" };
	for (size_t i = 0; i < nitems(bad); i++) {
		assert_int_equal(resp_cookie(r, "rm_session", bad[i], &o), -1);
		assert_int_equal(r->headers.len, 0);
	}
}

static void test_unsafe_cookie_name_is_refused(void **state)
{
	struct resp *r = *state;
	struct cookie_opts o = { .max_age = 0, .secure = false, .http_only = false };
	static const char *const bad[] = { "", "a b", "a=b", "a;b", "a\nb" };
	for (size_t i = 0; i < nitems(bad); i++) {
		assert_int_equal(resp_cookie(r, bad[i], "v", &o), -1);
		assert_int_equal(r->headers.len, 0);
	}
}

static void test_serialize_writes_status_headers_and_body(void **state)
{
	struct resp *r = *state;
	struct buf out = BUF_INIT;
	r->status = 404;
	resp_header(r, "X-A", "1");
	buf_adds(&r->body, "<p>No</p>");
	resp_serialize(r, false, &out);
	assert_string_equal(out.buf, "Status: 404 Not Found\r\n"
				     "Content-Type: text/html; charset=utf-8\r\n"
				     "Content-Length: 9\r\n"
				     "X-A: 1\r\n"
				     "\r\n"
				     "<p>No</p>");
	buf_release(&out);
}

static void test_serialize_head_only_drops_body_but_keeps_length(void **state)
{
	struct resp *r = *state;
	struct buf out = BUF_INIT;
	buf_adds(&r->body, "hello");
	resp_serialize(r, true, &out);
	assert_string_equal(out.buf, "Status: 200 OK\r\n"
				     "Content-Type: text/html; charset=utf-8\r\n"
				     "Content-Length: 5\r\n"
				     "\r\n");
	buf_release(&out);
}

static void test_serialize_without_content_type(void **state)
{
	struct resp *r = *state;
	struct buf out = BUF_INIT;
	r->status = 303;
	r->content_type = NULL;
	resp_header(r, "Location", "/");
	resp_serialize(r, false, &out);
	assert_string_equal(out.buf, "Status: 303 See Other\r\n"
				     "Content-Length: 0\r\n"
				     "Location: /\r\n"
				     "\r\n");
	buf_release(&out);
}

static void test_serialize_body_with_nul_bytes_is_exact(void **state)
{
	struct resp *r = *state;
	struct buf out = BUF_INIT;
	r->content_type = "text/csv";
	buf_add(&r->body, "a\0b", 3);
	resp_serialize(r, false, &out);
	assert_non_null(strstr(out.buf, "Content-Length: 3\r\n"));
	assert_memory_equal(out.buf + out.len - 3, "a\0b", 3);
	buf_release(&out);
}

static void test_clear_drops_headers_and_body(void **state)
{
	struct resp *r = *state;
	resp_header(r, "X-A", "1");
	buf_adds(&r->body, "x");
	r->content_type = "text/csv";
	resp_clear(r);
	assert_int_equal(r->headers.len, 0);
	assert_int_equal(r->body.len, 0);
	assert_string_equal(r->content_type, "text/html; charset=utf-8");
}

static void test_reason_phrases(void **state)
{
	(void)state;
	assert_string_equal(resp_reason(200), "OK");
	assert_string_equal(resp_reason(400), "Bad Request");
	assert_string_equal(resp_reason(405), "Method Not Allowed");
	assert_string_equal(resp_reason(413), "Payload Too Large");
	assert_string_equal(resp_reason(422), "Unprocessable Content");
	assert_non_null(resp_reason(599));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_init_defaults),
		T(test_header_is_added),
		T(test_header_value_with_cr_or_lf_is_refused),
		T(test_header_value_may_hold_tab_and_be_empty),
		T(test_unsafe_header_name_is_refused),
		T(test_session_cookie_has_all_flags),
		T(test_browser_session_cookie_has_no_max_age),
		T(test_deleting_cookie_sets_max_age_zero),
		T(test_unsafe_cookie_value_is_refused),
		T(test_unsafe_cookie_name_is_refused),
		T(test_serialize_writes_status_headers_and_body),
		T(test_serialize_head_only_drops_body_but_keeps_length),
		T(test_serialize_without_content_type),
		T(test_serialize_body_with_nul_bytes_is_exact),
		T(test_clear_drops_headers_and_body),
		T(test_reason_phrases),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
