#!/bin/sh
# Crashes: a bulk import of 100,000 rows is killed with SIGKILL at 20
# random moments over its run.  After each kill the database passes
# `case-admin check` and holds either none of the import or all of it,
# never part; the search index and its trigger are intact.  Then one
# import runs to the end and adds exactly 100,000 cases.
#
# CASE_TEST_ROWS and CASE_TEST_KILLS size it (default 100000 and 20 on a
# file, 20000 and 8 on a server);
# CASE_TEST_SEED fixes the random delays (the seed is printed).
. "$TESTS/cli/lib.sh"

# On a server every kill is followed by a check and an index check over
# the whole database, each a round of the server's own work: there the
# run is 20,000 rows killed 8 times, which still spans the COPY, the
# statements after it and the commit, and stays within the suite's time.
if [ "$BACKEND" = pg ]; then
	ROWS=${CASE_TEST_ROWS:-20000}
	KILLS=${CASE_TEST_KILLS:-8}
else
	ROWS=${CASE_TEST_ROWS:-100000}
	KILLS=${CASE_TEST_KILLS:-20}
fi
SEED=${CASE_TEST_SEED:-$(date +%s)}

# Milliseconds since the epoch.
now_ms() { date +%s%3N; }

case-admin -q init
case-admin unit add pcs-qianjin 前进派出所 --type police
for s in 楼下噪音 楼道煤气味 路灯不亮; do
	case-open -q -k request -c 现场 "$s" >/dev/null
done
case-assign -q -u pcs-qianjin 2 3 >/dev/null
case-followup resolve -q -m 已修复 3 >/dev/null

# A district's year of hotline records: every field filled, Chinese text,
# quoted commas, times with offsets.  No refs, so that a committed import
# does not make the next one a no-op.
awk -v rows="$ROWS" 'BEGIN {
	split("noise gas lamp water parking dog trash fire", cat, " ")
	split("hotline walk-in patrol online referral", src, " ")
	split("urgent high normal normal normal low", pri, " ")
	split("dispute hazard request", kind, " ")
	print "kind,category,priority,place,address,reporter,contact,source,opened_at,summary,description"
	for (i = 1; i <= rows; i++)
		printf "%s,%s,%s,chaoyang/street%02d/comm%02d/g%02d,\"华宇小区%d号楼%d单元, %d室\",居民%d,139%08d,%s,2026-04-%02dT%02d:%02d:00+08:00,第%d件: %s问题,\"居民反映%s, 已持续%d天\"\n",
			kind[1 + i % 3], cat[1 + i % 8], pri[1 + i % 6], i % 17,
			i % 13, i % 40, i % 30, i % 6 + 1, 100 + i % 900, i, i,
			src[1 + i % 5], 1 + i % 28, i % 24, i % 60, i,
			cat[1 + i % 8], cat[1 + i % 8], i % 9 + 1
}' >"$T/import.csv"
[ "$(wc -l <"$T/import.csv")" -eq $((ROWS + 1)) ] &&
	ok "the CSV holds $ROWS rows" || not_ok "the CSV holds $ROWS rows"

# How long one whole import takes, measured on a scratch database so that
# the one under test stays small (and its checks fast) until the end.
makedb measure
MEASURE=$(dbpath measure)
case-admin -q --db "$MEASURE" init
# One case first, as in the database under test: an import into none
# writes another way (see the end).
case-open -q --db "$MEASURE" -k request 一件 >/dev/null
t0=$(now_ms)
case-open -q --db "$MEASURE" -f "$T/import.csv" >/dev/null
t1=$(now_ms)
dur=$((t1 - t0))
rm -f "$T/measure.db" "$T/measure.db-wal" "$T/measure.db-shm"
diag "one import of $ROWS rows takes ${dur} ms; seed $SEED"

# The delays: spread at random over the import's run, sorted so the log
# reads in order.
awk -v n="$KILLS" -v d="$dur" -v seed="$SEED" 'BEGIN {
	srand(seed)
	for (i = 0; i < n; i++) printf "%d\n", rand() * d
}' | sort -n >"$T/delays"

# SQLite: the trigram index holds the cases up to its mark (lib/fts.c),
# which an import moves to its last case in the same transaction: every
# imported description says 居民反映 and the first three cases none.
search_sql="SELECT (SELECT id FROM search_upto) IN (0, (SELECT max(id) FROM cases))
	AND (SELECT count(*) FROM cases_fts WHERE cases_fts MATCH '\"居民反映\"') =
	(SELECT count(*) FROM cases WHERE id > 3 AND id <= (SELECT id FROM search_upto))"
search_name="the search index holds the cases up to its mark, its last case or none"
if [ "$BACKEND" = pg ]; then
	# A server keeps its trigram index through an import: it must be
	# there and valid.
	search_sql="SELECT count(*) FROM pg_index i
		JOIN pg_class c ON c.oid = i.indexrelid
		WHERE c.relnamespace = 'case_tools'::regnamespace
		AND c.relname = 'cases_search' AND i.indisvalid AND i.indisready"
	search_name="the trigram index of search is valid"
fi
k=0
committed=0
while read -r delay; do
	k=$((k + 1))
	before=$(sql "SELECT count(*) FROM cases")
	case-open -q -f "$T/import.csv" >/dev/null 2>"$T/import.err" &
	pid=$!
	sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
	kill -KILL "$pid" 2>/dev/null
	wait "$pid"
	st=$?
	after=$(sql "SELECT count(*) FROM cases")
	if [ "$st" -eq 0 ]; then
		what="finished before the kill"
		committed=$((committed + 1))
	else
		what="killed (status $st)"
	fi
	if [ "$after" -eq "$before" ] || [ "$after" -eq $((before + ROWS)) ]; then
		ok "kill $k at ${delay} ms, $what: $after cases, all or nothing"
	else
		not_ok "kill $k at ${delay} ms, $what: $after cases, not $before or $((before + ROWS))"
	fi
	run case-admin check
	if [ "$rc" -eq 0 ] && [ ! -s "$T/out" ] && [ ! -s "$T/err" ]; then
		ok "kill $k: case-admin check passes"
	else
		not_ok "kill $k: case-admin check passes"
		_show
	fi
	run sql "SELECT count(*) FROM events WHERE action = 'open'"
	check_out "$after" "kill $k: one open event per case, no more"
	run sql "$search_sql"
	check_out "1" "kill $k: $search_name"
done <"$T/delays"
diag "$committed of $KILLS imports finished before their kill"

if [ "$BACKEND" = pg ]; then
	# A server's own check of its B-tree indexes against their tables
	# (amcheck, in the test database's public schema only).
	run sql "CREATE EXTENSION IF NOT EXISTS amcheck SCHEMA public;
		SELECT CASE WHEN count(*) > 0 THEN 'ok' END FROM (
		SELECT public.bt_index_check(c.oid, true) FROM pg_index i
		JOIN pg_class c ON c.oid = i.indexrelid
		JOIN pg_am a ON a.oid = c.relam
		WHERE c.relnamespace = 'case_tools'::regnamespace
		AND a.amname = 'btree') AS x"
	check_out "ok" "amcheck's bt_index_check of every index after the kills"
else
	run sql "PRAGMA integrity_check"
	check_out "ok" "sqlite3's integrity_check after the kills"
fi
before=$(sql "SELECT count(*) FROM cases")
run case-open -q -f "$T/import.csv"
check_rc 0 "an import that is not killed succeeds"
[ "$(wc -l <"$T/out")" -eq "$ROWS" ] && ok "it prints $ROWS ids" ||
	not_ok "it prints $ROWS ids ($(wc -l <"$T/out"))"
check_sql "it adds exactly $ROWS cases" "$((before + ROWS))" "SELECT count(*) FROM cases"
run case-admin check
expect "case-admin check passes after the full import" 0 "" ""
# The search index covers every imported row (and no row twice).
n=$(sql "SELECT count(*) FROM cases WHERE summary LIKE '%: gas问题'")
run case-report -l -F csv -H -c id --search ": gas问题"
[ "$(wc -l <"$T/out")" -eq "$n" ] &&
	ok "--search finds all $n imported gas cases" ||
	not_ok "--search finds all $n imported gas cases ($(wc -l <"$T/out"))"

# ---- the first import, into a database with no cases ----------------------

# It keeps the file to itself and writes under a rollback journal instead
# of the write-ahead log (lib/sqlite.c, lite_alone).  A reader that comes
# meanwhile reads the database before the import or after it, never
# between; one killed half way leaves a journal that the next reader plays
# back; with another connection open when it begins, the import keeps
# the log.
# journal_seen PID DB: whether DB's rollback journal appears while PID runs.
journal_seen() {
	while kill -0 "$1" 2>/dev/null; do
		[ -e "$2-journal" ] && return 0
		sleep 0.005
	done
	[ -e "$2-journal" ]
}
if sqlite_only "the first import keeps the file to itself"; then
	FIRST=$T/first.db
	case-admin -q --db "$FIRST" init
	case-open -q --db "$FIRST" -f "$T/import.csv" >/dev/null 2>"$T/first.err" &
	pid=$!
	if journal_seen "$pid" "$FIRST"; then
		ok "the first import writes under a rollback journal"
	else
		not_ok "the first import writes under a rollback journal"
	fi
	# A reader started now waits for the import (it takes seconds; the
	# busy timeout is ten) or reads before its first page reaches the file.
	n=$(case-report --db "$FIRST" --list -H -F tsv -c id 2>"$T/first.rerr" | wc -l)
	# A third of an import's time in, its pages are reaching the file: a
	# reader then waits for the commit and sees every case.
	sleep "$(printf '%d.%03d' $((dur / 3000)) $((dur / 3 % 1000)))"
	n2=$(case-report --db "$FIRST" --list -H -F tsv -c id 2>>"$T/first.rerr" | wc -l)
	wait "$pid"
	st=$?
	[ "$st" -eq 0 ] && [ ! -s "$T/first.err" ] &&
		ok "the first import succeeds" || not_ok "the first import succeeds (status $st)"
	{ [ "$n" -eq 0 ] || [ "$n" -eq "$ROWS" ]; } && [ ! -s "$T/first.rerr" ] &&
		ok "a reader during it sees 0 or $ROWS cases, no error ($n)" ||
		not_ok "a reader during it sees 0 or $ROWS cases, no error ($n; $(head -1 "$T/first.rerr"))"
	[ "$n2" -eq "$ROWS" ] && ok "a reader later in it waits, and sees all $ROWS" ||
		not_ok "a reader later in it waits, and sees all $ROWS ($n2)"
	[ "$(sqlite3 "$FIRST" "PRAGMA journal_mode; SELECT count(*) FROM cases;
		SELECT count(*) FROM events WHERE action = 'open'")" = "wal
$ROWS
$ROWS" ] && [ ! -e "$FIRST-journal" ] &&
		ok "after it: WAL mode again, every case and open event, no journal" ||
		not_ok "after it: WAL mode again, every case and open event, no journal"

	KILLED=$T/killed.db
	case-admin -q --db "$KILLED" init
	case-open -q --db "$KILLED" -f "$T/import.csv" >/dev/null 2>&1 &
	pid=$!
	journal_seen "$pid" "$KILLED"
	# Half of an import's time in, its pages have reached the file.
	sleep "$(printf '%d.%03d' $((dur / 2000)) $((dur / 2 % 1000)))"
	kill -KILL "$pid" 2>/dev/null
	wait "$pid"
	st=$?
	if [ "$st" -ne 0 ] && [ -s "$KILLED-journal" ]; then
		ok "a first import killed half way leaves its journal"
	else
		not_ok "a first import killed half way leaves its journal (status $st)"
	fi
	run case-report --db "$KILLED" --list -H -F tsv -c id
	expect "the next reader undoes it and sees no case" 0 "" ""
	[ ! -e "$KILLED-journal" ] && [ "$(sqlite3 "$KILLED" "PRAGMA integrity_check")" = ok ] &&
		ok "the journal is played back; the file passes integrity_check" ||
		not_ok "the journal is played back; the file passes integrity_check"
	run case-admin --db "$KILLED" check
	expect "case-admin check passes after it" 0 "" ""
	run case-open -q --db "$KILLED" -f "$T/import.csv"
	check_rc 0 "an import into it then succeeds"
	[ "$(sqlite3 "$KILLED" "SELECT count(*) FROM cases")" = "$ROWS" ] &&
		ok "it adds exactly $ROWS cases" || not_ok "it adds exactly $ROWS cases"
	[ "$(sqlite3 "$KILLED" "PRAGMA journal_mode")" = wal ] &&
		ok "and leaves the file in WAL mode" || not_ok "and leaves the file in WAL mode"

	# Another connection holds a read transaction open on a database
	# with no cases: the import cannot keep the file to itself, and
	# writes to the log; the reader's snapshot still has no case.
	HELD=$T/held.db
	case-admin -q --db "$HELD" init
	mkfifo "$T/held.in"
	sqlite3 "$HELD" <"$T/held.in" >"$T/held.out" 2>&1 &
	spid=$!
	exec 9>"$T/held.in"
	echo "BEGIN; SELECT count(*) FROM cases;" >&9
	i=0
	while [ ! -s "$T/held.out" ] && [ $i -lt 500 ]; do
		sleep 0.01
		i=$((i + 1))
	done
	run case-open -q --db "$HELD" -f "$T/import.csv"
	check_rc 0 "with a reader open, the import succeeds"
	wal=$(wc -c <"$HELD-wal" 2>/dev/null || echo 0)
	[ "$wal" -gt 1048576 ] && [ ! -e "$HELD-journal" ] &&
		ok "with a reader open, the import keeps the write-ahead log ($wal bytes)" ||
		not_ok "with a reader open, the import keeps the write-ahead log ($wal bytes)"
	echo "SELECT count(*) FROM cases; COMMIT; SELECT count(*) FROM cases;" >&9
	exec 9>&-
	wait "$spid"
	[ "$(cat "$T/held.out")" = "0
0
$ROWS" ] && ok "the reader's snapshot had no case; after it, all $ROWS" ||
		not_ok "the reader's snapshot had no case; after it, all $ROWS ($(tr '\n' ' ' <"$T/held.out"))"
fi

done_testing
