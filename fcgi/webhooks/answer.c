/* answer.c: answers to providers, and the replay guard every callback goes through. */
#include "hooks.h"

#include <string.h>

#include "core/log.h"
#include "core/render.h"

enum {
	EVENT_RECORD,
};

static const struct db_stmt event_sql[] = {
	[EVENT_RECORD] = { "hooks_event_record", HOOKS_EVENT_INSERT("$1", "$2", "$3") },
};
const struct app_sql hooks_event_sql = { event_sql, nitems(event_sql) };

int hooks_ok(struct ctx *c)
{
	c->resp.status = 200;
	c->resp.content_type = "text/plain; charset=utf-8";
	buf_reset(&c->resp.body);
	return 0;
}

int hooks_refuse(struct ctx *c, int status, const char *message, const char *why)
{
	log_warn("webhook refused", "path", c->req.path, "status", log_fmt("%d", status),
		 "reason", why);
	c->rollback = true;
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "error", json_object_new_string(message));
	int rc = render_json(c, status, o);
	json_object_put(o);
	return rc;
}

int hooks_forbidden(struct ctx *c, const char *provider)
{
	return hooks_refuse(c, 403, "firma no válida",
			    arena_printf(c->a, "%s signature missing or wrong", provider));
}

int hooks_event_record(struct ctx *c, const char *workspace_id, const char *provider,
		       const char *event_id)
{
	PGresult *r = Q(c, &event_sql[EVENT_RECORD], workspace_id, provider, event_id);
	if (!r)
		return -1;
	return PQntuples(r) == 1 ? 1 : 0;
}

bool hooks_phone_ok(const char *s)
{
	if (!s || s[0] != '+' || s[1] < '1' || s[1] > '9')
		return false;
	size_t n = strlen(s + 1);
	if (n < 7 || n > 15)
		return false;
	for (size_t i = 1; i <= n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}
