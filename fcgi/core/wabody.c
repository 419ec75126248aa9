/* wabody.c: the WhatsApp webhook body; see wabody.h. Two passes over the parsed JSON:
 * the first counts and checks, the second copies into arrays of the counted size. */
#include "wabody.h"

#include <string.h>

#include "arena.h"
#include "json.h"
#include "log.h"

#define WABODY_MAX_ID 200
#define WABODY_MAX_WORD 32

static struct json_object *wabody_array(struct json_object *o, const char *key)
{
	struct json_object *v = json_path(o, key);
	return v && json_object_is_type(v, json_type_array) ? v : NULL;
}

static bool wabody_short(const char *s, size_t max)
{
	return s && *s && strlen(s) <= max;
}

/* WhatsApp's "593991234567" → "+593991234567": digits only, 7 to 15 of them, no
 * leading zero. */
static const char *wabody_phone(struct arena *a, const char *digits)
{
	if (!digits)
		return NULL;
	size_t n = strlen(digits);
	if (n < 7 || n > 15 || digits[0] < '1' || digits[0] > '9')
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (digits[i] < '0' || digits[i] > '9')
			return NULL;
	return arena_printf(a, "+%s", digits);
}

static int wabody_status(struct arena *a, struct json_object *s, struct wa_status *out)
{
	const char *id = json_path_str(s, "id"), *status = json_path_str(s, "status");
	if (!wabody_short(id, WABODY_MAX_ID) || !wabody_short(status, WABODY_MAX_WORD))
		return -1;
	if (!out)
		return 0;
	out->id = arena_strdup(a, id);
	out->status = arena_strdup(a, status);
	out->error = NULL;
	const char *title = json_path_str(s, "errors.0.title");
	long long code = json_path_int(s, "errors.0.code", 0);
	if (code || title)
		out->error = arena_printf(a, "%lld %s", code, title ? title : "");
	return 0;
}

static int wabody_message(struct arena *a, struct json_object *m, const char *receiving,
			  struct wa_message *out)
{
	const char *id = json_path_str(m, "id"), *type = json_path_str(m, "type");
	const char *from = wabody_phone(a, json_path_str(m, "from"));
	if (!from || !wabody_short(id, WABODY_MAX_ID) || !wabody_short(type, WABODY_MAX_WORD))
		return -1;
	bool text = strcmp(type, "text") == 0;
	const char *body = text ? json_path_str(m, "text.body") : NULL;
	if (text && !body)
		return -1;
	if (!out)
		return 0;
	out->from = from;
	out->id = arena_strdup(a, id);
	out->type = arena_strdup(a, type);
	out->unreadable = !text;
	/* Stickers, images, audio, reactions…: kept as a reply we could not read. */
	out->text = text ? arena_strdup(a, body) : arena_printf(a, "[%s]", type);
	out->receiving = receiving ? arena_strdup(a, receiving) : NULL;
	return 0;
}

/* One pass. With ev->statuses/messages NULL it only checks and counts. */
static int wabody_walk(struct arena *a, struct json_object *root, struct wa_events *ev)
{
	size_t ns = 0, nm = 0;
	struct json_object *entries = wabody_array(root, "entry");
	if (!entries)
		return -1;
	for (size_t i = 0; i < json_object_array_length(entries); i++) {
		struct json_object *changes =
			wabody_array(json_object_array_get_idx(entries, i), "changes");
		if (!changes)
			return -1;
		for (size_t j = 0; j < json_object_array_length(changes); j++) {
			struct json_object *value =
				json_path(json_object_array_get_idx(changes, j), "value");
			if (!value || !json_object_is_type(value, json_type_object))
				return -1;
			const char *receiving = json_path_str(value, "metadata.phone_number_id");
			struct json_object *list = wabody_array(value, "statuses");
			for (size_t k = 0; list && k < json_object_array_length(list); k++, ns++)
				if (wabody_status(a, json_object_array_get_idx(list, k),
						  ev->statuses ? &ev->statuses[ns] : NULL))
					return -1;
			list = wabody_array(value, "messages");
			for (size_t k = 0; list && k < json_object_array_length(list); k++, nm++)
				if (wabody_message(a, json_object_array_get_idx(list, k), receiving,
						   ev->messages ? &ev->messages[nm] : NULL))
					return -1;
		}
	}
	ev->nstatuses = ns;
	ev->nmessages = nm;
	return 0;
}

int wabody_parse(struct arena *a, const char *body, size_t len, size_t max_len,
		 struct wa_events *ev)
{
	memset(ev, 0, sizeof *ev);
	struct json_object *root = json_parse(body, len, max_len);
	if (!root) {
		log_debug("whatsapp body refused", "reason", "json");
		return -1;
	}
	int rc = wabody_walk(a, root, ev);
	if (rc == 0) {
		ev->statuses = arena_alloc(a, (ev->nstatuses + 1) * sizeof *ev->statuses);
		ev->messages = arena_alloc(a, (ev->nmessages + 1) * sizeof *ev->messages);
		rc = wabody_walk(a, root, ev);
	}
	json_object_put(root);
	if (rc) {
		memset(ev, 0, sizeof *ev);
		log_debug("whatsapp body refused", "reason", "shape");
	}
	return rc;
}
