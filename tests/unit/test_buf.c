/* test_buf.c: the growable buffer (core/buf.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/buf.h"

static void test_init(void **state)
{
	(void)state;
	struct buf a = BUF_INIT;
	assert_ptr_equal(a.buf, buf_empty);
	assert_int_equal(a.len, 0);
	assert_int_equal(a.alloc, 0);
	assert_string_equal(a.buf, "");
	struct buf b;
	buf_init(&b);
	assert_ptr_equal(b.buf, buf_empty);
	/* Reset and release of a buffer that never allocated touch nothing. */
	buf_reset(&b);
	buf_release(&b);
	assert_ptr_equal(b.buf, buf_empty);
	assert_int_equal(buf_empty[0], '\0');
}

static void test_add(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	buf_adds(&b, "hola");
	buf_addch(&b, ' ');
	buf_add(&b, "mundo!!", 5);
	assert_int_equal(b.len, 10);
	assert_string_equal(b.buf, "hola mundo");
	assert_true(b.alloc > b.len);
	buf_add(&b, NULL, 0);
	assert_int_equal(b.len, 10);
	buf_release(&b);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.alloc, 0);
}

static void test_nuls(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	buf_add(&b, "a\0b", 3);
	buf_addch(&b, '\0');
	buf_addch(&b, 'c');
	assert_int_equal(b.len, 5);
	assert_memory_equal(b.buf, "a\0b\0c", 5);
	assert_int_equal(b.buf[5], '\0');
	buf_release(&b);
}

static void test_growth(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	for (int i = 0; i < 100000; i++) {
		buf_addch(&b, 'a' + i % 26);
		assert_int_equal(b.buf[b.len], '\0');
	}
	assert_int_equal(b.len, 100000);
	assert_true(b.alloc >= 100001);
	for (int i = 0; i < 100000; i++)
		assert_int_equal(b.buf[i], 'a' + i % 26);
	/* One large add. */
	size_t big = 5 * 1024 * 1024;
	char *blob = malloc(big);
	memset(blob, 'z', big);
	buf_add(&b, blob, big);
	assert_int_equal(b.len, 100000 + big);
	assert_int_equal(b.buf[b.len - 1], 'z');
	assert_int_equal(b.buf[b.len], '\0');
	free(blob);
	buf_release(&b);
}

static void test_grow(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	buf_grow(&b, 0);   /* allocates, leaves it empty and terminated */
	assert_true(b.alloc >= 1);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.buf, "");
	buf_grow(&b, 1000);
	assert_true(b.alloc >= 1001);
	assert_int_equal(b.len, 0);
	char *before = b.buf;
	size_t alloc = b.alloc;
	buf_add(&b, "x", 1);
	buf_grow(&b, 10);   /* already room: no move */
	assert_ptr_equal(b.buf, before);
	assert_int_equal(b.alloc, alloc);
	buf_release(&b);
}

/* The first allocation is 64 bytes: printf must be exact on both sides of it. */
static void test_printf_across_64(void **state)
{
	(void)state;
	char s63[64], s64[65];
	memset(s63, 'x', 63);
	s63[63] = '\0';
	memset(s64, 'y', 64);
	s64[64] = '\0';

	struct buf a = BUF_INIT;
	buf_printf(&a, "%s", s63);   /* 63 + NUL fills 64 exactly */
	assert_int_equal(a.len, 63);
	assert_string_equal(a.buf, s63);
	buf_printf(&a, "%c", 'z');   /* now it must grow */
	assert_int_equal(a.len, 64);
	assert_int_equal(a.buf[63], 'z');
	assert_int_equal(a.buf[64], '\0');
	buf_release(&a);

	struct buf b = BUF_INIT;
	buf_printf(&b, "%s", s64);   /* 64 + NUL does not fit the first 64 */
	assert_int_equal(b.len, 64);
	assert_string_equal(b.buf, s64);
	buf_release(&b);

	struct buf c = BUF_INIT;
	buf_adds(&c, "0123456789");                 /* allocated, 10 used */
	buf_printf(&c, "%s|%d|%s", s63, 12345, "end");  /* crosses 64 mid-format */
	assert_int_equal(c.len, 10 + 63 + 1 + 5 + 1 + 3);
	assert_memory_equal(c.buf, "0123456789", 10);
	assert_memory_equal(c.buf + 10, s63, 63);
	assert_string_equal(c.buf + 73, "|12345|end");
	buf_release(&c);

	struct buf d = BUF_INIT;
	buf_printf(&d, "%s", "");   /* an empty format result still leaves a valid buf */
	assert_int_equal(d.len, 0);
	assert_string_equal(d.buf, "");
	buf_printf(&d, "%d-%s", 7, "x");
	assert_string_equal(d.buf, "7-x");
	buf_release(&d);
}

static void test_printf_many(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	for (int i = 0; i < 1000; i++)
		buf_printf(&b, "%04d,", i);
	assert_int_equal(b.len, 5000);
	assert_memory_equal(b.buf, "0000,0001,", 10);
	assert_string_equal(b.buf + 4995, "0999,");
	buf_release(&b);
}

static void test_reset_keeps_allocation(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	buf_adds(&b, "some text that is here");
	char *p = b.buf;
	size_t alloc = b.alloc;
	buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.buf, "");
	assert_ptr_equal(b.buf, p);
	assert_int_equal(b.alloc, alloc);
	buf_adds(&b, "new");
	assert_string_equal(b.buf, "new");
	buf_release(&b);
}

static void test_detach(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	buf_add(&b, "abc\0d", 5);
	size_t len = 0;
	char *s = buf_detach(&b, &len);
	assert_int_equal(len, 5);
	assert_memory_equal(s, "abc\0d", 6);
	assert_ptr_equal(b.buf, buf_empty);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.alloc, 0);
	free(s);

	/* An empty buffer still hands over something free() accepts. */
	char *e = buf_detach(&b, &len);
	assert_non_null(e);
	assert_ptr_not_equal(e, buf_empty);
	assert_int_equal(len, 0);
	assert_string_equal(e, "");
	free(e);

	/* len is optional; the buffer is reusable afterwards. */
	buf_adds(&b, "x");
	char *x = buf_detach(&b, NULL);
	assert_string_equal(x, "x");
	free(x);
	buf_adds(&b, "again");
	assert_string_equal(b.buf, "again");
	buf_release(&b);
}

static void test_release_twice(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	buf_adds(&b, "x");
	buf_release(&b);
	buf_release(&b);
	assert_ptr_equal(b.buf, buf_empty);
	buf_adds(&b, "y");
	assert_string_equal(b.buf, "y");
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init),
		cmocka_unit_test(test_add),
		cmocka_unit_test(test_nuls),
		cmocka_unit_test(test_growth),
		cmocka_unit_test(test_grow),
		cmocka_unit_test(test_printf_across_64),
		cmocka_unit_test(test_printf_many),
		cmocka_unit_test(test_reset_keeps_allocation),
		cmocka_unit_test(test_detach),
		cmocka_unit_test(test_release_twice),
	};
	return cmocka_run_group_tests_name("buf", tests, NULL, NULL);
}
