/* test_multipart.c: multipart/form-data bodies and the boundary parameter
 * (core/multipart.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "core/arena.h"
#include "core/kv.h"
#include "core/multipart.h"

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

/* Bodies are literals with their exact length (NULs included), boundary "XyZ". */
#define PARSE(a, lit, l) multipart_parse(a, lit, sizeof(lit) - 1, "XyZ", l, 10)

#define CD "Content-Disposition: form-data; "

static const struct kv *nth(const struct kvlist *l, size_t i)
{
	const struct kv *e = l->head;
	while (e && i--)
		e = e->next;
	assert_non_null(e);
	return e;
}

static void assert_part(const struct kvlist *l, size_t i, const char *name,
			const char *value, size_t value_len)
{
	const struct kv *e = nth(l, i);
	assert_string_equal(e->name, name);
	assert_int_equal(e->value_len, value_len);
	assert_memory_equal(e->value, value, value_len);
	assert_int_equal(e->value[value_len], '\0');
}

/* --- the boundary parameter --- */

static void test_boundary_token(void **state)
{
	const char *b = multipart_boundary(*state,
		"multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW");
	assert_non_null(b);
	assert_string_equal(b, "----WebKitFormBoundary7MA4YWxkTrZu0gW");
}

static void test_boundary_quoted(void **state)
{
	assert_string_equal(multipart_boundary(*state,
		"multipart/form-data; boundary=\"a b:c?d\""), "a b:c?d");
	assert_string_equal(multipart_boundary(*state,
		"multipart/form-data;boundary=\"abc\""), "abc");
	/* Escapes in the quoted form are undone. */
	assert_string_equal(multipart_boundary(*state,
		"multipart/form-data; boundary=\"a\\bc\""), "abc");
}

static void test_boundary_case_and_params(void **state)
{
	assert_string_equal(multipart_boundary(*state,
		"Multipart/Form-Data; charset=utf-8; BOUNDARY=xyz ; x=\"1;2\""), "xyz");
	assert_string_equal(multipart_boundary(*state,
		"  multipart/form-data ;  boundary=q  ;"), "q");
}

static void test_boundary_missing_or_bad(void **state)
{
	struct arena *a = *state;
	assert_null(multipart_boundary(a, NULL));
	assert_null(multipart_boundary(a, ""));
	assert_null(multipart_boundary(a, "multipart/form-data"));
	assert_null(multipart_boundary(a, "multipart/form-data; charset=utf-8"));
	assert_null(multipart_boundary(a, "multipart/mixed; boundary=abc"));
	assert_null(multipart_boundary(a, "application/x-www-form-urlencoded"));
	assert_null(multipart_boundary(a, "multipart/form-datax; boundary=abc"));
	assert_null(multipart_boundary(a, "multipart/form-data; boundary="));
	assert_null(multipart_boundary(a, "multipart/form-data; boundary=\"\""));
	assert_null(multipart_boundary(a, "multipart/form-data; boundary=\"abc"));
	assert_null(multipart_boundary(a, "multipart/form-data; boundary=\"ab\\"));
	/* Not a bchar, trailing space, control character. */
	assert_null(multipart_boundary(a, "multipart/form-data; boundary=a*b"));
	assert_null(multipart_boundary(a, "multipart/form-data; boundary=\"ab \""));
	assert_null(multipart_boundary(a, "multipart/form-data; boundary=\"a\x01" "b\""));
	/* Given twice: ambiguous. */
	assert_null(multipart_boundary(a, "multipart/form-data; boundary=a; boundary=b"));
	/* Junk between parameters. */
	assert_null(multipart_boundary(a, "multipart/form-data boundary=abc"));
	assert_null(multipart_boundary(a, "multipart/form-data; boundary=abc junk"));
}

static void test_boundary_length(void **state)
{
	char ct[200];
	char b70[71], b71[72];
	memset(b70, 'b', 70);
	b70[70] = '\0';
	memset(b71, 'b', 71);
	b71[71] = '\0';
	snprintf(ct, sizeof ct, "multipart/form-data; boundary=%s", b70);
	assert_string_equal(multipart_boundary(*state, ct), b70);
	snprintf(ct, sizeof ct, "multipart/form-data; boundary=\"%s\"", b70);
	assert_string_equal(multipart_boundary(*state, ct), b70);
	snprintf(ct, sizeof ct, "multipart/form-data; boundary=%s", b71);
	assert_null(multipart_boundary(*state, ct));
	assert_string_equal(multipart_boundary(*state, "multipart/form-data; boundary=1"), "1");
}

/* --- bodies --- */

static void test_two_fields(void **state)
{
	struct kvlist l = KVLIST_INIT;
	assert_int_equal(PARSE(*state,
		"--XyZ\r\n" CD "name=\"first\"\r\n\r\nMar\xc3\xad" "a\r\n"
		"--XyZ\r\n" CD "name=\"second\"\r\n\r\nline1\r\nline2\r\n"
		"--XyZ--\r\n", &l), 0);
	assert_int_equal(l.count, 2);
	assert_part(&l, 0, "first", "Mar\xc3\xad" "a", 6);
	assert_part(&l, 1, "second", "line1\r\nline2", 12);
	assert_null(nth(&l, 0)->filename);
	assert_null(nth(&l, 0)->content_type);
}

static void test_file_part(void **state)
{
	struct kvlist l = KVLIST_INIT;
	assert_int_equal(PARSE(*state,
		"--XyZ\r\n"
		CD "name=\"csv\"; filename=\"pacientes.csv\"\r\n"
		"Content-Type: text/csv\r\n\r\n"
		"nombre,telefono\r\nJos\xc3\xa9,+593991234567\r\n"
		"\r\n--XyZ--", &l), 0);
	assert_int_equal(l.count, 1);
	const struct kv *e = l.head;
	assert_string_equal(e->filename, "pacientes.csv");
	assert_string_equal(e->content_type, "text/csv");
	const char want[] = "nombre,telefono\r\nJos\xc3\xa9,+593991234567\r\n";
	assert_part(&l, 0, "csv", want, sizeof want - 1);
}

static void test_filename_escapes(void **state)
{
	struct kvlist l = KVLIST_INIT;
	assert_int_equal(PARSE(*state,
		"--XyZ\r\n"
		CD "filename=\"a \\\"quoted\\\"; name=x;.csv\"; name=\"f\"\r\n\r\n"
		"data\r\n--XyZ--", &l), 0);
	assert_string_equal(l.head->filename, "a \"quoted\"; name=x;.csv");
	assert_string_equal(l.head->name, "f");
	/* An empty filename (a file input with nothing chosen) is kept as empty. */
	struct kvlist m = KVLIST_INIT;
	assert_int_equal(PARSE(*state,
		"--XyZ\r\n" CD "name=\"f\"; filename=\"\"\r\n"
		"Content-Type: application/octet-stream\r\n\r\n\r\n--XyZ--", &m), 0);
	assert_non_null(m.head->filename);
	assert_string_equal(m.head->filename, "");
	assert_int_equal(m.head->value_len, 0);
}

static void test_unquoted_name_and_case(void **state)
{
	struct kvlist l = KVLIST_INIT;
	assert_int_equal(PARSE(*state,
		"--XyZ\r\n"
		"content-disposition: FORM-DATA; NAME=plain\r\n"
		"CONTENT-TYPE:text/plain \r\n"
		"X-Other: ignored\r\n\r\n"
		"v\r\n--XyZ--", &l), 0);
	assert_part(&l, 0, "plain", "v", 1);
	assert_string_equal(l.head->content_type, "text/plain");
}

static void test_missing_name(void **state)
{
	struct kvlist l = KVLIST_INIT;
	assert_int_equal(PARSE(*state,
		"--XyZ\r\n" CD "filename=\"a.csv\"\r\n\r\nx\r\n--XyZ--", &l), -1);
	assert_int_equal(PARSE(*state,
		"--XyZ\r\n" CD "name=\"\"\r\n\r\nx\r\n--XyZ--", &l), -1);
	assert_int_equal(PARSE(*state,
		"--XyZ\r\nContent-Type: text/plain\r\n\r\nx\r\n--XyZ--", &l), -1);
	/* No headers at all. */
	assert_int_equal(PARSE(*state, "--XyZ\r\n\r\nx\r\n--XyZ--", &l), -1);
	/* A disposition other than form-data. */
	assert_int_equal(PARSE(*state,
		"--XyZ\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n--XyZ--",
		&l), -1);
	assert_int_equal(l.count, 0);
}

static void test_bad_headers(void **state)
{
	struct kvlist l = KVLIST_INIT;
	/* No colon; space before the colon; folded line; duplicate disposition. */
	assert_int_equal(PARSE(*state,
		"--XyZ\r\n" CD "name=a\r\nbogus\r\n\r\nx\r\n--XyZ--", &l), -1);
	assert_int_equal(PARSE(*state,
		"--XyZ\r\nContent-Disposition : form-data; name=a\r\n\r\nx\r\n--XyZ--", &l), -1);
	assert_int_equal(PARSE(*state,
		"--XyZ\r\n" CD "name=a\r\n filename=b\r\n\r\nx\r\n--XyZ--", &l), -1);
	assert_int_equal(PARSE(*state,
		"--XyZ\r\n" CD "name=a\r\n" CD "name=b\r\n\r\nx\r\n--XyZ--", &l), -1);
	/* Duplicate parameter; unterminated quote; control character in a header. */
	assert_int_equal(PARSE(*state,
		"--XyZ\r\n" CD "name=a; name=b\r\n\r\nx\r\n--XyZ--", &l), -1);
	assert_int_equal(PARSE(*state,
		"--XyZ\r\n" CD "name=\"a\r\n\r\nx\r\n--XyZ--", &l), -1);
	assert_int_equal(PARSE(*state,
		"--XyZ\r\n" CD "name=\"a\0b\"\r\n\r\nx\r\n--XyZ--", &l), -1);
	assert_int_equal(PARSE(*state,
		"--XyZ\r\n" CD "name=\"a\nb\"\r\n\r\nx\r\n--XyZ--", &l), -1);
	/* Headers that never end. */
	assert_int_equal(PARSE(*state, "--XyZ\r\n" CD "name=a\r\n", &l), -1);
	assert_int_equal(l.count, 0);
}

static void test_too_many_params(void **state)
{
	struct kvlist l = KVLIST_INIT;
	/* 16 parameters are accepted, 17 are not. */
	assert_int_equal(PARSE(*state, "--XyZ\r\n" CD "name=a; b=1; c=1; d=1; e=1; f=1; g=1; "
		"h=1; i=1; j=1; k=1; l=1; m=1; n=1; o=1; p=1\r\n\r\nv\r\n--XyZ--", &l), 0);
	assert_int_equal(PARSE(*state, "--XyZ\r\n" CD "name=a; b=1; c=1; d=1; e=1; f=1; g=1; "
		"h=1; i=1; j=1; k=1; l=1; m=1; n=1; o=1; p=1; q=1\r\n\r\nv\r\n--XyZ--", &l),
		-1);
	assert_int_equal(l.count, 1);
}

static void test_headers_too_long(void **state)
{
	struct arena *a = *state;
	size_t pad = 9000;
	const char *head = "--XyZ\r\n" CD "name=a\r\nX-Pad: ";
	const char *tail = "\r\n\r\nv\r\n--XyZ--";
	size_t hl = strlen(head), tl = strlen(tail);
	char *body = arena_alloc(a, hl + pad + tl);
	memcpy(body, head, hl);
	memset(body + hl, 'p', pad);
	memcpy(body + hl + pad, tail, tl);
	struct kvlist l = KVLIST_INIT;
	assert_int_equal(multipart_parse(a, body, hl + pad + tl, "XyZ", &l, 10), -1);
	/* The same with a short pad parses. */
	pad = 100;
	memcpy(body + hl + pad, tail, tl);
	assert_int_equal(multipart_parse(a, body, hl + pad + tl, "XyZ", &l, 10), 0);
	assert_part(&l, 0, "a", "v", 1);
}

static void test_lf_only(void **state)
{
	/* The delimiter is CRLF--boundary (RFC 2046); bare LF bodies are refused. */
	struct kvlist l = KVLIST_INIT;
	assert_int_equal(PARSE(*state,
		"--XyZ\n" CD "name=\"a\"\n\nx\n--XyZ--\n", &l), -1);
	assert_int_equal(PARSE(*state,
		"--XyZ\r\n" CD "name=\"a\"\r\n\r\nx\n--XyZ--\r\n", &l), -1);
	assert_int_equal(l.count, 0);
}

static void test_missing_close(void **state)
{
	struct kvlist l = KVLIST_INIT;
	assert_int_equal(PARSE(*state, "--XyZ\r\n" CD "name=a\r\n\r\nx", &l), -1);
	assert_int_equal(PARSE(*state, "--XyZ\r\n" CD "name=a\r\n\r\nx\r\n--XyZ", &l), -1);
	assert_int_equal(PARSE(*state, "--XyZ\r\n" CD "name=a\r\n\r\nx\r\n--XyZ-", &l), -1);
	assert_int_equal(PARSE(*state, "--XyZ\r\n" CD "name=a\r\n\r\nx\r\n--XyZ\r\n", &l), -1);
	/* The first part is good, the second never closes: nothing is kept. */
	assert_int_equal(PARSE(*state,
		"--XyZ\r\n" CD "name=a\r\n\r\nx\r\n--XyZ\r\n" CD "name=b\r\n\r\ny", &l), -1);
	assert_int_equal(l.count, 0);
	assert_null(l.head);
}

static void test_empty_inputs(void **state)
{
	struct kvlist l = KVLIST_INIT;
	assert_int_equal(multipart_parse(*state, "", 0, "XyZ", &l, 10), -1);
	assert_int_equal(multipart_parse(*state, NULL, 0, "XyZ", &l, 10), -1);
	assert_int_equal(PARSE(*state, "--XyZ", &l), -1);
	assert_int_equal(PARSE(*state, "--Xy", &l), -1);
	/* A form with no parts at all. */
	assert_int_equal(PARSE(*state, "--XyZ--", &l), 0);
	assert_int_equal(PARSE(*state, "--XyZ--\r\n", &l), 0);
	assert_int_equal(l.count, 0);
	/* Bad boundaries. */
	assert_int_equal(multipart_parse(*state, "--XyZ--", 7, NULL, &l, 10), -1);
	assert_int_equal(multipart_parse(*state, "----", 4, "", &l, 10), -1);
}

static void test_empty_parts(void **state)
{
	struct kvlist l = KVLIST_INIT;
	assert_int_equal(PARSE(*state,
		"--XyZ\r\n" CD "name=a\r\n\r\n\r\n"
		"--XyZ\r\n" CD "name=b\r\n\r\n\r\n"
		"--XyZ--", &l), 0);
	assert_int_equal(l.count, 2);
	assert_part(&l, 0, "a", "", 0);
	assert_part(&l, 1, "b", "", 0);
}

static void test_preamble_epilogue(void **state)
{
	struct kvlist l = KVLIST_INIT;
	/* The body must start with the delimiter: no preamble. */
	assert_int_equal(PARSE(*state,
		"preamble\r\n--XyZ\r\n" CD "name=a\r\n\r\nx\r\n--XyZ--", &l), -1);
	assert_int_equal(PARSE(*state,
		"\r\n--XyZ\r\n" CD "name=a\r\n\r\nx\r\n--XyZ--", &l), -1);
	/* An epilogue after the close delimiter is ignored, even one that looks like a
	 * part. */
	assert_int_equal(PARSE(*state,
		"--XyZ\r\n" CD "name=a\r\n\r\nx\r\n--XyZ--\r\nepilogue\r\n"
		"--XyZ\r\n" CD "name=b\r\n\r\ny\r\n--XyZ--", &l), 0);
	assert_int_equal(l.count, 1);
	assert_part(&l, 0, "a", "x", 1);
}

static void test_transport_padding(void **state)
{
	struct kvlist l = KVLIST_INIT;
	assert_int_equal(PARSE(*state,
		"--XyZ \t \r\n" CD "name=a\r\n\r\nx\r\n--XyZ  \r\n" CD "name=b\r\n\r\ny\r\n--XyZ--",
		&l), 0);
	assert_int_equal(l.count, 2);
	assert_part(&l, 1, "b", "y", 1);
}

static void test_boundary_prefix_in_content(void **state)
{
	struct kvlist l = KVLIST_INIT;
	/* Content holding partial delimiters and the boundary followed by more text: none
	 * of these ends the part. */
	assert_int_equal(PARSE(*state,
		"--XyZ\r\n" CD "name=a\r\n\r\n"
		"--XyZ at line start\r\n--Xy\r\n-XyZ\r\n--XyZX\r\n--XyZ-x\r\nXyZ"
		"\r\n--XyZ--", &l), 0);
	assert_int_equal(l.count, 1);
	const char want[] = "--XyZ at line start\r\n--Xy\r\n-XyZ\r\n--XyZX\r\n--XyZ-x\r\nXyZ";
	assert_part(&l, 0, "a", want, sizeof want - 1);
	/* The first delimiter followed by text is not a delimiter. */
	assert_int_equal(PARSE(*state, "--XyZX\r\n" CD "name=a\r\n\r\nx\r\n--XyZ--", &l), -1);
}

static void test_binary_content(void **state)
{
	struct kvlist l = KVLIST_INIT;
	const char body[] = "--XyZ\r\n" CD "name=bin; filename=b.bin\r\n\r\n"
			    "\0\x01\xff\r\n\0\r\n-\0--XyZ\r\n--XyZ--";
	assert_int_equal(multipart_parse(*state, body, sizeof body - 1, "XyZ", &l, 10), 0);
	const char want[] = "\0\x01\xff\r\n\0\r\n-\0--XyZ";
	assert_part(&l, 0, "bin", want, sizeof want - 1);
	assert_string_equal(l.head->filename, "b.bin");
}

static void test_max_parts(void **state)
{
	struct kvlist l = KVLIST_INIT;
	const char body[] = "--XyZ\r\n" CD "name=a\r\n\r\n1\r\n"
			    "--XyZ\r\n" CD "name=b\r\n\r\n2\r\n"
			    "--XyZ\r\n" CD "name=c\r\n\r\n3\r\n--XyZ--";
	assert_int_equal(multipart_parse(*state, body, sizeof body - 1, "XyZ", &l, 2), -1);
	assert_int_equal(l.count, 0);
	assert_int_equal(multipart_parse(*state, body, sizeof body - 1, "XyZ", &l, 3), 0);
	assert_int_equal(l.count, 3);
	assert_part(&l, 2, "c", "3", 1);
	assert_int_equal(multipart_parse(*state, "--XyZ--", 7, "XyZ", &l, 0), 0);
}

static void test_duplicates_and_append(void **state)
{
	struct kvlist l = KVLIST_INIT;
	kv_add(*state, &l, "before", 6, "0", 1);
	assert_int_equal(PARSE(*state,
		"--XyZ\r\n" CD "name=k\r\n\r\n1\r\n--XyZ\r\n" CD "name=k\r\n\r\n2\r\n--XyZ--",
		&l), 0);
	assert_int_equal(l.count, 3);
	assert_part(&l, 1, "k", "1", 1);
	assert_part(&l, 2, "k", "2", 1);
	assert_string_equal(kv_get(&l, "k"), "1");
	assert_ptr_equal(l.tail, nth(&l, 2));
}

static void test_truncated_input_length(void **state)
{
	/* Every prefix of a good body is either refused or parses inside its length. */
	const char body[] = "--XyZ\r\n" CD "name=\"a\"; filename=\"f\\\"x\"\r\n"
			    "Content-Type: text/plain\r\n\r\nhello\r\n--XyZ--";
	size_t n = sizeof body - 1;
	for (size_t i = 0; i < n; i++) {
		struct kvlist l = KVLIST_INIT;
		char *copy = arena_memdup(*state, body, i);
		assert_int_equal(multipart_parse(*state, copy, i, "XyZ", &l, 10), -1);
	}
	struct kvlist l = KVLIST_INIT;
	assert_int_equal(multipart_parse(*state, body, n, "XyZ", &l, 10), 0);
	assert_string_equal(l.head->filename, "f\"x");
}

static void test_with_parsed_boundary(void **state)
{
	const char *b = multipart_boundary(*state, "multipart/form-data; boundary=\"a b\"");
	const char body[] = "--a b\r\n" CD "name=x\r\n\r\ny\r\n--a b--";
	struct kvlist l = KVLIST_INIT;
	assert_int_equal(multipart_parse(*state, body, sizeof body - 1, b, &l, 10), 0);
	assert_part(&l, 0, "x", "y", 1);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_boundary_token),
		T(test_boundary_quoted),
		T(test_boundary_case_and_params),
		T(test_boundary_missing_or_bad),
		T(test_boundary_length),
		T(test_two_fields),
		T(test_file_part),
		T(test_filename_escapes),
		T(test_unquoted_name_and_case),
		T(test_missing_name),
		T(test_bad_headers),
		T(test_too_many_params),
		T(test_headers_too_long),
		T(test_lf_only),
		T(test_missing_close),
		T(test_empty_inputs),
		T(test_empty_parts),
		T(test_preamble_epilogue),
		T(test_transport_padding),
		T(test_boundary_prefix_in_content),
		T(test_binary_content),
		T(test_max_parts),
		T(test_duplicates_and_append),
		T(test_truncated_input_length),
		T(test_with_parsed_boundary),
	};
#undef T
	return cmocka_run_group_tests_name("multipart", tests, NULL, NULL);
}
