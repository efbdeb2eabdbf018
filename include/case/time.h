/*
 * Times and durations.  Times are whole seconds since the Unix epoch (UTC)
 * everywhere inside the toolkit; text without an offset is local time as
 * TZ says.
 */
#ifndef CASE_TIME_H
#define CASE_TIME_H

#include <stddef.h>
#include <stdint.h>

#include "case/err.h"

/* The earliest and latest times accepted: years 0001 to 9999. */
#define CASE_TIME_MIN (-62135596800LL)
#define CASE_TIME_MAX 253402300799LL

/* "Now": CASE_NOW when set (any form case_time_parse accepts, relative
 * forms taken against the clock), otherwise the clock. */
int case_time_now(int64_t *now, struct case_err *err);

/* Parse a time: 2026-05-01, 2026-05-01T14:00, 2026-05-01 14:00:00, with
 * optional fractional seconds (dropped) and Z or +hh:mm; now, today,
 * yesterday, tomorrow; +3d, -12h relative to now.  The message quotes the
 * bad text. */
int case_time_parse(const char *s, int64_t now, int64_t *out,
		    struct case_err *err);

/* Parse a duration: a positive whole number and a unit m, h, d or w, and
 * any sequence of those ("1d12h").  Results above 100 years are refused. */
int case_dur_parse(const char *s, int64_t *secs, struct case_err *err);

/* Buffers of this size hold any formatted time or duration. */
#define CASE_TIME_BUF 40

/* 2026-05-01T06:00:00Z */
char *case_time_utc(int64_t t, char *buf);
/* 2026-05-01 14:00 in local time */
char *case_time_local(int64_t t, char *buf);
/* Rewrite in place every UTC time within the text s that is written as
 * case_time_utc writes it (2026-05-24T01:00:00Z, standing apart from
 * letters and digits) as local time (2026-05-24 09:00), for text output of
 * journal details, which store times in UTC.  The text never grows;
 * returns its new length. */
size_t case_time_localise(char *s);
/* 20260501T060000Z, for iCalendar */
char *case_time_ics(int64_t t, char *buf);
/* 3d4h, 45m, 14d: the largest two of days, hours and minutes, for people
 * reading output. */
char *case_dur_fmt(int64_t secs, char *buf);

/* Whether TZ names a zone.  glibc takes TZ as a zone file (under TZDIR,
 * or a path) or else as a POSIX rule ("CST-8"), and when it is neither,
 * as a misspelt "Asia/ShangHai" is, silently uses UTC.  Returns -1 with
 * err naming TZ when that would happen, else 0 (also when TZ is unset or
 * empty). */
int case_time_zone_check(struct case_err *err);

/* The offset from UTC of local time (TZ) at t, in seconds. */
int case_time_offset(int64_t t, long *off);

/* Whole days from 1970-01-01 to the given civil date (proleptic
 * Gregorian), and back. */
int64_t case_days_from_civil(int64_t y, unsigned m, unsigned d);
void case_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d);

/* The local day, ISO 8601 week, month or year (unit "day", "week",
 * "month" or "year") of t, as 2026-05-01, 2026-W18, 2026-05 or 2026, into
 * buf of size n: the keys that the report's groups by period have.
 * Returns the length, or -1 for another unit. */
int case_time_period(int64_t t, const char *unit, char *buf, size_t n);

#endif
