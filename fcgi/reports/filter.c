/* filter.c: a report's date range and filters, shared by the page and its CSV exports. */
#include "reports.h"

#include <string.h>

#include "core/labels.h"
#include "core/nitems.h"
#include "core/render.h"

enum { Q_RANGE, Q_PRACTICES, Q_CAMPAIGNS };

static const struct db_stmt sql[] = {
	/* "Today" is Quito's: the product's market, and the practices' default timezone. */
	[Q_RANGE] = { "report_filter_range",
		"SELECT to_char(CASE $1 WHEN '7' THEN t - 6 WHEN '30' THEN t - 29"
		"                       WHEN '90' THEN t - 89 WHEN 'custom' THEN $2::date"
		"                       ELSE date_trunc('month', t)::date END, 'YYYY-MM-DD') AS from_day,"
		"       to_char(CASE $1 WHEN 'custom' THEN $3::date ELSE t END, 'YYYY-MM-DD') AS to_day"
		"  FROM (SELECT (now() AT TIME ZONE 'America/Guayaquil')::date AS t) x" },
	[Q_PRACTICES] = { "report_filter_practices",
		"SELECT id, name FROM practices ORDER BY name, id" },
	[Q_CAMPAIGNS] = { "report_filter_campaigns",
		"SELECT id, name FROM campaigns WHERE ($1::uuid IS NULL OR created_by = $1)"
		" ORDER BY name, id" },
};
const struct app_sql filter_sql = { sql, nitems(sql) };

static const struct label ranges[] = {
	{ "month", "Este mes" }, { "7", "Últimos 7 días" }, { "30", "Últimos 30 días" },
	{ "90", "Últimos 90 días" }, { "custom", "Personalizado" },
};

const char *report_author(const struct ctx *c)
{
	return c->user->role == ROLE_DOCTOR ? c->user->id : NULL;
}

int report_filter_read(struct ctx *c, struct report_filter *f)
{
	memset(f, 0, sizeof *f);
	f->author = report_author(c);
	f->practice = ctx_param(c, "practice");
	f->campaign = ctx_param(c, "campaign");
	f->channel = ctx_param(c, "channel");
	f->range = ctx_param(c, "range");
	if (f->channel && !*f->channel)
		f->channel = NULL;
	if (!f->range || !*f->range)
		f->range = "month";
	if (ctx_has_errors(c))
		return -1;
	if (!label_find(ranges, nitems(ranges), f->range)) {
		ctx_error(c, "range", "Elige un período de la lista.");
		return -1;
	}
	if (f->channel && !label_find(label_channels, label_channels_n, f->channel)) {
		ctx_error(c, "channel", "Elige un canal de la lista.");
		return -1;
	}
	const char *from = NULL, *to = NULL;
	if (strcmp(f->range, "custom") == 0) {
		from = ctx_param(c, "from");
		to = ctx_param(c, "to");
		if (!report_date_valid(from) || !report_date_valid(to)) {
			ctx_error(c, "from", "Escribe las fechas como AAAA-MM-DD (por ejemplo 2026-03-01).");
			return -1;
		}
		if (strcmp(from, to) > 0) {
			ctx_error(c, "from", "La fecha inicial debe ser anterior o igual a la final.");
			return -1;
		}
	}
	PGresult *res = Q(c, &sql[Q_RANGE], f->range, from, to);
	if (!res)
		return -2;
	f->from = db_get(res, 0, "from_day");
	f->to = db_get(res, 0, "to_day");
	return 0;
}

static void report_options(struct tpl_dict *d, const char *section, const PGresult *res,
			   const char *selected)
{
	for (int i = 0; i < PQntuples(res); i++) {
		struct tpl_dict *o = tpl_section(d, section);
		const char *id = db_get(res, i, "id");
		tpl_set(o, "ID", id);
		tpl_set(o, "NAME", db_get(res, i, "name"));
		if (selected && strcmp(selected, id) == 0)
			tpl_show(o, "SELECTED");
	}
}

int report_filter_show(struct ctx *c, const struct report_filter *f, struct tpl_dict *d)
{
	PGresult *practices = Q0(c, &sql[Q_PRACTICES]);
	PGresult *campaigns = practices ? Q(c, &sql[Q_CAMPAIGNS], f->author) : NULL;
	if (!campaigns)
		return -1;
	label_options(d, "RANGE_OPTION", ranges, nitems(ranges), f->range);
	label_options(d, "CHANNEL_OPTION", label_channels, label_channels_n, f->channel);
	report_options(d, "PRACTICE_OPTION", practices, f->practice);
	report_options(d, "CAMPAIGN_OPTION", campaigns, f->campaign);
	tpl_set(d, "RANGE", f->range);
	tpl_set(d, "FROM", f->from);
	tpl_set(d, "TO", f->to);
	char shown[REPORT_DATE_SHOWN];
	report_date_shown(f->from, shown);
	tpl_set(d, "FROM_SHOWN", shown);
	report_date_shown(f->to, shown);
	tpl_set(d, "TO_SHOWN", shown);
	tpl_set(d, "PRACTICE", f->practice ? f->practice : "");
	tpl_set(d, "CAMPAIGN", f->campaign ? f->campaign : "");
	tpl_set(d, "CHANNEL", f->channel ? f->channel : "");
	return 0;
}

const char *report_channel_label(const char *channel)
{
	return channel ? label_channel(channel) : "—";
}

int report_bad_input(struct ctx *c)
{
	const struct kv *e = c->errors.head;
	return render_error(c, 422, e && *e->value ? e->value : "Revisa los filtros del reporte.");
}

const char *report_figure(const PGresult *res, int row, const char *col)
{
	return db_get_or(res, row, col, "—");
}
