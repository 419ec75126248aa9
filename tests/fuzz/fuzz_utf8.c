/* fuzz_utf8.c: libFuzzer harness for core/utf8.h, checked against a straightforward
 * decoder written here from the definition (decode each sequence to a code point, then
 * refuse overlongs, surrogates, values above U+10FFFF and NUL). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"

/* Decodes the input; returns false on any ill-formed sequence. Sets *count and
 * *controls (C0 except TAB LF CR, and DEL). */
static bool reference(const uint8_t *s, size_t n, size_t *count, bool *controls)
{
	*count = 0;
	*controls = false;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t len;
		uint8_t c = s[i];
		if (c < 0x80) {
			cp = c;
			len = 1;
		} else if ((c & 0xE0) == 0xC0) {
			cp = c & 0x1F;
			len = 2;
		} else if ((c & 0xF0) == 0xE0) {
			cp = c & 0x0F;
			len = 3;
		} else if ((c & 0xF8) == 0xF0) {
			cp = c & 0x07;
			len = 4;
		} else {
			return false;
		}
		if (n - i < len)
			return false;
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return false;
			cp = cp << 6 | (s[i + k] & 0x3F);
		}
		static const uint32_t min[] = { 0, 0, 0x80, 0x800, 0x10000 };
		if (cp < min[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0)
			return false;
		if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0x7F)
			*controls = true;
		(*count)++;
		i += len;
	}
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = malloc(size ? size : 1);
	if (size)
		memcpy(in, data, size);

	size_t count;
	bool controls;
	bool ok = reference(data, size, &count, &controls);
	if (utf8_valid(in, size) != ok)
		abort();
	if (utf8_text_ok(in, size) != (ok && !controls))
		abort();
	if (ok && utf8_length(in, size) != count)
		abort();
	(void)utf8_length(in, size);   /* must stay in bounds on any input */

	free(in);
	return 0;
}
