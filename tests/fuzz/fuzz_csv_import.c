/*
 * Fuzz target for the CSV import path (case-open --file): the streaming
 * reader on its own, then case_import() into a fresh database.
 *
 * The first byte of the input steers the run and the rest is the file:
 *   bit 0 clear  a header line is put in front, so rows are reached;
 *   bit 1        --skip-bad;
 *   bit 2        --dry-run;
 *   bit 3        a --map for a foreign export (and its header);
 *   bit 4        option defaults for kind, place, priority and source;
 *   bit 5        a default summary, so a file without one is accepted;
 *   bit 6        a 64-byte record limit for the reader;
 *   bit 7        the reader's row callback fails on the third row.
 *
 * Each run writes a template database (made once, with one unit so that
 * lead can succeed) to a new file, imports, checks what the import
 * promises, and removes the file: no state carries over between runs.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>


#include "case/check.h"
#include "case/csvin.h"
#include "case/db.h"
#include "case/import.h"
#include "case/out.h"
#include "case/units.h"
#include "fuzz.h"
#include "internal.h"

#define HEADER "ref,kind,summary,place,opened_at,status,lead\n"
#define MAP_HEADER "unique_key,kind,descriptor,place,opened_at,status,lead\n"
#define MAP "ref=unique_key, summary = descriptor,due_at="

static char dir[PATH_MAX], dbpath[PATH_MAX + 16];
static unsigned char *tmpl;
static size_t tmpl_len;

static void __attribute__((noreturn))
die(const char *what, const char *why)
{
	fprintf(stderr, "fuzz_csv_import: %s: %s\n", what, why);
	abort();
}

static void
remove_db(void)
{
	char p[sizeof dbpath + 8];

	unlink(dbpath);
	snprintf(p, sizeof p, "%s-wal", dbpath);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", dbpath);
	unlink(p);
}

static void
cleanup(void)
{
	remove_db();
	rmdir(dir);
}

static void
make_template(void)
{
	struct case_unit u = {"pcs-qianjin", "前进派出所", "police",
			      NULL,	     "前进街道",   "王警官",
			      "0571-0000"};
	struct case_err err;
	struct case_db *db;
	FILE *fp;
	long n;

	if (case_db_open(&db, dbpath, CASE_DB_CREATE, &err) < 0 ||
	    case_db_begin(db, &err) < 0 ||
	    case_unit_add(db, &u, 0, &err) < 0 ||
	    case_db_commit(db, &err) < 0)
		die("template", err.msg);
	case_db_close(db);
	/* The last connection's close folds the WAL into the file. */
	if ((fp = fopen(dbpath, "rb")) == NULL || fseek(fp, 0, SEEK_END) < 0 ||
	    (n = ftell(fp)) <= 0)
		die(dbpath, strerror(errno));
	rewind(fp);
	tmpl_len = (size_t)n;
	if ((tmpl = malloc(tmpl_len)) == NULL ||
	    fread(tmpl, 1, tmpl_len, fp) != tmpl_len)
		die(dbpath, "cannot read the template");
	fclose(fp);
	remove_db();
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm"
			   : getenv("TMPDIR") ? getenv("TMPDIR")
					      : "/tmp";

	(void)argc;
	(void)argv;
	setenv("CASE_NOW", "2026-05-01T06:00:00Z", 1);
	setenv("CASE_ACTOR", "fuzz", 1);
	setenv("TZ", "Asia/Shanghai", 1);
	unsetenv("CASE_DB");
	unsetenv("CASE_BUSY_TIMEOUT");
	tzset();
	snprintf(dir, sizeof dir, "%s/case-fuzz.XXXXXX", base);
	if (mkdtemp(dir) == NULL)
		die(dir, strerror(errno));
	snprintf(dbpath, sizeof dbpath, "%s/cases.db", dir);
	atexit(cleanup);
	make_template();
	return 0;
}

/* The reader on its own, with callbacks that check what it promises. */
struct rd {
	size_t header_n;
	long last_line, max_line, rows;
	int fail_third;
};

static void
check_row(struct rd *r, const struct case_csv_row *row)
{
	FUZZ_CHECK(row->line >= 1 && row->line <= r->max_line,
		   "line %ld of %ld", row->line, r->max_line);
	FUZZ_CHECK(row->line >= r->last_line, "line %ld after %ld", row->line,
		   r->last_line);
	r->last_line = row->line;
	for (size_t i = 0; i < row->n; i++)
		FUZZ_CHECK(strlen(row->f[i]) == row->len[i],
			   "field %zu: %zu bytes, len says %zu", i,
			   strlen(row->f[i]), row->len[i]);
}

static int
rd_header(void *arg, const struct case_csv_row *row, struct case_err *err)
{
	struct rd *r = arg;

	(void)err;
	FUZZ_CHECK(r->header_n == 0, "a second header");
	FUZZ_CHECK(row->n > 0, "a header of no fields");
	check_row(r, row);
	r->header_n = row->n;
	return 0;
}

static int
rd_row(void *arg, const struct case_csv_row *row, struct case_err *err)
{
	struct rd *r = arg;

	FUZZ_CHECK(r->header_n > 0, "a row before the header");
	FUZZ_CHECK(row->n == r->header_n, "%zu fields, header %zu", row->n,
		   r->header_n);
	check_row(r, row);
	if (++r->rows == 3 && r->fail_third)
		return case_err_set(err, CASE_E_INPUT, "third row");
	return 0;
}

static void
rd_bad(void *arg, long line, const char *msg)
{
	struct rd *r = arg;

	FUZZ_CHECK(r->header_n > 0, "a bad row before the header");
	FUZZ_CHECK(line >= 1 && line <= r->max_line, "bad line %ld", line);
	FUZZ_CHECK(msg != NULL && *msg != '\0', "a bad row without a message");
}

static void
fuzz_reader(const char *buf, size_t len, unsigned ctl)
{
	struct case_csv_cb cb = {rd_header, rd_row, rd_bad, NULL, NULL};
	struct case_err err;
	struct rd r;
	FILE *in;
	int rc;

	memset(&r, 0, sizeof r);
	r.fail_third = (ctl & 0x80) != 0;
	r.max_line = 1;
	for (size_t i = 0; i < len; i++)
		r.max_line += buf[i] == '\n';
	cb.arg = &r;
	if ((in = fmemopen((void *)buf, len, "r")) == NULL)
		die("fmemopen", strerror(errno));
	case_err_clear(&err);
	rc = case_csv_read(in, ctl & 0x40 ? 64 : 1u << 20, &cb, &err);
	fclose(in);
	FUZZ_CHECK(rc == 0 || rc == -1, "rc %d", rc);
	if (rc < 0)
		FUZZ_CHECK(err.kind != CASE_E_NONE && err.msg[0] != '\0',
			   "failed without a message");
	else
		FUZZ_CHECK(r.header_n > 0, "succeeded without a header");
}

/* What the import reported through its callbacks. */
struct seen {
	long errors, ids;
};

static void
on_error(void *ctx, long line, const char *msg)
{
	struct seen *s = ctx;

	FUZZ_CHECK(line >= 1, "bad row at line %ld", line);
	FUZZ_CHECK(msg != NULL && *msg != '\0', "bad row without a message");
	s->errors++;
}

static void
on_note(void *ctx, long line, const char *msg)
{
	(void)ctx;
	FUZZ_CHECK(line >= 0, "note at line %ld", line);
	FUZZ_CHECK(msg != NULL && *msg != '\0', "empty note");
}

static void
on_id(void *ctx, int64_t id)
{
	struct seen *s = ctx;

	FUZZ_CHECK(id > 0, "case id %lld", (long long)id);
	s->ids++;
}

static long
count_cases(struct case_db *db)
{
	struct case_err err;
	int64_t n;

	if (case_db_int(db, "SELECT count(*) FROM cases", &n, "count", &err) < 0)
		die("count", err.msg);
	return (long)n;
}

/* case-admin check on what was committed: an imported history must leave
 * the same rows and journal that doing its steps by hand would. */
static void
check_db(struct case_db *db)
{
	static const struct case_col cols[] = {{"case", CASE_COL_INT},
					       {"finding", CASE_COL_TEXT}};
	struct case_err err;
	struct case_out *out;
	char *text = NULL;
	size_t len = 0;
	long findings = -1;
	FILE *fp;

	if ((fp = open_memstream(&text, &len)) == NULL ||
	    (out = case_out_new(fp, CASE_FMT_CSV, CASE_OUT_NOHEADER, cols,
				2)) == NULL)
		die("check", "out of memory");
	if (case_check(db, out, &findings, &err) < 0)
		die("check", err.msg);
	if (case_out_finish(out, &err) < 0)
		die("check", err.msg);
	fclose(fp);
	FUZZ_CHECK(findings == 0, "case-admin check after an import:\n%s",
		   text);
	free(text);
}

static void
fuzz_import(const char *buf, size_t len, unsigned ctl)
{
	struct case_import opt;
	struct case_import_stats st;
	struct case_err err;
	struct case_db *db;
	struct seen seen = {0, 0};
	FILE *in;
	int fd, rc;
	long n;

	fd = open(dbpath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, tmpl, tmpl_len) != (ssize_t)tmpl_len ||
	    close(fd) < 0)
		die(dbpath, strerror(errno));
	if (case_db_open(&db, dbpath, CASE_DB_CREATE, &err) < 0)
		die("open", err.msg);

	memset(&opt, 0, sizeof opt);
	opt.map = ctl & 0x08 ? MAP : NULL;
	opt.skip_bad = (ctl & 0x02) != 0;
	opt.dry_run = (ctl & 0x04) != 0;
	if (ctl & 0x10) {
		opt.defaults[CASE_F_KIND] = "request";
		opt.defaults[CASE_F_PLACE] = "前进街道/幸福社区";
		opt.defaults[CASE_F_PRIORITY] = "high";
		opt.defaults[CASE_F_SOURCE] = "fuzz";
	}
	if (ctl & 0x20)
		opt.defaults[CASE_F_SUMMARY] = "来电反映";
	opt.on_error = on_error;
	opt.on_note = on_note;
	opt.on_id = on_id;
	opt.ctx = &seen;

	if ((in = fmemopen((void *)buf, len, "r")) == NULL)
		die("fmemopen", strerror(errno));
	case_err_clear(&err);
	rc = case_import(db, in, &opt, &st, &err);
	fclose(in);

	FUZZ_CHECK(rc == 0 || rc == -1, "rc %d", rc);
	n = count_cases(db);
	if (rc < 0) {
		FUZZ_CHECK(err.kind != CASE_E_NONE && err.msg[0] != '\0',
			   "failed without a message");
		FUZZ_CHECK(n == 0, "failed, but %ld cases are in", n);
		FUZZ_CHECK(seen.ids == 0, "failed, but %ld ids were given",
			   seen.ids);
	} else {
		FUZZ_CHECK(st.rows == st.added + st.existing + st.bad,
			   "rows %ld, added %ld, existing %ld, bad %ld",
			   st.rows, st.added, st.existing, st.bad);
		FUZZ_CHECK(st.bad == 0 || opt.skip_bad || opt.dry_run,
			   "%ld bad rows, and it succeeded without --skip-bad "
			   "or --dry-run", st.bad);
		FUZZ_CHECK(st.bad == seen.errors, "bad %ld, reported %ld",
			   st.bad, seen.errors);
		if (opt.dry_run) {
			FUZZ_CHECK(n == 0, "a dry run left %ld cases", n);
			FUZZ_CHECK(seen.ids == 0, "a dry run gave %ld ids",
				   seen.ids);
		} else {
			FUZZ_CHECK(n == st.added, "added %ld, but %ld are in",
				   st.added, n);
			FUZZ_CHECK(seen.ids == st.added + st.existing,
				   "%ld ids for %ld rows", seen.ids,
				   st.added + st.existing);
			if (n > 0)
				check_db(db);
		}
	}
	case_db_close(db);
	remove_db();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *head;
	char *buf;
	size_t hlen, len;
	unsigned ctl;

	if (size == 0)
		return 0;
	ctl = data[0];
	data++;
	size--;
	head = ctl & 0x01 ? "" : ctl & 0x08 ? MAP_HEADER : HEADER;
	hlen = strlen(head);
	len = hlen + size;
	if ((buf = malloc(len ? len : 1)) == NULL)
		abort();
	memcpy(buf, head, hlen);
	if (size > 0)
		memcpy(buf + hlen, data, size);

	fuzz_reader(buf, len, ctl);
	fuzz_import(buf, len, ctl);
	free(buf);
	return 0;
}
