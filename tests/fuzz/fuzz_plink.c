/* fuzz_plink.c: libFuzzer harness for plink_verify.
 *
 * The input is tried as a token of each kind. Checks: only a token this harness could
 * have made verifies (with the fixed key, a random input never does unless it is one of
 * the seeds, which are made here at start), and a token that verifies re-encodes to the
 * same text (one spelling per token). Seeds: tests/fuzz/corpus/fuzz_plink/. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/plink.h"

static const char key[] = "fuzz-key-fuzz-key-fuzz-key-fuzz-key";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int quiet;
	if (!quiet) {
		log_init("fuzz_plink", LOG_ERROR);
		quiet = 1;
	}
	const enum plink_kind kinds[] = { PLINK_REVIEW, PLINK_FEEDBACK, PLINK_UNSUBSCRIBE };
	for (size_t i = 0; i < 3; i++) {
		struct plink p;
		memset(&p, 0, sizeof p);
		enum plink_status st = plink_verify((const char *)data, size, key, sizeof key - 1,
						    kinds[i], 0, &p);
		if (st != PLINK_OK && st != PLINK_BAD && st != PLINK_EXPIRED)
			abort();
		if (st != PLINK_OK)
			continue;
		struct buf b = BUF_INIT;
		if (plink_make(&b, key, sizeof key - 1, kinds[i], p.message_id, p.workspace_id,
			       p.expires) < 0)
			abort();
		if (b.len != size || memcmp(b.buf, data, size) != 0)
			abort();
		buf_release(&b);
	}
	return 0;
}
