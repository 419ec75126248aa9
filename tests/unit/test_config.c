/* test_config.c: configuration from the environment (core/config.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/config.h"

#define GOOD_SECRET "s3cr3t-0123456789abcdef0123456789"   /* 34 characters */

static const char *const vars[] = {
	"RM_ENV", "RM_DATABASE_URL", "RM_TEMPLATE_DIR", "RM_SECRET_KEY", "RM_BASE_URL",
	"RM_BCRYPT_COST", "RM_SESSION_HOURS", "RM_LOGIN_MAX_FAILURES",
	"RM_LOGIN_WINDOW_MINUTES", "RM_MAX_BODY", "RM_MAX_UPLOAD", "RM_LOG_LEVEL",
	"RM_PUBLIC_BASE_URL", "TWILIO_API_BASE", "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN",
	"TWILIO_FROM", "WHATSAPP_API_BASE", "WHATSAPP_API_VERSION", "WHATSAPP_TOKEN",
	"WHATSAPP_PHONE_NUMBER_ID", "WHATSAPP_APP_SECRET", "WHATSAPP_VERIFY_TOKEN", "SMTP_URL",
	"SMTP_USER", "SMTP_PASSWORD", "SMTP_FROM", "RM_SENDER_POLL_SECONDS", "RM_SENDER_BATCH",
	"RM_SENDER_PARALLEL", "RM_SENDER_LEASE_SECONDS", "RM_SENDER_TIMEOUT_SECONDS",
	"RM_SIMULATOR_URL",
};

/* Every test starts from an environment with only a good secret key. */
static int setup(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof vars / sizeof *vars; i++)
		unsetenv(vars[i]);
	setenv("RM_SECRET_KEY", GOOD_SECRET, 1);
	return 0;
}

static int load(void)
{
	struct config c;
	return config_load(&c);
}

/* Loads with name=value set; returns config_load's result. */
static int load_with(const char *name, const char *value)
{
	setenv(name, value, 1);
	return load();
}

static void test_defaults(void **state)
{
	(void)state;
	struct config c;
	assert_int_equal(config_load(&c), 0);
	assert_int_equal(c.env, ENV_PROD);
	assert_true(c.secure_cookies);
	assert_string_equal(c.secret_key, GOOD_SECRET);
	assert_non_null(c.database_url);
	assert_non_null(c.template_dir);
	assert_non_null(c.base_url);
	assert_int_equal(c.bcrypt_cost, 12);
	assert_int_equal(c.session_hours, 12);
	assert_int_equal(c.login_max_failures, 5);
	assert_int_equal(c.login_window_minutes, 15);
	assert_int_equal(c.max_body, 1 << 20);
	assert_int_equal(c.max_upload, 10 << 20);
	assert_int_equal(c.log_level, LOG_INFO);
}

static void test_values_are_taken_from_environment(void **state)
{
	(void)state;
	setenv("RM_DATABASE_URL", "host=/tmp dbname=x", 1);
	setenv("RM_TEMPLATE_DIR", "/srv/tpl", 1);
	setenv("RM_BASE_URL", "https://rm.example.ec", 1);
	setenv("RM_SESSION_HOURS", "24", 1);
	setenv("RM_LOG_LEVEL", "debug", 1);
	struct config c;
	assert_int_equal(config_load(&c), 0);
	assert_string_equal(c.database_url, "host=/tmp dbname=x");
	assert_string_equal(c.template_dir, "/srv/tpl");
	assert_string_equal(c.base_url, "https://rm.example.ec");
	assert_int_equal(c.session_hours, 24);
	assert_int_equal(c.log_level, LOG_DEBUG);
}

static void test_missing_secret_is_refused(void **state)
{
	(void)state;
	unsetenv("RM_SECRET_KEY");
	assert_int_equal(load(), -1);
	assert_int_equal(load_with("RM_SECRET_KEY", ""), -1);
}

static void test_short_secret_is_refused(void **state)
{
	(void)state;
	assert_int_equal(load_with("RM_SECRET_KEY", "0123456789abcdef0123456789abcde"), -1);
	assert_int_equal(load_with("RM_SECRET_KEY", "0123456789abcdef0123456789abcdef"), 0);
}

static void test_secret_never_reaches_the_log(void **state)
{
	(void)state;
	/* Too short, so config_load logs why; the value itself must not be in the line. */
	static const char secret[] = "short-but-secret-value";
	FILE *tmp = tmpfile();
	assert_non_null(tmp);
	fflush(stderr);
	int saved = dup(STDERR_FILENO);
	dup2(fileno(tmp), STDERR_FILENO);
	int rc = load_with("RM_SECRET_KEY", secret);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);

	char buf[4096] = "";
	rewind(tmp);
	size_t n = fread(buf, 1, sizeof buf - 1, tmp);
	buf[n] = '\0';
	fclose(tmp);
	assert_int_equal(rc, -1);
	assert_true(n > 0);
	assert_null(strstr(buf, secret));
}

static void test_prod_uses_secure_cookies(void **state)
{
	(void)state;
	setenv("RM_ENV", "prod", 1);
	struct config c;
	assert_int_equal(config_load(&c), 0);
	assert_int_equal(c.env, ENV_PROD);
	assert_true(c.secure_cookies);
}

static void test_dev_and_test_do_not_use_secure_cookies(void **state)
{
	(void)state;
	struct config c;
	setenv("RM_ENV", "dev", 1);
	assert_int_equal(config_load(&c), 0);
	assert_int_equal(c.env, ENV_DEV);
	assert_false(c.secure_cookies);
	setenv("RM_ENV", "test", 1);
	assert_int_equal(config_load(&c), 0);
	assert_int_equal(c.env, ENV_TEST);
	assert_false(c.secure_cookies);
}

static void test_unknown_env_is_refused(void **state)
{
	(void)state;
	static const char *const bad[] = { "production", "PROD", "Dev", "staging", " dev" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_int_equal(load_with("RM_ENV", bad[i]), -1);
}

static void test_bcrypt_cost_bounds(void **state)
{
	(void)state;
	struct config c;
	assert_int_equal(load_with("RM_BCRYPT_COST", "9"), -1);
	assert_int_equal(load_with("RM_BCRYPT_COST", "16"), -1);
	assert_int_equal(load_with("RM_BCRYPT_COST", "10"), 0);
	assert_int_equal(load_with("RM_BCRYPT_COST", "15"), 0);
	setenv("RM_BCRYPT_COST", "12", 1);
	assert_int_equal(config_load(&c), 0);
	assert_int_equal(c.bcrypt_cost, 12);
}

static void test_bcrypt_cost_garbage_is_refused(void **state)
{
	(void)state;
	static const char *const bad[] = { "12x", "x12", "1 2", "12.0", "0x0c", "-12",
					   "99999999999999999999999" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_int_equal(load_with("RM_BCRYPT_COST", bad[i]), -1);
}

static void test_max_body_bounds(void **state)
{
	(void)state;
	struct config c;
	assert_int_equal(load_with("RM_MAX_BODY", "1023"), -1);
	assert_int_equal(load_with("RM_MAX_BODY", "1073741825"), -1);
	assert_int_equal(load_with("RM_MAX_BODY", "0"), -1);
	assert_int_equal(load_with("RM_MAX_BODY", "-1"), -1);
	assert_int_equal(load_with("RM_MAX_BODY", "1M"), -1);
	setenv("RM_MAX_BODY", "1024", 1);
	assert_int_equal(config_load(&c), 0);
	assert_int_equal(c.max_body, 1024);
	setenv("RM_MAX_BODY", "1073741824", 1);
	assert_int_equal(config_load(&c), 0);
	assert_int_equal(c.max_body, 1073741824);
}

static void test_max_upload_bounds(void **state)
{
	(void)state;
	struct config c;
	assert_int_equal(load_with("RM_MAX_UPLOAD", "100"), -1);
	assert_int_equal(load_with("RM_MAX_UPLOAD", "2147483648"), -1);
	setenv("RM_MAX_UPLOAD", "5242880", 1);
	assert_int_equal(config_load(&c), 0);
	assert_int_equal(c.max_upload, 5242880);
}

static void test_session_hours_bounds(void **state)
{
	(void)state;
	assert_int_equal(load_with("RM_SESSION_HOURS", "0"), -1);
	assert_int_equal(load_with("RM_SESSION_HOURS", "721"), -1);
	assert_int_equal(load_with("RM_SESSION_HOURS", "720"), 0);
	assert_int_equal(load_with("RM_SESSION_HOURS", "1"), 0);
}

static void test_login_limits_bounds(void **state)
{
	(void)state;
	assert_int_equal(load_with("RM_LOGIN_MAX_FAILURES", "0"), -1);
	assert_int_equal(load_with("RM_LOGIN_MAX_FAILURES", "1001"), -1);
	setenv("RM_LOGIN_MAX_FAILURES", "5", 1);
	assert_int_equal(load_with("RM_LOGIN_WINDOW_MINUTES", "0"), -1);
	assert_int_equal(load_with("RM_LOGIN_WINDOW_MINUTES", "1441"), -1);
	assert_int_equal(load_with("RM_LOGIN_WINDOW_MINUTES", "1440"), 0);
}

static void test_empty_numeric_value_means_default(void **state)
{
	(void)state;
	struct config c;
	setenv("RM_BCRYPT_COST", "", 1);
	setenv("RM_MAX_BODY", "", 1);
	assert_int_equal(config_load(&c), 0);
	assert_int_equal(c.bcrypt_cost, 12);
	assert_int_equal(c.max_body, 1 << 20);
}

static void test_provider_defaults(void **state)
{
	(void)state;
	struct config c;
	setenv("RM_BASE_URL", "https://rm.example.ec", 1);
	assert_int_equal(config_load(&c), 0);
	/* Providers call back where the public pages are, unless told otherwise. */
	assert_string_equal(c.public_base_url, "https://rm.example.ec");
	assert_string_equal(c.twilio_api_base, "https://api.twilio.com");
	assert_string_equal(c.whatsapp_api_base, "https://graph.facebook.com");
	assert_null(c.twilio_auth_token);
	assert_null(c.whatsapp_token);
	assert_null(c.smtp_password);
	assert_int_equal(c.sender_poll_seconds, 1);
	assert_int_equal(c.sender_batch, 200);
	assert_int_equal(c.sender_lease_seconds, 300);
	assert_int_equal(c.sender_timeout_seconds, 30);
	setenv("TWILIO_AUTH_TOKEN", "tok", 1);
	setenv("RM_PUBLIC_BASE_URL", "https://hooks.example.ec", 1);
	assert_int_equal(config_load(&c), 0);
	assert_string_equal(c.twilio_auth_token, "tok");
	assert_string_equal(c.public_base_url, "https://hooks.example.ec");
	/* The simulator link is for the stand-ins: never shown in production. */
	setenv("RM_SIMULATOR_URL", "http://127.0.0.1:9080/", 1);
	assert_int_equal(config_load(&c), 0);
	assert_null(c.simulator_url);
	setenv("RM_ENV", "dev", 1);
	assert_int_equal(config_load(&c), 0);
	assert_string_equal(c.simulator_url, "http://127.0.0.1:9080/");
}

static void test_sender_bounds(void **state)
{
	(void)state;
	assert_int_equal(load_with("RM_SENDER_POLL_SECONDS", "0"), -1);
	assert_int_equal(load_with("RM_SENDER_POLL_SECONDS", "1"), 0);
	assert_int_equal(load_with("RM_SENDER_BATCH", "10001"), -1);
	assert_int_equal(load_with("RM_SENDER_BATCH", "1"), 0);
	assert_int_equal(load_with("RM_SENDER_PARALLEL", "0"), -1);
	assert_int_equal(load_with("RM_SENDER_PARALLEL", "8"), 0);
	/* A lease shorter than two send deadlines would declare slow batches lost. */
	assert_int_equal(load_with("RM_SENDER_TIMEOUT_SECONDS", "10"), 0);
	assert_int_equal(load_with("RM_SENDER_LEASE_SECONDS", "19"), -1);
	assert_int_equal(load_with("RM_SENDER_LEASE_SECONDS", "20"), 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, NULL)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_defaults),
		T(test_values_are_taken_from_environment),
		T(test_missing_secret_is_refused),
		T(test_short_secret_is_refused),
		T(test_secret_never_reaches_the_log),
		T(test_prod_uses_secure_cookies),
		T(test_dev_and_test_do_not_use_secure_cookies),
		T(test_unknown_env_is_refused),
		T(test_bcrypt_cost_bounds),
		T(test_bcrypt_cost_garbage_is_refused),
		T(test_max_body_bounds),
		T(test_max_upload_bounds),
		T(test_session_hours_bounds),
		T(test_login_limits_bounds),
		T(test_empty_numeric_value_means_default),
		T(test_provider_defaults),
		T(test_sender_bounds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
