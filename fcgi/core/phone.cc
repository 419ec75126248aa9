// phone.cc: the C++ side of phone.h. Only this file knows libphonenumber's types.
#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>

#include <cstdio>
#include <cstring>
#include <string>

#include "phone.h"

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

namespace {

const char *const DEFAULT_REGION = "EC";

// What may appear besides digits: the separators people write, and one leading '+'.
bool is_separator(char c)
{
	return c == ' ' || c == '\t' || c == '(' || c == ')' || c == '-' || c == '.' || c == '/';
}

// Refuses what libphonenumber would otherwise guess at: letters (it reads vanity numbers
// such as 1-800-FLOWERS), symbols, a '+' after the first digit. NULL when the text may be
// parsed.
const char *precheck(const char *s, size_t len)
{
	if (len > PHONE_MAX_INPUT)
		return "El número es demasiado largo.";
	size_t digits = 0, pluses = 0;
	bool letters = false, other = false, late_plus = false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = static_cast<unsigned char>(s[i]);
		if (c >= '0' && c <= '9') {
			digits++;
		} else if (c == '+') {
			// "(+593) 98…" is fine; "593+98…" and "++593…" are not.
			late_plus = late_plus || digits > 0 || pluses > 0;
			pluses++;
		} else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
			letters = true;
		} else if (!is_separator(static_cast<char>(c))) {
			other = true;
		}
	}
	if (letters)
		return "El número tiene letras: escriba solo dígitos.";
	if (other)
		return "El número tiene caracteres que no son dígitos, espacios, guiones ni paréntesis.";
	if (digits == 0)
		return "Falta el número de teléfono.";
	if (late_plus)
		return "El signo + solo puede ir al comienzo, antes del código del país.";
	return nullptr;
}

bool typed_country_code(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '+')
			return true;
		if (s[i] >= '0' && s[i] <= '9')
			return len - i >= 2 && s[i] == '0' && s[i + 1] == '0';   // "00" prefix
	}
	return false;
}

const char *parse_error_reason(PhoneNumberUtil::ErrorType e)
{
	switch (e) {
	case PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR:
		return "El código de país no existe.";
	case PhoneNumberUtil::TOO_SHORT_AFTER_IDD:
	case PhoneNumberUtil::TOO_SHORT_NSN:
		return "El número es demasiado corto.";
	case PhoneNumberUtil::TOO_LONG_NSN:
		return "El número es demasiado largo.";
	default:
		return "No parece un número de teléfono.";
	}
}

// Why a parsed number is not valid. Numbers of Ecuador say so; one read as Ecuadorian only
// because it had no country code (hint) says how to write a foreign one, since that is
// how a foreign number typed without its '+' ends up here.
const char *invalid_reason(const PhoneNumberUtil *u, const PhoneNumber &n, bool ecuador, bool hint)
{
	switch (u->IsPossibleNumberWithReason(n)) {
	case PhoneNumberUtil::INVALID_COUNTRY_CODE:
		return "El código de país no existe.";
	case PhoneNumberUtil::TOO_SHORT:
		return ecuador ? "Al número le faltan dígitos: un celular de Ecuador tiene 10 "
				 "(09 y 8 más)."
			       : "Al número le faltan dígitos.";
	case PhoneNumberUtil::TOO_LONG:
		return hint ? "El número tiene dígitos de más para Ecuador. Si es de otro país, "
			      "escríbalo con + y el código del país."
			    : "El número tiene dígitos de más.";
	case PhoneNumberUtil::INVALID_LENGTH:
		return hint ? "El número no tiene la cantidad de dígitos de un número de Ecuador. "
			      "Si es de otro país, escríbalo con + y el código del país."
		       : ecuador ? "El número no tiene la cantidad de dígitos de un número de Ecuador."
				 : "El número no tiene la cantidad de dígitos de un número de su país.";
	default:
		return hint ? "El número no existe en el plan de numeración de Ecuador. Si es de "
			      "otro país, escríbalo con + y el código del país."
		       : ecuador ? "El número no existe en el plan de numeración de Ecuador."
				 : "El número no existe en el plan de numeración de su país.";
	}
}

enum phone_kind kind_of(PhoneNumberUtil::PhoneNumberType t)
{
	switch (t) {
	case PhoneNumberUtil::MOBILE:
		return PHONE_MOBILE;
	case PhoneNumberUtil::FIXED_LINE:
		return PHONE_FIXED;
	case PhoneNumberUtil::FIXED_LINE_OR_MOBILE:
		return PHONE_FIXED_OR_MOBILE;
	default:
		return PHONE_OTHER;
	}
}

// The shape most imported numbers have: a mobile of Ecuador as it is dialled at home, "09"
// and eight more digits, nothing else. For it Parse (most of a CSV import's parse time,
// through its regular expressions) only strips the national prefix 0 and takes the other
// nine digits as Ecuador's national number: this builds that number without it. Whether
// the number exists, and of what type, is still libphonenumber's answer (GetNumberType
// below). test_phone.c compares the result with Parse's for numbers of every prefix.
bool ecuador_mobile_shape(const PhoneNumberUtil *u, const char *s, size_t len, PhoneNumber *n)
{
	if (len != 10 || s[0] != '0' || s[1] != '9')
		return false;
	google::protobuf::uint64 national = 0;
	for (size_t i = 1; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		national = national * 10 + static_cast<google::protobuf::uint64>(s[i] - '0');
	}
	n->set_country_code(u->GetCountryCodeForRegion(DEFAULT_REGION));
	n->set_national_number(national);
	return true;
}

int normalize(const char *input, size_t len, struct phone *out, const char **reason,
	      bool shortcut)
{
	if ((*reason = precheck(input, len)))
		return -1;
	const PhoneNumberUtil *u = PhoneNumberUtil::GetInstance();
	PhoneNumber n;
	if (!shortcut || !ecuador_mobile_shape(u, input, len, &n)) {
		PhoneNumberUtil::ErrorType e = u->Parse(std::string(input, len), DEFAULT_REGION, &n);
		if (e != PhoneNumberUtil::NO_PARSING_ERROR) {
			*reason = parse_error_reason(e);
			return -1;
		}
	}
	// GetNumberType is IsValidNumber's own test (the number's type in its region's plan,
	// UNKNOWN when none): asked once, it answers both. libphonenumber's regular
	// expressions are nine tenths of a CSV import's parse time.
	PhoneNumberUtil::PhoneNumberType type = u->GetNumberType(n);
	if (type == PhoneNumberUtil::UNKNOWN) {
		bool ecuador = n.country_code() == u->GetCountryCodeForRegion(DEFAULT_REGION);
		*reason = invalid_reason(u, n, ecuador, ecuador && !typed_country_code(input, len));
		return -1;
	}
	// Only E.164 is formatted: the other formats go through the plan's regular
	// expressions (INTERNATIONAL alone was two thirds of a number's time), and nothing
	// stores or shows them.
	std::string e164, region;
	u->Format(n, PhoneNumberUtil::E164, &e164);
	u->GetRegionCodeForNumber(n, &region);
	// E.164 allows 15 digits; a few plans (Germany) let libphonenumber accept more,
	// which nothing downstream (providers, the schema's CHECKs) would take.
	if (e164.size() > 16) {
		*reason = "El número es demasiado largo.";
		return -1;
	}
	// And at least 7 digits, as the schema's CHECKs want: libphonenumber takes some short
	// codes (+98 9601, four digits, in Iran) for whole numbers.
	if (e164.size() < 8) {
		*reason = "El número es demasiado corto.";
		return -1;
	}
	std::snprintf(out->e164, sizeof out->e164, "%s", e164.c_str());
	std::snprintf(out->region, sizeof out->region, "%s",
		      region.size() == 2 ? region.c_str() : "");
	out->kind = kind_of(type);
	out->mobile = out->kind == PHONE_MOBILE || out->kind == PHONE_FIXED_OR_MOBILE;
	return 0;
}

int guarded(const char *input, size_t len, struct phone *out, const char **reason,
	    bool shortcut)
{
	std::memset(out, 0, sizeof *out);
	const char *unused;
	if (!reason)
		reason = &unused;
	*reason = nullptr;
	try {
		return normalize(input, len, out, reason, shortcut);
	} catch (...) {
		// Only allocation can throw here; the caller shows the reason, nothing is stored.
		*reason = "No se pudo leer el número.";
		return -1;
	}
}

}  // namespace

extern "C" int phone_normalize(const char *input, size_t len, struct phone *out,
			       const char **reason)
{
	return guarded(input, len, out, reason, true);
}

extern "C" int phone_normalize_parsed(const char *input, size_t len, struct phone *out,
				      const char **reason)
{
	return guarded(input, len, out, reason, false);
}
