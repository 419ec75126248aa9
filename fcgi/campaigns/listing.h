/* listing.h: one page of a long list (?page=N), shared by the campaigns program's lists.
 *
 * The SQL asks for LIMIT size OFFSET (page - 1) * size and returns the full count in a
 * `total` column (count(*) OVER () before the LIMIT); listing_links then shows
 * "Página N de M" with the previous and next links in the {{#PAGER}} section. */
#ifndef RM_CAMPAIGNS_LISTING_H
#define RM_CAMPAIGNS_LISTING_H

struct ctx;
struct tpl_dict;

struct listing {
	long long page;      /* 1-based */
	long long size;      /* rows a page */
	const char *limit;   /* both as text, ready to be SQL parameters */
	const char *offset;
};

/* The page asked for in the validated "page" parameter (1 when absent). */
struct listing listing_from(struct ctx *c, long long size);
/* Fills {{#PAGER}} in d when there is more than one page; base is the list's path. */
void listing_links(struct ctx *c, struct tpl_dict *d, const struct listing *l,
		   const char *base, long long total);

#endif
