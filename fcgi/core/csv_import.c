/* csv_import.c: see csv_import.h. libcsv splits fields; everything else (encoding,
 * headers, values, duplicates) is here, as pure functions over the arena. */
#include "csv_import.h"

#include <csv.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "buf.h"
#include "nitems.h"
#include "utf8.h"
#include "validate.h"

/* ---- encoding ---------------------------------------------------------------------- */

/* Windows-1252 0x80..0x9F as Unicode (0 for the five undefined bytes). */
static const unsigned short cp1252_high[32] = {
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

static void put_utf8(struct buf *b, unsigned cp)
{
	if (cp < 0x80) {
		buf_addch(b, (int)cp);
	} else if (cp < 0x800) {
		buf_addch(b, (int)(0xC0 | (cp >> 6)));
		buf_addch(b, (int)(0x80 | (cp & 0x3F)));
	} else {
		buf_addch(b, (int)(0xE0 | (cp >> 12)));
		buf_addch(b, (int)(0x80 | ((cp >> 6) & 0x3F)));
		buf_addch(b, (int)(0x80 | (cp & 0x3F)));
	}
}

char *csv_import_to_utf8(struct arena *a, const char *data, size_t len, size_t *out_len,
			 const char **encoding)
{
	if (memchr(data, '\0', len))
		return NULL;
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		*encoding = "UTF-8 con BOM";
		data += 3;
		len -= 3;
		if (!utf8_valid(data, len))
			return NULL;
	} else if (utf8_valid(data, len)) {
		*encoding = "UTF-8";
	} else {
		*encoding = "Windows-1252";
		struct buf b;
		buf_init(&b);
		for (size_t i = 0; i < len; i++) {
			unsigned char ch = (unsigned char)data[i];
			unsigned cp = ch < 0x80 ? ch : ch < 0xA0 ? cp1252_high[ch - 0x80] : ch;
			put_utf8(&b, cp ? cp : 0xFFFD);
		}
		char *s = arena_memdup(a, b.buf, b.len);
		*out_len = b.len;
		buf_release(&b);
		return s;
	}
	*out_len = len;
	return arena_memdup(a, data, len);
}

/* ---- headers ----------------------------------------------------------------------- */

/* Lowercase ASCII with Spanish accents removed and runs of space, '_', '-', '.' as one
 * space, trimmed: "Teléfono_Móvil " → "telefono movil". */
static void fold(const char *s, char *out, size_t n)
{
	static const struct { const char *utf8; char ascii; } accents[] = {
		{ "\xC3\xA1", 'a' }, { "\xC3\xA9", 'e' }, { "\xC3\xAD", 'i' }, { "\xC3\xB3", 'o' },
		{ "\xC3\xBA", 'u' }, { "\xC3\xBC", 'u' }, { "\xC3\xB1", 'n' }, { "\xC3\x81", 'a' },
		{ "\xC3\x89", 'e' }, { "\xC3\x8D", 'i' }, { "\xC3\x93", 'o' }, { "\xC3\x9A", 'u' },
		{ "\xC3\x9C", 'u' }, { "\xC3\x91", 'n' },
	};
	size_t o = 0;
	bool space = false;
	while (*s && o + 1 < n) {
		char c = *s;
		bool matched = false;
		for (size_t i = 0; i < nitems(accents); i++)
			if (strncmp(s, accents[i].utf8, 2) == 0) {
				c = accents[i].ascii;
				s += 2;
				matched = true;
				break;
			}
		if (!matched)
			s++;
		if (c == ' ' || c == '_' || c == '-' || c == '.' || c == '\t') {
			space = o > 0;
			continue;
		}
		if (space && o + 2 < n)
			out[o++] = ' ';
		space = false;
		out[o++] = (char)tolower((unsigned char)c);
	}
	out[o] = '\0';
}

int csv_import_header_col(const char *header)
{
	static const struct { const char *name; enum csv_import_col col; } names[] = {
		{ "nombre", CSV_COL_NAME }, { "nombres", CSV_COL_NAME },
		{ "nombre completo", CSV_COL_NAME }, { "paciente", CSV_COL_NAME },
		{ "name", CSV_COL_NAME }, { "full name", CSV_COL_NAME },
		{ "telefono", CSV_COL_PHONE }, { "celular", CSV_COL_PHONE },
		{ "movil", CSV_COL_PHONE }, { "telefono movil", CSV_COL_PHONE },
		{ "tel", CSV_COL_PHONE }, { "phone", CSV_COL_PHONE }, { "mobile", CSV_COL_PHONE },
		{ "phone number", CSV_COL_PHONE }, { "whatsapp", CSV_COL_PHONE },
		{ "correo", CSV_COL_EMAIL }, { "correo electronico", CSV_COL_EMAIL },
		{ "email", CSV_COL_EMAIL }, { "e mail", CSV_COL_EMAIL }, { "mail", CSV_COL_EMAIL },
		{ "fecha", CSV_COL_TIME }, { "fecha de cita", CSV_COL_TIME },
		{ "fecha cita", CSV_COL_TIME }, { "fecha y hora", CSV_COL_TIME },
		{ "hora", CSV_COL_TIME }, { "cita", CSV_COL_TIME },
		{ "appointment time", CSV_COL_TIME }, { "appointment", CSV_COL_TIME },
		{ "date", CSV_COL_TIME }, { "datetime", CSV_COL_TIME },
		{ "tipo", CSV_COL_TYPE }, { "tipo de cita", CSV_COL_TYPE },
		{ "tipo cita", CSV_COL_TYPE }, { "appointment type", CSV_COL_TYPE },
		{ "type", CSV_COL_TYPE },
		{ "consentimiento", CSV_COL_CONSENT }, { "consent", CSV_COL_CONSENT },
		{ "canal", CSV_COL_CHANNEL }, { "channel", CSV_COL_CHANNEL },
		{ "idioma", CSV_COL_LANGUAGE }, { "language", CSV_COL_LANGUAGE },
		{ "lang", CSV_COL_LANGUAGE },
	};
	char f[64];
	if (strlen(header) >= sizeof f)
		return -1;
	fold(header, f, sizeof f);
	for (size_t i = 0; i < nitems(names); i++)
		if (strcmp(f, names[i].name) == 0)
			return (int)names[i].col;
	return -1;
}

char csv_import_delimiter(const char *data, size_t len)
{
	size_t commas = 0, semis = 0;
	bool quoted = false;
	for (size_t i = 0; i < len; i++) {
		char c = data[i];
		if (c == '"')
			quoted = !quoted;
		else if (!quoted && (c == '\n' || c == '\r'))
			break;
		else if (!quoted && c == ',')
			commas++;
		else if (!quoted && c == ';')
			semis++;
	}
	return semis > commas ? ';' : ',';
}

/* ---- values ------------------------------------------------------------------------ */

/* Reads 1..maxd digits at *p into *v. */
static bool digits(const char **p, int mind, int maxd, int *v)
{
	int n = 0, x = 0;
	while (n < maxd && isdigit((unsigned char)**p)) {
		x = x * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	*v = x;
	return n >= mind;
}

static bool leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static bool valid_date(int y, int mo, int d, int h, int mi, int s)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (y < 1900 || y > 2200 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59)
		return false;
	return d <= mdays[mo - 1] + (mo == 2 && leap(y));
}

int csv_import_date(const char *s, char *out, size_t n)
{
	int y, mo, d, h, mi, sec = 0;
	const char *p = s;
	while (*p == ' ')
		p++;
	bool iso = false;
	if (isdigit((unsigned char)p[0]) && isdigit((unsigned char)p[1]) &&
	    isdigit((unsigned char)p[2]) && isdigit((unsigned char)p[3]) && p[4] == '-') {
		if (!digits(&p, 4, 4, &y) || *p++ != '-' || !digits(&p, 1, 2, &mo) ||
		    *p++ != '-' || !digits(&p, 1, 2, &d))
			return -1;
		iso = true;
	} else {
		if (!digits(&p, 1, 2, &d) || (*p != '/' && *p != '-'))
			return -1;
		char sep = *p++;
		if (!digits(&p, 1, 2, &mo) || *p++ != sep || !digits(&p, 4, 4, &y))
			return -1;
	}
	if (*p == 'T' && iso)
		p++;
	else if (*p == ' ')
		while (*p == ' ')
			p++;
	else
		return -1;
	if (!digits(&p, 1, 2, &h) || *p++ != ':' || !digits(&p, 2, 2, &mi))
		return -1;
	if (*p == ':') {
		p++;
		if (!digits(&p, 2, 2, &sec))
			return -1;
		if (*p == '.' || *p == ',') {   /* fractions of a second: dropped */
			p++;
			int frac;
			if (!digits(&p, 1, 9, &frac))
				return -1;
		}
	}
	char offset[16] = "";
	if (iso && (*p == 'Z' || *p == 'z')) {
		strcpy(offset, "+00:00");
		p++;
	} else if (iso && (*p == '+' || *p == '-')) {
		char sign = *p++;
		int oh, om = 0;
		if (!digits(&p, 2, 2, &oh))
			return -1;
		if (*p == ':')
			p++;
		if (isdigit((unsigned char)*p) && !digits(&p, 2, 2, &om))
			return -1;
		if (oh > 14 || om > 59)
			return -1;
		snprintf(offset, sizeof offset, "%c%02d:%02d", sign, oh, om);
	}
	while (*p == ' ')
		p++;
	if (*p || !valid_date(y, mo, d, h, mi, sec))
		return -1;
	int w = offset[0]
		? snprintf(out, n, "%04d-%02d-%02dT%02d:%02d:%02d%s", y, mo, d, h, mi, sec, offset)
		: snprintf(out, n, "%04d-%02d-%02d %02d:%02d:%02d", y, mo, d, h, mi, sec);
	return w > 0 && (size_t)w < n ? 0 : -1;
}

/* n digits at s (exactly), as digits reads them. */
static bool fixed_digits(const char *s, int n, int *v)
{
	return digits(&s, n, n, v);
}

int csv_import_appointment_us(const char *s, int64_t *us, bool *has_offset)
{
	/* "YYYY-MM-DD HH:MM:SS", or "YYYY-MM-DDTHH:MM:SS+hh:mm" (csv_import_date). */
	size_t len = strlen(s);
	bool offset = len == 25 && s[10] == 'T' && (s[19] == '+' || s[19] == '-') && s[22] == ':';
	if (!offset && !(len == 19 && s[10] == ' '))
		return -1;
	int y, mo, d, h, mi, sec;
	if (s[4] != '-' || s[7] != '-' || s[13] != ':' || s[16] != ':' ||
	    !fixed_digits(s, 4, &y) || !fixed_digits(s + 5, 2, &mo) ||
	    !fixed_digits(s + 8, 2, &d) || !fixed_digits(s + 11, 2, &h) ||
	    !fixed_digits(s + 14, 2, &mi) || !fixed_digits(s + 17, 2, &sec) ||
	    !valid_date(y, mo, d, h, mi, sec))
		return -1;
	/* The fields read as UTC, counted from PostgreSQL's epoch (2000-01-01 00:00). */
	struct tm tm = { .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h,
			 .tm_min = mi, .tm_sec = sec };
	struct tm epoch = { .tm_year = 100, .tm_mday = 1 };
	int64_t t = (int64_t)timegm(&tm) - (int64_t)timegm(&epoch);
	if (offset) {
		int oh, om;
		if (!fixed_digits(s + 20, 2, &oh) || !fixed_digits(s + 23, 2, &om) || oh > 14 ||
		    om > 59)
			return -1;
		/* 10:00-05:00 is 15:00 UTC. */
		t -= (s[19] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
	}
	*us = t * 1000000;
	*has_offset = offset;
	return 0;
}

/* Looks up s (folded) in a NULL-terminated word list. */
static bool word_in(const char *s, const char *const *words)
{
	char f[32];
	if (strlen(s) >= sizeof f)
		return false;
	fold(s, f, sizeof f);
	for (; *words; words++)
		if (strcmp(f, *words) == 0)
			return true;
	return false;
}

int csv_import_consent(const char *s)
{
	static const char *const yes[] = { "si", "yes", "x", "1", "true", "verdadero", "s", "y",
					   NULL };
	static const char *const no[] = { "", "no", "n", "0", "false", "falso", NULL };
	if (word_in(s, yes))
		return 1;
	if (word_in(s, no))
		return 0;
	return -1;
}

/* "SMS", "WHATSAPP", "EMAIL", "" when empty (choose from the contact data), or NULL. */
static const char *channel_of(const char *s)
{
	static const char *const sms[] = { "sms", "mensaje", "texto", NULL };
	static const char *const wa[] = { "whatsapp", "wa", "wsp", "whats app", NULL };
	static const char *const mail[] = { "email", "e mail", "correo", "mail",
					    "correo electronico", NULL };
	if (!*s)
		return "";
	if (word_in(s, sms))
		return "SMS";
	if (word_in(s, wa))
		return "WHATSAPP";
	if (word_in(s, mail))
		return "EMAIL";
	return NULL;
}

/* "es", "en", "es-EC"… or NULL when not understood. Empty means Spanish. */
static const char *language_of(struct arena *a, const char *s)
{
	static const char *const es[] = { "", "es", "espanol", "spanish", "castellano", NULL };
	static const char *const en[] = { "en", "ingles", "english", NULL };
	if (word_in(s, es))
		return "es";
	if (word_in(s, en))
		return "en";
	size_t n = strlen(s);
	if ((n == 2 || (n == 5 && (s[2] == '-' || s[2] == '_'))) && islower((unsigned char)s[0]) &&
	    islower((unsigned char)s[1]) &&
	    (n == 2 || (isupper((unsigned char)s[3]) && isupper((unsigned char)s[4])))) {
		char *l = arena_strdup(a, s);
		if (n == 5)
			l[2] = '-';
		return l;
	}
	return NULL;
}

/* A copy with every run of whitespace (quoted newlines included) as one space, trimmed. */
static char *one_line(struct arena *a, const char *s)
{
	char *out = arena_strdup(a, s), *o = out;
	bool space = false;
	for (const char *p = s; *p; p++) {
		if (isspace((unsigned char)*p) || (unsigned char)*p < 0x20) {
			space = o > out;
			continue;
		}
		if (space)
			*o++ = ' ';
		space = false;
		*o++ = *p;
	}
	*o = '\0';
	return out;
}

/* ---- rows -------------------------------------------------------------------------- */

struct fields {
	char **v;
	size_t n, cap;
};

struct parse_state {
	struct arena *a;
	struct fields cur;
	long cur_line;
	bool open;               /* a record has started and not ended */
	struct {
		long line;
		char **v;
		size_t n;
	} *recs;
	size_t nrecs, cap;
	bool too_many;
};

static void on_field(void *s, size_t len, void *data)
{
	struct parse_state *st = data;
	if (st->cur.n == st->cur.cap) {
		size_t cap = st->cur.cap ? st->cur.cap * 2 : 16;
		char **v = arena_calloc(st->a, cap, sizeof *v);
		if (st->cur.n)
			memcpy(v, st->cur.v, st->cur.n * sizeof *v);
		st->cur.v = v;
		st->cur.cap = cap;
	}
	st->cur.v[st->cur.n++] = arena_strndup(st->a, s ? s : "", s ? len : 0);
}

static void on_record(int c, void *data)
{
	(void)c;
	struct parse_state *st = data;
	if (st->nrecs >= CSV_IMPORT_MAX_ROWS + 1) {
		st->too_many = true;
	} else {
		if (st->nrecs == st->cap) {
			size_t cap = st->cap ? st->cap * 2 : 256;
			void *r = arena_calloc(st->a, cap, sizeof *st->recs);
			if (st->nrecs)
				memcpy(r, st->recs, st->nrecs * sizeof *st->recs);
			st->recs = r;
			st->cap = cap;
		}
		st->recs[st->nrecs].line = st->cur_line;
		st->recs[st->nrecs].v = st->cur.v;
		st->recs[st->nrecs].n = st->cur.n;
		st->nrecs++;
	}
	st->cur.v = NULL;
	st->cur.n = st->cur.cap = 0;
	st->open = false;
}

static bool blank_line(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' && p[i] != '\n')
			return false;
	return true;
}

/* Bytes up to and including the next line end: LF, CRLF, or a lone CR (old Mac files,
 * which libcsv also takes as a record end). */
static size_t line_len(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '\n')
			return i + 1;
		if (p[i] == '\r')
			return i + 1 < n && p[i + 1] == '\n' ? i + 2 : i + 1;
	}
	return n;
}

/* Splits text into records, fed to libcsv one physical line at a time so that each
 * record knows the line it started on. */
static int split(struct arena *a, const char *text, size_t len, char delim,
		 struct parse_state *st)
{
	struct csv_parser p;
	if (csv_init(&p, CSV_APPEND_NULL) != 0)
		return -1;
	csv_set_delim(&p, (unsigned char)delim);
	memset(st, 0, sizeof *st);
	st->a = a;
	long line = 0;
	size_t off = 0;
	int rc = 0;
	while (off < len && !st->too_many) {
		size_t n = line_len(text + off, len - off);
		line++;
		if (!st->open && !blank_line(text + off, n)) {
			st->open = true;
			st->cur_line = line;
		}
		if (csv_parse(&p, text + off, n, on_field, on_record, st) != n) {
			rc = -1;
			break;
		}
		off += n;
	}
	if (rc == 0 && csv_fini(&p, on_field, on_record, st) != 0)
		rc = -1;
	csv_free(&p);
	return rc;
}

static const char *col_value(const struct csv_import *out, char **v, size_t n,
			     enum csv_import_col col)
{
	int i = out->columns[col];
	return i >= 0 && (size_t)i < n ? v[i] : "";
}

/* Validates one record into row; sets status and reason. */
static void check_row(struct arena *a, const struct csv_import *out, char **v, size_t n,
		      csv_import_phone_fn phone_fn, struct csv_import_row *row)
{
	row->status = CSV_ROW_REFUSED;
	for (size_t i = 0; i < n; i++)
		if (utf8_length(v[i], strlen(v[i])) > CSV_IMPORT_MAX_FIELD) {
			row->reason = arena_printf(a, "Un valor supera los %d caracteres.",
						   CSV_IMPORT_MAX_FIELD);
			return;
		}
	const char *name = one_line(a, col_value(out, v, n, CSV_COL_NAME));
	const char *phone_in = one_line(a, col_value(out, v, n, CSV_COL_PHONE));
	const char *email = one_line(a, col_value(out, v, n, CSV_COL_EMAIL));
	const char *when = one_line(a, col_value(out, v, n, CSV_COL_TIME));
	const char *type = one_line(a, col_value(out, v, n, CSV_COL_TYPE));
	const char *consent = one_line(a, col_value(out, v, n, CSV_COL_CONSENT));
	const char *channel_in = one_line(a, col_value(out, v, n, CSV_COL_CHANNEL));
	const char *lang_in = one_line(a, col_value(out, v, n, CSV_COL_LANGUAGE));

	if (!*name) {
		row->reason = "Falta el nombre.";
		return;
	}
	if (utf8_length(name, strlen(name)) > 200) {
		row->reason = "El nombre supera los 200 caracteres.";
		return;
	}
	/* From here on a refused row keeps its name: the report lists it by it. */
	row->name = name;
	if (!*phone_in && !*email) {
		row->reason = "Falta el teléfono y el correo: se necesita al menos uno.";
		return;
	}
	bool mobile = false;
	if (*phone_in) {
		char e164[32];
		const char *why = "número no válido";
		if (phone_fn(phone_in, e164, sizeof e164, &mobile, &why) != 0) {
			row->reason = arena_printf(a, "Teléfono «%s» no válido: %s", phone_in, why);
			return;
		}
		row->phone = arena_strdup(a, e164);
	}
	if (*email) {
		char *lower = arena_strdup(a, email);
		for (char *p = lower; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		if (!valid_email(lower, strlen(lower))) {
			row->reason = arena_printf(a, "Correo «%s» no válido.", email);
			return;
		}
		row->email = lower;
	}
	if (!*when) {
		row->reason = "Falta la fecha de la cita.";
		return;
	}
	char date[40];
	if (csv_import_date(when, date, sizeof date) != 0) {
		row->reason = arena_printf(a, "Fecha «%s» no válida: use dd/mm/aaaa HH:MM, "
					   "aaaa-mm-dd HH:MM o ISO 8601.", when);
		return;
	}
	row->appointment = arena_strdup(a, date);
	int yes = csv_import_consent(consent);
	if (yes < 0) {
		row->reason = arena_printf(a, "Consentimiento «%s» no reconocido: use sí o no.",
					   consent);
		return;
	}
	row->consent = yes == 1;
	const char *channel = channel_of(channel_in);
	if (!channel) {
		row->reason = arena_printf(a, "Canal «%s» no reconocido: use SMS, WhatsApp o "
					   "correo.", channel_in);
		return;
	}
	if (!*channel)
		channel = row->phone && mobile ? "SMS" : row->email ? "EMAIL" : "SMS";
	if (strcmp(channel, "EMAIL") == 0 && !row->email) {
		row->reason = "El canal es correo pero falta el correo.";
		return;
	}
	if (strcmp(channel, "EMAIL") != 0 && (!row->phone || !mobile)) {
		row->reason = row->phone ? "SMS y WhatsApp necesitan un número móvil."
					 : "El canal es SMS o WhatsApp pero falta el teléfono.";
		return;
	}
	row->channel = channel;
	row->language = language_of(a, lang_in);
	if (!row->language) {
		row->reason = arena_printf(a, "Idioma «%s» no reconocido: use es o en.", lang_in);
		return;
	}
	row->appointment_type = *type ? type : NULL;
	if (row->appointment_type && utf8_length(type, strlen(type)) > 200) {
		row->reason = "El tipo de cita supera los 200 caracteres.";
		return;
	}
	row->status = CSV_ROW_ACCEPTED;
}

struct dup_key {
	const char *key;
	size_t index;
};

static int dup_cmp(const void *x, const void *y)
{
	const struct dup_key *a = x, *b = y;
	int c = strcmp(a->key, b->key);
	return c ? c : (a->index > b->index) - (a->index < b->index);
}

/* Marks later rows with the same contact and appointment as an earlier accepted row. */
static void mark_duplicates(struct arena *a, struct csv_import *out)
{
	struct dup_key *keys = arena_calloc(a, out->nrows ? out->nrows : 1, sizeof *keys);
	size_t n = 0;
	for (size_t i = 0; i < out->nrows; i++) {
		struct csv_import_row *r = &out->rows[i];
		if (r->status != CSV_ROW_ACCEPTED)
			continue;
		keys[n].key = arena_printf(a, "%s|%s|%s", r->phone ? r->phone : "",
					   r->phone ? "" : r->email, r->appointment);
		keys[n++].index = i;
	}
	qsort(keys, n, sizeof *keys, dup_cmp);
	/* After sorting, equal keys are adjacent and the earliest row comes first. */
	size_t first = 0;
	for (size_t i = 1; i < n; i++) {
		if (strcmp(keys[i].key, keys[first].key) != 0) {
			first = i;
			continue;
		}
		struct csv_import_row *r = &out->rows[keys[i].index];
		r->status = CSV_ROW_DUPLICATE;
		r->duplicate_of = out->rows[keys[first].index].line;
		r->reason = arena_printf(a, "Duplicado de la línea %ld (mismo contacto y misma "
					 "cita).", r->duplicate_of);
	}
}

static int refuse(struct csv_import *out, const char *why)
{
	out->error = why;
	return -1;
}

static int map_header(struct arena *a, char **v, size_t n, struct csv_import *out)
{
	out->ignored = arena_calloc(a, n ? n : 1, sizeof *out->ignored);
	for (size_t i = 0; i < n; i++) {
		const char *h = one_line(a, v[i]);
		int col = csv_import_header_col(h);
		if (col >= 0 && out->columns[col] < 0)
			out->columns[col] = (int)i;
		else if (*h)
			out->ignored[out->nignored++] = h;
	}
	if (out->columns[CSV_COL_NAME] < 0)
		return refuse(out, "No se encontró la columna del nombre (nombre o name) en la "
			      "primera línea.");
	if (out->columns[CSV_COL_PHONE] < 0 && out->columns[CSV_COL_EMAIL] < 0)
		return refuse(out, "No se encontró una columna de teléfono ni de correo.");
	if (out->columns[CSV_COL_TIME] < 0)
		return refuse(out, "No se encontró la columna de la fecha de la cita (fecha o "
			      "fecha de cita).");
	return 0;
}

int csv_import_parse(struct arena *a, const char *data, size_t len,
		     csv_import_phone_fn phone, struct csv_import *out)
{
	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < nitems(out->columns); i++)
		out->columns[i] = -1;
	out->delimiter = ',';
	out->encoding = "UTF-8";
	if (len > CSV_IMPORT_MAX_BYTES)
		return refuse(out, "El archivo supera los 10 MiB.");
	size_t tlen;
	char *text = csv_import_to_utf8(a, data, len, &tlen, &out->encoding);
	if (!text)
		return refuse(out, "El archivo no es un CSV de texto (¿es una hoja de Excel "
			      ".xlsx o un PDF?). Guárdelo como «CSV (delimitado por comas)».");
	out->delimiter = csv_import_delimiter(text, tlen);
	struct parse_state st;
	if (split(a, text, tlen, out->delimiter, &st) != 0)
		return refuse(out, "No se pudo leer el archivo como CSV.");
	if (st.too_many)
		return refuse(out, arena_printf(a, "El archivo tiene más de %d filas.",
						CSV_IMPORT_MAX_ROWS));
	if (st.nrecs == 0)
		return refuse(out, "El archivo está vacío.");
	if (map_header(a, st.recs[0].v, st.recs[0].n, out))
		return -1;
	out->nrows = st.nrecs - 1;
	out->rows = arena_calloc(a, out->nrows ? out->nrows : 1, sizeof *out->rows);
	for (size_t i = 0; i < out->nrows; i++) {
		out->rows[i].line = st.recs[i + 1].line;
		check_row(a, out, st.recs[i + 1].v, st.recs[i + 1].n, phone, &out->rows[i]);
	}
	mark_duplicates(a, out);
	for (size_t i = 0; i < out->nrows; i++) {
		enum csv_import_status s = out->rows[i].status;
		out->accepted += s == CSV_ROW_ACCEPTED;
		out->refused += s == CSV_ROW_REFUSED;
		out->duplicates += s == CSV_ROW_DUPLICATE;
	}
	return 0;
}
