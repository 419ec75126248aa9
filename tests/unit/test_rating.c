/* test_rating.c: the reply parser over the issue's table and many more replies patients
 * actually send: ratings, text that must not be taken for a rating, opt-outs and
 * opt-ins, and hostile bytes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/nitems.h"
#include "core/rating.h"

struct want {
	const char *text;
	enum reply_kind kind;
	int rating;
};

static void check(const struct want *w, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct reply r = rating_classify(w[i].text, strlen(w[i].text));
		if (r.kind != w[i].kind || r.rating != w[i].rating) {
			fprintf(stderr, "reply %s: got %s %d, want %s %d\n", w[i].text,
				rating_kind_name(r.kind), r.rating, rating_kind_name(w[i].kind),
				w[i].rating);
			fail();
		}
	}
}

static void test_issue_table_ratings(void **state)
{
	(void)state;
	static const struct want w[] = {
		{ "5", REPLY_RATING, 5 },
		{ " 4 ", REPLY_RATING, 4 },
		{ "5 estrellas", REPLY_RATING, 5 },
		{ "cinco", REPLY_RATING, 5 },
		{ "Cuatro!", REPLY_RATING, 4 },
		{ "\u2b50\u2b50\u2b50\u2b50\u2b50", REPLY_RATING, 5 },
		{ "5\ufe0f\u20e3", REPLY_RATING, 5 },
		{ "4/5", REPLY_RATING, 4 },
		{ "le doy un 5", REPLY_RATING, 5 },
		{ "un 3 creo", REPLY_RATING, 3 },
	};
	check(w, nitems(w));
}

static void test_issue_table_not_ratings(void **state)
{
	(void)state;
	static const struct want w[] = {
		{ "10", REPLY_TEXT, 0 },
		{ "3 o 4", REPLY_TEXT, 0 },
		{ "", REPLY_TEXT, 0 },
		{ "La atención fue rápida pero el parqueadero es pésimo", REPLY_TEXT, 0 },
	};
	check(w, nitems(w));
}

static void test_more_ratings(void **state)
{
	(void)state;
	static const struct want w[] = {
		{ "1", REPLY_RATING, 1 }, { "2", REPLY_RATING, 2 }, { "3", REPLY_RATING, 3 },
		{ "5.", REPLY_RATING, 5 }, { "5!!!", REPLY_RATING, 5 }, { "¡5!", REPLY_RATING, 5 },
		{ "\t3\r\n", REPLY_RATING, 3 }, { "UNO", REPLY_RATING, 1 }, { "dos", REPLY_RATING, 2 },
		{ "Tres.", REPLY_RATING, 3 }, { "CINCO ESTRELLAS", REPLY_RATING, 5 },
		{ "cinco estrellas!!", REPLY_RATING, 5 }, { "5estrellas", REPLY_RATING, 5 },
		{ "4 de 5", REPLY_RATING, 4 }, { "4 sobre 5", REPLY_RATING, 4 },
		{ "5/5", REPLY_RATING, 5 }, { "3 / 5", REPLY_RATING, 3 },
		{ "2 de cinco", REPLY_RATING, 2 }, { "5 de 5 estrellas", REPLY_RATING, 5 },
		{ "Le doy 4 estrellas", REPLY_RATING, 4 }, { "le daría un 4", REPLY_RATING, 4 },
		{ "Un 5, gracias", REPLY_RATING, 5 }, { "5 gracias doctor", REPLY_RATING, 5 },
		{ "Muchas gracias, 5", REPLY_RATING, 5 }, { "Hola, 4", REPLY_RATING, 4 },
		{ "Buenas tardes. 5", REPLY_RATING, 5 }, { "Mi calificación es 4", REPLY_RATING, 4 },
		{ "calificación: 3", REPLY_RATING, 3 }, { "creo que un 3", REPLY_RATING, 3 },
		{ "más o menos un 3", REPLY_RATING, 3 }, { "sí, 5", REPLY_RATING, 5 },
		{ "ok 4", REPLY_RATING, 4 }, { "\u2b50", REPLY_RATING, 1 },
		{ "\u2b50\u2b50\u2b50", REPLY_RATING, 3 }, { "\u2605\u2605\u2605\u2605", REPLY_RATING, 4 },
		{ "\u2b50\ufe0f\u2b50\ufe0f", REPLY_RATING, 2 },
		{ "5 \u2b50\u2b50\u2b50\u2b50\u2b50", REPLY_RATING, 5 },
		{ "4\ufe0f\u20e3", REPLY_RATING, 4 }, { "1\u20e3", REPLY_RATING, 1 },
		{ "una estrella", REPLY_RATING, 1 }, { "Una estrella.", REPLY_RATING, 1 },
		{ "1 estrella", REPLY_RATING, 1 }, { "five", REPLY_RATING, 5 },
		{ "Excelente, 5", REPLY_RATING, 5 }, { "5 excelente servicio", REPLY_RATING, 5 },
		{ "\xef\xbc\x95 5", REPLY_RATING, 5 },   /* fullwidth 5: a separator here */
		{ "5 \xf0\x9f\x98\x80", REPLY_RATING, 5 },   /* with a smiley */
		{ "\xf0\x9f\x91\x8d 4", REPLY_RATING, 4 },
		{ "CUATRO", REPLY_RATING, 4 }, { "Cinco", REPLY_RATING, 5 },
		{ "doy 2", REPLY_RATING, 2 }, { "seria un 2", REPLY_RATING, 2 },
		{ "Dra. 5", REPLY_RATING, 5 },
	};
	check(w, nitems(w));
}

static void test_more_not_ratings(void **state)
{
	(void)state;
	static const struct want w[] = {
		{ "0", REPLY_TEXT, 0 }, { "6", REPLY_TEXT, 0 }, { "05", REPLY_TEXT, 0 },
		{ "-1", REPLY_RATING, 1 },   /* read as "1": the minus is punctuation */
		{ "4.5", REPLY_TEXT, 0 }, { "4,5", REPLY_TEXT, 0 }, { "100", REPLY_TEXT, 0 },
		{ "5 5", REPLY_TEXT, 0 }, { "4 o 5", REPLY_TEXT, 0 }, { "entre 3 y 4", REPLY_TEXT, 0 },
		{ "3-4", REPLY_TEXT, 0 }, { "cuatro o cinco", REPLY_TEXT, 0 },
		{ "no 5", REPLY_TEXT, 0 }, { "no", REPLY_TEXT, 0 }, { "si", REPLY_TEXT, 0 },
		{ "gracias", REPLY_TEXT, 0 }, { "excelente", REPLY_TEXT, 0 },
		{ "muy bien", REPLY_TEXT, 0 }, { "malo", REPLY_TEXT, 0 },
		{ "¿quién es?", REPLY_TEXT, 0 }, { "5/10", REPLY_TEXT, 0 },
		{ "3 de 10", REPLY_TEXT, 0 }, { "/", REPLY_TEXT, 0 }, { "/5", REPLY_TEXT, 0 },
		{ "5 \u2b50\u2b50", REPLY_TEXT, 0 },   /* the stars contradict the number */
		{ "\u2b50\u2b50\u2b50\u2b50\u2b50\u2b50", REPLY_TEXT, 0 },
		{ "!!!", REPLY_TEXT, 0 }, { "   ", REPLY_TEXT, 0 },
		{ "\xf0\x9f\x94\x9f", REPLY_TEXT, 0 },   /* the keycap 10 emoji */
		{ "llegué a las 5 y me atendieron a las 7", REPLY_TEXT, 0 },
		{ "mi cita es el 5", REPLY_TEXT, 0 },
		{ "estrellas", REPLY_TEXT, 0 }, { "una", REPLY_TEXT, 0 },
		{ "\xff\xfe\xfd", REPLY_TEXT, 0 }, { "\xc3", REPLY_TEXT, 0 },
		{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa 5", REPLY_TEXT, 0 },
	};
	check(w, nitems(w));
}

static void test_opt_out_words(void **state)
{
	(void)state;
	static const struct want w[] = {
		{ "STOP", REPLY_OPT_OUT, 0 }, { "stop", REPLY_OPT_OUT, 0 }, { "Stop.", REPLY_OPT_OUT, 0 },
		{ "BAJA", REPLY_OPT_OUT, 0 }, { "¡Baja!", REPLY_OPT_OUT, 0 }, { "bája", REPLY_OPT_OUT, 0 },
		{ "ALTO", REPLY_OPT_OUT, 0 }, { "Cancelar", REPLY_OPT_OUT, 0 },
		{ "PARAR", REPLY_OPT_OUT, 0 }, { "salir", REPLY_OPT_OUT, 0 },
		{ "NO MAS", REPLY_OPT_OUT, 0 }, { "No más", REPLY_OPT_OUT, 0 },
		{ "no  más!!", REPLY_OPT_OUT, 0 }, { "NO MÁS.", REPLY_OPT_OUT, 0 },
		{ "UNSUBSCRIBE", REPLY_OPT_OUT, 0 }, { " stop ", REPLY_OPT_OUT, 0 },
		{ "\"BAJA\"", REPLY_OPT_OUT, 0 }, { "STOPALL", REPLY_OPT_OUT, 0 },
		{ "cancel", REPLY_OPT_OUT, 0 },
	};
	check(w, nitems(w));
}

static void test_opt_in_words_and_near_misses(void **state)
{
	(void)state;
	static const struct want w[] = {
		{ "START", REPLY_OPT_IN, 0 }, { "alta", REPLY_OPT_IN, 0 }, { "Alta.", REPLY_OPT_IN, 0 },
		{ "UNSTOP", REPLY_OPT_IN, 0 },
		/* Not alone: text, never an opt-out by accident. */
		{ "no mas de 5 minutos", REPLY_TEXT, 0 }, { "stop 5", REPLY_TEXT, 0 },
		{ "baja calidad", REPLY_TEXT, 0 }, { "el alto costo", REPLY_TEXT, 0 },
		{ "no", REPLY_TEXT, 0 }, { "mas", REPLY_TEXT, 0 }, { "stops", REPLY_TEXT, 0 },
		{ "s t o p", REPLY_TEXT, 0 },
	};
	check(w, nitems(w));
}

static void test_limits(void **state)
{
	(void)state;
	char big[RATING_MAX_INPUT + 2];
	memset(big, ' ', sizeof big);
	big[0] = '5';
	assert_int_equal(rating_parse(big, RATING_MAX_INPUT), 5);
	assert_int_equal(rating_parse(big, RATING_MAX_INPUT + 1), 0);
	assert_int_equal(rating_parse(NULL, 0), 0);
	assert_int_equal(rating_parse("5", 0), 0);
	/* Length is honoured: bytes after len are not read. */
	assert_int_equal(rating_parse("3 o 4", 1), 3);
	/* An inner NUL is a separator, not an end. */
	assert_int_equal(rating_parse("4\0 ", 3), 4);
	/* Many tokens: text. */
	const char many[] = "5 a a a a a a a a a a a a a a a a a a a a a a a a a a a a";
	assert_int_equal(rating_parse(many, strlen(many)), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_issue_table_ratings),
		cmocka_unit_test(test_issue_table_not_ratings),
		cmocka_unit_test(test_more_ratings),
		cmocka_unit_test(test_more_not_ratings),
		cmocka_unit_test(test_opt_out_words),
		cmocka_unit_test(test_opt_in_words_and_near_misses),
		cmocka_unit_test(test_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
