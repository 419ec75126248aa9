/* plink.h: patient link tokens, the <token> of /r/<token>, /f/<token> and /u/<token>.
 *
 * A token names one message (and its workspace), says what it opens (its kind) and when
 * it stops working, and is signed with HMAC-SHA256 keyed with RM_SECRET_KEY, so a
 * patient cannot reach another message by editing it and nobody can guess one. It is
 * base64url without padding (URL-safe, 78 characters) and carries no personal data.
 *
 * Layout before encoding (58 bytes): version 1, kind (1 byte: 'r', 'f', 'u'), expiry
 * (8 bytes, Unix seconds, big-endian), message uuid (16), workspace uuid (16), then the
 * first 16 bytes of HMAC-SHA256(key, "rm-plink\0" || the 42 bytes before). The MAC covers
 * the kind, so a review token cannot open the feedback form. Verification decodes
 * strictly, recomputes the MAC and compares it in constant time before reading anything
 * else from the token. */
#ifndef RM_PLINK_H
#define RM_PLINK_H

#include <stddef.h>

struct buf;

enum plink_kind {
	PLINK_REVIEW = 'r',       /* /r/<token>: record the click, redirect to Google */
	PLINK_FEEDBACK = 'f',     /* /f/<token>: the private feedback form */
	PLINK_UNSUBSCRIBE = 'u',  /* /u/<token>: unsubscribe an email address */
};

/* How long each kind is valid, from when the message is rendered. */
#define PLINK_FEEDBACK_SECONDS (30LL * 24 * 3600)
#define PLINK_REVIEW_SECONDS (365LL * 24 * 3600)
#define PLINK_UNSUBSCRIBE_SECONDS (365LL * 24 * 3600)

#define PLINK_TOKEN_LEN 78   /* characters of a token */

enum plink_status {
	PLINK_OK = 0,
	PLINK_BAD = -1,       /* malformed, wrong signature or wrong kind */
	PLINK_EXPIRED = -2,   /* well signed, past its expiry */
};

struct plink {
	enum plink_kind kind;
	long long expires;          /* Unix seconds */
	char message_id[37];        /* canonical lower-case uuid text */
	char workspace_id[37];
};

/* Seconds a kind stays valid (0 for an unknown kind). */
long long plink_validity(enum plink_kind kind);

/* Appends the token for (kind, message, workspace, expiry) to out. The ids are uuid text
 * (any case, with hyphens). Returns 0, or -1 (logged) for a bad id, kind or key. */
int plink_make(struct buf *out, const char *key, size_t key_len, enum plink_kind kind,
	       const char *message_id, const char *workspace_id, long long expires);

/* Appends "<base_url>/<kind>/<token>" with the kind's validity counted from now: the
 * value of {{reviewLink}} and {{feedbackLink}} and of the List-Unsubscribe target. */
int plink_url(struct buf *out, const char *base_url, const char *key, size_t key_len,
	      enum plink_kind kind, const char *message_id, const char *workspace_id,
	      long long now);

struct arena;
struct config;
/* plink_url valid from now, copied into a; "" when it cannot be made. base_url "" gives
 * the path alone: a link on one of our own pages. */
const char *plink_link_at(struct arena *a, const char *base_url, const char *key,
			  enum plink_kind kind, const char *message_id, const char *workspace_id);
/* plink_link_at with the configured base URL and key: the link a message carries (the
 * sender's) and the template preview shows. */
const char *plink_link(struct arena *a, const struct config *cfg, enum plink_kind kind,
		       const char *message_id, const char *workspace_id);

/* Checks token (len bytes, need not be NUL-terminated) against key, the expected kind
 * and the time now. Fills *out only on PLINK_OK. Never logs the token. */
enum plink_status plink_verify(const char *token, size_t len, const char *key,
			       size_t key_len, enum plink_kind kind, long long now,
			       struct plink *out);

#endif
