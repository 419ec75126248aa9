/* chart.c: the geometry of the reports' charts. The SVG itself is written by
 * templates/chart_*.tpl, so ctemplate escapes every text in it like any page value; this
 * file computes only numbers (coordinates in a fixed viewBox). */
#include "reports.h"

#include "core/arena.h"
#include "core/buf.h"

enum { W = 360, H = 200, LEFT = 36, RIGHT = 18, TOP = 16, BOTTOM = 28 };

static long long chart_max(const struct chart_point *pts, size_t n)
{
	long long max = 0;
	for (size_t i = 0; i < n; i++)
		if (!pts[i].missing && pts[i].value > max)
			max = pts[i].value;
	return max;
}

/* Starts a chart: its include, title, description and the table rows of its numbers. */
static struct tpl_dict *chart_begin(struct ctx *c, const char *marker, const char *file,
				    const char *title, const char *desc,
				    const struct chart_point *pts, size_t n)
{
	struct tpl_dict *d = tpl_include(c->page, marker);
	tpl_set_file(d, file);
	tpl_set(d, "TITLE", title);
	tpl_set(d, "DESC", desc);
	tpl_set_int(d, "W", W);
	tpl_set_int(d, "H", H);
	for (size_t i = 0; i < n; i++) {
		struct tpl_dict *row = tpl_section(d, "ROW");
		tpl_set(row, "LABEL", pts[i].label);
		if (pts[i].missing)
			tpl_set(row, "VALUE", "—");
		else
			tpl_set_int(row, "VALUE", pts[i].value);
	}
	if (n == 0)
		tpl_show(d, "EMPTY");
	return d;
}

void chart_bars(struct ctx *c, const char *marker, const char *title, const char *desc,
		const struct chart_point *pts, size_t n)
{
	struct tpl_dict *d = chart_begin(c, marker, "chart_bars.tpl", title, desc, pts, n);
	long long max = chart_max(pts, n);
	int plot_h = H - TOP - BOTTOM, slot = n ? (W - LEFT - RIGHT) / (int)n : 0;
	tpl_set_int(d, "BASE_Y", H - BOTTOM);
	tpl_set_int(d, "X0", LEFT);
	tpl_set_int(d, "X1", W - RIGHT);
	for (size_t i = 0; i < n; i++) {
		struct tpl_dict *b = tpl_section(d, "BAR");
		int h = max ? (int)(pts[i].value * plot_h / max) : 0;
		int x = LEFT + (int)i * slot;
		tpl_set(b, "LABEL", pts[i].label);
		tpl_set_int(b, "VALUE", pts[i].value);
		tpl_set_int(b, "X", x + slot / 6);
		tpl_set_int(b, "Y", H - BOTTOM - h);
		tpl_set_int(b, "BW", slot * 2 / 3);
		tpl_set_int(b, "BH", h);
		tpl_set_int(b, "CX", x + slot / 2);
		tpl_set_int(b, "LY", H - BOTTOM + 16);
		tpl_set_int(b, "VY", H - BOTTOM - h - 4);
	}
}

void chart_hbars(struct ctx *c, const char *marker, const char *title, const char *desc,
		 const struct chart_point *pts, size_t n)
{
	struct tpl_dict *d = chart_begin(c, marker, "chart_hbars.tpl", title, desc, pts, n);
	long long max = chart_max(pts, n);
	enum { LABEL_W = 110 };
	int plot_w = W - LABEL_W - RIGHT - 40, slot = n ? (H - 8) / (int)n : 0;
	for (size_t i = 0; i < n; i++) {
		struct tpl_dict *b = tpl_section(d, "BAR");
		int w = max ? (int)(pts[i].value * plot_w / max) : 0;
		int y = 4 + (int)i * slot;
		tpl_set(b, "LABEL", pts[i].label);
		tpl_set_int(b, "VALUE", pts[i].value);
		tpl_set_int(b, "X", LABEL_W);
		tpl_set_int(b, "Y", y + slot / 6);
		tpl_set_int(b, "BW", w);
		tpl_set_int(b, "BH", slot * 2 / 3);
		tpl_set_int(b, "LX", LABEL_W - 6);
		tpl_set_int(b, "TY", y + slot / 2 + 5);
		tpl_set_int(b, "VX", LABEL_W + w + 6);
	}
}

void chart_nps_line(struct ctx *c, const char *marker, const char *title, const char *desc,
		    const struct chart_point *pts, size_t n)
{
	struct tpl_dict *d = chart_begin(c, marker, "chart_line.tpl", title, desc, pts, n);
	int plot_w = W - LEFT - RIGHT, plot_h = H - TOP - BOTTOM;
	struct buf points = BUF_INIT;
	tpl_set_int(d, "X0", LEFT);
	tpl_set_int(d, "X1", W - RIGHT);
	tpl_set_int(d, "Y_TOP", TOP);
	tpl_set_int(d, "Y_ZERO", TOP + plot_h / 2);
	tpl_set_int(d, "Y_BOTTOM", TOP + plot_h);
	tpl_set_int(d, "LABEL_X", LEFT - 4);
	/* At most MAX_TICKS labels under the line, so that they never overlap. */
	enum { MAX_TICKS = 7 };
	size_t every = (n + MAX_TICKS - 1) / MAX_TICKS;
	for (size_t i = 0; i < n; i++) {
		int x = LEFT + (n > 1 ? (int)i * plot_w / (int)(n - 1) : plot_w / 2);
		if (i % every == 0) {
			struct tpl_dict *t = tpl_section(d, "TICK");
			tpl_set(t, "LABEL", pts[i].label);
			tpl_set_int(t, "X", x);
			tpl_set_int(t, "Y", H - 8);
		}
		if (pts[i].missing)
			continue;
		/* -100 at the bottom, 100 at the top. */
		int y = TOP + (int)((100 - pts[i].value) * plot_h / 200);
		struct tpl_dict *p = tpl_section(d, "POINT");
		tpl_set(p, "LABEL", pts[i].label);
		tpl_set_int(p, "VALUE", pts[i].value);
		tpl_set_int(p, "X", x);
		tpl_set_int(p, "Y", y);
		buf_printf(&points, "%s%d,%d", points.len ? " " : "", x, y);
	}
	tpl_set(d, "POINTS", points.buf);
	buf_release(&points);
}
