/* pages.c: the patient's pages, reached from links in messages, without a session.
 *
 *   GET  /r/<token>            records the first click, 303 to the practice's Google
 *                              review page
 *   GET  /f/<token>            private feedback form (the practice's name, up to 2,000
 *                              characters); POST saves it (a second POST edits it) and
 *                              thanks the patient, offering the public review link too
 *   GET  /u/<token>            unsubscribe confirmation page; POST /u/<token>/confirm
 *                              (the page's form, CSRF by the pre-login double-submit
 *                              cookie) and POST /u/<token> (RFC 8058 one-click, no CSRF:
 *                              the signed token is the proof) put the email on the
 *                              workspace's opt-out list
 * The token (plink.h) names the message and its workspace; once it verifies, the request
 * runs under row-level security in that workspace. A bad or expired token gets a
 * friendly 404 page. */
#include "hooks.h"

#include <string.h>
#include <time.h>

#include "core/form.h"
#include "core/log.h"
#include "core/plink.h"
#include "core/render.h"

enum {
	PAGE_MESSAGE,
	PAGE_CLICK,
	PAGE_FEEDBACK_GET,
	PAGE_LOCK,
	PAGE_FEEDBACK_SAVE,
	PAGE_ALERT_OWNERS,
	PAGE_UNSUBSCRIBE,
};

static const struct db_stmt pages_sql[] = {
	[PAGE_MESSAGE] = { "hooks_page_message",
		"SELECT m.id, p.email, w.name AS workspace, pr.name AS practice, "
		"       pr.google_place_id "
		"  FROM messages m "
		"  JOIN patients p ON p.workspace_id = m.workspace_id AND p.id = m.patient_id "
		"  JOIN workspaces w ON w.id = m.workspace_id "
		"  LEFT JOIN campaigns c ON c.workspace_id = m.workspace_id AND c.id = m.campaign_id "
		"  LEFT JOIN practices pr ON pr.workspace_id = c.workspace_id AND pr.id = c.practice_id "
		" WHERE m.id = $1 AND p.data_deleted_at IS NULL" },
	[PAGE_CLICK] = { "hooks_page_click",
		"UPDATE messages SET review_clicked_at = now() "
		" WHERE id = $1 AND review_clicked_at IS NULL" },
	[PAGE_FEEDBACK_GET] = { "hooks_page_feedback_get",
		"SELECT body FROM feedback WHERE message_id = $1" },
	/* Serializes two submissions of the same form: the second sees the first's row. */
	[PAGE_LOCK] = { "hooks_page_lock", "SELECT id FROM messages WHERE id = $1 FOR UPDATE" },
	/* The first submission inserts, later ones edit. The rating is the message's own,
	 * or (for a follow-up) the one its patient gave in the same campaign. */
	[PAGE_FEEDBACK_SAVE] = { "hooks_page_feedback_save",
		"WITH upd AS (UPDATE feedback SET body = $2 WHERE message_id = $1 RETURNING id), "
		"ins AS ("
		"  INSERT INTO feedback (workspace_id, patient_id, message_id, rating, body) "
		"  SELECT m.workspace_id, m.patient_id, m.id, "
		"         coalesce(m.rating, (SELECT r.rating FROM messages r "
		"                              WHERE r.workspace_id = m.workspace_id "
		"                                AND r.patient_id = m.patient_id "
		"                                AND r.campaign_id IS NOT DISTINCT FROM m.campaign_id "
		"                                AND r.rating IS NOT NULL "
		"                              ORDER BY r.replied_at DESC LIMIT 1)), $2 "
		"    FROM messages m WHERE m.id = $1 AND NOT EXISTS (SELECT 1 FROM upd) "
		"  RETURNING id) "
		"SELECT (SELECT count(*) FROM ins) AS inserted, (SELECT count(*) FROM upd) AS updated, "
		"       (SELECT id FROM ins) AS feedback_id" },
	/* New unhappy feedback ($1) → one e-mail to each active owner (staff_outbox, 0070),
	 * sent by the sender; $2 the practice's name, $3 the dashboard's base URL. */
	[PAGE_ALERT_OWNERS] = { "hooks_page_alert_owners",
		"WITH f AS (SELECT id, workspace_id, rating, btrim(body, E' \\t\\r\\n') AS words "
		"             FROM feedback WHERE id = $1 AND rating BETWEEN 1 AND 3), "
		"ins AS ("
		"  INSERT INTO staff_outbox (workspace_id, user_id, feedback_id, recipient, subject, body) "
		"  SELECT f.workspace_id, u.id, f.id, u.email, "
		"         format('Opinión negativa (%s de 5) en %s', f.rating, $2::text), "
		"         format(E'Hola %s:\\n\\nUn paciente de %s calificó su visita con %s de 5 "
		"y escribió:\\n\\n«%s»\\n\\nPuede verla y marcarla como resuelta en el panel: "
		"%s\\n\\n-- \\nReputation Manager\\n', u.name, $2::text, f.rating, "
		"                CASE WHEN length(f.words) > 1000 THEN left(f.words, 1000) || '…' "
		"                     ELSE f.words END, rtrim($3::text, '/') || '/') "
		"    FROM f JOIN users u ON u.workspace_id = f.workspace_id "
		"   WHERE u.role = 'OWNER' AND u.deactivated_at IS NULL "
		"  ON CONFLICT DO NOTHING RETURNING id) "
		"SELECT ins.id FROM ins" },
	[PAGE_UNSUBSCRIBE] = { "hooks_page_unsubscribe",
		"WITH e AS (SELECT p.email FROM messages m JOIN patients p "
		"             ON p.workspace_id = m.workspace_id AND p.id = m.patient_id "
		"            WHERE m.id = $1 AND p.email IS NOT NULL), "
		"ins AS (INSERT INTO opt_outs (workspace_id, email, channel, source, reason) "
		"        SELECT $2, e.email, 'EMAIL', 'link', 'Enlace para darse de baja' FROM e "
		"        ON CONFLICT DO NOTHING RETURNING id), "
		"marked AS (UPDATE patients SET opted_out_at = now() "
		"            WHERE email IN (SELECT email FROM e) AND opted_out_at IS NULL "
		"           RETURNING id), "
		"cancelled AS (UPDATE messages m SET status = 'CANCELLED' FROM patients p "
		"               WHERE p.workspace_id = m.workspace_id AND p.id = m.patient_id "
		"                 AND p.email IN (SELECT email FROM e) AND m.status = 'PENDING' "
		"              RETURNING m.id) "
		"SELECT (SELECT count(*) FROM ins) AS added, (SELECT count(*) FROM marked) AS patients, "
		"       (SELECT count(*) FROM cancelled) AS cancelled" },
};
const struct app_sql hooks_pages_sql = { pages_sql, nitems(pages_sql) };

#define TOKEN_FIELD \
	{ .name = "token", .kind = FIELD_LINE, .src = FROM_PATH, .required = true, .max = 200 }

const struct field hooks_feedback_fields[] = {
	TOKEN_FIELD,
	{ .name = "body", .kind = FIELD_TEXT, .src = FROM_BODY, .required = true, .min = 1,
	  .max = 2000 },
	FIELDS_END,
};

const struct field hooks_one_click_fields[] = {
	TOKEN_FIELD,
	{ .name = "List-Unsubscribe", .kind = FIELD_LINE, .src = FROM_BODY, .max = 32 },
	FIELDS_END,
};

/* The page every bad, expired or forgotten link gets. */
static int page_gone(struct ctx *c)
{
	c->rollback = true;
	return render_page(c, 404, "patient_link_invalid", "Enlace no disponible");
}

/* An opened link: the message it names, in its workspace. */
struct opened {
	struct plink link;
	PGresult *row;
};

/* Whose page it is: the practice of the message's campaign, else the workspace. */
static const char *page_name(const struct opened *o)
{
	return db_get_or(o->row, 0, "practice", db_get(o->row, 0, "workspace"));
}

/* Verifies the path's token for kind and loads its message. 1 when open, 0 when the
 * link is bad (the 404 page is rendered), -1 on a database error. */
static int page_open(struct ctx *c, enum plink_kind kind, struct opened *o)
{
	const char *token = ctx_param(c, "token");
	const char *key = c->cfg->secret_key;
	enum plink_status st = token ? plink_verify(token, strlen(token), key, strlen(key), kind,
						    (long long)time(NULL), &o->link)
				     : PLINK_BAD;
	if (st != PLINK_OK) {
		log_info("patient link refused", "kind", log_fmt("%c", (char)kind),
			 "reason", st == PLINK_EXPIRED ? "expired" : "bad");
		page_gone(c);
		return 0;
	}
	if (db_set_tenant(c->db, o->link.workspace_id))
		return -1;
	o->row = Q(c, &pages_sql[PAGE_MESSAGE], o->link.message_id);
	if (!o->row)
		return -1;
	if (PQntuples(o->row) == 0) {
		page_gone(c);
		return 0;
	}
	c->clinic = page_name(o);
	return 1;
}

/* The practice's Google review page, or NULL when it has none configured. */
static const char *page_review_url(struct ctx *c, const struct opened *o)
{
	const char *place = db_get(o->row, 0, "google_place_id");
	if (!place || !*place)
		return NULL;
	struct buf b = BUF_INIT;
	buf_adds(&b, "https://search.google.com/local/writereview?placeid=");
	form_encode(&b, place, strlen(place));
	const char *url = arena_strdup(c->a, b.buf);
	buf_release(&b);
	return url;
}

/* The public review link on the feedback form and on its thanks page, when the practice
 * has a Google page: the form must never stand between a patient and a public review
 * (Google's review-gating rule, ../shared/PROVIDERS.md). It is our /r/ link for the same
 * message, so that a click from here is counted too. */
static void page_offer_review(struct ctx *c, const struct opened *o)
{
	if (page_review_url(c, o))
		tpl_set(tpl_section(c->page, "REVIEW"), "HREF",
			plink_link_at(c->a, "", c->cfg->secret_key, PLINK_REVIEW,
				      o->link.message_id, o->link.workspace_id));
}

int hooks_review_click(struct ctx *c)
{
	struct opened o;
	int rc = page_open(c, PLINK_REVIEW, &o);
	if (rc <= 0)
		return rc;
	const char *url = page_review_url(c, &o);
	if (!url)
		return page_gone(c);
	/* Link previews fetch with HEAD: only a real visit counts as a click. */
	if (strcmp(c->req.method, "GET") == 0 &&
	    !Q(c, &pages_sql[PAGE_CLICK], o.link.message_id))
		return -1;
	c->resp.status = 303;
	c->resp.content_type = NULL;
	buf_reset(&c->resp.body);
	return resp_header(&c->resp, "Location", url);
}

static int page_feedback(struct ctx *c, const struct opened *o, int status, const char *body)
{
	tpl_set(c->page, "PRACTICE", page_name(o));
	tpl_set(c->page, "ACTION", c->req.path);
	tpl_set(c->page, "BODY_TEXT", body ? body : "");
	if (body && *body)
		tpl_show(c->page, "EDITING");
	page_offer_review(c, o);
	return render_page(c, status, "feedback", "Cuéntanos qué pasó");
}

int hooks_feedback_form(struct ctx *c)
{
	struct opened o;
	int rc = page_open(c, PLINK_FEEDBACK, &o);
	if (rc <= 0)
		return rc;
	PGresult *f = Q(c, &pages_sql[PAGE_FEEDBACK_GET], o.link.message_id);
	if (!f)
		return -1;
	return page_feedback(c, &o, 200, PQntuples(f) ? db_get(f, 0, "body") : NULL);
}

int hooks_feedback_save(struct ctx *c)
{
	struct opened o;
	int rc = page_open(c, PLINK_FEEDBACK, &o);
	if (rc <= 0)
		return rc;
	if (ctx_has_errors(c)) {
		c->rollback = true;
		const struct kv *sent = kv_find(&c->req.form, "body");
		return page_feedback(c, &o, 422, sent ? sent->value : NULL);
	}
	if (!Q(c, &pages_sql[PAGE_LOCK], o.link.message_id))
		return -1;
	PGresult *r = Q(c, &pages_sql[PAGE_FEEDBACK_SAVE], o.link.message_id, ctx_param(c, "body"));
	if (!r)
		return -1;
	bool first = db_get_int(r, 0, "inserted", 0) > 0;
	log_info("feedback saved", "workspace", o.link.workspace_id, "new", first ? "yes" : "no");
	/* Only the first submission tells the owners; an edit is the same feedback. */
	if (first) {
		PGresult *alert = Q(c, &pages_sql[PAGE_ALERT_OWNERS], db_get(r, 0, "feedback_id"),
				    page_name(&o), c->cfg->base_url);
		if (!alert)
			return -1;
		c->wake_sender |= PQntuples(alert) > 0;
	}
	tpl_set(c->page, "PRACTICE", page_name(&o));
	page_offer_review(c, &o);
	return render_page(c, 200, "feedback_thanks", "Gracias por contarnos");
}

/* page_open for an unsubscribe link, whose patient must have an email address. */
static int page_open_email(struct ctx *c, struct opened *o)
{
	int rc = page_open(c, PLINK_UNSUBSCRIBE, o);
	if (rc == 1 && !db_get(o->row, 0, "email")) {
		page_gone(c);
		return 0;
	}
	return rc;
}

int hooks_unsubscribe_form(struct ctx *c)
{
	struct opened o;
	int rc = page_open_email(c, &o);
	if (rc <= 0)
		return rc;
	tpl_set(c->page, "PRACTICE", page_name(&o));
	tpl_set(c->page, "ACTION", arena_printf(c->a, "%s/confirm", c->req.path));
	return render_page(c, 200, "unsubscribe", "Dejar de recibir correos");
}

static int page_unsubscribe(struct ctx *c, bool one_click)
{
	struct opened o;
	int rc = page_open_email(c, &o);
	if (rc <= 0)
		return rc;
	PGresult *r = Q(c, &pages_sql[PAGE_UNSUBSCRIBE], o.link.message_id, o.link.workspace_id);
	if (!r)
		return -1;
	log_info("email unsubscribed", "workspace", o.link.workspace_id,
		 "new", db_get_int(r, 0, "added", 0) ? "yes" : "no",
		 "how", one_click ? "one-click" : "page");
	tpl_set(c->page, "PRACTICE", page_name(&o));
	return render_page(c, 200, "unsubscribe_done", "Listo");
}

int hooks_unsubscribe_confirm(struct ctx *c)
{
	return page_unsubscribe(c, false);
}

/* RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click" to the List-Unsubscribe
 * URL, with no cookie and no CSRF token. */
int hooks_unsubscribe_one_click(struct ctx *c)
{
	const char *v = ctx_param(c, "List-Unsubscribe");
	if (!v || strcmp(v, "One-Click") != 0) {
		c->rollback = true;
		return render_error(c, 400, "Falta List-Unsubscribe=One-Click.");
	}
	return page_unsubscribe(c, true);
}
