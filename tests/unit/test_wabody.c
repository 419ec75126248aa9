/* test_wabody.c: the WhatsApp webhook body: the documented shape, unreadable message
 * types, and bodies refused whole. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/arena.h"
#include "core/nitems.h"
#include "core/wabody.h"

static int parse(struct arena *a, const char *s, struct wa_events *ev)
{
	return wabody_parse(a, s, strlen(s), 1 << 20, ev);
}

static void test_documented_body(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct wa_events ev;
	assert_int_equal(parse(a,
		"{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":"
		"[{\"field\":\"messages\",\"value\":{\"metadata\":{\"phone_number_id\":\"42\"},"
		"\"messages\":[{\"from\":\"593991234567\",\"id\":\"wamid.A\",\"timestamp\":\"1\","
		"\"type\":\"text\",\"text\":{\"body\":\"5 estrellas\"}},"
		"{\"from\":\"593991234567\",\"id\":\"wamid.B\",\"type\":\"reaction\","
		"\"reaction\":{\"emoji\":\"x\"}}],"
		"\"statuses\":[{\"id\":\"wamid.C\",\"status\":\"read\"},"
		"{\"id\":\"wamid.D\",\"status\":\"failed\",\"errors\":[{\"code\":131026,"
		"\"title\":\"Undeliverable\"}]}]}}]}]}", &ev), 0);
	assert_int_equal(ev.nstatuses, 2);
	assert_string_equal(ev.statuses[0].id, "wamid.C");
	assert_string_equal(ev.statuses[0].status, "read");
	assert_null(ev.statuses[0].error);
	assert_string_equal(ev.statuses[1].error, "131026 Undeliverable");
	assert_int_equal(ev.nmessages, 2);
	assert_string_equal(ev.messages[0].from, "+593991234567");
	assert_string_equal(ev.messages[0].text, "5 estrellas");
	assert_false(ev.messages[0].unreadable);
	assert_string_equal(ev.messages[0].receiving, "42");
	assert_string_equal(ev.messages[1].text, "[reaction]");
	assert_true(ev.messages[1].unreadable);
	arena_free(a);
}

static void test_empty_but_well_formed(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct wa_events ev;
	assert_int_equal(parse(a, "{\"entry\":[]}", &ev), 0);
	assert_int_equal(ev.nstatuses + ev.nmessages, 0);
	assert_int_equal(parse(a, "{\"entry\":[{\"changes\":[{\"value\":{}}]}]}", &ev), 0);
	arena_free(a);
}

static void test_refused_bodies(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"", "null", "[]", "{", "{\"entry\":{}}", "{\"entry\":[1]}",
		"{\"entry\":[{\"changes\":[{}]}]}",
		"{\"entry\":[{\"changes\":[{\"value\":[]}]}]}",
		"{\"entry\":[{\"changes\":[{\"value\":{\"statuses\":[{\"status\":\"read\"}]}}]}]}",
		"{\"entry\":[{\"changes\":[{\"value\":{\"statuses\":[{\"id\":\"\",\"status\":\"read\"}]}}]}]}",
		"{\"entry\":[{\"changes\":[{\"value\":{\"statuses\":[{\"id\":\"w\",\"status\":7}]}}]}]}",
		"{\"entry\":[{\"changes\":[{\"value\":{\"messages\":[{\"from\":\"59399\",\"id\":\"w\",\"type\":\"text\",\"text\":{\"body\":\"5\"}}]}}]}]}",
		"{\"entry\":[{\"changes\":[{\"value\":{\"messages\":[{\"from\":\"0593991234567\",\"id\":\"w\",\"type\":\"text\",\"text\":{\"body\":\"5\"}}]}}]}]}",
		"{\"entry\":[{\"changes\":[{\"value\":{\"messages\":[{\"from\":\"+593991234567\",\"id\":\"w\",\"type\":\"text\",\"text\":{\"body\":\"5\"}}]}}]}]}",
		"{\"entry\":[{\"changes\":[{\"value\":{\"messages\":[{\"from\":\"593991234567\",\"id\":\"w\",\"type\":\"text\"}]}}]}]}",
		"{\"entry\":[{\"changes\":[{\"value\":{\"messages\":[{\"from\":\"593991234567\",\"id\":\"w\"}]}}]}]}",
		/* One good status before a bad message: refused whole, nothing handed out. */
		"{\"entry\":[{\"changes\":[{\"value\":{\"statuses\":[{\"id\":\"w\",\"status\":\"read\"}],"
		"\"messages\":[{\"id\":\"w\",\"type\":\"text\",\"text\":{\"body\":\"5\"}}]}}]}]}",
	};
	struct arena *a = arena_new();
	for (size_t i = 0; i < nitems(bad); i++) {
		struct wa_events ev;
		if (parse(a, bad[i], &ev) != -1)
			fail_msg("accepted: %s", bad[i]);
		assert_int_equal(ev.nstatuses + ev.nmessages, 0);
		assert_null(ev.statuses);
	}
	arena_free(a);
}

static void test_size_limit(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct wa_events ev;
	const char *s = "{\"entry\":[]}";
	assert_int_equal(wabody_parse(a, s, strlen(s), strlen(s) - 1, &ev), -1);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_documented_body),
		cmocka_unit_test(test_empty_but_well_formed),
		cmocka_unit_test(test_refused_bodies),
		cmocka_unit_test(test_size_limit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
