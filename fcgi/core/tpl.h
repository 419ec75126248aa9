/* tpl.h: the C interface to ctemplate (implemented in tpl.cc, a thin C++ shim).
 *
 * A dictionary belongs to the arena it was made in and is freed with it; sections and
 * includes are owned by their parent. Values are copied in. Page templates declare
 * {{%AUTOESCAPE context="HTML"}}, so ctemplate escapes every value for where it stands
 * (text, attribute, URL, JavaScript): C code never escapes HTML itself. */
#ifndef RM_TPL_H
#define RM_TPL_H

#include <stddef.h>

struct arena;
struct buf;
struct tpl_dict;

/* Sets the directory template file names are relative to. 0 or -1. */
int tpl_init(const char *root_dir);

struct tpl_dict *tpl_dict_new(struct arena *a);
void tpl_set(struct tpl_dict *d, const char *key, const char *value);
void tpl_set_int(struct tpl_dict *d, const char *key, long long value);
/* Adds one more repetition of {{#section}} and returns its dictionary. */
struct tpl_dict *tpl_section(struct tpl_dict *d, const char *section);
/* Shows {{#section}} once with no values of its own. */
void tpl_show(struct tpl_dict *d, const char *section);
/* Adds a dictionary for {{>marker}}; its file is named later with tpl_set_file. */
struct tpl_dict *tpl_include(struct tpl_dict *d, const char *marker);
void tpl_set_file(struct tpl_dict *include, const char *file);

/* Expands file with d and appends the result to out. 0, or -1 (logged) when the
 * template is missing or does not parse. */
int tpl_render(const char *file, struct tpl_dict *d, struct buf *out);

#endif
