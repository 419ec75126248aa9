/* test_form.c: urlencoded forms, query strings, percent decoding and encoding
 * (core/form.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/form.h"
#include "core/kv.h"

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

/* Parses a string literal (its exact bytes, NULs included) with a generous limit. */
#define PARSE(a, lit, l) form_parse(a, lit, sizeof(lit) - 1, l, 100)

/* The entry at index i, which must exist. */
static const struct kv *nth(const struct kvlist *l, size_t i)
{
	const struct kv *e = l->head;
	while (e && i--)
		e = e->next;
	assert_non_null(e);
	return e;
}

static void assert_entry(const struct kvlist *l, size_t i, const char *name,
			 const char *value, size_t value_len)
{
	const struct kv *e = nth(l, i);
	assert_string_equal(e->name, name);
	assert_int_equal(e->value_len, value_len);
	assert_memory_equal(e->value, value, value_len);
	assert_int_equal(e->value[value_len], '\0');
	assert_null(e->filename);
	assert_null(e->content_type);
}

static void test_empty(void **state)
{
	struct kvlist l = KVLIST_INIT;
	assert_int_equal(form_parse(*state, "", 0, &l, 10), 0);
	assert_int_equal(l.count, 0);
	assert_null(l.head);
	assert_int_equal(form_parse(*state, NULL, 0, &l, 10), 0);
	assert_int_equal(l.count, 0);
	/* Empty input is fine even when no field is allowed. */
	assert_int_equal(form_parse(*state, "", 0, &l, 0), 0);
}

static void test_simple(void **state)
{
	struct kvlist l = KVLIST_INIT;
	assert_int_equal(PARSE(*state, "name=Mar%C3%ADa+P%c3%a9rez&age=42", &l), 0);
	assert_int_equal(l.count, 2);
	assert_entry(&l, 0, "name", "Mar\xc3\xad" "a P\xc3\xa9rez", 13);
	assert_entry(&l, 1, "age", "42", 2);
	assert_string_equal(kv_get(&l, "age"), "42");
	assert_ptr_equal(l.tail, nth(&l, 1));
}

static void test_separators(void **state)
{
	struct kvlist l = KVLIST_INIT;
	assert_int_equal(PARSE(*state, "&&&", &l), 0);
	assert_int_equal(l.count, 0);
	assert_int_equal(PARSE(*state, "&a=1&&b=2&", &l), 0);
	assert_int_equal(l.count, 2);
	assert_entry(&l, 0, "a", "1", 1);
	assert_entry(&l, 1, "b", "2", 1);
}

static void test_no_equals(void **state)
{
	struct kvlist l = KVLIST_INIT;
	assert_int_equal(PARSE(*state, "flag&x=&y", &l), 0);
	assert_int_equal(l.count, 3);
	assert_entry(&l, 0, "flag", "", 0);
	assert_entry(&l, 1, "x", "", 0);
	assert_entry(&l, 2, "y", "", 0);
}

static void test_equals_in_value(void **state)
{
	struct kvlist l = KVLIST_INIT;
	assert_int_equal(PARSE(*state, "t=a=b==&u===", &l), 0);
	assert_entry(&l, 0, "t", "a=b==", 5);
	assert_entry(&l, 1, "u", "==", 2);
}

static void test_empty_name(void **state)
{
	struct kvlist l = KVLIST_INIT;
	assert_int_equal(PARSE(*state, "=", &l), -1);
	assert_int_equal(PARSE(*state, "=value", &l), -1);
	assert_int_equal(PARSE(*state, "a=1&=2", &l), -1);
	assert_int_equal(l.count, 0);
}

static void test_bad_escapes(void **state)
{
	struct kvlist l = KVLIST_INIT;
	assert_int_equal(PARSE(*state, "a=%", &l), -1);
	assert_int_equal(PARSE(*state, "a=%4", &l), -1);
	assert_int_equal(PARSE(*state, "a=%zz", &l), -1);
	assert_int_equal(PARSE(*state, "a=%4g", &l), -1);
	assert_int_equal(PARSE(*state, "a=%g4", &l), -1);
	assert_int_equal(PARSE(*state, "%=1", &l), -1);
	assert_int_equal(PARSE(*state, "a%2=1", &l), -1);
	assert_int_equal(PARSE(*state, "%", &l), -1);
	/* '%' then '&' is not an escape that swallows the separator. */
	assert_int_equal(PARSE(*state, "a=%&b=1", &l), -1);
	/* "%4" right before '&' must not borrow the '&' as its second digit. */
	assert_int_equal(PARSE(*state, "a=%4&6=1", &l), -1);
	/* Good pairs before a bad one leave nothing behind. */
	assert_int_equal(PARSE(*state, "ok=1&bad=%x", &l), -1);
	assert_int_equal(l.count, 0);
	assert_null(l.head);
}

static void test_escape_at_end_of_length(void **state)
{
	/* The input is not NUL-terminated where len ends: "%41" cut to "%4". */
	struct kvlist l = KVLIST_INIT;
	assert_int_equal(form_parse(*state, "a=%41", 4, &l, 10), -1);
	assert_int_equal(form_parse(*state, "a=%41", 5, &l, 10), 0);
	assert_entry(&l, 0, "a", "A", 1);
}

static void test_nul(void **state)
{
	struct kvlist l = KVLIST_INIT;
	/* %00 is allowed in a value and value_len counts past it. */
	assert_int_equal(PARSE(*state, "v=a%00b", &l), 0);
	assert_entry(&l, 0, "v", "a\0b", 3);
	/* Not in a name. */
	assert_int_equal(PARSE(*state, "a%00b=1", &l), -1);
	assert_int_equal(PARSE(*state, "%00=1", &l), -1);
	/* A raw NUL byte is treated the same way. */
	assert_int_equal(PARSE(*state, "w=x\0y", &l), 0);
	assert_entry(&l, 1, "w", "x\0y", 3);
	assert_int_equal(PARSE(*state, "x\0y=1", &l), -1);
	assert_int_equal(l.count, 2);
}

static void test_plus(void **state)
{
	struct kvlist l = KVLIST_INIT;
	assert_int_equal(PARSE(*state, "a+b=c+d&p=%2B&q=+", &l), 0);
	assert_entry(&l, 0, "a b", "c d", 3);
	assert_entry(&l, 1, "p", "+", 1);
	assert_entry(&l, 2, "q", " ", 1);
	/* A name that is only a space is not empty. */
	assert_int_equal(PARSE(*state, "+=x", &l), 0);
	assert_entry(&l, 3, " ", "x", 1);
}

static void test_escaped_separators(void **state)
{
	struct kvlist l = KVLIST_INIT;
	assert_int_equal(PARSE(*state, "a%26b=c%3Dd%26e", &l), 0);
	assert_int_equal(l.count, 1);
	assert_entry(&l, 0, "a&b", "c=d&e", 5);
}

static void test_duplicates_keep_order(void **state)
{
	struct kvlist l = KVLIST_INIT;
	assert_int_equal(PARSE(*state, "k=1&j=x&k=2&k=3", &l), 0);
	assert_int_equal(l.count, 4);
	assert_entry(&l, 0, "k", "1", 1);
	assert_entry(&l, 1, "j", "x", 1);
	assert_entry(&l, 2, "k", "2", 1);
	assert_entry(&l, 3, "k", "3", 1);
	assert_string_equal(kv_get(&l, "k"), "1");
}

static void test_max_fields(void **state)
{
	struct kvlist l = KVLIST_INIT;
	assert_int_equal(form_parse(*state, "a=1&b=2&c=3", 11, &l, 3), 0);
	assert_int_equal(l.count, 3);
	assert_int_equal(form_parse(*state, "a=1&b=2&c=3&d=4", 15, &l, 3), -1);
	assert_int_equal(l.count, 3);   /* unchanged */
	assert_int_equal(form_parse(*state, "a=1", 3, &l, 0), -1);
	/* Empty pairs do not count. */
	assert_int_equal(form_parse(*state, "&&a=1&&", 7, &l, 1), 0);
	assert_int_equal(l.count, 4);
}

static void test_appends(void **state)
{
	struct kvlist l = KVLIST_INIT;
	assert_int_equal(PARSE(*state, "q=1", &l), 0);
	assert_int_equal(PARSE(*state, "f=2&g=3", &l), 0);
	assert_int_equal(l.count, 3);
	assert_entry(&l, 0, "q", "1", 1);
	assert_entry(&l, 2, "g", "3", 1);
	assert_ptr_equal(l.tail, nth(&l, 2));
	assert_null(l.tail->next);
}

static void test_long_name(void **state)
{
	size_t n = 200000;
	char *s = arena_alloc(*state, n + 3);
	memset(s, 'n', n);
	memcpy(s + n, "=v", 2);
	struct kvlist l = KVLIST_INIT;
	assert_int_equal(form_parse(*state, s, n + 2, &l, 10), 0);
	assert_int_equal(strlen(l.head->name), n);
	assert_entry(&l, 0, l.head->name, "v", 1);
	/* A long value made only of escapes. */
	size_t m = 30000;
	char *t = arena_alloc(*state, 2 + 3 * m);
	memcpy(t, "x=", 2);
	for (size_t i = 0; i < m; i++)
		memcpy(t + 2 + 3 * i, "%FF", 3);
	assert_int_equal(form_parse(*state, t, 2 + 3 * m, &l, 10), 0);
	assert_int_equal(l.tail->value_len, m);
	assert_int_equal((unsigned char)l.tail->value[m - 1], 0xFF);
}

static void test_decode(void **state)
{
	size_t n = 99;
	char *s = form_decode(*state, "a+b%20c", 7, 0, &n);
	assert_non_null(s);
	assert_int_equal(n, 5);
	assert_string_equal(s, "a+b c");
	s = form_decode(*state, "a+b%20c", 7, 1, &n);
	assert_string_equal(s, "a b c");
	s = form_decode(*state, "", 0, 1, &n);
	assert_non_null(s);
	assert_int_equal(n, 0);
	assert_string_equal(s, "");
	s = form_decode(*state, "%00%ff%Ff", 9, 1, &n);
	assert_int_equal(n, 3);
	assert_memory_equal(s, "\0\xff\xff", 3);
	/* out_len is optional. */
	assert_string_equal(form_decode(*state, "x%41", 4, 1, NULL), "xA");
	assert_null(form_decode(*state, "%", 1, 1, &n));
	assert_null(form_decode(*state, "%4", 2, 1, &n));
	assert_null(form_decode(*state, "%zz", 3, 1, &n));
	assert_null(form_decode(*state, "ab%-1", 5, 1, &n));
	assert_null(form_decode(*state, "%+1", 3, 1, &n));
}

static void test_encode(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	form_encode(&b, "AZaz09-._~", 10);
	assert_string_equal(b.buf, "AZaz09-._~");
	buf_reset(&b);
	form_encode(&b, "/login?next=a b&c+d", 19);
	assert_string_equal(b.buf, "%2Flogin%3Fnext%3Da%20b%26c%2Bd");
	buf_reset(&b);
	form_encode(&b, "\0\xff\xc3\xb1", 4);
	assert_string_equal(b.buf, "%00%FF%C3%B1");
	buf_reset(&b);
	form_encode(&b, "", 0);
	assert_int_equal(b.len, 0);
	/* Appends. */
	buf_adds(&b, "next=");
	form_encode(&b, "/x y", 4);
	assert_string_equal(b.buf, "next=%2Fx%20y");
	buf_release(&b);
}

static void test_encode_roundtrip_all_bytes(void **state)
{
	char all[256];
	for (int i = 0; i < 256; i++)
		all[i] = (char)i;
	struct buf b = BUF_INIT;
	form_encode(&b, all, sizeof all);
	for (int plus = 0; plus <= 1; plus++) {
		size_t n;
		char *d = form_decode(*state, b.buf, b.len, plus, &n);
		assert_non_null(d);
		assert_int_equal(n, sizeof all);
		assert_memory_equal(d, all, sizeof all);
	}
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_simple, setup, teardown),
		cmocka_unit_test_setup_teardown(test_separators, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_equals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_equals_in_value, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_name, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_escapes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_escape_at_end_of_length, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nul, setup, teardown),
		cmocka_unit_test_setup_teardown(test_plus, setup, teardown),
		cmocka_unit_test_setup_teardown(test_escaped_separators, setup, teardown),
		cmocka_unit_test_setup_teardown(test_duplicates_keep_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_max_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_appends, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_name, setup, teardown),
		cmocka_unit_test_setup_teardown(test_decode, setup, teardown),
		cmocka_unit_test_setup_teardown(test_encode, setup, teardown),
		cmocka_unit_test_setup_teardown(test_encode_roundtrip_all_bytes, setup, teardown),
	};
	return cmocka_run_group_tests_name("form", tests, NULL, NULL);
}
