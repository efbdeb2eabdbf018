/*
 * The trigram index of SQLite files, filled in bulk: an import's new
 * cases, or every case when an upgrade makes the index anew.  A server
 * keeps its own trigram index (pg_trgm) and needs none of this.
 */
#include "i18n.h"
#include "internal.h"

/* Rows a statement.  FTS5 writes what it has indexed out as a segment at
 * the end of each statement, so a chunk's index is one segment of about
 * 3 MiB: below the 'hashsize' set here, which would cut it into more. */
#define CHUNK 16384

/*
 * FTS5 merges its segments four at a time by default; sixteen at a time,
 * the fill rewrites the index fewer times over (a third less time for a
 * million rows), and searches are as fast.  It also writes a segment out
 * whenever its pending index passes 'hashsize', 1 MiB by default: ten
 * small segments a chunk, which merging reads and writes again.  With
 * 8 MiB a chunk makes one, and the index takes a quarter less time (0.9 s
 * against 1.2 s for 200,000 rows), for want of merging.
 *
 * FTS5 merges sixteen segments of a level into one a level up as the
 * sixteenth is written.  The chunks are as many as a multiple of sixteen,
 * so that the fill leaves no segment of its own on the lowest level:
 * there, up to fifteen of them would wait for whichever later command
 * filled the level to 64 with its small segments, and that command would
 * merge them all at once (514 ms for the 50th case opened after a
 * million-row import, where the other 119 took 3 to 15 ms).  The fill
 * does that merge itself instead.
 *
 * That leaves up to fifteen large segments on each level above the
 * lowest.  With FTS5's default crisis merge (sixteen), whichever later
 * command added the sixteenth would merge them all at once: seconds, at a
 * million rows.  With 64, the default automerge merges them a little at
 * each write instead.  Rows written later go back to the other defaults.
 *
 * Fewer than a chunk of rows go in one statement with the settings (and
 * so the index) left alone.
 */
int
case_fts_fill(struct case_db *db, int64_t first, int64_t last,
	      int (*each)(struct case_db *, int64_t, int64_t, void *,
			  struct case_err *),
	      void *arg, struct case_err *err)
{
	int64_t rows = last - first + 1, chunks, i;
	int big = rows >= CHUNK;

	if (rows <= 0)
		return 0;
	if (big && case_db_exec(db,
				"INSERT INTO cases_fts(cases_fts, rank)"
				" VALUES ('automerge', 16);"
				"INSERT INTO cases_fts(cases_fts, rank)"
				" VALUES ('hashsize', 8388608)",
				err) < 0)
		return -1;
	chunks = (rows + CHUNK - 1) / CHUNK;
	if (big)
		chunks = (chunks + 15) / 16 * 16;
	for (i = 0; i < chunks; i++) {
		int64_t lo = first + rows * i / chunks;
		int64_t hi = first + rows * (i + 1) / chunks - 1;
		struct case_stmt *st = case_db_stmt(
			db,
			"INSERT INTO cases_fts(rowid, summary, description,"
			" address) SELECT id, summary, description, address"
			" FROM cases WHERE id BETWEEN ?1 AND ?2",
			err);

		if (st == NULL)
			return -1;
		case_bind_int64(st, 1, lo);
		case_bind_int64(st, 2, hi);
		if (case_db_done(db, st, err) < 0 ||
		    (each != NULL && each(db, lo, hi, arg, err) < 0))
			return -1;
	}
	if (!big)
		return 0;
	return case_db_exec(db,
			    "INSERT INTO cases_fts(cases_fts, rank)"
			    " VALUES ('automerge', 4);"
			    "INSERT INTO cases_fts(cases_fts, rank)"
			    " VALUES ('hashsize', 1048576);"
			    "INSERT INTO cases_fts(cases_fts, rank)"
			    " VALUES ('crisismerge', 64)",
			    err);
}

/*
 * Since version 10 the index takes new cases a batch at a time: a single
 * case-open indexes nothing, except every CASE_FTS_BATCH-th, which
 * indexes the cases after the mark, its own among them, in one statement
 * and one segment.  Searches read the few cases after the mark from the
 * table itself (lib/report.c), so they find every case all the same.
 */
int
case_fts_mark(struct case_db *db, int64_t last, struct case_err *err)
{
	struct case_stmt *st;

	if (case_db_dialect(db) != CASE_SQLITE)
		return 0;
	st = case_db_stmt(db, "UPDATE search_upto SET id = ?1", err);
	if (st == NULL)
		return -1;
	case_bind_int64(st, 1, last);
	return case_db_done(db, st, err);
}

int
case_fts_catch_up(struct case_db *db, struct case_err *err)
{
	int64_t upto, last;

	if (case_db_dialect(db) != CASE_SQLITE)
		return 0;
	if (case_db_int(db, "SELECT id FROM search_upto", &upto,
			_("cannot read the database"), err) < 0 ||
	    case_db_int(db, "SELECT coalesce(max(id), 0) FROM cases", &last,
			"cannot read cases", err) < 0)
		return -1;
	if (last <= upto)
		return 0;
	if (case_fts_fill(db, upto + 1, last, NULL, NULL, err) < 0)
		return -1;
	return case_fts_mark(db, last, err);
}
