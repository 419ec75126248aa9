/* json.h: small helpers over json-c for webhook bodies and JSON answers.
 *
 * json_parse refuses input over max_len bytes, nesting deeper than 32, bad UTF-8 and
 * trailing garbage. Path lookups take dotted paths with numeric indexes for arrays:
 * "entry.0.changes.0.value.messages.0.text.body". A missing step, or a value of the
 * wrong type, yields NULL (or the given default), never a crash. */
#ifndef RM_JSON_H
#define RM_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <json-c/json.h>

struct buf;

/* Returns a new object (json_object_put it), or NULL. */
struct json_object *json_parse(const char *data, size_t len, size_t max_len);

struct json_object *json_path(struct json_object *root, const char *path);
/* String at path (borrowed from root), or NULL when absent or not a string. */
const char *json_path_str(struct json_object *root, const char *path);
/* Integer at path; def when absent or not an integer. */
long long json_path_int(struct json_object *root, const char *path, long long def);
/* Length of the array at path, 0 when absent or not an array. */
size_t json_path_len(struct json_object *root, const char *path);

/* Appends the compact serialization of obj to out. */
void json_to_buf(struct buf *out, struct json_object *obj);

#endif
