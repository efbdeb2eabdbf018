#!/bin/sh
# The storage seam holds: apart from the two drivers (lib/sqlite.c and
# lib/pg.c), no file of the library calls SQLite or libpq
# or includes their headers, so every domain module is written once.  The
# binaries in cmd/ touch neither either.  Prints each offending line and
# fails; the files are given by meson.
set -u
bad=0
for f in "$@"; do
	case $f in
	*/lib/sqlite.c | */lib/pg.c) continue ;;
	esac
	if out=$(grep -n -E '\bsqlite3_[a-z_0-9]+|\bSQLITE_[A-Z_]+|<sqlite3\.h>|\bPQ[a-zA-Z]+\(|<libpq-fe\.h>|\bPGresult\b|\bPGconn\b' "$f"); then
		printf '%s\n' "$out" | sed "s|^|$f:|"
		bad=1
	fi
done
if [ "$bad" -eq 0 ]; then
	echo "seam: $# files, none calls SQLite or libpq outside the drivers"
fi
exit "$bad"
