/* validate.c: field checks with Spanish messages. */
#include "validate.h"
#include "arena.h"
#include "utf8.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_LINE_MAX 200
#define DEFAULT_TEXT_MAX 5000

static const struct kvlist *source(const struct field *f, const struct kvlist *body,
				   const struct kvlist *query, const struct kvlist *path)
{
	switch (f->src) {
	case FROM_QUERY: return query;
	case FROM_PATH: return path;
	default: return body;
	}
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Trims ASCII white space in place of the view (start, len). */
static void trim(const char **s, size_t *len)
{
	while (*len && is_space(**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len && is_space((*s)[*len - 1]))
		(*len)--;
}

bool valid_email(const char *s, size_t len)
{
	if (len < 3 || len > 254)
		return false;
	const char *at = memchr(s, '@', len);
	if (!at || at == s || memchr(at + 1, '@', len - (size_t)(at - s) - 1))
		return false;
	size_t local = (size_t)(at - s), dom = len - local - 1;
	if (local > 64 || dom < 3)
		return false;
	const char *d = at + 1;
	if (d[0] == '.' || d[dom - 1] == '.' || !memchr(d, '.', dom))
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c <= ' ' || c == 0x7f || c == '<' || c == '>' || c == '"' || c == ',' ||
		    c == ';' || c == '\\' || c == '(' || c == ')' || c == '[' || c == ']')
			return false;
	}
	for (size_t i = 0; i + 1 < dom; i++)
		if (d[i] == '.' && d[i + 1] == '.')
			return false;
	return true;
}

bool valid_uuid(const char *s, size_t len)
{
	if (len != 36)
		return false;
	for (size_t i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;
		if (dash ? s[i] != '-' : !isxdigit((unsigned char)s[i]))
			return false;
	}
	return true;
}

bool valid_local_path(const char *s, size_t len)
{
	/* "//host" and "/\host" are taken by browsers as another site. */
	if (len == 0 || len > 2000 || s[0] != '/' || (len > 1 && (s[1] == '/' || s[1] == '\\')))
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c <= ' ' || c >= 0x7f || c == '\\')
			return false;
	}
	return true;
}

static bool parse_int(const char *s, size_t len, long long *out)
{
	if (len == 0 || len > 20)
		return false;
	char *end;
	errno = 0;
	long long n = strtoll(s, &end, 10);
	if (errno || end != s + len || isspace((unsigned char)s[0]))
		return false;
	*out = n;
	return true;
}

int email_lower(char *s)
{
	for (unsigned char *p = (unsigned char *)s; *p; p++) {
		if (*p < 0x80) {
			*p = (unsigned char)tolower(*p);
		} else if (*p == 0xC3 && p[1] >= 0x80 && p[1] <= 0xBF) {
			/* U+00C0..U+00DE are capitals (but U+00D7, ×): lowercase is +0x20. */
			if (p[1] <= 0x9E && p[1] != 0x97)
				p[1] = (unsigned char)(p[1] + 0x20);
			p++;
		} else if (*p == 0xC2 && p[1] >= 0xA0 && p[1] <= 0xBF) {
			p++;   /* U+00A0..U+00BF: no case */
		} else {
			return -1;
		}
	}
	return 0;
}

/* Checks one present value; returns NULL if valid (and sets *out), else the message. */
static const char *check(struct arena *a, const struct field *f, const char *v, size_t len,
			 const char **out)
{
	bool multiline = f->kind == FIELD_TEXT;
	if (!utf8_text_ok(v, len) ||
	    (!multiline && (memchr(v, '\n', len) || memchr(v, '\r', len))))
		return "Contiene caracteres no válidos.";
	/* Passwords are taken exactly as typed: a space may be part of one. */
	if (f->kind != FIELD_PASSWORD)
		trim(&v, &len);

	long long max = f->max ? f->max : (f->kind == FIELD_TEXT ? DEFAULT_TEXT_MAX : DEFAULT_LINE_MAX);
	size_t chars = utf8_length(v, len);
	switch (f->kind) {
	case FIELD_INT: {
		long long n;
		if (!parse_int(v, len, &n))
			return "Debe ser un número entero.";
		if (f->max && (n < f->min || n > f->max))
			return arena_printf(a, "Debe estar entre %lld y %lld.", f->min, f->max);
		if (n < f->min)
			return arena_printf(a, "Debe ser %lld o más.", f->min);
		break;
	}
	case FIELD_UUID:
		if (!valid_uuid(v, len))
			return "Identificador no válido.";
		break;
	case FIELD_EMAIL:
		if (!valid_email(v, len))
			return "Escribe un correo electrónico válido.";
		break;
	case FIELD_LOCAL_PATH:
		if (!valid_local_path(v, len))
			return "Dirección no válida.";
		break;
	default:
		break;
	}
	if (f->kind != FIELD_INT) {
		if ((long long)chars > max)
			return arena_printf(a, "Máximo %lld caracteres.", max);
		if ((long long)chars < f->min)
			return arena_printf(a, "Mínimo %lld caracteres.", f->min);
	}
	char *copy = arena_memdup(a, v, len);
	if (f->kind == FIELD_EMAIL && email_lower(copy))
		return "El correo solo puede llevar letras latinas (con o sin tilde), números y "
		       "los signos . _ - +.";
	*out = copy;
	return NULL;
}

size_t validate_fields(struct arena *a, const struct field *fields, const struct kvlist *body,
		       const struct kvlist *query, const struct kvlist *path,
		       struct kvlist *valid, struct kvlist *errors)
{
	size_t bad = 0;
	for (const struct field *f = fields; f && f->name; f++) {
		const struct kv *in = kv_find(source(f, body, query, path), f->name);
		const char *msg = NULL, *value = NULL;
		if (!in || in->value_len == 0 ||
		    (f->kind != FIELD_PASSWORD && strspn(in->value, " \t\r\n") == in->value_len)) {
			if (f->required)
				msg = "Este campo es obligatorio.";
		} else {
			msg = check(a, f, in->value, in->value_len, &value);
		}
		if (msg && f->lenient && in)
			continue;
		if (msg) {
			kv_add(a, errors, f->name, strlen(f->name), msg, strlen(msg));
			bad++;
		} else if (value) {
			kv_add(a, valid, f->name, strlen(f->name), value, strlen(value));
		}
	}
	return bad;
}
