/*
 * Unit tests for the time module: every accepted form of SPEC section 5
 * "Times in", local time under TZ (a zone without DST and one with it),
 * the rejection of malformed times with a message that quotes the text,
 * durations, the limits of the calendar, and the formatters.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "case/time.h"

/* 2026-05-01T08:00:00+08:00, a Friday, in Asia/Shanghai (no DST). */
#define NOW 1777593600LL
#define H 3600LL
#define D 86400LL

static int64_t
parse_ok(const char *s)
{
	struct case_err err;
	int64_t t = 0;

	if (case_time_parse(s, NOW, &t, &err) != 0)
		fail_msg("'%s' was refused: %s", s, err.msg);
	return t;
}

static int64_t
dur_ok(const char *s)
{
	struct case_err err;
	int64_t d = -1;

	if (case_dur_parse(s, &d, &err) != 0)
		fail_msg("duration '%s' was refused: %s", s, err.msg);
	return d;
}

/* The parse fails and the message quotes the text as given. */
static void
time_bad(const char *s, const char *quoted)
{
	char want[256];
	struct case_err err;
	int64_t t = 12345;

	if (case_time_parse(s, NOW, &t, &err) == 0)
		fail_msg("'%s' was accepted as %lld", s, (long long)t);
	assert_int_equal(err.kind, CASE_E_INPUT);
	snprintf(want, sizeof want, "bad time '%s'", quoted);
	if (strncmp(err.msg, want, strlen(want)) != 0)
		fail_msg("for '%s' the message is \"%s\", expected it to "
			 "begin \"%s\"", s, err.msg, want);
	assert_int_equal(t, 12345); /* *out untouched */
}

static void
dur_bad(const char *s, const char *fragment)
{
	struct case_err err;
	int64_t d = 777;

	if (case_dur_parse(s, &d, &err) == 0)
		fail_msg("duration '%s' was accepted as %lld", s, (long long)d);
	assert_int_equal(err.kind, CASE_E_INPUT);
	if (strstr(err.msg, fragment) == NULL)
		fail_msg("for '%s' the message is \"%s\", expected \"%s\"", s,
			 err.msg, fragment);
	assert_int_equal(d, 777);
}

static void
set_tz(const char *tz)
{
	setenv("TZ", tz, 1);
	tzset();
}

static int
restore_tz(void **state)
{
	(void)state;
	set_tz("Asia/Shanghai");
	return 0;
}

static void
test_accepted_forms(void **state)
{
	(void)state;
	assert_int_equal(parse_ok("2026-05-01"), NOW - 8 * H);
	assert_int_equal(parse_ok("2026-05-01T14:00"), NOW + 6 * H);
	assert_int_equal(parse_ok("2026-05-01t14:00"), NOW + 6 * H);
	assert_int_equal(parse_ok("2026-05-01 14:00"), NOW + 6 * H);
	assert_int_equal(parse_ok("2026-05-01 14:00:30"), NOW + 6 * H + 30);
	assert_int_equal(parse_ok("2026-05-01T14:00:30"), NOW + 6 * H + 30);
	assert_int_equal(parse_ok("2026-05-01T14:00:30.123"), NOW + 6 * H + 30);
	assert_int_equal(parse_ok("2026-05-01T14:00:30.999999999"),
			 NOW + 6 * H + 30);
	assert_int_equal(parse_ok("2026-05-01 14:00:30,5"), NOW + 6 * H + 30);
	assert_int_equal(parse_ok("2026-05-01T06:00:00Z"), NOW + 6 * H);
	assert_int_equal(parse_ok("2026-05-01T06:00:00z"), NOW + 6 * H);
	assert_int_equal(parse_ok("2026-05-01T06:00Z"), NOW + 6 * H);
	assert_int_equal(parse_ok("2026-05-01T06:00:00.250Z"), NOW + 6 * H);
	assert_int_equal(parse_ok("2026-05-01T06:00:00+08:00"), NOW - 2 * H);
	assert_int_equal(parse_ok("2026-05-01T06:00:00+0800"), NOW - 2 * H);
	assert_int_equal(parse_ok("2026-05-01T06:00:00+08"), NOW - 2 * H);
	assert_int_equal(parse_ok("2026-05-01T06:00:00-01:30"),
			 NOW + 6 * H + H + 1800);
	assert_int_equal(parse_ok("2026-05-01T06:00:00-0130"),
			 NOW + 6 * H + H + 1800);
	assert_int_equal(parse_ok("2026-05-01 06:00+00:00"), NOW + 6 * H);
	assert_int_equal(parse_ok("2026-05-01T06:00:00.5+05:30"),
			 NOW + 6 * H - 5 * H - 1800);
	/* Spaces around the text are forgiven. */
	assert_int_equal(parse_ok("  2026-05-01  "), NOW - 8 * H);
	assert_int_equal(parse_ok("2024-02-29"), 1709136000LL);
	assert_int_equal(parse_ok("2000-02-29T00:00:00Z"), 951782400LL);
	assert_int_equal(parse_ok("1970-01-01T00:00:00Z"), 0);
	assert_int_equal(parse_ok("1969-12-31T23:59:59Z"), -1);
}

static void
test_words_and_relative(void **state)
{
	(void)state;
	assert_int_equal(parse_ok("now"), NOW);
	assert_int_equal(parse_ok(" now "), NOW);
	assert_int_equal(parse_ok("today"), NOW - 8 * H);
	assert_int_equal(parse_ok("yesterday"), NOW - 8 * H - D);
	assert_int_equal(parse_ok("tomorrow"), NOW - 8 * H + D);
	assert_int_equal(parse_ok("+3d"), NOW + 3 * D);
	assert_int_equal(parse_ok("-3d"), NOW - 3 * D);
	assert_int_equal(parse_ok("-12h"), NOW - 12 * H);
	assert_int_equal(parse_ok("+12h"), NOW + 12 * H);
	assert_int_equal(parse_ok("+90m"), NOW + 90 * 60);
	assert_int_equal(parse_ok("-90m"), NOW - 90 * 60);
	assert_int_equal(parse_ok("+2w"), NOW + 14 * D);
	assert_int_equal(parse_ok("-2w"), NOW - 14 * D);
	assert_int_equal(parse_ok("+1d12h"), NOW + D + 12 * H);

	/* Midnight is local midnight, also near the start and the end of a
	 * day and across the end of a month. */
	{
		struct case_err err;
		int64_t t;

		/* 2026-05-31T23:59:00+08:00 */
		assert_int_equal(case_time_parse("tomorrow", 1780243140LL, &t,
						 &err), 0);
		assert_int_equal(t, 1780243140LL - 23 * H - 59 * 60 + D);
		/* 2026-03-01T00:00:00+08:00: yesterday is 2026-02-28 */
		assert_int_equal(case_time_parse("yesterday", 1772294400LL, &t,
						 &err), 0);
		assert_int_equal(t, 1772294400LL - D);
		assert_int_equal(case_time_parse("today", 1772294400LL, &t,
						 &err), 0);
		assert_int_equal(t, 1772294400LL);
	}
}

/* TZ=Asia/Shanghai from the meson environment: +08:00 all year. */
static void
test_local_time_shanghai(void **state)
{
	(void)state;
	set_tz("Asia/Shanghai");
	assert_int_equal(parse_ok("2026-01-15 12:00"),
			 parse_ok("2026-01-15T04:00:00Z"));
	assert_int_equal(parse_ok("2026-07-15 12:00"),
			 parse_ok("2026-07-15T04:00:00Z"));
}

/* A zone with daylight saving: an offset of -05:00 in January and -04:00
 * in July. */
static void
test_local_time_new_york(void **state)
{
	char buf[CASE_TIME_BUF];
	struct case_err err;
	int64_t t;

	(void)state;
	set_tz("America/New_York");
	assert_int_equal(parse_ok("2026-01-15 12:00"),
			 parse_ok("2026-01-15T17:00:00Z"));
	assert_int_equal(parse_ok("2026-07-15 12:00"),
			 parse_ok("2026-07-15T16:00:00Z"));
	assert_int_equal(parse_ok("2026-07-15"), parse_ok("2026-07-15T04:00Z"));
	assert_int_equal(parse_ok("2026-01-15"), parse_ok("2026-01-15T05:00Z"));
	/* Either side of the change on 2026-03-08 at 02:00 local. */
	assert_int_equal(parse_ok("2026-03-08 01:59"),
			 parse_ok("2026-03-08T06:59:00Z"));
	assert_int_equal(parse_ok("2026-03-08 03:00"),
			 parse_ok("2026-03-08T07:00:00Z"));
	/* An offset in the text wins over TZ. */
	assert_int_equal(parse_ok("2026-07-15 12:00+08:00"),
			 parse_ok("2026-07-15T04:00:00Z"));
	/* The formatter follows TZ too. */
	assert_string_equal(case_time_local(parse_ok("2026-07-15T16:00:00Z"),
					    buf),
			    "2026-07-15 12:00");
	assert_string_equal(case_time_local(parse_ok("2026-01-15T17:00:00Z"),
					    buf),
			    "2026-01-15 12:00");
	/* today: local midnight in New York, 2026-05-01 is EDT. */
	assert_int_equal(case_time_parse("today", NOW, &t, &err), 0);
	assert_int_equal(t, parse_ok("2026-04-30T04:00:00Z"));
	set_tz("Asia/Shanghai");
}

/* case_time_local of a UTC time is want. */
static void
local_is(const char *utc, const char *want)
{
	char buf[CASE_TIME_BUF];

	assert_string_equal(case_time_local(parse_ok(utc), buf), want);
}

/*
 * The formatter remembers a zone's offset for an hour at a time.  Around
 * a change of offset it must still be right: Berlin changes on the hour,
 * Adelaide on the half hour (2026-04-05 03:00 ACDT is 16:30 UTC the day
 * before), and a change of TZ is seen at once.
 */
static void
test_local_time_changes(void **state)
{
	(void)state;
	set_tz("Europe/Berlin");
	local_is("2026-03-29T00:10:00Z", "2026-03-29 01:10");
	local_is("2026-03-29T00:59:00Z", "2026-03-29 01:59");
	local_is("2026-03-29T01:00:00Z", "2026-03-29 03:00");
	local_is("2026-03-29T01:59:00Z", "2026-03-29 03:59");
	set_tz("Australia/Adelaide");
	local_is("2026-04-04T16:10:00Z", "2026-04-05 02:40");
	local_is("2026-04-04T16:29:00Z", "2026-04-05 02:59");
	local_is("2026-04-04T16:30:00Z", "2026-04-05 02:00");
	local_is("2026-04-04T16:50:00Z", "2026-04-05 02:20");
	local_is("2026-04-04T16:20:00Z", "2026-04-05 02:50");
	/* An hour remembered in one zone is not used in another. */
	local_is("2026-04-04T18:20:00Z", "2026-04-05 03:50");
	set_tz("Asia/Shanghai");
	local_is("2026-04-04T18:40:00Z", "2026-04-05 02:40");
}

/* A wall time that the spring change skips (02:30 on 2026-03-08 does not
 * happen in New York) is moved forward, as lib/time.c says it is: to
 * 03:30 EDT, not back to 01:30 EST. */
static void
test_local_time_skipped(void **state)
{
	int64_t t;

	(void)state;
	set_tz("America/New_York");
	t = parse_ok("2026-03-08 02:30");
	set_tz("Asia/Shanghai");
	if (t != 1772955000LL) { /* 2026-03-08T07:30:00Z */
		char buf[CASE_TIME_BUF];

		fail_msg("2026-03-08 02:30 in New York became %s, expected "
			 "2026-03-08T07:30:00Z (moved forward)",
			 case_time_utc(t, buf));
	}
}

static void
test_rejected_forms(void **state)
{
	static const char *const bad[] = {
		"2026", "2026-05", "2026-5-1", "2026-05-1", "26-05-01",
		"2026-13-01", "2026-00-10", "2026-02-30", "2025-02-29",
		"1900-02-29", "2026-04-31", "2026-05-00", "2026-05-01T25:00",
		"2026-05-01T24:00", "2026-05-01T12:60", "2026-05-01T12:00:60",
		"2026-05-01T12", "2026-05-01T1:00", "2026-05-01T12:00Zjunk",
		"2026-05-01X12:00", "2026-05-01T12:00:00.", "2026-05-01T12:00+25:00",
		"2026-05-01T12:00+08:60", "2026-05-01T12:00+8", "2026-05-01T12:00 Z",
		"2026/05/01", "01.05.2026", "2026-05-01T", "2026-05-01  12:00",
		"+3", "+3x", "3d", "-3d4", "+-3d", "+0.5d", "+d", "+", "-",
		"soon", "now!", "next week", "now now", "1777593600",
		NULL,
	};
	size_t i;

	(void)state;
	for (i = 0; bad[i] != NULL; i++)
		time_bad(bad[i], bad[i]);
	assert_true(i >= 15);
}

/* The message quotes the whole text, escapes control characters and
 * invalid bytes, and names what is wrong when it can. */
static void
test_rejection_messages(void **state)
{
	struct case_err err;
	int64_t t;

	(void)state;
	time_bad("", "");
	time_bad("   ", "   ");
	time_bad("2026-05-01\n", "2026-05-01\\x0a");
	time_bad("2026-05-01\t12:00", "2026-05-01\\x0912:00");
	time_bad("2026-05-01\xff", "2026-05-01\\xff");
	time_bad("明天", "明天");

	assert_int_equal(case_time_parse("2026-02-30", NOW, &t, &err), -1);
	assert_string_equal(err.msg,
			    "bad time '2026-02-30': no such day in that month "
			    "(expected a form such as 2026-05-01, "
			    "2026-05-01T14:00, 2026-05-01 14:00:00Z, now, "
			    "today or +3d)");
	assert_int_equal(case_time_parse("2026-13-01", NOW, &t, &err), -1);
	assert_non_null(strstr(err.msg, "no such month"));
	assert_int_equal(case_time_parse("2026-05-01T24:00", NOW, &t, &err), -1);
	assert_non_null(strstr(err.msg, "no such time of day"));
	assert_int_equal(case_time_parse("2026-05-01T12:00+24:00", NOW, &t,
					 &err), -1);
	assert_non_null(strstr(err.msg, "no such offset"));
	/* A text too long to be a time is refused, still quoted (shortened). */
	{
		char longs[200];

		memset(longs, '9', sizeof longs - 1);
		longs[sizeof longs - 1] = '\0';
		assert_int_equal(case_time_parse(longs, NOW, &t, &err), -1);
		assert_non_null(strstr(err.msg, "bad time '999999"));
		assert_non_null(strstr(err.msg, "...'"));
	}
	assert_int_equal(case_time_parse(NULL, NOW, &t, &err), -1);
	assert_non_null(strstr(err.msg, "bad time ''"));
}

/* Years 0001 to 9999 only. */
static void
test_year_limits(void **state)
{
	struct case_err err;
	int64_t t;

	(void)state;
	time_bad("0000-01-01", "0000-01-01");
	assert_int_equal(case_time_parse("0000-06-15T00:00Z", NOW, &t, &err), -1);
	assert_non_null(strstr(err.msg, "year 0 does not exist"));
	time_bad("10000-01-01", "10000-01-01");
	time_bad("10000-01-01T00:00:00Z", "10000-01-01T00:00:00Z");
	time_bad("99999-12-31", "99999-12-31");
	time_bad("-0001-01-01", "-0001-01-01");
	assert_int_equal(parse_ok("0001-01-01T00:00:00Z"), CASE_TIME_MIN);
	assert_int_equal(parse_ok("9999-12-31T23:59:59Z"), CASE_TIME_MAX);
	/* An offset that moves the instant past the limits. */
	assert_int_equal(case_time_parse("9999-12-31T23:59:59-01:00", NOW, &t,
					 &err), -1);
	assert_non_null(strstr(err.msg, "out of range"));
	assert_int_equal(case_time_parse("0001-01-01T00:00:00+01:00", NOW, &t,
					 &err), -1);
	assert_non_null(strstr(err.msg, "out of range"));
	/* Relative times past the limits. */
	assert_int_equal(case_time_parse("+1w", CASE_TIME_MAX - D, &t, &err), -1);
	assert_non_null(strstr(err.msg, "bad time '+1w'"));
	assert_int_equal(case_time_parse("-1d", CASE_TIME_MIN, &t, &err), -1);
}

static void
test_durations(void **state)
{
	(void)state;
	assert_int_equal(dur_ok("90m"), 90 * 60);
	assert_int_equal(dur_ok("12h"), 12 * H);
	assert_int_equal(dur_ok("3d"), 3 * D);
	assert_int_equal(dur_ok("2w"), 14 * D);
	assert_int_equal(dur_ok("1d12h"), D + 12 * H);
	assert_int_equal(dur_ok("1w2d3h4m"), 9 * D + 3 * H + 4 * 60);
	assert_int_equal(dur_ok("1m"), 60);
	assert_int_equal(dur_ok("36500d"), 36500 * D);
	/* 100 years of 365.25 days is the longest. */
	assert_int_equal(dur_ok("36525d"), 36525 * D);

	dur_bad("", "bad duration ''");
	dur_bad("x", "bad duration 'x' (expected a number and a unit");
	dur_bad("3", "bad duration '3'");
	dur_bad("d", "bad duration 'd'");
	dur_bad("3x", "bad duration '3x'");
	dur_bad("3D", "bad duration '3D'");
	dur_bad("3 d", "bad duration '3 d'");
	dur_bad(" 3d", "bad duration ' 3d'");
	dur_bad("3d ", "bad duration '3d '");
	dur_bad("3dd", "bad duration '3dd'");
	dur_bad("1.5d", "bad duration '1.5d'");
	dur_bad("+3d", "bad duration '+3d'");
	dur_bad("-3d", "bad duration '-3d': durations cannot be negative");
	dur_bad("-1m", "cannot be negative");
	dur_bad("99999999999d", "bad duration '99999999999d': longer than 100 "
				"years");
	dur_bad("36526d", "longer than 100 years");
	dur_bad("5300w", "longer than 100 years");
	dur_bad("36525d1m", "longer than 100 years");
	dur_bad("99999999999999999999999m", "longer than 100 years");
}

/* "A positive whole number and a unit": nothing of zero length. */
static void
test_zero_durations(void **state)
{
	(void)state;
	dur_bad("0m", "bad duration '0m'");
	dur_bad("0d", "bad duration '0d'");
	dur_bad("0w", "bad duration '0w'");
	dur_bad("0h0m", "bad duration '0h0m'");
}

/* Journal details store times in UTC; text shows them local.  Only whole
 * stamps as case_time_utc writes them, standing apart from letters and
 * digits, are rewritten; anything else is left as it is. */
static void
test_localise(void **state)
{
	static const struct {
		const char *in, *want;
	} t[] = {
		{"first visit due 2026-05-24T01:00:00Z",
		 "first visit due 2026-05-24 09:00"},
		{"unreachable by phone, attempt 1; next attempt due "
		 "2026-04-03T07:00:00Z",
		 "unreachable by phone, attempt 1; next attempt due "
		 "2026-04-03 15:00"},
		{"2026-04-30T16:30:00Z", "2026-05-01 00:30"},
		{"from 2026-01-01T00:00:00Z to 2026-12-31T23:59:59Z.",
		 "from 2026-01-01 08:00 to 2027-01-01 07:59."},
		{"(2026-05-24T01:00:00Z)", "(2026-05-24 09:00)"},
		{"华宇2026-05-24T01:00:00Z社区", "华宇2026-05-24 09:00社区"},
		{"x2026-05-24T01:00:00Z", "x2026-05-24T01:00:00Z"},
		{"2026-05-24T01:00:00Zulu", "2026-05-24T01:00:00Zulu"},
		{"12026-05-24T01:00:00Z", "12026-05-24T01:00:00Z"},
		{"2026-05-24T01:00:00", "2026-05-24T01:00:00"},
		{"2026-05-24T01:00Z", "2026-05-24T01:00Z"},
		{"2026-13-24T01:00:00Z", "2026-13-24T01:00:00Z"},
		{"2026-05-24T24:00:00Z", "2026-05-24T24:00:00Z"},
		{"0000-05-24T01:00:00Z", "0000-05-24T01:00:00Z"},
		{"2026-05-2", "2026-05-2"},
		{"", ""},
	};
	char buf[256];
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		snprintf(buf, sizeof buf, "%s", t[i].in);
		n = case_time_localise(buf);
		assert_string_equal(buf, t[i].want);
		assert_int_equal(n, strlen(t[i].want));
	}
}

static void
test_formatters(void **state)
{
	char buf[CASE_TIME_BUF];

	(void)state;
	assert_string_equal(case_time_utc(0, buf), "1970-01-01T00:00:00Z");
	assert_string_equal(case_time_utc(-1, buf), "1969-12-31T23:59:59Z");
	assert_string_equal(case_time_utc(NOW, buf), "2026-05-01T00:00:00Z");
	assert_string_equal(case_time_utc(NOW + 6 * H + 30, buf),
			    "2026-05-01T06:00:30Z");
	assert_string_equal(case_time_utc(CASE_TIME_MIN, buf),
			    "0001-01-01T00:00:00Z");
	assert_string_equal(case_time_utc(CASE_TIME_MAX, buf),
			    "9999-12-31T23:59:59Z");
	assert_string_equal(case_time_utc(951782400LL, buf),
			    "2000-02-29T00:00:00Z");

	assert_string_equal(case_time_local(NOW, buf), "2026-05-01 08:00");
	assert_string_equal(case_time_local(NOW + 16 * H - 60, buf),
			    "2026-05-01 23:59");
	assert_string_equal(case_time_local(NOW + 16 * H, buf),
			    "2026-05-02 00:00");

	assert_string_equal(case_time_ics(NOW, buf), "20260501T000000Z");
	assert_string_equal(case_time_ics(NOW + 6 * H + 5 * 60 + 9, buf),
			    "20260501T060509Z");
	assert_string_equal(case_time_ics(0, buf), "19700101T000000Z");

	assert_string_equal(case_dur_fmt(0, buf), "0m");
	assert_string_equal(case_dur_fmt(59, buf), "0m");
	assert_string_equal(case_dur_fmt(45 * 60, buf), "45m");
	assert_string_equal(case_dur_fmt(H, buf), "1h");
	assert_string_equal(case_dur_fmt(90 * 60, buf), "1h30m");
	assert_string_equal(case_dur_fmt(12 * H, buf), "12h");
	assert_string_equal(case_dur_fmt(D, buf), "1d");
	assert_string_equal(case_dur_fmt(D + 12 * H, buf), "1d12h");
	assert_string_equal(case_dur_fmt(3 * D + 4 * H + 59 * 60, buf), "3d4h");
	assert_string_equal(case_dur_fmt(3 * D + 30 * 60, buf), "3d");
	/* Days are the largest unit (case/time.h). */
	assert_string_equal(case_dur_fmt(14 * D, buf), "14d");
	assert_string_equal(case_dur_fmt(15 * D + 2 * H, buf), "15d2h");
	assert_string_equal(case_dur_fmt(-90 * 60, buf), "-1h30m");
	assert_string_equal(case_dur_fmt(-3 * D, buf), "-3d");

	/* What the formatters write, the parser reads back. */
	{
		struct case_err err;
		int64_t t;

		assert_int_equal(case_time_parse(case_time_utc(NOW + 17, buf),
						 NOW, &t, &err), 0);
		assert_int_equal(t, NOW + 17);
		assert_int_equal(case_time_parse(case_time_local(NOW + 60, buf),
						 NOW, &t, &err), 0);
		assert_int_equal(t, NOW + 60);
		assert_int_equal(case_dur_parse(case_dur_fmt(D + 12 * H, buf),
						&t, &err), 0);
		assert_int_equal(t, D + 12 * H);
	}
}

static void
test_civil_days(void **state)
{
	int64_t y;
	unsigned m, d;

	(void)state;
	assert_int_equal(case_days_from_civil(1970, 1, 1), 0);
	assert_int_equal(case_days_from_civil(2026, 5, 1), NOW / D);
	assert_int_equal(case_days_from_civil(1969, 12, 31), -1);
	assert_int_equal(case_days_from_civil(1, 1, 1), CASE_TIME_MIN / D);
	case_civil_from_days(NOW / D, &y, &m, &d);
	assert_int_equal(y, 2026);
	assert_int_equal(m, 5);
	assert_int_equal(d, 1);
	case_civil_from_days(case_days_from_civil(2024, 2, 29), &y, &m, &d);
	assert_int_equal(y * 10000 + m * 100 + d, 20240229);
	case_civil_from_days(-1, &y, &m, &d);
	assert_int_equal(y * 10000 + m * 100 + d, 19691231);
}

/* CASE_NOW pins "now" in any form the parser takes; relative forms count
 * from the clock; a bad value names the variable. */
static void
test_case_now(void **state)
{
	struct case_err err;
	int64_t t, before;

	(void)state;
	setenv("CASE_NOW", "2026-05-01T08:00:00+08:00", 1);
	assert_int_equal(case_time_now(&t, &err), 0);
	assert_int_equal(t, NOW);
	setenv("CASE_NOW", "2026-05-01 08:00", 1);
	assert_int_equal(case_time_now(&t, &err), 0);
	assert_int_equal(t, NOW);
	setenv("CASE_NOW", "+1d", 1);
	before = (int64_t)time(NULL);
	assert_int_equal(case_time_now(&t, &err), 0);
	assert_true(t >= before + D && t <= (int64_t)time(NULL) + D);
	setenv("CASE_NOW", "yesterday-ish", 1);
	assert_int_equal(case_time_now(&t, &err), -1);
	assert_string_equal(err.msg,
			    "CASE_NOW: bad time 'yesterday-ish' (expected a "
			    "form such as 2026-05-01, 2026-05-01T14:00, "
			    "2026-05-01 14:00:00Z, now, today or +3d)");
	setenv("CASE_NOW", "", 1);
	before = (int64_t)time(NULL);
	assert_int_equal(case_time_now(&t, &err), 0);
	assert_true(t >= before && t <= (int64_t)time(NULL));
	unsetenv("CASE_NOW");
	assert_int_equal(case_time_now(&t, &err), 0);
	assert_true(t >= before && t <= (int64_t)time(NULL));
}

/* A TZ that glibc would silently read as UTC is named; zone files, POSIX
 * rules, UTC and an unset or empty TZ are not. */
static void
test_zone_check(void **state)
{
	static const char *const good[] = {
		"Asia/Shanghai", ":Asia/Shanghai", "America/New_York",
		"/usr/share/zoneinfo/Asia/Shanghai", "CST-8", "<+08>-8",
		"EST5EDT,M3.2.0,M11.1.0", ":CST-8", "UTC", "GMT", "", ":", NULL};
	static const char *const bad[] = {
		"Asia/ShangHai", "Asia", "Shanghai", "/nonexistent", "ab1",
		"CST", "<+8>-8", NULL};
	struct case_err err;
	size_t i;

	(void)state;
	for (i = 0; good[i] != NULL; i++) {
		setenv("TZ", good[i], 1);
		if (case_time_zone_check(&err) != 0)
			fail_msg("TZ=%s: %s", good[i], err.msg);
	}
	for (i = 0; bad[i] != NULL; i++) {
		setenv("TZ", bad[i], 1);
		if (case_time_zone_check(&err) != -1)
			fail_msg("TZ=%s was not named", bad[i]);
	}
	setenv("TZ", "Asia/ShangHai", 1);
	assert_int_equal(case_time_zone_check(&err), -1);
	assert_string_equal(err.msg, "TZ: unknown time zone 'Asia/ShangHai'; "
				     "times are in UTC");
	/* TZDIR moves the zones. */
	setenv("TZ", "Asia/Shanghai", 1);
	setenv("TZDIR", "/nonexistent", 1);
	assert_int_equal(case_time_zone_check(&err), -1);
	setenv("TZDIR", "/usr/share/zoneinfo/Asia", 1);
	setenv("TZ", "Shanghai", 1);
	assert_int_equal(case_time_zone_check(&err), 0);
	unsetenv("TZDIR");
	unsetenv("TZ");
	assert_int_equal(case_time_zone_check(&err), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accepted_forms),
		cmocka_unit_test(test_words_and_relative),
		cmocka_unit_test(test_local_time_shanghai),
		cmocka_unit_test_teardown(test_local_time_new_york, restore_tz),
		cmocka_unit_test_teardown(test_local_time_skipped, restore_tz),
		cmocka_unit_test_teardown(test_local_time_changes, restore_tz),
		cmocka_unit_test(test_rejected_forms),
		cmocka_unit_test(test_rejection_messages),
		cmocka_unit_test(test_year_limits),
		cmocka_unit_test(test_durations),
		cmocka_unit_test(test_zero_durations),
		cmocka_unit_test(test_formatters),
		cmocka_unit_test(test_localise),
		cmocka_unit_test(test_civil_days),
		cmocka_unit_test(test_case_now),
		cmocka_unit_test_teardown(test_zone_check, restore_tz),
	};

	setenv("TZ", "Asia/Shanghai", 0);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
