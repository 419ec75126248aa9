/* practice_checks.h: the shapes of a practice's fields that the core's field kinds do not
 * know. Pure functions over NUL-terminated strings (unit-tested on their own). */
#ifndef RM_CAMPAIGNS_PRACTICE_CHECKS_H
#define RM_CAMPAIGNS_PRACTICE_CHECKS_H

#include <stdbool.h>

/* A Google Place ID: 16 to 512 characters of A-Z a-z 0-9 '_' '-' (they are base64url
 * text, "ChIJN1t_tDeuEmsRUsoyG83frY4"); nothing that could break out of the review link's
 * query string. */
bool practice_place_id_ok(const char *s);
/* "HH:MM" from 00:00 to 23:59 (what <input type="time"> sends), nothing else. */
bool practice_hhmm_ok(const char *s);
/* ISO 3166-1 alpha-2 as stored: two ASCII capitals. */
bool practice_country_ok(const char *s);

#endif
