/* render.h: finishing a response: an HTML page inside the layout, an error page in
 * Spanish, a redirect, or JSON. Each returns 0 on success and -1 on failure (logged), so
 * a handler can `return render_…(…)` and a failure becomes the 500 page. render_error
 * always returns 0: when its template fails it answers in plain text instead. */
#ifndef RM_RENDER_H
#define RM_RENDER_H

#include <json-c/json.h>

struct buf;
struct ctx;

/* Renders templates/<page>.tpl (with c->page) inside templates/layout.tpl (with
 * c->layout). title is the page's name for <title> and the heading. Errors in c->errors
 * are shown: a field's in the {{#ERR_<field>}} section, form-level ones (field "") in
 * the {{#FORM_ERRORS}} list; both with {{MESSAGE}}. */
int render_page(struct ctx *c, int status, const char *page, const char *title);
int render_error(struct ctx *c, int status, const char *message);
/* 303 See Other to a local path. */
int render_redirect(struct ctx *c, const char *location);
int render_json(struct ctx *c, int status, struct json_object *obj);
/* 200 with body as a CSV attachment named filename (letters, digits, '-', '_', '.'
 * only; anything else becomes '_'). body is built with csv_out.h; it is copied. */
int render_csv(struct ctx *c, const char *filename, const struct buf *body);
/* render_csv's status, type and attachment header, with no body: for a CSV streamed
 * with stream.h, whose body starts with RENDER_CSV_BOM. 0 or -1. */
int render_csv_head(struct ctx *c, const char *filename);
#define RENDER_CSV_TYPE "text/csv; charset=utf-8"
#define RENDER_CSV_BOM "\xEF\xBB\xBF"

#endif
