/* log.c: key=value lines on stderr. */
#include "log.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static const char *prog = "rm";
static enum log_level min_level = LOG_INFO;
static const char *const names[] = { "debug", "info", "warn", "error" };

void log_init(const char *program, enum log_level level)
{
	static bool buffered;
	/* stderr is unbuffered: every piece of a line was a write(2) of its own (twenty
	 * for a request's line), and the pieces of the programs' processes, which share
	 * one log file, interleaved mid-line. Buffered, each line leaves in one write at
	 * the fflush that ends it. Set once, before anything is written. */
	if (!buffered) {
		setvbuf(stderr, NULL, _IOFBF, 16384);
		buffered = true;
	}
	prog = program;
	min_level = level;
}

enum log_level log_level_parse(const char *s)
{
	for (int i = 0; s && i < 4; i++)
		if (strcmp(s, names[i]) == 0)
			return (enum log_level)i;
	return LOG_INFO;
}

/* Writes v so that it stays one token: quoted if needed, controls escaped. */
static void put_value(FILE *f, const char *v)
{
	if (!v) {
		fputs("-", f);
		return;
	}
	int quote = *v == '\0' || strpbrk(v, " \"=") != NULL;
	for (const unsigned char *p = (const unsigned char *)v; *p && !quote; p++)
		if (*p < 0x20 || *p == 0x7f)
			quote = 1;
	if (!quote) {
		fputs(v, f);
		return;
	}
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", f);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\x%02x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

void log_event(enum log_level level, const char *msg, ...)
{
	if (level < min_level)
		return;
	char ts[32];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);

	FILE *f = stderr;
	flockfile(f);
	fprintf(f, "ts=%s level=%s prog=%s msg=", ts, names[level], prog);
	put_value(f, msg);
	va_list ap;
	va_start(ap, msg);
	for (const char *k; (k = va_arg(ap, const char *)) != NULL;) {
		const char *v = va_arg(ap, const char *);
		fprintf(f, " %s=", k);
		put_value(f, v);
	}
	va_end(ap);
	fputc('\n', f);
	funlockfile(f);
	fflush(f);
}

const char *log_fmt(const char *fmt, ...)
{
	static char out[128];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(out, sizeof out, fmt, ap);
	va_end(ap);
	return out;
}

double log_clock_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}
