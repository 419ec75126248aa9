/* test_signature.c: Twilio and Meta webhook signatures against the published vectors
 * (../shared/PROVIDERS.md), and the ways a signature can be wrong or missing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/form.h"
#include "core/kv.h"
#include "core/signature.h"

static const char twilio_url[] = "https://mycompany.com/myapp.php?foo=1&bar=2";
static const char twilio_sig[] = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";
/* The vector's parameters, deliberately out of order: the checker sorts them. */
static const char twilio_body[] =
	"To=%2B18005551212&Digits=1234&CallSid=CA1234567890ABCDE&From=%2B14158675309"
	"&Caller=%2B14158675309";

static struct kvlist parse(struct arena *a, const char *body)
{
	struct kvlist l = KVLIST_INIT;
	assert_int_equal(form_parse(a, body, strlen(body), &l, 64), 0);
	return l;
}

static void test_twilio_published_vector(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct kvlist l = parse(a, twilio_body);
	assert_true(signature_twilio_ok("12345", twilio_url, &l, twilio_sig));
	struct buf b = BUF_INIT;
	signature_twilio_base(&b, twilio_url, &l);
	assert_string_equal(b.buf, "https://mycompany.com/myapp.php?foo=1&bar=2"
			    "CallSidCA1234567890ABCDECaller+14158675309Digits1234"
			    "From+14158675309To+18005551212");
	buf_release(&b);
	arena_free(a);
}

static void test_twilio_refuses_changes(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct kvlist l = parse(a, twilio_body);
	assert_false(signature_twilio_ok("12346", twilio_url, &l, twilio_sig));
	assert_false(signature_twilio_ok("12345", "https://mycompany.com/myapp.php?foo=1&bar=3",
					 &l, twilio_sig));
	assert_false(signature_twilio_ok("12345", "http://mycompany.com/myapp.php?foo=1&bar=2",
					 &l, twilio_sig));
	struct kvlist changed = parse(a, "To=%2B18005551212&Digits=1235&CallSid=CA1234567890ABCDE"
				      "&From=%2B14158675309&Caller=%2B14158675309");
	assert_false(signature_twilio_ok("12345", twilio_url, &changed, twilio_sig));
	/* One more parameter than was signed. */
	struct kvlist extra = parse(a, "Extra=&To=%2B18005551212&Digits=1234&CallSid=CA1234567890"
				    "ABCDE&From=%2B14158675309&Caller=%2B14158675309");
	assert_false(signature_twilio_ok("12345", twilio_url, &extra, twilio_sig));
	/* The signature itself: truncated, extended, one character off, other case. */
	assert_false(signature_twilio_ok("12345", twilio_url, &l, "RSOYDt4T1cUTdK1PDd93/VVr8B8"));
	assert_false(signature_twilio_ok("12345", twilio_url, &l, "RSOYDt4T1cUTdK1PDd93/VVr8B8=="));
	assert_false(signature_twilio_ok("12345", twilio_url, &l, "RSOYDt4T1cUTdK1PDd93/VVr8B9="));
	assert_false(signature_twilio_ok("12345", twilio_url, &l, "rsoydt4t1cutdk1pdd93/vvr8b8="));
	arena_free(a);
}

static void test_twilio_missing_parts_never_verify(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct kvlist l = parse(a, twilio_body);
	assert_false(signature_twilio_ok("12345", twilio_url, &l, NULL));
	assert_false(signature_twilio_ok("12345", twilio_url, &l, ""));
	assert_false(signature_twilio_ok("", twilio_url, &l, twilio_sig));
	assert_false(signature_twilio_ok(NULL, twilio_url, &l, twilio_sig));
	assert_false(signature_twilio_ok("12345", "", &l, twilio_sig));
	assert_false(signature_twilio_ok("12345", NULL, &l, twilio_sig));
	arena_free(a);
}

static void test_twilio_repeated_names_sort_by_value(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct kvlist l = parse(a, "B=2&A=z&A=y&A=");
	struct buf b = BUF_INIT;
	signature_twilio_base(&b, "u", &l);
	assert_string_equal(b.buf, "uAAyAzB2");
	buf_release(&b);
	struct kvlist none = KVLIST_INIT;
	signature_twilio_base(&b, "only-the-url", &none);
	assert_string_equal(b.buf, "only-the-url");
	buf_release(&b);
	arena_free(a);
}

static const char hub_sig[] =
	"sha256=0329a06b62cd16b33eb6792be8c60b158d89a2ee3a876fce9a881ebb488c0914";

static void test_hub_published_vector(void **state)
{
	(void)state;
	assert_true(signature_hub_ok("secret", "test", 4, hub_sig));
}

static void test_hub_refuses_changes(void **state)
{
	(void)state;
	assert_false(signature_hub_ok("secreT", "test", 4, hub_sig));
	assert_false(signature_hub_ok("secret", "test ", 5, hub_sig));
	assert_false(signature_hub_ok("secret", "tes", 3, hub_sig));
	assert_false(signature_hub_ok("secret", "test", 4, hub_sig + 7));   /* no prefix */
	assert_false(signature_hub_ok("secret", "test", 4,
		"sha1=0329a06b62cd16b33eb6792be8c60b158d89a2ee3a876fce9a881ebb488c0914"));
	assert_false(signature_hub_ok("secret", "test", 4,
		"sha256=0329A06B62CD16B33EB6792BE8C60B158D89A2EE3A876FCE9A881EBB488C0914"));
	assert_false(signature_hub_ok("secret", "test", 4,
		"sha256=0329a06b62cd16b33eb6792be8c60b158d89a2ee3a876fce9a881ebb488c091"));
	assert_false(signature_hub_ok("secret", "test", 4, NULL));
	assert_false(signature_hub_ok("secret", "test", 4, ""));
	assert_false(signature_hub_ok("", "test", 4, hub_sig));
	assert_false(signature_hub_ok(NULL, "test", 4, hub_sig));
	assert_false(signature_hub_ok("secret", NULL, 4, hub_sig));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_twilio_published_vector),
		cmocka_unit_test(test_twilio_refuses_changes),
		cmocka_unit_test(test_twilio_missing_parts_never_verify),
		cmocka_unit_test(test_twilio_repeated_names_sort_by_value),
		cmocka_unit_test(test_hub_published_vector),
		cmocka_unit_test(test_hub_refuses_changes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
