/*
 * Fuzz target for the id-stream reader: the input is a stream of lines
 * read with case_ids_next until the end or a read error, and, as a C
 * string, a single operand for case_id_parse.  When the input is CSV from
 * its first line, libcsv reads it too, strictly, as case-open --file does,
 * and the ids must be the first fields of its records: no line inside a
 * quoted field is ever taken for an id, and malformed quoting stops both.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <csv.h>

#include "case/ids.h"
#include "fuzz.h"

/* What the id reader made of a stream. */
struct got {
	int64_t *ids;
	size_t n, cap;
	long bad;    /* records refused one by one (-1) */
	int stopped; /* the reading stopped on bad input (-2) */
};

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static void
got_id(struct got *g, int64_t id)
{
	if (g->n == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 64;
		if ((g->ids = realloc(g->ids, g->cap * sizeof *g->ids)) == NULL)
			abort();
	}
	g->ids[g->n++] = id;
}

static void
fuzz_stream(const uint8_t *data, size_t size, struct got *g)
{
	struct case_ids r;
	struct case_err err;
	int64_t id;
	long lines = 1, calls = 0;
	FILE *fp;
	int rc;

	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	if ((fp = fmemopen((void *)data, size, "r")) == NULL) {
		fprintf(stderr, "fmemopen: %s\n", strerror(errno));
		abort();
	}
	case_ids_init(&r, fp);
	do {
		case_err_clear(&err);
		id = 0;
		rc = case_ids_next(&r, &id, &err);
		FUZZ_CHECK(rc >= -2 && rc <= 1, "rc %d", rc);
		if (rc == 1) {
			FUZZ_CHECK(id > 0, "id %lld", (long long)id);
			got_id(g, id);
		} else if (rc < 0)
			FUZZ_CHECK(err.msg[0] != '\0', "rc %d, no message", rc);
		/* A memory stream never fails to be read: what stops the
		 * reading is bad quoting, on a line. */
		if (rc < 0)
			FUZZ_CHECK(strncmp(err.msg, "line ", 5) == 0,
				   "message without its line: %s", err.msg);
		g->bad += rc == -1;
		g->stopped = rc == -2;
		FUZZ_CHECK(r.lineno <= lines, "line %ld of %ld", r.lineno,
			   lines);
		/* Every call but the last takes at least one line. */
		FUZZ_CHECK(++calls <= lines + 1, "%ld calls for %ld lines",
			   calls, lines);
	} while (rc != 0 && rc != -2);
	case_ids_free(&r);
	fclose(fp);
}

/* libcsv's reading of the same input: the first field of each record
 * and whether it read to the end. */
struct oracle {
	size_t field;  /* fields so far in the current record */
	char first[256];
	long records;
	int too_long;  /* a first field longer than the id reader keeps */
	struct got want;
};

static void
oracle_field(void *s, size_t len, void *arg)
{
	struct oracle *o = arg;

	if (o->field++ != 0)
		return;
	if (len >= sizeof o->first) {
		o->too_long = 1;
		len = 0;
	}
	memcpy(o->first, s, len);
	o->first[len] = '\0';
}

/* A record counts once it is whole: the reader takes no id from a
 * record that its end shows to be malformed. */
static void
oracle_record(int c, void *arg)
{
	struct oracle *o = arg;
	struct case_err err;
	int64_t id;

	(void)c;
	o->field = 0;
	if (o->records++ == 0 && strcasecmp(o->first, "id") == 0)
		return; /* the header */
	if (case_id_parse(o->first, &id, &err) == 0)
		got_id(&o->want, id);
	else
		o->want.bad++;
}

static int
never_space(unsigned char c)
{
	(void)c;
	return 0;
}

/*
 * Compare with libcsv where both read the same language: input that is
 * CSV from its first line (the first field ends at a comma, or begins
 * with a quote), with none of what only the id reader skips or cuts at:
 * comments, blanks, NUL bytes and carriage returns that end no line.
 */
static void
oracle_check(const uint8_t *data, size_t size, const struct got *g)
{
	struct csv_parser p;
	struct oracle o;
	size_t i;
	int ok;

	/* The reader passes over a byte-order mark, which libcsv would read
	 * as part of the first field. */
	if (size >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
		data += 3;
		size -= 3;
	}
	for (i = 0; i < size && data[i] != ',' && data[i] != '\n' &&
		    data[i] != '\r';
	     i++)
		;
	if (size == 0 || (data[0] != '"' && (i == size || data[i] != ',')))
		return; /* the first line is not CSV */
	for (i = 0; i < size; i++)
		if (data[i] == '#' || data[i] == ' ' || data[i] == '\t' ||
		    data[i] == '\0' ||
		    (data[i] == '\r' && (i + 1 < size && data[i + 1] != '\n')))
			return;
	memset(&o, 0, sizeof o);
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0)
		abort();
	csv_set_space_func(&p, never_space);
	ok = csv_parse(&p, data, size, oracle_field, oracle_record, &o) ==
		     size &&
	     csv_fini(&p, oracle_field, oracle_record, &o) == 0;
	csv_free(&p);
	if (!o.too_long) {
		FUZZ_CHECK(ok == !g->stopped,
			   "libcsv %s the input, the id reader %s",
			   ok ? "reads" : "refuses",
			   g->stopped ? "stopped" : "read it");
		FUZZ_CHECK(o.want.n == g->n, "libcsv: %zu ids, reader: %zu",
			   o.want.n, g->n);
		for (i = 0; i < g->n; i++)
			FUZZ_CHECK(o.want.ids[i] == g->ids[i],
				   "id %zu: libcsv %lld, reader %lld", i,
				   (long long)o.want.ids[i],
				   (long long)g->ids[i]);
		FUZZ_CHECK(o.want.bad == g->bad, "libcsv: %ld bad, reader: %ld",
			   o.want.bad, g->bad);
	}
	free(o.want.ids);
}

static void
fuzz_operand(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size), back[32];
	struct case_err err;
	int64_t id = 0;
	const char *p;

	case_err_clear(&err);
	if (case_id_parse(s, &id, &err) == 0) {
		FUZZ_CHECK(id > 0, "'%s' -> %lld", s, (long long)id);
		for (p = s; *p != '\0'; p++)
			FUZZ_CHECK(isdigit((unsigned char)*p),
				   "'%s' accepted", s);
		/* The number read is the number written, less leading
		 * zeros. */
		for (p = s; *p == '0'; p++)
			;
		snprintf(back, sizeof back, "%lld", (long long)id);
		FUZZ_CHECK(strcmp(p, back) == 0, "'%s' -> %s", s, back);
	} else
		FUZZ_CHECK(err.kind == CASE_E_INPUT && err.msg[0] != '\0',
			   "'%s' refused without a message", s);
	free(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct got g;

	memset(&g, 0, sizeof g);
	fuzz_stream(data, size, &g);
	oracle_check(data, size, &g);
	free(g.ids);
	fuzz_operand(data, size);
	return 0;
}
