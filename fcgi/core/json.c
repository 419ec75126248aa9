/* json.c: strict parsing and dotted-path lookups over json-c. See json.h.
 *
 * json-c alone is not strict enough for bodies that arrive from outside: its UTF-8 check
 * lets overlong forms and surrogates through, it accepts NaN, Infinity, raw control
 * characters in strings and single-quoted keys, and it stops quietly at a NUL. So the raw
 * bytes are checked first and the tree after. */
#include "json.h"
#include "buf.h"
#include "log.h"
#include "utf8.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Arrays and objects nested deeper than this are refused. json-c counts every value,
 * scalars included, as a level, so it is given one more and the containers are counted
 * again after the parse. */
#define JSON_MAX_DEPTH 32

/* A lexical pass over the raw bytes, for what json-c lets through: valid UTF-8 only; no
 * raw control character inside a string, and none outside but the JSON whitespace (a
 * NUL would also end json-c's reading early); no single quote outside a string (json-c
 * takes 'key' as an object key even in strict mode). Multi-byte UTF-8 sequences never
 * contain ASCII bytes, so tracking the string state byte by byte is sound. */
static bool json_text_ok(const char *data, size_t len)
{
	const unsigned char *s = (const unsigned char *)data;
	bool in_string = false, escaped = false;
	size_t i = 0;

	while (i < len) {
		unsigned char c = s[i];
		if (c < 0x20 && (in_string || (c != '\t' && c != '\n' && c != '\r')))
			return false;
		if (in_string) {
			if (escaped)
				escaped = false;
			else if (c == '\\')
				escaped = true;
			else if (c == '"')
				in_string = false;
		} else if (c == '"') {
			in_string = true;
		} else if (c == '\'') {
			return false;
		}
		size_t n = utf8_seq_len(s + i, len - i);
		if (!n)
			return false;
		i += n;
	}
	return true;
}

/* Walks the parsed tree: containers nested at most JSON_MAX_DEPTH deep, and no
 * non-finite number (json-c reads NaN, Infinity and 1e999, none of which is JSON and
 * none of which it can write back as JSON). */
static bool json_tree_ok(struct json_object *o, int depth)
{
	switch (json_object_get_type(o)) {
	case json_type_double:
		return isfinite(json_object_get_double(o));
	case json_type_array: {
		if (depth >= JSON_MAX_DEPTH)
			return false;
		size_t n = json_object_array_length(o);
		for (size_t i = 0; i < n; i++)
			if (!json_tree_ok(json_object_array_get_idx(o, i), depth + 1))
				return false;
		return true;
	}
	case json_type_object: {
		if (depth >= JSON_MAX_DEPTH)
			return false;
		json_object_object_foreach(o, key, val) {
			(void)key;
			if (!json_tree_ok(val, depth + 1))
				return false;
		}
		return true;
	}
	default:
		return true;
	}
}

/* Runs json-c's tokener over the whole input. Strict mode already refuses trailing
 * characters other than whitespace; a bare top-level number or literal is only
 * complete once the tokener sees the end, which is what the final "" chunk says. */
static struct json_object *json_tokenize(const char *data, size_t len, const char **why)
{
	struct json_tokener *tok = json_tokener_new_ex(JSON_MAX_DEPTH + 1);
	if (!tok) {
		*why = "out of memory";
		return NULL;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	struct json_object *o = json_tokener_parse_ex(tok, data, (int)len);
	enum json_tokener_error err = json_tokener_get_error(tok);
	if (!o && err == json_tokener_continue) {
		o = json_tokener_parse_ex(tok, "", 1);
		err = json_tokener_get_error(tok);
	}
	if (o && (err != json_tokener_success || json_tokener_get_parse_end(tok) > len)) {
		json_object_put(o);
		o = NULL;
	}
	if (!o)
		*why = json_tokener_error_desc(err);
	json_tokener_free(tok);
	return o;
}

struct json_object *json_parse(const char *data, size_t len, size_t max_len)
{
	const char *why = NULL;
	struct json_object *o = NULL;

	/* json-c takes an int length. */
	if (max_len > INT_MAX - 1)
		max_len = INT_MAX - 1;
	if (!data || len == 0)
		why = "empty";
	else if (len > max_len)
		why = "too large";
	else if (!json_text_ok(data, len))
		why = "invalid UTF-8 or control character";
	else if (!(o = json_tokenize(data, len, &why)))
		;
	else if (!json_tree_ok(o, 0)) {
		why = "nesting too deep or non-finite number";
		json_object_put(o);
		o = NULL;
	}
	if (!o)
		log_warn("json refused", "reason", why, "bytes", log_fmt("%zu", len));
	return o;
}

/* Parses an array index: decimal digits only (no sign, space or "0x"), no leading
 * zero, within size_t. */
static bool json_index(const char *s, size_t n, size_t *out)
{
	size_t v = 0;

	if (n == 0 || (n > 1 && s[0] == '0'))
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		size_t d = (size_t)(s[i] - '0');
		if (v > (SIZE_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

/* One step: a key of an object, or an index of an array. Anything else is a miss. */
static struct json_object *json_step(struct json_object *cur, const char *comp, size_t n,
				     struct buf *key)
{
	struct json_object *next = NULL;

	if (json_object_is_type(cur, json_type_object)) {
		/* json-c wants a NUL-terminated key; the path is not ours to write into. */
		buf_reset(key);
		buf_add(key, comp, n);
		if (!json_object_object_get_ex(cur, key->buf, &next))
			return NULL;
		return next;
	}
	if (json_object_is_type(cur, json_type_array)) {
		size_t idx;
		if (!json_index(comp, n, &idx) || idx >= json_object_array_length(cur))
			return NULL;
		return json_object_array_get_idx(cur, idx);
	}
	return NULL;
}

/* The empty path names the root; otherwise every component must be non-empty, so
 * "a..b", ".a" and "a." miss. A JSON null found along the way is a miss too. */
struct json_object *json_path(struct json_object *root, const char *path)
{
	if (!root || !path)
		return NULL;
	if (!*path)
		return root;

	struct buf key = BUF_INIT;
	struct json_object *cur = root;
	const char *p = path;
	for (;;) {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) : strlen(p);
		cur = n ? json_step(cur, p, n, &key) : NULL;
		if (!cur || !dot)
			break;
		p = dot + 1;
	}
	buf_release(&key);
	return cur;
}

const char *json_path_str(struct json_object *root, const char *path)
{
	struct json_object *o = json_path(root, path);
	if (!json_object_is_type(o, json_type_string))
		return NULL;
	const char *s = json_object_get_string(o);
	/* "\u0000" in the input yields a string with a NUL inside; as a C string it would
	 * be silently cut short, so treat it as absent. */
	if ((size_t)json_object_get_string_len(o) != strlen(s))
		return NULL;
	return s;
}

long long json_path_int(struct json_object *root, const char *path, long long def)
{
	struct json_object *o = json_path(root, path);
	if (!json_object_is_type(o, json_type_int))
		return def;
	/* json-c keeps integers above INT64_MAX as uint64 and would clamp them here. */
	if (json_object_get_int64(o) == INT64_MAX && json_object_get_uint64(o) > INT64_MAX)
		return def;
	return (long long)json_object_get_int64(o);
}

size_t json_path_len(struct json_object *root, const char *path)
{
	struct json_object *o = json_path(root, path);
	if (!json_object_is_type(o, json_type_array))
		return 0;
	return json_object_array_length(o);
}

void json_to_buf(struct buf *out, struct json_object *obj)
{
	size_t len = 0;
	const char *s = json_object_to_json_string_length(
		obj, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);
	if (!s) {
		log_error("json serialization failed");
		abort();
	}
	buf_add(out, s, len);
}
