/*
 * The one time parser and formatter of the toolkit (SPEC section 5, "Times
 * in").  Dates are converted with the proleptic Gregorian calendar when an
 * offset is given and with mktime() under TZ when it is not.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "case/time.h"
#include "i18n.h"
#include "internal.h"

#define ZONE_DIR "/usr/share/zoneinfo" /* glibc's zones, which a server shares */
#define MAX_DUR (100LL * 36525 * 864) /* 100 years of 365.25 days */

int64_t
case_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
case_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int
days_in_month(int64_t y, unsigned m)
{
	static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : dm[m - 1];
}

/* Read exactly n digits at *p into *v. */
static int
digits(const char **p, int n, int *v)
{
	int i, x = 0;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return -1;
		x = x * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*v = x;
	return 0;
}

static int
bad_time(struct case_err *err, const char *s, const char *why)
{
	char q[CASE_QUOTE_MAX];

	case_quote(q, sizeof q, s);
	if (why != NULL)
		return case_err_set(err, CASE_E_INPUT,
				    _("bad time '%s': %s (expected a form such "
				    "as 2026-05-01, 2026-05-01T14:00, "
				    "2026-05-01 14:00:00Z, now, today or +3d)"),
				    q, _(why));
	return case_err_set(err, CASE_E_INPUT,
			    _("bad time '%s' (expected a form such as "
			    "2026-05-01, 2026-05-01T14:00, 2026-05-01 14:00:00Z, "
			    "now, today or +3d)"),
			    q);
}

/*
 * The offset from UTC at t.  Past the last transition its zone file
 * lists, glibc parses the zone's rule text on every call, which costs
 * more than formatting a whole row; so the offset is remembered for the
 * hour that t falls in when that hour begins and ends with the same
 * offset (no zone changes its offset twice within an hour).  The hour is
 * remembered with the TZ it was computed for.
 */
int
case_time_offset(int64_t t, long *off)
{
	static _Thread_local struct {
		int64_t hour;
		long off;
		int valid;
		char tz[128];
	} memo;
	const char *tz = getenv("TZ");
	int64_t hour = t / 3600 - (t % 3600 < 0);
	time_t a = (time_t)t, lo = (time_t)(hour * 3600), hi = lo + 3599;
	struct tm tm, tlo, thi;
	size_t n;

	if (tz == NULL)
		tz = "";
	if (memo.valid && memo.hour == hour && strcmp(memo.tz, tz) == 0) {
		*off = memo.off;
		return 0;
	}
	if (localtime_r(&lo, &tlo) != NULL && localtime_r(&hi, &thi) != NULL &&
	    tlo.tm_gmtoff == thi.tm_gmtoff) {
		*off = tlo.tm_gmtoff;
		if ((n = strlen(tz)) < sizeof memo.tz) {
			memo.hour = hour;
			memo.off = *off;
			memcpy(memo.tz, tz, n + 1);
			memo.valid = 1;
		}
		return 0;
	}
	if (localtime_r(&a, &tm) == NULL)
		return -1;
	*off = tm.tm_gmtoff;
	return 0;
}

/*
 * Local wall-clock fields to epoch seconds under TZ.  mktime() would do,
 * but glibc's rereads the zone file on every call, which a million-row
 * import feels; localtime_r() reads it once.  The wall time is taken as
 * UTC, then moved by the offset in force; a second step settles times near
 * a change of offset.  A wall time skipped by a change moves forward.
 */
static int
local_to_epoch(int64_t y, int mo, int d, int h, int mi, int sec, int64_t *out)
{
	int64_t wall, t;
	long off1, off2;

	if (mo < 1 || mo > 12)
		return -1;
	wall = case_days_from_civil(y, (unsigned)mo, 1) * 86400 +
	       (int64_t)(d - 1) * 86400 + h * 3600 + mi * 60 + sec;
	if (case_time_offset(wall, &off1) < 0)
		return -1;
	t = wall - off1;
	if (case_time_offset(t, &off2) < 0)
		return -1;
	if (off2 != off1) {
		long off3;

		t = wall - off2;
		if (case_time_offset(t, &off3) < 0)
			return -1;
		/* In a gap, where clocks jumped forward, the offset from
		 * before the jump moves the time forward past it. */
		if (off3 != off2)
			t = wall - (off1 < off2 ? off1 : off2);
	}
	*out = t;
	return 0;
}

static int
parse_absolute(const char *s, int64_t *out, struct case_err *err)
{
	const char *p = s;
	int y, mo, d, h = 0, mi = 0, sec = 0, has_zone = 0, off = 0;
	int64_t t;

	if (digits(&p, 4, &y) < 0 || *p++ != '-' || digits(&p, 2, &mo) < 0 ||
	    *p++ != '-' || digits(&p, 2, &d) < 0)
		return bad_time(err, s, NULL);
	if (y == 0)
		return bad_time(err, s, N_("year 0 does not exist"));
	if (mo < 1 || mo > 12)
		return bad_time(err, s, N_("no such month"));
	if (d < 1 || d > days_in_month(y, (unsigned)mo))
		return bad_time(err, s, N_("no such day in that month"));
	if (*p == 'T' || *p == 't' || *p == ' ') {
		p++;
		if (digits(&p, 2, &h) < 0 || *p++ != ':' ||
		    digits(&p, 2, &mi) < 0)
			return bad_time(err, s, NULL);
		if (*p == ':') {
			p++;
			if (digits(&p, 2, &sec) < 0)
				return bad_time(err, s, NULL);
			if (*p == '.' || *p == ',') {
				p++;
				if (!isdigit((unsigned char)*p))
					return bad_time(err, s, NULL);
				while (isdigit((unsigned char)*p))
					p++;
			}
		}
		if (h > 23 || mi > 59 || sec > 59)
			return bad_time(err, s, N_("no such time of day"));
		if (*p == 'Z' || *p == 'z') {
			has_zone = 1;
			p++;
		} else if (*p == '+' || *p == '-') {
			int sign = *p++ == '-' ? -1 : 1, oh, om = 0;

			if (digits(&p, 2, &oh) < 0)
				return bad_time(err, s, NULL);
			if (*p == ':')
				p++;
			if (isdigit((unsigned char)*p) && digits(&p, 2, &om) < 0)
				return bad_time(err, s, NULL);
			if (oh > 23 || om > 59)
				return bad_time(err, s, "no such offset");
			has_zone = 1;
			off = sign * (oh * 3600 + om * 60);
		}
	}
	if (*p != '\0')
		return bad_time(err, s, NULL);
	if (has_zone)
		t = case_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 +
		    h * 3600 + mi * 60 + sec - off;
	else if (local_to_epoch(y, mo, d, h, mi, sec, &t) < 0)
		return bad_time(err, s, "not representable in local time");
	if (t < CASE_TIME_MIN || t > CASE_TIME_MAX)
		return bad_time(err, s, "out of range");
	*out = t;
	return 0;
}

/* Midnight of the local day containing now, moved by delta days. */
static int
local_midnight(int64_t now, int delta, int64_t *out)
{
	time_t t = (time_t)now;
	struct tm tm;

	if (localtime_r(&t, &tm) == NULL)
		return -1;
	return local_to_epoch((int64_t)tm.tm_year + 1900, tm.tm_mon + 1,
			      tm.tm_mday + delta, 0, 0, 0, out);
}

int
case_time_parse(const char *s, int64_t now, int64_t *out, struct case_err *err)
{
	char buf[64];
	size_t len;
	const char *b = s;
	int64_t t = 0;

	if (s == NULL)
		return bad_time(err, "", NULL);
	while (*b == ' ')
		b++;
	len = strlen(b);
	while (len > 0 && b[len - 1] == ' ')
		len--;
	if (len == 0 || len >= sizeof buf)
		return bad_time(err, s, NULL);
	memcpy(buf, b, len);
	buf[len] = '\0';

	if (strcmp(buf, "now") == 0)
		t = now;
	else if (strcmp(buf, "today") == 0 || strcmp(buf, "yesterday") == 0 ||
		 strcmp(buf, "tomorrow") == 0) {
		int delta = buf[0] == 'y' ? -1 : buf[2] == 'm' ? 1 : 0;

		if (local_midnight(now, delta, &t) < 0)
			return bad_time(err, s, "not representable in local time");
	} else if (buf[0] == '+' || buf[0] == '-') {
		int64_t d;
		struct case_err derr;

		if (case_dur_parse(buf + 1, &d, &derr) < 0)
			return bad_time(err, s, NULL);
		t = buf[0] == '+' ? now + d : now - d;
	} else if (parse_absolute(buf, &t, err) < 0)
		return -1;
	if (t < CASE_TIME_MIN || t > CASE_TIME_MAX)
		return bad_time(err, s, "out of range");
	*out = t;
	return 0;
}

int
case_dur_parse(const char *s, int64_t *secs, struct case_err *err)
{
	char q[CASE_QUOTE_MAX];
	const char *p = s;
	int64_t total = 0;

	if (s == NULL || *s == '\0')
		goto bad;
	if (*s == '-')
		return case_err_set(err, CASE_E_INPUT,
				    _("bad duration '%s': durations cannot be "
				    "negative"),
				    case_quote(q, sizeof q, s));
	while (*p != '\0') {
		int64_t n = 0, unit;
		int nd = 0;

		while (isdigit((unsigned char)*p)) {
			if (++nd > 10)
				goto too_long;
			n = n * 10 + (*p++ - '0');
		}
		if (nd == 0)
			goto bad;
		switch (*p++) {
		case 'm': unit = 60; break;
		case 'h': unit = 3600; break;
		case 'd': unit = 86400; break;
		case 'w': unit = 7 * 86400; break;
		default: goto bad;
		}
		if (n > MAX_DUR / unit || total + n * unit > MAX_DUR)
			goto too_long;
		total += n * unit;
	}
	if (total == 0)
		return case_err_set(err, CASE_E_INPUT,
				    _("bad duration '%s': it must be longer than "
				    "zero"),
				    case_quote(q, sizeof q, s));
	*secs = total;
	return 0;
too_long:
	return case_err_set(err, CASE_E_INPUT,
			    _("bad duration '%s': longer than 100 years"),
			    case_quote(q, sizeof q, s));
bad:
	return case_err_set(err, CASE_E_INPUT,
			    _("bad duration '%s' (expected a number and a unit, "
			    "such as 90m, 12h, 3d or 2w)"),
			    case_quote(q, sizeof q, s));
}

int
case_time_now(int64_t *now, struct case_err *err)
{
	const char *pin = getenv("CASE_NOW");
	int64_t clock = (int64_t)time(NULL);

	if (pin == NULL || *pin == '\0') {
		*now = clock;
		return 0;
	}
	if (case_time_parse(pin, clock, now, err) < 0)
		return case_err_prefix(err, "CASE_NOW: ");
	return 0;
}

/* Whether TZ can be read as a POSIX rule: a name of three letters or more
 * (or one in <>) and then an offset, as "CST-8" or "<+08>-8".  What
 * follows, a summer name and its rules, only refines that offset. */
static int
posix_rule(const char *s)
{
	const char *e;
	size_t n = 0;

	if (*s == '<') {
		if ((e = strchr(s, '>')) == NULL || e - s < 4)
			return 0;
		s = e + 1;
	} else {
		while (isalpha((unsigned char)s[n]))
			n++;
		if (n < 3)
			return 0;
		s += n;
	}
	if (*s == '+' || *s == '-')
		s++;
	return isdigit((unsigned char)*s);
}

/* Whether name is a zone file: a path, or a name under TZDIR (or the
 * system's zone folder), that begins as every TZif file does.  Its path
 * goes to path, of size n. */
static int
zone_file(const char *name, char *path, size_t n)
{
	const char *dir = getenv("TZDIR");
	char magic[4];
	FILE *fp;
	int len, ok;

	if (dir == NULL || *dir == '\0')
		dir = ZONE_DIR;
	len = *name == '/' ? snprintf(path, n, "%s", name)
			   : snprintf(path, n, "%s/%s", dir, name);
	if (len < 0 || (size_t)len >= n || (fp = fopen(path, "re")) == NULL)
		return 0;
	ok = fread(magic, 1, sizeof magic, fp) == sizeof magic &&
	     memcmp(magic, "TZif", sizeof magic) == 0;
	fclose(fp);
	return ok;
}

/* The rule at the end of zone file path (TZif version 2 and later), that
 * says the zone as it is now, to buf of size n; 0, or -1 if none. */
static int
zone_rule(const char *path, char *buf, size_t n)
{
	static char data[1 << 16];
	FILE *fp = fopen(path, "re");
	size_t len;
	char *e;

	if (fp == NULL)
		return -1;
	len = fread(data, 1, sizeof data, fp);
	fclose(fp);
	if (len < 2 || len == sizeof data || data[len - 1] != '\n')
		return -1;
	data[--len] = '\0';
	/* The data before holds NULs: look back from the end. */
	for (e = data + len; e > data && e[-1] != '\n'; e--)
		;
	if (e == data || *e == '\0' || strlen(e) >= n)
		return -1;
	snprintf(buf, n, "%s", e);
	return 0;
}

int
case_time_zone_check(struct case_err *err)
{
	const char *tz = getenv("TZ"), *name;
	char q[CASE_QUOTE_MAX], path[4096];

	if (tz == NULL)
		return 0;
	name = tz + (*tz == ':');
	/* Empty, TZ is UTC; ":" alone, the system's zone; and UTC needs no
	 * file, since it is what glibc falls back to.  glibc reads a name
	 * after a colon as a rule too, when no file has it. */
	if (*name == '\0' || strcmp(name, "UTC") == 0 ||
	    strcmp(name, "GMT") == 0 ||
	    zone_file(name, path, sizeof path) || posix_rule(name))
		return 0;
	return case_err_set(err, CASE_E_INPUT,
			    _("TZ: unknown time zone '%s'; times are in UTC"),
			    case_quote(q, sizeof q, tz));
}

/*
 * The zone this process formats local times in, written to buf (of size
 * n) as a name or POSIX rule a server reads as the same zone: TZ as
 * glibc reads it (UTC when it names no zone, empty), or, without TZ or
 * with ":" alone, the zone /etc/localtime links to.  A zone file the
 * server cannot know, outside the system's folder, is given by the rule
 * at its end: the zone as it is now, without its history.
 */
void
case_time_zone_name(char *buf, size_t n)
{
	const char *tz = getenv("TZ"), *dir = getenv("TZDIR"), *z;
	char path[4096], link[4096];
	ssize_t len;
	FILE *fp;

	if (tz != NULL && strcmp(tz, ":") != 0) {
		z = tz + (*tz == ':');
		if (case_time_zone_check(NULL) < 0 || *z == '\0')
			z = "UTC";
		else if (zone_file(z, path, sizeof path)) {
			if (strncmp(path, ZONE_DIR "/", sizeof ZONE_DIR) == 0 &&
			    (*z == '/' || dir == NULL || *dir == '\0' ||
			     strcmp(dir, ZONE_DIR) == 0))
				z = path + sizeof ZONE_DIR;
			else if (zone_rule(path, buf, n) == 0)
				return;
		}
		snprintf(buf, n, "%s", z);
		return;
	}
	if ((len = readlink("/etc/localtime", link, sizeof link - 1)) > 0) {
		link[len] = '\0';
		if ((z = strstr(link, "zoneinfo/")) != NULL) {
			snprintf(buf, n, "%s", z + 9);
			return;
		}
	}
	if ((fp = fopen("/etc/timezone", "re")) != NULL) {
		if (fgets(buf, (int)n, fp) != NULL) {
			buf[strcspn(buf, "\n")] = '\0';
			fclose(fp);
			if (*buf != '\0')
				return;
		} else
			fclose(fp);
	}
	snprintf(buf, n, "UTC");
}

/* Two digits of v. */
static char *
put2(char *b, unsigned v)
{
	b[0] = (char)('0' + v / 10 % 10);
	b[1] = (char)('0' + v % 10);
	return b + 2;
}

/*
 * "YYYY-MM-DD", sep, "hh:mm", ":ss" when sec is not negative, and tail.
 * Written digit by digit: a listing formats a time on every row, and
 * printf would cost more than the rest of the row.
 */
static char *
put_stamp(char *buf, long long y, unsigned mo, unsigned d, char sep,
	  unsigned h, unsigned mi, int sec, const char *tail)
{
	char *b = buf;

	if (y < 0 || y > 9999) {
		int n = snprintf(buf, CASE_TIME_BUF, "%04lld-%02u-%02u%c%02u:%02u",
				 y, mo, d, sep, h, mi);

		if (sec >= 0)
			snprintf(buf + n, CASE_TIME_BUF - (size_t)n, ":%02d%s",
				 sec, tail);
		else
			snprintf(buf + n, CASE_TIME_BUF - (size_t)n, "%s", tail);
		return buf;
	}
	b = put2(b, (unsigned)(y / 100));
	b = put2(b, (unsigned)(y % 100));
	*b++ = '-';
	b = put2(b, mo);
	*b++ = '-';
	b = put2(b, d);
	*b++ = sep;
	b = put2(b, h);
	*b++ = ':';
	b = put2(b, mi);
	if (sec >= 0) {
		*b++ = ':';
		b = put2(b, (unsigned)sec);
	}
	strcpy(b, tail);
	return buf;
}

char *
case_time_utc(int64_t t, char *buf)
{
	int64_t days = t / 86400, rem = t % 86400, y;
	unsigned m, d;

	if (rem < 0) {
		rem += 86400;
		days--;
	}
	case_civil_from_days(days, &y, &m, &d);
	return put_stamp(buf, (long long)y, m, d, 'T', (unsigned)(rem / 3600),
			 (unsigned)(rem / 60 % 60), (int)(rem % 60), "Z");
}

char *
case_time_ics(int64_t t, char *buf)
{
	char u[CASE_TIME_BUF];
	const char *s = case_time_utc(t, u);
	size_t o = 0;

	for (; *s != '\0'; s++)
		if (*s != '-' && *s != ':')
			buf[o++] = *s;
	buf[o] = '\0';
	return buf;
}


char *
case_time_local(int64_t t, char *buf)
{
	int64_t local, days, rem, y;
	unsigned m, d;
	long off;

	if (t < CASE_TIME_MIN || t > CASE_TIME_MAX ||
	    case_time_offset(t, &off) < 0)
		return case_time_utc(t, buf);
	local = t + off;
	days = local / 86400;
	rem = local % 86400;
	if (rem < 0) {
		rem += 86400;
		days--;
	}
	case_civil_from_days(days, &y, &m, &d);
	return put_stamp(buf, (long long)y, m, d, ' ', (unsigned)(rem / 3600),
			 (unsigned)(rem / 60 % 60), -1, "");
}

/* Whether s begins with a stamp such as 2026-05-24T01:00:00Z, as
 * case_time_utc writes it, and if so the time it names.  The pattern is
 * matched a character at a time, so that nothing past the end of s is
 * read. */
static int
utc_stamp(const char *s, int64_t *t)
{
	static const char pattern[] = "dddd-dd-ddTdd:dd:ddZ";
	long v[6] = {0}, *p = v;
	int i;

	for (i = 0; pattern[i] != '\0'; i++) {
		if (pattern[i] != 'd') {
			if (s[i] != pattern[i])
				return 0;
			p++;
		} else if (s[i] >= '0' && s[i] <= '9')
			*p = *p * 10 + (s[i] - '0');
		else
			return 0;
	}
	if (v[0] < 1 || v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > 31 ||
	    v[3] > 23 || v[4] > 59 || v[5] > 59)
		return 0;
	*t = case_days_from_civil(v[0], (unsigned)v[1], (unsigned)v[2]) *
		     86400 +
	     v[3] * 3600 + v[4] * 60 + v[5];
	return 1;
}

static int
alnum(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z');
}

size_t
case_time_localise(char *s)
{
	char *r = s, *w = s, buf[CASE_TIME_BUF];
	int64_t t;

	while (*r != '\0') {
		if ((r == s || !alnum(r[-1])) && utc_stamp(r, &t) &&
		    !alnum(r[20])) {
			size_t n = strlen(case_time_local(t, buf));

			memcpy(w, buf, n); /* never more than the 20 read */
			w += n;
			r += 20;
		} else
			*w++ = *r++;
	}
	*w = '\0';
	return (size_t)(w - s);
}

char *
case_dur_fmt(int64_t secs, char *buf)
{
	int64_t d, h, m;
	const char *sign = "";

	if (secs < 0) {
		sign = "-";
		secs = secs == INT64_MIN ? INT64_MAX : -secs;
	}
	d = secs / 86400;
	h = secs % 86400 / 3600;
	m = secs % 3600 / 60;
	if (d > 0 && h > 0)
		snprintf(buf, CASE_TIME_BUF, "%s%lldd%lldh", sign, (long long)d,
			 (long long)h);
	else if (d > 0)
		snprintf(buf, CASE_TIME_BUF, "%s%lldd", sign, (long long)d);
	else if (h > 0 && m > 0)
		snprintf(buf, CASE_TIME_BUF, "%s%lldh%lldm", sign, (long long)h,
			 (long long)m);
	else if (h > 0)
		snprintf(buf, CASE_TIME_BUF, "%s%lldh", sign, (long long)h);
	else
		snprintf(buf, CASE_TIME_BUF, "%s%lldm", sign, (long long)m);
	return buf;
}

int
case_time_period(int64_t t, const char *unit, char *buf, size_t n)
{
	int64_t days, y;
	unsigned m, d;
	long off;

	if (case_time_offset(t, &off) == 0)
		t += off;
	days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
	case_civil_from_days(days, &y, &m, &d);
	if (strcmp(unit, "day") == 0)
		return snprintf(buf, n, "%04lld-%02u-%02u", (long long)y, m, d);
	if (strcmp(unit, "month") == 0)
		return snprintf(buf, n, "%04lld-%02u", (long long)y, m);
	if (strcmp(unit, "year") == 0)
		return snprintf(buf, n, "%04lld", (long long)y);
	if (strcmp(unit, "week") == 0) {
		/* ISO 8601: weeks start on Monday, and week 1 holds the
		 * year's first Thursday.  1970-01-01 was a Thursday. */
		int64_t wday = ((days % 7) + 7 + 3) % 7; /* Monday 0 */
		int64_t thursday = days - wday + 3, wy, jan1;

		case_civil_from_days(thursday, &wy, &m, &d);
		jan1 = case_days_from_civil(wy, 1, 1);
		return snprintf(buf, n, "%04lld-W%02lld", (long long)wy,
				(long long)((thursday - jan1) / 7 + 1));
	}
	return -1;
}
