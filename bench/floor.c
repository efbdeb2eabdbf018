/*
 * case-bench-floor: the least a durable SQLite commit costs in a process
 * of its own, for reading the benchmark's single-command figures.
 *
 *   case-bench-floor DB
 *
 * It opens (creating) DB, in WAL mode with synchronous = FULL, as the
 * toolkit does, inserts one row into a table of one column and closes.
 * No schema to read, no journal, no search index: whatever a command
 * costs above this is the toolkit's own work.
 */
#include <sqlite3.h>
#include <stdio.h>

int
main(int argc, char *argv[])
{
	sqlite3 *db;
	char *msg = NULL;

	if (argc != 2) {
		fprintf(stderr, "usage: case-bench-floor DB\n");
		return 2;
	}
	if (sqlite3_open_v2(argv[1], &db,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
				    SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK ||
	    sqlite3_exec(db,
			 "PRAGMA journal_mode = WAL;"
			 "PRAGMA synchronous = FULL;"
			 "CREATE TABLE IF NOT EXISTS t(summary TEXT);"
			 "INSERT INTO t VALUES ('路灯不亮')",
			 NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "case-bench-floor: %s: %s\n", argv[1],
			msg != NULL ? msg : sqlite3_errmsg(db));
		sqlite3_free(msg);
		sqlite3_close(db);
		return 1;
	}
	return sqlite3_close(db) == SQLITE_OK ? 0 : 1;
}
