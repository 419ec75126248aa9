/* test_cookie.c: the Cookie request header (core/cookie.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "core/arena.h"
#include "core/cookie.h"
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

static const struct kv *nth(const struct kvlist *l, size_t i)
{
	const struct kv *e = l->head;
	while (e && i--)
		e = e->next;
	assert_non_null(e);
	return e;
}

static void assert_cookie(const struct kvlist *l, size_t i, const char *name,
			  const char *value)
{
	const struct kv *e = nth(l, i);
	assert_string_equal(e->name, name);
	assert_string_equal(e->value, value);
	assert_int_equal(e->value_len, strlen(value));
	assert_null(e->filename);
	assert_null(e->content_type);
}

static void test_null_and_empty(void **state)
{
	struct kvlist l = KVLIST_INIT;
	assert_int_equal(cookie_parse(*state, NULL, &l, 10), 0);
	assert_int_equal(cookie_parse(*state, "", &l, 10), 0);
	assert_int_equal(cookie_parse(*state, "   ", &l, 10), 0);
	assert_int_equal(cookie_parse(*state, ";;; ;", &l, 10), 0);
	assert_int_equal(l.count, 0);
	assert_null(l.head);
}

static void test_simple(void **state)
{
	struct kvlist l = KVLIST_INIT;
	assert_int_equal(cookie_parse(*state, "sid=abc123; theme=dark", &l, 10), 2);
	assert_int_equal(l.count, 2);
	assert_cookie(&l, 0, "sid", "abc123");
	assert_cookie(&l, 1, "theme", "dark");
	assert_string_equal(kv_get(&l, "theme"), "dark");
}

static void test_spaces(void **state)
{
	struct kvlist l = KVLIST_INIT;
	/* No space after ';', several spaces, tabs, spaces around '='. */
	assert_int_equal(cookie_parse(*state, "a=1;b=2;   c=3 ;\td=4\t; e = 5 ", &l, 10), 5);
	assert_cookie(&l, 0, "a", "1");
	assert_cookie(&l, 1, "b", "2");
	assert_cookie(&l, 2, "c", "3");
	assert_cookie(&l, 3, "d", "4");
	assert_cookie(&l, 4, "e", "5");
	/* Inner spaces stay, as browsers keep them. */
	assert_int_equal(cookie_parse(*state, "f=hello world", &l, 10), 1);
	assert_cookie(&l, 5, "f", "hello world");
}

static void test_quoted(void **state)
{
	struct kvlist l = KVLIST_INIT;
	assert_int_equal(cookie_parse(*state, "q=\"abc\"; e=\"\"; h=\"half; o=\"; x=a\"b\"",
				      &l, 10), 5);
	assert_cookie(&l, 0, "q", "abc");
	assert_cookie(&l, 1, "e", "");
	assert_cookie(&l, 2, "h", "\"half");   /* unbalanced: kept as sent */
	assert_cookie(&l, 3, "o", "\"");       /* one quote is not a pair */
	assert_cookie(&l, 4, "x", "a\"b\"");
}

static void test_empty_value(void **state)
{
	struct kvlist l = KVLIST_INIT;
	assert_int_equal(cookie_parse(*state, "a=; b=  ;c=", &l, 10), 3);
	assert_cookie(&l, 0, "a", "");
	assert_cookie(&l, 1, "b", "");
	assert_cookie(&l, 2, "c", "");
}

static void test_equals_in_value(void **state)
{
	struct kvlist l = KVLIST_INIT;
	assert_int_equal(cookie_parse(*state, "tok=YWJj==; u==x; v=a=b", &l, 10), 3);
	assert_cookie(&l, 0, "tok", "YWJj==");
	assert_cookie(&l, 1, "u", "=x");
	assert_cookie(&l, 2, "v", "a=b");
}

static void test_skipped(void **state)
{
	struct kvlist l = KVLIST_INIT;
	/* No '=', empty name, blank name. */
	assert_int_equal(cookie_parse(*state, "lonely; =v; \t=w; ok=1; also", &l, 10), 1);
	assert_int_equal(l.count, 1);
	assert_cookie(&l, 0, "ok", "1");
}

static void test_controls(void **state)
{
	struct kvlist l = KVLIST_INIT;
	assert_int_equal(cookie_parse(*state,
				      "a=x\x01y; b\x7f=1; c=\r\n; d=\x1b[0m; e=ok; f=tab\tin", &l,
				      10), 1);
	assert_cookie(&l, 0, "e", "ok");
	/* DEL in a value too. */
	assert_int_equal(cookie_parse(*state, "g=\x7f", &l, 10), 0);
	assert_int_equal(l.count, 1);
}

static void test_duplicates(void **state)
{
	struct kvlist l = KVLIST_INIT;
	assert_int_equal(cookie_parse(*state, "sid=first; x=1; sid=second", &l, 10), 3);
	assert_string_equal(kv_get(&l, "sid"), "first");
	assert_cookie(&l, 2, "sid", "second");
	/* Names are case-sensitive. */
	assert_int_equal(cookie_parse(*state, "SID=upper", &l, 10), 1);
	assert_string_equal(kv_get(&l, "sid"), "first");
	assert_string_equal(kv_get(&l, "SID"), "upper");
}

static void test_max_cookies(void **state)
{
	struct kvlist l = KVLIST_INIT;
	assert_int_equal(cookie_parse(*state, "a=1; b=2; c=3; d=4", &l, 2), 2);
	assert_int_equal(l.count, 2);
	assert_cookie(&l, 0, "a", "1");
	assert_cookie(&l, 1, "b", "2");
	/* Skipped pairs do not use up the limit. */
	assert_int_equal(cookie_parse(*state, "bad; =x; e=5; f=6", &l, 1), 1);
	assert_cookie(&l, 2, "e", "5");
	assert_int_equal(cookie_parse(*state, "g=7", &l, 0), 0);
	assert_int_equal(l.count, 3);
}

static void test_appends(void **state)
{
	struct kvlist l = KVLIST_INIT;
	assert_int_equal(cookie_parse(*state, "a=1", &l, 5), 1);
	assert_int_equal(cookie_parse(*state, "b=2", &l, 5), 1);
	assert_int_equal(l.count, 2);
	assert_ptr_equal(l.tail, nth(&l, 1));
}

static void test_not_decoded(void **state)
{
	struct kvlist l = KVLIST_INIT;
	assert_int_equal(cookie_parse(*state, "p=a%20b+c; n=Mar\xc3\xad" "a", &l, 5), 2);
	assert_cookie(&l, 0, "p", "a%20b+c");
	assert_cookie(&l, 1, "n", "Mar\xc3\xad" "a");
}

static void test_long(void **state)
{
	size_t n = 100000;
	char *h = arena_alloc(*state, n + 16);
	memcpy(h, "big=", 4);
	memset(h + 4, 'v', n);
	memcpy(h + 4 + n, "; s=1", 6);
	struct kvlist l = KVLIST_INIT;
	assert_int_equal(cookie_parse(*state, h, &l, 5), 2);
	assert_int_equal(l.head->value_len, n);
	assert_cookie(&l, 1, "s", "1");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_null_and_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_simple, setup, teardown),
		cmocka_unit_test_setup_teardown(test_spaces, setup, teardown),
		cmocka_unit_test_setup_teardown(test_quoted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_value, setup, teardown),
		cmocka_unit_test_setup_teardown(test_equals_in_value, setup, teardown),
		cmocka_unit_test_setup_teardown(test_skipped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_controls, setup, teardown),
		cmocka_unit_test_setup_teardown(test_duplicates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_max_cookies, setup, teardown),
		cmocka_unit_test_setup_teardown(test_appends, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_decoded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long, setup, teardown),
	};
	return cmocka_run_group_tests_name("cookie", tests, NULL, NULL);
}
