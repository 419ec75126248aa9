/* fuzz_phone.c: libFuzzer harness for core/phone.h. Any input either is refused with a
 * reason or gives an E.164 number that normalises to itself again, with the same kind;
 * and phone_normalize answers exactly as phone_normalize_parsed (no shortcut) does. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/phone.h"

/* "+" then 7 to 15 digits, the first not 0. */
static int e164_shape(const char *s)
{
	size_t n = strlen(s);
	if (n < 8 || n > 16 || s[0] != '+' || s[1] < '1' || s[1] > '9')
		return 0;
	for (size_t i = 2; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A copy of exactly size bytes, so reading one past the end is caught. */
	char *in = malloc(size ? size : 1);
	if (size)
		memcpy(in, data, size);

	struct phone p, parsed;
	const char *reason = NULL, *parsed_reason = NULL;
	int rc = phone_normalize(in, size, &p, &reason);
	if (phone_normalize_parsed(in, size, &parsed, &parsed_reason) != rc ||
	    (reason == NULL) != (parsed_reason == NULL) ||
	    (reason && strcmp(reason, parsed_reason) != 0) || memcmp(&p, &parsed, sizeof p) != 0)
		abort();
	if (rc != 0) {
		if (!reason || !*reason || p.e164[0])
			abort();
	} else {
		if (reason || !e164_shape(p.e164))
			abort();
		if (p.mobile != (p.kind == PHONE_MOBILE || p.kind == PHONE_FIXED_OR_MOBILE))
			abort();
		struct phone again;
		if (phone_normalize(p.e164, strlen(p.e164), &again, &reason) != 0 ||
		    strcmp(again.e164, p.e164) != 0 || again.kind != p.kind)
			abort();
	}
	free(in);
	return 0;
}
