/* phone_input.c: phone numbers as staff type them, to E.164.
 *
 * A stop-gap with the rules of issue 6 for Ecuador (0987654321, 987654321, 593987654321,
 * +593 98 765 4321, (09) 8765-4321 → +593987654321; landlines 02-07 + 7 digits) and
 * other countries by their + prefix. The core phone shim over libphonenumber (branch
 * core-msg) replaces the body of patients_phone once it lands. */
#include "patients/patients.h"

#include <stdio.h>
#include <string.h>

int patients_phone(const char *in, char *out, size_t n, bool *mobile, const char **reason)
{
	char d[24];
	size_t k = 0;
	bool plus = false;
	for (const char *p = in; *p; p++) {
		if (*p >= '0' && *p <= '9') {
			if (k + 1 >= sizeof d) {
				*reason = "demasiados dígitos";
				return -1;
			}
			d[k++] = *p;
		} else if (*p == '+' && k == 0 && !plus) {
			plus = true;
		} else if (!strchr(" -.()/", *p)) {
			*reason = "contiene caracteres que no son dígitos";
			return -1;
		}
	}
	d[k] = '\0';
	const char *national = NULL;
	if (!plus && k == 10 && d[0] == '0')
		national = d + 1;                      /* 0987654321, 022345678 + 1 */
	else if (!plus && k == 9 && d[0] == '0')
		national = d + 1;                      /* 02 234 5678: landline */
	else if (!plus && k == 9 && d[0] == '9')
		national = d;                          /* 987654321 */
	else if ((!plus && k == 12 && strncmp(d, "593", 3) == 0) ||
		 (plus && strncmp(d, "593", 3) == 0))
		national = d + 3;
	else if (!plus && k > 4 && strncmp(d, "00", 2) == 0) {
		memmove(d, d + 2, k - 1);               /* 00 + country code */
		k -= 2;
		plus = true;
	}
	if (national) {
		size_t len = strlen(national);
		if (len == 9 && national[0] == '9')
			*mobile = true;
		else if (len == 8 && national[0] >= '2' && national[0] <= '7')
			*mobile = false;
		else {
			*reason = "no es un número de Ecuador válido (móvil 09XXXXXXXX o fijo 0XXXXXXXX)";
			return -1;
		}
		snprintf(out, n, "+593%s", national);
		return 0;
	}
	if (!plus) {
		*reason = "no es un número de Ecuador; los de otros países llevan el prefijo +";
		return -1;
	}
	if (k < 8 || k > 15 || d[0] == '0') {
		*reason = "no es un número internacional válido";
		return -1;
	}
	*mobile = true;   /* other countries: the provider decides */
	if ((size_t)snprintf(out, n, "+%s", d) >= n) {
		*reason = "demasiado largo";
		return -1;
	}
	return 0;
}
