/* render.c: a message's text from its template, the patient links and the Spanish date.
 *
 * A stop-gap: the product's one message renderer is core-msg's msgtpl_render and the
 * links come from core-links' plink; neither branch exists yet. When they land this
 * file shrinks to the glue (the variable values) and the sender calls them instead.
 * Variables are written {{name}}; the set is fixed. Plain text: nothing is escaped. */
#include "sender.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/crypto.h"
#include "core/nitems.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *var_value(const struct render_vars *v, const char *name, size_t len,
			     bool *known)
{
	const struct { const char *name; const char *value; } vars[] = {
		{ "name", v->name },
		{ "doctor", v->doctor },
		{ "practice", v->practice },
		{ "appointmentType", v->appointment_type },
		{ "date", v->date },
		{ "reviewLink", v->review_link },
		{ "feedbackLink", v->feedback_link },
	};
	for (size_t i = 0; i < nitems(vars); i++)
		if (strlen(vars[i].name) == len && memcmp(vars[i].name, name, len) == 0) {
			*known = true;
			return vars[i].value ? vars[i].value : "";
		}
	*known = false;
	return NULL;
}

int render_message(const char *tpl, const struct render_vars *v, struct buf *out,
		   const char **params, size_t max_params, size_t *nparams)
{
	*nparams = 0;
	const char *p = tpl;
	for (;;) {
		const char *open = strstr(p, "{{");
		if (!open) {
			buf_adds(out, p);
			return 0;
		}
		buf_add(out, p, (size_t)(open - p));
		const char *name = open + 2, *close = strstr(name, "}}");
		if (!close)
			return -1;
		bool known;
		const char *value = var_value(v, name, (size_t)(close - name), &known);
		if (!known)
			return -1;
		buf_adds(out, value);
		if (*nparams < max_params)
			params[(*nparams)++] = value;
		p = close + 2;
	}
}

const char *render_date(const char *claim_fmt, struct arena *a)
{
	static const char *const days[] = { "lunes", "martes", "miércoles", "jueves",
					    "viernes", "sábado", "domingo" };
	static const char *const months[] = { "enero", "febrero", "marzo", "abril", "mayo",
					      "junio", "julio", "agosto", "septiembre",
					      "octubre", "noviembre", "diciembre" };
	int dow, day, month;
	char hm[6];
	if (!claim_fmt || sscanf(claim_fmt, "%d %d %d %5s", &dow, &day, &month, hm) != 4 ||
	    dow < 1 || dow > 7 || month < 1 || month > 12)
		return "";
	return arena_printf(a, "%s %d de %s, %s", days[dow - 1], day, months[month - 1], hm);
}

/* Token: base64url(uuid bytes, kind, 4-byte expiry, first 16 bytes of
 * HMAC-SHA256(RM_SECRET_KEY, those 21 bytes)). Validity: review and unsubscribe a year,
 * feedback 30 days (the map's rule). */
const char *render_link(const struct config *cfg, char kind, const char *message_id,
			struct arena *a)
{
	unsigned char tok[16 + 1 + 4 + 16];
	size_t n = 0;
	for (const char *s = message_id; *s && n < 16; s++) {
		if (*s == '-')
			continue;
		if (crypto_unhex(s, 2, tok + n, 1) != 1)
			return "";
		n++, s++;
	}
	if (n != 16)
		return "";
	tok[16] = (unsigned char)kind;
	uint32_t exp = (uint32_t)(time(NULL) + (kind == 'f' ? 30 : 365) * 86400L);
	for (int i = 0; i < 4; i++)
		tok[17 + i] = (unsigned char)(exp >> (24 - 8 * i));
	unsigned char mac[32];
	crypto_hmac_sha256(cfg->secret_key, strlen(cfg->secret_key), tok, 21, mac);
	memcpy(tok + 21, mac, 16);
	struct buf b = BUF_INIT;
	buf_printf(&b, "%s/%c/", cfg->base_url, kind);
	crypto_base64url(&b, tok, sizeof tok);
	const char *url = arena_strdup(a, b.buf);
	buf_release(&b);
	return url;
}
