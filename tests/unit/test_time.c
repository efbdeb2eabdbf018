/*
 * Unit tests for the time module: every accepted form, and the rejection
 * of malformed ones.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "case/time.h"

/* 2026-05-01T08:00:00+08:00, a Friday, in Asia/Shanghai (no DST). */
#define NOW 1777593600LL

static int64_t
parse_ok(const char *s)
{
	struct case_err err;
	int64_t t = 0;

	if (case_time_parse(s, NOW, &t, &err) != 0)
		fail_msg("'%s' was refused: %s", s, err.msg);
	return t;
}

static void
test_accepted_forms(void **state)
{
	(void)state;
	assert_int_equal(parse_ok("2026-05-01"), NOW - 8 * 3600);
	assert_int_equal(parse_ok("2026-05-01T14:00"), NOW + 6 * 3600);
	assert_int_equal(parse_ok("2026-05-01 14:00"), NOW + 6 * 3600);
	assert_int_equal(parse_ok("2026-05-01 14:00:30"), NOW + 6 * 3600 + 30);
	assert_int_equal(parse_ok("2026-05-01T14:00:30.123"), NOW + 6 * 3600 + 30);
	assert_int_equal(parse_ok("2026-05-01T06:00:00Z"), NOW + 6 * 3600);
	assert_int_equal(parse_ok("2026-05-01T06:00:00+08:00"), NOW - 2 * 3600);
	assert_int_equal(parse_ok("2026-05-01T06:00:00-0130"), NOW - 2 * 3600 + 9 * 3600 + 1800);
	assert_int_equal(parse_ok("now"), NOW);
	assert_int_equal(parse_ok("today"), NOW - 8 * 3600);
	assert_int_equal(parse_ok("yesterday"), NOW - 8 * 3600 - 86400);
	assert_int_equal(parse_ok("tomorrow"), NOW - 8 * 3600 + 86400);
	assert_int_equal(parse_ok("+3d"), NOW + 3 * 86400);
	assert_int_equal(parse_ok("-12h"), NOW - 12 * 3600);
	assert_int_equal(parse_ok("+90m"), NOW + 90 * 60);
	assert_int_equal(parse_ok("+2w"), NOW + 14 * 86400);
	assert_int_equal(parse_ok("2024-02-29"), 1709136000LL);
}

static void
test_rejected_forms(void **state)
{
	static const char *const bad[] = {
		"", "   ", "2026", "2026-05", "2026-5-1", "2026-13-01",
		"2026-02-30", "2025-02-29", "0000-01-01", "10000-01-01",
		"2026-05-01T25:00", "2026-05-01T12:60", "2026-05-01T12:00:61",
		"2026-05-01T12", "2026-05-01T12:00Zjunk", "2026-05-01X12:00",
		"+3", "+3x", "3d", "-3d4", "soon", "2026-05-01T12:00:00.",
		"2026-05-01T12:00+25:00", "+-3d", "now!", NULL,
	};
	struct case_err err;
	int64_t t;
	size_t i;

	(void)state;
	for (i = 0; bad[i] != NULL; i++) {
		if (case_time_parse(bad[i], NOW, &t, &err) == 0)
			fail_msg("'%s' was accepted", bad[i]);
		assert_non_null(strstr(err.msg, "bad time '"));
	}
	assert_true(i >= 15);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accepted_forms),
		cmocka_unit_test(test_rejected_forms),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
