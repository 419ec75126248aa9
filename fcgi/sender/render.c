/* render.c: a message's text from its template, the patient links and the Spanish date.
 *
 * The text renderer is a stop-gap: the product's one message renderer is core-msg's
 * msgtpl_render, whose branch does not exist yet; when it lands render_message and
 * render_date give way to it. The links are core-links' plink tokens.
 * Variables are written {{name}}; the set is fixed. Plain text: nothing is escaped. */
#include "sender.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/plink.h"
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

const char *render_link(const struct config *cfg, char kind, const char *message_id,
			const char *workspace_id, struct arena *a)
{
	struct buf b = BUF_INIT;
	const char *url = "";
	if (plink_url(&b, cfg->base_url, cfg->secret_key, strlen(cfg->secret_key),
		      (enum plink_kind)kind, message_id, workspace_id, (long long)time(NULL)) == 0)
		url = arena_strdup(a, b.buf);
	buf_release(&b);
	return url;
}
