/* test_validate.c: declared input fields and the single checks (core/validate.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "core/arena.h"
#include "core/kv.h"
#include "core/validate.h"
#include "core/nitems.h"

#define MSG_REQUIRED "Este campo es obligatorio."
#define MSG_INVALID_CHARS "Contiene caracteres no válidos."
#define MSG_NOT_INT "Debe ser un número entero."
#define MSG_BAD_UUID "Identificador no válido."
#define MSG_BAD_EMAIL "Escribe un correo electrónico válido."
#define MSG_BAD_PATH "Dirección no válida."

struct result {
	size_t bad;
	struct kvlist valid;
	struct kvlist errors;
};

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

/* Validates one field whose value is the len bytes at v, sent in the body (v NULL: the
 * key is absent). */
static struct result one(void **state, struct field f, const char *v, size_t len)
{
	struct field fields[2] = { f, { 0 } };
	struct kvlist body = KVLIST_INIT, none = KVLIST_INIT;
	struct result r = { 0, KVLIST_INIT, KVLIST_INIT };
	if (v)
		kv_add(*state, &body, f.name, strlen(f.name), v, len);
	r.bad = validate_fields(*state, fields, &body, &none, &none, &r.valid, &r.errors);
	return r;
}

/* The same with a C string value. */
static struct result one_s(void **state, struct field f, const char *v)
{
	return one(state, f, v, v ? strlen(v) : 0);
}

/* Asserts the field was accepted with this stored value. */
static void assert_valid(const struct result *r, const char *name, const char *value)
{
	assert_int_equal(r->bad, 0);
	assert_int_equal(r->errors.count, 0);
	assert_string_equal(kv_get(&r->valid, name), value);
}

/* Asserts the field was refused with this message. */
static void assert_error(const struct result *r, const char *name, const char *msg)
{
	assert_int_equal(r->bad, 1);
	assert_null(kv_get(&r->valid, name));
	assert_string_equal(kv_get(&r->errors, name), msg);
}

static const struct field line_f = { .name = "name", .kind = FIELD_LINE, .src = FROM_BODY, .required = true };
static const struct field opt_line_f = { .name = "note", .kind = FIELD_LINE, .src = FROM_BODY };
static const struct field text_f = { .name = "body", .kind = FIELD_TEXT, .src = FROM_BODY, .required = true };
static const struct field email_f = { .name = "email", .kind = FIELD_EMAIL, .src = FROM_BODY, .required = true };
static const struct field pass_f = { .name = "password", .kind = FIELD_PASSWORD, .src = FROM_BODY, .required = true };
static const struct field int_f = { .name = "stars", .kind = FIELD_INT, .src = FROM_BODY, .required = true, .min = 1, .max = 5 };
static const struct field uuid_f = { .name = "id", .kind = FIELD_UUID, .src = FROM_BODY, .required = true };
static const struct field path_f = { .name = "next", .kind = FIELD_LOCAL_PATH, .src = FROM_BODY, .required = true };

/* ---- presence ---- */

static void test_required_missing_is_refused(void **state)
{
	struct result r = one_s(state, line_f, NULL);
	assert_error(&r, "name", MSG_REQUIRED);
}

static void test_required_empty_is_refused(void **state)
{
	struct result r = one_s(state, line_f, "");
	assert_error(&r, "name", MSG_REQUIRED);
}

static void test_whitespace_only_counts_as_missing(void **state)
{
	struct result r = one_s(state, line_f, " \t\r\n ");
	assert_error(&r, "name", MSG_REQUIRED);
}

static void test_optional_missing_is_neither_valid_nor_error(void **state)
{
	struct result r = one_s(state, opt_line_f, NULL);
	assert_int_equal(r.bad, 0);
	assert_int_equal(r.valid.count, 0);
	assert_int_equal(r.errors.count, 0);
	r = one_s(state, opt_line_f, "   ");
	assert_int_equal(r.bad, 0);
	assert_int_equal(r.valid.count, 0);
	assert_int_equal(r.errors.count, 0);
}

static void test_optional_present_is_still_checked(void **state)
{
	struct result r = one_s(state, opt_line_f, "a\x01");
	assert_error(&r, "note", MSG_INVALID_CHARS);
}

/* ---- FIELD_LINE and FIELD_TEXT ---- */

static void test_line_is_trimmed(void **state)
{
	struct result r = one_s(state, line_f, "  Ana P\xc3\xa9rez \t");
	assert_valid(&r, "name", "Ana P\xc3\xa9rez");
}

static void test_line_keeps_inner_tab(void **state)
{
	struct result r = one_s(state, line_f, "a\tb");
	assert_valid(&r, "name", "a\tb");
}

static void test_line_refuses_newline(void **state)
{
	struct result r = one_s(state, line_f, "Ana\nSet-Cookie: x");
	assert_error(&r, "name", MSG_INVALID_CHARS);
	r = one_s(state, line_f, "Ana\rB");
	assert_error(&r, "name", MSG_INVALID_CHARS);
}

static void test_text_keeps_newlines(void **state)
{
	struct result r = one_s(state, text_f, "Hola,\r\nsu cita fue\nayer.");
	assert_valid(&r, "body", "Hola,\r\nsu cita fue\nayer.");
}

static void test_nul_byte_is_refused(void **state)
{
	struct result r = one(state, line_f, "ab\0cd", 5);
	assert_error(&r, "name", MSG_INVALID_CHARS);
	r = one(state, text_f, "\0", 1);
	assert_error(&r, "body", MSG_INVALID_CHARS);
	/* A NUL after leading spaces must not make the value look blank. */
	r = one(state, line_f, "  \0", 3);
	assert_error(&r, "name", MSG_INVALID_CHARS);
}

static void test_control_characters_are_refused(void **state)
{
	static const char *const bad[] = { "a\x01", "\x1b[31m", "a\x7f", "a\x08", "a\x0b" };
	for (size_t i = 0; i < nitems(bad); i++) {
		struct result r = one_s(state, text_f, bad[i]);
		assert_error(&r, "body", MSG_INVALID_CHARS);
	}
}

static void test_bad_utf8_is_refused(void **state)
{
	static const char *const bad[] = {
		"caf\xc3",            /* truncated */
		"\xc0\xa0",           /* overlong space */
		"\xed\xa0\x80",       /* surrogate */
		"\xf4\x90\x80\x80",   /* above U+10FFFF */
		"\xfe",
		"\x80",
	};
	for (size_t i = 0; i < nitems(bad); i++) {
		struct result r = one_s(state, line_f, bad[i]);
		assert_error(&r, "name", MSG_INVALID_CHARS);
	}
}

static void test_length_counts_characters_not_bytes(void **state)
{
	struct field f = line_f;
	f.max = 3;
	/* Three 'ñ' are six bytes but three characters. */
	struct result r = one_s(state, f, "\xc3\xb1\xc3\xb1\xc3\xb1");
	assert_valid(&r, "name", "\xc3\xb1\xc3\xb1\xc3\xb1");
	r = one_s(state, f, "\xc3\xb1\xc3\xb1\xc3\xb1\xc3\xb1");
	assert_error(&r, "name", "Máximo 3 caracteres.");
}

static void test_length_is_measured_after_trimming(void **state)
{
	struct field f = line_f;
	f.max = 3;
	struct result r = one_s(state, f, "   abc   ");
	assert_valid(&r, "name", "abc");
}

static void test_too_short_is_refused(void **state)
{
	struct field f = line_f;
	f.min = 2;
	struct result r = one_s(state, f, " a ");
	assert_error(&r, "name", "Mínimo 2 caracteres.");
	r = one_s(state, f, "\xc3\xb1\xc3\xb1");
	assert_valid(&r, "name", "\xc3\xb1\xc3\xb1");
}

static void test_line_default_maximum_is_200(void **state)
{
	char s[202];
	memset(s, 'x', 201);
	s[201] = '\0';
	struct result r = one(state, line_f, s, 200);
	assert_int_equal(r.bad, 0);
	r = one(state, line_f, s, 201);
	assert_error(&r, "name", "Máximo 200 caracteres.");
}

/* ---- FIELD_PASSWORD ---- */

static void test_password_is_kept_as_typed(void **state)
{
	struct result r = one_s(state, pass_f, "  c\xc3\xb3" "digo secreto ");
	assert_valid(&r, "password", "  c\xc3\xb3" "digo secreto ");
}

static void test_password_refuses_controls(void **state)
{
	struct result r = one_s(state, pass_f, "abc\ndef");
	assert_error(&r, "password", MSG_INVALID_CHARS);
	r = one(state, pass_f, "abc\0def", 7);
	assert_error(&r, "password", MSG_INVALID_CHARS);
}

/* ---- FIELD_EMAIL ---- */

static void test_email_is_trimmed_and_lowercased(void **state)
{
	struct result r = one_s(state, email_f, "  Ana.Perez@Clinica-Sur.EC ");
	assert_valid(&r, "email", "ana.perez@clinica-sur.ec");
}

static void test_email_with_non_ascii_capitals_is_lowercased_like_postgres(void **state)
{
	struct result r = one_s(state, email_f, "ÑANDÚ.Ólafsson@Clínica.EC");
	assert_valid(&r, "email", "ñandú.ólafsson@clínica.ec");
}

static void test_email_beyond_latin1_is_refused_with_a_message(void **state)
{
	struct result r = one_s(state, email_f, "ΑΛΦΑ@example.com");
	assert_error(&r, "email", "El correo solo puede llevar letras latinas (con o sin tilde), "
				  "números y los signos . _ - +.");
	char times[] = "a\xC3\x97" "b@example.com";   /* × has no case: kept */
	assert_int_equal(email_lower(times), 0);
	assert_string_equal(times, "a\xC3\x97" "b@example.com");
}

static void test_bad_email_is_refused(void **state)
{
	static const char *const bad[] = { "ana", "ana@ec", "a@b@c.ec", "a b@c.ec", "@c.ec",
					   "a@.ec", "a@c.ec.", "a@c..ec", "<a>@c.ec",
					   "a@c,ec.com" };
	for (size_t i = 0; i < nitems(bad); i++) {
		struct result r = one_s(state, email_f, bad[i]);
		assert_error(&r, "email", MSG_BAD_EMAIL);
	}
}

static void test_valid_email_accepts_ordinary_addresses(void **state)
{
	(void)state;
	static const char *const good[] = { "a@b.ec", "ana.perez+citas@clinica.com.ec",
					    "x_y-z@sub.domain.org" };
	for (size_t i = 0; i < nitems(good); i++)
		assert_true(valid_email(good[i], strlen(good[i])));
}

static void test_valid_email_refuses_ugly_input(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"", "@", "a@", "@b.c", "a@b", "a@b.", "a@.b", "a@@b.ec", "a@b..ec", "a\"b@c.ec",
		"a;b@c.ec", "a\\b@c.ec", "(a)@c.ec", "a@[1.2.3.4]", "a\t@b.ec", "a@b.ec\n",
		"a\x7f@b.ec",
	};
	for (size_t i = 0; i < nitems(bad); i++)
		assert_false(valid_email(bad[i], strlen(bad[i])));
	/* A NUL inside the given length is not an address either. */
	assert_false(valid_email("a@b.ec\0x", 8));
}

static void test_valid_email_enforces_length_limits(void **state)
{
	(void)state;
	char s[300];
	/* Local part of 65 characters. */
	memset(s, 'a', 65);
	memcpy(s + 65, "@b.ec", 6);
	assert_false(valid_email(s, strlen(s)));
	memcpy(s + 64, "@b.ec", 6);
	assert_true(valid_email(s, strlen(s)));
	/* Whole address of 255 characters. */
	s[0] = 'a';
	s[1] = '@';
	memset(s + 2, 'b', 249);
	memcpy(s + 251, ".ec", 4);
	assert_int_equal(strlen(s), 254);
	assert_true(valid_email(s, 254));
	memset(s + 2, 'b', 250);
	memcpy(s + 252, ".ec", 4);
	assert_false(valid_email(s, 255));
}

/* ---- FIELD_INT ---- */

static void test_int_in_range_is_accepted(void **state)
{
	struct result r = one_s(state, int_f, "1");
	assert_valid(&r, "stars", "1");
	r = one_s(state, int_f, "5");
	assert_valid(&r, "stars", "5");
}

static void test_int_out_of_range_is_refused(void **state)
{
	struct result r = one_s(state, int_f, "0");
	assert_error(&r, "stars", "Debe estar entre 1 y 5.");
	r = one_s(state, int_f, "6");
	assert_error(&r, "stars", "Debe estar entre 1 y 5.");
	r = one_s(state, int_f, "-1");
	assert_error(&r, "stars", "Debe estar entre 1 y 5.");
}

static void test_int_garbage_is_refused(void **state)
{
	static const char *const bad[] = { "12abc", "abc", "1.5", "0x10", "1 2", "1e3", "--1",
					   "99999999999999999999", "123456789012345678901" };
	for (size_t i = 0; i < nitems(bad); i++) {
		struct result r = one_s(state, int_f, bad[i]);
		assert_error(&r, "stars", MSG_NOT_INT);
	}
}

static void test_int_empty_is_missing(void **state)
{
	struct result r = one_s(state, int_f, "");
	assert_error(&r, "stars", MSG_REQUIRED);
}

/* validate.h says single-line kinds are trimmed, and FIELD_INT is one, so " 1" is "1".
 * (parse_int's own leading-space check is therefore never reached.) */
static void test_int_surrounding_spaces_are_trimmed(void **state)
{
	struct result r = one_s(state, int_f, " 1");
	assert_valid(&r, "stars", "1");
	r = one_s(state, int_f, "3 ");
	assert_valid(&r, "stars", "3");
}

static void test_int_negative_range(void **state)
{
	struct field f = { .name = "offset", .kind = FIELD_INT, .src = FROM_BODY, .required = true, .min = -12, .max = 14 };
	struct result r = one_s(state, f, "-5");
	assert_valid(&r, "offset", "-5");
	r = one_s(state, f, "-13");
	assert_error(&r, "offset", "Debe estar entre -12 y 14.");
}

static void test_int_without_max_is_unbounded_above(void **state)
{
	struct field f = { .name = "credits", .kind = FIELD_INT, .src = FROM_BODY, .required = true, .min = 1 };
	struct result r = one_s(state, f, "9223372036854775807");
	assert_valid(&r, "credits", "9223372036854775807");
}

/* With no maximum (max 0), a value below min must name only the minimum, not an
 * impossible range "entre 1 y 0". */
static void test_int_below_min_without_max_names_a_sane_range(void **state)
{
	struct field f = { .name = "credits", .kind = FIELD_INT, .src = FROM_BODY, .required = true, .min = 1 };
	struct result r = one_s(state, f, "0");
	assert_int_equal(r.bad, 1);
	const char *msg = kv_get(&r.errors, "credits");
	assert_non_null(msg);
	assert_null(strstr(msg, " y 0."));
	assert_string_equal(msg, "Debe ser 1 o más.");
}

/* ---- FIELD_UUID ---- */

static void test_uuid_is_accepted(void **state)
{
	struct result r = one_s(state, uuid_f, "8c1f6e0a-1111-4222-8333-944455556666");
	assert_valid(&r, "id", "8c1f6e0a-1111-4222-8333-944455556666");
}

static void test_bad_uuid_is_refused(void **state)
{
	static const char *const bad[] = {
		"8c1f6e0a11114222833394445555666",
		"8c1f6e0a-1111-4222-8333-94445555666",     /* 35 chars */
		"8c1f6e0a-1111-4222-8333-9444555566667",   /* 37 chars */
		"8c1f6e0a-1111-4222-8333_944455556666",
		"8c1f6e0g-1111-4222-8333-944455556666",
		"{8c1f6e0a-1111-4222-8333-944455556666}",
		"8c1f6e0a-1111-4222-8333-94445555666 6",
	};
	for (size_t i = 0; i < nitems(bad); i++) {
		struct result r = one_s(state, uuid_f, bad[i]);
		assert_error(&r, "id", MSG_BAD_UUID);
	}
}

static void test_valid_uuid_direct(void **state)
{
	(void)state;
	assert_true(valid_uuid("00000000-0000-0000-0000-000000000000", 36));
	assert_false(valid_uuid("00000000-0000-0000-0000-000000000000", 35));
	assert_false(valid_uuid("", 0));
	assert_false(valid_uuid("00000000-0000-0000-0000-00000000000\0", 36));
}

/* ---- FIELD_LOCAL_PATH ---- */

static void test_local_path_is_accepted(void **state)
{
	struct result r = one_s(state, path_f, "/patients?page=2");
	assert_valid(&r, "next", "/patients?page=2");
	r = one_s(state, path_f, "/");
	assert_valid(&r, "next", "/");
}

static void test_offsite_or_odd_paths_are_refused(void **state)
{
	static const char *const bad[] = { "//evil.com", "/\\evil.com", "http://x", "/a b",
					   "evil.com", "javascript:alert(1)", "/a\\b",
					   "/caf\xc3\xa9" };
	for (size_t i = 0; i < nitems(bad); i++) {
		struct result r = one_s(state, path_f, bad[i]);
		assert_error(&r, "next", MSG_BAD_PATH);
	}
}

static void test_valid_local_path_direct(void **state)
{
	(void)state;
	assert_true(valid_local_path("/", 1));
	assert_false(valid_local_path("", 0));
	assert_false(valid_local_path("//", 2));
	assert_false(valid_local_path("/\\", 2));
	assert_false(valid_local_path("/a\tb", 4));
	assert_false(valid_local_path("/a\0b", 4));
}

/* ---- sources and several fields ---- */

static void test_fields_come_from_their_declared_source(void **state)
{
	static const struct field fields[] = {
		{ .name = "q", .kind = FIELD_LINE, .src = FROM_QUERY, .required = true },
		{ .name = "id", .kind = FIELD_UUID, .src = FROM_PATH, .required = true },
		{ .name = "name", .kind = FIELD_LINE, .src = FROM_BODY, .required = true },
		FIELDS_END,
	};
	struct kvlist body = KVLIST_INIT, query = KVLIST_INIT, path = KVLIST_INIT;
	struct kvlist valid = KVLIST_INIT, errors = KVLIST_INIT;
	/* Same names in the wrong places must not be taken. */
	kv_add(*state, &body, "q", 1, "from-body", 9);
	kv_add(*state, &body, "id", 2, "00000000-0000-0000-0000-000000000000", 36);
	kv_add(*state, &query, "q", 1, "ana", 3);
	kv_add(*state, &query, "name", 4, "from-query", 10);
	kv_add(*state, &path, "id", 2, "8c1f6e0a-1111-4222-8333-944455556666", 36);
	kv_add(*state, &body, "name", 4, "Ana", 3);
	assert_int_equal(validate_fields(*state, fields, &body, &query, &path, &valid, &errors),
			 0);
	assert_string_equal(kv_get(&valid, "q"), "ana");
	assert_string_equal(kv_get(&valid, "id"), "8c1f6e0a-1111-4222-8333-944455556666");
	assert_string_equal(kv_get(&valid, "name"), "Ana");
}

static void test_value_only_in_wrong_source_is_missing(void **state)
{
	static const struct field fields[] = {
		{ .name = "q", .kind = FIELD_LINE, .src = FROM_QUERY, .required = true },
		FIELDS_END,
	};
	struct kvlist body = KVLIST_INIT, none = KVLIST_INIT;
	struct kvlist valid = KVLIST_INIT, errors = KVLIST_INIT;
	kv_add(*state, &body, "q", 1, "ana", 3);
	assert_int_equal(validate_fields(*state, fields, &body, &none, &none, &valid, &errors), 1);
	assert_string_equal(kv_get(&errors, "q"), MSG_REQUIRED);
}

static void test_undeclared_keys_are_not_passed_on(void **state)
{
	static const struct field fields[] = {
		{ .name = "name", .kind = FIELD_LINE, .src = FROM_BODY, .required = true },
		FIELDS_END,
	};
	struct kvlist body = KVLIST_INIT, none = KVLIST_INIT;
	struct kvlist valid = KVLIST_INIT, errors = KVLIST_INIT;
	kv_add(*state, &body, "name", 4, "Ana", 3);
	kv_add(*state, &body, "role", 4, "OWNER", 5);
	assert_int_equal(validate_fields(*state, fields, &body, &none, &none, &valid, &errors), 0);
	assert_int_equal(valid.count, 1);
	assert_null(kv_get(&valid, "role"));
}

static void test_every_invalid_field_is_counted_with_a_message(void **state)
{
	static const struct field fields[] = {
		{ .name = "name", .kind = FIELD_LINE, .src = FROM_BODY, .required = true },
		{ .name = "email", .kind = FIELD_EMAIL, .src = FROM_BODY, .required = true },
		{ .name = "stars", .kind = FIELD_INT, .src = FROM_BODY, .required = true, .min = 1, .max = 5 },
		{ .name = "id", .kind = FIELD_UUID, .src = FROM_BODY },
		FIELDS_END,
	};
	struct kvlist body = KVLIST_INIT, none = KVLIST_INIT;
	struct kvlist valid = KVLIST_INIT, errors = KVLIST_INIT;
	kv_add(*state, &body, "email", 5, "nope", 4);
	kv_add(*state, &body, "stars", 5, "9", 1);
	kv_add(*state, &body, "id", 2, "x", 1);
	assert_int_equal(validate_fields(*state, fields, &body, &none, &none, &valid, &errors), 4);
	assert_int_equal(valid.count, 0);
	assert_string_equal(kv_get(&errors, "name"), MSG_REQUIRED);
	assert_string_equal(kv_get(&errors, "email"), MSG_BAD_EMAIL);
	assert_string_equal(kv_get(&errors, "stars"), "Debe estar entre 1 y 5.");
	assert_string_equal(kv_get(&errors, "id"), MSG_BAD_UUID);
}

static void test_null_field_list_checks_nothing(void **state)
{
	struct kvlist none = KVLIST_INIT, valid = KVLIST_INIT, errors = KVLIST_INIT;
	assert_int_equal(validate_fields(*state, NULL, &none, &none, &none, &valid, &errors), 0);
	assert_int_equal(valid.count, 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

/* A lenient field the user cannot see (a hidden `next`) that is invalid counts as
 * absent: no message for a value the user could not correct. */
static void test_lenient_invalid_is_absent_without_message(void **state)
{
	struct field f = { .name = "next", .kind = FIELD_LOCAL_PATH, .src = FROM_BODY, .lenient = true };
	struct result r = one_s(state, f, "//evil.example");
	assert_int_equal(r.bad, 0);
	assert_null(kv_get(&r.errors, "next"));
	assert_null(kv_get(&r.valid, "next"));
	r = one_s(state, f, "/account");
	assert_valid(&r, "next", "/account");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_lenient_invalid_is_absent_without_message),
		T(test_required_missing_is_refused),
		T(test_required_empty_is_refused),
		T(test_whitespace_only_counts_as_missing),
		T(test_optional_missing_is_neither_valid_nor_error),
		T(test_optional_present_is_still_checked),
		T(test_line_is_trimmed),
		T(test_line_keeps_inner_tab),
		T(test_line_refuses_newline),
		T(test_text_keeps_newlines),
		T(test_nul_byte_is_refused),
		T(test_control_characters_are_refused),
		T(test_bad_utf8_is_refused),
		T(test_length_counts_characters_not_bytes),
		T(test_length_is_measured_after_trimming),
		T(test_too_short_is_refused),
		T(test_line_default_maximum_is_200),
		T(test_password_is_kept_as_typed),
		T(test_password_refuses_controls),
		T(test_email_is_trimmed_and_lowercased),
		T(test_email_with_non_ascii_capitals_is_lowercased_like_postgres),
		T(test_email_beyond_latin1_is_refused_with_a_message),
		T(test_bad_email_is_refused),
		T(test_valid_email_accepts_ordinary_addresses),
		T(test_valid_email_refuses_ugly_input),
		T(test_valid_email_enforces_length_limits),
		T(test_int_in_range_is_accepted),
		T(test_int_out_of_range_is_refused),
		T(test_int_garbage_is_refused),
		T(test_int_empty_is_missing),
		T(test_int_surrounding_spaces_are_trimmed),
		T(test_int_negative_range),
		T(test_int_without_max_is_unbounded_above),
		T(test_int_below_min_without_max_names_a_sane_range),
		T(test_uuid_is_accepted),
		T(test_bad_uuid_is_refused),
		T(test_valid_uuid_direct),
		T(test_local_path_is_accepted),
		T(test_offsite_or_odd_paths_are_refused),
		T(test_valid_local_path_direct),
		T(test_fields_come_from_their_declared_source),
		T(test_value_only_in_wrong_source_is_missing),
		T(test_undeclared_keys_are_not_passed_on),
		T(test_every_invalid_field_is_counted_with_a_message),
		T(test_null_field_list_checks_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
