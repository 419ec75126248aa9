/* page.c: /reports: NPS, ratings, the weekly NPS line, the funnel and the per-campaign and
 * per-channel table, all from the daily rollups (report_figures, migration 0061). */
#include "reports.h"

#include <string.h>

#include "core/nitems.h"
#include "core/render.h"

enum { Q_FIGURES };

static const struct db_stmt sql[] = {
	/* Campaign rows carry the campaign's name; weeks are labelled by their Monday. */
	[Q_FIGURES] = { "report_page_figures",
		"SELECT f.*, c.name AS campaign_name, to_char(f.week, 'DD/MM') AS week_label"
		"  FROM report_figures($1::date, $2::date, $3::uuid, $4::uuid,"
		"                      $5::message_channel, $6::uuid) f"
		"  LEFT JOIN campaigns c ON c.id = f.campaign_id"
		" ORDER BY f.grp, f.week, c.name, f.channel" },
};
const struct app_sql report_sql = { sql, nitems(sql) };

/* The columns every figure row shows, in the page's tables and in the CSV. */
static const char *const figure_cols[][2] = {
	{ "sent", "SENT" }, { "delivered", "DELIVERED" }, { "replied", "REPLIED" },
	{ "happy_sent", "HAPPY_SENT" }, { "happy_clicked", "HAPPY_CLICKED" },
	{ "rated", "RATED" }, { "promoters", "PROMOTERS" }, { "passives", "PASSIVES" },
	{ "detractors", "DETRACTORS" }, { "nps", "NPS" }, { "conversion", "CONVERSION" },
	{ "delivery_rate", "DELIVERY_RATE" }, { "click_through", "CLICK_THROUGH" },
};

static void report_set_figures(struct tpl_dict *d, const PGresult *res, int row)
{
	for (size_t i = 0; i < nitems(figure_cols); i++)
		tpl_set(d, figure_cols[i][1], report_figure(res, row, figure_cols[i][0]));
}

/* A row's name in the per-campaign and per-channel table (and in the CSV). */
const char *report_row_name(const PGresult *res, int row)
{
	const char *grp = db_get(res, row, "grp");
	if (strcmp(grp, "campaign") == 0)
		return db_get_or(res, row, "campaign_name", "Sin campaña");
	if (strcmp(grp, "channel") == 0)
		return report_channel_label(db_get(res, row, "channel"));
	if (strcmp(grp, "week") == 0)
		return db_get(res, row, "week");
	return "Total";
}

PGresult *report_figures(struct ctx *c, const struct report_filter *f)
{
	return Q(c, &sql[Q_FIGURES], f->from, f->to, f->practice, f->campaign, f->channel,
		 f->author);
}

static void report_charts(struct ctx *c, const PGresult *res, int total)
{
	static const char *const stars[] = { "1", "2", "3", "4", "5" };
	struct chart_point ratings[5];
	for (size_t i = 0; i < nitems(ratings); i++)
		ratings[i] = (struct chart_point){
			.label = stars[i],
			.value = db_get_int(res, total, arena_printf(c->a, "rating_%zu", i + 1), 0),
		};
	chart_bars(c, "RATINGS_CHART", "Distribución de calificaciones",
		   "Cuántos pacientes calificaron con 1, 2, 3, 4 y 5 en el período.",
		   ratings, nitems(ratings));

	struct chart_point funnel[] = {
		{ .label = "Enviados", .value = db_get_int(res, total, "sent", 0) },
		{ .label = "Entregados", .value = db_get_int(res, total, "delivered", 0) },
		{ .label = "Respondidos", .value = db_get_int(res, total, "replied", 0) },
		{ .label = "Clic en reseña", .value = db_get_int(res, total, "happy_clicked", 0) },
	};
	chart_hbars(c, "FUNNEL_CHART", "Embudo de mensajes",
		    "Solicitudes enviadas, entregadas y respondidas, y clics en el enlace de reseña.",
		    funnel, nitems(funnel));

	int n = 0, rows = PQntuples(res);
	struct chart_point *weeks = arena_calloc(c->a, (size_t)rows + 1, sizeof *weeks);
	for (int i = 0; i < rows; i++) {
		if (strcmp(db_get(res, i, "grp"), "week") != 0)
			continue;
		weeks[n].label = db_get(res, i, "week_label");
		weeks[n].missing = db_get(res, i, "nps") == NULL;
		weeks[n].value = db_get_int(res, i, "nps", 0);
		n++;
	}
	chart_nps_line(c, "NPS_CHART", "NPS por semana",
		       "El NPS de cada semana del período (de -100 a 100); semana indicada por su lunes.",
		       weeks, (size_t)n);
}

int report_get(struct ctx *c)
{
	struct report_filter f;
	int rc = report_filter_read(c, &f);
	if (rc == -1)
		return report_bad_input(c);
	if (rc < 0 || report_filter_show(c, &f, c->page))
		return -1;
	PGresult *res = report_figures(c, &f);
	if (!res)
		return -1;
	int total = -1;
	for (int i = 0; i < PQntuples(res); i++) {
		const char *grp = db_get(res, i, "grp");
		if (strcmp(grp, "total") == 0) {
			total = i;
			report_set_figures(c->page, res, i);
		} else if (strcmp(grp, "campaign") == 0 || strcmp(grp, "channel") == 0) {
			struct tpl_dict *row = tpl_section(c->page, strcmp(grp, "campaign") == 0
								  ? "CAMPAIGN_ROW" : "CHANNEL_ROW");
			tpl_set(row, "NAME", report_row_name(res, i));
			report_set_figures(row, res, i);
		}
	}
	if (total < 0)
		return -1;      /* the grand total row always exists */
	report_charts(c, res, total);
	return render_page(c, 200, "reports", "Reportes");
}
