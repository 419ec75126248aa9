/* sender.c: sends the queued messages. Started by spawn-fcgi beside the FastCGI programs
 * (it ignores the socket spawn-fcgi hands it on fd 0); any number may run at once.
 *
 * The loop: ask which workspaces have due work (app_due_workspaces, the one cross-tenant
 * lookup, ids only), run one batch in each (fcgi/sender/batch.c: claim, send, record,
 * each database step scoped to that workspace under row-level security), and go round
 * again at once while a round claims a full batch or more. Otherwise it waits on LISTEN
 * rm_messages (a hint sent by whoever enqueues something due now) or
 * RM_SENDER_POLL_SECONDS, whichever comes first, and after a hint lets GATHER_MS pass
 * before its round.
 * SIGTERM or SIGINT: the batch in hand is finished and recorded, then it exits. */
#include "core/arena.h"
#include "core/config.h"
#include "core/db.h"
#include "core/log.h"
#include "core/nitems.h"
#include "sender/sender.h"

#include <curl/curl.h>
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <signal.h>
#include <time.h>
#include <stdlib.h>
#include <unistd.h>

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

enum { ST_LISTEN, ST_DUE, ST_REMINDERS, ST_COMPLETE, ST_PURGE_EARLY, ST_FOLD };

static const struct db_stmt stmts[] = {
	/* Utility statements prepare like any other over the extended protocol. */
	[ST_LISTEN] = { "sender_listen", "LISTEN rm_messages" },
	[ST_DUE] = { "sender_due", "SELECT w::text AS id FROM app_due_workspaces(100) AS w" },
	/* Maintenance (0050, webhooks): reminders first, so that a campaign with one due is
	 * not completed before it is enqueued. */
	[ST_REMINDERS] = { "sender_reminders", "SELECT app_enqueue_reminders() AS n" },
	[ST_COMPLETE] = { "sender_complete_campaigns", "SELECT app_complete_campaigns() AS n" },
	/* Status callbacks kept for a provider id no message got within 24 hours (0090). */
	[ST_PURGE_EARLY] = { "sender_purge_early", "SELECT app_early_statuses_purge() AS n" },
	/* The rollup changes appended since the last fold, into report_daily (0110). */
	[ST_FOLD] = { "sender_fold_rollups", "SELECT report_daily_fold() AS n" },
};

#define MAINTENANCE_SECONDS 60
/* The reports read folded and appended rollups alike; folding often keeps the appended
 * part, which every report reads whole, small. */
#define FOLD_SECONDS 5

/* Whether at least `seconds` passed since *last (then *last becomes now). */
static bool sender_due_every(struct timespec *last, int seconds)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (last->tv_sec && now.tv_sec - last->tv_sec < seconds)
		return false;
	*last = now;
	return true;
}

/* Every few seconds, fold the rollup changes. Once a minute (any number of senders may
 * do it: the statements are idempotent): enqueue the reminders now due, complete the
 * campaigns that are done, and drop the status callbacks that waited a day for their
 * message in vain. */
static void sender_maintain(struct db *db, struct arena *a)
{
	static struct timespec last_fold, last;
	if (sender_due_every(&last_fold, FOLD_SECONDS) && !DB_EXEC0(db, a, &stmts[ST_FOLD]))
		return;
	if (!sender_due_every(&last, MAINTENANCE_SECONDS))
		return;
	PGresult *r = DB_EXEC0(db, a, &stmts[ST_REMINDERS]);
	PGresult *c = r ? DB_EXEC0(db, a, &stmts[ST_COMPLETE]) : NULL;
	PGresult *p = c ? DB_EXEC0(db, a, &stmts[ST_PURGE_EARLY]) : NULL;
	if (p && (db_get_int(r, 0, "n", 0) || db_get_int(c, 0, "n", 0) ||
		  db_get_int(p, 0, "n", 0)))
		log_info("maintenance", "reminders", db_get(r, 0, "n"),
			 "campaigns_completed", db_get(c, 0, "n"),
			 "early_statuses_dropped", db_get(p, 0, "n"));
}

/* One pass over the workspaces with due work. Returns messages claimed, -1 on error. */
static int sender_round(struct db *db, CURLM *multi, const struct config *cfg,
			struct arena *a)
{
	PGresult *due = DB_EXEC0(db, a, &stmts[ST_DUE]);
	if (!due)
		return -1;
	int total = 0;
	struct arena *batch = arena_new();
	for (int i = 0; i < PQntuples(due) && !stopping; i++) {
		int n = batch_run(db, multi, cfg, db_get(due, i, "id"), batch);
		arena_reset(batch);
		if (n < 0) {
			total = total ? total : -1;
			break;
		}
		total += n;
	}
	arena_free(batch);
	return total;
}

/* Drops the notifications already read; true when there was one. */
static bool drain_notifies(PGconn *conn)
{
	bool any = false;
	PGnotify *n;
	while ((n = PQnotifies(conn))) {
		any = true;
		PQfreemem(n);
	}
	return any;
}

/* After a hint, how long the sender lets more work gather before its round. A burst of
 * replies sends a hint per follow-up, and a round costs about the same database work
 * (lookup, claim, record, two commits) whatever its size. On the webhooks bench (replies
 * at saturation, on the cores the replies need) rounds started at once claimed 3
 * follow-ups each and the sender's backend spent 0.4-0.6 ms per reply; with 20 ms, 7
 * and 0.40 ms; with 50 ms, 10-12 and 0.16 ms. A follow-up leaves at most this much
 * later. */
#define GATHER_MS 50

/* Sleeps until a NOTIFY (then GATHER_MS more), the poll interval, or a signal. */
static void sender_wait(struct db *db, int seconds)
{
	PGconn *conn = db_pgconn(db);
	struct pollfd pfd = { .fd = conn ? PQsocket(conn) : -1, .events = POLLIN };
	bool hinted = conn && (PQconsumeInput(conn), drain_notifies(conn));
	if (!hinted && poll(&pfd, pfd.fd >= 0 ? 1 : 0, seconds * 1000) > 0 && conn) {
		PQconsumeInput(conn);
		hinted = drain_notifies(conn);
	}
	if (!hinted || stopping)
		return;
	struct timespec gather = { .tv_nsec = GATHER_MS * 1000000L };
	nanosleep(&gather, NULL);   /* a signal cuts it short: fine */
	PQconsumeInput(conn);
	drain_notifies(conn);
}

int main(void)
{
	struct config cfg;
	log_init("sender", LOG_INFO);
	if (config_load(&cfg))
		return 1;
	log_init("sender", cfg.log_level);

	struct sigaction sa = { .sa_handler = on_signal };
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (curl_global_init(CURL_GLOBAL_DEFAULT)) {
		log_error("curl_global_init failed");
		return 1;
	}
	CURLM *multi = curl_multi_init();
	/* One connection pool for all batches: kept-alive connections to each provider,
	 * at most RM_SENDER_PARALLEL at a time (the rest of a batch queues inside curl). */
	curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)cfg.sender_parallel);
	curl_multi_setopt(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)cfg.sender_parallel);
	curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, (long)cfg.sender_parallel);

	struct db *db = db_new(cfg.database_url);
	db_register(db, stmts, nitems(stmts));
	batch_register(db);
	struct arena *a = arena_new();
	log_info("sender started", "poll_seconds", log_fmt("%d", cfg.sender_poll_seconds),
		 "batch", arena_printf(a, "%d", cfg.sender_batch));
	while (!stopping) {
		int n = -1;
		/* LISTEN each time round: it is cheap, and it survives a reconnection. */
		if (db_ensure(db) == 0 && DB_EXEC0(db, a, &stmts[ST_LISTEN])) {
			sender_maintain(db, a);
			n = sender_round(db, multi, &cfg, a);
		}
		arena_reset(a);
		/* A batch that came back full may have left more due; anything less took all
		 * there was. */
		if (n < cfg.sender_batch && !stopping)
			sender_wait(db, cfg.sender_poll_seconds < FOLD_SECONDS
						? cfg.sender_poll_seconds : FOLD_SECONDS);
	}
	log_info("sender stopped");
	arena_free(a);
	db_free(db);
	curl_multi_cleanup(multi);
	curl_global_cleanup();
	return 0;
}
