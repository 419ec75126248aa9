/* config.c: environment variables with defaults and bounds. */
#include "config.h"
#include "password.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char *env_str(const char *name, const char *def)
{
	const char *v = getenv(name);
	return v && *v ? v : def;
}

/* Reads an integer in [lo, hi]; out-of-range or malformed values are an error rather
 * than silently clamped, so a typo in production config is seen at start. */
static int env_long(const char *name, long def, long lo, long hi, long *out)
{
	const char *v = getenv(name);
	if (!v || !*v) {
		*out = def;
		return 0;
	}
	char *end;
	errno = 0;
	long n = strtol(v, &end, 10);
	if (errno || *end || n < lo || n > hi) {
		log_error("bad configuration value", "name", name, "value", v,
			  "range", log_fmt("%ld..%ld", lo, hi));
		return -1;
	}
	*out = n;
	return 0;
}

static int config_load_providers(struct config *c)
{
	c->public_base_url = env_str("RM_PUBLIC_BASE_URL", c->base_url);
	c->twilio_api_base = env_str("TWILIO_API_BASE", "https://api.twilio.com");
	c->twilio_account_sid = env_str("TWILIO_ACCOUNT_SID", NULL);
	c->twilio_auth_token = env_str("TWILIO_AUTH_TOKEN", NULL);
	c->twilio_from = env_str("TWILIO_FROM", NULL);
	c->whatsapp_api_base = env_str("WHATSAPP_API_BASE", "https://graph.facebook.com");
	c->whatsapp_api_version = env_str("WHATSAPP_API_VERSION", "v19.0");
	c->whatsapp_token = env_str("WHATSAPP_TOKEN", NULL);
	c->whatsapp_phone_number_id = env_str("WHATSAPP_PHONE_NUMBER_ID", NULL);
	c->whatsapp_app_secret = env_str("WHATSAPP_APP_SECRET", NULL);
	c->whatsapp_verify_token = env_str("WHATSAPP_VERIFY_TOKEN", NULL);
	c->smtp_url = env_str("SMTP_URL", "smtp://127.0.0.1:25");
	c->smtp_user = env_str("SMTP_USER", NULL);
	c->smtp_password = env_str("SMTP_PASSWORD", NULL);
	c->smtp_from = env_str("SMTP_FROM", NULL);
	c->simulator_url = c->env == ENV_PROD ? NULL : env_str("RM_SIMULATOR_URL", NULL);
	long v;
	if (env_long("RM_SENDER_POLL_SECONDS", 1, 1, 3600, &v))
		return -1;
	c->sender_poll_seconds = (int)v;
	if (env_long("RM_SENDER_BATCH", 200, 1, 10000, &v))
		return -1;
	c->sender_batch = (int)v;
	if (env_long("RM_SENDER_PARALLEL", 32, 1, 1024, &v))
		return -1;
	c->sender_parallel = (int)v;
	if (env_long("RM_SENDER_LEASE_SECONDS", 300, 10, 86400, &v))
		return -1;
	c->sender_lease_seconds = (int)v;
	if (env_long("RM_SENDER_TIMEOUT_SECONDS", 30, 1, 600, &v))
		return -1;
	c->sender_timeout_seconds = (int)v;
	/* The lease must outlast a whole send, or a slow batch would be declared lost. */
	if (c->sender_lease_seconds < 2 * c->sender_timeout_seconds) {
		log_error("RM_SENDER_LEASE_SECONDS must be at least twice RM_SENDER_TIMEOUT_SECONDS");
		return -1;
	}
	return 0;
}

int config_load(struct config *c)
{
	memset(c, 0, sizeof *c);
	const char *env = env_str("RM_ENV", "prod");
	if (strcmp(env, "dev") == 0)
		c->env = ENV_DEV;
	else if (strcmp(env, "test") == 0)
		c->env = ENV_TEST;
	else if (strcmp(env, "prod") == 0)
		c->env = ENV_PROD;
	else {
		log_error("bad configuration value", "name", "RM_ENV", "value", env);
		return -1;
	}
	c->secure_cookies = c->env == ENV_PROD;
	c->database_url = env_str("RM_DATABASE_URL", "dbname=repman user=rm_app");
	c->template_dir = env_str("RM_TEMPLATE_DIR", "templates");
	c->base_url = env_str("RM_BASE_URL", "http://127.0.0.1:8080");
	c->secret_key = env_str("RM_SECRET_KEY", NULL);
	c->log_level = log_level_parse(env_str("RM_LOG_LEVEL", "info"));
	if (!c->secret_key || strlen(c->secret_key) < 32) {
		log_error("RM_SECRET_KEY must be set to at least 32 characters");
		return -1;
	}
	long v;
	if (env_long("RM_BCRYPT_COST", 12, PASSWORD_MIN_COST, PASSWORD_MAX_COST, &v))
		return -1;
	c->bcrypt_cost = (int)v;
	if (env_long("RM_SESSION_HOURS", 12, 1, 24 * 30, &v))
		return -1;
	c->session_hours = (int)v;
	if (env_long("RM_LOGIN_MAX_FAILURES", 5, 1, 1000, &v))
		return -1;
	c->login_max_failures = (int)v;
	if (env_long("RM_LOGIN_WINDOW_MINUTES", 15, 1, 24 * 60, &v))
		return -1;
	c->login_window_minutes = (int)v;
	if (env_long("RM_MAX_BODY", 1L << 20, 1024, 1L << 30, &v))
		return -1;
	c->max_body = (size_t)v;
	if (env_long("RM_MAX_UPLOAD", 10L << 20, 1024, 1L << 30, &v))
		return -1;
	c->max_upload = (size_t)v;
	return config_load_providers(c);
}
