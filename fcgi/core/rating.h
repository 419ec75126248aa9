/* rating.h: what a patient's reply says: a rating from 1 to 5, an opt-out, an opt-in,
 * or just text. Pure: no allocation, no I/O, so the webhooks and tests share it.
 *
 * Spanish first. The reply is folded (lower case, accents dropped, emoji keycaps and
 * variation selectors ignored, punctuation as spaces) and cut into words, numbers and
 * stars. It is a rating when it holds exactly one number from 1 to 5 (a digit, a keycap
 * emoji, or a word: uno…cinco, one…five) and otherwise only stars matching it and the
 * filler words of a short answer ("le doy un", "estrellas", "creo", "gracias"…); or,
 * without a number, one to five stars, or "una estrella". "4/5", "4 de 5" and "4 sobre 5"
 * count the 5 as the scale. Anything else (two numbers, a number out of range, a word
 * outside the filler list) is text: when in doubt the reply is not a rating, since a
 * wrong rating sends the wrong follow-up.
 *
 * Opt-out: the whole reply is one of STOP, BAJA, ALTO, CANCELAR, PARAR, SALIR, NO MAS,
 * UNSUBSCRIBE (and Twilio's own English words), in any case, with or without accents
 * and punctuation. Opt-in: START, ALTA (and Twilio's UNSTOP). */
#ifndef RM_RATING_H
#define RM_RATING_H

#include <stddef.h>

enum reply_kind {
	REPLY_TEXT,      /* anything else: stored, at most one clarification */
	REPLY_RATING,
	REPLY_OPT_OUT,
	REPLY_OPT_IN,
};

struct reply {
	enum reply_kind kind;
	int rating;      /* 1..5 when kind is REPLY_RATING, else 0 */
};

/* Replies longer than this are text without further reading. */
#define RATING_MAX_INPUT 1000

/* Classifies len bytes of text (need not be NUL-terminated; invalid UTF-8 is read as
 * separators). */
struct reply rating_classify(const char *text, size_t len);

/* The rating alone: 1..5, or 0 when the reply is not one. */
int rating_parse(const char *text, size_t len);

/* The kind's name for logs: "rating", "opt_out", "opt_in", "text". */
const char *rating_kind_name(enum reply_kind kind);

#endif
