/* plink.c: patient link tokens; the format is described in plink.h. */
#include "plink.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "buf.h"
#include "config.h"
#include "crypto.h"
#include "log.h"

enum {
	PLINK_VERSION = 1,
	PLINK_BODY = 1 + 1 + 8 + 16 + 16,
	PLINK_MAC = 16,
	PLINK_RAW = PLINK_BODY + PLINK_MAC,
};

/* Domain separation: the same secret also keys CSRF tokens. */
static const char plink_label[] = "rm-plink";

long long plink_validity(enum plink_kind kind)
{
	switch (kind) {
	case PLINK_REVIEW:
		return PLINK_REVIEW_SECONDS;
	case PLINK_FEEDBACK:
		return PLINK_FEEDBACK_SECONDS;
	case PLINK_UNSUBSCRIBE:
		return PLINK_UNSUBSCRIBE_SECONDS;
	}
	return 0;
}

/* uuid text (8-4-4-4-12 hex groups) → 16 bytes. */
static int plink_uuid_parse(const char *s, unsigned char out[16])
{
	static const size_t group[] = { 8, 4, 4, 4, 12 };
	if (!s || strlen(s) != 36)
		return -1;
	size_t at = 0, o = 0;
	for (size_t g = 0; g < 5; g++) {
		if (crypto_unhex(s + at, group[g], out + o, group[g] / 2) != (long)group[g] / 2)
			return -1;
		o += group[g] / 2;
		at += group[g];
		if (g < 4 && s[at++] != '-')
			return -1;
	}
	return 0;
}

static void plink_uuid_format(const unsigned char in[16], char out[37])
{
	snprintf(out, 37,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 in[0], in[1], in[2], in[3], in[4], in[5], in[6], in[7], in[8], in[9],
		 in[10], in[11], in[12], in[13], in[14], in[15]);
}

static bool plink_kind_known(int kind)
{
	return kind == PLINK_REVIEW || kind == PLINK_FEEDBACK || kind == PLINK_UNSUBSCRIBE;
}

static void plink_mac(const char *key, size_t key_len, const unsigned char body[PLINK_BODY],
		      unsigned char mac[PLINK_MAC])
{
	unsigned char msg[sizeof plink_label + PLINK_BODY];
	memcpy(msg, plink_label, sizeof plink_label);   /* with its NUL */
	memcpy(msg + sizeof plink_label, body, PLINK_BODY);
	unsigned char full[32];
	crypto_hmac_sha256(key, key_len, msg, sizeof msg, full);
	memcpy(mac, full, PLINK_MAC);
}

int plink_make(struct buf *out, const char *key, size_t key_len, enum plink_kind kind,
	       const char *message_id, const char *workspace_id, long long expires)
{
	unsigned char raw[PLINK_RAW];
	if (!key || key_len == 0 || !plink_kind_known((int)kind)) {
		log_error("plink: bad key or kind");
		return -1;
	}
	raw[0] = PLINK_VERSION;
	raw[1] = (unsigned char)kind;
	uint64_t e = (uint64_t)expires;
	for (int i = 0; i < 8; i++)
		raw[2 + i] = (unsigned char)(e >> (56 - 8 * i));
	if (plink_uuid_parse(message_id, raw + 10) < 0 ||
	    plink_uuid_parse(workspace_id, raw + 26) < 0) {
		log_error("plink: bad uuid");
		return -1;
	}
	plink_mac(key, key_len, raw, raw + PLINK_BODY);
	crypto_base64url(out, raw, sizeof raw);
	return 0;
}

int plink_url(struct buf *out, const char *base_url, const char *key, size_t key_len,
	      enum plink_kind kind, const char *message_id, const char *workspace_id,
	      long long now)
{
	struct buf tok = BUF_INIT;
	if (plink_make(&tok, key, key_len, kind, message_id, workspace_id,
		       now + plink_validity(kind)) < 0) {
		buf_release(&tok);
		return -1;
	}
	size_t blen = base_url ? strlen(base_url) : 0;
	while (blen && base_url[blen - 1] == '/')
		blen--;
	buf_add(out, base_url ? base_url : "", blen);
	buf_printf(out, "/%c/%s", (char)kind, tok.buf);
	buf_release(&tok);
	return 0;
}

enum plink_status plink_verify(const char *token, size_t len, const char *key,
			       size_t key_len, enum plink_kind kind, long long now,
			       struct plink *out)
{
	unsigned char raw[PLINK_RAW];
	if (!token || !key || key_len == 0 || len != PLINK_TOKEN_LEN)
		return PLINK_BAD;
	if (crypto_unbase64url(token, len, raw, sizeof raw) != PLINK_RAW)
		return PLINK_BAD;
	unsigned char mac[PLINK_MAC];
	plink_mac(key, key_len, raw, mac);
	/* Nothing in the token is trusted until the MAC matches. */
	if (!crypto_equal(mac, sizeof mac, raw + PLINK_BODY, PLINK_MAC))
		return PLINK_BAD;
	if (raw[0] != PLINK_VERSION || raw[1] != (unsigned char)kind)
		return PLINK_BAD;
	uint64_t e = 0;
	for (int i = 0; i < 8; i++)
		e = e << 8 | raw[2 + i];
	long long expires = (long long)(e & INT64_MAX);
	if (e > (uint64_t)INT64_MAX || expires <= now)
		return PLINK_EXPIRED;
	out->kind = kind;
	out->expires = expires;
	plink_uuid_format(raw + 10, out->message_id);
	plink_uuid_format(raw + 26, out->workspace_id);
	return PLINK_OK;
}

const char *plink_link_at(struct arena *a, const char *base_url, const char *key,
			  enum plink_kind kind, const char *message_id, const char *workspace_id)
{
	struct buf b = BUF_INIT;
	const char *url = "";
	if (plink_url(&b, base_url, key, strlen(key), kind, message_id, workspace_id,
		      (long long)time(NULL)) == 0)
		url = arena_strdup(a, b.buf);
	buf_release(&b);
	return url;
}

const char *plink_link(struct arena *a, const struct config *cfg, enum plink_kind kind,
		       const char *message_id, const char *workspace_id)
{
	return plink_link_at(a, cfg->base_url, cfg->secret_key, kind, message_id, workspace_id);
}
