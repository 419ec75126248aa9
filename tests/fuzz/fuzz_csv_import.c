/* fuzz_csv_import.c: libFuzzer harness for core/csv_import.h.
 *
 * Input: a whole uploaded file. Phones go through a stub that accepts any run of 7..15
 * digits. Checks: a refused file says why; otherwise the counts add up to the rows, lines
 * increase strictly and stay within the file's line count, every accepted row has a name,
 * a contact, a parsed appointment and a channel, every value is valid UTF-8, a
 * duplicate points at an earlier line, and every appointment not refused converts to
 * microseconds. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/csv_import.h"
#include "core/utf8.h"

static struct arena *arena;

static int stub_phone(const char *in, char *out, size_t n, bool *mobile, const char **reason)
{
	size_t k = 0;
	char d[20];
	for (const char *p = in; *p; p++) {
		if (*p >= '0' && *p <= '9') {
			if (k >= 15)
				break;
			d[k++] = *p;
		} else if (*p != ' ' && *p != '+' && *p != '-') {
			*reason = "no es un número";
			return -1;
		}
	}
	if (k < 7 || k > 15 || d[0] == '0') {
		*reason = "longitud";
		return -1;
	}
	d[k] = '\0';
	snprintf(out, n, "+%s", d);
	*mobile = k % 2 == 0;
	return 0;
}

static void check_text(const char *s)
{
	if (s && !utf8_valid(s, strlen(s)))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!arena)
		arena = arena_new();
	char *copy = malloc(size ? size : 1);   /* exact size: ASan sees any over-read */
	if (size)
		memcpy(copy, data, size);
	struct csv_import r;
	int rc = csv_import_parse(arena, copy, size, stub_phone, &r);
	size_t lines = 1;
	for (size_t i = 0; i < size; i++)   /* LF, CRLF and lone CR each end a line */
		lines += data[i] == '\n' || (data[i] == '\r' && (i + 1 == size || data[i + 1] != '\n'));
	if (rc != 0) {
		if (!r.error)
			abort();
	} else {
		if (r.accepted + r.refused + r.duplicates != r.nrows)
			abort();
		long prev = 1;
		for (size_t i = 0; i < r.nrows; i++) {
			const struct csv_import_row *row = &r.rows[i];
			if (row->line <= prev || (size_t)row->line > lines)
				abort();
			prev = row->line;
			if (row->status != CSV_ROW_ACCEPTED && !row->reason)
				abort();
			if (row->status == CSV_ROW_DUPLICATE && row->duplicate_of >= row->line)
				abort();
			if (row->status == CSV_ROW_ACCEPTED &&
			    (!row->name || !*row->name || (!row->phone && !row->email) ||
			     !row->appointment || !row->channel || !row->language))
				abort();
			/* The appointment of a row not refused reads back as microseconds,
			 * as the upload sends it (csv_import_appointment_us). */
			int64_t us;
			bool off;
			if (row->status != CSV_ROW_REFUSED &&
			    csv_import_appointment_us(row->appointment, &us, &off) != 0)
				abort();
			check_text(row->name);
			check_text(row->reason);
			check_text(row->appointment_type);
			check_text(row->email);
		}
		for (size_t i = 0; i < r.nignored; i++)
			check_text(r.ignored[i]);
	}
	free(copy);
	arena_reset(arena);
	return 0;
}
