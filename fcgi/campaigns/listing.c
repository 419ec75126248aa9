/* listing.c: page numbers and the links between pages. */
#include "campaigns/listing.h"
#include "core/app.h"

#include <stdlib.h>

struct listing listing_from(struct ctx *c, long long size)
{
	const char *p = ctx_param(c, "page");
	struct listing l = { .page = p ? atoll(p) : 1, .size = size };
	if (l.page < 1)
		l.page = 1;
	l.limit = arena_printf(c->a, "%lld", size);
	l.offset = arena_printf(c->a, "%lld", (l.page - 1) * size);
	return l;
}

void listing_links(struct ctx *c, struct tpl_dict *d, const struct listing *l,
		   const char *base, long long total)
{
	long long pages = (total + l->size - 1) / l->size;
	if (pages <= 1 && l->page == 1)
		return;
	struct tpl_dict *p = tpl_section(d, "PAGER");
	tpl_set_int(p, "PAGE", l->page);
	tpl_set_int(p, "PAGES", pages > l->page ? pages : l->page);
	if (l->page > 1)
		tpl_set(tpl_section(p, "PREV"), "HREF",
			arena_printf(c->a, "%s?page=%lld", base, l->page - 1));
	if (l->page < pages)
		tpl_set(tpl_section(p, "NEXT"), "HREF",
			arena_printf(c->a, "%s?page=%lld", base, l->page + 1));
}
