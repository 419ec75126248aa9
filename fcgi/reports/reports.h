/* reports.h: what the reports program's page modules share (the program is fcgi/reports.c
 * plus the files of fcgi/reports/: home, the reports page and its CSV exports, the audit log). */
#ifndef RM_REPORTS_H
#define RM_REPORTS_H

#include <stdbool.h>
#include <stddef.h>
#include "core/app.h"

/* The date range and filters of a report, as validated text for the SQL parameters.
 * NULL means "all" (practice, campaign, channel) or "no restriction" (author). */
struct report_filter {
	const char *range;      /* "month" (default), "7", "30", "90" or "custom" */
	const char *from, *to;  /* YYYY-MM-DD, inclusive, days in the practices' timezone */
	const char *practice;
	const char *campaign;
	const char *channel;    /* SMS, WHATSAPP or EMAIL */
	const char *author;     /* a DOCTOR sees only the campaigns they created */
};

/* True when s is a real calendar date written YYYY-MM-DD (years 1900-9999). */
bool report_date_valid(const char *s);
/* A valid YYYY-MM-DD as the pages write dates, DD/MM/YYYY, in out; "" when iso is not one. */
enum { REPORT_DATE_SHOWN = 11 };
void report_date_shown(const char *iso, char out[REPORT_DATE_SHOWN]);

/* Reads the route's range/from/to/practice/campaign/channel inputs into f, with the
 * dates resolved. 0; -1 with a Spanish message in c->errors (bad input: answer with
 * report_bad_input); -2 on a database error. */
int report_filter_read(struct ctx *c, struct report_filter *f);
/* The 422 page with the first input error's message. */
int report_bad_input(struct ctx *c);
/* The author scope of the signed-in user: their id for a DOCTOR, else NULL. */
const char *report_author(const struct ctx *c);
/* Sets the filter form's values (selected range, dates, option lists) in d. 0 or -1. */
int report_filter_show(struct ctx *c, const struct report_filter *f, struct tpl_dict *d);
/* "WhatsApp" for WHATSAPP…; "—" for NULL. */
const char *report_channel_label(const char *channel);
/* "12" or "—" when the figure is NULL. */
const char *report_figure(const PGresult *res, int row, const char *col);

/* Every figure of the filtered range (report_figures in migration 0061): one row per
 * group, grp = total, week, campaign or channel. NULL on error. */
PGresult *report_figures(struct ctx *c, const struct report_filter *f);
/* A figure row's name: the campaign's, the channel's, the week's Monday, or "Total". */
const char *report_row_name(const PGresult *res, int row);

/* Charts: inline SVG drawn by templates/chart_*.tpl (ctemplate escapes every text), each
 * with a <title>, a <desc> and a table of the same numbers beside it. */
struct chart_point {
	const char *label;
	long long value;
	bool missing;           /* no figure (a week without ratings): a gap, '—' in the table */
};
void chart_bars(struct ctx *c, const char *marker, const char *title, const char *desc,
		const struct chart_point *pts, size_t n);
void chart_hbars(struct ctx *c, const char *marker, const char *title, const char *desc,
		 const struct chart_point *pts, size_t n);
/* A line on the NPS scale, -100 to 100. */
void chart_nps_line(struct ctx *c, const char *marker, const char *title, const char *desc,
		    const struct chart_point *pts, size_t n);

int home_get(struct ctx *c);
int report_get(struct ctx *c);
int report_table_csv(struct ctx *c);
int report_messages_csv(struct ctx *c);
int audit_get(struct ctx *c);

extern const struct app_sql home_sql, filter_sql, report_sql, export_sql, audit_sql;

#endif
