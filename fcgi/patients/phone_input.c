/* phone_input.c: phones as staff type or import them, to E.164, through the core
 * libphonenumber shim (core/phone.h), in the shape csv_import's callback takes. */
#include "patients/patients.h"

#include <stdio.h>
#include <string.h>

#include "core/phone.h"

int patients_phone(const char *in, char *out, size_t n, bool *mobile, const char **reason)
{
	struct phone ph;
	if (phone_normalize(in, strlen(in), &ph, reason))
		return -1;
	if ((size_t)snprintf(out, n, "%s", ph.e164) >= n) {
		*reason = "El número es demasiado largo.";
		return -1;
	}
	*mobile = ph.mobile;
	return 0;
}
