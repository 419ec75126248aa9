/* render.c: the glue between a claimed row and the core's renderers: the message text
 * and the WhatsApp parameters (msgtpl) and the Spanish appointment date (date_es). The
 * patient links are the core's (plink_link). */
#include "sender.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/date_es.h"
#include "core/msgtpl.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int render_message(const char *tpl, const struct render_vars *v, struct buf *out,
		   const char **params, size_t max_params, size_t *nparams, struct arena *a)
{
	const struct msgtpl_values values = { .v = {
		[MSGTPL_NAME] = v->name,
		[MSGTPL_DOCTOR] = v->doctor,
		[MSGTPL_PRACTICE] = v->practice,
		[MSGTPL_APPOINTMENT_TYPE] = v->appointment_type,
		[MSGTPL_DATE] = v->date,
		[MSGTPL_REVIEW_LINK] = v->review_link,
		[MSGTPL_FEEDBACK_LINK] = v->feedback_link,
	} };
	size_t len;
	char *text = msgtpl_render(a, tpl, strlen(tpl), &values, &len);
	const char **all;
	size_t n;
	if (!text || msgtpl_params(a, tpl, strlen(tpl), &values, &all, &n))
		return -1;
	buf_add(out, text, len);
	*nparams = n < max_params ? n : max_params;
	for (size_t i = 0; i < *nparams; i++)
		params[i] = all[i];
	return 0;
}

const char *render_date(const char *claim_fmt, struct arena *a)
{
	struct tm tm = { 0 };
	int dow, hour, min;
	if (!claim_fmt || sscanf(claim_fmt, "%d %d %d %d:%d", &dow, &tm.tm_mday, &tm.tm_mon,
				 &hour, &min) != 5)
		return "";
	tm.tm_wday = dow % 7;   /* ISO Monday 1 .. Sunday 7 -> tm's Sunday 0 */
	tm.tm_mon -= 1;
	tm.tm_hour = hour;
	tm.tm_min = min;
	const char *s = date_es_format_tm(a, &tm);
	return s ? s : "";
}
