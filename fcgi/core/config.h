/* config.h: configuration from the environment, read once at start.
 * Every variable is documented in README.md with its default. */
#ifndef RM_CONFIG_H
#define RM_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include "log.h"

enum run_env { ENV_DEV, ENV_TEST, ENV_PROD };

struct config {
	enum run_env env;
	const char *database_url;    /* RM_DATABASE_URL: libpq conninfo */
	const char *template_dir;    /* RM_TEMPLATE_DIR */
	const char *secret_key;      /* RM_SECRET_KEY: HMAC key, >= 32 bytes, required */
	const char *base_url;        /* RM_BASE_URL: public URL, for links in messages */
	int bcrypt_cost;             /* RM_BCRYPT_COST */
	int session_hours;           /* RM_SESSION_HOURS */
	int login_max_failures;      /* RM_LOGIN_MAX_FAILURES in ... */
	int login_window_minutes;    /* ... RM_LOGIN_WINDOW_MINUTES */
	size_t max_body;             /* RM_MAX_BODY: bytes, ordinary routes */
	size_t max_upload;           /* RM_MAX_UPLOAD: bytes, upload routes */
	enum log_level log_level;    /* RM_LOG_LEVEL */
	bool secure_cookies;         /* Secure flag: on unless RM_ENV is dev or test */
	/* Provider callbacks (webhooks program). An empty secret refuses every callback. */
	const char *public_base_url;     /* RM_PUBLIC_BASE_URL: the URL providers call,
					  * for Twilio's signature (default RM_BASE_URL) */
	const char *twilio_auth_token;   /* TWILIO_AUTH_TOKEN */
	const char *whatsapp_app_secret; /* WHATSAPP_APP_SECRET */
	const char *whatsapp_verify_token; /* WHATSAPP_VERIFY_TOKEN */
};

/* Fills c from the environment. Returns -1 (logged) when a value is missing or bad. */
int config_load(struct config *c);

#endif
