// tpl.cc: the C++ side of tpl.h. Only this file knows ctemplate's types.
#include <ctemplate/template.h>
#include <string>

extern "C" {
#include "tpl.h"
#include "arena.h"
#include "buf.h"
#include "log.h"
}

using ctemplate::TemplateDictionary;

struct tpl_dict {
	TemplateDictionary *dict;
	struct arena *arena;   // where this wrapper and its children's wrappers live
};

// Section and include dictionaries are owned by their root dictionary; only the
// root is deleted (by the arena's cleanup).
static tpl_dict *make(struct arena *a, TemplateDictionary *d)
{
	tpl_dict *w = static_cast<tpl_dict *>(arena_alloc(a, sizeof *w));
	w->dict = d;
	w->arena = a;
	return w;
}

static void free_root(void *p)
{
	delete static_cast<TemplateDictionary *>(p);
}

extern "C" int tpl_init(const char *root_dir)
{
	if (!ctemplate::mutable_default_template_cache()->SetTemplateRootDirectory(root_dir)) {
		log_error("cannot set template directory", "dir", root_dir);
		return -1;
	}
	return 0;
}

extern "C" struct tpl_dict *tpl_dict_new(struct arena *a)
{
	TemplateDictionary *d = new TemplateDictionary("page");
	arena_cleanup(a, free_root, d);
	return make(a, d);
}

extern "C" void tpl_set(struct tpl_dict *d, const char *key, const char *value)
{
	d->dict->SetValue(key, value ? value : "");
}

extern "C" void tpl_set_int(struct tpl_dict *d, const char *key, long long value)
{
	d->dict->SetValue(key, std::to_string(value));
}

extern "C" struct tpl_dict *tpl_section(struct tpl_dict *d, const char *section)
{
	return make(d->arena, d->dict->AddSectionDictionary(section));
}

extern "C" void tpl_show(struct tpl_dict *d, const char *section)
{
	d->dict->ShowSection(section);
}

extern "C" struct tpl_dict *tpl_include(struct tpl_dict *d, const char *marker)
{
	return make(d->arena, d->dict->AddIncludeDictionary(marker));
}

extern "C" void tpl_set_file(struct tpl_dict *include, const char *file)
{
	include->dict->SetFilename(file);
}

extern "C" int tpl_render(const char *file, struct tpl_dict *d, struct buf *out)
{
	std::string s;
	if (!ctemplate::ExpandTemplate(file, ctemplate::STRIP_BLANK_LINES, d->dict, &s)) {
		log_error("template failed", "file", file);
		return -1;
	}
	buf_add(out, s.data(), s.size());
	return 0;
}
