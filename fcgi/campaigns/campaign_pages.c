/* campaign_pages.c: campaigns (/campaigns).
 *
 * Lifecycle: DRAFT → ACTIVE → COMPLETED, and DRAFT or ACTIVE → CANCELLED. Activating
 * enqueues every patient through campaign_enqueue (migration 0015) in the request's
 * transaction; cancelling moves the campaign's PENDING messages to CANCELLED in the
 * same transaction, completing its PENDING INITIAL and REMINDER messages (the sender
 * sends nothing for a cancelled campaign and asks nobody new for a completed one, so
 * leaving them PENDING would only make the figures lie). A completed campaign's
 * follow-ups still go out: the patient answered (migration 0091).
 *
 * Doctors see and change only the campaigns they created: every statement that reads or
 * writes a campaign takes "only_author" ($3), the doctor's user id, or NULL for an OWNER;
 * a campaign outside that filter is simply not found (404), exactly like another
 * workspace's. */
#include "campaigns/campaign_pages.h"
#include "campaigns/listing.h"
#include "core/audit.h"
#include "core/labels.h"
#include "core/log.h"
#include "core/nitems.h"
#include "core/render.h"

#include <stdlib.h>
#include <string.h>

enum {
	Q_LIST, Q_DETAIL, Q_PATIENTS, Q_PRACTICES, Q_PRACTICE_OK, Q_INSERT, Q_LOCK, Q_UPDATE,
	Q_SET_STATUS, Q_ENQUEUE, Q_CANCEL_PENDING,
};

#define ONLY_AUTHOR "($3::uuid IS NULL OR c.created_by = $3::uuid)"

/* The detail page counts a campaign's waiting messages up to this many and says "más de"
 * beyond: a count is a walk of the campaign's entries in messages_campaign_pending_idx,
 * and at 25,000 waiting (the benchmark's campaign) it was 5 ms of every view of the page,
 * half its median. A clinic's campaign rarely has more waiting at once. */
#define PENDING_SHOWN_MAX 1000

/* Per-campaign figures, read from what triggers keep (never counted per request: at a
 * million patients and five million messages that took seconds): the number of patients
 * from campaign_counts (0072); rating requests sent, replies and the average rating from
 * the daily rollups (report_daily_now: 0060, 0110), with the reports' definitions (0061):
 * "sent" is a rating request that reached SENT, DELIVERED or REPLIED. */
#define FIGURES                                                                               \
	" LEFT JOIN campaign_counts pt ON pt.workspace_id = c.workspace_id"                   \
	"   AND pt.campaign_id = c.id"                                                        \
	" LEFT JOIN LATERAL (SELECT sum(d.sent) AS sent, sum(d.replied) AS replies,"          \
	"   to_char(sum(d.rating_1 + 2 * d.rating_2 + 3 * d.rating_3 + 4 * d.rating_4"        \
	"               + 5 * d.rating_5)::numeric"                                           \
	"           / nullif(sum(d.rating_1 + d.rating_2 + d.rating_3 + d.rating_4"           \
	"                        + d.rating_5), 0), 'FM0.0') AS avg_rating"                    \
	"   FROM report_daily_now d"                                                          \
	"   WHERE d.workspace_id = c.workspace_id AND d.campaign_id = c.id) m ON true"
#define FIGURE_COLUMNS                                                                        \
	" coalesce(pt.patients, 0) AS patients, coalesce(m.sent, 0) AS sent,"                 \
	" coalesce(m.replies, 0) AS replies, m.avg_rating"

static const struct db_stmt sql[] = {
	/* One query for the whole page: the page's campaigns first (with the total count),
	 * then each one's figures. */
	[Q_LIST] = { "campaign_list",
		"WITH page AS (SELECT c.*, count(*) OVER () AS total FROM campaigns c"
		"  WHERE c.workspace_id = $1 AND ($2::uuid IS NULL OR c.created_by = $2::uuid)"
		"  ORDER BY c.created_at DESC, c.id LIMIT $3::int OFFSET $4::int)"
		" SELECT c.id, c.name, c.status::text AS status, c.total, pr.name AS practice,"
		"  u.name AS author," FIGURE_COLUMNS ","
		"  to_char(c.created_at AT TIME ZONE coalesce(pr.timezone, 'America/Guayaquil'),"
		"          'DD/MM/YYYY') AS created"
		" FROM page c"
		" LEFT JOIN practices pr ON pr.workspace_id = c.workspace_id AND pr.id = c.practice_id"
		" LEFT JOIN users u ON u.workspace_id = c.workspace_id AND u.id = c.created_by"
		FIGURES
		" ORDER BY c.created_at DESC, c.id" },
	[Q_DETAIL] = { "campaign_detail",
		"SELECT c.id, c.name, c.description, c.status::text AS status,"
		"  c.scheduled_hours_after, c.practice_id, pr.name AS practice,"
		"  coalesce(pr.timezone, 'America/Guayaquil') AS timezone, u.name AS author,"
		FIGURE_COLUMNS ","
		"  (SELECT count(*) FROM (SELECT FROM messages pm WHERE pm.campaign_id = c.id"
		"     AND pm.status = 'PENDING' AND pm.workspace_id = c.workspace_id"
		"     LIMIT 1001) w) AS pending"   /* PENDING_SHOWN_MAX + 1 */
		" FROM campaigns c"
		" LEFT JOIN practices pr ON pr.workspace_id = c.workspace_id AND pr.id = c.practice_id"
		" LEFT JOIN users u ON u.workspace_id = c.workspace_id AND u.id = c.created_by"
		FIGURES
		" WHERE c.workspace_id = $1 AND c.id = $2 AND " ONLY_AUTHOR },
	/* The campaign's patients, a page at a time, each with its latest message; a patient
	 * without one says why campaign_enqueue passed over them. Times in the practice's
	 * timezone ($4). The page walks patients_campaign_appointment_idx (0072) in this
	 * order; the number of pages comes from the campaign's patient count. */
	[Q_PATIENTS] = { "campaign_patients",
		"WITH page AS (SELECT pt.* FROM patients pt"
		"  JOIN campaigns c ON c.workspace_id = pt.workspace_id AND c.id = pt.campaign_id"
		"  WHERE pt.workspace_id = $1 AND pt.campaign_id = $2 AND " ONLY_AUTHOR
		"  ORDER BY pt.appointment_time DESC NULLS LAST, pt.name, pt.id"
		"  LIMIT $5::int OFFSET $6::int)"
		" SELECT pt.id, pt.name, pt.phone, pt.email,"
		"  pt.preferred_channel::text AS channel,"
		"  to_char(pt.appointment_time AT TIME ZONE $4, 'DD/MM/YYYY HH24:MI') AS appointment,"
		"  lm.status::text AS msg_status, lm.type::text AS msg_type, lm.rating,"
		"  to_char(lm.scheduled_at AT TIME ZONE $4, 'DD/MM/YYYY HH24:MI') AS msg_scheduled,"
		"  to_char(lm.sent_at AT TIME ZONE $4, 'DD/MM/YYYY HH24:MI') AS msg_sent,"
		"  CASE WHEN lm.status IS NOT NULL THEN NULL"
		"   WHEN pt.data_deleted_at IS NOT NULL THEN 'ERASED'"
		"   WHEN pt.opted_out_at IS NOT NULL OR EXISTS (SELECT 1 FROM opt_outs o"
		"     WHERE o.workspace_id = pt.workspace_id"
		"       AND (o.phone = pt.phone OR o.email = pt.email)) THEN 'OPTED_OUT'"
		"   WHEN NOT pt.has_consent THEN 'NO_CONSENT'"
		"   WHEN pt.preferred_channel = 'EMAIL' AND pt.email IS NULL"
		"     OR pt.preferred_channel <> 'EMAIL' AND pt.phone IS NULL THEN 'NO_ADDRESS'"
		"   WHEN pt.appointment_time < now() - interval '7 days' THEN 'TOO_OLD'"
		"  END AS skip_reason"
		" FROM page pt"
		" LEFT JOIN LATERAL (SELECT m.status, m.type, m.rating, m.scheduled_at, m.sent_at"
		"   FROM messages m WHERE m.workspace_id = pt.workspace_id AND m.patient_id = pt.id"
		"    AND m.campaign_id = pt.campaign_id"
		"   ORDER BY m.created_at DESC, m.scheduled_at DESC, m.id LIMIT 1) lm ON true"
		" ORDER BY pt.appointment_time DESC NULLS LAST, pt.name, pt.id" },
	[Q_PRACTICES] = { "campaign_practices",
		"SELECT id, name FROM practices WHERE workspace_id = $1 ORDER BY name, id" },
	[Q_PRACTICE_OK] = { "campaign_practice_ok",
		"SELECT EXISTS (SELECT 1 FROM practices WHERE workspace_id = $1 AND id = $2) AS ok" },
	[Q_INSERT] = { "campaign_insert",
		"INSERT INTO campaigns AS c (workspace_id, name, description, status,"
		"  scheduled_hours_after, practice_id, created_by)"
		" VALUES ($1, $2, $3, 'DRAFT', $4::int, $5, $6)"
		" RETURNING c.id, to_jsonb(c)::text AS new_json" },
	[Q_LOCK] = { "campaign_lock",
		"SELECT c.status::text AS status, c.practice_id, c.scheduled_hours_after,"
		"  to_jsonb(c)::text AS old_json FROM campaigns c"
		" WHERE c.workspace_id = $1 AND c.id = $2 AND " ONLY_AUTHOR " FOR UPDATE" },
	/* The practice and the hours change only while DRAFT (the caller checks too, to
	 * explain; this keeps the rule even if it did not). */
	[Q_UPDATE] = { "campaign_update",
		"UPDATE campaigns c SET name = $4, description = $5,"
		"  practice_id = CASE WHEN c.status = 'DRAFT' THEN coalesce($6::uuid, c.practice_id)"
		"                     ELSE c.practice_id END,"
		"  scheduled_hours_after = CASE WHEN c.status = 'DRAFT'"
		"    THEN coalesce($7::int, c.scheduled_hours_after) ELSE c.scheduled_hours_after END"
		" WHERE c.workspace_id = $1 AND c.id = $2 AND " ONLY_AUTHOR
		" RETURNING to_jsonb(c)::text AS new_json" },
	[Q_SET_STATUS] = { "campaign_set_status",
		"UPDATE campaigns c SET status = $4::campaign_status"
		" WHERE c.workspace_id = $1 AND c.id = $2 AND " ONLY_AUTHOR
		" RETURNING to_jsonb(c)::text AS new_json" },
	[Q_ENQUEUE] = { "campaign_enqueue",
		"SELECT enqueued, skipped_past, skipped_blocked FROM campaign_enqueue($1)" },
	[Q_CANCEL_PENDING] = { "campaign_cancel_pending",
		"WITH x AS (UPDATE messages m SET status = 'CANCELLED'"
		"  WHERE m.workspace_id = $1 AND m.campaign_id = $2 AND m.status = 'PENDING'"
		"    AND ($3 = 'CANCELLED' OR m.type IN ('INITIAL', 'REMINDER'))"
		"  RETURNING 1) SELECT count(*) AS n FROM x" },
};

const struct app_sql campaign_pages_sql = { .stmts = sql, .n = nitems(sql) };

#define PAGE_SIZE 20
#define PATIENTS_PAGE_SIZE 50

static const struct label skip_labels[] = {
	{ "ERASED", "Sin mensaje: datos borrados" },
	{ "OPTED_OUT", "Sin mensaje: se dio de baja" },
	{ "NO_CONSENT", "Sin mensaje: no dio su consentimiento" },
	{ "NO_ADDRESS", "Sin mensaje: no tiene teléfono o correo para su canal" },
	{ "TOO_OLD", "Sin mensaje: su cita fue hace más de 7 días" },
};


/* The lifecycle: which statuses each action leaves from, and why the others cannot. */
enum action { ACT_ACTIVATE, ACT_COMPLETE, ACT_CANCEL };

static const struct transition {
	const char *audit, *to, *from[2];
} transitions[] = {
	[ACT_ACTIVATE] = { .audit = "campaign.activate", .to = "ACTIVE", .from = { "DRAFT" } },
	[ACT_COMPLETE] = { .audit = "campaign.complete", .to = "COMPLETED", .from = { "ACTIVE" } },
	[ACT_CANCEL] = { .audit = "campaign.cancel", .to = "CANCELLED", .from = { "DRAFT", "ACTIVE" } },
};

static const struct refusal {
	enum action action;
	const char *from, *why;
} refusals[] = {
	{ ACT_ACTIVATE, "ACTIVE", "La campaña ya está activa." },
	{ ACT_ACTIVATE, "COMPLETED", "Una campaña completada no puede volver a activarse." },
	{ ACT_ACTIVATE, "CANCELLED", "Una campaña cancelada no puede volver a activarse." },
	{ ACT_COMPLETE, "DRAFT", "Una campaña en borrador no puede completarse: actívala primero." },
	{ ACT_COMPLETE, "COMPLETED", "La campaña ya está completada." },
	{ ACT_COMPLETE, "CANCELLED", "Una campaña cancelada no puede completarse." },
	{ ACT_CANCEL, "COMPLETED", "Una campaña completada ya no puede cancelarse." },
	{ ACT_CANCEL, "CANCELLED", "La campaña ya está cancelada." },
};

static bool transition_allowed(enum action a, const char *from)
{
	for (size_t i = 0; i < nitems(transitions[a].from); i++)
		if (transitions[a].from[i] && strcmp(transitions[a].from[i], from) == 0)
			return true;
	return false;
}

static const char *refusal_reason(enum action a, const char *from)
{
	for (size_t i = 0; i < nitems(refusals); i++)
		if (refusals[i].action == a && strcmp(refusals[i].from, from) == 0)
			return refusals[i].why;
	return "La campaña no puede pasar a ese estado desde el actual.";
}

/* NULL for an OWNER (every campaign); the doctor's own id otherwise. */
static const char *only_author(const struct ctx *c)
{
	return c->user->role == ROLE_OWNER ? NULL : c->user->id;
}

static int not_found(struct ctx *c)
{
	c->rollback = true;
	return render_error(c, 404, "No encontramos esa campaña.");
}

/* The campaign the path names, as statement st ($1 workspace, $2 id, $3 only_author)
 * finds it, or NULL: then *rc is the answer (the 404 page, or -1 when the query failed). */
static PGresult *find_campaign(struct ctx *c, const struct db_stmt *st, int *rc)
{
	const char *id = ctx_param(c, "id");
	PGresult *res = id ? Q(c, st, c->user->workspace_id, id, only_author(c)) : NULL;
	if (id && !res) {
		*rc = -1;
		return NULL;
	}
	if (!res || PQntuples(res) == 0) {
		*rc = not_found(c);
		return NULL;
	}
	return res;
}

static void figures(struct tpl_dict *d, const PGresult *res, int i)
{
	tpl_set_int(d, "PATIENTS", db_get_int(res, i, "patients", 0));
	tpl_set_int(d, "SENT", db_get_int(res, i, "sent", 0));
	tpl_set_int(d, "REPLIES", db_get_int(res, i, "replies", 0));
	tpl_set(d, "AVG_RATING", db_get_or(res, i, "avg_rating", "—"));
}

int campaign_list(struct ctx *c)
{
	struct listing l = listing_from(c, PAGE_SIZE);
	PGresult *res = Q(c, &sql[Q_LIST], c->user->workspace_id, only_author(c), l.limit, l.offset);
	if (!res)
		return -1;
	int n = PQntuples(res);
	for (int i = 0; i < n; i++) {
		struct tpl_dict *r = tpl_section(c->page, "CAMPAIGN");
		tpl_set(r, "HREF", arena_printf(c->a, "/campaigns/%s", db_get(res, i, "id")));
		tpl_set(r, "NAME", db_get(res, i, "name"));
		tpl_set(r, "STATUS", db_get(res, i, "status"));
		tpl_set(r, "STATUS_LABEL", label_campaign_status(db_get(res, i, "status")));
		tpl_set(r, "PRACTICE", db_get_or(res, i, "practice", "—"));
		tpl_set(r, "AUTHOR", db_get_or(res, i, "author", "—"));
		tpl_set(r, "CREATED", db_get(res, i, "created"));
		figures(r, res, i);
	}
	if (n == 0)
		tpl_show(c->page, l.page == 1 ? "EMPTY" : "PAST_END");
	listing_links(c, c->page, &l, "/campaigns", n ? db_get_int(res, 0, "total", 0) : 0);
	return render_page(c, 200, "campaign_list", "Campañas");
}

/* The practices to choose from as options in d; *chosen is the name of the selected one
 * ("—" when none is). */
static void practice_options(struct tpl_dict *d, const PGresult *res, const char *selected,
			     const char **chosen)
{
	*chosen = "—";
	for (int i = 0; i < PQntuples(res); i++) {
		const char *id = db_get(res, i, "id");
		bool is_it = selected && strcmp(selected, id) == 0;
		if (is_it)
			*chosen = db_get(res, i, "name");
		if (!d)
			continue;
		struct tpl_dict *o = tpl_section(d, "PRACTICE");
		tpl_set(o, "ID", id);
		tpl_set(o, "NAME", db_get(res, i, "name"));
		if (is_it)
			tpl_show(o, "SELECTED");
	}
}

/* The create form (id NULL) or the edit form; `draft` says whether the practice and the
 * hours may still change. A workspace without a practice gets, instead of the create
 * form, a note that links to the practice form (a campaign needs its review link). */
static int form_page(struct ctx *c, int status, const char *id, bool draft, const char *name,
		     const char *description, const char *practice_id, const char *hours)
{
	const char *title = id ? "Editar campaña" : "Nueva campaña";
	PGresult *res = Q(c, &sql[Q_PRACTICES], c->user->workspace_id);
	if (!res)
		return -1;
	if (PQntuples(res) == 0 && !id) {
		struct tpl_dict *np = tpl_section(c->page, "NO_PRACTICE");
		tpl_show(np, c->user->role & ROLE_OWNER ? "CAN_CREATE" : "ASK_OWNER");
		return render_page(c, status, "campaign_form", title);
	}
	struct tpl_dict *f = tpl_section(c->page, "FORM");
	tpl_set(f, "NAME", name);
	tpl_set(f, "DESCRIPTION", description);
	tpl_set(f, "ACTION", id ? arena_printf(c->a, "/campaigns/%s", id) : "/campaigns");
	tpl_set(f, "BACK", id ? arena_printf(c->a, "/campaigns/%s", id) : "/campaigns");
	const char *chosen;
	struct tpl_dict *d = tpl_section(f, draft ? "DRAFT" : "FROZEN");
	practice_options(draft ? d : NULL, res, practice_id, &chosen);
	tpl_set(d, "PRACTICE_NAME", chosen);
	tpl_set(d, "HOURS", hours);
	return render_page(c, status, "campaign_form", title);
}

int campaign_new(struct ctx *c)
{
	return form_page(c, 200, NULL, true, NULL, NULL, NULL, "2");
}

/* The practice must be one of this workspace's: another's id is treated as absent. */
static int check_practice(struct ctx *c, const char *practice_id)
{
	if (!practice_id)
		return 0;
	PGresult *res = Q(c, &sql[Q_PRACTICE_OK], c->user->workspace_id, practice_id);
	if (!res)
		return -1;
	if (!db_get_bool(res, 0, "ok"))
		ctx_error(c, "practice_id", "Elige un consultorio de la lista.");
	return 0;
}

int campaign_create(struct ctx *c)
{
	const char *name = ctx_param(c, "name"), *description = ctx_param(c, "description"),
		   *practice_id = ctx_param(c, "practice_id"),
		   *hours = ctx_param(c, "scheduled_hours_after");
	if (check_practice(c, practice_id))
		return -1;
	if (ctx_has_errors(c)) {
		c->rollback = true;
		return form_page(c, 422, NULL, true, name, description, practice_id, hours);
	}
	PGresult *res = Q(c, &sql[Q_INSERT], c->user->workspace_id, name, description, hours,
			  practice_id, c->user->id);
	if (!res)
		return -1;
	const char *id = db_get(res, 0, "id");
	if (audit_record(c, NULL, NULL, "campaign.create", "campaign", id, NULL,
			 db_get(res, 0, "new_json")))
		return -1;
	return render_redirect(c, arena_printf(c->a, "/campaigns/%s?saved=1", id));
}

/* "1 mensaje programado" / "3 mensajes programados". */
static const char *count_of(struct ctx *c, const char *n, const char *one, const char *many)
{
	return arena_printf(c->a, "%s %s", n, strcmp(n, "1") == 0 ? one : many);
}

/* The notices a redirect after an action carries (figures only, never text). */
static void notices(struct ctx *c)
{
	if (ctx_param(c, "saved"))
		tpl_show(c->page, "SAVED");
	const char *enq = ctx_param(c, "enqueued");
	if (enq) {
		struct tpl_dict *d = tpl_section(c->page, "ACTIVATED");
		tpl_set(d, "ENQUEUED", count_of(c, enq, "mensaje programado", "mensajes programados"));
		const char *past = ctx_param(c, "past"), *blocked = ctx_param(c, "blocked");
		if (past && strcmp(past, "0") != 0)
			tpl_set(tpl_section(d, "PAST"), "N", count_of(c, past, "paciente", "pacientes"));
		if (blocked && strcmp(blocked, "0") != 0)
			tpl_set(tpl_section(d, "BLOCKED"), "N", count_of(c, blocked, "paciente", "pacientes"));
	}
	const char *cancelled = ctx_param(c, "cancelled");
	if (cancelled)
		tpl_set(tpl_section(c->page, "CANCELLED_MSGS"), "N",
			count_of(c, cancelled, "mensaje que aún no se había enviado",
				 "mensajes que aún no se habían enviado"));
}

static void patient_row(struct ctx *c, const PGresult *res, int i)
{
	struct tpl_dict *r = tpl_section(c->page, "PATIENT");
	tpl_set(r, "HREF", arena_printf(c->a, "/patients/%s", db_get(res, i, "id")));
	tpl_set(r, "NAME", db_get(res, i, "name"));
	tpl_set(r, "CONTACT", db_get_or(res, i, "phone", db_get_or(res, i, "email", "—")));
	tpl_set(r, "CHANNEL", label_channel(db_get(res, i, "channel")));
	tpl_set(r, "APPOINTMENT", db_get_or(res, i, "appointment", "—"));
	const char *st = db_get(res, i, "msg_status");
	if (st) {
		struct tpl_dict *m = tpl_section(r, "MESSAGE");
		tpl_set(m, "STATUS", st);
		tpl_set(m, "STATUS_LABEL", label_message_status(st));
		tpl_set(m, "TYPE", label_message_type(db_get(res, i, "msg_type")));
		const char *sent = db_get(res, i, "msg_sent");
		tpl_set(m, "WHEN", sent ? arena_printf(c->a, "enviado %s", sent)
				       : arena_printf(c->a, "programado %s", db_get(res, i, "msg_scheduled")));
		const char *rating = db_get(res, i, "rating");
		if (rating)
			tpl_set(tpl_section(m, "RATING"), "N", rating);
	} else {
		const char *why = db_get(res, i, "skip_reason");
		const char *text = label_find(skip_labels, nitems(skip_labels), why);
		tpl_set(tpl_section(r, "NO_MESSAGE"), "WHY",
			text ? text : why ? why : "Sin mensaje todavía");
	}
}

/* The detail page, also shown again (422) with the reason a transition was refused. */
static int detail_page(struct ctx *c, int status, const char *id)
{
	const char *author = only_author(c);
	PGresult *res = Q(c, &sql[Q_DETAIL], c->user->workspace_id, id, author);
	if (!res)
		return -1;
	if (PQntuples(res) == 0)
		return not_found(c);
	const char *st = db_get(res, 0, "status"), *tz = db_get(res, 0, "timezone");
	const char *title = arena_printf(c->a, "Campaña: %s", db_get(res, 0, "name"));
	struct tpl_dict *p = c->page;
	tpl_set(p, "NAME", db_get(res, 0, "name"));
	tpl_set(p, "DESCRIPTION", db_get(res, 0, "description"));
	tpl_set(p, "STATUS", st);
	tpl_set(p, "STATUS_LABEL", label_campaign_status(st));
	tpl_set(p, "PRACTICE", db_get_or(res, 0, "practice", "—"));
	tpl_set(p, "AUTHOR", db_get_or(res, 0, "author", "—"));
	tpl_set(p, "HOURS", db_get(res, 0, "scheduled_hours_after"));
	long long pending = db_get_int(res, 0, "pending", 0);
	if (pending > PENDING_SHOWN_MAX)
		tpl_set(p, "PENDING", arena_printf(c->a, "más de %d", PENDING_SHOWN_MAX));
	else
		tpl_set_int(p, "PENDING", pending);
	long long patients = db_get_int(res, 0, "patients", 0);
	figures(p, res, 0);
	tpl_set(p, "EDIT_HREF", arena_printf(c->a, "/campaigns/%s/edit", id));
	static const struct { enum action a; const char *section, *path; } actions[] = {
		{ ACT_ACTIVATE, "CAN_ACTIVATE", "activate" },
		{ ACT_COMPLETE, "CAN_COMPLETE", "complete" },
		{ ACT_CANCEL, "CAN_CANCEL", "cancel" },
	};
	for (size_t i = 0; i < nitems(actions); i++)
		if (transition_allowed(actions[i].a, st))
			tpl_set(tpl_section(p, actions[i].section), "ACTION",
				arena_printf(c->a, "/campaigns/%s/%s", id, actions[i].path));
	notices(c);

	struct listing l = listing_from(c, PATIENTS_PAGE_SIZE);
	if (!(res = Q(c, &sql[Q_PATIENTS], c->user->workspace_id, id, author, tz, l.limit, l.offset)))
		return -1;
	int n = PQntuples(res);
	for (int i = 0; i < n; i++)
		patient_row(c, res, i);
	if (n == 0)
		tpl_show(p, l.page == 1 ? "NO_PATIENTS" : "PAST_END");
	listing_links(c, p, &l, arena_printf(c->a, "/campaigns/%s", id), patients);
	return render_page(c, status, "campaign_detail", title);
}

int campaign_detail(struct ctx *c)
{
	const char *id = ctx_param(c, "id");
	return id ? detail_page(c, 200, id) : not_found(c);
}

int campaign_edit(struct ctx *c)
{
	int rc;
	PGresult *res = find_campaign(c, &sql[Q_DETAIL], &rc);
	if (!res)
		return rc;
	const char *id = ctx_param(c, "id");
	return form_page(c, 200, id, strcmp(db_get(res, 0, "status"), "DRAFT") == 0,
			 db_get(res, 0, "name"), db_get(res, 0, "description"),
			 db_get(res, 0, "practice_id"), db_get(res, 0, "scheduled_hours_after"));
}

static bool differs(const char *given, const char *current)
{
	return given && (!current || strcmp(given, current) != 0);
}

int campaign_update(struct ctx *c)
{
	int rc;
	PGresult *res = find_campaign(c, &sql[Q_LOCK], &rc);
	if (!res)
		return rc;
	const char *id = ctx_param(c, "id");
	bool draft = strcmp(db_get(res, 0, "status"), "DRAFT") == 0;
	const char *old_json = db_get(res, 0, "old_json");
	const char *name = ctx_param(c, "name"), *description = ctx_param(c, "description"),
		   *practice_id = ctx_param(c, "practice_id"),
		   *hours = ctx_param(c, "scheduled_hours_after");
	const char *cur_practice = db_get(res, 0, "practice_id"),
		   *cur_hours = db_get(res, 0, "scheduled_hours_after");
	if (!draft && (differs(practice_id, cur_practice) || differs(hours, cur_hours)))
		ctx_error(c, "", "El consultorio y las horas después de la cita solo pueden "
			  "cambiarse mientras la campaña está en borrador.");
	if (draft && check_practice(c, practice_id))
		return -1;
	if (ctx_has_errors(c)) {
		c->rollback = true;
		return form_page(c, 422, id, draft, name, description,
				 practice_id ? practice_id : cur_practice, hours ? hours : cur_hours);
	}
	if (!(res = Q(c, &sql[Q_UPDATE], c->user->workspace_id, id, only_author(c), name,
		      description, practice_id, hours)))
		return -1;
	if (audit_record(c, NULL, NULL, "campaign.update", "campaign", id, old_json,
			 db_get(res, 0, "new_json")))
		return -1;
	return render_redirect(c, arena_printf(c->a, "/campaigns/%s?saved=1", id));
}

/* What an action did besides the status: messages enqueued or cancelled. Adds the
 * figures to the audit's new value and the redirect's notice. */
static int transition_effects(struct ctx *c, enum action a, const char *id,
			      struct json_object *audit_new, const char **notice)
{
	PGresult *res;
	if (a == ACT_ACTIVATE) {
		if (!(res = Q(c, &sql[Q_ENQUEUE], id)))
			return -1;
		const char *enq = db_get(res, 0, "enqueued"), *past = db_get(res, 0, "skipped_past"),
			   *blocked = db_get(res, 0, "skipped_blocked");
		json_object_object_add(audit_new, "enqueued", json_object_new_int64(atoll(enq)));
		json_object_object_add(audit_new, "skipped_past", json_object_new_int64(atoll(past)));
		json_object_object_add(audit_new, "skipped_blocked", json_object_new_int64(atoll(blocked)));
		*notice = arena_printf(c->a, "enqueued=%s&past=%s&blocked=%s", enq, past, blocked);
		return 0;
	}
	if (!(res = Q(c, &sql[Q_CANCEL_PENDING], c->user->workspace_id, id, transitions[a].to)))
		return -1;
	const char *n = db_get(res, 0, "n");
	json_object_object_add(audit_new, "cancelled_messages", json_object_new_int64(atoll(n)));
	*notice = arena_printf(c->a, "cancelled=%s", n);
	return 0;
}

static int transition(struct ctx *c, enum action a)
{
	int rc;
	PGresult *res = find_campaign(c, &sql[Q_LOCK], &rc);
	if (!res)
		return rc;
	const char *id = ctx_param(c, "id");
	const char *from = arena_strdup(c->a, db_get(res, 0, "status"));
	if (!transition_allowed(a, from)) {
		c->rollback = true;
		ctx_error(c, "", refusal_reason(a, from));
		return detail_page(c, 422, id);
	}
	if (!Q(c, &sql[Q_SET_STATUS], c->user->workspace_id, id, only_author(c), transitions[a].to))
		return -1;
	struct json_object *old = json_object_new_object(), *new = json_object_new_object();
	json_object_object_add(old, "status", json_object_new_string(from));
	json_object_object_add(new, "status", json_object_new_string(transitions[a].to));
	const char *notice = NULL;
	rc = transition_effects(c, a, id, new, &notice);
	if (!rc)
		rc = audit_record(c, NULL, NULL, transitions[a].audit, "campaign", id,
				  json_object_to_json_string(old), json_object_to_json_string(new));
	json_object_put(old);
	json_object_put(new);
	if (rc)
		return -1;
	return render_redirect(c, arena_printf(c->a, "/campaigns/%s?%s", id, notice));
}

int campaign_activate(struct ctx *c)
{
	return transition(c, ACT_ACTIVATE);
}

int campaign_complete(struct ctx *c)
{
	return transition(c, ACT_COMPLETE);
}

int campaign_cancel(struct ctx *c)
{
	return transition(c, ACT_CANCEL);
}

const struct field campaign_list_fields[] = {
	{ .name = "page", .kind = FIELD_INT, .src = FROM_QUERY, .min = 1, .max = 1000000, .lenient = true },
	FIELDS_END,
};

const struct field campaign_form_fields[] = {
	{ .name = "name", .kind = FIELD_LINE, .src = FROM_BODY, .required = true, .min = 1, .max = 200 },
	{ .name = "description", .kind = FIELD_TEXT, .src = FROM_BODY, .max = 2000 },
	{ .name = "practice_id", .kind = FIELD_UUID, .src = FROM_BODY, .required = true },
	{ .name = "scheduled_hours_after", .kind = FIELD_INT, .src = FROM_BODY, .required = true, .min = 0, .max = 720 },
	FIELDS_END,
};

const struct field campaign_detail_fields[] = {
	{ .name = "id", .kind = FIELD_UUID, .src = FROM_PATH, .required = true },
	{ .name = "page", .kind = FIELD_INT, .src = FROM_QUERY, .min = 1, .max = 1000000, .lenient = true },
	{ .name = "saved", .kind = FIELD_INT, .src = FROM_QUERY, .min = 1, .max = 1, .lenient = true },
	{ .name = "enqueued", .kind = FIELD_INT, .src = FROM_QUERY, .min = 0, .max = 100000000, .lenient = true },
	{ .name = "past", .kind = FIELD_INT, .src = FROM_QUERY, .min = 0, .max = 100000000, .lenient = true },
	{ .name = "blocked", .kind = FIELD_INT, .src = FROM_QUERY, .min = 0, .max = 100000000, .lenient = true },
	{ .name = "cancelled", .kind = FIELD_INT, .src = FROM_QUERY, .min = 0, .max = 100000000, .lenient = true },
	FIELDS_END,
};

const struct field campaign_id_fields[] = {
	{ .name = "id", .kind = FIELD_UUID, .src = FROM_PATH, .required = true },
	FIELDS_END,
};

const struct field campaign_update_fields[] = {
	{ .name = "id", .kind = FIELD_UUID, .src = FROM_PATH, .required = true },
	{ .name = "name", .kind = FIELD_LINE, .src = FROM_BODY, .required = true, .min = 1, .max = 200 },
	{ .name = "description", .kind = FIELD_TEXT, .src = FROM_BODY, .max = 2000 },
	{ .name = "practice_id", .kind = FIELD_UUID, .src = FROM_BODY },
	{ .name = "scheduled_hours_after", .kind = FIELD_INT, .src = FROM_BODY, .min = 0, .max = 720 },
	FIELDS_END,
};
