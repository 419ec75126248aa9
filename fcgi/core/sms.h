/* sms.h: how long a text is as an SMS, and in how many parts it goes.
 *
 * A text made only of GSM 03.38 characters travels as GSM-7: 160 septets in one
 * message, 153 in each part of a longer one (the rest of each part is the header that
 * joins them); the extension characters ^ { } \ [ ] ~ | € and form feed take two
 * septets (an escape and the character) and are never split across parts. One
 * character outside that set sends the whole text as UCS-2: 70 UTF-16 units in one
 * message, 67 per part; a character beyond U+FFFF (most emoji) takes two units and is
 * not split either. Spanish users meet this often: á í ó ú are not GSM-7 (é and ñ are),
 * so the editor names the characters that forced UCS-2. */
#ifndef RM_SMS_H
#define RM_SMS_H

#include <stdbool.h>
#include <stddef.h>

struct arena;

enum sms_encoding { SMS_GSM7, SMS_UCS2 };

#define SMS_GSM7_SINGLE 160
#define SMS_GSM7_PART 153
#define SMS_UCS2_SINGLE 70
#define SMS_UCS2_PART 67
/* How many distinct forcing characters are listed at most. */
#define SMS_MAX_FORCED 32

struct sms_info {
	enum sms_encoding encoding;
	size_t chars;       /* code points */
	size_t units;       /* GSM-7 septets, or UTF-16 units for UCS-2 */
	size_t segments;    /* 0 for the empty text */
	size_t per_segment; /* 160, 153, 70 or 67: the limit that applies to this text */
	/* The distinct characters that forced UCS-2, in order of first appearance, each a
	 * UTF-8 string; nforced is 0 for GSM-7. forced_more: there were more than listed. */
	const char *forced[SMS_MAX_FORCED];
	size_t nforced;
	bool forced_more;
};

/* Measures len bytes of UTF-8 text. 0, or -1 when the text is not valid UTF-8. */
int sms_measure(struct arena *a, const char *text, size_t len, struct sms_info *out);

/* The forced characters joined with spaces ("ó í"), "" for none; for a page. */
char *sms_forced_list(struct arena *a, const struct sms_info *info);

/* Septets code point cp takes in GSM-7: 1 (basic set), 2 (extension), 0 (not GSM-7). */
int sms_gsm7_width(unsigned long cp);

#endif
