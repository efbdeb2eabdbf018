/*
 * Fuzz target for the time and duration parser: the input, as a C string,
 * goes to case_time_parse and case_dur_parse, and whatever they accept is
 * formatted again and checked against what the parser promises.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "case/time.h"
#include "fuzz.h"

/* 2026-05-01T08:00:00+08:00, as in the unit tests. */
#define NOW 1777593600LL
#define MAX_DUR (100LL * 36525 * 864)

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* A zone with a history of offsets and summer time. */
	setenv("TZ", "Asia/Shanghai", 1);
	setenv("CASE_NOW", "2026-05-01T00:00:00Z", 1);
	tzset();
	return 0;
}

static void
check_time(const char *s, int64_t t)
{
	char utc[CASE_TIME_BUF], loc[CASE_TIME_BUF], ics[CASE_TIME_BUF];
	struct case_err err;
	int64_t back;

	FUZZ_CHECK(t >= CASE_TIME_MIN && t <= CASE_TIME_MAX,
		   "'%s' parsed to %lld", s, (long long)t);
	case_time_utc(t, utc);
	case_time_ics(t, ics);
	case_time_local(t, loc);
	FUZZ_CHECK(strlen(utc) == 20, "'%s' formats as '%s'", s, utc);
	FUZZ_CHECK(strlen(ics) == 16, "'%s' formats as '%s'", s, ics);

	/* The UTC form is a form the parser takes, for the same second. */
	FUZZ_CHECK(case_time_parse(utc, NOW, &back, &err) == 0,
		   "'%s' -> '%s' is refused: %s", s, utc, err.msg);
	FUZZ_CHECK(back == t, "'%s' -> %lld -> '%s' -> %lld", s, (long long)t,
		   utc, (long long)back);

	/* The local form is minutes only, and summer time can repeat an
	 * hour; anything further off is a fault.  Years past 9999 in local
	 * time cannot be written in four digits and are passed over, and
	 * so are the first minutes of year 1, whose local minute can begin
	 * before the range does (the zone's first offset has seconds). */
	if (strlen(loc) == 16 && t >= CASE_TIME_MIN + 60) {
		FUZZ_CHECK(case_time_parse(loc, NOW, &back, &err) == 0,
			   "'%s' -> '%s' is refused: %s", s, loc, err.msg);
		FUZZ_CHECK(back - t < 3600 && t - back < 3660,
			   "'%s' -> %lld -> '%s' -> %lld", s, (long long)t,
			   loc, (long long)back);
	}
}

static void
check_dur(const char *s, int64_t d)
{
	char buf[CASE_TIME_BUF];
	struct case_err err;
	int64_t back;

	FUZZ_CHECK(d >= 0 && d <= MAX_DUR && d % 60 == 0,
		   "duration '%s' parsed to %lld", s, (long long)d);
	case_dur_fmt(d, buf);
	FUZZ_CHECK(case_dur_parse(buf, &back, &err) == 0,
		   "'%s' -> '%s' is refused: %s", s, buf, err.msg);
	/* The two largest units: days and hours lose the minutes. */
	FUZZ_CHECK(back <= d && d - back < (d >= 86400 ? 3600 : 60),
		   "'%s' -> %lld -> '%s' -> %lld", s, (long long)d, buf,
		   (long long)back);
	case_dur_fmt(-d, buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size);
	struct case_err err;
	int64_t t = 0, d = 0, now;
	int rc;

	case_err_clear(&err);
	rc = case_time_parse(s, NOW, &t, &err);
	FUZZ_CHECK(rc == 0 || (rc == -1 && err.msg[0] != '\0'),
		   "'%s': rc %d", s, rc);
	if (rc == 0)
		check_time(s, t);

	/* Relative forms against the far ends of the range. */
	if (case_time_parse(s, CASE_TIME_MAX, &t, &err) == 0)
		check_time(s, t);
	if (case_time_parse(s, CASE_TIME_MIN, &t, &err) == 0)
		check_time(s, t);

	case_err_clear(&err);
	rc = case_dur_parse(s, &d, &err);
	FUZZ_CHECK(rc == 0 || (rc == -1 && err.msg[0] != '\0'),
		   "'%s': rc %d", s, rc);
	if (rc == 0)
		check_dur(s, d);

	/* Formatting takes any int64 without a fault. */
	if (size >= 8) {
		char buf[CASE_TIME_BUF];
		int64_t v;

		memcpy(&v, data, sizeof v);
		case_dur_fmt(v == INT64_MIN ? 0 : v, buf);
		if (v >= CASE_TIME_MIN && v <= CASE_TIME_MAX) {
			case_time_utc(v, buf);
			case_time_ics(v, buf);
			case_time_local(v, buf);
		}
	}
	if (case_time_now(&now, &err) != 0 || now != NOW)
		FUZZ_CHECK(0, "CASE_NOW: %s", err.msg);
	free(s);
	return 0;
}
