/* test_csv_import.c: the pure CSV import core (core/csv_import.h): encodings, delimiters,
 * headers, line numbers, dates, consent, channels, refusals and duplicates. Phones go
 * through a stub (the real libphonenumber shim has its own tests): 09XXXXXXXX is an
 * Ecuadorian mobile, 02XXXXXXX a landline, +digits a foreign mobile. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "core/arena.h"
#include "core/csv_import.h"
#include "core/nitems.h"

static int stub_phone(const char *in, char *out, size_t n, bool *mobile, const char **reason)
{
	char d[32];
	size_t k = 0;
	for (const char *p = in; *p; p++)
		if (*p >= '0' && *p <= '9' && k + 1 < sizeof d)
			d[k++] = *p;
	d[k] = '\0';
	if (in[0] == '+' && k >= 8) {
		snprintf(out, n, "+%s", d);
		*mobile = true;
		return 0;
	}
	if (k == 10 && d[0] == '0' && d[1] == '9') {
		snprintf(out, n, "+593%s", d + 1);
		*mobile = true;
		return 0;
	}
	if (k == 9 && d[0] == '0' && d[1] == '2') {
		snprintf(out, n, "+593%s", d + 1);
		*mobile = false;
		return 0;
	}
	*reason = "no es un número de teléfono.";
	return -1;
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

#define PARSE(a, lit, out) csv_import_parse(a, lit, sizeof(lit) - 1, stub_phone, out)

static void test_headers_spanish_english_any_case(void **state)
{
	(void)state;
	assert_int_equal(csv_import_header_col("Nombre"), CSV_COL_NAME);
	assert_int_equal(csv_import_header_col("TELÉFONO"), CSV_COL_PHONE);
	assert_int_equal(csv_import_header_col("teléfono"), CSV_COL_PHONE);
	assert_int_equal(csv_import_header_col("Celular"), CSV_COL_PHONE);
	assert_int_equal(csv_import_header_col("Móvil"), CSV_COL_PHONE);
	assert_int_equal(csv_import_header_col("correo"), CSV_COL_EMAIL);
	assert_int_equal(csv_import_header_col("E-mail"), CSV_COL_EMAIL);
	assert_int_equal(csv_import_header_col(" Fecha de Cita "), CSV_COL_TIME);
	assert_int_equal(csv_import_header_col("appointment_time"), CSV_COL_TIME);
	assert_int_equal(csv_import_header_col("hora"), CSV_COL_TIME);
	assert_int_equal(csv_import_header_col("Tipo de cita"), CSV_COL_TYPE);
	assert_int_equal(csv_import_header_col("Appointment Type"), CSV_COL_TYPE);
	assert_int_equal(csv_import_header_col("CONSENTIMIENTO"), CSV_COL_CONSENT);
	assert_int_equal(csv_import_header_col("canal"), CSV_COL_CHANNEL);
	assert_int_equal(csv_import_header_col("Idioma"), CSV_COL_LANGUAGE);
	assert_int_equal(csv_import_header_col("cédula"), -1);
	assert_int_equal(csv_import_header_col(""), -1);
}

static void test_delimiter_outside_quotes(void **state)
{
	(void)state;
	assert_int_equal(csv_import_delimiter("a;b;c\n1,2;3", 11), ';');
	assert_int_equal(csv_import_delimiter("a,b,c", 5), ',');
	/* Semicolons inside a quoted header do not count. */
	assert_int_equal(csv_import_delimiter("\"a;b;c\",d,e", 11), ',');
	assert_int_equal(csv_import_delimiter("", 0), ',');
}

static void test_encodings(void **state)
{
	struct arena *a = *state;
	size_t n;
	const char *enc;
	char *s = csv_import_to_utf8(a, "\xEF\xBB\xBFNi\xC3\xB1o", 8, &n, &enc);
	assert_string_equal(s, "Ni\xC3\xB1o");
	assert_string_equal(enc, "UTF-8 con BOM");
	s = csv_import_to_utf8(a, "Ni\xC3\xB1o", 5, &n, &enc);
	assert_string_equal(enc, "UTF-8");
	/* Windows-1252: ñ, é, € and a curly quote. */
	s = csv_import_to_utf8(a, "Ni\xF1o Jos\xE9 \x80 \x93", 13, &n, &enc);
	assert_string_equal(enc, "Windows-1252");
	assert_string_equal(s, "Ni\xC3\xB1o Jos\xC3\xA9 \xE2\x82\xAC \xE2\x80\x9C");
	assert_int_equal(n, strlen(s));
	/* NUL bytes: binary, not text. */
	assert_null(csv_import_to_utf8(a, "PK\x03\x04\x00\x00", 6, &n, &enc));
	/* A BOM followed by invalid UTF-8 is not trusted. */
	assert_null(csv_import_to_utf8(a, "\xEF\xBB\xBF\xF1", 4, &n, &enc));
}

static void test_dates(void **state)
{
	(void)state;
	char out[40];
	assert_int_equal(csv_import_date("15/11/2025 10:00", out, sizeof out), 0);
	assert_string_equal(out, "2025-11-15 10:00:00");
	assert_int_equal(csv_import_date("5/3/2025 9:05", out, sizeof out), 0);
	assert_string_equal(out, "2025-03-05 09:05:00");
	assert_int_equal(csv_import_date("15-11-2025 10:00", out, sizeof out), 0);
	assert_string_equal(out, "2025-11-15 10:00:00");
	assert_int_equal(csv_import_date("2025-11-15 10:00:30", out, sizeof out), 0);
	assert_string_equal(out, "2025-11-15 10:00:30");
	assert_int_equal(csv_import_date("2025-11-15T10:00", out, sizeof out), 0);
	assert_string_equal(out, "2025-11-15 10:00:00");
	assert_int_equal(csv_import_date("2025-11-15T15:00:00Z", out, sizeof out), 0);
	assert_string_equal(out, "2025-11-15T15:00:00+00:00");
	assert_int_equal(csv_import_date("2025-11-15T10:00:00.123-05:00", out, sizeof out), 0);
	assert_string_equal(out, "2025-11-15T10:00:00-05:00");
	assert_int_equal(csv_import_date("2025-11-15T10:00:00-0500", out, sizeof out), 0);
	assert_string_equal(out, "2025-11-15T10:00:00-05:00");
	assert_int_equal(csv_import_date("29/02/2024 10:00", out, sizeof out), 0);
	/* Refused: impossible dates, no time, other orders, junk. */
	assert_int_equal(csv_import_date("29/02/2025 10:00", out, sizeof out), -1);
	assert_int_equal(csv_import_date("31/04/2025 10:00", out, sizeof out), -1);
	assert_int_equal(csv_import_date("15/13/2025 10:00", out, sizeof out), -1);
	assert_int_equal(csv_import_date("15/11/2025 24:00", out, sizeof out), -1);
	assert_int_equal(csv_import_date("15/11/2025", out, sizeof out), -1);
	assert_int_equal(csv_import_date("15/11-2025 10:00", out, sizeof out), -1);
	assert_int_equal(csv_import_date("15/11/25 10:00", out, sizeof out), -1);
	assert_int_equal(csv_import_date("mañana", out, sizeof out), -1);
	assert_int_equal(csv_import_date("", out, sizeof out), -1);
	assert_int_equal(csv_import_date("2025-11-15 10:00 extra", out, sizeof out), -1);
	assert_int_equal(csv_import_date("15/11/2025 10:00Z", out, sizeof out), -1);
}

/* us since 2000-01-01 00:00 of the date given, from Unix seconds. */
#define PG_US(unix_s) (((int64_t)(unix_s) - 946684800) * 1000000)

static void test_appointment_as_microseconds(void **state)
{
	(void)state;
	int64_t us;
	bool off;
	/* A local time stays the wall clock: 2025-11-15 10:00:30 as if it were UTC. */
	assert_int_equal(csv_import_appointment_us("2025-11-15 10:00:30", &us, &off), 0);
	assert_false(off);
	assert_true(us == PG_US(1763200830));
	/* With an offset, the instant: 10:00-05:00 is 15:00 UTC, 10:00+05:30 is 04:30. */
	assert_int_equal(csv_import_appointment_us("2025-11-15T10:00:00-05:00", &us, &off), 0);
	assert_true(off);
	assert_true(us == PG_US(1763218800));
	assert_int_equal(csv_import_appointment_us("2025-11-15T10:00:00+05:30", &us, &off), 0);
	assert_true(us == PG_US(1763181000));
	/* PostgreSQL's epoch itself, a leap day, and a date before it (negative). */
	assert_int_equal(csv_import_appointment_us("2000-01-01 00:00:00", &us, &off), 0);
	assert_true(us == 0);
	assert_int_equal(csv_import_appointment_us("2024-02-29 23:59:59", &us, &off), 0);
	assert_true(us == PG_US(1709251199));
	assert_int_equal(csv_import_appointment_us("1999-12-31 23:59:59", &us, &off), 0);
	assert_true(us == -1000000);
	/* Every date csv_import_date writes reads back. */
	char out[40];
	assert_int_equal(csv_import_date("15/01/2030 10:00", out, sizeof out), 0);
	assert_int_equal(csv_import_appointment_us(out, &us, &off), 0);
	assert_true(us == PG_US(1894701600) && !off);
	assert_int_equal(csv_import_date("2030-01-20T09:00:00Z", out, sizeof out), 0);
	assert_int_equal(csv_import_appointment_us(out, &us, &off), 0);
	assert_true(us == PG_US(1895130000) && off);
	/* Anything else is refused: the file's own forms, impossible dates, bad offsets. */
	const char *bad[] = { "15/11/2025 10:00", "2025-11-15 10:00", "2025-11-15T10:00:00",
		"2025-11-15T10:00:00Z", "2025-11-15 10:00:00-05:00", "2025-02-29 10:00:00",
		"2025-11-15 24:00:00", "2025-11-15T10:00:00-15:00", "2025-11-15T10:00:00+05:60",
		"2025-11-15T10:00:00*05:00", "2025-11-15T10:00:00-05-00", "2025/11/15 10:00:00",
		"2025-1a-15 10:00:00", "2025-11-15 10:00:00 ", "", "1899-12-31 10:00:00" };
	for (size_t i = 0; i < nitems(bad); i++)
		assert_int_equal(csv_import_appointment_us(bad[i], &us, &off), -1);
}

static void test_consent_words(void **state)
{
	(void)state;
	const char *yes[] = { "sí", "Sí", "SI", "si", "yes", "x", "X", "1", "true", "Verdadero" };
	for (size_t i = 0; i < nitems(yes); i++)
		assert_int_equal(csv_import_consent(yes[i]), 1);
	const char *no[] = { "", "no", "NO", "0", "false", "falso" };
	for (size_t i = 0; i < nitems(no); i++)
		assert_int_equal(csv_import_consent(no[i]), 0);
	assert_int_equal(csv_import_consent("quizás"), -1);
}

static void test_semicolon_bom_crlf_quoted_newline(void **state)
{
	struct arena *a = *state;
	struct csv_import r;
	assert_int_equal(PARSE(a, "\xEF\xBB\xBF" "Teléfono;NOMBRE;Fecha;Consentimiento;Cédula\r\n"
			      "0987654321;\"Juan\r\nPérez\";15/11/2025 10:00;sí;123\r\n"
			      "\r\n"
			      "0987654322;María;16/11/2025 11:00;no;456\r\n", &r), 0);
	assert_int_equal(r.delimiter, ';');
	assert_string_equal(r.encoding, "UTF-8 con BOM");
	assert_int_equal(r.nignored, 1);
	assert_string_equal(r.ignored[0], "Cédula");
	assert_int_equal(r.nrows, 2);
	assert_int_equal(r.accepted, 2);
	assert_int_equal(r.rows[0].line, 2);
	assert_string_equal(r.rows[0].name, "Juan Pérez");
	assert_string_equal(r.rows[0].phone, "+593987654321");
	assert_true(r.rows[0].consent);
	assert_string_equal(r.rows[0].channel, "SMS");
	assert_string_equal(r.rows[0].language, "es");
	/* The quoted newline and the blank line both count as lines. */
	assert_int_equal(r.rows[1].line, 5);
	assert_false(r.rows[1].consent);
}

static void test_windows_1252_names_kept(void **state)
{
	struct arena *a = *state;
	struct csv_import r;
	assert_int_equal(PARSE(a, "nombre;tel\xE9" "fono;fecha\r\n"
			      "Jos\xE9 Nu\xF1" "ez;0987654321;01/12/2025 08:30\r\n", &r), 0);
	assert_string_equal(r.encoding, "Windows-1252");
	assert_int_equal(r.accepted, 1);
	assert_string_equal(r.rows[0].name, "Jos\xC3\xA9 Nu\xC3\xB1" "ez");
}

static void test_refusals_with_reasons(void **state)
{
	struct arena *a = *state;
	struct csv_import r;
	assert_int_equal(PARSE(a, "name,phone,email,date,consent,channel,language\n"
			      ",0987654321,,15/11/2025 10:00,yes,,\n"              /* 2 no name */
			      "Ana,12,,15/11/2025 10:00,yes,,\n"                    /* 3 bad phone */
			      "Ana,0987654321,,31/11/2025 10:00,yes,,\n"            /* 4 bad date */
			      "Ana,0987654321,,,yes,,\n"                            /* 5 no date */
			      "Ana,0987654321,,15/11/2025 10:00,quizás,,\n"         /* 6 consent */
			      "Ana,022345678,,15/11/2025 10:00,yes,sms,\n"          /* 7 landline */
			      "Ana,,ana@,15/11/2025 10:00,yes,,\n"                  /* 8 bad email */
			      "Ana,,,15/11/2025 10:00,yes,,\n"                      /* 9 no contact */
			      "Ana,0987654321,,15/11/2025 10:00,yes,fax,\n"         /* 10 channel */
			      "Ana,0987654321,,15/11/2025 10:00,yes,,klingon\n"     /* 11 language */
			      "Ana,,ana@example.ec,15/11/2025 10:00,yes,whatsapp,\n"/* 12 no phone */
			      "Ana,022345678,ana@example.ec,15/11/2025 10:00,1,,en\n", &r), 0);
	assert_int_equal(r.nrows, 12);
	assert_int_equal(r.refused, 11);
	assert_int_equal(r.accepted, 1);
	const char *has[] = { "nombre", "Teléfono «12»", "Fecha «31/11/2025 10:00»",
			      "Falta la fecha", "Consentimiento", "móvil", "Correo «ana@»",
			      "teléfono y el correo", "Canal «fax»", "Idioma «klingon»",
			      "falta el teléfono" };
	for (size_t i = 0; i < 11; i++) {
		assert_int_equal(r.rows[i].line, (long)i + 2);
		assert_int_equal(r.rows[i].status, CSV_ROW_REFUSED);
		assert_non_null(strstr(r.rows[i].reason, has[i]));
		/* Refused after its name was read, a row keeps it for the report. */
		if (i > 0)
			assert_string_equal(r.rows[i].name, "Ana");
	}
	/* A landline with an email falls back to the email channel. */
	assert_string_equal(r.rows[11].channel, "EMAIL");
	assert_string_equal(r.rows[11].email, "ana@example.ec");
	assert_string_equal(r.rows[11].language, "en");
}

static void test_duplicates_in_file(void **state)
{
	struct arena *a = *state;
	struct csv_import r;
	assert_int_equal(PARSE(a, "nombre,telefono,fecha\n"
			      "A,0987654321,15/11/2025 10:00\n"
			      "B,0987654322,15/11/2025 10:00\n"
			      "A otra vez,+593 98 765 4321,2025-11-15 10:00\n"
			      "A, 0987654321 ,15/11/2025 11:00\n"
			      "B,0987654322,15-11-2025 10:00\n"
			      "A,0987654321,15/11/2025 10:00\n", &r), 0);
	assert_int_equal(r.accepted, 3);
	assert_int_equal(r.duplicates, 3);
	assert_int_equal(r.rows[2].status, CSV_ROW_DUPLICATE);
	assert_int_equal(r.rows[2].duplicate_of, 2);
	assert_int_equal(r.rows[4].duplicate_of, 3);
	assert_int_equal(r.rows[5].duplicate_of, 2);
	assert_non_null(strstr(r.rows[5].reason, "línea 2"));
	assert_int_equal(r.rows[3].status, CSV_ROW_ACCEPTED);
}

static void test_missing_and_extra_columns(void **state)
{
	struct arena *a = *state;
	struct csv_import r;
	/* Short rows read the missing values as empty; long rows' extras are ignored. */
	assert_int_equal(PARSE(a, "nombre,telefono,fecha,tipo\n"
			      "A,0987654321,15/11/2025 10:00\n"
			      "B,0987654322,15/11/2025 10:00,Control,x,y,z\n", &r), 0);
	assert_int_equal(r.accepted, 2);
	assert_null(r.rows[0].appointment_type);
	assert_string_equal(r.rows[1].appointment_type, "Control");
}

static void test_file_refusals(void **state)
{
	struct arena *a = *state;
	struct csv_import r;
	assert_int_equal(PARSE(a, "", &r), -1);
	assert_non_null(strstr(r.error, "vacío"));
	assert_int_equal(PARSE(a, "\n\r\n\n", &r), -1);
	assert_int_equal(PARSE(a, "%PDF-1.4\x00\x01", &r), -1);
	assert_non_null(strstr(r.error, "no es un CSV"));
	assert_int_equal(PARSE(a, "telefono,fecha\n0987654321,15/11/2025 10:00\n", &r), -1);
	assert_non_null(strstr(r.error, "nombre"));
	assert_int_equal(PARSE(a, "nombre,fecha\nA,15/11/2025 10:00\n", &r), -1);
	assert_non_null(strstr(r.error, "teléfono"));
	assert_int_equal(PARSE(a, "nombre,telefono\nA,0987654321\n", &r), -1);
	assert_non_null(strstr(r.error, "fecha"));
	/* Only a header: read, nothing to import. */
	assert_int_equal(PARSE(a, "nombre,telefono,fecha\n", &r), 0);
	assert_int_equal(r.nrows, 0);
}

static void test_unterminated_quote_is_one_row(void **state)
{
	struct arena *a = *state;
	struct csv_import r;
	assert_int_equal(PARSE(a, "nombre,telefono,fecha\n\"A,0987654321,15/11/2025 10:00\n", &r),
			 0);
	assert_int_equal(r.nrows, 1);
	assert_int_equal(r.rows[0].status, CSV_ROW_REFUSED);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_headers_spanish_english_any_case),
		T(test_delimiter_outside_quotes),
		T(test_encodings),
		T(test_dates),
		T(test_appointment_as_microseconds),
		T(test_consent_words),
		T(test_semicolon_bom_crlf_quoted_newline),
		T(test_windows_1252_names_kept),
		T(test_refusals_with_reasons),
		T(test_duplicates_in_file),
		T(test_missing_and_extra_columns),
		T(test_file_refusals),
		T(test_unterminated_quote_is_one_row),
	};
#undef T
	return cmocka_run_group_tests_name("csv_import", tests, NULL, NULL);
}
