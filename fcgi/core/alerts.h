/* alerts.h: new unhappy private feedback on the dashboard home, and marking it resolved.
 *
 * Feedback from the /f/ form with a rating of 1 to 3 (or none) and no resolved_at is an
 * alert. The OWNER sees every one of the workspace; a DOCTOR only those answering a
 * campaign the doctor created (campaigns.created_by). The home page's program (reports)
 * calls alerts_fill for its {{>FEEDBACK_ALERTS}} include (templates/feedback_alerts.tpl:
 * list items for the home's alert list: the 10 newest, then "y N más" linking to
 * /alerts) and routes
 *   GET  /alerts              → alerts_list_get (OWNER | DOCTOR, fields alerts_list_fields:
 *                                every alert, 20 a page, newest first, keyset paging)
 *   POST /alerts/:id/resolve  → alerts_resolve  (OWNER | DOCTOR, CSRF, fields
 *                                alerts_resolve_fields)
 * and registers alerts_sql among its statement tables. */
#ifndef RM_ALERTS_H
#define RM_ALERTS_H

#include "app.h"

extern const struct app_sql alerts_sql;
extern const struct field alerts_resolve_fields[];
extern const struct field alerts_list_fields[];

/* Fills the FEEDBACK_ALERTS include of page for the signed-in user with the newest 10,
 * and the MORE_ALERTS section ({{N}} more) when there are more. 0 or -1. */
int alerts_fill(struct ctx *c, struct tpl_dict *page);
/* GET /alerts: every alert of the signed-in user, a page at a time (templates/alerts.tpl). */
int alerts_list_get(struct ctx *c);

/* POST /alerts/:id/resolve: stamps resolved_at and resolved_by, writes an audit row and
 * returns to the home page. Someone else's alert (or none) is a 404. */
int alerts_resolve(struct ctx *c);

#endif
