/* wabody.h: the WhatsApp Cloud API webhook body, read into the events the product acts
 * on. Pure (no database): the webhooks program and a fuzzer share it.
 *
 * The body is entry[].changes[].value, each value with optional statuses[] (delivery
 * reports) and messages[] (what patients sent). The whole body is checked before any
 * event is handed out, so a caller acts on all of it or on none: a missing id, a status
 * or type that is not a short string, a sender that is not a phone number, a text message
 * without text, or anything in the wrong place refuses the body. */
#ifndef RM_WABODY_H
#define RM_WABODY_H

#include <stdbool.h>
#include <stddef.h>

struct arena;

struct wa_status {
	const char *id;       /* the wamid the sender recorded */
	const char *status;   /* sent, delivered, read, failed (others pass through) */
	const char *error;    /* "code title" of errors[0], or NULL */
};

struct wa_message {
	const char *from;       /* E.164, '+' added to WhatsApp's digits */
	const char *id;         /* wamid of the incoming message */
	const char *type;       /* text, sticker, image, audio, reaction… */
	const char *text;       /* text.body for type text; "[type]" for the others */
	bool unreadable;        /* not text: never a rating */
	const char *receiving;  /* metadata.phone_number_id, or NULL */
};

struct wa_events {
	struct wa_status *statuses;
	size_t nstatuses;
	struct wa_message *messages;
	size_t nmessages;
};

/* Parses len bytes (at most max_len) into ev; every string lives in the arena. Returns
 * 0, or -1 (logged at debug level only: the caller logs once) for a refused body. */
int wabody_parse(struct arena *a, const char *body, size_t len, size_t max_len,
		 struct wa_events *ev);

#endif
