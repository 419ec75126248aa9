/* test_pgarray.c: binary PostgreSQL arrays (core/pgarray.h), byte for byte against the
 * layout array_send writes and array_recv reads. test_db.c sends them to the server. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/arena.h"
#include "core/pgarray.h"

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

/* The parameter's bytes equal want (n bytes), and it is marked binary. */
static void assert_bytes(struct db_param p, const unsigned char *want, size_t n)
{
	assert_true(p.binary);
	assert_int_equal(p.len, n);
	assert_memory_equal(p.value, want, n);
}

static void test_int4_header_and_big_endian_elements(void **state)
{
	struct pgarray arr;
	pgarray_init(&arr, PGARRAY_INT4, 2);
	pgarray_add_int4(&arr, 1);
	pgarray_add_int4(&arr, -2);
	static const unsigned char want[] = {
		0, 0, 0, 1,   0, 0, 0, 0,   0, 0, 0, 23,   /* one dimension, no NULL, int4 */
		0, 0, 0, 2,   0, 0, 0, 1,                  /* two elements from index 1 */
		0, 0, 0, 4,   0, 0, 0, 1,
		0, 0, 0, 4,   0xff, 0xff, 0xff, 0xfe,
	};
	assert_bytes(pgarray_param(&arr, *state), want, sizeof want);
}

static void test_empty_array_has_no_dimension(void **state)
{
	struct pgarray arr;
	pgarray_init(&arr, PGARRAY_TEXT, 0);
	static const unsigned char want[] = { 0, 0, 0, 0,  0, 0, 0, 0,  0, 0, 0, 25 };
	assert_bytes(pgarray_param(&arr, *state), want, sizeof want);
}

static void test_text_null_sets_the_flag_and_length_minus_one(void **state)
{
	struct pgarray arr;
	pgarray_init(&arr, PGARRAY_TEXT, 0);   /* a wrong hint only costs reallocations */
	pgarray_add_text(&arr, "ñ");
	pgarray_add_text(&arr, NULL);
	pgarray_add_text(&arr, "");
	static const unsigned char want[] = {
		0, 0, 0, 1,   0, 0, 0, 1,   0, 0, 0, 25,
		0, 0, 0, 3,   0, 0, 0, 1,
		0, 0, 0, 2,   0xc3, 0xb1,                  /* UTF-8 bytes, no terminator */
		0xff, 0xff, 0xff, 0xff,                    /* NULL */
		0, 0, 0, 0,                                /* '' is not NULL */
	};
	assert_bytes(pgarray_param(&arr, *state), want, sizeof want);
}

static void test_bool_and_int8_widths(void **state)
{
	struct pgarray b, t;
	pgarray_init(&b, PGARRAY_BOOL, 2);
	pgarray_add_bool(&b, true);
	pgarray_add_bool(&b, false);
	static const unsigned char want_b[] = {
		0, 0, 0, 1,   0, 0, 0, 0,   0, 0, 0, 16,
		0, 0, 0, 2,   0, 0, 0, 1,
		0, 0, 0, 1,   1,   0, 0, 0, 1,   0,
	};
	assert_bytes(pgarray_param(&b, *state), want_b, sizeof want_b);
	/* 2000-01-01 00:00:01 UTC is one million microseconds; before 2000 is negative. */
	pgarray_init(&t, PGARRAY_TIMESTAMPTZ, 2);
	pgarray_add_int8(&t, 1000000);
	pgarray_add_int8(&t, -1);
	static const unsigned char want_t[] = {
		0, 0, 0, 1,   0, 0, 0, 0,   0, 0, 0x04, 0xa0,   /* 1184 */
		0, 0, 0, 2,   0, 0, 0, 1,
		0, 0, 0, 8,   0, 0, 0, 0, 0, 0x0f, 0x42, 0x40,
		0, 0, 0, 8,   0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	};
	assert_bytes(pgarray_param(&t, *state), want_t, sizeof want_t);
}

static void test_many_elements_grow_the_buffer_and_count(void **state)
{
	struct pgarray arr;
	pgarray_init(&arr, PGARRAY_INT4, 1);
	for (int i = 0; i < 100000; i++)
		pgarray_add_int4(&arr, i);
	struct db_param p = pgarray_param(&arr, *state);
	const unsigned char *u = (const unsigned char *)p.value;
	assert_int_equal(p.len, 20 + 100000 * 8);
	/* The length in the header: 100000 = 0x000186a0. */
	assert_int_equal(u[12], 0);
	assert_int_equal(u[13], 0x01);
	assert_int_equal(u[14], 0x86);
	assert_int_equal(u[15], 0xa0);
	/* The last element, 99999 = 0x0001869f. */
	assert_memory_equal(u + p.len - 4, "\x00\x01\x86\x9f", 4);
}

static void test_release_unused_builder(void **state)
{
	(void)state;
	struct pgarray arr;
	pgarray_init(&arr, PGARRAY_TEXT, 10);
	pgarray_add_text(&arr, "x");
	pgarray_release(&arr);
	assert_int_equal(arr.n, 0);
	assert_int_equal(arr.b.len, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_int4_header_and_big_endian_elements, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_empty_array_has_no_dimension, setup, teardown),
		cmocka_unit_test_setup_teardown(test_text_null_sets_the_flag_and_length_minus_one,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_bool_and_int8_widths, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many_elements_grow_the_buffer_and_count, setup,
						teardown),
		cmocka_unit_test(test_release_unused_builder),
	};
	return cmocka_run_group_tests_name("pgarray", tests, NULL, NULL);
}
