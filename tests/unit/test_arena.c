/* test_arena.c: the per-request arena (core/arena.h). Allocation failure and calloc
 * overflow abort by design and are not exercised here. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "core/arena.h"
#include "core/nitems.h"

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

static void assert_aligned(const void *p)
{
	assert_int_equal((uintptr_t)p % 16, 0);
}

static void test_alignment(void **state)
{
	struct arena *a = *state;
	static const size_t sizes[] = { 0, 1, 3, 15, 16, 17, 31, 33, 100, 4095, 20000, 70000 };
	for (size_t i = 0; i < nitems(sizes); i++) {
		void *p = arena_alloc(a, sizes[i]);
		assert_non_null(p);
		assert_aligned(p);
		memset(p, 0xAB, sizes[i]);   /* ASan checks the whole size is ours */
	}
	assert_aligned(arena_calloc(a, 3, 5));
	assert_aligned(arena_strdup(a, "x"));
	assert_aligned(arena_printf(a, "%d", 7));
}

static void test_zero_size_is_distinct(void **state)
{
	struct arena *a = *state;
	void *p = arena_alloc(a, 0);
	void *q = arena_alloc(a, 0);
	assert_non_null(p);
	assert_non_null(q);
	assert_ptr_not_equal(p, q);
}

static void test_used(void **state)
{
	struct arena *a = *state;
	assert_int_equal(arena_used(a), 0);
	arena_alloc(a, 1);
	assert_int_equal(arena_used(a), 16);   /* rounded to the alignment */
	arena_alloc(a, 16);
	assert_int_equal(arena_used(a), 32);
	arena_alloc(a, 100000);
	assert_true(arena_used(a) >= 100032);
	arena_reset(a);
	assert_int_equal(arena_used(a), 0);
}

/* Many small allocations spill into new blocks; none overlaps another. */
static void test_growth(void **state)
{
	struct arena *a = *state;
	enum { N = 5000, SZ = 40 };
	unsigned char *ptrs[N];
	for (size_t i = 0; i < N; i++) {
		ptrs[i] = arena_alloc(a, SZ);
		memset(ptrs[i], (int)(i & 0xFF), SZ);
	}
	for (size_t i = 0; i < N; i++)
		for (size_t k = 0; k < SZ; k++)
			assert_int_equal(ptrs[i][k], i & 0xFF);
	assert_true(arena_used(a) >= (size_t)N * SZ);
}

/* A large request gets its own block and the current block keeps serving small ones. */
static void test_large_between_small(void **state)
{
	struct arena *a = *state;
	char *s1 = arena_alloc(a, 32);
	memset(s1, 1, 32);
	size_t big = 3 * 1024 * 1024;
	char *l = arena_alloc(a, big);
	memset(l, 2, big);
	char *s2 = arena_alloc(a, 32);
	memset(s2, 3, 32);
	/* s2 follows s1 in the first block, not after the big one. */
	assert_ptr_equal(s2, s1 + 32);
	char *l2 = arena_alloc(a, 20000);   /* above a quarter block: own block too */
	memset(l2, 4, 20000);
	for (size_t i = 0; i < 32; i++) {
		assert_int_equal(s1[i], 1);
		assert_int_equal(s2[i], 3);
	}
	assert_int_equal(l[0], 2);
	assert_int_equal(l[big - 1], 2);
	assert_int_equal(l2[19999], 4);
}

static void test_reset_reuses_first_block(void **state)
{
	struct arena *a = *state;
	void *first = arena_alloc(a, 64);
	for (int i = 0; i < 100; i++)
		arena_alloc(a, 10000);   /* several more blocks */
	arena_alloc(a, 1 << 20);
	arena_reset(a);
	void *again = arena_alloc(a, 64);
	assert_ptr_equal(first, again);
	/* And the arena works normally afterwards. */
	char *s = arena_strdup(a, "after reset");
	assert_string_equal(s, "after reset");
	arena_reset(a);
	arena_reset(a);   /* twice is harmless */
	assert_int_equal(arena_used(a), 0);
}

static void test_zeroed_calloc(void **state)
{
	struct arena *a = *state;
	/* Dirty the first block, reset, then calloc the same memory. */
	memset(arena_alloc(a, 4096), 0xFF, 4096);
	arena_reset(a);
	unsigned char *p = arena_calloc(a, 512, 8);
	for (size_t i = 0; i < 4096; i++)
		assert_int_equal(p[i], 0);
	assert_non_null(arena_calloc(a, 0, 8));
	assert_non_null(arena_calloc(a, 8, 0));
}

static void test_strings(void **state)
{
	struct arena *a = *state;
	const char *src = "hola";
	char *d = arena_strdup(a, src);
	assert_string_equal(d, "hola");
	assert_ptr_not_equal(d, src);
	assert_string_equal(arena_strdup(a, ""), "");

	assert_string_equal(arena_strndup(a, "abcdef", 3), "abc");
	assert_string_equal(arena_strndup(a, "ab", 10), "ab");   /* stops at the NUL */
	assert_string_equal(arena_strndup(a, "abc", 0), "");
	/* strndup never reads past n, even without a NUL there. */
	char raw[3] = { 'x', 'y', 'z' };
	assert_string_equal(arena_strndup(a, raw, 3), "xyz");

	const char bin[] = { 'a', '\0', 'b' };
	char *m = arena_memdup(a, bin, 3);
	assert_memory_equal(m, bin, 3);
	assert_int_equal(m[3], '\0');   /* the NUL added after */
	char *e = arena_memdup(a, NULL, 0);
	assert_non_null(e);
	assert_int_equal(e[0], '\0');
}

static char *call_vprintf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return s;
}

static void test_printf(void **state)
{
	struct arena *a = *state;
	assert_string_equal(arena_printf(a, "%s=%d", "n", 42), "n=42");
	assert_string_equal(arena_printf(a, "%s", ""), "");
	assert_string_equal(call_vprintf(a, "%zu-%c", (size_t)7, 'x'), "7-x");
	/* Longer than a block. */
	size_t n = 100000;
	char *big = arena_alloc(a, n + 1);
	memset(big, 'q', n);
	big[n] = '\0';
	char *s = arena_printf(a, "<%s>", big);
	assert_int_equal(strlen(s), n + 2);
	assert_int_equal(s[0], '<');
	assert_int_equal(s[n + 1], '>');
}

static int order[8];
static int norder;

static void record(void *arg)
{
	order[norder++] = (int)(intptr_t)arg;
}

static void test_cleanups_reverse_order(void **state)
{
	struct arena *a = *state;
	norder = 0;
	arena_cleanup(a, record, (void *)1);
	arena_alloc(a, 200000);   /* cleanups survive blocks being added */
	arena_cleanup(a, record, (void *)2);
	arena_cleanup(a, record, (void *)3);
	assert_int_equal(norder, 0);
	arena_reset(a);
	assert_int_equal(norder, 3);
	assert_int_equal(order[0], 3);
	assert_int_equal(order[1], 2);
	assert_int_equal(order[2], 1);
	/* They ran once: another reset runs nothing. */
	arena_reset(a);
	assert_int_equal(norder, 3);
	/* Registered after a reset, run at the next one. */
	arena_cleanup(a, record, (void *)4);
	arena_reset(a);
	assert_int_equal(norder, 4);
	assert_int_equal(order[3], 4);
}

static void test_cleanups_on_free(void **state)
{
	(void)state;
	struct arena *b = arena_new();
	norder = 0;
	arena_cleanup(b, record, (void *)5);
	arena_cleanup(b, record, (void *)6);
	arena_free(b);
	assert_int_equal(norder, 2);
	assert_int_equal(order[0], 6);
	assert_int_equal(order[1], 5);
	arena_free(NULL);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_alignment),
		T(test_zero_size_is_distinct),
		T(test_used),
		T(test_growth),
		T(test_large_between_small),
		T(test_reset_reuses_first_block),
		T(test_zeroed_calloc),
		T(test_strings),
		T(test_printf),
		T(test_cleanups_reverse_order),
		T(test_cleanups_on_free),
	};
#undef T
	return cmocka_run_group_tests_name("arena", tests, NULL, NULL);
}
