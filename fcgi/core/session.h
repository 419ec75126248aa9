/* session.h: signed-in sessions and CSRF tokens.
 *
 * The session cookie holds 32 random bytes (hex); the database keeps only their SHA-256,
 * with an expiry. CSRF tokens are HMAC-SHA256(RM_SECRET_KEY, "csrf" NUL binding): bound to
 * the session token when signed in, and before that to a random `rm_csrf` cookie
 * (double-submit, signed), so login and signup forms are protected too. */
#ifndef RM_SESSION_H
#define RM_SESSION_H

#include <stdbool.h>
#include <stddef.h>

struct ctx;
struct db;

#define SESSION_COOKIE "rm_session"
#define CSRF_COOKIE "rm_csrf"
#define CSRF_FIELD "_csrf"

void session_register(struct db *db);

/* Loads the session named by the cookie, if any and unexpired: sets c->user and scopes
 * the transaction to its workspace. 0 (signed in or not), -1 on database error. */
int session_load(struct ctx *c);
/* Starts a session for a user who just proved who they are (new token: no fixation). */
int session_start(struct ctx *c, const char *workspace_id, const char *user_id);
/* Ends the current session and clears the cookie. */
int session_end(struct ctx *c);
/* Ends the user's other sessions (after a password change). */
int session_end_others(struct ctx *c);

/* Makes c->csrf for this response, issuing the rm_csrf cookie when a guest has none. */
int csrf_prepare(struct ctx *c);
/* True when the request carries the right token in the form (or X-CSRF-Token). */
bool csrf_check(struct ctx *c);

/* Hex token helpers, exposed for tests. out must hold 2*n+1 bytes. */
int session_new_token(char *out, size_t n);
void session_token_hash(const char *token, char out[65]);
void csrf_compute(const char *secret, const char *binding, char out[65]);

#endif
