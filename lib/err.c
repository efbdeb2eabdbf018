/*
 * The single error path: messages are formatted into a caller-owned struct
 * and carried back up to the binary that prints them.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "case/err.h"
#include "i18n.h"
#include "case/text.h"
#include "internal.h"

int
case_err_set(struct case_err *err, enum case_errkind kind, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return -1;
	err->kind = kind;
	err->line = 0;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	return -1;
}

int
case_err_prefix(struct case_err *err, const char *fmt, ...)
{
	char place[256];
	size_t n, old;
	va_list ap;

	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(place, sizeof place, fmt, ap);
	va_end(ap);
	n = strlen(place);
	old = strnlen(err->msg, sizeof err->msg - 1);
	if (n + old >= sizeof err->msg)
		old = sizeof err->msg - 1 - n;
	memmove(err->msg + n, err->msg, old);
	memcpy(err->msg, place, n);
	err->msg[n + old] = '\0';
	return -1;
}

void
case_err_clear(struct case_err *err)
{
	if (err == NULL)
		return;
	err->kind = CASE_E_NONE;
	err->line = 0;
	err->msg[0] = '\0';
}

/*
 * Untrusted text is quoted in messages so that a terminal never receives
 * raw control characters from an input file, and so that a 10 MB field does
 * not become a 10 MB message.  Valid UTF-8 passes through; anything else is
 * shown as \xNN.
 */
const char *
case_quote(char *buf, size_t n, const char *text)
{
	const unsigned char *s = (const unsigned char *)(text ? text : "");
	size_t o = 0, shown = 0;

	if (n == 0)
		return buf;
	while (*s != '\0' && o + 8 < n) {
		size_t len;

		if (shown == 60) {
			memcpy(buf + o, "...", 3);
			o += 3;
			break;
		}
		len = case_utf8_len(s);
		if (len == 0 || *s < 0x20 || *s == 0x7f) {
			o += (size_t)snprintf(buf + o, n - o, "\\x%02x", *s);
			s++;
		} else {
			if (o + len + 1 >= n)
				break;
			memcpy(buf + o, s, len);
			o += len;
			s += len;
		}
		shown++;
	}
	buf[o] = '\0';
	return buf;
}

/* A message that names its case already ("case 812 is not assigned to
 * your units") needs no prefix. */
void
case_err_case(struct case_err *err, int64_t id)
{
	char head[64];

	/* TRANSLATORS: how a message that names its case begins, as "case
	 * %lld is not assigned to your units (%s)" does; its translation
	 * must begin with the translation of this. */
	snprintf(head, sizeof head, _("case %lld "), (long long)id);
	if (strncmp(err->msg, head, strlen(head)) != 0)
		case_err_prefix(err, _("case %lld: "), (long long)id);
}
