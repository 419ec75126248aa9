/* test_req.c: parsing one request from FastCGI parameters and stdin (core/req.h).
 *
 * A fake source stands in for the FastCGI server: a static table of parameters, and a
 * body handed out in small chunks (or cut short) by a fake reader. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/arena.h"
#include "core/kv.h"
#include "core/req.h"
#include "core/nitems.h"

struct param {
	const char *name;
	const char *value;
};

struct fake_src {
	const struct param *params;   /* ends at a NULL name */
	const char *body;             /* bytes the reader hands out */
	size_t body_len;
	size_t pos;
	size_t chunk;                 /* at most this many bytes per read (0: 3) */
	int reads;                    /* how many times the reader was called */
	int fail;                     /* return -1 instead of 0 at the end */
	size_t fail_at;               /* when > 0: return -1 once pos reaches it, data or not */
};

static const char *fake_param(void *src, const char *name)
{
	const struct fake_src *s = src;
	for (const struct param *p = s->params; p && p->name; p++)
		if (strcmp(p->name, name) == 0)
			return p->value;
	return NULL;
}

static long fake_read(void *src, char *buf, size_t n)
{
	struct fake_src *s = src;
	s->reads++;
	if (s->fail_at && s->pos >= s->fail_at)
		return -1;
	size_t left = s->body_len - s->pos;
	if (left == 0)
		return s->fail ? -1 : 0;
	size_t chunk = s->chunk ? s->chunk : 3;
	if (n > chunk)
		n = chunk;
	if (n > left)
		n = left;
	memcpy(buf, s->body + s->pos, n);
	s->pos += n;
	return (long)n;
}

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

/* Parses the head from params; returns the status. */
static int head(void **state, struct req *r, struct fake_src *src, const struct param *params)
{
	src->params = params;
	return req_parse_head(r, *state, fake_param, src);
}

/* The whole pipeline with a body; returns the first non-zero status, or 0. */
static int full(void **state, struct req *r, struct fake_src *src, const struct param *params,
		const char *body, size_t limit)
{
	src->body = body;
	src->body_len = body ? strlen(body) : 0;
	int rc = head(state, r, src, params);
	if (rc)
		return rc;
	rc = req_read_body(r, *state, fake_read, limit);
	if (rc)
		return rc;
	return req_parse_body(r, *state);
}

/* ---- the head ---- */

static void test_minimal_get_gets_defaults(void **state)
{
	static const struct param p[] = { { NULL, NULL } };
	struct fake_src src = { 0 };
	struct req r;
	assert_int_equal(head(state, &r, &src, p), 0);
	assert_string_equal(r.method, "GET");
	assert_string_equal(r.path, "/");
	assert_string_equal(r.query_string, "");
	assert_null(r.content_type);
	assert_int_equal(r.content_length, -1);
	assert_false(r.https);
	assert_int_equal(r.query.count, 0);
	assert_int_equal(r.cookies.count, 0);
	assert_true(req_is_get(&r));
}

static void test_full_head_is_parsed(void **state)
{
	static const struct param p[] = {
		{ "REQUEST_METHOD", "POST" },
		{ "DOCUMENT_URI", "/patients/import" },
		{ "QUERY_STRING", "page=2&q=Mar%C3%ADa" },
		{ "CONTENT_TYPE", "text/csv" },
		{ "CONTENT_LENGTH", "0" },
		{ "REMOTE_ADDR", "203.0.113.9" },
		{ "HTTP_USER_AGENT", "Mozilla/5.0" },
		{ "HTTPS", "on" },
		{ NULL, NULL },
	};
	struct fake_src src = { 0 };
	struct req r;
	assert_int_equal(head(state, &r, &src, p), 0);
	assert_string_equal(r.method, "POST");
	assert_false(req_is_get(&r));
	assert_string_equal(r.path, "/patients/import");
	assert_string_equal(r.content_type, "text/csv");
	assert_int_equal(r.content_length, 0);
	assert_string_equal(r.remote_addr, "203.0.113.9");
	assert_string_equal(r.user_agent, "Mozilla/5.0");
	assert_true(r.https);
	assert_int_equal(r.query.count, 2);
	assert_string_equal(kv_get(&r.query, "page"), "2");
	assert_string_equal(kv_get(&r.query, "q"), "Mar\xc3\xad" "a");
}

static void test_head_is_a_safe_method(void **state)
{
	static const struct param p[] = { { "REQUEST_METHOD", "HEAD" }, { NULL, NULL } };
	struct fake_src src = { 0 };
	struct req r;
	assert_int_equal(head(state, &r, &src, p), 0);
	assert_string_equal(r.method, "HEAD");
	assert_true(req_is_get(&r));
}

static void test_unknown_method_is_400(void **state)
{
	static const char *const bad[] = { "BREW", "get", "", "GET ", "TRACE", "CONNECT" };
	for (size_t i = 0; i < nitems(bad); i++) {
		const struct param p[] = { { "REQUEST_METHOD", bad[i] }, { NULL, NULL } };
		struct fake_src src = { 0 };
		struct req r;
		assert_int_equal(head(state, &r, &src, p), 400);
	}
}

static void test_path_not_starting_with_slash_is_400(void **state)
{
	static const char *const bad[] = { "", "users", "http://x/", " /", "*" };
	for (size_t i = 0; i < nitems(bad); i++) {
		const struct param p[] = { { "DOCUMENT_URI", bad[i] }, { NULL, NULL } };
		struct fake_src src = { 0 };
		struct req r;
		assert_int_equal(head(state, &r, &src, p), 400);
	}
}

static void test_path_with_invalid_utf8_is_400(void **state)
{
	static const char *const bad[] = {
		"/caf\xc3",            /* truncated */
		"/\xc0\xaf",           /* overlong '/' */
		"/\xed\xa0\x80",       /* surrogate */
		"/\xff",
		"/\xf4\x90\x80\x80",   /* above U+10FFFF */
	};
	for (size_t i = 0; i < nitems(bad); i++) {
		const struct param p[] = { { "DOCUMENT_URI", bad[i] }, { NULL, NULL } };
		struct fake_src src = { 0 };
		struct req r;
		assert_int_equal(head(state, &r, &src, p), 400);
	}
}

static void test_path_with_valid_utf8_is_accepted(void **state)
{
	static const struct param p[] = { { "DOCUMENT_URI", "/cl\xc3\xadnica/\xc3\xb1" },
					  { NULL, NULL } };
	struct fake_src src = { 0 };
	struct req r;
	assert_int_equal(head(state, &r, &src, p), 0);
	assert_string_equal(r.path, "/cl\xc3\xadnica/\xc3\xb1");
}

static void test_bad_content_length_is_400(void **state)
{
	static const char *const bad[] = {
		"abc", "-1", "99999999999999999999999", "+5", " 5", "5 ", "0x10", "1e3",
		"9223372036854775808",   /* LLONG_MAX + 1 */
	};
	for (size_t i = 0; i < nitems(bad); i++) {
		const struct param p[] = { { "REQUEST_METHOD", "POST" },
					   { "CONTENT_LENGTH", bad[i] },
					   { NULL, NULL } };
		struct fake_src src = { 0 };
		struct req r;
		assert_int_equal(head(state, &r, &src, p), 400);
	}
}

static void test_empty_content_length_means_none(void **state)
{
	static const struct param p[] = { { "REQUEST_METHOD", "POST" },
					  { "CONTENT_LENGTH", "" },
					  { NULL, NULL } };
	struct fake_src src = { 0 };
	struct req r;
	assert_int_equal(head(state, &r, &src, p), 0);
	assert_int_equal(r.content_length, -1);
	assert_int_equal(req_read_body(&r, *state, fake_read, 100), 0);
	assert_string_equal(r.body, "");
	assert_int_equal(r.body_len, 0);
	assert_int_equal(src.reads, 0);
}

static void test_query_with_too_many_fields_is_400(void **state)
{
	char q[(REQ_MAX_QUERY_FIELDS + 1) * 4 + 1] = "";
	/* "a=1&" once more than allowed. */
	for (size_t i = 0; i <= REQ_MAX_QUERY_FIELDS; i++)
		memcpy(q + i * 4, "a=1&", 4);
	const struct param p[] = { { "QUERY_STRING", q }, { NULL, NULL } };
	struct fake_src src = { 0 };
	struct req r;
	assert_int_equal(head(state, &r, &src, p), 400);
}

static void test_query_at_the_field_limit_is_accepted(void **state)
{
	char q[REQ_MAX_QUERY_FIELDS * 4 + 1] = "";
	for (size_t i = 0; i < REQ_MAX_QUERY_FIELDS; i++)
		memcpy(q + i * 4, "a=1&", 4);
	const struct param p[] = { { "QUERY_STRING", q }, { NULL, NULL } };
	struct fake_src src = { 0 };
	struct req r;
	assert_int_equal(head(state, &r, &src, p), 0);
	assert_int_equal(r.query.count, REQ_MAX_QUERY_FIELDS);
}

static void test_malformed_query_is_400(void **state)
{
	static const struct param p[] = { { "QUERY_STRING", "q=%zz" }, { NULL, NULL } };
	struct fake_src src = { 0 };
	struct req r;
	assert_int_equal(head(state, &r, &src, p), 400);
}

static void test_cookies_are_parsed(void **state)
{
	static const struct param p[] = {
		{ "HTTP_COOKIE", "rm_session=abc123; rm_csrf=\"def\";  theme = dark ;junk; =x" },
		{ NULL, NULL },
	};
	struct fake_src src = { 0 };
	struct req r;
	assert_int_equal(head(state, &r, &src, p), 0);
	assert_int_equal(r.cookies.count, 3);
	assert_string_equal(kv_get(&r.cookies, "rm_session"), "abc123");
	assert_string_equal(kv_get(&r.cookies, "rm_csrf"), "def");
	assert_string_equal(kv_get(&r.cookies, "theme"), "dark");
	assert_null(kv_get(&r.cookies, "junk"));
}

static void test_too_many_cookies_are_ignored_not_refused(void **state)
{
	char hdr[REQ_MAX_COOKIES * 8 + 64] = "";
	size_t o = 0;
	for (int i = 0; i < REQ_MAX_COOKIES + 5; i++)
		o += (size_t)snprintf(hdr + o, sizeof hdr - o, "c%d=v; ", i);
	const struct param p[] = { { "HTTP_COOKIE", hdr }, { NULL, NULL } };
	struct fake_src src = { 0 };
	struct req r;
	assert_int_equal(head(state, &r, &src, p), 0);
	assert_int_equal(r.cookies.count, REQ_MAX_COOKIES);
}

static void test_req_header_maps_http_name_to_cgi_param(void **state)
{
	static const struct param p[] = {
		{ "HTTP_X_TWILIO_SIGNATURE", "sig==" },
		{ "HTTP_X_HUB_SIGNATURE_256", "sha256=ab" },
		{ NULL, NULL },
	};
	struct fake_src src = { 0 };
	struct req r;
	assert_int_equal(head(state, &r, &src, p), 0);
	assert_string_equal(req_header(&r, *state, "X-Twilio-Signature"), "sig==");
	assert_string_equal(req_header(&r, *state, "x-twilio-signature"), "sig==");
	assert_string_equal(req_header(&r, *state, "X-Hub-Signature-256"), "sha256=ab");
	assert_null(req_header(&r, *state, "Stripe-Signature"));
}

/* ---- the body ---- */

static const struct param urlencoded_post[] = {
	{ "REQUEST_METHOD", "POST" },
	{ "CONTENT_TYPE", "application/x-www-form-urlencoded" },
	{ "CONTENT_LENGTH", "37" },
	{ NULL, NULL },
};

static void test_urlencoded_body_is_read_in_chunks_and_parsed(void **state)
{
	static const char body[] = "name=Mar%C3%ADa+P&email=a%40b.ec&x=1";
	assert_int_equal(strlen(body), 36);
	static const struct param p[] = {
		{ "REQUEST_METHOD", "POST" },
		{ "CONTENT_TYPE", "application/x-www-form-urlencoded; charset=UTF-8" },
		{ "CONTENT_LENGTH", "36" },
		{ NULL, NULL },
	};
	struct fake_src src = { .chunk = 5 };
	struct req r;
	assert_int_equal(full(state, &r, &src, p, body, 1024), 0);
	assert_true(src.reads > 1);
	assert_int_equal(r.body_len, 36);
	assert_memory_equal(r.body, body, 36);
	assert_int_equal(r.body[36], '\0');
	assert_int_equal(r.form.count, 3);
	assert_string_equal(kv_get(&r.form, "name"), "Mar\xc3\xad" "a P");
	assert_string_equal(kv_get(&r.form, "email"), "a@b.ec");
	assert_string_equal(kv_get(&r.form, "x"), "1");
}

static void test_body_over_limit_is_413_without_reading(void **state)
{
	static const struct param p[] = {
		{ "REQUEST_METHOD", "POST" },
		{ "CONTENT_TYPE", "application/x-www-form-urlencoded" },
		{ "CONTENT_LENGTH", "1025" },
		{ NULL, NULL },
	};
	struct fake_src src = { 0 };
	struct req r;
	assert_int_equal(head(state, &r, &src, p), 0);
	assert_int_equal(req_read_body(&r, *state, fake_read, 1024), 413);
	assert_int_equal(src.reads, 0);
}

static void test_huge_content_length_is_413_without_allocating(void **state)
{
	static const struct param p[] = {
		{ "REQUEST_METHOD", "POST" },
		{ "CONTENT_LENGTH", "9000000000000000000" },
		{ NULL, NULL },
	};
	struct fake_src src = { 0 };
	struct req r;
	assert_int_equal(head(state, &r, &src, p), 0);
	size_t before = arena_used(*state);
	assert_int_equal(req_read_body(&r, *state, fake_read, 1 << 20), 413);
	assert_int_equal(src.reads, 0);
	assert_int_equal(arena_used(*state), before);
}

static void test_body_exactly_at_limit_is_read(void **state)
{
	static const struct param p[] = {
		{ "REQUEST_METHOD", "POST" },
		{ "CONTENT_TYPE", "application/x-www-form-urlencoded" },
		{ "CONTENT_LENGTH", "3" },
		{ NULL, NULL },
	};
	struct fake_src src = { .chunk = 1 };
	struct req r;
	assert_int_equal(full(state, &r, &src, p, "a=b", 3), 0);
	assert_string_equal(kv_get(&r.form, "a"), "b");
}

static void test_body_shorter_than_content_length_is_400(void **state)
{
	struct fake_src src = { 0 };
	struct req r;
	/* urlencoded_post announces 37 bytes; only 10 come. */
	assert_int_equal(full(state, &r, &src, urlencoded_post, "name=Maria", 1024), 400);
	assert_int_equal(src.pos, 10);
}

static void test_read_error_is_400(void **state)
{
	/* The whole body is there to read, but the reader fails after 9 bytes (a broken
	 * connection): not a short body, an error. No read is tried after it. */
	struct fake_src src = { .fail_at = 9 };
	struct req r;
	const char *body = "name=Maria+Perez&email=ana%40x.ec&x=1";
	assert_int_equal(full(state, &r, &src, urlencoded_post, body, 1024), 400);
	assert_int_equal(src.pos, 9);
	assert_int_equal(src.reads, 4);   /* three reads of 3 bytes, then the failing one */
}

static void test_malformed_urlencoded_body_is_400(void **state)
{
	static const char *const bad[] = { "a=%zz", "a=%4", "a=1&b=%", "=x", "%00=1" };
	for (size_t i = 0; i < nitems(bad); i++) {
		char len[24];
		snprintf(len, sizeof len, "%zu", strlen(bad[i]));
		const struct param p[] = {
			{ "REQUEST_METHOD", "POST" },
			{ "CONTENT_TYPE", "application/x-www-form-urlencoded" },
			{ "CONTENT_LENGTH", len },
			{ NULL, NULL },
		};
		struct fake_src src = { 0 };
		struct req r;
		assert_int_equal(full(state, &r, &src, p, bad[i], 1024), 400);
		assert_int_equal(r.form.count, 0);
	}
}

static void test_too_many_form_fields_is_400(void **state)
{
	size_t n = REQ_MAX_FORM_FIELDS + 1;
	char *body = arena_alloc(*state, n * 4 + 1);
	for (size_t i = 0; i < n; i++)
		memcpy(body + i * 4, "a=1&", 4);
	body[n * 4] = '\0';
	char len[24];
	snprintf(len, sizeof len, "%zu", n * 4);
	const struct param p[] = {
		{ "REQUEST_METHOD", "POST" },
		{ "CONTENT_TYPE", "application/x-www-form-urlencoded" },
		{ "CONTENT_LENGTH", len },
		{ NULL, NULL },
	};
	struct fake_src src = { .chunk = 4096 };
	struct req r;
	assert_int_equal(full(state, &r, &src, p, body, 1 << 20), 400);
}

static const char multipart_body[] =
	"--XyZ\r\n"
	"Content-Disposition: form-data; name=\"practice\"\r\n"
	"\r\n"
	"Cl\xc3\xadnica Sur\r\n"
	"--XyZ\r\n"
	"Content-Disposition: form-data; name=\"file\"; filename=\"pacientes.csv\"\r\n"
	"Content-Type: text/csv\r\n"
	"\r\n"
	"name,phone\r\nAna,+593991234567\r\n"
	"\r\n"
	"--XyZ--\r\n";

static void test_multipart_body_is_parsed(void **state)
{
	char len[24];
	snprintf(len, sizeof len, "%zu", sizeof multipart_body - 1);
	const struct param p[] = {
		{ "REQUEST_METHOD", "POST" },
		{ "CONTENT_TYPE", "multipart/form-data; boundary=XyZ" },
		{ "CONTENT_LENGTH", len },
		{ NULL, NULL },
	};
	struct fake_src src = { .chunk = 7 };
	struct req r;
	assert_int_equal(full(state, &r, &src, p, multipart_body, 1 << 20), 0);
	assert_int_equal(r.form.count, 2);
	assert_string_equal(kv_get(&r.form, "practice"), "Cl\xc3\xadnica Sur");
	const struct kv *f = kv_find(&r.form, "file");
	assert_non_null(f);
	assert_string_equal(f->filename, "pacientes.csv");
	assert_string_equal(f->content_type, "text/csv");
	assert_string_equal(f->value, "name,phone\r\nAna,+593991234567\r\n");
}

static void test_multipart_quoted_boundary_is_parsed(void **state)
{
	char len[24];
	snprintf(len, sizeof len, "%zu", sizeof multipart_body - 1);
	const struct param p[] = {
		{ "REQUEST_METHOD", "POST" },
		{ "CONTENT_TYPE", "Multipart/Form-Data; boundary=\"XyZ\"" },
		{ "CONTENT_LENGTH", len },
		{ NULL, NULL },
	};
	struct fake_src src = { 0 };
	struct req r;
	assert_int_equal(full(state, &r, &src, p, multipart_body, 1 << 20), 0);
	assert_int_equal(r.form.count, 2);
}

static void test_multipart_without_boundary_is_400(void **state)
{
	char len[24];
	snprintf(len, sizeof len, "%zu", sizeof multipart_body - 1);
	const struct param p[] = {
		{ "REQUEST_METHOD", "POST" },
		{ "CONTENT_TYPE", "multipart/form-data" },
		{ "CONTENT_LENGTH", len },
		{ NULL, NULL },
	};
	struct fake_src src = { 0 };
	struct req r;
	assert_int_equal(full(state, &r, &src, p, multipart_body, 1 << 20), 400);
}

static void test_multipart_with_wrong_boundary_is_400(void **state)
{
	char len[24];
	snprintf(len, sizeof len, "%zu", sizeof multipart_body - 1);
	const struct param p[] = {
		{ "REQUEST_METHOD", "POST" },
		{ "CONTENT_TYPE", "multipart/form-data; boundary=other" },
		{ "CONTENT_LENGTH", len },
		{ NULL, NULL },
	};
	struct fake_src src = { 0 };
	struct req r;
	assert_int_equal(full(state, &r, &src, p, multipart_body, 1 << 20), 400);
	assert_int_equal(r.form.count, 0);
}

static void test_multipart_without_closing_delimiter_is_400(void **state)
{
	static const char body[] = "--XyZ\r\n"
				   "Content-Disposition: form-data; name=\"a\"\r\n"
				   "\r\n"
				   "1\r\n";
	char len[24];
	snprintf(len, sizeof len, "%zu", sizeof body - 1);
	const struct param p[] = {
		{ "REQUEST_METHOD", "POST" },
		{ "CONTENT_TYPE", "multipart/form-data; boundary=XyZ" },
		{ "CONTENT_LENGTH", len },
		{ NULL, NULL },
	};
	struct fake_src src = { 0 };
	struct req r;
	assert_int_equal(full(state, &r, &src, p, body, 1 << 20), 400);
}

static void test_json_body_is_left_raw(void **state)
{
	static const char body[] = "{\"a\":\"b=c&d=%zz\"}";
	char len[24];
	snprintf(len, sizeof len, "%zu", sizeof body - 1);
	const struct param p[] = {
		{ "REQUEST_METHOD", "POST" },
		{ "CONTENT_TYPE", "application/json" },
		{ "CONTENT_LENGTH", len },
		{ NULL, NULL },
	};
	struct fake_src src = { 0 };
	struct req r;
	assert_int_equal(full(state, &r, &src, p, body, 1024), 0);
	assert_int_equal(r.form.count, 0);
	assert_int_equal(r.body_len, sizeof body - 1);
	assert_string_equal(r.body, body);
}

static void test_lookalike_content_type_is_not_parsed_as_form(void **state)
{
	/* Only the exact media type counts, not a longer one that starts the same. */
	static const char body[] = "a=%zz";
	const struct param p[] = {
		{ "REQUEST_METHOD", "POST" },
		{ "CONTENT_TYPE", "application/x-www-form-urlencodedX" },
		{ "CONTENT_LENGTH", "5" },
		{ NULL, NULL },
	};
	struct fake_src src = { 0 };
	struct req r;
	assert_int_equal(full(state, &r, &src, p, body, 1024), 0);
	assert_int_equal(r.form.count, 0);
	assert_string_equal(r.body, body);
}

static void test_body_without_content_type_is_left_raw(void **state)
{
	static const struct param p[] = {
		{ "REQUEST_METHOD", "POST" },
		{ "CONTENT_LENGTH", "3" },
		{ NULL, NULL },
	};
	struct fake_src src = { 0 };
	struct req r;
	assert_int_equal(full(state, &r, &src, p, "a=b", 1024), 0);
	assert_int_equal(r.form.count, 0);
	assert_string_equal(r.body, "a=b");
}

static void test_empty_body_parses_to_empty_form(void **state)
{
	static const struct param p[] = {
		{ "REQUEST_METHOD", "POST" },
		{ "CONTENT_TYPE", "application/x-www-form-urlencoded" },
		{ "CONTENT_LENGTH", "0" },
		{ NULL, NULL },
	};
	struct fake_src src = { 0 };
	struct req r;
	assert_int_equal(full(state, &r, &src, p, "", 1024), 0);
	assert_int_equal(r.body_len, 0);
	assert_string_equal(r.body, "");
	assert_int_equal(r.form.count, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_minimal_get_gets_defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_full_head_is_parsed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_head_is_a_safe_method, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_method_is_400, setup, teardown),
		cmocka_unit_test_setup_teardown(test_path_not_starting_with_slash_is_400, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_path_with_invalid_utf8_is_400, setup, teardown),
		cmocka_unit_test_setup_teardown(test_path_with_valid_utf8_is_accepted, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_bad_content_length_is_400, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_content_length_means_none, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_query_with_too_many_fields_is_400, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_query_at_the_field_limit_is_accepted, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_malformed_query_is_400, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cookies_are_parsed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_too_many_cookies_are_ignored_not_refused,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_req_header_maps_http_name_to_cgi_param, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_urlencoded_body_is_read_in_chunks_and_parsed,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_body_over_limit_is_413_without_reading, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_huge_content_length_is_413_without_allocating,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_body_exactly_at_limit_is_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_body_shorter_than_content_length_is_400, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_read_error_is_400, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed_urlencoded_body_is_400, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_too_many_form_fields_is_400, setup, teardown),
		cmocka_unit_test_setup_teardown(test_multipart_body_is_parsed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_multipart_quoted_boundary_is_parsed, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_multipart_without_boundary_is_400, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_multipart_with_wrong_boundary_is_400, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_multipart_without_closing_delimiter_is_400,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_body_is_left_raw, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lookalike_content_type_is_not_parsed_as_form,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_body_without_content_type_is_left_raw, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_empty_body_parses_to_empty_form, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
