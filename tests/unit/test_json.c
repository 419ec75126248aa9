/* test_json.c: json.c: the WhatsApp webhook shape, path lookups that miss in every way,
 * and the parser's refusals (depth, size, UTF-8, trailing bytes, NUL). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/json.h"
#include "core/log.h"
#include "core/nitems.h"

/* The webhook POST shape from PROVIDERS.md, a message and two statuses in one change. */
static const char whatsapp_sample[] =
	"{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"102290129340398\","
	"\"changes\":[{\"field\":\"messages\",\"value\":{\"messaging_product\":\"whatsapp\","
	"\"metadata\":{\"display_phone_number\":\"593991234567\","
	"\"phone_number_id\":\"106540352242922\"},"
	"\"contacts\":[{\"profile\":{\"name\":\"Mar\xc3\xad" "a\"},\"wa_id\":\"593987654321\"}],"
	"\"messages\":[{\"from\":\"593987654321\",\"id\":\"wamid.HBgMNTkzOTg3NjU0MzIx\","
	"\"timestamp\":\"1700000000\",\"type\":\"text\",\"text\":{\"body\":\"5 gracias\"}}],"
	"\"statuses\":[{\"id\":\"wamid.STATUS1\",\"status\":\"delivered\",\"timestamp\":1700000050,"
	"\"recipient_id\":\"593987654321\"},{\"id\":\"wamid.STATUS2\",\"status\":\"read\","
	"\"timestamp\":\"1700000060\",\"recipient_id\":\"593987654321\"}]}}]}]}";

#define MAX 65536

static struct json_object *parse_str(const char *s)
{
	return json_parse(s, strlen(s), MAX);
}

static void assert_refused(const char *s, size_t len)
{
	struct json_object *o = json_parse(s, len, MAX);
	assert_null(o);
}

static void test_whatsapp_sample(void **state)
{
	(void)state;
	struct json_object *o = parse_str(whatsapp_sample);
	assert_non_null(o);
	const char *v = "entry.0.changes.0.value";
	char p[128];
	snprintf(p, sizeof p, "%s.messages.0.text.body", v);
	assert_string_equal(json_path_str(o, p), "5 gracias");
	snprintf(p, sizeof p, "%s.messages.0.from", v);
	assert_string_equal(json_path_str(o, p), "593987654321");
	snprintf(p, sizeof p, "%s.statuses.0.id", v);
	assert_string_equal(json_path_str(o, p), "wamid.STATUS1");
	snprintf(p, sizeof p, "%s.statuses.1.status", v);
	assert_string_equal(json_path_str(o, p), "read");
	snprintf(p, sizeof p, "%s.metadata.phone_number_id", v);
	assert_string_equal(json_path_str(o, p), "106540352242922");
	snprintf(p, sizeof p, "%s.contacts.0.profile.name", v);
	assert_string_equal(json_path_str(o, p), "Mar\xc3\xad" "a");
	snprintf(p, sizeof p, "%s.statuses", v);
	assert_int_equal(json_path_len(o, p), 2);
	snprintf(p, sizeof p, "%s.messages", v);
	assert_int_equal(json_path_len(o, p), 1);
	assert_int_equal(json_path_len(o, "entry"), 1);
	snprintf(p, sizeof p, "%s.statuses.0.timestamp", v);
	assert_int_equal(json_path_int(o, p, -1), 1700000050);
	/* A number sent as a string is not an integer. */
	snprintf(p, sizeof p, "%s.statuses.1.timestamp", v);
	assert_int_equal(json_path_int(o, p, -1), -1);
	assert_string_equal(json_path_str(o, "object"), "whatsapp_business_account");
	assert_ptr_equal(json_path(o, ""), o);
	json_object_put(o);
}

static void test_missing_paths(void **state)
{
	(void)state;
	struct json_object *o = parse_str(whatsapp_sample);
	assert_non_null(o);
	assert_null(json_path(o, "nope"));
	assert_null(json_path(o, "entry.0.nope"));
	assert_null(json_path(o, "entry.0.changes.0.value.messages.0.text.body.more"));
	assert_null(json_path_str(o, "entry.0.changes.0.value.messages.0.image.id"));
	/* Empty components. */
	assert_null(json_path(o, "."));
	assert_null(json_path(o, ".entry"));
	assert_null(json_path(o, "entry."));
	assert_null(json_path(o, "entry..0"));
	/* Case matters; no trimming. */
	assert_null(json_path(o, "Entry"));
	assert_null(json_path(o, " entry"));
	/* NULL root or path. */
	assert_null(json_path(NULL, "entry"));
	assert_null(json_path(o, NULL));
	assert_null(json_path_str(NULL, "x"));
	assert_int_equal(json_path_int(NULL, "x", 7), 7);
	assert_int_equal(json_path_len(NULL, "x"), 0);
	json_object_put(o);
}

static void test_wrong_types(void **state)
{
	(void)state;
	struct json_object *o = parse_str(
		"{\"s\":\"12\",\"i\":12,\"d\":1.5,\"b\":true,\"n\":null,\"a\":[1,2],"
		"\"o\":{\"k\":\"v\"},\"big\":18446744073709551615,\"neg\":-42,"
		"\"min\":-9223372036854775808,\"max\":9223372036854775807}");
	assert_non_null(o);
	assert_null(json_path_str(o, "i"));
	assert_null(json_path_str(o, "a"));
	assert_null(json_path_str(o, "o"));
	assert_null(json_path_str(o, "n"));
	assert_null(json_path_str(o, "b"));
	assert_int_equal(json_path_int(o, "s", 99), 99);
	assert_int_equal(json_path_int(o, "d", 99), 99);
	assert_int_equal(json_path_int(o, "b", 99), 99);
	assert_int_equal(json_path_int(o, "n", 99), 99);
	assert_int_equal(json_path_int(o, "a", 99), 99);
	assert_int_equal(json_path_int(o, "i", 99), 12);
	assert_int_equal(json_path_int(o, "neg", 99), -42);
	assert_true(json_path_int(o, "min", 99) == INT64_MIN);
	assert_true(json_path_int(o, "max", 99) == INT64_MAX);
	/* Past long long: the default, not a clamped value. */
	assert_int_equal(json_path_int(o, "big", 99), 99);
	assert_int_equal(json_path_len(o, "o"), 0);
	assert_int_equal(json_path_len(o, "s"), 0);
	assert_int_equal(json_path_len(o, "a"), 2);
	/* Stepping into a scalar or through null. */
	assert_null(json_path(o, "s.0"));
	assert_null(json_path(o, "n.x"));
	assert_null(json_path(o, "i.x"));
	/* Object keys that look like numbers are keys, not indexes. */
	json_object_put(o);
	o = parse_str("{\"0\":{\"1\":\"x\"}}");
	assert_non_null(o);
	assert_string_equal(json_path_str(o, "0.1"), "x");
	json_object_put(o);
}

static void test_array_indexes(void **state)
{
	(void)state;
	struct json_object *o = parse_str("{\"a\":[\"x\",\"y\",\"z\"]}");
	assert_non_null(o);
	assert_string_equal(json_path_str(o, "a.0"), "x");
	assert_string_equal(json_path_str(o, "a.2"), "z");
	assert_null(json_path(o, "a.3"));
	assert_null(json_path(o, "a.-1"));
	assert_null(json_path(o, "a.+1"));
	assert_null(json_path(o, "a.01"));
	assert_null(json_path(o, "a.00"));
	assert_null(json_path(o, "a.1x"));
	assert_null(json_path(o, "a.x"));
	assert_null(json_path(o, "a. 1"));
	assert_null(json_path(o, "a.0x1"));
	assert_null(json_path(o, "a.18446744073709551615"));
	assert_null(json_path(o, "a.18446744073709551616"));
	assert_null(json_path(o, "a.99999999999999999999999999"));
	json_object_put(o);
}

static void test_embedded_nul(void **state)
{
	(void)state;
	/* A raw NUL byte: json-c would stop reading there. */
	assert_refused("{\"a\":1}\0garbage", 15);
	assert_refused("{\"a\":\"x\0y\"}", 11);
	/* An escaped NUL parses, but the string can't be handed out as a C string. */
	struct json_object *o = parse_str("{\"a\":\"x\\u0000y\",\"b\":\"xy\"}");
	assert_non_null(o);
	assert_null(json_path_str(o, "a"));
	assert_string_equal(json_path_str(o, "b"), "xy");
	json_object_put(o);
}

static void test_trailing_garbage(void **state)
{
	(void)state;
	assert_refused("{\"a\":1} x", 9);
	assert_refused("{\"a\":1}{}", 9);
	assert_refused("[1]]", 4);
	assert_refused("[1],", 4);
	assert_refused("123abc", 6);
	assert_refused("truex", 5);
	/* Surrounding whitespace is fine. */
	struct json_object *o = parse_str(" \t\r\n{\"a\":1} \n");
	assert_non_null(o);
	json_object_put(o);
	/* Bare scalars at the top level are JSON too. */
	o = parse_str("123");
	assert_non_null(o);
	assert_int_equal(json_path_int(o, "", 0), 123);
	json_object_put(o);
	o = parse_str("\"s\"");
	assert_non_null(o);
	json_object_put(o);
}

static void test_not_json(void **state)
{
	(void)state;
	assert_refused("", 0);
	assert_refused(NULL, 0);
	assert_refused("   ", 3);
	assert_refused("{", 1);
	assert_refused("{\"a\":", 5);
	assert_refused("[1,]", 4);
	assert_refused("{'a':1}", 7);
	assert_refused("{\"a\":'b'}", 9);
	assert_refused("['a']", 5);
	/* Raw TAB and LF are whitespace outside strings, not inside. */
	assert_refused("[\"a\tb\"]", 7);
	assert_refused("[\"a\nb\"]", 7);
	assert_refused("[01]", 4);
	assert_refused("[NaN]", 5);
	assert_refused("[Infinity]", 10);
	assert_refused("[1e999]", 7);
	assert_refused("[-1e999]", 8);
	assert_refused("nul", 3);
	assert_refused("{\"a\":1,}", 8);
	assert_refused("/* c */ 1", 9);
	/* Raw control characters inside a string. */
	assert_refused("[\"a\x01" "b\"]", 7);
	assert_refused("[\"a\x1f" "b\"]", 7);
	/* DEL is not a control character to JSON. */
	struct json_object *o = parse_str("[\"a\x7f" "b\"]");
	assert_non_null(o);
	json_object_put(o);
	/* Quotes and backslashes inside strings don't confuse the lexical check. */
	o = parse_str("{\"it's\":\"say \\\"hi\\\" 'x' \\\\\",\"b\":\"\\\\\"}");
	assert_non_null(o);
	assert_string_equal(json_path_str(o, "it's"), "say \"hi\" 'x' \\");
	assert_string_equal(json_path_str(o, "b"), "\\");
	json_object_put(o);
}

static void test_depth(void **state)
{
	(void)state;
	char b[256];
	for (int depth = 1; depth <= 40; depth++) {
		size_t n = 0;
		for (int i = 0; i < depth; i++)
			b[n++] = '[';
		b[n++] = '1';
		for (int i = 0; i < depth; i++)
			b[n++] = ']';
		struct json_object *o = json_parse(b, n, MAX);
		if (depth <= 32)
			assert_non_null(o);
		else
			assert_null(o);
		json_object_put(o);

		/* Same with empty innermost containers, and with objects. */
		n = 0;
		for (int i = 0; i < depth; i++)
			b[n++] = '[';
		for (int i = 0; i < depth; i++)
			b[n++] = ']';
		o = json_parse(b, n, MAX);
		if (depth <= 32)
			assert_non_null(o);
		else
			assert_null(o);
		json_object_put(o);
	}

	struct buf s = BUF_INIT;
	for (int i = 0; i < 33; i++)
		buf_adds(&s, "{\"k\":");
	buf_adds(&s, "1");
	for (int i = 0; i < 33; i++)
		buf_addch(&s, '}');
	assert_refused(s.buf, s.len);
	buf_reset(&s);
	for (int i = 0; i < 32; i++)
		buf_adds(&s, "{\"k\":");
	buf_adds(&s, "1");
	for (int i = 0; i < 32; i++)
		buf_addch(&s, '}');
	struct json_object *o = json_parse(s.buf, s.len, MAX);
	assert_non_null(o);
	assert_int_equal(json_path_int(o, "k.k.k.k.k.k.k.k.k.k.k.k.k.k.k.k.k.k.k.k.k.k.k.k.k"
					  ".k.k.k.k.k.k.k", 0), 1);
	json_object_put(o);
	buf_release(&s);

	/* Far deeper than the limit must fail fast, not overflow the stack. */
	size_t deep = 100000;
	char *d = malloc(deep);
	assert_non_null(d);
	memset(d, '[', deep);
	assert_null(json_parse(d, deep, deep));
	free(d);
}

static void test_max_len(void **state)
{
	(void)state;
	const char *s = "{\"a\":\"0123456789\"}";
	size_t len = strlen(s);
	struct json_object *o = json_parse(s, len, len);
	assert_non_null(o);
	json_object_put(o);
	assert_null(json_parse(s, len, len - 1));
	assert_null(json_parse(s, len, 0));
}

static void test_invalid_utf8(void **state)
{
	(void)state;
	const char *bad[] = {
		"\"\xff\"",              /* never valid */
		"\"\xc3\"",              /* truncated */
		"\"\xc3(\"",             /* bad continuation */
		"\"\xc0\x80\"",          /* overlong NUL */
		"\"\xc1\xbf\"",          /* overlong */
		"\"\xe0\x80\xaf\"",      /* overlong '/' */
		"\"\xed\xa0\x80\"",      /* UTF-16 surrogate */
		"\"\xf4\x90\x80\x80\"",  /* above U+10FFFF */
		"\"\xf5\x80\x80\x80\"",
		"\"\xf0\x8f\xbf\xbf\"",  /* overlong 4-byte */
		"{\"k\xff\":1}",         /* in a key */
		"\xef\xbb\xbf{}",        /* a BOM is not JSON */
		"\"\x80\"",
	};
	for (size_t i = 0; i < nitems(bad); i++)
		assert_refused(bad[i], strlen(bad[i]));

	const char *good[] = {
		"\"\xc3\xa9\"", "\"\xe2\x82\xac\"", "\"\xf0\x9f\x98\x80\"",
		"\"\xef\xbf\xbf\"", "\"\xf4\x8f\xbf\xbf\"", "\"\\ud83d\\ude00\"",
	};
	for (size_t i = 0; i < nitems(good); i++) {
		struct json_object *o = parse_str(good[i]);
		assert_non_null(o);
		json_object_put(o);
	}
}

static void test_to_buf_roundtrip(void **state)
{
	(void)state;
	struct json_object *o = parse_str(whatsapp_sample);
	assert_non_null(o);
	struct buf a = BUF_INIT, b = BUF_INIT;
	buf_adds(&a, ">");   /* appends */
	json_to_buf(&a, o);
	assert_int_equal(a.buf[0], '>');
	assert_int_equal(a.len, strlen(a.buf));
	/* Compact: no spaces were in the sample's structure, none added. */
	assert_null(strstr(a.buf, "\": "));

	struct json_object *o2 = json_parse(a.buf + 1, a.len - 1, MAX);
	assert_non_null(o2);
	json_to_buf(&b, o2);
	assert_string_equal(a.buf + 1, b.buf);
	assert_true(json_object_equal(o, o2));
	assert_string_equal(json_path_str(o2, "entry.0.changes.0.value.messages.0.text.body"),
			    "5 gracias");

	/* Characters that must be escaped survive the round trip. */
	buf_reset(&a);
	struct json_object *s = json_object_new_object();
	json_object_object_add(s, "q", json_object_new_string("a\"b\\c\n</script>\x01"));
	json_to_buf(&a, s);
	struct json_object *s2 = json_parse(a.buf, a.len, MAX);
	assert_non_null(s2);
	assert_string_equal(json_path_str(s2, "q"), "a\"b\\c\n</script>\x01");
	json_object_put(s);
	json_object_put(s2);

	buf_reset(&a);
	json_to_buf(&a, NULL);
	assert_string_equal(a.buf, "null");

	json_object_put(o);
	json_object_put(o2);
	buf_release(&a);
	buf_release(&b);
}

static int setup_quiet(void **state)
{
	(void)state;
	/* Every refusal logs a warning; the tests make hundreds on purpose. */
	log_init("test_json", LOG_ERROR);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whatsapp_sample),
		cmocka_unit_test(test_missing_paths),
		cmocka_unit_test(test_wrong_types),
		cmocka_unit_test(test_array_indexes),
		cmocka_unit_test(test_embedded_nul),
		cmocka_unit_test(test_trailing_garbage),
		cmocka_unit_test(test_not_json),
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_max_len),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_to_buf_roundtrip),
	};
	return cmocka_run_group_tests(tests, setup_quiet, NULL);
}
