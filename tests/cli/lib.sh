# The CLI test harness, sourced by every tests/cli/*.sh.  It speaks TAP, so
# meson shows each check by name.  Each script runs against a fresh
# database in a temporary folder, with "now", the zone, the actor and the
# locale pinned so that expected output can be written out exactly.
#
#   run CMD ARGS...        run a command; stdout in $T/out, stderr in
#                          $T/err, exit status in $rc
#   check_rc N NAME        the last run exited N
#   check_out TEXT NAME    stdout is exactly TEXT (a trailing newline added)
#   check_no_out NAME      stdout is empty
#   check_err TEXT NAME    stderr is exactly TEXT
#   check_err_has TEXT N   stderr contains TEXT
#   snapshot / check_unchanged NAME
#                          the database's full contents did not change
#   sql "SELECT ..."       a query through the sqlite3 shell, or psql
#   sql_csv "SELECT ..."   the same, as CSV with a header
#   check_sql NAME TEXT "SELECT ..."
#                          the query's output is exactly TEXT
#   expect NAME RC OUT ERR the last run's exit status, stdout and stderr
#                          (an empty OUT or ERR: nothing at all)
#   usage_error NAME FIRST CMD ARGS...
#                          CMD exits 2, prints nothing on stdout, and its
#                          stderr is the line FIRST and then the usage
#   check_usage_error NAME FIRST
#                          the same, of the last run
#   init_db                create the database (done at the start unless
#                          CASE_TEST_NO_INIT=1)
#   makedb NAME            make a new, empty database NAME
#   newdb NAME             CASE_DB names a new, empty database (then init_db)
#   dbpath NAME            what CASE_DB names database NAME by
#   copydb NAME            copy the database CASE_DB names as database NAME
#   has_db                 CASE_DB names a case database (a file, or a
#                          server database with the case schema)
#   readonly_db NAME       a read-only copy of it, named by $RO
#   as_user CMD...         CMD as nobody when root
#   sqlite_only NAME       with the server backend, report NAME skipped
#                          (a file's own behaviour) and return 1
#   at TIME                pin CASE_NOW for the commands that follow
#   ok / not_ok / skip     report a check by hand
#   done_testing           the plan line; exits 1 if anything failed
#
# CASE_WRAP (opt-in), e.g. "valgrind -q --error-exitcode=97 ...", runs
# every binary of $CASE_BIN under that command: one small script per
# binary in $T/bin, first on PATH.  `meson test --setup valgrind` sets it.

set -u

: "${CASE_BIN:?CASE_BIN must name the folder holding the built binaries}"
# A test setup's wrapper (meson's exe_wrapper) also wraps this shell;
# start again as a plain shell, so that only the binaries run under it
# (valgrind does not follow exec unless told to).
if [ -n "${CASE_WRAP:-}" ] && [ -z "${_CASE_UNWRAPPED:-}" ]; then
	_CASE_UNWRAPPED=1 exec sh "$0" "$@"
fi
# Debian's python3 before any other on PATH: the tests use the modules
# Debian packages (python3-openpyxl, python3-icalendar).
PATH=$CASE_BIN:/usr/bin:$PATH
T=$(mktemp -d "${TMPDIR:-/tmp}/case-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
if [ -n "${CASE_WRAP:-}" ]; then
	mkdir "$T/bin"
	for _b in "$CASE_BIN"/case-*; do
		[ -f "$_b" ] && [ -x "$_b" ] || continue
		printf '#!/bin/sh\nexec %s "%s" "$@"\n' "$CASE_WRAP" "$_b" \
			>"$T/bin/${_b##*/}"
		chmod 755 "$T/bin/${_b##*/}"
	done
	PATH=$T/bin:$PATH
fi
# CASE_TEST_BACKEND=pg runs the script against a PostgreSQL server of its
# own (tests/pgtest), started here and stopped at the end; CASE_DB is then
# a URI, and newdb makes a database on that server.
BACKEND=${CASE_TEST_BACKEND:-sqlite}
if [ "$BACKEND" = pg ]; then
	chmod 711 "$T"
	trap '"$TESTS/pgtest" stop "$T/pg"; rm -rf "$T"' EXIT
	"$TESTS/pgtest" start "$T/pg" || {
		echo "Bail out! cannot start a PostgreSQL server"
		exit 1
	}
fi

# dbpath NAME: what CASE_DB names database NAME by: a file in $T, or a
# database on the script's server.
dbpath() {
	if [ "$BACKEND" = pg ]; then
		"$TESTS/pgtest" uri "$T/pg" "$1"
	else
		echo "$T/$1.db"
	fi
}

# makedb NAME: a new, empty database of that name, which 'case-admin
# --db "$(dbpath NAME)" init' makes a case database (a file needs nothing
# until then).  A server database gets SQLite's SQL functions that the
# tests' own queries use, in its public schema
# (fixtures/sqlite-functions.sql), where the tools never look.
makedb() {
	if [ "$BACKEND" = pg ]; then
		"$TESTS/pgtest" createdb "$T/pg" "$1" &&
			psql -X -q -v ON_ERROR_STOP=1 -d "$(dbpath "$1")" \
				-f "$TESTS/cli/fixtures/sqlite-functions.sql" ||
			{ echo "Bail out! cannot create database $1"; exit 1; }
	fi
}

# newdb NAME: makedb NAME, and point CASE_DB at it (then init_db).
newdb() {
	makedb "$1"
	CASE_DB=$(dbpath "$1")
	export CASE_DB
}

# copydb NAME: a copy, as database NAME, of the database CASE_DB names
# (which no command may be using); CASE_DB still names the original.
copydb() {
	if [ "$BACKEND" = pg ]; then
		_from=${CASE_DB#postgresql:///}
		"$TESTS/pgtest" createdb "$T/pg" "$1" "${_from%%\?*}" ||
			{ echo "Bail out! cannot copy database $1"; exit 1; }
	else
		cp "$CASE_DB" "$T/$1.db"
	fi
}
newdb cases
export CASE_NOW="2026-05-01T08:00:00+08:00"
export TZ="Asia/Shanghai"
export CASE_ACTOR="tester"
export LC_ALL=C.UTF-8
# LANGUAGE outranks LC_ALL for messages in any locale but C: a
# developer's own must not change what the scripts expect.
unset LANGUAGE
unset CASE_FORMAT CASE_BUSY_TIMEOUT XDG_DATA_HOME COLUMNS
export HOME="$T/home"
mkdir -p "$HOME"

. "${TESTS:-$SRC/tests}/tap.sh"

# Only case-admin init creates a database; every script starts with one
# made, unless it sets CASE_TEST_NO_INIT=1 before sourcing this file to
# see what happens without.
init_db() {
	case-admin -q init || {
		echo "Bail out! case-admin init failed for $CASE_DB"
		exit 1
	}
}
[ "${CASE_TEST_NO_INIT:-0}" = 1 ] || init_db

run() {
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
}

# The same, with standard input from a file.
run_in() {
	_in=$1
	shift
	"$@" <"$_in" >"$T/out" 2>"$T/err"
	rc=$?
}

_show() {
	diag "command status: $rc" "stdout:"
	sed 's/^/#   /' "$T/out"
	diag "stderr:"
	sed 's/^/#   /' "$T/err"
}

check_rc() {
	if [ "$rc" -eq "$1" ]; then ok "$2"; else
		not_ok "$2 (exit $rc, expected $1)"
		_show
	fi
}

check_out() {
	printf '%s\n' "$1" >"$T/expected"
	if cmp -s "$T/expected" "$T/out"; then ok "$2"; else
		not_ok "$2"
		diag "expected stdout:"
		sed 's/^/#   /' "$T/expected"
		_show
	fi
}

check_no_out() {
	if [ ! -s "$T/out" ]; then ok "$1"; else
		not_ok "$1 (stdout not empty)"
		_show
	fi
}

check_err() {
	printf '%s\n' "$1" >"$T/expected"
	if cmp -s "$T/expected" "$T/err"; then ok "$2"; else
		not_ok "$2"
		diag "expected stderr:"
		sed 's/^/#   /' "$T/expected"
		_show
	fi
}

check_err_has() {
	if grep -qF -- "$1" "$T/err"; then ok "$2"; else
		not_ok "$2 (stderr lacks: $1)"
		_show
	fi
}

# On a server, each statement prints its own rows, as in the sqlite3
# shell, and 'localtime' is the zone TZ names.
sql() { _sql list "$@"; }

# The same, as CSV with a header line.
sql_csv() { _sql csv "$@"; }

_sql() {
	_how=$1
	shift
	if [ "$BACKEND" = pg ]; then
		if [ "$_how" = csv ]; then _opts=--csv; else _opts=-At; fi
		printf 'SET search_path = case_tools, public;\n%s\n' "$*" |
			PGTZ=$TZ psql -X -q $_opts -v ON_ERROR_STOP=1 \
				-d "$CASE_DB" -f -
	elif [ "$_how" = csv ]; then
		sqlite3 -batch -csv -header "$CASE_DB" "$@"
	else
		sqlite3 -batch -noheader "$CASE_DB" "$@"
	fi
}

check_sql() {
	_name=$1
	_want=$2
	shift 2
	sql "$@" >"$T/out" 2>"$T/err"
	rc=$?
	check_out "$_want" "$_name"
}

expect() {
	_name=$1
	_rc=$2
	_out=$3
	_err=$4
	check_rc "$_rc" "$_name: exit $_rc"
	if [ -z "$_out" ]; then check_no_out "$_name: nothing on stdout"; else
		check_out "$_out" "$_name: stdout"
	fi
	if [ -z "$_err" ]; then
		if [ ! -s "$T/err" ]; then ok "$_name: nothing on stderr"; else
			not_ok "$_name: nothing on stderr"
			_show
		fi
	else
		check_err "$_err" "$_name: stderr"
	fi
}

usage_error() {
	_name=$1
	_first=$2
	shift 2
	run "$@"
	check_usage_error "$_name" "$_first"
}

check_usage_error() {
	_name=$1
	_first=$2
	if [ "$rc" -eq 2 ] && [ ! -s "$T/out" ] &&
		[ "$(sed -n 1p "$T/err")" = "$_first" ] &&
		sed -n 2p "$T/err" | grep -q "^usage: case-"; then
		ok "$_name"
	else
		not_ok "$_name (expected exit 2, no stdout, stderr: $_first, then the usage)"
		_show
	fi
}

at() { CASE_NOW=$1; export CASE_NOW; }

# as_user CMD...: run CMD as an unprivileged user (nobody) when root, whom
# file modes do not stop, else as it is.
as_user() {
	if [ "$(id -u)" -eq 0 ]; then
		setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
	else
		"$@"
	fi
}

# readonly_db NAME: a copy of the database CASE_DB names that as_user may
# read but not write, named by RO; fails unless it really is read-only.
# A file is 0444 in a folder $T/ro of 0555 (which stops its owner too:
# chmod 755 "$T/ro" when done); a server database is one its
# administrator set read-only, as a standby is.
readonly_db() {
	if [ "$BACKEND" = pg ]; then
		copydb "$1"
		RO=$(dbpath "$1")
		psql -X -q -d "$RO" -c \
			"ALTER DATABASE \"$1\" SET default_transaction_read_only = on" &&
			[ "$(CASE_DB=$RO sql "SHOW transaction_read_only")" = on ]
	else
		chmod 711 "$T"
		mkdir -p "$T/ro"
		RO="$T/ro/$1.db"
		sqlite3 "$CASE_DB" ".backup '$RO'"
		chmod 444 "$RO"
		chmod 555 "$T/ro"
		! as_user sh -c 'test -w "$1"' sh "$RO"
	fi
}

# Whether CASE_DB names a case database: the file exists, or the server
# database holds the schema case_tools.
has_db() {
	if [ "$BACKEND" = pg ]; then
		[ "$(sql "SELECT count(*) FROM pg_namespace
			WHERE nspname = 'case_tools'")" = 1 ]
	else
		[ -e "$CASE_DB" ]
	fi
}

# Checks of what only a file has (modes, its folder, SQLite's own files)
# are reported as skipped, by name, when the script runs on a server.
sqlite_only() {
	if [ "$BACKEND" = pg ]; then
		skip "$1 (an SQLite file's own behaviour)"
		return 1
	fi
	return 0
}

# Everything in the database, for comparing before and after: the file's
# dump, or every row of every table on a server.
dump_db() {
	if [ "$BACKEND" = pg ]; then
		_q=
		for _t in meta units cases assignments visits events supervisors \
			policy; do
			_q="$_q SELECT '-- $_t'; SELECT * FROM $_t ORDER BY 1;"
		done
		sql "$_q"
	else
		sqlite3 -batch "$CASE_DB" .dump
	fi
}

snapshot() {
	dump_db >"$T/snapshot" 2>&1
}

check_unchanged() {
	dump_db >"$T/snapshot2" 2>&1
	if cmp -s "$T/snapshot" "$T/snapshot2"; then ok "$1"; else
		not_ok "$1 (the database changed)"
		diff "$T/snapshot" "$T/snapshot2" | head -20 | sed 's/^/#   /'
	fi
}

# A usage error: exit 2, a message naming the program, nothing on stdout.
check_usage() {
	_name=$1
	shift
	run "$@"
	if [ "$rc" -eq 2 ] && [ ! -s "$T/out" ] && grep -q "^$1: " "$T/err"; then
		ok "$_name"
	else
		not_ok "$_name (expected exit 2, a message, no stdout)"
		_show
	fi
}

