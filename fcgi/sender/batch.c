/* batch.c: one batch of one workspace's due messages.
 *
 *   1. claim: a short transaction scoped to the workspace runs sender_claim (migration
 *      0040: re-checks, credits, SENDING with a lease), the content of rows that had none
 *      is rendered here and stored, commit;
 *   2. send: every message through one libcurl multi handle, in parallel, outside any
 *      transaction;
 *   3. record: a second short transaction runs sender_complete with every outcome.
 * A sender killed between 1 and 3 leaves rows SENDING; their lease runs out and the next
 * claim marks them FAILED 'resultado desconocido' rather than sending them twice.
 * The workspace's due staff e-mails (staff_outbox, 0070: alerts to the owners) ride in
 * the same batch: claimed in the same first transaction, sent by the same SMTP driver
 * (no credit), recorded by staff_outbox_complete in the second. */
#include "sender.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/channel.h"
#include "core/config.h"
#include "core/db.h"
#include "core/json.h"
#include "core/log.h"
#include "core/nitems.h"
#include "core/plink.h"

#include <string.h>

enum {
	ST_CLAIM,
	ST_STORE,
	ST_COMPLETE,
	ST_STAFF_CLAIM,
	ST_STAFF_COMPLETE,
};

static const struct db_stmt stmts[] = {
	[ST_CLAIM] = { "sender_claim", "SELECT * FROM sender_claim($1::int, $2::int)" },
	[ST_STORE] = { "sender_store", "SELECT sender_store_content($1::jsonb)" },
	[ST_COMPLETE] = { "sender_complete", "SELECT sender_complete($1::jsonb) AS done" },
	[ST_STAFF_CLAIM] = { "sender_staff_claim",
		"SELECT * FROM staff_outbox_claim($1::int, $2::int)" },
	[ST_STAFF_COMPLETE] = { "sender_staff_complete",
		"SELECT staff_outbox_complete($1::jsonb) AS done" },
};

void batch_register(struct db *db)
{
	db_register(db, stmts, nitems(stmts));
}

/* WhatsApp templates take at most this many body parameters here (ours use two). */
#define MAX_PARAMS 8

struct item {
	const char *id;
	struct channel_msg msg;
	struct channel_xfer x;
	struct channel_result r;
	const char *params[MAX_PARAMS];
	bool rendered;    /* content was NULL: store what we made */
	bool ready;       /* prepared and handed to curl */
	bool staff;       /* a staff_outbox row, not a message */
};

static enum channel_kind kind_of(const char *channel)
{
	if (strcmp(channel, "WHATSAPP") == 0)
		return CHANNEL_WHATSAPP;
	if (strcmp(channel, "EMAIL") == 0)
		return CHANNEL_EMAIL;
	return CHANNEL_SMS;
}

static const char *subject_of(const char *type, const char *practice, struct arena *a)
{
	const char *who = practice ? practice : "tu consultorio";
	if (strcmp(type, "INITIAL") == 0 || strcmp(type, "REMINDER") == 0)
		return arena_printf(a, "¿Cómo fue tu visita a %s?", who);
	return arena_printf(a, "%s: gracias por tu respuesta", who);
}

/* Fills it from claim row i. Returns -1 (with it->r filled) when it cannot be sent. */
static int item_build(struct item *it, const PGresult *res, int i, const struct config *cfg,
		      const char *ws, struct arena *a)
{
	const char *type = db_get(res, i, "type");
	const char *content = db_get(res, i, "content");
	const char *tpl = db_get(res, i, "template_content");
	it->id = db_get(res, i, "id");
	it->msg.id = it->id;
	it->msg.kind = kind_of(db_get(res, i, "channel"));
	bool opening = strcmp(type, "INITIAL") == 0 || strcmp(type, "REMINDER") == 0;

	struct render_vars v = {
		.name = db_get(res, i, "patient_name"),
		.doctor = db_get(res, i, "doctor_name"),
		.practice = db_get(res, i, "practice_name"),
		.appointment_type = db_get(res, i, "appointment_type"),
		.date = render_date(db_get(res, i, "appointment_local"), a),
		.review_link = plink_link(a, cfg, PLINK_REVIEW, it->id, ws),
		.feedback_link = plink_link(a, cfg, PLINK_FEEDBACK, it->id, ws),
	};
	size_t nparams = 0;
	if (tpl) {
		struct buf out = BUF_INIT;
		int rc = render_message(tpl, &v, &out, it->params, MAX_PARAMS, &nparams, a);
		if (rc == 0 && !content) {
			content = arena_strdup(a, out.buf);
			it->rendered = true;
		}
		buf_release(&out);
		if (rc) {
			it->r = (struct channel_result){ .outcome = CHANNEL_FAILED,
							 .error = "plantilla con una variable desconocida" };
			return -1;
		}
	}
	if (!content || !*content) {
		it->r = (struct channel_result){ .outcome = CHANNEL_FAILED,
						 .error = "sin contenido ni plantilla predeterminada" };
		return -1;
	}
	it->msg.body = content;
	switch (it->msg.kind) {
	case CHANNEL_EMAIL:
		it->msg.to = db_get(res, i, "email");
		it->msg.subject = subject_of(type, v.practice, a);
		it->msg.unsubscribe_url = plink_link(a, cfg, PLINK_UNSUBSCRIBE, it->id, ws);
		break;
	case CHANNEL_WHATSAPP:
		it->msg.to = db_get(res, i, "phone");
		it->msg.from = db_get(res, i, "whatsapp_phone_number_id");
		/* A conversation may only be opened with an approved template. */
		if (opening && db_get(res, i, "whatsapp_template_name")) {
			it->msg.wa_template = db_get(res, i, "whatsapp_template_name");
			it->msg.wa_language = db_get(res, i, "whatsapp_language");
			it->msg.wa_params = it->params;
			it->msg.wa_nparams = nparams;
		}
		break;
	case CHANNEL_SMS:
		it->msg.to = db_get(res, i, "phone");
		it->msg.from = db_get(res, i, "sms_from");
		break;
	}
	return 0;
}

static int store_contents(struct db *db, struct item *items, int n, struct arena *a)
{
	struct json_object *arr = json_object_new_array();
	for (int i = 0; i < n; i++) {
		if (!items[i].rendered || !items[i].msg.body)
			continue;
		struct json_object *o = json_object_new_object();
		json_object_object_add(o, "id", json_object_new_string(items[i].id));
		json_object_object_add(o, "content", json_object_new_string(items[i].msg.body));
		json_object_array_add(arr, o);
	}
	int rc = 0;
	if (json_object_array_length(arr) > 0) {
		struct buf b = BUF_INIT;
		json_to_buf(&b, arr);
		rc = DB_EXEC(db, a, &stmts[ST_STORE], b.buf) ? 0 : -1;
		buf_release(&b);
	}
	json_object_put(arr);
	return rc;
}

/* A staff e-mail is sent as it was written when enqueued. */
static void item_staff(struct item *it, const PGresult *res, int i)
{
	it->staff = true;
	it->ready = true;
	it->id = db_get(res, i, "id");
	it->msg = (struct channel_msg){ .kind = CHANNEL_EMAIL, .id = it->id,
					.to = db_get(res, i, "recipient"),
					.subject = db_get(res, i, "subject"),
					.body = db_get(res, i, "body") };
}

/* First transaction. Returns the rows claimed, messages then staff e-mails (items
 * allocated in a), or -1. */
static int claim(struct db *db, const struct config *cfg, const char *ws, struct arena *a,
		 struct item **out)
{
	*out = NULL;
	if (db_begin(db) || db_set_tenant(db, ws))
		goto fail;
	const char *limit = arena_printf(a, "%d", cfg->sender_batch);
	const char *lease = arena_printf(a, "%d", cfg->sender_lease_seconds);
	PGresult *res = DB_EXEC(db, a, &stmts[ST_CLAIM], limit, lease);
	PGresult *staff = res ? DB_EXEC(db, a, &stmts[ST_STAFF_CLAIM], limit, lease) : NULL;
	if (!staff)
		goto fail;
	int n = PQntuples(res), ns = PQntuples(staff);
	struct item *items = n + ns ? arena_calloc(a, (size_t)(n + ns), sizeof *items) : NULL;
	for (int i = 0; i < n; i++)
		items[i].ready = item_build(&items[i], res, i, cfg, ws, a) == 0;
	for (int i = 0; i < ns; i++)
		item_staff(&items[n + i], staff, i);
	if (store_contents(db, items, n, a) || db_commit(db))
		goto fail;
	*out = items;
	return n + ns;
fail:
	db_rollback(db);
	return -1;
}

/* Hands the next ready items to curl until `parallel` are in flight. An item that cannot
 * be prepared has its result already. Returns the index to continue from. */
static int feed(CURLM *multi, const struct config *cfg, struct item *items, int n, int next,
		int *active, struct arena *a)
{
	for (; next < n && *active < cfg->sender_parallel; next++) {
		struct item *it = &items[next];
		if (!it->ready)
			continue;
		if (channel_prepare(cfg, &it->msg, &it->x, &it->r, a)) {
			channel_xfer_release(&it->x);
			continue;
		}
		/* Until curl says otherwise: it may have gone out, so never "retry". */
		it->r = (struct channel_result){ .outcome = CHANNEL_FAILED,
						 .error = "resultado desconocido" };
		curl_multi_add_handle(multi, it->x.easy);
		(*active)++;
	}
	return next;
}

/* Sends every ready item through the multi handle and fills each item's result. Only
 * RM_SENDER_PARALLEL transfers exist at a time, and each is freed as soon as it ends,
 * so memory does not grow with the batch. */
static void send_all(CURLM *multi, const struct config *cfg, struct item *items, int n,
		     struct arena *a)
{
	for (int i = 0; i < n; i++)
		if (items[i].ready)
			items[i].r = (struct channel_result){ .outcome = CHANNEL_RETRY,
							      .error = "no se llegó a enviar" };
	int active = 0;
	int next = feed(multi, cfg, items, n, 0, &active, a);
	while (active > 0) {
		int still;
		if (curl_multi_perform(multi, &still) != CURLM_OK)
			break;
		CURLMsg *m;
		int left;
		while ((m = curl_multi_info_read(multi, &left))) {
			if (m->msg != CURLMSG_DONE)
				continue;
			CURL *easy = m->easy_handle;
			CURLcode rc = m->data.result;
			struct channel_xfer *x;
			curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&x);
			struct item *it = (struct item *)((char *)x - offsetof(struct item, x));
			channel_finish(x, rc, &it->r, a);
			curl_multi_remove_handle(multi, easy);
			channel_xfer_release(x);
			active--;
		}
		next = feed(multi, cfg, items, n, next, &active, a);
		/* A signal only wakes this up: the batch in hand is always finished. */
		if (active > 0)
			curl_multi_poll(multi, NULL, 0, 1000, NULL);
	}
	/* Only after a curl failure: whatever is still in flight is abandoned. */
	for (int i = 0; i < n; i++)
		if (items[i].x.easy) {
			curl_multi_remove_handle(multi, items[i].x.easy);
			channel_xfer_release(&items[i].x);
		}
}

static const char *outcome_name(enum channel_outcome o)
{
	static const char *const names[] = {
		[CHANNEL_SENT] = "sent",
		[CHANNEL_RETRY] = "retry",
		[CHANNEL_FAILED] = "failed",
		[CHANNEL_OPTED_OUT] = "opted_out",
	};
	return names[o];
}

static void add_str(struct json_object *o, const char *k, const char *v)
{
	if (v)
		json_object_object_add(o, k, json_object_new_string(v));
}

/* The outcomes of the messages (staff false) or of the staff e-mails, as the JSON the
 * completing function takes; NULL when there are none. */
static const char *outcomes_json(const struct item *items, int n, bool staff, int counts[4],
				 struct arena *a)
{
	struct json_object *arr = json_object_new_array();
	for (int i = 0; i < n; i++) {
		if (items[i].staff != staff)
			continue;
		struct json_object *o = json_object_new_object();
		add_str(o, "id", items[i].id);
		add_str(o, "outcome", outcome_name(items[i].r.outcome));
		add_str(o, "external_id", items[i].r.external_id);
		if (items[i].r.cost)
			json_object_object_add(o, "cost",
					       json_object_new_double_s(0, items[i].r.cost));
		add_str(o, "error", items[i].r.error);
		json_object_array_add(arr, o);
		counts[items[i].r.outcome]++;
	}
	const char *json = NULL;
	if (json_object_array_length(arr) > 0) {
		struct buf b = BUF_INIT;
		json_to_buf(&b, arr);
		json = arena_strdup(a, b.buf);
		buf_release(&b);
	}
	json_object_put(arr);
	return json;
}

/* Second transaction; tried again on a fresh connection, since the sends are done and
 * their outcomes would otherwise be lost to the lease. */
static int record(struct db *db, const char *ws, struct item *items, int n, int counts[4],
		  struct arena *a)
{
	const char *msgs = outcomes_json(items, n, false, counts, a);
	const char *staff = outcomes_json(items, n, true, counts, a);
	int rc = -1;
	for (int attempt = 0; attempt < 3 && rc; attempt++) {
		if (db_begin(db) == 0 && db_set_tenant(db, ws) == 0 &&
		    (!msgs || DB_EXEC(db, a, &stmts[ST_COMPLETE], msgs)) &&
		    (!staff || DB_EXEC(db, a, &stmts[ST_STAFF_COMPLETE], staff)) &&
		    db_commit(db) == 0)
			rc = 0;
		else
			db_rollback(db);
	}
	return rc;
}

int batch_run(struct db *db, CURLM *multi, const struct config *cfg, const char *ws,
	      struct arena *a)
{
	double t0 = log_clock_ms();
	struct item *items;
	int n = claim(db, cfg, ws, a, &items);
	if (n <= 0)
		return n;
	send_all(multi, cfg, items, n, a);
	int counts[4] = { 0 };
	int rc = record(db, ws, items, n, counts, a);
	log_event(rc ? LOG_ERROR : LOG_INFO,
		  rc ? "batch outcomes not recorded; leases will expire" : "batch",
				    "workspace", ws, "claimed", arena_printf(a, "%d", n),
				    "sent", arena_printf(a, "%d", counts[CHANNEL_SENT]),
				    "retry", arena_printf(a, "%d", counts[CHANNEL_RETRY]),
				    "failed", arena_printf(a, "%d", counts[CHANNEL_FAILED] +
								      counts[CHANNEL_OPTED_OUT]),
				    "ms", arena_printf(a, "%.0f", log_clock_ms() - t0), (char *)NULL);
	return rc ? -1 : n;
}
