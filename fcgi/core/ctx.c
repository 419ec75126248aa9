/* ctx.c: the calls on a request context (see ctx.h). */
#include "ctx.h"

#include <string.h>

const char *ctx_param(const struct ctx *c, const char *name)
{
	return kv_get(&c->params, name);
}

bool ctx_has_errors(const struct ctx *c)
{
	return c->errors.count > 0;
}

void ctx_error(struct ctx *c, const char *field, const char *message)
{
	kv_add(c->a, &c->errors, field, strlen(field), message, strlen(message));
}
