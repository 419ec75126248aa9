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
	/* Providers (the sender; webhooks checks signatures with the secrets). Unset
	 * credentials are NULL: a channel without them fails its messages, named in the log. */
	const char *public_base_url;    /* RM_PUBLIC_BASE_URL: what providers call back */
	const char *twilio_api_base;    /* TWILIO_API_BASE */
	const char *twilio_account_sid; /* TWILIO_ACCOUNT_SID */
	const char *twilio_auth_token;  /* TWILIO_AUTH_TOKEN (secret) */
	const char *twilio_from;        /* TWILIO_FROM: E.164 or a MessagingServiceSid (MG…) */
	const char *whatsapp_api_base;  /* WHATSAPP_API_BASE */
	const char *whatsapp_api_version;     /* WHATSAPP_API_VERSION */
	const char *whatsapp_token;           /* WHATSAPP_TOKEN (secret) */
	const char *whatsapp_phone_number_id; /* WHATSAPP_PHONE_NUMBER_ID */
	const char *whatsapp_app_secret;      /* WHATSAPP_APP_SECRET (secret) */
	const char *whatsapp_verify_token;    /* WHATSAPP_VERIFY_TOKEN (secret) */
	const char *smtp_url;           /* SMTP_URL: smtp://host:port or smtps://… */
	const char *smtp_user;          /* SMTP_USER */
	const char *smtp_password;      /* SMTP_PASSWORD (secret) */
	const char *smtp_from;          /* SMTP_FROM: the From address */
	const char *simulator_url;      /* RM_SIMULATOR_URL: the stand-ins' phone simulator,
					 * linked from the dashboard (dev and test only) */
	/* The sender's own knobs. */
	int sender_poll_seconds;        /* RM_SENDER_POLL_SECONDS: fallback poll */
	int sender_batch;               /* RM_SENDER_BATCH: messages claimed at once */
	int sender_parallel;            /* RM_SENDER_PARALLEL: connections per provider */
	int sender_lease_seconds;       /* RM_SENDER_LEASE_SECONDS: SENDING lease */
	int sender_timeout_seconds;     /* RM_SENDER_TIMEOUT_SECONDS: one send's deadline */
};

/* Fills c from the environment. Returns -1 (logged) when a value is missing or bad. */
int config_load(struct config *c);

#endif
