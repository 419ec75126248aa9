/* password.h: password hashing with libxcrypt.
 *
 * New hashes are bcrypt ($2b$) at the configured cost (12 by default, never below 10).
 * Verification accepts any hash libxcrypt knows; password_needs_rehash tells the login
 * code to store a fresh hash when the stored one is of a weaker method or lower cost. */
#ifndef RM_PASSWORD_H
#define RM_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

#define PASSWORD_MIN_COST 10
#define PASSWORD_MAX_COST 15
#define PASSWORD_MIN_LEN 8
#define PASSWORD_MAX_LEN 72   /* bcrypt reads at most 72 bytes: longer is refused */

/* Writes a new $2b$ hash of password into out (NUL-terminated, at most out_size bytes;
 * 128 is enough). cost is clamped to [MIN_COST, MAX_COST]. Returns 0 or -1. */
int password_hash(const char *password, int cost, char *out, size_t out_size);

/* True when password matches hash (constant-time comparison of the results). False for
 * any malformed or unknown hash, and for passwords longer than PASSWORD_MAX_LEN. */
bool password_verify(const char *password, const char *hash);

/* True when hash is not $2b$ at least `cost`. */
bool password_needs_rehash(const char *hash, int cost);

#endif
