/* channel_email.c: email through SMTP with libcurl (smtp:// or smtps://; STARTTLS when
 * the server offers it; AUTH when SMTP_USER is set).
 *
 * The message is RFC 5322 in UTF-8: the Subject as RFC 2047 encoded words, Date,
 * a Message-ID made from the message's id (so it is also the external_id), a
 * List-Unsubscribe header with the patient's /u/<token> link (and RFC 8058 one-click),
 * and a plain-text body in base64, which keeps every line short whatever the text. */
#include "channel.h"
#include "arena.h"
#include "config.h"
#include "crypto.h"
#include "utf8.h"

#include <string.h>
#include <time.h>

/* Header values come from the database and the environment: none may break a line. */
static int header_safe(const char *s)
{
	return s && !strpbrk(s, "\r\n");
}

/* The bare address of "Name <addr>" or "addr". */
static const char *bare_address(const char *from, struct arena *a)
{
	const char *lt = strrchr(from, '<'), *gt = lt ? strchr(lt, '>') : NULL;
	return gt ? arena_strndup(a, lt + 1, (size_t)(gt - lt - 1)) : from;
}

static const char *domain_of(const char *addr)
{
	const char *at = strrchr(addr, '@');
	return at && at[1] ? at + 1 : "localhost";
}

/* RFC 2047 "B" encoded words, each at most 75 characters, folded onto new lines; a word
 * never splits a UTF-8 sequence. 42 input bytes give 56 base64 characters, so even the
 * first line, after "Subject: ", stays within 78. */
static void add_encoded_subject(struct buf *out, const char *s)
{
	size_t len = strlen(s), i = 0;
	buf_adds(out, "Subject:");
	if (len == 0)
		buf_adds(out, " ");
	while (i < len) {
		size_t n = 0;
		while (i + n < len) {
			size_t k = utf8_seq_len((const unsigned char *)s + i + n, len - i - n);
			size_t step = k ? k : 1;
			if (n + step > 42)
				break;
			n += step;
		}
		if (i)
			buf_adds(out, "\r\n");
		buf_adds(out, " =?UTF-8?B?");
		crypto_base64(out, (const unsigned char *)s + i, n);
		buf_adds(out, "?=");
		i += n;
	}
	buf_adds(out, "\r\n");
}

void channel_email_build(struct buf *out, const char *from, const char *to,
			 const char *subject, const char *body, const char *message_id,
			 const char *unsubscribe_url, long long unix_time)
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	time_t t = (time_t)unix_time;
	struct tm tm;
	gmtime_r(&t, &tm);
	buf_printf(out, "From: %s\r\nTo: <%s>\r\n", from, to);
	add_encoded_subject(out, subject);
	buf_printf(out, "Date: %s, %02d %s %04d %02d:%02d:%02d +0000\r\n", days[tm.tm_wday],
		   tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
		   tm.tm_sec);
	buf_printf(out, "Message-ID: %s\r\n", message_id);
	if (unsubscribe_url) {
		buf_printf(out, "List-Unsubscribe: <%s>\r\n", unsubscribe_url);
		buf_adds(out, "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n");
	}
	buf_adds(out, "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
		      "Content-Transfer-Encoding: base64\r\n\r\n");
	struct buf b64 = BUF_INIT;
	crypto_base64(&b64, (const unsigned char *)body, strlen(body));
	for (size_t i = 0; i < b64.len; i += 76) {
		buf_add(out, b64.buf + i, b64.len - i < 76 ? b64.len - i : 76);
		buf_adds(out, "\r\n");
	}
	buf_release(&b64);
}

static size_t on_read(char *dst, size_t size, size_t n, void *arg)
{
	struct channel_xfer *x = arg;
	size_t left = x->request.len - x->sent, take = size * n < left ? size * n : left;
	memcpy(dst, x->request.buf + x->sent, take);
	x->sent += take;
	return take;
}

static const char *message_id_of(const struct config *cfg, const struct channel_msg *m,
				 struct arena *a)
{
	return arena_printf(a, "<rm.%s@%s>", m->id, domain_of(bare_address(cfg->smtp_from, a)));
}

static int email_prepare(const struct config *cfg, const struct channel_msg *m,
			 struct channel_xfer *x, struct channel_result *r, struct arena *a)
{
	if (!cfg->smtp_from || !header_safe(cfg->smtp_from)) {
		r->outcome = CHANNEL_FAILED;
		r->error = "email no configurado (SMTP_FROM)";
		return -1;
	}
	if (!header_safe(m->to) || strpbrk(m->to, "<>, ") || !strchr(m->to, '@') ||
	    (m->unsubscribe_url && !header_safe(m->unsubscribe_url))) {
		r->outcome = CHANNEL_FAILED;
		r->error = "dirección de email no válida";
		return -1;
	}
	channel_email_build(&x->request, cfg->smtp_from, m->to, m->subject ? m->subject : "",
			    m->body, message_id_of(cfg, m, a), m->unsubscribe_url,
			    (long long)time(NULL));
	channel_easy_common(x, cfg->smtp_url, cfg->sender_timeout_seconds);
	curl_easy_setopt(x->easy, CURLOPT_MAIL_FROM,
			 arena_printf(a, "<%s>", bare_address(cfg->smtp_from, a)));
	x->rcpt = curl_slist_append(NULL, arena_printf(a, "<%s>", m->to));
	curl_easy_setopt(x->easy, CURLOPT_MAIL_RCPT, x->rcpt);
	curl_easy_setopt(x->easy, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(x->easy, CURLOPT_READFUNCTION, on_read);
	curl_easy_setopt(x->easy, CURLOPT_READDATA, x);
	curl_easy_setopt(x->easy, CURLOPT_INFILESIZE, (long)x->request.len);
	curl_easy_setopt(x->easy, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
	if (cfg->smtp_user) {
		curl_easy_setopt(x->easy, CURLOPT_USERNAME, cfg->smtp_user);
		curl_easy_setopt(x->easy, CURLOPT_PASSWORD,
				 cfg->smtp_password ? cfg->smtp_password : "");
	}
	x->message_id = message_id_of(cfg, m, a);
	return 0;
}

static void email_finish(struct channel_xfer *x, CURLcode rc, long status,
			 struct channel_result *r, struct arena *a)
{
	if (rc == CURLE_OK) {
		r->outcome = CHANNEL_SENT;
		r->external_id = x->message_id;
	} else if (status >= 500) {
		/* 5xx is the SMTP server's "never" (no such mailbox, refused). */
		r->outcome = CHANNEL_FAILED;
		r->error = arena_printf(a, "SMTP %ld: %s", status, curl_easy_strerror(rc));
	} else if (status >= 400) {
		r->outcome = CHANNEL_RETRY;
		r->error = arena_printf(a, "SMTP %ld: %s", status, curl_easy_strerror(rc));
	} else {
		channel_transport_error(rc, r, a);
	}
}

const struct channel_driver channel_email = {
	.prepare = email_prepare,
	.finish = email_finish,
};
