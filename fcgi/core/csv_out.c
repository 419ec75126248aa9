/* csv_out.c: RFC 4180 fields with formula neutralising; see csv_out.h. */
#include "csv_out.h"
#include "buf.h"

#include <string.h>

static int needs_quotes(const char *v)
{
	return strpbrk(v, ",\"\r\n") != NULL;
}

/* A signed number ("+593987654321", "-2.5") is data, not a formula: phone numbers in
 * E.164 start with '+' and must survive an export unchanged. */
static int signed_number(const char *v)
{
	return (v[0] == '+' || v[0] == '-') && v[1] && strspn(v + 1, "0123456789. ") == strlen(v + 1);
}

static int looks_like_formula(const char *v)
{
	return v[0] && strchr("=+-@\t\r", v[0]) != NULL && !signed_number(v);
}

void csv_out_field(struct buf *out, const char *value, int first)
{
	const char *v = value ? value : "";
	if (!first)
		buf_addch(out, ',');
	int quote = needs_quotes(v);
	if (quote)
		buf_addch(out, '"');
	if (looks_like_formula(v))
		buf_addch(out, '\'');
	for (const char *p = v; *p; p++) {
		if (*p == '"')
			buf_addch(out, '"');
		buf_addch(out, *p);
	}
	if (quote)
		buf_addch(out, '"');
}

void csv_out_row(struct buf *out, const char *const *fields, size_t n)
{
	for (size_t i = 0; i < n; i++)
		csv_out_field(out, fields[i], i == 0);
	buf_adds(out, "\r\n");
}
