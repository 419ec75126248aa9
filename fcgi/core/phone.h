/* phone.h: telephone numbers, read as people type them and stored in E.164.
 *
 * A thin C interface over libphonenumber (phone.cc is the only file that sees its C++
 * types), checked against the real numbering plans. Ecuador is the default region:
 * 0987654321, 987654321, 593987654321, +593 98 765 4321 and (09) 8765-4321 are all
 * +593987654321. A number of another country needs its + (or 00) prefix. Input may hold
 * digits, spaces, and the punctuation people write in numbers ( ) - . /; letters
 * (vanity numbers, "ext.") are refused rather than guessed. The result says whether the
 * number is a mobile, because SMS and WhatsApp need one. */
#ifndef RM_PHONE_H
#define RM_PHONE_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Longer input is refused before it is parsed. */
#define PHONE_MAX_INPUT 64

enum phone_kind {
	PHONE_MOBILE,
	PHONE_FIXED,            /* a landline: no SMS, no WhatsApp */
	PHONE_FIXED_OR_MOBILE,  /* plans that do not tell them apart (+1): taken as mobile */
	PHONE_OTHER,            /* toll-free, premium, VoIP, pager, ... */
};

struct phone {
	char e164[20];          /* "+593987654321" */
	char region[3];         /* "EC"; "001" regions (non-geographic) give "" */
	enum phone_kind kind;
	bool mobile;            /* can receive SMS and WhatsApp: MOBILE or FIXED_OR_MOBILE */
};

/* Normalises len bytes of input. 0, or -1 with *reason set to a Spanish sentence for
 * the form ("El número tiene letras."). Never logs: a refusal is the user's. */
int phone_normalize(const char *input, size_t len, struct phone *out, const char **reason);

/* The same, with every input through libphonenumber's Parse: phone_normalize reads the
 * commonest shape ("09" and eight digits) without it, and its tests compare the two. */
int phone_normalize_parsed(const char *input, size_t len, struct phone *out,
			   const char **reason);

#ifdef __cplusplus
}
#endif

#endif
