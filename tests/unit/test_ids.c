/*
 * Unit tests for the id reader (SPEC section 5, "Case ids in"): one id
 * parsed, and streams read with fmemopen().
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "case/ids.h"

static void
test_id_parse(void **state)
{
	struct case_err err;
	int64_t id;

	(void)state;
	assert_int_equal(case_id_parse("1", &id, &err), 0);
	assert_int_equal(id, 1);
	assert_int_equal(case_id_parse("42", &id, &err), 0);
	assert_int_equal(id, 42);
	assert_int_equal(case_id_parse("007", &id, &err), 0);
	assert_int_equal(id, 7);
	assert_int_equal(case_id_parse("9223372036854775807", &id, &err), 0);
	assert_int_equal(id, INT64_MAX);
}

static void
id_bad(const char *s, const char *msg)
{
	struct case_err err;
	int64_t id = 99;

	if (case_id_parse(s, &id, &err) == 0)
		fail_msg("'%s' was accepted as %lld", s, (long long)id);
	assert_int_equal(err.kind, CASE_E_INPUT);
	assert_string_equal(err.msg, msg);
	assert_int_equal(id, 99);
}

static void
test_id_parse_bad(void **state)
{
	(void)state;
	id_bad("", "bad case id '' (expected a positive whole number)");
	id_bad("0", "bad case id '0' (expected a positive whole number)");
	id_bad("000", "bad case id '000' (expected a positive whole number)");
	id_bad("-3", "bad case id '-3' (expected a positive whole number)");
	id_bad("+3", "bad case id '+3' (expected a positive whole number)");
	id_bad("abc", "bad case id 'abc' (expected a positive whole number)");
	id_bad("12a", "bad case id '12a' (expected a positive whole number)");
	id_bad(" 12", "bad case id ' 12' (expected a positive whole number)");
	id_bad("12 ", "bad case id '12 ' (expected a positive whole number)");
	id_bad("1.0", "bad case id '1.0' (expected a positive whole number)");
	id_bad("0x10", "bad case id '0x10' (expected a positive whole number)");
	id_bad("\x01", "bad case id '\\x01' (expected a positive whole number)");
	id_bad("9223372036854775808",
	       "case id '9223372036854775808' is too large");
	id_bad("99999999999999999999",
	       "case id '99999999999999999999' is too large");
}

/* Read every id from text (of len bytes) into got; bad lines are collected
 * as messages in errs, separated by '|'.  Returns the number of ids. */
static size_t
read_all(const char *text, size_t len, int64_t *got, size_t max, char *errs,
	 size_t errsz)
{
	struct case_ids r;
	struct case_err err;
	FILE *fp = fmemopen((void *)text, len, "r");
	int64_t id;
	size_t n = 0;
	int rc;

	assert_non_null(fp);
	errs[0] = '\0';
	case_ids_init(&r, fp);
	while ((rc = case_ids_next(&r, &id, &err)) != 0) {
		if (rc == -2)
			fail_msg("read error: %s", err.msg);
		if (rc == -1) {
			size_t o = strlen(errs);

			snprintf(errs + o, errsz - o, "%s%s", o ? "|" : "",
				 err.msg);
			continue;
		}
		assert_int_equal(rc, 1);
		assert_true(n < max);
		got[n++] = id;
	}
	/* The end stays the end. */
	assert_int_equal(case_ids_next(&r, &id, &err), 0);
	case_ids_free(&r);
	fclose(fp);
	return n;
}

#define READ(text, got, errs) \
	read_all(text, sizeof(text) - 1, got, 64, errs, sizeof errs)

static void
test_stream_first_field(void **state)
{
	static const char text[] = "1\n"
				   "2\tfirst listing row\n"
				   "3,csv,row\n"
				   "4 a space\n"
				   "5\t2026-05-01 08:00\tx\n"
				   "  6\n"
				   "\t7\n"
				   "8";
	int64_t got[64];
	char errs[1024];
	size_t n = READ(text, got, errs);

	(void)state;
	assert_string_equal(errs, "");
	assert_int_equal(n, 8);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(got[i], (int64_t)i + 1);
}

static void
test_stream_skips(void **state)
{
	static const char text[] = "# a comment\n"
				   "\n"
				   "   \n"
				   "id,kind,summary\n"
				   "10,dispute,x\n"
				   "\n"
				   "# 99 is commented out\n"
				   "   # so is 98\n"
				   "11\n";
	int64_t got[64];
	char errs[1024];
	size_t n = READ(text, got, errs);

	(void)state;
	assert_string_equal(errs, "");
	assert_int_equal(n, 2);
	assert_int_equal(got[0], 10);
	assert_int_equal(got[1], 11);
}

static void
test_stream_header(void **state)
{
	int64_t got[64];
	char errs[1024];
	size_t n;

	(void)state;
	{
		static const char text[] = "ID\tstatus\n5\n";

		n = READ(text, got, errs);
		assert_string_equal(errs, "");
		assert_int_equal(n, 1);
		assert_int_equal(got[0], 5);
	}
	{
		static const char text[] = "Id\n5\n";

		n = READ(text, got, errs);
		assert_string_equal(errs, "");
		assert_int_equal(n, 1);
	}
	{
		static const char text[] = "id\n";

		n = READ(text, got, errs);
		assert_string_equal(errs, "");
		assert_int_equal(n, 0);
	}
	{
		/* Only the first line may be a header. */
		static const char text[] = "id\n5\nid\n6\n";

		n = READ(text, got, errs);
		assert_string_equal(errs,
				    "line 3: bad case id 'id' (expected a "
				    "positive whole number)");
		assert_int_equal(n, 2);
		assert_int_equal(got[0], 5);
		assert_int_equal(got[1], 6);
	}
	{
		static const char text[] = "5\nid\n";

		n = READ(text, got, errs);
		assert_string_equal(errs,
				    "line 2: bad case id 'id' (expected a "
				    "positive whole number)");
		assert_int_equal(n, 1);
	}
	{
		/* "identifier" is not a header. */
		static const char text[] = "identifier\n5\n";

		n = READ(text, got, errs);
		assert_string_equal(errs,
				    "line 1: bad case id 'identifier' "
				    "(expected a positive whole number)");
		assert_int_equal(n, 1);
	}
}

static void
test_stream_bad_ids(void **state)
{
	static const char text[] = "1\n"
				   "0\n"
				   "-3\n"
				   "abc def\n"
				   "99999999999999999999\n"
				   "2\n"
				   "3x\n"
				   "4\n";
	int64_t got[64];
	char errs[1024];
	size_t n = READ(text, got, errs);

	(void)state;
	assert_string_equal(
		errs,
		"line 2: bad case id '0' (expected a positive whole number)|"
		"line 3: bad case id '-3' (expected a positive whole number)|"
		"line 4: bad case id 'abc' (expected a positive whole number)|"
		"line 5: case id '99999999999999999999' is too large|"
		"line 7: bad case id '3x' (expected a positive whole number)");
	assert_int_equal(n, 3);
	assert_int_equal(got[0], 1);
	assert_int_equal(got[1], 2);
	assert_int_equal(got[2], 4);
}

static void
test_stream_crlf(void **state)
{
	static const char text[] = "id,summary\r\n"
				   "1,a\r\n"
				   "\r\n"
				   "2\r\n"
				   "# c\r\n"
				   "3\r\n";
	int64_t got[64];
	char errs[1024];
	size_t n = READ(text, got, errs);

	(void)state;
	assert_string_equal(errs, "");
	assert_int_equal(n, 3);
	assert_int_equal(got[0], 1);
	assert_int_equal(got[1], 2);
	assert_int_equal(got[2], 3);
}

static void
test_stream_nul(void **state)
{
	static const char text[] = "1\n2\0003\n4\n";
	int64_t got[64];
	char errs[1024];
	size_t n = READ(text, got, errs);

	(void)state;
	assert_string_equal(errs, "line 2: contains a NUL byte");
	assert_int_equal(n, 2);
	assert_int_equal(got[0], 1);
	assert_int_equal(got[1], 4);
}

/* A NUL byte on the first line: reported, and the next line is not taken
 * for a header. */
static void
test_stream_nul_first(void **state)
{
	static const char text[] = "\0001\nid\n";
	int64_t got[64];
	char errs[1024];
	size_t n = READ(text, got, errs);

	(void)state;
	assert_string_equal(errs, "line 1: contains a NUL byte|"
				  "line 2: bad case id 'id' (expected a "
				  "positive whole number)");
	assert_int_equal(n, 0);
}

static void
test_stream_empty(void **state)
{
	int64_t got[64];
	char errs[1024];

	(void)state;
	assert_int_equal(read_all("", 0, got, 64, errs, sizeof errs), 0);
	assert_string_equal(errs, "");
	assert_int_equal(read_all("\n\n# x\n", 6, got, 64, errs, sizeof errs),
			 0);
	assert_string_equal(errs, "");
}

/* A long line is read whole. */
static void
test_stream_long_line(void **state)
{
	size_t len = 100000;
	char *text = malloc(len + 8);
	int64_t got[64];
	char errs[1024];
	size_t n;

	(void)state;
	assert_non_null(text);
	memcpy(text, "77\t", 3);
	memset(text + 3, 'x', len - 3);
	memcpy(text + len, "\n78\n", 4);
	n = read_all(text, len + 4, got, 64, errs, sizeof errs);
	assert_string_equal(errs, "");
	assert_int_equal(n, 2);
	assert_int_equal(got[0], 77);
	assert_int_equal(got[1], 78);
	free(text);
}

/* A stream that cannot be read: -2, and a message saying why. */
static void
test_stream_unreadable(void **state)
{
	struct case_ids r;
	struct case_err err;
	int64_t id;
	FILE *fp = fopen("/dev/null", "w");

	(void)state;
	assert_non_null(fp);
	case_ids_init(&r, fp);
	assert_int_equal(case_ids_next(&r, &id, &err), -2);
	assert_int_equal(err.kind, CASE_E_IO);
	assert_non_null(strstr(err.msg, "cannot read ids: "));
	case_ids_free(&r);
	fclose(fp);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_id_parse),
		cmocka_unit_test(test_id_parse_bad),
		cmocka_unit_test(test_stream_first_field),
		cmocka_unit_test(test_stream_skips),
		cmocka_unit_test(test_stream_header),
		cmocka_unit_test(test_stream_bad_ids),
		cmocka_unit_test(test_stream_crlf),
		cmocka_unit_test(test_stream_nul),
		cmocka_unit_test(test_stream_nul_first),
		cmocka_unit_test(test_stream_empty),
		cmocka_unit_test(test_stream_long_line),
		cmocka_unit_test(test_stream_unreadable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
