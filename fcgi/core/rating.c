/* rating.c: reading a patient's reply; the rules are in rating.h. */
#include "rating.h"

#include <stdbool.h>
#include <string.h>

#include "nitems.h"
#include "utf8.h"

#define RATING_MAX_TOKENS 24
#define RATING_MAX_WORD 24

enum tok_kind { TOK_WORD, TOK_NUMBER, TOK_STAR, TOK_SLASH };

struct tok {
	enum tok_kind kind;
	char text[RATING_MAX_WORD + 1];   /* words and numbers, folded */
	size_t len;
};

struct toks {
	struct tok v[RATING_MAX_TOKENS];
	size_t n;
	bool overflow;    /* too many tokens or a word too long: the reply is text */
};

static const char *const rating_fillers[] = {
	"a", "al", "como", "con", "creo", "calificacion", "califico", "calificamos", "daria",
	"de", "del", "dia", "dias", "diria", "doctor", "doctora", "doy", "dr", "dra", "el",
	"es", "estrella", "estrellas", "gracias", "hola", "la", "le", "les", "mi", "muchas",
	"mas", "menos", "nota", "ok", "okay", "pongo", "pondria", "por", "puntaje", "punto",
	"puntos", "pues", "que", "saludos", "seria", "si", "sobre", "te", "tardes", "noches",
	"buenas", "buenos", "un", "una", "yo", "o", "atencion", "servicio", "visita",
	"muy", "bueno", "buena", "bien", "total", "final", "solo", "excelente", "vale",
	"gracia", "mil", "senor", "senora",
};

static const char *const rating_number_words[] = {
	"uno", "dos", "tres", "cuatro", "cinco", "one", "two", "three", "four", "five",
};

static const char *const rating_opt_out[] = {
	"stop", "baja", "alto", "cancelar", "parar", "salir", "no mas", "unsubscribe",
	"stopall", "end", "quit", "cancel", "optout", "revoke", "darme de baja", "dar de baja",
};

static const char *const rating_opt_in[] = { "start", "alta", "unstop" };

/* Latin-1 supplement letters folded to ASCII (U+00C0..U+00FF); 0 = separator. */
static char rating_fold_latin1(unsigned cp)
{
	static const char map[64] =
		"aaaaaaaceeeeiiii" "dnooooo.ouuuuy.s"
		"aaaaaaaceeeeiiii" "dnooooo.ouuuuy.y";
	char c = map[cp - 0xC0];
	return c == '.' ? 0 : c;
}

static unsigned rating_decode(const unsigned char *p, size_t n, size_t *used)
{
	size_t l = utf8_seq_len(p, n);
	if (l == 0) {
		*used = 1;
		return 0xFFFD;
	}
	*used = l;
	if (l == 1)
		return p[0];
	if (l == 2)
		return (unsigned)(p[0] & 0x1F) << 6 | (p[1] & 0x3F);
	if (l == 3)
		return (unsigned)(p[0] & 0x0F) << 12 | (unsigned)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
	return (unsigned)(p[0] & 0x07) << 18 | (unsigned)(p[1] & 0x3F) << 12 |
	       (unsigned)(p[2] & 0x3F) << 6 | (p[3] & 0x3F);
}

static struct tok *rating_new_tok(struct toks *t, enum tok_kind kind)
{
	if (t->n == RATING_MAX_TOKENS) {
		t->overflow = true;
		return NULL;
	}
	struct tok *k = &t->v[t->n++];
	k->kind = kind;
	k->len = 0;
	k->text[0] = '\0';
	return k;
}

/* Appends a folded character to the current word or number, starting a new token
 * when the class changes ("5estrellas" is a number and a word). */
static void rating_push_char(struct toks *t, struct tok **cur, enum tok_kind kind, char ch)
{
	if (!*cur || (*cur)->kind != kind)
		*cur = rating_new_tok(t, kind);
	if (!*cur)
		return;
	if ((*cur)->len == RATING_MAX_WORD) {
		t->overflow = true;
		return;
	}
	(*cur)->text[(*cur)->len++] = ch;
	(*cur)->text[(*cur)->len] = '\0';
}

static bool rating_is_star(unsigned cp)
{
	return cp == 0x2B50 || cp == 0x2605 || cp == 0x1F31F || cp == 0x2729 || cp == 0x272A;
}

/* Code points that decorate without meaning: variation selectors, the keycap
 * combining mark (5️⃣ is "5" U+FE0F U+20E3), zero-width joiners and spaces. */
static bool rating_is_ignorable(unsigned cp)
{
	return cp == 0xFE0F || cp == 0xFE0E || cp == 0x20E3 || cp == 0x200D ||
	       cp == 0x200B || cp == 0xFEFF;
}

static void rating_tokenize(const char *text, size_t len, struct toks *t)
{
	const unsigned char *p = (const unsigned char *)text;
	struct tok *cur = NULL;
	for (size_t i = 0; i < len && !t->overflow;) {
		size_t used;
		unsigned cp = rating_decode(p + i, len - i, &used);
		i += used;
		if (rating_is_ignorable(cp))
			continue;
		if (cp >= 'A' && cp <= 'Z')
			cp += 'a' - 'A';
		if (cp >= 0xC0 && cp <= 0xFF && rating_fold_latin1(cp))
			cp = (unsigned char)rating_fold_latin1(cp);
		if (cp >= 'a' && cp <= 'z') {
			rating_push_char(t, &cur, TOK_WORD, (char)cp);
		} else if (cp >= '0' && cp <= '9') {
			rating_push_char(t, &cur, TOK_NUMBER, (char)cp);
		} else if (rating_is_star(cp)) {
			cur = NULL;
			rating_new_tok(t, TOK_STAR);
		} else if (cp == '/') {
			cur = NULL;
			rating_new_tok(t, TOK_SLASH);
		} else {
			cur = NULL;   /* spaces, punctuation, other emoji */
		}
	}
}

static bool rating_in(const char *w, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(w, list[i]) == 0)
			return true;
	return false;
}

/* 1..5 for a number token or number word, -1 for a number out of range, 0 when the
 * token is not a number at all. */
static int rating_value(const struct tok *k)
{
	if (k->kind == TOK_NUMBER) {
		if (k->len == 1 && k->text[0] >= '1' && k->text[0] <= '5')
			return k->text[0] - '0';
		return -1;
	}
	if (k->kind != TOK_WORD)
		return 0;
	for (size_t i = 0; i < nitems(rating_number_words); i++)
		if (strcmp(k->text, rating_number_words[i]) == 0)
			return (int)(i % 5) + 1;
	return 0;
}

/* "4/5", "4 de 5", "4 sobre 5": the token at i is the scale's separator. */
static bool rating_is_scale(const struct toks *t, size_t i)
{
	if (i == 0 || i + 1 >= t->n || rating_value(&t->v[i - 1]) <= 0)
		return false;
	const struct tok *k = &t->v[i];
	if (k->kind != TOK_SLASH &&
	    !(k->kind == TOK_WORD && (!strcmp(k->text, "de") || !strcmp(k->text, "sobre"))))
		return false;
	return rating_value(&t->v[i + 1]) == 5;
}

static int rating_from_tokens(const struct toks *t)
{
	int value = 0, numbers = 0, stars = 0;
	bool one_article = false, star_word = false;
	for (size_t i = 0; i < t->n; i++) {
		const struct tok *k = &t->v[i];
		if (rating_is_scale(t, i)) {
			i++;   /* the 5 of the scale */
			continue;
		}
		int v = rating_value(k);
		if (v < 0)
			return 0;
		if (v > 0) {
			value = v;
			numbers++;
			continue;
		}
		if (k->kind == TOK_STAR) {
			stars++;
			continue;
		}
		if (k->kind != TOK_WORD || !rating_in(k->text, rating_fillers, nitems(rating_fillers)))
			return 0;
		if (!strcmp(k->text, "una") || !strcmp(k->text, "un"))
			one_article = true;
		if (!strcmp(k->text, "estrella"))
			star_word = true;
	}
	if (numbers == 1)
		return stars == 0 || stars == value ? value : 0;
	if (numbers > 1)
		return 0;
	if (stars >= 1 && stars <= 5)
		return stars;
	if (stars == 0 && one_article && star_word)
		return 1;   /* "una estrella" */
	return 0;
}

/* The reply's words joined by single spaces, when it holds only words. */
static bool rating_words(const struct toks *t, char *out, size_t max)
{
	size_t o = 0;
	for (size_t i = 0; i < t->n; i++) {
		if (t->v[i].kind != TOK_WORD)
			return false;
		size_t l = t->v[i].len;
		if (o + l + 2 > max)
			return false;
		if (o)
			out[o++] = ' ';
		memcpy(out + o, t->v[i].text, l);
		o += l;
	}
	out[o] = '\0';
	return o > 0;
}

struct reply rating_classify(const char *text, size_t len)
{
	struct reply r = { REPLY_TEXT, 0 };
	if (!text || len == 0 || len > RATING_MAX_INPUT)
		return r;
	struct toks t;
	t.n = 0;
	t.overflow = false;
	rating_tokenize(text, len, &t);
	if (t.overflow || t.n == 0)
		return r;
	char words[64];
	if (rating_words(&t, words, sizeof words)) {
		if (rating_in(words, rating_opt_out, nitems(rating_opt_out))) {
			r.kind = REPLY_OPT_OUT;
			return r;
		}
		if (rating_in(words, rating_opt_in, nitems(rating_opt_in))) {
			r.kind = REPLY_OPT_IN;
			return r;
		}
	}
	int v = rating_from_tokens(&t);
	if (v) {
		r.kind = REPLY_RATING;
		r.rating = v;
	}
	return r;
}

int rating_parse(const char *text, size_t len)
{
	return rating_classify(text, len).rating;
}

const char *rating_kind_name(enum reply_kind kind)
{
	switch (kind) {
	case REPLY_RATING:
		return "rating";
	case REPLY_OPT_OUT:
		return "opt_out";
	case REPLY_OPT_IN:
		return "opt_in";
	case REPLY_TEXT:
		break;
	}
	return "text";
}
