/* password.c: bcrypt hashing and verification through libxcrypt. See password.h. */
#include "password.h"
#include "crypto.h"
#include "log.h"

#include <crypt.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define PASSWORD_PREFIX "$2b$"
/* "$2b$" NN "$" then 22 salt and 31 hash characters. */
#define PASSWORD_BCRYPT_LEN 60

static int password_clamp_cost(int cost)
{
	if (cost < PASSWORD_MIN_COST)
		return PASSWORD_MIN_COST;
	if (cost > PASSWORD_MAX_COST)
		return PASSWORD_MAX_COST;
	return cost;
}

/* bcrypt silently ignores bytes past 72, so two long passwords sharing a prefix would
 * match: refuse them outright rather than truncate. Empty is never a password. */
static bool password_len_ok(const char *password)
{
	if (!password)
		return false;
	size_t len = strnlen(password, PASSWORD_MAX_LEN + 1);
	return len > 0 && len <= PASSWORD_MAX_LEN;
}

/* struct crypt_data is ~32 KiB: too big for a small stack, so it lives on the heap,
 * zeroed as libxcrypt requires before first use, and wiped before it is freed since it
 * holds state derived from the password. */
static struct crypt_data *password_data_new(void)
{
	struct crypt_data *d = calloc(1, sizeof *d);
	if (!d)
		log_error("out of memory", "bytes", log_fmt("%zu", sizeof *d));
	return d;
}

static void password_data_free(struct crypt_data *d)
{
	if (!d)
		return;
	explicit_bzero(d, sizeof *d);
	free(d);
}

int password_hash(const char *password, int cost, char *out, size_t out_size)
{
	char setting[CRYPT_GENSALT_OUTPUT_SIZE];
	int rc = -1;

	if (!out || out_size == 0)
		return -1;
	out[0] = '\0';
	if (!password_len_ok(password)) {
		log_warn("password refused", "reason", "empty or longer than 72 bytes");
		return -1;
	}
	/* NULL random bytes: libxcrypt draws the salt from the OS itself. */
	if (!crypt_gensalt_rn(PASSWORD_PREFIX, (unsigned long)password_clamp_cost(cost),
			      NULL, 0, setting, sizeof setting)) {
		log_error("crypt_gensalt_rn failed", "error", strerror(errno));
		return -1;
	}
	struct crypt_data *d = password_data_new();
	if (!d)
		return -1;
	const char *h = crypt_rn(password, setting, d, sizeof *d);
	if (!h || h[0] == '*') {
		log_error("crypt_rn failed", "error", strerror(errno));
	} else if (strlen(h) >= out_size) {
		log_error("password hash buffer too small", "size", log_fmt("%zu", out_size));
	} else {
		memcpy(out, h, strlen(h) + 1);
		rc = 0;
	}
	password_data_free(d);
	return rc;
}

bool password_verify(const char *password, const char *hash)
{
	/* A hash starting with '*' is a failure token (libxcrypt's "*0"/"*1", or an account
	 * disabled on purpose): it must never match, whatever crypt makes of it. */
	if (!hash || hash[0] == '\0' || hash[0] == '*')
		return false;
	if (!password_len_ok(password))
		return false;
	struct crypt_data *d = password_data_new();
	if (!d)
		return false;
	bool ok = false;
	/* The stored hash is its own setting; libxcrypt picks the method from its prefix,
	 * so older methods still verify (and password_needs_rehash upgrades them). */
	const char *h = crypt_rn(password, hash, d, sizeof *d);
	if (h && h[0] != '*')
		ok = crypto_equal(h, strlen(h), hash, strlen(hash));
	else
		log_warn("stored password hash unusable", "error", strerror(errno));
	password_data_free(d);
	return ok;
}

static bool password_is_bcrypt_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '/';
}

bool password_needs_rehash(const char *hash, int cost)
{
	if (!hash || strncmp(hash, PASSWORD_PREFIX, 4) != 0)
		return true;   /* $2a$, $2y$, $6$, $y$, …: not what we write now */
	if (strlen(hash) != PASSWORD_BCRYPT_LEN || hash[6] != '$')
		return true;
	if (hash[4] < '0' || hash[4] > '9' || hash[5] < '0' || hash[5] > '9')
		return true;
	for (size_t i = 7; i < PASSWORD_BCRYPT_LEN; i++)
		if (!password_is_bcrypt_char(hash[i]))
			return true;
	int have = (hash[4] - '0') * 10 + (hash[5] - '0');
	return have < password_clamp_cost(cost);
}
