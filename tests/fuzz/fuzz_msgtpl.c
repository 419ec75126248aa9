/* fuzz_msgtpl.c: libFuzzer harness for core/msgtpl.h and core/sms.h.
 *
 * For any input: msgtpl_check and msgtpl_render agree (render gives text exactly when
 * the check passes); a refusal always has a message; rendering with one marker byte per
 * variable gives one marker per occurrence (as many as msgtpl_params lists) and, without
 * them, the same text as rendering with empty values, which never contains "{{" (a
 * rendered message cannot smuggle a variable back in); and the SMS measure of any valid
 * text is consistent with its own limits. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/log.h"
#include "core/msgtpl.h"
#include "core/sms.h"

static struct arena *arena;

static size_t count_byte(const char *s, size_t n, char c)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += s[i] == c;
	return k;
}

static void check_sms(const char *s, size_t n)
{
	struct sms_info info;
	if (sms_measure(arena, s, n, &info) != 0)
		return;
	if ((info.units == 0) != (info.segments == 0))
		abort();
	if (info.units > info.segments * info.per_segment)
		abort();
	if (info.segments > 1 && info.units <= (info.encoding == SMS_GSM7 ? 160u : 70u))
		abort();
	if (info.units < info.chars || info.units > 2 * info.chars)
		abort();
	if ((info.encoding == SMS_GSM7) != (info.nforced == 0))
		abort();
}

/* How many markers the template has: count them by rendering each as one \x01. */
static void check_render(const char *in, size_t size, const struct msgtpl_check *chk)
{
	static const struct msgtpl_values marks = { .v = { "\x01", "\x01", "\x01", "\x01",
							    "\x01", "\x01", "\x01" } };
	size_t n_marked, n_empty;
	char *marked = msgtpl_render(arena, in, size, &marks, &n_marked);
	char *empty = msgtpl_render(arena, in, size, NULL, &n_empty);
	if (!marked || !empty)
		abort();
	size_t markers = count_byte(marked, n_marked, '\x01');
	if (chk->nused > 0 && markers == 0)
		abort();
	/* One parameter per marker, each the value it stands for. */
	const char **params;
	size_t n_params;
	if (msgtpl_params(arena, in, size, &marks, &params, &n_params) != 0 || n_params != markers)
		abort();
	for (size_t i = 0; i < n_params; i++)
		if (strcmp(params[i], "\x01") != 0)
			abort();
	/* The input has no control bytes (the check refuses them), so every \x01 is ours. */
	size_t j = 0;
	for (size_t i = 0; i < n_marked; i++)
		if (marked[i] != '\x01' && (j >= n_empty || marked[i] != empty[j++]))
			abort();
	if (j != n_empty || n_empty > size)
		abort();
	if (memmem(empty, n_empty, "{{", 2))
		abort();
	check_sms(empty, n_empty);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!arena) {
		arena = arena_new();
		/* Rendering a refused text logs an error each time; the harness checks the
		 * results, and a log line per run would be most of its time. */
		log_init("fuzz_msgtpl", (enum log_level)(LOG_ERROR + 1));
	}
	char *in = malloc(size ? size : 1);
	if (size)
		memcpy(in, data, size);

	struct msgtpl_check chk;
	if (msgtpl_check(arena, in, size, &chk) == 0) {
		if (chk.error || chk.nused > MSGTPL_NVARS)
			abort();
		check_render(in, size, &chk);
		char *vars = msgtpl_vars_array(arena, &chk);
		if (vars[0] != '{' || vars[strlen(vars) - 1] != '}')
			abort();
	} else {
		if (!chk.error || chk.offset > size)
			abort();
		if (msgtpl_render(arena, in, size, NULL, NULL))
			abort();
	}
	check_sms(in, size);

	free(in);
	arena_reset(arena);
	return 0;
}
