/* msgtpl.c: checking and rendering message templates; see msgtpl.h. */
#include "msgtpl.h"

#include <string.h>
#include <strings.h>

#include "arena.h"
#include "buf.h"
#include "log.h"
#include "nitems.h"
#include "utf8.h"

static const char *const var_names[MSGTPL_NVARS] = {
	[MSGTPL_NAME] = "name",
	[MSGTPL_DOCTOR] = "doctor",
	[MSGTPL_PRACTICE] = "practice",
	[MSGTPL_APPOINTMENT_TYPE] = "appointmentType",
	[MSGTPL_DATE] = "date",
	[MSGTPL_REVIEW_LINK] = "reviewLink",
	[MSGTPL_FEEDBACK_LINK] = "feedbackLink",
};

/* How much of a wrong name an error message quotes. */
#define QUOTE_MAX 40

const char *msgtpl_var_name(enum msgtpl_var v)
{
	return (unsigned)v < MSGTPL_NVARS ? var_names[v] : "";
}

bool msgtpl_var_lookup(const char *name, size_t len, enum msgtpl_var *out)
{
	for (size_t i = 0; i < nitems(var_names); i++) {
		if (strlen(var_names[i]) == len && memcmp(var_names[i], name, len) == 0) {
			*out = (enum msgtpl_var)i;
			return true;
		}
	}
	return false;
}

static bool starts(const char *p, const char *end, const char *lit)
{
	size_t n = strlen(lit);
	return (size_t)(end - p) >= n && memcmp(p, lit, n) == 0;
}

/* A marker "{{ … }}" found at the start of p. */
struct marker {
	const char *name;     /* the content between the braces, spaces trimmed */
	size_t name_len;
	const char *next;     /* just past the closing braces */
};

/* Reads the marker opening at p (which starts with "{{"). false when it is not closed
 * on the same line. Spaces and tabs around the name are not part of it. */
static bool marker_read(const char *p, const char *end, struct marker *m)
{
	const char *s = p + 2;
	const char *close = s;
	while (close < end && !starts(close, end, "}}") && *close != '\n')
		close++;
	if (close >= end || *close == '\n')
		return false;
	const char *e = close;
	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	m->name = s;
	m->name_len = (size_t)(e - s);
	m->next = close + 2;
	return true;
}

/* At most QUOTE_MAX bytes of s, cut on a character boundary (s is valid UTF-8). */
static char *quote(struct arena *a, const char *s, size_t len)
{
	if (len <= QUOTE_MAX)
		return arena_strndup(a, s, len);
	size_t n = 0;
	while (n < len) {
		size_t k = utf8_seq_len((const unsigned char *)s + n, len - n);
		if (k == 0 || n + k > QUOTE_MAX)
			break;
		n += k;
	}
	return arena_printf(a, "%.*s…", (int)n, s);
}

/* Edit distance between two short ASCII-lowercased strings, capped: enough to suggest
 * "reviewLink" for "reviewLnk" or "reveiwLink". */
static size_t distance(const char *x, size_t nx, const char *y, size_t ny)
{
	enum { CAP = 32 };
	if (nx >= CAP || ny >= CAP)
		return CAP;
	size_t row[CAP + 1];
	for (size_t j = 0; j <= ny; j++)
		row[j] = j;
	for (size_t i = 1; i <= nx; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= ny; j++) {
			char cx = x[i - 1], cy = y[j - 1];
			if (cx >= 'A' && cx <= 'Z')
				cx = (char)(cx - 'A' + 'a');
			if (cy >= 'A' && cy <= 'Z')
				cy = (char)(cy - 'A' + 'a');
			size_t best = diag + (cx != cy);
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = row[j];
			row[j] = best;
		}
	}
	return row[ny];
}

/* The known name closest to a wrong one (a case slip or a typo or two), or NULL. */
static const char *suggest(const char *name, size_t len)
{
	const char *best = NULL;
	size_t best_d = 3;
	for (size_t i = 0; i < nitems(var_names); i++) {
		size_t d = distance(name, len, var_names[i], strlen(var_names[i]));
		if (d < best_d) {
			best_d = d;
			best = var_names[i];
		}
	}
	return best;
}

static int refuse(struct msgtpl_check *out, const char *text, const char *at, const char *msg)
{
	out->error = msg;
	out->offset = (size_t)(at - text);
	return -1;
}

static int refuse_name(struct arena *a, struct msgtpl_check *out, const char *text,
		       const char *at, const struct marker *m)
{
	char *q = quote(a, m->name, m->name_len);
	out->bad_name = q;
	if (m->name_len == 0)
		return refuse(out, text, at, "Hay una variable vacía «{{}}»: escriba su nombre "
			      "entre las llaves o quítela.");
	if (memchr(m->name, '{', m->name_len) || memchr(m->name, '}', m->name_len))
		return refuse(out, text, at, arena_printf(a, "«{{%s}}» no es una variable válida: "
			      "las llaves no se pueden anidar ni repetir.", q));
	const char *s = suggest(m->name, m->name_len);
	if (s && strncasecmp(s, m->name, m->name_len) == 0 && strlen(s) == m->name_len)
		return refuse(out, text, at, arena_printf(a, "La variable «{{%s}}» no existe: "
			      "¿quiso decir «{{%s}}»? Las mayúsculas cuentan.", q, s));
	if (s)
		return refuse(out, text, at, arena_printf(a, "La variable «{{%s}}» no existe: "
			      "¿quiso decir «{{%s}}»?", q, s));
	return refuse(out, text, at, arena_printf(a, "La variable «{{%s}}» no existe. Las "
		      "variables son {{name}}, {{doctor}}, {{practice}}, {{appointmentType}}, "
		      "{{date}}, {{reviewLink}} y {{feedbackLink}}.", q));
}

static void note_use(struct msgtpl_check *out, enum msgtpl_var v)
{
	if (!msgtpl_uses(out, v))
		out->used[out->nused++] = v;
}

static bool blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
			return false;
	return true;
}

int msgtpl_check(struct arena *a, const char *text, size_t len, struct msgtpl_check *out)
{
	memset(out, 0, sizeof *out);
	if (!utf8_text_ok(text, len))
		return refuse(out, text, text, "El texto no es válido: tiene bytes que no son "
			      "UTF-8 o caracteres de control.");
	if (blank(text, len))
		return refuse(out, text, text, "La plantilla está vacía.");
	size_t chars = utf8_length(text, len);
	if (chars > MSGTPL_MAX_CHARS)
		return refuse(out, text, text, arena_printf(a, "La plantilla tiene %zu caracteres; "
			      "el máximo es %d.", chars, MSGTPL_MAX_CHARS));

	const char *p = text, *end = text + len;
	while (p < end) {
		if (starts(p, end, "}}"))
			return refuse(out, text, p, "Hay «}}» sin su «{{»: las variables se "
				      "escriben así: {{name}}.");
		if (!starts(p, end, "{{")) {
			p++;
			continue;
		}
		struct marker m;
		if (!marker_read(p, end, &m)) {
			const char *e = p + 2;
			while (e < end && *e != '\n' && *e != ' ')
				e++;
			out->bad_name = quote(a, p + 2, (size_t)(e - p - 2));
			return refuse(out, text, p, arena_printf(a, "La variable «{{%s» no está "
				      "cerrada: falta «}}» en la misma línea.", out->bad_name));
		}
		enum msgtpl_var v;
		if (!msgtpl_var_lookup(m.name, m.name_len, &v))
			return refuse_name(a, out, text, p, &m);
		note_use(out, v);
		p = m.next;
	}
	return 0;
}

bool msgtpl_uses(const struct msgtpl_check *chk, enum msgtpl_var v)
{
	for (size_t i = 0; i < chk->nused; i++)
		if (chk->used[i] == v)
			return true;
	return false;
}

char *msgtpl_vars_array(struct arena *a, const struct msgtpl_check *chk)
{
	struct buf b = BUF_INIT;
	buf_addch(&b, '{');
	for (size_t i = 0; i < chk->nused; i++) {
		if (i)
			buf_addch(&b, ',');
		buf_adds(&b, msgtpl_var_name(chk->used[i]));
	}
	buf_addch(&b, '}');
	char *s = arena_strndup(a, b.buf, b.len);
	buf_release(&b);
	return s;
}

/* The one rendering pass: the message into *text_out (when not NULL) and the value of each
 * variable occurrence into *params_out (when not NULL). -1 when text does not check. */
static int render(struct arena *a, const char *text, size_t len,
		  const struct msgtpl_values *values, char **text_out, size_t *len_out,
		  const char ***params_out, size_t *nparams)
{
	struct msgtpl_check chk;
	if (msgtpl_check(a, text, len, &chk) != 0) {
		log_error("message template does not check", "reason", chk.error);
		return -1;
	}
	struct buf b = BUF_INIT;
	const char **params = NULL;
	size_t n = 0, cap = 0;
	const char *p = text, *end = text + len;
	while (p < end) {
		const char *open = p;
		while (open < end && !starts(open, end, "{{"))
			open++;
		buf_add(&b, p, (size_t)(open - p));
		if (open == end)
			break;
		struct marker m;
		enum msgtpl_var v = MSGTPL_NAME;
		/* The check passed, so every marker is closed and known. */
		marker_read(open, end, &m);
		msgtpl_var_lookup(m.name, m.name_len, &v);
		const char *value = values && values->v[v] ? values->v[v] : "";
		buf_adds(&b, value);
		if (params_out) {
			if (n == cap) {
				cap = cap ? 2 * cap : 8;
				const char **grown = arena_calloc(a, cap, sizeof *grown);
				if (n)
					memcpy(grown, params, n * sizeof *params);
				params = grown;
			}
			params[n++] = value;
		}
		p = m.next;
	}
	if (text_out)
		*text_out = arena_memdup(a, b.buf, b.len);
	if (len_out)
		*len_out = b.len;
	if (params_out) {
		*params_out = params;
		*nparams = n;
	}
	buf_release(&b);
	return 0;
}

char *msgtpl_render(struct arena *a, const char *text, size_t len,
		    const struct msgtpl_values *values, size_t *len_out)
{
	char *out;
	return render(a, text, len, values, &out, len_out, NULL, NULL) ? NULL : out;
}

int msgtpl_params(struct arena *a, const char *text, size_t len,
		  const struct msgtpl_values *values, const char ***params, size_t *n)
{
	return render(a, text, len, values, NULL, NULL, params, n);
}
