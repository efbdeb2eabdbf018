/*
 * Unit tests for the output writer: the same rows in text, CSV, TSV and
 * JSON Lines, compared byte for byte; empty listings; the header flag;
 * spreadsheet neutralising and byte-order marks; cutting text to a width;
 * local times inside journal details; xlsx workbooks (their cells are
 * read back by tests/cli/case-report.sh).  Output is captured with
 * open_memstream().
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "case/out.h"
#include "case/text.h"

/* 2026-05-01T00:00:00Z, 08:00 in Asia/Shanghai. */
#define T0 1777593600LL

static const struct case_col cols[] = {
	{"id", CASE_COL_INT},
	{"unit", CASE_COL_TEXT},
	{"opened", CASE_COL_TIME},
	{"score", CASE_COL_REAL},
	{"summary", CASE_COL_TEXT},
};
#define NCOLS (sizeof cols / sizeof cols[0])

struct capture {
	FILE *fp;
	char *buf;
	size_t len;
};

static struct case_out *
start(struct capture *c, enum case_fmt fmt, unsigned flags,
      const struct case_col *cs, size_t n)
{
	struct case_out *o;

	c->buf = NULL;
	c->len = 0;
	c->fp = open_memstream(&c->buf, &c->len);
	assert_non_null(c->fp);
	o = case_out_new(c->fp, fmt, flags, cs, n);
	assert_non_null(o);
	return o;
}

/* Finish the writer and compare what it wrote with want. */
static void
finish(struct capture *c, struct case_out *o, const char *want)
{
	struct case_err err;

	assert_int_equal(case_out_finish(o, &err), 0);
	fclose(c->fp);
	if (strcmp(c->buf, want) != 0)
		fail_msg("output differs.\n--- got:\n%s\n--- expected:\n%s\n---",
			 c->buf, want);
	free(c->buf);
}

static void
end_row(struct case_out *o)
{
	struct case_err err;

	assert_int_equal(case_out_end_row(o, &err), 0);
}

/* The same three rows for every format. */
static void
rows(struct case_out *o)
{
	case_out_int(o, 1);
	case_out_text(o, "前进派出所");
	case_out_time(o, T0);
	case_out_real(o, 2.5);
	case_out_text(o, "noise, \"at night\"");
	end_row(o);

	case_out_int(o, 12);
	case_out_text(o, "pcs");
	case_out_null(o);
	case_out_real(o, 100);
	case_out_text(o, "tab\there\\back");
	end_row(o);

	case_out_int(o, -3);
	case_out_text(o, NULL);
	case_out_time(o, T0 + 3600 + 59);
	case_out_null(o);
	case_out_text(o, "line1\nline2\r");
	end_row(o);
	assert_int_equal(case_out_rows(o), 3);
}

static void
test_text(void **state)
{
	struct capture c;
	struct case_out *o = start(&c, CASE_FMT_TEXT, 0, cols, NCOLS);

	(void)state;
	rows(o);
	finish(&c, o,
	       "id  unit        opened            score  summary\n"
	       " 1  前进派出所  2026-05-01 08:00    2.5  noise, \"at night\"\n"
	       "12  pcs         -                 100.0  tab\\there\\back\n"
	       "-3  -           2026-05-01 09:00      -  line1\\nline2\\r\n");
}

static void
test_text_no_header(void **state)
{
	struct capture c;
	struct case_out *o = start(&c, CASE_FMT_TEXT, CASE_OUT_NOHEADER, cols,
				   NCOLS);

	(void)state;
	rows(o);
	/* Columns are as wide as their widest cell, the header no longer
	 * counting. */
	finish(&c, o,
	       " 1  前进派出所  2026-05-01 08:00    2.5  noise, \"at night\"\n"
	       "12  pcs         -                 100.0  tab\\there\\back\n"
	       "-3  -           2026-05-01 09:00      -  line1\\nline2\\r\n");
}

/* Wide characters count two columns, combining marks none; the header is
 * aligned with them too. */
static void
test_text_wide(void **state)
{
	static const struct case_col cs[] = {
		{"单位", CASE_COL_TEXT},
		{"n", CASE_COL_INT},
		{"name", CASE_COL_TEXT},
	};
	struct capture c;
	struct case_out *o = start(&c, CASE_FMT_TEXT, 0, cs, 3);

	(void)state;
	assert_int_equal(case_text_width("前进派出所"), 10);
	case_out_text(o, "a");
	case_out_int(o, 7);
	case_out_text(o, "x");
	end_row(o);
	case_out_text(o, "调解室ab");
	case_out_int(o, 1234);
	case_out_text(o, "e\xcc\x81t\xc3\xa9");
	end_row(o);
	case_out_text(o, "ＡＢ");
	case_out_int(o, 0);
	case_out_text(o, "-");
	end_row(o);
	case_out_text(o, "min");
	case_out_int(o, INT64_MIN);
	case_out_text(o, "max");
	end_row(o);
	case_out_text(o, "max");
	case_out_int(o, INT64_MAX);
	case_out_null(o);
	end_row(o);
	finish(&c, o,
	       "单位                         n  name\n"
	       "a                            7  x\n"
	       "调解室ab                  1234  e\xcc\x81t\xc3\xa9\n"
	       "ＡＢ                         0  -\n"
	       "min       -9223372036854775808  max\n"
	       "max        9223372036854775807  -\n");
}

static void
test_text_empty(void **state)
{
	struct capture c;
	struct case_out *o = start(&c, CASE_FMT_TEXT, 0, cols, NCOLS);

	(void)state;
	finish(&c, o, "");
	o = start(&c, CASE_FMT_TEXT, CASE_OUT_NOHEADER, cols, NCOLS);
	finish(&c, o, "");
}

/* No line of text output ends in a space, whatever its last cell. */
static void
test_text_no_trailing_spaces(void **state)
{
	static const struct case_col cs[] = {
		{"code", CASE_COL_TEXT},
		{"note", CASE_COL_TEXT},
	};
	struct capture c;
	struct case_out *o = start(&c, CASE_FMT_TEXT, 0, cs, 2);

	(void)state;
	case_out_text(o, "a");
	case_out_text(o, "");
	end_row(o);
	case_out_text(o, "bbbbbb");
	case_out_text(o, "x");
	end_row(o);
	finish(&c, o,
	       "code    note\n"
	       "a\n"
	       "bbbbbb  x\n");
}

/* Control characters never reach the terminal raw, and a cell stays on its
 * line. */
static void
test_text_controls(void **state)
{
	static const struct case_col cs[] = {
		{"a", CASE_COL_TEXT},
		{"b", CASE_COL_TEXT},
	};
	struct capture c;
	struct case_out *o = start(&c, CASE_FMT_TEXT, 0, cs, 2);

	(void)state;
	case_out_text(o, "\x1b[31mred");
	case_out_text(o, "bell\x07\x7f");
	end_row(o);
	finish(&c, o,
	       "a            b\n"
	       "\\x1b[31mred  bell\\x07\\x7f\n");
}

static void
test_csv(void **state)
{
	struct capture c;
	struct case_out *o = start(&c, CASE_FMT_CSV, 0, cols, NCOLS);

	(void)state;
	rows(o);
	finish(&c, o,
	       "id,unit,opened,score,summary\n"
	       "1,前进派出所,2026-05-01T00:00:00Z,2.5,\"noise, \"\"at night\"\"\"\n"
	       "12,pcs,,100.0,tab\there\\back\n"
	       "-3,,2026-05-01T01:00:59Z,,\"line1\nline2\r\"\n");
}

/* Quoting only where needed: a comma, a quote, CR or LF; spaces,
 * semicolons and wide text pass as they are. */
static void
test_csv_quoting(void **state)
{
	static const struct case_col cs[] = {{"v", CASE_COL_TEXT}};
	static const char *const in[] = {
		"plain", "with space", " lead", "semi;colon", "a,b", "\"",
		"say \"hi\"", "cr\r", "lf\n", "", "调解,室", "'", NULL,
	};
	struct capture c;
	struct case_out *o = start(&c, CASE_FMT_CSV, 0, cs, 1);
	size_t i;

	(void)state;
	for (i = 0; in[i] != NULL; i++) {
		case_out_text(o, in[i]);
		end_row(o);
	}
	finish(&c, o,
	       "v\n"
	       "plain\n"
	       "with space\n"
	       " lead\n"
	       "semi;colon\n"
	       "\"a,b\"\n"
	       "\"\"\"\"\n"
	       "\"say \"\"hi\"\"\"\n"
	       "\"cr\r\"\n"
	       "\"lf\n\"\n"
	       "\n"
	       "\"调解,室\"\n"
	       "'\n");
}

/* Column names are quoted by the same rule. */
static void
test_csv_header_quoting(void **state)
{
	static const struct case_col cs[] = {
		{"a,b", CASE_COL_TEXT},
		{"c", CASE_COL_INT},
	};
	struct capture c;
	struct case_out *o = start(&c, CASE_FMT_CSV, 0, cs, 2);

	(void)state;
	case_out_text(o, "x");
	case_out_int(o, 5);
	end_row(o);
	finish(&c, o, "\"a,b\",c\nx,5\n");
}

static void
test_csv_empty_and_no_header(void **state)
{
	struct capture c;
	struct case_out *o;

	(void)state;
	o = start(&c, CASE_FMT_CSV, 0, cols, NCOLS);
	finish(&c, o, "id,unit,opened,score,summary\n");

	o = start(&c, CASE_FMT_CSV, CASE_OUT_NOHEADER, cols, NCOLS);
	finish(&c, o, "");

	o = start(&c, CASE_FMT_CSV, CASE_OUT_NOHEADER, cols, NCOLS);
	rows(o);
	finish(&c, o,
	       "1,前进派出所,2026-05-01T00:00:00Z,2.5,\"noise, \"\"at night\"\"\"\n"
	       "12,pcs,,100.0,tab\there\\back\n"
	       "-3,,2026-05-01T01:00:59Z,,\"line1\nline2\r\"\n");
}

static void
test_tsv(void **state)
{
	struct capture c;
	struct case_out *o = start(&c, CASE_FMT_TSV, 0, cols, NCOLS);

	(void)state;
	rows(o);
	finish(&c, o,
	       "id\tunit\topened\tscore\tsummary\n"
	       "1\t前进派出所\t2026-05-01T00:00:00Z\t2.5\tnoise, \"at night\"\n"
	       "12\tpcs\t\t100.0\ttab\\there\\\\back\n"
	       "-3\t\t2026-05-01T01:00:59Z\t\tline1\\nline2\\r\n");
}

static void
test_tsv_empty_and_no_header(void **state)
{
	struct capture c;
	struct case_out *o;

	(void)state;
	o = start(&c, CASE_FMT_TSV, 0, cols, NCOLS);
	finish(&c, o, "id\tunit\topened\tscore\tsummary\n");
	o = start(&c, CASE_FMT_TSV, CASE_OUT_NOHEADER, cols, NCOLS);
	finish(&c, o, "");
	o = start(&c, CASE_FMT_TSV, CASE_OUT_NOHEADER, cols, 1);
	case_out_int(o, 9);
	end_row(o);
	finish(&c, o, "9\n");
}

static void
test_json(void **state)
{
	struct capture c;
	struct case_out *o = start(&c, CASE_FMT_JSON, 0, cols, NCOLS);

	(void)state;
	rows(o);
	finish(&c, o,
	       "{\"id\":1,\"unit\":\"前进派出所\",\"opened\":\"2026-05-01T00:00:00Z\","
	       "\"score\":2.5,\"summary\":\"noise, \\\"at night\\\"\"}\n"
	       "{\"id\":12,\"unit\":\"pcs\",\"opened\":null,\"score\":100.0,"
	       "\"summary\":\"tab\\there\\\\back\"}\n"
	       "{\"id\":-3,\"unit\":null,\"opened\":\"2026-05-01T01:00:59Z\","
	       "\"score\":null,\"summary\":\"line1\\nline2\\r\"}\n");
}

static void
test_json_escapes(void **state)
{
	static const struct case_col cs[] = {{"k\"ey", CASE_COL_TEXT}};
	struct capture c;
	struct case_out *o = start(&c, CASE_FMT_JSON, CASE_OUT_NOHEADER, cs, 1);

	(void)state;
	case_out_text(o, "\x01\x1f\x7f/\xe2\x80\xa8 ok");
	end_row(o);
	case_out_text(o, "");
	end_row(o);
	finish(&c, o,
	       "{\"k\\\"ey\":\"\\u0001\\u001f\\u007f/\xe2\x80\xa8 ok\"}\n"
	       "{\"k\\\"ey\":\"\"}\n");
}

static void
test_json_empty(void **state)
{
	struct capture c;
	struct case_out *o = start(&c, CASE_FMT_JSON, 0, cols, NCOLS);

	(void)state;
	finish(&c, o, "");
}

/* Durations: 3d4h in text, whole seconds elsewhere. */
static void
test_durations(void **state)
{
	static const struct case_col cs[] = {
		{"id", CASE_COL_INT},
		{"late", CASE_COL_DUR},
	};
	struct capture c;
	struct case_out *o;

	(void)state;
	o = start(&c, CASE_FMT_TEXT, 0, cs, 2);
	case_out_int(o, 1);
	case_out_time(o, 3 * 86400 + 4 * 3600);
	end_row(o);
	case_out_int(o, 2);
	case_out_time(o, 45 * 60);
	end_row(o);
	finish(&c, o, "id  late\n 1  3d4h\n 2  45m\n");

	o = start(&c, CASE_FMT_CSV, 0, cs, 2);
	case_out_int(o, 1);
	case_out_time(o, 3 * 86400 + 4 * 3600);
	end_row(o);
	finish(&c, o, "id,late\n1,273600\n");

	o = start(&c, CASE_FMT_JSON, 0, cs, 2);
	case_out_int(o, 1);
	case_out_time(o, 45 * 60);
	end_row(o);
	finish(&c, o, "{\"id\":1,\"late\":2700}\n");
}

/* A row ended early is filled with nulls. */
static void
test_short_row(void **state)
{
	struct capture c;
	struct case_out *o = start(&c, CASE_FMT_CSV, CASE_OUT_NOHEADER, cols,
				   NCOLS);

	(void)state;
	case_out_int(o, 5);
	end_row(o);
	finish(&c, o, "5,,,,\n");
}

/* Cells a spreadsheet would run as formulas get a leading quote in every
 * format; numbers and times do not. */
static void
test_spreadsheet(void **state)
{
	static const struct case_col cs[] = {
		{"n", CASE_COL_INT},
		{"a", CASE_COL_TEXT},
		{"b", CASE_COL_TEXT},
		{"c", CASE_COL_TEXT},
		{"d", CASE_COL_TEXT},
		{"e", CASE_COL_TEXT},
	};
	struct capture c;
	struct case_out *o;

	(void)state;
	o = start(&c, CASE_FMT_CSV, CASE_OUT_SPREADSHEET, cs, 6);
	case_out_int(o, -5);
	case_out_text(o, "=1+2");
	case_out_text(o, "+86 10");
	case_out_text(o, "-x");
	case_out_text(o, "@SUM(A1)");
	case_out_text(o, "safe=");
	end_row(o);
	finish(&c, o,
	       "\xef\xbb\xbf"
	       "n,a,b,c,d,e\n"
	       "-5,\"'=1+2\",\"'+86 10\",\"'-x\",\"'@SUM(A1)\",safe=\n");

	o = start(&c, CASE_FMT_TSV, CASE_OUT_SPREADSHEET, cs, 6);
	case_out_int(o, -5);
	case_out_text(o, "=1+2");
	case_out_text(o, "+86 10");
	case_out_text(o, "-x");
	case_out_text(o, "@SUM(A1)");
	case_out_text(o, "safe=");
	end_row(o);
	finish(&c, o,
	       "\xef\xbb\xbf"
	       "n\ta\tb\tc\td\te\n"
	       "-5\t'=1+2\t'+86 10\t'-x\t'@SUM(A1)\tsafe=\n");

	o = start(&c, CASE_FMT_JSON, CASE_OUT_SPREADSHEET, cs, 2);
	case_out_int(o, -5);
	case_out_text(o, "=1+2");
	end_row(o);
	finish(&c, o, "{\"n\":-5,\"a\":\"'=1+2\"}\n");

	o = start(&c, CASE_FMT_TEXT, CASE_OUT_SPREADSHEET, cs, 2);
	case_out_int(o, -5);
	case_out_text(o, "=1+2");
	end_row(o);
	finish(&c, o, " n  a\n-5  '=1+2\n");

	/* Without the flag, nothing changes. */
	o = start(&c, CASE_FMT_CSV, 0, cs, 2);
	case_out_int(o, -5);
	case_out_text(o, "=1+2");
	end_row(o);
	finish(&c, o, "n,a\n-5,=1+2\n");
}

static void
test_fmt_parse(void **state)
{
	struct case_err err;
	enum case_fmt f;

	(void)state;
	assert_int_equal(case_fmt_parse("text", &f, &err), 0);
	assert_int_equal(f, CASE_FMT_TEXT);
	assert_int_equal(case_fmt_parse("csv", &f, &err), 0);
	assert_int_equal(f, CASE_FMT_CSV);
	assert_int_equal(case_fmt_parse("tsv", &f, &err), 0);
	assert_int_equal(f, CASE_FMT_TSV);
	assert_int_equal(case_fmt_parse("json", &f, &err), 0);
	assert_int_equal(f, CASE_FMT_JSON);
	assert_int_equal(case_fmt_parse("xlsx", &f, &err), 0);
	assert_int_equal(f, CASE_FMT_XLSX);
	assert_int_equal(case_fmt_parse("xml", &f, &err), -1);
	assert_string_equal(err.msg, "unknown format 'xml' (expected text, "
				     "csv, tsv, json or xlsx)");
	assert_int_equal(case_fmt_parse("", &f, &err), -1);
	assert_int_equal(case_fmt_parse("CSV", &f, &err), -1);
}

/* The byte-order mark of a spreadsheet's CSV or TSV comes first, once,
 * with or without a header, and only when anything is written at all;
 * JSON and plain CSV have none. */
static void
test_spreadsheet_bom(void **state)
{
	static const struct case_col cs[] = {{"ref", CASE_COL_TEXT}};
	struct capture c;
	struct case_out *o;

	(void)state;
	o = start(&c, CASE_FMT_CSV, CASE_OUT_SPREADSHEET, cs, 1);
	finish(&c, o, "\xef\xbb\xbf" "ref\n");
	o = start(&c, CASE_FMT_CSV, CASE_OUT_SPREADSHEET | CASE_OUT_NOHEADER,
		  cs, 1);
	finish(&c, o, "");
	o = start(&c, CASE_FMT_TSV, CASE_OUT_SPREADSHEET | CASE_OUT_NOHEADER,
		  cs, 1);
	case_out_text(o, "007");
	end_row(o);
	case_out_text(o, "008");
	end_row(o);
	finish(&c, o, "\xef\xbb\xbf" "007\n008\n");
	o = start(&c, CASE_FMT_CSV, 0, cs, 1);
	case_out_text(o, "007");
	end_row(o);
	finish(&c, o, "ref\n007\n");
	o = start(&c, CASE_FMT_JSON, CASE_OUT_SPREADSHEET, cs, 1);
	case_out_text(o, "007");
	end_row(o);
	finish(&c, o, "{\"ref\":\"007\"}\n");
}

static const struct case_col cut_cols[] = {
	{"id", CASE_COL_INT},
	{"summary", CASE_COL_TEXT, CASE_COL_CUT},
	{"n", CASE_COL_INT},
};

/* cut_rows as they are with nothing cut. */
static const char uncut[] =
	"id  summary                               n\n"
	" 1  华宇社区3号楼楼下夜市大排档噪音扰民  10\n"
	"22  Square dancing music too loud         3\n"
	" 3  short                                 -\n";

static void
cut_rows(struct case_out *o)
{
	case_out_int(o, 1);
	case_out_text(o, "华宇社区3号楼楼下夜市大排档噪音扰民");
	case_out_int(o, 10);
	end_row(o);
	case_out_int(o, 22);
	case_out_text(o, "Square dancing music too loud");
	case_out_int(o, 3);
	end_row(o);
	case_out_int(o, 3);
	case_out_text(o, "short");
	case_out_null(o);
	end_row(o);
}

/* With a width to fit, the CASE_COL_CUT column gives up what the lines
 * are too wide: its long cells end in "…" within it, wide characters
 * counting two and no space left before the "…", and the columns after
 * it stay aligned: every line is 24 columns wide. */
static void
test_text_fit(void **state)
{
	struct capture c;
	struct case_out *o = start(&c, CASE_FMT_TEXT, 0, cut_cols, 3);

	(void)state;
	case_out_fit(o, 24);
	cut_rows(o);
	finish(&c, o,
	       "id  summary            n\n"
	       " 1  华宇社区3号楼楼…  10\n"
	       "22  Square dancing…    3\n"
	       " 3  short              -\n");
	/* Wide enough: nothing is cut. */
	o = start(&c, CASE_FMT_TEXT, 0, cut_cols, 3);
	case_out_fit(o, 48);
	cut_rows(o);
	finish(&c, o, uncut);
}

/* Without a width (a pipe or a file) nothing is cut; too narrow a width
 * leaves the column as wide as its name, and lines longer than the
 * width. */
static void
test_text_fit_limits(void **state)
{
	static const struct case_col last[] = {
		{"id", CASE_COL_INT},
		{"summary", CASE_COL_TEXT, CASE_COL_CUT},
	};
	struct capture c;
	struct case_out *o = start(&c, CASE_FMT_TEXT, 0, cut_cols, 3);

	(void)state;
	cut_rows(o);
	finish(&c, o, uncut);
	o = start(&c, CASE_FMT_TEXT, 0, last, 2);
	case_out_fit(o, 5);
	case_out_int(o, 22);
	case_out_text(o, "Square dancing music too loud");
	end_row(o);
	case_out_int(o, 3);
	case_out_text(o, "short");
	end_row(o);
	finish(&c, o,
	       "id  summary\n"
	       "22  Square…\n"
	       " 3  short\n");
	/* Other formats are never cut. */
	o = start(&c, CASE_FMT_CSV, 0, last, 2);
	case_out_fit(o, 5);
	case_out_int(o, 22);
	case_out_text(o, "Square dancing music too loud");
	end_row(o);
	finish(&c, o, "id,summary\n22,Square dancing music too loud\n");
}

/* The UTC times inside a CASE_COL_STAMPS cell are local in text and left
 * as stored in the other formats; other text columns are never touched. */
static void
test_stamps(void **state)
{
	static const struct case_col cs[] = {
		{"detail", CASE_COL_TEXT, CASE_COL_STAMPS},
		{"summary", CASE_COL_TEXT},
	};
	static const char detail[] = "first visit due 2026-05-24T01:00:00Z";
	struct capture c;
	struct case_out *o = start(&c, CASE_FMT_TEXT, 0, cs, 2);

	(void)state;
	case_out_text(o, detail);
	case_out_text(o, "2026-05-24T01:00:00Z");
	end_row(o);
	finish(&c, o,
	       "detail                            summary\n"
	       "first visit due 2026-05-24 09:00  2026-05-24T01:00:00Z\n");
	o = start(&c, CASE_FMT_CSV, 0, cs, 2);
	case_out_text(o, detail);
	case_out_text(o, "x");
	end_row(o);
	finish(&c, o,
	       "detail,summary\n"
	       "first visit due 2026-05-24T01:00:00Z,x\n");
}

/* An xlsx workbook goes to the stream whole, as a zip archive, at the
 * end; an empty listing is a workbook too; a cell longer than a
 * worksheet cell holds fails with a message naming its row and column,
 * and then nothing is written. */
static void
test_xlsx(void **state)
{
	struct capture c;
	struct case_out *o = start(&c, CASE_FMT_XLSX, 0, cols, NCOLS);
	struct case_err err;
	char *big;

	(void)state;
	rows(o);
	assert_int_equal(case_out_finish(o, &err), 0);
	fclose(c.fp);
	assert_true(c.len > 1000);
	assert_memory_equal(c.buf, "PK\x03\x04", 4);
	free(c.buf);

	o = start(&c, CASE_FMT_XLSX, CASE_OUT_NOHEADER, cols, NCOLS);
	assert_int_equal(case_out_finish(o, &err), 0);
	fclose(c.fp);
	assert_true(c.len > 1000);
	free(c.buf);

	big = malloc(40000);
	assert_non_null(big);
	memset(big, 'x', 39999);
	big[39999] = '\0';
	o = start(&c, CASE_FMT_XLSX, 0, cols, NCOLS);
	rows(o);
	case_out_int(o, 4);
	case_out_text(o, big);
	assert_int_equal(case_out_end_row(o, &err), -1);
	assert_string_equal(err.msg,
			    "row 5, column unit: a worksheet cell holds at most "
			    "32767 characters; leave the column out or use "
			    "--format csv");
	assert_int_equal(case_out_finish(o, NULL), -1);
	fclose(c.fp);
	assert_int_equal(c.len, 0);
	free(c.buf);
	free(big);
}

/* A write error is reported by case_out_finish. */
static void
test_write_error(void **state)
{
	struct case_err err;
	struct case_out *o;
	FILE *fp = fopen("/dev/full", "w");

	(void)state;
	if (fp == NULL)
		skip();
	o = case_out_new(fp, CASE_FMT_CSV, 0, cols, NCOLS);
	assert_non_null(o);
	rows(o);
	assert_int_equal(case_out_finish(o, &err), -1);
	assert_int_equal(err.kind, CASE_E_IO);
	assert_non_null(strstr(err.msg, "cannot write output"));
	fclose(fp);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_text_no_header),
		cmocka_unit_test(test_text_wide),
		cmocka_unit_test(test_text_empty),
		cmocka_unit_test(test_text_no_trailing_spaces),
		cmocka_unit_test(test_text_controls),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_csv_quoting),
		cmocka_unit_test(test_csv_header_quoting),
		cmocka_unit_test(test_csv_empty_and_no_header),
		cmocka_unit_test(test_tsv),
		cmocka_unit_test(test_tsv_empty_and_no_header),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_json_escapes),
		cmocka_unit_test(test_json_empty),
		cmocka_unit_test(test_durations),
		cmocka_unit_test(test_short_row),
		cmocka_unit_test(test_spreadsheet),
		cmocka_unit_test(test_spreadsheet_bom),
		cmocka_unit_test(test_text_fit),
		cmocka_unit_test(test_text_fit_limits),
		cmocka_unit_test(test_stamps),
		cmocka_unit_test(test_xlsx),
		cmocka_unit_test(test_fmt_parse),
		cmocka_unit_test(test_write_error),
	};

	setenv("TZ", "Asia/Shanghai", 0);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
