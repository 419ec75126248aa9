/* fuzz_rating.c: libFuzzer harness for the reply parser (core/rating.h).
 *
 * Checks: the kind is one of the four, the rating is 1..5 exactly when the kind is a
 * rating, rating_parse agrees with rating_classify, and the answer does not change when
 * the reply is surrounded by spaces or shouted in capitals (ASCII). Seeds:
 * tests/fuzz/corpus/fuzz_rating/. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/rating.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct reply r = rating_classify(s, size);
	if (r.kind != REPLY_TEXT && r.kind != REPLY_RATING && r.kind != REPLY_OPT_OUT &&
	    r.kind != REPLY_OPT_IN)
		abort();
	if ((r.kind == REPLY_RATING) != (r.rating >= 1 && r.rating <= 5))
		abort();
	if (r.kind != REPLY_RATING && r.rating != 0)
		abort();
	if (rating_parse(s, size) != r.rating)
		abort();
	if (size + 2 > RATING_MAX_INPUT)
		return 0;
	char *v = malloc(size + 2);
	v[0] = ' ';
	for (size_t i = 0; i < size; i++) {
		char c = s[i];
		v[i + 1] = c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
	}
	v[size + 1] = ' ';
	struct reply r2 = rating_classify(v, size + 2);
	free(v);
	if (r2.kind != r.kind || r2.rating != r.rating)
		abort();
	return 0;
}
