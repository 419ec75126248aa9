/* msgtpl.h: message templates, the text staff write for SMS, WhatsApp and email.
 *
 * A template is plain text with variables written {{name}} (spaces inside the braces are
 * allowed: {{ name }}). Only the fixed set below exists; the names are case-sensitive.
 * msgtpl_check is what a save runs: it refuses an unknown or misspelled name, an
 * unterminated "{{", a stray "}}", invalid UTF-8 and empty or oversized text, with a
 * Spanish message naming the culprit, and lists the variables used (the templates'
 * `variables` column is derived from it, never typed). msgtpl_render is the one function
 * that turns a template into a message, for the editor's preview and for the sender.
 *
 * The renderer is a strict single pass of our own rather than ctemplate: ctemplate gives
 * meaning to "{{#", "{{>", "{{!", "{{%" and ":modifiers" that staff text must not reach,
 * and escapes for HTML, which a message must not be. A value is inserted as it is and
 * never expanded again, so a patient called "{{reviewLink}}" stays literal. */
#ifndef RM_MSGTPL_H
#define RM_MSGTPL_H

#include <stdbool.h>
#include <stddef.h>

struct arena;

enum msgtpl_var {
	MSGTPL_NAME,              /* the patient's name */
	MSGTPL_DOCTOR,            /* the user who created the campaign */
	MSGTPL_PRACTICE,          /* the practice's name */
	MSGTPL_APPOINTMENT_TYPE,  /* "Limpieza dental" */
	MSGTPL_DATE,              /* date_es(): "lunes 15 de noviembre, 10:00" */
	MSGTPL_REVIEW_LINK,       /* the public review link */
	MSGTPL_FEEDBACK_LINK,     /* the private feedback form */
	MSGTPL_NVARS
};

/* Longest template accepted, in characters (the templates.content CHECK says the same). */
#define MSGTPL_MAX_CHARS 4096

/* The name as written between the braces: msgtpl_var_name(MSGTPL_REVIEW_LINK) is
 * "reviewLink". */
const char *msgtpl_var_name(enum msgtpl_var v);
/* The variable spelled exactly name (len bytes); false when there is none. */
bool msgtpl_var_lookup(const char *name, size_t len, enum msgtpl_var *out);

struct msgtpl_check {
	/* Variables used, in order of first appearance, each once. */
	enum msgtpl_var used[MSGTPL_NVARS];
	size_t nused;
	/* On refusal: a Spanish sentence for the form, the name as written when a variable
	 * was the problem (NULL otherwise), and the byte offset where the problem starts. */
	const char *error;
	const char *bad_name;
	size_t offset;
};

/* Checks len bytes of text. 0 when it may be saved (out->used filled), -1 when refused
 * (out->error set; strings from a). Never logs: refusals are the user's, not ours. */
int msgtpl_check(struct arena *a, const char *text, size_t len, struct msgtpl_check *out);
/* True when the check found v in the text. */
bool msgtpl_uses(const struct msgtpl_check *chk, enum msgtpl_var v);
/* The variables as a PostgreSQL array literal for templates.variables: "{name,practice}". */
char *msgtpl_vars_array(struct arena *a, const struct msgtpl_check *chk);

/* One value per variable; NULL is rendered as the empty string. */
struct msgtpl_values {
	const char *v[MSGTPL_NVARS];
};

/* The message: text with each variable replaced by its value, as plain text (no
 * escaping). NULL when text does not pass msgtpl_check (logged: a stored template
 * always passes, so this is a bug or a hand-edited row). *len_out, when not NULL,
 * receives the length. */
char *msgtpl_render(struct arena *a, const char *text, size_t len,
		    const struct msgtpl_values *values, size_t *len_out);

/* The value of each variable occurrence, in order: the body parameters of an approved
 * WhatsApp template, whose text numbers them {{1}}, {{2}}… where ours names them. A
 * variable used twice gives its value twice. 0 with *params (arena; NULL when *n is 0),
 * or -1 (logged) when text does not pass msgtpl_check. */
int msgtpl_params(struct arena *a, const char *text, size_t len,
		  const struct msgtpl_values *values, const char ***params, size_t *n);

#endif
