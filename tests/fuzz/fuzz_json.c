/* fuzz_json.c: libFuzzer harness for json.c.
 *
 * Parses the input with the limit set to its size, and when it parses walks a few paths
 * of the webhook shapes (hits and misses, all accessor kinds) and serializes the tree,
 * which must parse again. Seeds: tests/fuzz/corpus/fuzz_json/. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/json.h"
#include "core/log.h"
#include "core/nitems.h"

static const char *const fuzz_paths[] = {
	"",
	"object",
	"entry",
	"entry.0.changes.0.value.messages.0.text.body",
	"entry.0.changes.0.value.statuses.0.id",
	"entry.0.changes.0.value.metadata.phone_number_id",
	"entry.0.changes",
	"data.object.metadata.workspace_id",
	"data.object.amount_total",
	"created",
	"0", "0.0.0", "1", "a", "a.b", "k.k.k", "..", ".", "0.", "-1", "01",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int quiet;
	if (!quiet) {
		log_init("fuzz_json", LOG_ERROR);   /* refusals log warnings: too slow */
		quiet = 1;
	}
	struct json_object *o = json_parse((const char *)data, size, size);
	if (!o)
		return 0;

	/* Unsigned: the values only keep the calls from being optimised away, and any
	 * integer the input holds must be summable without overflow. */
	unsigned long long sum = 0;
	for (size_t i = 0; i < nitems(fuzz_paths); i++) {
		const char *s = json_path_str(o, fuzz_paths[i]);
		if (s)
			sum += (unsigned char)s[0];
		sum += (unsigned long long)json_path_int(o, fuzz_paths[i], 0);
		sum += json_path_len(o, fuzz_paths[i]);
		(void)json_path(o, fuzz_paths[i]);
	}
	(void)sum;

	/* What we write must be JSON we accept. */
	struct buf b = BUF_INIT;
	json_to_buf(&b, o);
	struct json_object *again = json_parse(b.buf, b.len, b.len);
	if (!again)
		abort();
	json_object_put(again);
	buf_release(&b);
	json_object_put(o);
	return 0;
}
