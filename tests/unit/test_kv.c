/* test_kv.c: ordered name/value lists (core/kv.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "core/arena.h"
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

static void test_empty_list(void **state)
{
	(void)state;
	struct kvlist l = KVLIST_INIT;
	assert_null(kv_find(&l, "x"));
	assert_null(kv_get(&l, "x"));
	assert_null(kv_find_nocase(&l, "x"));
	assert_int_equal(l.count, 0);
}

static void test_add_copies(void **state)
{
	struct kvlist l = KVLIST_INIT;
	char name[] = "nameXXX";   /* only 4 bytes of it are the name */
	char value[] = "val";
	struct kv *e = kv_add(*state, &l, name, 4, value, 3);
	name[0] = 'N';
	value[0] = 'V';
	assert_string_equal(e->name, "name");
	assert_string_equal(e->value, "val");
	assert_int_equal(e->value_len, 3);
	assert_null(e->filename);
	assert_null(e->content_type);
	assert_null(e->next);
	assert_ptr_equal(l.head, e);
	assert_ptr_equal(l.tail, e);
	assert_int_equal(l.count, 1);
}

static void test_values_with_nuls(void **state)
{
	struct kvlist l = KVLIST_INIT;
	struct kv *e = kv_add(*state, &l, "b", 1, "x\0y\0", 4);
	assert_int_equal(e->value_len, 4);
	assert_memory_equal(e->value, "x\0y\0", 4);
	assert_int_equal(e->value[4], '\0');
	struct kv *z = kv_add(*state, &l, "z", 1, "", 0);
	assert_int_equal(z->value_len, 0);
	assert_string_equal(z->value, "");
}

static void test_order_and_duplicates(void **state)
{
	struct kvlist l = KVLIST_INIT;
	struct kv *a1 = kv_add(*state, &l, "a", 1, "1", 1);
	struct kv *b = kv_add(*state, &l, "b", 1, "2", 1);
	struct kv *a2 = kv_add(*state, &l, "a", 1, "3", 1);
	assert_int_equal(l.count, 3);
	assert_ptr_equal(l.head, a1);
	assert_ptr_equal(a1->next, b);
	assert_ptr_equal(b->next, a2);
	assert_ptr_equal(l.tail, a2);
	assert_ptr_equal(kv_find(&l, "a"), a1);   /* first wins */
	assert_string_equal(kv_get(&l, "a"), "1");
	assert_string_equal(kv_get(&l, "b"), "2");
	assert_null(kv_find(&l, "c"));
	assert_null(kv_find(&l, ""));
	assert_null(kv_find(&l, "aa"));
}

static void test_case(void **state)
{
	struct kvlist l = KVLIST_INIT;
	kv_add(*state, &l, "Content-Type", 12, "text/csv", 8);
	kv_add(*state, &l, "content-type", 12, "second", 6);
	assert_null(kv_find(&l, "CONTENT-TYPE"));
	assert_string_equal(kv_get(&l, "content-type"), "second");
	const struct kv *e = kv_find_nocase(&l, "CONTENT-type");
	assert_non_null(e);
	assert_string_equal(e->value, "text/csv");   /* first, whatever its case */
	assert_null(kv_find_nocase(&l, "content-typ"));
}

static void test_many(void **state)
{
	struct kvlist l = KVLIST_INIT;
	for (int i = 0; i < 2000; i++) {
		char *n = arena_printf(*state, "k%d", i);
		kv_add(*state, &l, n, strlen(n), n, strlen(n));
	}
	assert_int_equal(l.count, 2000);
	assert_string_equal(kv_get(&l, "k1999"), "k1999");
	assert_string_equal(l.tail->name, "k1999");
}

static void test_splice_moves_everything_in_order(void **state)
{
	struct kvlist dst = KVLIST_INIT, src = KVLIST_INIT, empty = KVLIST_INIT;
	kv_add(*state, &dst, "a", 1, "1", 1);
	kv_add(*state, &src, "b", 1, "2", 1);
	kv_add(*state, &src, "c", 1, "3", 1);
	kv_splice(&dst, &empty);
	assert_int_equal(dst.count, 1);
	kv_splice(&dst, &src);
	assert_int_equal(dst.count, 3);
	assert_string_equal(dst.head->next->name, "b");
	assert_string_equal(dst.tail->name, "c");
	assert_null(dst.tail->next);
	assert_null(src.head);
	assert_int_equal(src.count, 0);
	/* Into an empty list. */
	struct kvlist fresh = KVLIST_INIT;
	kv_splice(&fresh, &dst);
	assert_int_equal(fresh.count, 3);
	assert_string_equal(fresh.head->name, "a");
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_empty_list),
		T(test_add_copies),
		T(test_values_with_nuls),
		T(test_order_and_duplicates),
		T(test_case),
		T(test_many),
		T(test_splice_moves_everything_in_order),
	};
#undef T
	return cmocka_run_group_tests_name("kv", tests, NULL, NULL);
}
