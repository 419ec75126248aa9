/* utf8.h: UTF-8 validation for input text.
 *
 * Strict RFC 3629: no overlong forms, no surrogates (U+D800..DFFF), nothing above
 * U+10FFFF, no truncated sequences. NUL bytes are rejected too: no text the product
 * stores may hold one. Control characters other than TAB, LF and CR are rejected by
 * utf8_text_ok, which is what form validators use for free text. */
#ifndef RM_UTF8_H
#define RM_UTF8_H

#include <stdbool.h>
#include <stddef.h>

bool utf8_valid(const char *s, size_t len);     /* well-formed, no NUL */
bool utf8_text_ok(const char *s, size_t len);   /* valid and no C0/DEL except \t \n \r */
/* Length (1..4) of the well-formed sequence at p, of which n bytes are present; 0 when
 * it is ill-formed, truncated, or a NUL (no stored text may hold one). For scanners
 * that track their own state byte by byte, such as the JSON checker. */
size_t utf8_seq_len(const unsigned char *p, size_t n);
size_t utf8_length(const char *s, size_t len);  /* code points; input must be valid */

#endif
