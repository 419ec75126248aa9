/* sms.c: SMS length, encoding and parts; see sms.h. */
#include "sms.h"

#include <string.h>

#include "arena.h"
#include "buf.h"
#include "nitems.h"
#include "utf8.h"

/* The GSM 03.38 basic set outside printable ASCII, as Unicode. */
static const unsigned short gsm7_basic_extra[] = {
	0x000A, 0x000D, 0x00A1, 0x00A3, 0x00A4, 0x00A5, 0x00A7, 0x00BF, 0x00C4, 0x00C5,
	0x00C6, 0x00C7, 0x00C9, 0x00D1, 0x00D6, 0x00D8, 0x00DC, 0x00DF, 0x00E0, 0x00E4,
	0x00E5, 0x00E6, 0x00E8, 0x00E9, 0x00EC, 0x00F1, 0x00F2, 0x00F6, 0x00F8, 0x00F9,
	0x00FC, 0x0393, 0x0394, 0x0398, 0x039B, 0x039E, 0x03A0, 0x03A3, 0x03A6, 0x03A8,
	0x03A9,
};
/* Printable ASCII that is not in the basic set: the extension characters, and '`',
 * which GSM-7 does not have at all. */
static const char ascii_not_basic[] = "[\\]^`{|}~";
static const char ascii_extension[] = "[\\]^{|}~";

int sms_gsm7_width(unsigned long cp)
{
	if (cp >= 0x20 && cp < 0x7F) {
		if (!strchr(ascii_not_basic, (int)cp))
			return 1;
		return strchr(ascii_extension, (int)cp) ? 2 : 0;
	}
	if (cp == 0x20AC || cp == 0x000C)   /* € and form feed: extension */
		return 2;
	for (size_t i = 0; i < nitems(gsm7_basic_extra); i++)
		if (gsm7_basic_extra[i] == cp)
			return 1;
	return 0;
}

static unsigned long decode(const unsigned char *p, size_t n)
{
	static const unsigned char lead_mask[] = { 0, 0x7F, 0x1F, 0x0F, 0x07 };
	unsigned long cp = p[0] & lead_mask[n];
	for (size_t i = 1; i < n; i++)
		cp = cp << 6 | (p[i] & 0x3F);
	return cp;
}

/* Parts needed for widths summing to total, each part holding at most `part` units and
 * no character split between two parts. */
struct packer {
	size_t part, fill, segments;
};

static void pack(struct packer *pk, size_t width)
{
	if (pk->segments == 0 || pk->fill + width > pk->part) {
		pk->segments++;
		pk->fill = 0;
	}
	pk->fill += width;
}

static void note_forced(struct arena *a, struct sms_info *out, unsigned long *seen,
			const unsigned char *p, size_t n, unsigned long cp)
{
	for (size_t i = 0; i < out->nforced; i++)
		if (seen[i] == cp)
			return;
	if (out->nforced == SMS_MAX_FORCED) {
		out->forced_more = true;
		return;
	}
	seen[out->nforced] = cp;
	out->forced[out->nforced++] = arena_strndup(a, (const char *)p, n);
}

int sms_measure(struct arena *a, const char *text, size_t len, struct sms_info *out)
{
	memset(out, 0, sizeof *out);
	if (!utf8_valid(text, len))
		return -1;
	const unsigned char *p = (const unsigned char *)text;
	unsigned long seen[SMS_MAX_FORCED];
	struct packer gsm = { .part = SMS_GSM7_PART }, ucs = { .part = SMS_UCS2_PART };
	size_t gsm_units = 0, ucs_units = 0;

	for (size_t i = 0; i < len;) {
		size_t n = utf8_seq_len(p + i, len - i);
		unsigned long cp = decode(p + i, n);
		int w = sms_gsm7_width(cp);
		size_t u = cp > 0xFFFF ? 2 : 1;
		if (w == 0)
			note_forced(a, out, seen, p + i, n, cp);
		else
			pack(&gsm, (size_t)w);
		pack(&ucs, u);
		gsm_units += (size_t)w;
		ucs_units += u;
		out->chars++;
		i += n;
	}

	bool gsm7 = out->nforced == 0;
	out->encoding = gsm7 ? SMS_GSM7 : SMS_UCS2;
	out->units = gsm7 ? gsm_units : ucs_units;
	size_t single = gsm7 ? SMS_GSM7_SINGLE : SMS_UCS2_SINGLE;
	if (out->units == 0) {
		out->segments = 0;
		out->per_segment = single;
	} else if (out->units <= single) {
		out->segments = 1;
		out->per_segment = single;
	} else {
		out->segments = gsm7 ? gsm.segments : ucs.segments;
		out->per_segment = gsm7 ? SMS_GSM7_PART : SMS_UCS2_PART;
	}
	return 0;
}

char *sms_forced_list(struct arena *a, const struct sms_info *info)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < info->nforced; i++) {
		if (i)
			buf_addch(&b, ' ');
		buf_adds(&b, info->forced[i]);
	}
	if (info->forced_more)
		buf_adds(&b, " …");
	char *s = arena_strndup(a, b.buf, b.len);
	buf_release(&b);
	return s;
}
