/* csv_out.h: writing CSV for downloads (exports, the data-portability right).
 *
 * RFC 4180: fields separated by commas, rows ended by CRLF, a field quoted when it holds
 * a comma, quote, CR or LF, quotes doubled. Cells that a spreadsheet would run as a
 * formula (starting with = + - @, TAB or CR, except signed numbers such as E.164
 * phones) get a leading apostrophe, so an export opened in Excel cannot execute what a
 * patient typed (CSV injection). */
#ifndef RM_CSV_OUT_H
#define RM_CSV_OUT_H

#include <stddef.h>

struct buf;

/* Appends one field; first says whether it starts the row (no comma before it). */
void csv_out_field(struct buf *out, const char *value, int first);
/* Appends a whole row of n fields (NULL is an empty field) and the CRLF. */
void csv_out_row(struct buf *out, const char *const *fields, size_t n);

#endif
