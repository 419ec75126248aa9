/* sender.c: dispatches queued messages. Started by spawn-fcgi beside the FastCGI
 * programs (it ignores the socket spawn-fcgi hands it on fd 0).
 *
 * For now it is the idle loop the sender issue will fill in: it keeps one database
 * connection and wakes every RM_SENDER_POLL_SECONDS. Claiming, sending and LISTEN come
 * with that issue; nothing is sent yet. */
#include "core/config.h"
#include "core/db.h"
#include "core/log.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

int main(void)
{
	struct config cfg;
	log_init("sender", LOG_INFO);
	if (config_load(&cfg))
		return 1;
	log_init("sender", cfg.log_level);
	const char *p = getenv("RM_SENDER_POLL_SECONDS");
	int poll_s = p && atoi(p) > 0 ? atoi(p) : 5;

	struct sigaction sa = { .sa_handler = on_signal };
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	struct db *db = db_new(cfg.database_url);
	log_info("sender started", "poll_seconds", log_fmt("%d", poll_s));
	while (!stopping) {
		/* Keeps the connection up so a broken database shows in the log now. */
		db_ensure(db);
		/* poll() returns early on a signal, so stopping is prompt. */
		if (poll(NULL, 0, poll_s * 1000) < 0 && errno != EINTR)
			break;
		log_debug("sender woke; no dispatcher yet");
	}
	log_info("sender stopped");
	db_free(db);
	return 0;
}
