/* test_channel.c: the provider answer parsers (Twilio, WhatsApp Cloud API) on the answers
 * the real services give and on ugly ones, and the email message builder. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/channel.h"
#include "core/log.h"
#include "core/nitems.h"

#include <stdio.h>

static struct arena *A;

static struct channel_result twilio(long status, const char *body)
{
	struct channel_result r;
	channel_twilio_answer(status, body, strlen(body), &r, A);
	return r;
}

static struct channel_result whatsapp(long status, const char *body)
{
	struct channel_result r;
	channel_whatsapp_answer(status, body, strlen(body), &r, A);
	return r;
}

static void test_twilio_accepted(void **state)
{
	(void)state;
	struct channel_result r = twilio(201,
		"{\"sid\":\"SM0123456789abcdef0123456789abcdef\",\"status\":\"queued\","
		"\"error_code\":null,\"error_message\":null,\"price\":null,\"to\":\"+593987654321\"}");
	assert_int_equal(r.outcome, CHANNEL_SENT);
	assert_string_equal(r.external_id, "SM0123456789abcdef0123456789abcdef");
	assert_null(r.cost);
	assert_null(r.error);
}

static void test_twilio_price(void **state)
{
	(void)state;
	struct channel_result r = twilio(201, "{\"sid\":\"SMx\",\"status\":\"sent\",\"price\":\"-0.00750\"}");
	assert_int_equal(r.outcome, CHANNEL_SENT);
	assert_string_equal(r.cost, "-0.00750");
	/* Anything the database would refuse as numeric is dropped, not passed on. */
	const char *bad[] = { "\"abc\"", "\"1e5\"", "\"-\"", "\".5\"", "\"1.\"", "\"1234567.1\"",
			      "\"0.123456789\"", "\"1; DROP\"", "7", "[]" };
	for (size_t i = 0; i < nitems(bad); i++) {
		char body[128];
		snprintf(body, sizeof body, "{\"sid\":\"SMx\",\"price\":%s}", bad[i]);
		r = twilio(201, body);
		assert_int_equal(r.outcome, CHANNEL_SENT);
		assert_null(r.cost);
	}
}

static void test_twilio_accepted_without_sid_is_never_retried(void **state)
{
	(void)state;
	const char *bodies[] = { "{}", "", "not json", "{\"sid\":\"\"}", "{\"sid\":5}", "[1]" };
	for (size_t i = 0; i < nitems(bodies); i++) {
		struct channel_result r = twilio(200, bodies[i]);
		assert_int_equal(r.outcome, CHANNEL_FAILED);
		assert_non_null(r.error);
	}
}

static void test_twilio_failed_in_a_2xx(void **state)
{
	(void)state;
	struct channel_result r = twilio(201, "{\"sid\":\"SMx\",\"status\":\"failed\","
					      "\"error_code\":30006,\"error_message\":\"Landline\"}");
	assert_int_equal(r.outcome, CHANNEL_FAILED);
	assert_string_equal(r.error, "Twilio 30006: Landline");
}

static void test_twilio_errors(void **state)
{
	(void)state;
	struct channel_result r = twilio(400, "{\"code\":21610,\"message\":\"Attempt to send to "
					      "unsubscribed recipient\",\"status\":400}");
	assert_int_equal(r.outcome, CHANNEL_OPTED_OUT);
	assert_string_equal(r.error, "Twilio 21610 (HTTP 400): Attempt to send to unsubscribed recipient");
	r = twilio(400, "{\"code\":21211,\"message\":\"The 'To' number 123 is not a valid phone number.\"}");
	assert_int_equal(r.outcome, CHANNEL_FAILED);
	r = twilio(401, "{\"code\":20003,\"message\":\"Authenticate\"}");
	assert_int_equal(r.outcome, CHANNEL_FAILED);
	r = twilio(429, "{\"code\":20429,\"message\":\"Too Many Requests\"}");
	assert_int_equal(r.outcome, CHANNEL_RETRY);
	r = twilio(500, "<html>oops</html>");
	assert_int_equal(r.outcome, CHANNEL_RETRY);
	assert_string_equal(r.error, "Twilio HTTP 500: sin detalle");
	r = twilio(503, "");
	assert_int_equal(r.outcome, CHANNEL_RETRY);
	/* 21610 only counts as an opt-out in a 4xx, never in a 5xx. */
	r = twilio(500, "{\"code\":21610}");
	assert_int_equal(r.outcome, CHANNEL_RETRY);
	r = twilio(404, "{\"code\":\"21610\",\"message\":7}");
	assert_int_equal(r.outcome, CHANNEL_FAILED);
	r = twilio(302, "");
	assert_int_equal(r.outcome, CHANNEL_FAILED);
}

static void test_whatsapp_accepted(void **state)
{
	(void)state;
	struct channel_result r = whatsapp(200,
		"{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"593987654321\","
		"\"wa_id\":\"593987654321\"}],\"messages\":[{\"id\":\"wamid.HBgMNTkz\"}]}");
	assert_int_equal(r.outcome, CHANNEL_SENT);
	assert_string_equal(r.external_id, "wamid.HBgMNTkz");
}

static void test_whatsapp_accepted_without_id_is_never_retried(void **state)
{
	(void)state;
	const char *bodies[] = { "{\"messages\":[]}", "{\"messages\":{}}", "",
				 "{\"messages\":[{\"id\":\"\"}]}", "{\"messages\":[{\"id\":1}]}", "null" };
	for (size_t i = 0; i < nitems(bodies); i++) {
		struct channel_result r = whatsapp(200, bodies[i]);
		assert_int_equal(r.outcome, CHANNEL_FAILED);
	}
}

static void test_whatsapp_errors(void **state)
{
	(void)state;
	struct channel_result r = whatsapp(400,
		"{\"error\":{\"message\":\"Message Undeliverable.\",\"type\":\"OAuthException\","
		"\"code\":131026,\"error_data\":{\"details\":\"Receiver is incapable\"}}}");
	assert_int_equal(r.outcome, CHANNEL_FAILED);
	assert_string_equal(r.error, "WhatsApp 131026 (HTTP 400): Message Undeliverable. — Receiver is incapable");
	/* Rate limits come as 400 with their code, or as 429. */
	r = whatsapp(400, "{\"error\":{\"message\":\"Rate limit hit\",\"code\":130429}}");
	assert_int_equal(r.outcome, CHANNEL_RETRY);
	r = whatsapp(400, "{\"error\":{\"code\":131056}}");
	assert_int_equal(r.outcome, CHANNEL_RETRY);
	r = whatsapp(429, "");
	assert_int_equal(r.outcome, CHANNEL_RETRY);
	r = whatsapp(500, "{\"error\":{\"code\":131000,\"message\":\"Something went wrong\"}}");
	assert_int_equal(r.outcome, CHANNEL_RETRY);
	r = whatsapp(401, "{\"error\":{\"message\":\"Invalid OAuth access token.\",\"code\":190}}");
	assert_int_equal(r.outcome, CHANNEL_FAILED);
	r = whatsapp(400, "{\"error\":\"flat\"}");
	assert_int_equal(r.outcome, CHANNEL_FAILED);
	assert_string_equal(r.error, "WhatsApp 0 (HTTP 400): sin detalle");
}

static void test_email_message(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	channel_email_build(&b, "RM <no-reply@rm.test>", "ana@example.ec",
			    "¿Cómo fue tu visita a Clínica Ñandú?", "Hola Ana,\nGracias.",
			    "<rm.1@rm.test>", "https://rm.test/u/TOKEN", 1764172800LL);
	assert_non_null(strstr(b.buf, "From: RM <no-reply@rm.test>\r\nTo: <ana@example.ec>\r\n"));
	assert_non_null(strstr(b.buf, "Subject: =?UTF-8?B?wr9Dw7NtbyBmdWUgdHUgdmlzaXRh"));
	assert_non_null(strstr(b.buf, "Date: Wed, 26 Nov 2025 16:00:00 +0000\r\n"));
	assert_non_null(strstr(b.buf, "Message-ID: <rm.1@rm.test>\r\n"));
	assert_non_null(strstr(b.buf, "List-Unsubscribe: <https://rm.test/u/TOKEN>\r\n"));
	assert_non_null(strstr(b.buf, "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"));
	assert_non_null(strstr(b.buf, "Content-Type: text/plain; charset=UTF-8\r\n"));
	assert_non_null(strstr(b.buf, "\r\n\r\nSG9sYSBBbmEsCkdyYWNpYXMu\r\n"));
	/* No bare LF anywhere: every line ends in CRLF. */
	for (size_t i = 0; i < b.len; i++)
		if (b.buf[i] == '\n')
			assert_int_equal(b.buf[i - 1], '\r');
	buf_release(&b);
}

static void test_email_long_subject_folds_into_short_encoded_words(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	char subject[400] = "";
	for (int i = 0; i < 40; i++)
		strcat(subject, "ñá");   /* 2-byte characters: a split would break one */
	channel_email_build(&b, "a@b.c", "d@e.f", subject, "x", "<1@b.c>", NULL, 0);
	assert_null(strstr(b.buf, "List-Unsubscribe"));
	char *line = strstr(b.buf, "Subject:");
	int words = 0;
	while (line && (line[0] == 'S' || line[0] == ' ')) {
		char *end = strstr(line, "\r\n");
		assert_true(end - line <= 78);
		words++;
		line = end + 2;
	}
	assert_true(words >= 3);
	buf_release(&b);
}

static int setup(void **state)
{
	(void)state;
	log_init("test_channel", LOG_ERROR);
	A = arena_new();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	arena_free(A);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_twilio_accepted),
		cmocka_unit_test(test_twilio_price),
		cmocka_unit_test(test_twilio_accepted_without_sid_is_never_retried),
		cmocka_unit_test(test_twilio_failed_in_a_2xx),
		cmocka_unit_test(test_twilio_errors),
		cmocka_unit_test(test_whatsapp_accepted),
		cmocka_unit_test(test_whatsapp_accepted_without_id_is_never_retried),
		cmocka_unit_test(test_whatsapp_errors),
		cmocka_unit_test(test_email_message),
		cmocka_unit_test(test_email_long_subject_folds_into_short_encoded_words),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
