/* log.h: one line per event on stderr: `level=… prog=… msg="…" key=value …`.
 *
 * The message and each value are quoted when they hold spaces, quotes or '=', and any
 * control character is escaped, so a line can never be split or forged by input.
 * Secrets are never passed here. */
#ifndef RM_LOG_H
#define RM_LOG_H

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

void log_init(const char *program, enum log_level min_level);
enum log_level log_level_parse(const char *s);   /* "debug".."error"; info otherwise */

/* kv is a NULL-terminated list of alternating keys and values (values may be NULL). */
void log_event(enum log_level level, const char *msg, ...) __attribute__((sentinel));

#define log_debug(...) log_event(LOG_DEBUG, __VA_ARGS__, (char *)NULL)
#define log_info(...)  log_event(LOG_INFO,  __VA_ARGS__, (char *)NULL)
#define log_warn(...)  log_event(LOG_WARN,  __VA_ARGS__, (char *)NULL)
#define log_error(...) log_event(LOG_ERROR, __VA_ARGS__, (char *)NULL)

/* Formats into a small static buffer for a log value (numbers, sizes). Not reentrant:
 * use at most once per log call. */
const char *log_fmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Milliseconds on the monotonic clock, for the durations log lines report: take it
 * before, subtract it from a second reading after. */
double log_clock_ms(void);

#endif
