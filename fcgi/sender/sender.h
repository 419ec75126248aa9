/* sender.h: the parts of the sender program (fcgi/sender.c and the files of fcgi/sender/).
 *
 *   render.c  the text of a message from its template (msgtpl), the patient links
 *             (plink), the Spanish appointment date (date_es)
 *   batch.c   one batch: claim (first transaction), send (libcurl multi), record the
 *             outcomes (second transaction); the workspace's due staff e-mails
 *             (staff_outbox) go in the same batch */
#ifndef RM_SENDER_H
#define RM_SENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <curl/curl.h>

struct arena;
struct buf;
struct config;
struct db;

/* The values a template may use; NULL prints as empty. */
struct render_vars {
	const char *name, *doctor, *practice, *appointment_type, *date;
	const char *review_link, *feedback_link;
};

/* Renders tpl into out with msgtpl. The value of each variable occurrence, in order, goes
 * to params (WhatsApp template parameters; at most max_params). -1 when the text does
 * not pass msgtpl_check. */
int render_message(const char *tpl, const struct render_vars *v, struct buf *out,
		   const char **params, size_t max_params, size_t *nparams, struct arena *a);
/* "lunes 17 de noviembre, 09:00" from "ISODOW DD MM HH24:MI" (the claim's format). */
const char *render_date(const char *claim_fmt, struct arena *a);

/* Registers the sender's statements. */
void batch_register(struct db *db);
/* Claims, sends and records one batch of the workspace's due messages and staff e-mails.
 * Returns the number claimed (0: nothing due there now), or -1 on a database error. */
int batch_run(struct db *db, CURLM *multi, const struct config *cfg, const char *workspace,
	      struct arena *a);

#endif
