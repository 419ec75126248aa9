/* test_log.c: one key=value line per event on stderr (core/log.h).
 * stderr is pointed at a temporary file for each test and read back. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/log.h"

struct capture {
	FILE *tmp;
	int saved_fd;
	char text[8192];
};

static int setup(void **state)
{
	struct capture *c = test_calloc(1, sizeof *c);
	c->tmp = tmpfile();
	if (!c->tmp)
		return -1;
	fflush(stderr);
	c->saved_fd = dup(STDERR_FILENO);
	dup2(fileno(c->tmp), STDERR_FILENO);
	log_init("test", LOG_DEBUG);
	*state = c;
	return 0;
}

/* Puts stderr back (so cmocka can report) and returns what was logged. */
static const char *captured(void **state)
{
	struct capture *c = *state;
	fflush(stderr);
	if (c->saved_fd >= 0) {
		dup2(c->saved_fd, STDERR_FILENO);
		close(c->saved_fd);
		c->saved_fd = -1;
	}
	rewind(c->tmp);
	size_t n = fread(c->text, 1, sizeof c->text - 1, c->tmp);
	c->text[n] = '\0';
	return c->text;
}

static int teardown(void **state)
{
	struct capture *c = *state;
	captured(state);
	fclose(c->tmp);
	test_free(c);
	log_init("rm", LOG_INFO);
	return 0;
}

static size_t count_char(const char *s, char ch)
{
	size_t n = 0;
	for (; *s; s++)
		n += *s == ch;
	return n;
}

/* The text after "ts=<timestamp> " of a single line. */
static const char *after_ts(const char *line)
{
	assert_memory_equal(line, "ts=", 3);
	const char *sp = strchr(line, ' ');
	assert_non_null(sp);
	return sp + 1;
}

static void test_event_is_one_line_of_key_values(void **state)
{
	log_info("started", "port", "9000");
	const char *out = captured(state);
	assert_int_equal(count_char(out, '\n'), 1);
	assert_string_equal(after_ts(out), "level=info prog=test msg=started port=9000\n");
}

static void test_timestamp_is_utc_iso8601(void **state)
{
	/* In a zone five hours from UTC, so that local time would show. */
	char *saved = getenv("TZ") ? strdup(getenv("TZ")) : NULL;
	setenv("TZ", "America/Guayaquil", 1);
	tzset();
	time_t before = time(NULL);
	log_info("x");
	time_t after = time(NULL);
	const char *out = captured(state);
	if (saved) {
		setenv("TZ", saved, 1);
		free(saved);
	} else {
		unsetenv("TZ");
	}
	tzset();
	/* ts=YYYY-MM-DDTHH:MM:SSZ */
	struct tm tm = { 0 };
	const char *end = strptime(out, "ts=%Y-%m-%dT%H:%M:%SZ ", &tm);
	assert_non_null(end);
	assert_ptr_equal(end, out + 24);
	time_t logged = timegm(&tm);
	assert_true(logged >= before - 1 && logged <= after + 1);
}

static void test_each_event_is_its_own_line(void **state)
{
	log_info("one");
	log_warn("two", "k", "v");
	log_error("three");
	const char *out = captured(state);
	assert_int_equal(count_char(out, '\n'), 3);
	assert_non_null(strstr(out, "level=info prog=test msg=one\n"));
	assert_non_null(strstr(out, "level=warn prog=test msg=two k=v\n"));
	assert_non_null(strstr(out, "level=error prog=test msg=three\n"));
}

static void test_values_with_spaces_are_quoted(void **state)
{
	log_info("request done", "path", "/a b", "ua", "Mozilla/5.0 (X11)");
	const char *out = captured(state);
	assert_string_equal(after_ts(out), "level=info prog=test msg=\"request done\" "
					   "path=\"/a b\" ua=\"Mozilla/5.0 (X11)\"\n");
}

static void test_values_with_equals_or_quotes_are_quoted_and_escaped(void **state)
{
	log_info("m", "a", "x=y", "b", "say \"hi\"", "c", "back\\slash \"");
	const char *out = captured(state);
	assert_string_equal(after_ts(out), "level=info prog=test msg=m a=\"x=y\" "
					   "b=\"say \\\"hi\\\"\" c=\"back\\\\slash \\\"\"\n");
}

static void test_newline_in_value_is_escaped(void **state)
{
	/* An attacker tries to forge a second event. */
	log_info("login failed", "email", "x\nts=2020-01-01T00:00:00Z level=error msg=forged");
	const char *out = captured(state);
	assert_int_equal(count_char(out, '\n'), 1);
	assert_non_null(strstr(out, "email=\"x\\nts=2020-01-01T00:00:00Z level=error msg=forged\"\n"));
}

static void test_newline_in_message_is_escaped(void **state)
{
	log_info("a\nb");
	const char *out = captured(state);
	assert_int_equal(count_char(out, '\n'), 1);
	assert_string_equal(after_ts(out), "level=info prog=test msg=\"a\\nb\"\n");
}

static void test_other_controls_are_escaped(void **state)
{
	log_info("m", "v", "a\rb\tc\x1b\x7f");
	const char *out = captured(state);
	assert_int_equal(count_char(out, '\n'), 1);
	assert_null(strchr(out, '\r'));
	assert_null(strchr(out, '\x1b'));
	assert_null(strchr(out, '\x7f'));
	assert_string_equal(after_ts(out),
			    "level=info prog=test msg=m v=\"a\\x0db\\x09c\\x1b\\x7f\"\n");
}

static void test_empty_and_null_values(void **state)
{
	log_info("m", "empty", "", "none", (const char *)NULL);
	const char *out = captured(state);
	assert_string_equal(after_ts(out), "level=info prog=test msg=m empty=\"\" none=-\n");
}

static void test_utf8_passes_through(void **state)
{
	log_info("m", "name", "Mar\xc3\xad" "a");
	const char *out = captured(state);
	assert_string_equal(after_ts(out), "level=info prog=test msg=m name=Mar\xc3\xad" "a\n");
}

static void test_level_filtering(void **state)
{
	log_init("test", LOG_WARN);
	log_debug("d");
	log_info("i");
	log_warn("w");
	log_error("e");
	const char *out = captured(state);
	assert_int_equal(count_char(out, '\n'), 2);
	assert_null(strstr(out, "msg=d"));
	assert_null(strstr(out, "msg=i"));
	assert_non_null(strstr(out, "level=warn prog=test msg=w\n"));
	assert_non_null(strstr(out, "level=error prog=test msg=e\n"));
}

static void test_debug_shown_at_debug_level(void **state)
{
	log_debug("d");
	const char *out = captured(state);
	assert_string_equal(after_ts(out), "level=debug prog=test msg=d\n");
}

static void test_level_parse(void **state)
{
	(void)state;
	assert_int_equal(log_level_parse("debug"), LOG_DEBUG);
	assert_int_equal(log_level_parse("info"), LOG_INFO);
	assert_int_equal(log_level_parse("warn"), LOG_WARN);
	assert_int_equal(log_level_parse("error"), LOG_ERROR);
	assert_int_equal(log_level_parse("verbose"), LOG_INFO);
	assert_int_equal(log_level_parse(""), LOG_INFO);
	assert_int_equal(log_level_parse(NULL), LOG_INFO);
}

static void test_log_fmt_formats_and_truncates(void **state)
{
	(void)state;
	assert_string_equal(log_fmt("%zu bytes", (size_t)42), "42 bytes");
	char big[300];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	const char *s = log_fmt("%s", big);
	assert_true(strlen(s) < sizeof big - 1);
}

/* Two processes logging into one file, each opened for appending as scripts/stack.sh
 * opens a program's log (2>>): every line stays whole. Unbuffered, a line left in a
 * write(2) per piece and the pieces of the two interleaved. */
#define WRITERS 2
#define LINES_EACH 400

static void log_lines(int fd, int writer)
{
	dup2(fd, STDERR_FILENO);
	for (int i = 0; i < LINES_EACH; i++)
		log_info("request", "writer", log_fmt("%d", writer), "path", "/hooks/twilio/status",
			 "status", "200", "ms", "1.5");
}

static void test_lines_of_processes_sharing_a_log_never_interleave(void **state)
{
	(void)state;
	char path[] = "/tmp/test_log_XXXXXX";
	int tmp = mkstemp(path);
	assert_true(tmp >= 0);
	close(tmp);
	fflush(stderr);   /* nothing buffered is copied into the children */
	pid_t pids[WRITERS];
	for (int w = 0; w < WRITERS; w++) {
		pids[w] = fork();
		assert_true(pids[w] >= 0);
		if (pids[w] == 0) {
			int fd = open(path, O_WRONLY | O_APPEND);
			if (fd < 0)
				_exit(1);
			log_lines(fd, w);
			fflush(stderr);
			_exit(0);
		}
	}
	for (int w = 0; w < WRITERS; w++) {
		int status;
		assert_int_equal(waitpid(pids[w], &status, 0), pids[w]);
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char line[512];
	int lines = 0, whole = 0;
	while (fgets(line, sizeof line, f)) {
		lines++;
		const char *rest = after_ts(line);
		whole += (strcmp(rest, "level=info prog=test msg=request writer=0 "
				       "path=/hooks/twilio/status status=200 ms=1.5\n") == 0 ||
			  strcmp(rest, "level=info prog=test msg=request writer=1 "
				       "path=/hooks/twilio/status status=200 ms=1.5\n") == 0);
	}
	fclose(f);
	unlink(path);
	assert_int_equal(lines, WRITERS * LINES_EACH);
	assert_int_equal(whole, WRITERS * LINES_EACH);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_event_is_one_line_of_key_values),
		T(test_timestamp_is_utc_iso8601),
		T(test_each_event_is_its_own_line),
		T(test_values_with_spaces_are_quoted),
		T(test_values_with_equals_or_quotes_are_quoted_and_escaped),
		T(test_newline_in_value_is_escaped),
		T(test_newline_in_message_is_escaped),
		T(test_other_controls_are_escaped),
		T(test_empty_and_null_values),
		T(test_utf8_passes_through),
		T(test_level_filtering),
		T(test_debug_shown_at_debug_level),
		T(test_level_parse),
		T(test_log_fmt_formats_and_truncates),
		T(test_lines_of_processes_sharing_a_log_never_interleave),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
