/* test_tpl.c: the ctemplate shim (core/tpl.h): auto-escaping by context, sections,
 * includes, missing templates, and dictionaries freed with their arena.
 *
 * Templates are written into a fresh mkdtemp directory. Run the SAN build with
 * ASAN_OPTIONS=detect_leaks=1: a dictionary not freed with its arena is reported, and
 * test_dicts_are_freed_with_the_arena checks for leaks itself when LeakSanitizer is in. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/tpl.h"
#include "core/nitems.h"

#if defined(__SANITIZE_ADDRESS__)
#define HAVE_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HAVE_LSAN 1
#endif
#endif
#ifdef HAVE_LSAN
#include <sanitizer/lsan_interface.h>
#endif

#define PRAGMA "{{%AUTOESCAPE context=\"HTML\"}}"
#define EVIL "<script>\"&'"

static char dir[] = "/tmp/test_tpl.XXXXXX";

static const struct {
	const char *name;
	const char *text;
} files[] = {
	{ "text.tpl", PRAGMA "<p>{{v}}</p>" },
	{ "attr.tpl", PRAGMA "<input value=\"{{v}}\" title='{{v}}'>" },
	{ "url.tpl", PRAGMA "<a href=\"/patients?q={{v:u}}\">x</a>" },
	{ "href.tpl", PRAGMA "<a href=\"{{v}}\">x</a>" },
	{ "list.tpl", PRAGMA "<ul>{{#row}}<li>{{n}}:{{name}}</li>{{/row}}</ul>" },
	{ "show.tpl", PRAGMA "[{{#flash}}saved{{/flash}}]" },
	{ "page.tpl", PRAGMA "<main>{{>body}}</main>" },
	{ "part.tpl", PRAGMA "<b>{{who}}</b>" },
	{ "broken.tpl", PRAGMA "{{#open}}never closed" },
};

static int group_setup(void **state)
{
	(void)state;
	if (!mkdtemp(dir))
		return -1;
	for (size_t i = 0; i < nitems(files); i++) {
		char path[256];
		snprintf(path, sizeof path, "%s/%s", dir, files[i].name);
		FILE *f = fopen(path, "w");
		if (!f)
			return -1;
		fputs(files[i].text, f);
		fclose(f);
	}
	return tpl_init(dir);
}

static int group_teardown(void **state)
{
	(void)state;
	for (size_t i = 0; i < nitems(files); i++) {
		char path[256];
		snprintf(path, sizeof path, "%s/%s", dir, files[i].name);
		unlink(path);
	}
	rmdir(dir);
	return 0;
}

static int setup(void **state)
{
	*state = arena_new();
	return 0;
}

static int teardown(void **state)
{
	arena_free(*state);
	return 0;
}

/* Renders file with d; returns the output (an arena copy) or NULL when rendering failed. */
static const char *render(void **state, const char *file, struct tpl_dict *d)
{
	struct buf out = BUF_INIT;
	int rc = tpl_render(file, d, &out);
	const char *s = rc == 0 ? arena_strdup(*state, out.buf) : NULL;
	buf_release(&out);
	return s;
}

static void test_plain_value_is_rendered(void **state)
{
	struct tpl_dict *d = tpl_dict_new(*state);
	tpl_set(d, "v", "Cl\xc3\xadnica Sur");
	assert_string_equal(render(state, "text.tpl", d), "<p>Cl\xc3\xadnica Sur</p>");
}

static void test_value_is_html_escaped_in_text(void **state)
{
	struct tpl_dict *d = tpl_dict_new(*state);
	tpl_set(d, "v", EVIL);
	const char *s = render(state, "text.tpl", d);
	assert_non_null(s);
	assert_null(strstr(s, "<script"));
	assert_string_equal(s, "<p>&lt;script&gt;&quot;&amp;&#39;</p>");
}

static void test_value_is_escaped_in_attributes(void **state)
{
	struct tpl_dict *d = tpl_dict_new(*state);
	tpl_set(d, "v", EVIL);
	const char *s = render(state, "attr.tpl", d);
	assert_non_null(s);
	/* Nothing of the value may close either attribute or open a tag. */
	const char *body = strstr(s, "value=\"");
	assert_non_null(body);
	assert_null(strstr(s, "<script"));
	assert_null(strchr(body + 7, '<'));
	/* The only quotes left are the template's own four. */
	size_t dq = 0, sq = 0;
	for (const char *p = s; *p; p++) {
		dq += *p == '"';
		sq += *p == '\'';
	}
	assert_int_equal(dq, 2);
	assert_int_equal(sq, 2);
	assert_non_null(strstr(s, "&lt;script&gt;&quot;&amp;&#39;"));
}

/* Inside a URL ctemplate only HTML-escapes by itself: a query value needs ":u" in the
 * template to be percent-encoded (auto-escaping accepts it there). */
static void test_query_value_with_u_modifier_is_url_escaped(void **state)
{
	struct tpl_dict *d = tpl_dict_new(*state);
	tpl_set(d, "v", "a b&c=\"<");
	assert_string_equal(render(state, "url.tpl", d),
			    "<a href=\"/patients?q=a+b%26c%3D%22%3C\">x</a>");
}

static void test_javascript_url_is_neutralized(void **state)
{
	struct tpl_dict *d = tpl_dict_new(*state);
	tpl_set(d, "v", "javascript:alert(1)");
	assert_string_equal(render(state, "href.tpl", d), "<a href=\"#\">x</a>");
}

static void test_url_attribute_value_is_html_escaped(void **state)
{
	struct tpl_dict *d = tpl_dict_new(*state);
	tpl_set(d, "v", "/p?a=1&b=\"><script>");
	const char *s = render(state, "href.tpl", d);
	assert_non_null(s);
	assert_null(strstr(s, "<script"));
	assert_string_equal(s, "<a href=\"/p?a=1&amp;b=&quot;&gt;&lt;script&gt;\">x</a>");
}

static void test_null_value_renders_empty(void **state)
{
	struct tpl_dict *d = tpl_dict_new(*state);
	tpl_set(d, "v", NULL);
	assert_string_equal(render(state, "text.tpl", d), "<p></p>");
}

static void test_unset_value_renders_empty(void **state)
{
	struct tpl_dict *d = tpl_dict_new(*state);
	assert_string_equal(render(state, "text.tpl", d), "<p></p>");
}

static void test_section_repeats_once_per_dict(void **state)
{
	struct tpl_dict *d = tpl_dict_new(*state);
	static const char *const names[] = { "Ana", "Luis", "<b>" };
	for (int i = 0; i < 3; i++) {
		struct tpl_dict *row = tpl_section(d, "row");
		tpl_set_int(row, "n", i + 1);
		tpl_set(row, "name", names[i]);
	}
	assert_string_equal(render(state, "list.tpl", d),
			    "<ul><li>1:Ana</li><li>2:Luis</li><li>3:&lt;b&gt;</li></ul>");
}

static void test_section_hidden_without_dicts(void **state)
{
	struct tpl_dict *d = tpl_dict_new(*state);
	assert_string_equal(render(state, "list.tpl", d), "<ul></ul>");
}

static void test_set_int_handles_extremes(void **state)
{
	struct tpl_dict *d = tpl_dict_new(*state);
	struct tpl_dict *row = tpl_section(d, "row");
	tpl_set_int(row, "n", -9223372036854775807LL - 1);
	tpl_set(row, "name", "x");
	assert_string_equal(render(state, "list.tpl", d),
			    "<ul><li>-9223372036854775808:x</li></ul>");
}

static void test_show_displays_section_once(void **state)
{
	struct tpl_dict *d = tpl_dict_new(*state);
	assert_string_equal(render(state, "show.tpl", d), "[]");
	tpl_show(d, "flash");
	assert_string_equal(render(state, "show.tpl", d), "[saved]");
}

static void test_include_renders_named_file_with_its_dict(void **state)
{
	struct tpl_dict *d = tpl_dict_new(*state);
	struct tpl_dict *inc = tpl_include(d, "body");
	tpl_set_file(inc, "part.tpl");
	tpl_set(inc, "who", "Ana & <Luis>");
	assert_string_equal(render(state, "page.tpl", d),
			    "<main><b>Ana &amp; &lt;Luis&gt;</b></main>");
}

static void test_include_without_dict_renders_nothing(void **state)
{
	struct tpl_dict *d = tpl_dict_new(*state);
	assert_string_equal(render(state, "page.tpl", d), "<main></main>");
}

static void test_missing_template_fails(void **state)
{
	struct tpl_dict *d = tpl_dict_new(*state);
	struct buf out = BUF_INIT;
	assert_int_equal(tpl_render("no-such-file.tpl", d, &out), -1);
	assert_int_equal(out.len, 0);
	buf_release(&out);
}

static void test_unparsable_template_fails(void **state)
{
	struct tpl_dict *d = tpl_dict_new(*state);
	struct buf out = BUF_INIT;
	assert_int_equal(tpl_render("broken.tpl", d, &out), -1);
	buf_release(&out);
}

static void test_render_appends_to_buffer(void **state)
{
	struct tpl_dict *d = tpl_dict_new(*state);
	tpl_set(d, "v", "1");
	struct buf out = BUF_INIT;
	buf_adds(&out, "pre:");
	assert_int_equal(tpl_render("text.tpl", d, &out), 0);
	assert_string_equal(out.buf, "pre:<p>1</p>");
	buf_release(&out);
}

/* Many dictionaries with sections and includes, all freed by resetting the arena. */
static void test_dicts_are_freed_with_the_arena(void **state)
{
	for (int round = 0; round < 50; round++) {
		struct tpl_dict *d = tpl_dict_new(*state);
		for (int i = 0; i < 20; i++) {
			struct tpl_dict *row = tpl_section(d, "row");
			tpl_set_int(row, "n", i);
			tpl_set(row, "name", "a fairly long value to make the dictionary allocate");
		}
		struct tpl_dict *inc = tpl_include(d, "body");
		tpl_set_file(inc, "part.tpl");
		tpl_set(inc, "who", "x");
		assert_non_null(render(state, "list.tpl", d));
		arena_reset(*state);
	}
#ifdef HAVE_LSAN
	assert_int_equal(__lsan_do_recoverable_leak_check(), 0);
#endif
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_plain_value_is_rendered),
		T(test_value_is_html_escaped_in_text),
		T(test_value_is_escaped_in_attributes),
		T(test_query_value_with_u_modifier_is_url_escaped),
		T(test_javascript_url_is_neutralized),
		T(test_url_attribute_value_is_html_escaped),
		T(test_null_value_renders_empty),
		T(test_unset_value_renders_empty),
		T(test_section_repeats_once_per_dict),
		T(test_section_hidden_without_dicts),
		T(test_set_int_handles_extremes),
		T(test_show_displays_section_once),
		T(test_include_renders_named_file_with_its_dict),
		T(test_include_without_dict_renders_nothing),
		T(test_missing_template_fails),
		T(test_unparsable_template_fails),
		T(test_render_appends_to_buffer),
		T(test_dicts_are_freed_with_the_arena),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
