/* export.c: the report as CSV (its table, and the messages behind it), in UTF-8 with a BOM
 * (render_csv) and with formula-like cells neutralised (csv_out). */
#include "reports.h"

#include "core/buf.h"
#include "core/csv_out.h"
#include "core/labels.h"
#include "core/nitems.h"
#include "core/render.h"
#include "core/stream.h"

enum { Q_MESSAGES_OPEN, Q_MESSAGES_FETCH, Q_MESSAGES_CLOSE };

/* The messages export is streamed (stream.h) from a cursor, a page of rows at a time, so
 * its memory does not grow with the range. It stops after EXPORT_MAX_ROWS rows, with a
 * last line saying so: past a million rows a spreadsheet cannot open the file anyway
 * (Excel holds 1,048,576), and the read transaction should not stay open for minutes. */
#define EXPORT_PAGE_ROWS 1000
#define EXPORT_MAX_ROWS 1000000L
#define EXPORT_STR(x) #x
#define EXPORT_XSTR(x) EXPORT_STR(x)

static const struct db_stmt sql[] = {
	/* The messages behind the report's figures (report_messages, 0080: the same
	 * definitions), newest first; times in the practice's timezone. An erased patient's
	 * personal data is not exported. $7 is the row cap plus one, to tell a cut. */
	[Q_MESSAGES_OPEN] = { "report_export_messages_open",
		"DECLARE report_export_cur NO SCROLL CURSOR FOR"
		" SELECT CASE WHEN p.data_deleted_at IS NULL THEN p.name ELSE '(datos borrados)' END AS name,"
		"       CASE WHEN p.data_deleted_at IS NULL THEN coalesce(p.phone, p.email) END AS contact,"
		"       m.channel, m.type, m.status, cp.name AS campaign,"
		"       to_char(m.sent_at AT TIME ZONE z.tz, 'YYYY-MM-DD HH24:MI') AS sent,"
		"       to_char(m.delivered_at AT TIME ZONE z.tz, 'YYYY-MM-DD HH24:MI') AS delivered,"
		"       to_char(m.replied_at AT TIME ZONE z.tz, 'YYYY-MM-DD HH24:MI') AS replied,"
		"       m.rating,"
		"       CASE WHEN p.data_deleted_at IS NULL THEN m.reply_text END AS reply,"
		"       to_char(m.review_clicked_at AT TIME ZONE z.tz, 'YYYY-MM-DD HH24:MI') AS clicked"
		"  FROM report_messages($1::date, $2::date, $3::uuid, $4::uuid, $5::message_channel,"
		"                      $6::uuid) m"
		"  JOIN patients p ON p.workspace_id = m.workspace_id AND p.id = m.patient_id"
		"  LEFT JOIN campaigns cp ON cp.workspace_id = m.workspace_id AND cp.id = m.campaign_id"
		"  LEFT JOIN practices pr ON pr.workspace_id = cp.workspace_id AND pr.id = cp.practice_id"
		" CROSS JOIN LATERAL (SELECT coalesce(pr.timezone, 'America/Guayaquil') AS tz) z"
		" ORDER BY coalesce(m.sent_at, m.created_at) DESC, m.id"
		" LIMIT $7::bigint" },
	[Q_MESSAGES_FETCH] = { "report_export_messages_fetch",
		"FETCH " EXPORT_XSTR(EXPORT_PAGE_ROWS) " FROM report_export_cur" },
	[Q_MESSAGES_CLOSE] = { "report_export_messages_close", "CLOSE report_export_cur" },
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
	static const struct label names[] = {
		{ "total", "Total" }, { "campaign", "Campaña" }, { "channel", "Canal" },
		{ "week", "Semana" },
	};
	const char *label = label_find(names, nitems(names), grp);
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

/* Each column of the messages CSV: its query column, its header, and how its value is
 * named (the channel, type and status as the pages name them; NULL: as it is). */
static const struct {
	const char *col, *header;
	const char *(*named)(const char *);
} message_cols[] = {
	{ "name", "Paciente", NULL }, { "contact", "Teléfono o correo", NULL },
	{ "channel", "Canal", label_channel }, { "type", "Tipo", label_message_type },
	{ "status", "Estado", label_message_status }, { "campaign", "Campaña", NULL },
	{ "sent", "Enviado", NULL }, { "delivered", "Entregado", NULL },
	{ "replied", "Respondido", NULL }, { "rating", "Calificación", NULL },
	{ "reply", "Respuesta", NULL }, { "clicked", "Clic en reseña", NULL },
};

/* Appends one CSV row per message of res to out, at most room of them; the count. */
static long message_rows(struct buf *out, const PGresult *res, long room)
{
	const char *row[nitems(message_cols)];
	long n = PQntuples(res) < room ? PQntuples(res) : room;
	for (int r = 0; r < n; r++) {
		for (size_t i = 0; i < nitems(message_cols); i++) {
			const char *v = db_get(res, r, message_cols[i].col);
			row[i] = message_cols[i].named ? message_cols[i].named(v) : v;
		}
		csv_out_row(out, row, nitems(message_cols));
	}
	return n;
}

/* Streams the open cursor's rows, a page at a time, each page's result freed with its
 * own arena. The last line says when the export was cut or failed half-way: the
 * response has left already, so the file is the only place left to say it. */
static void stream_messages(struct ctx *c, struct buf *out)
{
	struct arena *page = arena_new();
	long rows = 0;
	for (;;) {
		const char *end = NULL;
		PGresult *res = DB_EXEC0(c->db, page, &sql[Q_MESSAGES_FETCH]);
		long got = res ? PQntuples(res) : 0;
		if (!res)
			end = "ERROR: la exportación quedó incompleta por un error del servidor. "
			      "Vuelve a intentarlo.";
		else if (rows + got > EXPORT_MAX_ROWS)   /* the cursor holds one row more */
			end = "La exportación se detuvo en 1.000.000 de filas: elige un rango más "
			      "corto o más filtros.";
		if (res)
			rows += message_rows(out, res, EXPORT_MAX_ROWS - rows);
		arena_reset(page);
		if (end)
			csv_out_row(out, &end, 1);
		if (stream_write(c, out->buf, out->len) || end || got < EXPORT_PAGE_ROWS)
			break;
		buf_reset(out);
	}
	arena_free(page);
}

int report_messages_csv(struct ctx *c)
{
	struct report_filter f;
	int rc = report_filter_read(c, &f);
	if (rc == -1)
		return report_bad_input(c);
	const char *limit = arena_printf(c->a, "%ld", EXPORT_MAX_ROWS + 1);
	if (rc || !Q(c, &sql[Q_MESSAGES_OPEN], f.from, f.to, f.practice, f.campaign, f.channel,
		     f.author, limit))
		return -1;
	if (render_csv_head(c, file_name(c, "mensajes", &f)) ||
	    stream_begin(c, RENDER_CSV_TYPE))
		return -1;
	struct buf out = BUF_INIT;
	buf_adds(&out, RENDER_CSV_BOM);
	const char *row[nitems(message_cols)];
	for (size_t i = 0; i < nitems(message_cols); i++)
		row[i] = message_cols[i].header;
	csv_out_row(&out, row, nitems(message_cols));
	if (stream_has_body(c))
		stream_messages(c, &out);
	buf_release(&out);
	/* Closed, not left to the commit. After a failed fetch the transaction is aborted
	 * and this fails too (logged): nothing is left to undo in a read. */
	Q0(c, &sql[Q_MESSAGES_CLOSE]);
	return 0;
}
