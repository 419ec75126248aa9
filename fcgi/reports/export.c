/* export.c: the report as CSV (its table, and the messages behind it), in UTF-8 with a BOM
 * (render_csv) and with formula-like cells neutralised (csv_out). */
#include "reports.h"

#include "core/buf.h"
#include "core/csv_out.h"
#include "core/nitems.h"
#include "core/render.h"

enum { Q_MESSAGES };

static const struct db_stmt sql[] = {
	/* Messages sent or answered in the range (days in the practice's timezone). The
	 * sent_at window lets the index narrow the scan; a reply counts if it came within a
	 * month of the message. An erased patient's personal data is not exported. */
	[Q_MESSAGES] = { "report_export_messages",
		"SELECT CASE WHEN p.data_deleted_at IS NULL THEN p.name ELSE '(datos borrados)' END AS name,"
		"       CASE WHEN p.data_deleted_at IS NULL THEN coalesce(p.phone, p.email) END AS contact,"
		"       m.channel, m.type, m.status, cp.name AS campaign,"
		"       to_char(m.sent_at AT TIME ZONE z.tz, 'YYYY-MM-DD HH24:MI') AS sent,"
		"       to_char(m.delivered_at AT TIME ZONE z.tz, 'YYYY-MM-DD HH24:MI') AS delivered,"
		"       to_char(m.replied_at AT TIME ZONE z.tz, 'YYYY-MM-DD HH24:MI') AS replied,"
		"       m.rating,"
		"       CASE WHEN p.data_deleted_at IS NULL THEN m.reply_text END AS reply,"
		"       to_char(m.review_clicked_at AT TIME ZONE z.tz, 'YYYY-MM-DD HH24:MI') AS clicked"
		"  FROM messages m"
		"  JOIN patients p ON p.workspace_id = m.workspace_id AND p.id = m.patient_id"
		"  LEFT JOIN campaigns cp ON cp.workspace_id = m.workspace_id AND cp.id = m.campaign_id"
		"  LEFT JOIN practices pr ON pr.workspace_id = cp.workspace_id AND pr.id = cp.practice_id"
		" CROSS JOIN LATERAL (SELECT coalesce(pr.timezone, 'America/Guayaquil') AS tz) z"
		" WHERE m.sent_at >= $1::date - 32 AND m.sent_at < $2::date + 2"
		"   AND ((m.sent_at AT TIME ZONE z.tz)::date BETWEEN $1::date AND $2::date"
		"        OR (m.replied_at AT TIME ZONE z.tz)::date BETWEEN $1::date AND $2::date)"
		"   AND ($3::uuid IS NULL OR cp.practice_id = $3::uuid)"
		"   AND ($4::uuid IS NULL OR m.campaign_id = $4::uuid)"
		"   AND ($5::message_channel IS NULL OR m.channel = $5::message_channel)"
		"   AND ($6::uuid IS NULL OR cp.created_by = $6::uuid)"
		" ORDER BY m.sent_at DESC, m.id" },
};
const struct app_sql export_sql = { sql, nitems(sql) };

static const char *const table_cols[][2] = {
	{ "sent", "Enviados" }, { "delivered", "Entregados" }, { "replied", "Respondidos" },
	{ "conversion", "Conversión %" }, { "delivery_rate", "Entrega %" },
	{ "happy_sent", "Seguimientos 4-5 enviados" }, { "happy_clicked", "Clics en reseña" },
	{ "click_through", "Clics %" }, { "rating_1", "Calificación 1" },
	{ "rating_2", "Calificación 2" }, { "rating_3", "Calificación 3" },
	{ "rating_4", "Calificación 4" }, { "rating_5", "Calificación 5" },
	{ "promoters", "Promotores" }, { "passives", "Pasivos" }, { "detractors", "Detractores" },
	{ "nps", "NPS" },
};

static const char *group_label(const char *grp)
{
	static const char *const names[][2] = {
		{ "total", "Total" }, { "campaign", "Campaña" }, { "channel", "Canal" },
		{ "week", "Semana" },
	};
	const char *label = report_lookup(names, nitems(names), grp);
	return label ? label : grp;
}

static const char *file_name(struct ctx *c, const char *what, const struct report_filter *f)
{
	return arena_printf(c->a, "%s-%s-%s.csv", what, f->from, f->to);
}

int report_table_csv(struct ctx *c)
{
	struct report_filter f;
	int rc = report_filter_read(c, &f);
	if (rc == -1)
		return report_bad_input(c);
	PGresult *res = rc ? NULL : report_figures(c, &f);
	if (!res)
		return -1;
	enum { NCOLS = 2 + nitems(table_cols) };
	struct buf out = BUF_INIT;
	const char *row[NCOLS] = { "Grupo", "Nombre" };
	for (size_t i = 0; i < nitems(table_cols); i++)
		row[2 + i] = table_cols[i][1];
	csv_out_row(&out, row, NCOLS);
	for (int r = 0; r < PQntuples(res); r++) {
		row[0] = group_label(db_get(res, r, "grp"));
		row[1] = report_row_name(res, r);
		for (size_t i = 0; i < nitems(table_cols); i++)
			row[2 + i] = db_get(res, r, table_cols[i][0]);
		csv_out_row(&out, row, NCOLS);
	}
	rc = render_csv(c, file_name(c, "reporte", &f), &out);
	buf_release(&out);
	return rc;
}

int report_messages_csv(struct ctx *c)
{
	static const char *const cols[][2] = {
		{ "name", "Paciente" }, { "contact", "Teléfono o correo" }, { "channel", "Canal" },
		{ "type", "Tipo" }, { "status", "Estado" }, { "campaign", "Campaña" },
		{ "sent", "Enviado" }, { "delivered", "Entregado" }, { "replied", "Respondido" },
		{ "rating", "Calificación" }, { "reply", "Respuesta" }, { "clicked", "Clic en reseña" },
	};
	struct report_filter f;
	int rc = report_filter_read(c, &f);
	if (rc == -1)
		return report_bad_input(c);
	PGresult *res = rc ? NULL : Q(c, &sql[Q_MESSAGES], f.from, f.to, f.practice, f.campaign,
				      f.channel, f.author);
	if (!res)
		return -1;
	struct buf out = BUF_INIT;
	const char *row[nitems(cols)];
	for (size_t i = 0; i < nitems(cols); i++)
		row[i] = cols[i][1];
	csv_out_row(&out, row, nitems(cols));
	for (int r = 0; r < PQntuples(res); r++) {
		for (size_t i = 0; i < nitems(cols); i++)
			row[i] = db_get(res, r, cols[i][0]);
		csv_out_row(&out, row, nitems(cols));
	}
	rc = render_csv(c, file_name(c, "mensajes", &f), &out);
	buf_release(&out);
	return rc;
}
