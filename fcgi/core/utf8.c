/* utf8.c: strict UTF-8 validation (RFC 3629, Unicode table 3-7); see utf8.h. */
#include "utf8.h"

/* The second byte's range depends on the lead byte: that is what excludes overlongs
 * (C0, C1, E0 80..9F, F0 80..8F), surrogates (ED A0..BF) and code points above U+10FFFF
 * (F4 90.., F5..FF). */
size_t utf8_seq_len(const unsigned char *p, size_t n)
{
	if (n == 0)
		return 0;
	unsigned char c = p[0];
	size_t need;
	unsigned char lo = 0x80, hi = 0xBF;

	if (c == 0x00)
		return 0;
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF) {
		need = 2;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 3;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 4;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
	} else {
		return 0;   /* 80..C1 (continuation or overlong lead), F5..FF */
	}
	if (n < need)
		return 0;
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < need; i++)
		if (p[i] < 0x80 || p[i] > 0xBF)
			return 0;
	return need;
}

bool utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		size_t n = utf8_seq_len(p + i, len - i);
		if (n == 0)
			return false;
		i += n;
	}
	return true;
}

/* ASCII controls are the only ones refused: C1 controls (U+0080..U+009F) are left to the
 * callers that care, as the header states. */
static bool utf8_is_bad_control(unsigned char c)
{
	if (c == '\t' || c == '\n' || c == '\r')
		return false;
	return c < 0x20 || c == 0x7F;
}

bool utf8_text_ok(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		size_t n = utf8_seq_len(p + i, len - i);
		if (n == 0 || (n == 1 && utf8_is_bad_control(p[i])))
			return false;
		i += n;
	}
	return true;
}

/* Counts the bytes that start a code point. On invalid input the count is meaningless
 * but the walk still stays inside the len bytes. */
size_t utf8_length(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t count = 0;

	for (size_t i = 0; i < len; i++)
		if ((p[i] & 0xC0) != 0x80)
			count++;
	return count;
}
