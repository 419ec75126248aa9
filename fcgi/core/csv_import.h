/* csv_import.h: the pure core of the patients CSV import (no database, no I/O).
 *
 * Takes a whole uploaded file and returns one record per data row, each either accepted
 * (every value normalised) or refused with a Spanish reason, plus what the file looked
 * like: delimiter, encoding, the columns that were ignored.
 *
 * What it accepts (issue 6):
 * - headers in Spanish or English, any order and case, accents optional (nombre,
 *   teléfono/celular/móvil, correo/email, fecha/fecha de cita/hora, tipo/tipo de cita,
 *   consentimiento, canal, idioma); unknown and repeated columns are ignored and listed;
 * - ',' or ';' as the delimiter, detected from the header line (outside quotes);
 * - UTF-8 with or without BOM; anything that is not valid UTF-8 is read as
 *   Windows-1252 (what Excel writes in Spanish locales) and converted;
 * - CRLF or LF line ends, quoted fields with newlines, blank lines skipped;
 * - dates dd/mm/yyyy HH:MM, dd-mm-yyyy HH:MM, yyyy-mm-dd HH:MM (seconds optional) and
 *   ISO 8601 (T, optional seconds, optional Z or ±hh:mm). Dates without an offset are
 *   local times of the practice: they come out as "YYYY-MM-DD HH:MM:SS" and the database
 *   reads them in the practice's timezone; dates with an offset come out as
 *   "YYYY-MM-DDTHH:MM:SS+hh:mm";
 * - consent sí/si/yes/x/1/true/verdadero (and no/0/false/falso/empty for no).
 * A row's line is the physical line where it starts (the header is line 1), so a
 * quoted newline does not shift the numbers the user sees.
 *
 * Phones are normalised by a callback (the core phone shim in the program, a stub in
 * tests), so this module stays free of libphonenumber. */
#ifndef RM_CSV_IMPORT_H
#define RM_CSV_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;

/* Largest file the parser accepts; the route's upload limit refuses bigger ones first. */
#define CSV_IMPORT_MAX_BYTES (10u * 1024 * 1024)
#define CSV_IMPORT_MAX_ROWS 100000
#define CSV_IMPORT_MAX_FIELD 1000   /* characters in one value */

enum csv_import_col {
	CSV_COL_NAME, CSV_COL_PHONE, CSV_COL_EMAIL, CSV_COL_TIME, CSV_COL_TYPE,
	CSV_COL_CONSENT, CSV_COL_CHANNEL, CSV_COL_LANGUAGE, CSV_COL_COUNT
};

/* Normalises a phone number to E.164 into out (size n). Returns 0 and sets *mobile, or
 * -1 with a Spanish *reason. */
typedef int (*csv_import_phone_fn)(const char *in, char *out, size_t n, bool *mobile,
				   const char **reason);

enum csv_import_status {
	CSV_ROW_ACCEPTED,
	CSV_ROW_REFUSED,        /* reason says why */
	CSV_ROW_DUPLICATE,      /* same phone (or email) and appointment as an earlier row */
};

struct csv_import_row {
	long line;                   /* physical line where the row starts */
	enum csv_import_status status;
	const char *reason;          /* refused or duplicate: Spanish, for the report */
	long duplicate_of;           /* the earlier row's line, for duplicates */
	/* Normalised values (NULL when absent); set for accepted and duplicate rows. */
	const char *name;
	const char *phone;           /* E.164 */
	const char *email;           /* lowercase */
	const char *appointment;     /* see above: local time, or ISO with an offset */
	const char *appointment_type;
	bool consent;
	const char *channel;         /* "SMS", "WHATSAPP" or "EMAIL" */
	const char *language;        /* "es", "en", "es-EC"… */
};

struct csv_import {
	char delimiter;              /* ',' or ';' */
	const char *encoding;        /* "UTF-8", "UTF-8 con BOM" or "Windows-1252" */
	int columns[CSV_COL_COUNT];  /* index in the file, or -1 */
	const char **ignored;        /* header names of ignored columns, as written */
	size_t nignored;
	struct csv_import_row *rows;
	size_t nrows;
	size_t accepted, refused, duplicates;
	const char *error;           /* the whole file refused (Spanish), or NULL */
};

/* Parses data (len bytes) into out, everything in the arena. Returns 0 when the file
 * was read (rows may still be refused one by one), -1 when the file as a whole is refused:
 * out->error says why (not a CSV, no header, missing required columns, too many rows). */
int csv_import_parse(struct arena *a, const char *data, size_t len,
		     csv_import_phone_fn phone, struct csv_import *out);

/* The single steps, exposed for tests. */
/* Which column a header names (accents, case, spaces and '_' ignored), or -1. */
int csv_import_header_col(const char *header);
/* ',' or ';': whichever appears more often outside quotes in the first line. */
char csv_import_delimiter(const char *data, size_t len);
/* Returns data as UTF-8 (BOM removed; Windows-1252 converted when not valid UTF-8) and
 * sets *encoding; NULL when the bytes cannot be text (NUL bytes). */
char *csv_import_to_utf8(struct arena *a, const char *data, size_t len, size_t *out_len,
			 const char **encoding);
/* Parses a date in the accepted formats into out (size >= 32). 0 or -1. */
int csv_import_date(const char *s, char *out, size_t n);
/* 1 yes, 0 no (including empty), -1 not understood. */
int csv_import_consent(const char *s);
/* An appointment as csv_import_date writes it, as microseconds since 2000-01-01 00:00
 * (PostgreSQL's epoch, for a binary timestamp or timestamptz): without an offset the
 * wall-clock time (*has_offset false; the practice's timezone is the database's to
 * apply), with one the UTC instant (*has_offset true). 0, or -1 when s is not in either
 * form. */
int csv_import_appointment_us(const char *s, int64_t *us, bool *has_offset);

#endif
