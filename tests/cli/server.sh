# What only a server has, against a real PostgreSQL 15 server that the
# script starts for itself (run with CASE_TEST_BACKEND=pg): connection
# URIs as libpq takes them, passwords kept out of every message and out of
# ps, bad connections refused with one clear line, schemas that are not
# ours or are newer, the trigram index used for a Chinese search, the
# journal refused to UPDATE, DELETE and TRUNCATE, and connections killed in
# the middle of an import and of a batch (pg_terminate_backend).
. "$TESTS/cli/lib.sh"

if [ "$BACKEND" != pg ]; then
	skip "server.sh runs only against PostgreSQL (CASE_TEST_BACKEND=pg)"
	done_testing
fi

PGSOCK=$T/pg
psql_as() { # USER DB SQL...
	_u=$1 _d=$2
	shift 2
	psql -X -q -A -t -v ON_ERROR_STOP=1 \
		-d "postgresql:///$_d?host=$PGSOCK&user=$_u" "$@"
}
su_sql() { psql_as case postgres -c "$@"; }

# refused NAME STATUS TEXT CMD...: CMD exits STATUS, prints nothing on
# stdout, and one line on stderr that contains TEXT.
refused() {
	_name=$1 _st=$2 _text=$3
	shift 3
	run "$@"
	if [ "$rc" -eq "$_st" ] && [ ! -s "$T/out" ] &&
		[ "$(wc -l <"$T/err")" -eq 1 ] && grep -qF -- "$_text" "$T/err"; then
		ok "$_name"
	else
		not_ok "$_name (expected exit $_st, one line with: $_text)"
		_show
	fi
}

# no_secret NAME: the last run's output does not show the password.
no_secret() {
	if grep -q "right-horse\|wrong-horse" "$T/out" "$T/err"; then
		not_ok "$1: the password does not appear"
		_show
	else
		ok "$1: the password does not appear"
	fi
}

case-admin unit add pcs-qianjin 前进派出所 --type police \
	--place chaoyang/qianjin >/dev/null
case-open -q -k dispute -l chaoyang/qianjin/huayu -c noise \
	-d '华宇社区楼道里的音响声' 楼上噪音扰民 >/dev/null

# ---- the URI is libpq's ----------------------------------------------------

# A role that must give a password on the socket, before the trusted
# default line.
su_sql "CREATE ROLE officer LOGIN SUPERUSER PASSWORD 'right-horse'" >/dev/null
{
	echo "local all officer scram-sha-256"
	cat "$PGSOCK/data/pg_hba.conf"
} >"$T/hba" && cat "$T/hba" >"$PGSOCK/data/pg_hba.conf"
su_sql "SELECT pg_reload_conf()" >/dev/null
sleep 0.3

GOOD="postgresql://officer:right-horse@/cases?host=$PGSOCK"
BAD="postgresql://officer:wrong-horse@/cases?host=$PGSOCK"
run case-report --db "$GOOD" -l -F csv -H -c id,summary
expect "a password in the URI" 0 "1,楼上噪音扰民" ""
refused "a wrong password is one clear line" 1 \
	"password authentication failed for user \"officer\"" \
	case-report --db "$BAD" -l
no_secret "a wrong password"
refused "a wrong password in a password parameter" 1 \
	"password authentication failed" \
	case-report --db "postgresql:///cases?host=$PGSOCK&user=officer&password=wrong-horse" -l
no_secret "a wrong password parameter"
run env CASE_DB="$BAD" case-open -k request x
no_secret "a wrong password through CASE_DB"

# PGPASSFILE and a service file work as libpq documents them.
printf '*:*:cases:officer:right-horse\n' >"$T/pgpass"
chmod 600 "$T/pgpass"
run env PGPASSFILE="$T/pgpass" \
	case-report --db "postgresql://officer@/cases?host=$PGSOCK" -l -F csv -H -c id
expect "the password from PGPASSFILE" 0 "1" ""
printf '[district]\nhost=%s\ndbname=cases\nuser=officer\n' "$PGSOCK" >"$T/services"
run env PGSERVICEFILE="$T/services" PGPASSFILE="$T/pgpass" \
	case-report --db "postgresql:///?service=district" -l -F csv -H -c id
expect "a service from PGSERVICEFILE" 0 "1" ""
run env PGPASSFILE="$T/pgpass" case-open --db "postgres://officer@/cases?host=$PGSOCK" \
	-k request 'postgres:// works as well'
expect "the postgres:// form" 0 "2" ""

# The journal's actor is the user's, not anything from the URI.
check_sql "the journal holds no password" "0" \
	"SELECT count(*) FROM events WHERE actor LIKE '%horse%' OR detail LIKE '%horse%'"

# --help never shows a URI, and ps shows the password blotted out.
run case-report --db "$GOOD" --help
no_secret "--help after --db"
mkfifo "$T/fifo"
case-open --db "$GOOD" -k request -f "$T/fifo" >/dev/null 2>&1 &
pid=$!
exec 9>"$T/fifo"
sleep 0.5
if tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "right-horse"; then
	not_ok "ps does not show the password ($(tr '\0' ' ' <"/proc/$pid/cmdline"))"
elif tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "officer:x*@"; then
	ok "ps does not show the password"
else
	not_ok "ps shows the command line ($(tr '\0' ' ' <"/proc/$pid/cmdline"))"
fi
printf 'summary\n经由管道\n' >&9
exec 9>&-
wait "$pid"

# ---- bad connections: one line each, nothing changed --------------------------

snapshot
refused "a malformed URI" 1 "cannot connect to postgresql://officer@/cases?port=notaport: invalid integer value \"notaport\"" \
	case-report --db "postgresql://officer:right-horse@/cases?port=notaport" -l
no_secret "a malformed URI"
refused "an unknown URI parameter" 1 "invalid URI query parameter" \
	case-open --db "postgresql:///cases?colour=blue" -k request x
refused "an unreachable host" 1 "cannot connect to postgresql://127.0.0.1:1/cases" \
	case-open --db "postgresql://127.0.0.1:1/cases" -k request x
refused "a missing database" 1 "database \"nosuchdb\" does not exist" \
	case-report --db "postgresql:///nosuchdb?host=$PGSOCK&user=case" -l
check_unchanged "bad connections changed nothing"

# A database without the case schema is no database to these tools.
"$TESTS/pgtest" createdb "$PGSOCK" empty
EMPTY=$("$TESTS/pgtest" uri "$PGSOCK" empty)
refused "a database that was never initialised" 1 \
	"no database at $EMPTY (create it with 'case-admin init')" \
	case-open --db "$EMPTY" -k request x
if [ "$(psql -X -A -t -d "$EMPTY" -c "SELECT count(*) FROM pg_namespace WHERE nspname = 'case_tools'")" = 0 ]; then
	ok "nothing was created in it"
else
	not_ok "nothing was created in it"
fi

# Another application's schema of the same name is not ours.
"$TESTS/pgtest" createdb "$PGSOCK" foreign
FOREIGN=$("$TESTS/pgtest" uri "$PGSOCK" foreign)
psql -X -q -d "$FOREIGN" -c "CREATE SCHEMA case_tools" \
	-c "CREATE TABLE case_tools.cases (id int, title text)" \
	-c "INSERT INTO case_tools.cases VALUES (1, 'theirs')"
for cmd in "case-admin init" "case-open -k request x" "case-report -l"; do
	refused "another application's case_tools: ${cmd%% -*}" 1 \
		"$FOREIGN has a schema case_tools that is not a case database" \
		env CASE_DB="$FOREIGN" $cmd
done
if [ "$(psql -X -A -t -d "$FOREIGN" -c 'SELECT title FROM case_tools.cases')" = theirs ]; then
	ok "another application's table is untouched"
else
	not_ok "another application's table is untouched"
fi

# Our schema, owned by a role we may not read as: with roles (issue 15),
# a login that no admin made a member is told so, and how to become one.
"$TESTS/pgtest" createdb "$PGSOCK" private
PRIVATE=$("$TESTS/pgtest" uri "$PGSOCK" private)
su_sql "CREATE ROLE stranger LOGIN" >/dev/null
case-admin -q --db "$PRIVATE" init
refused "tables that belong to someone else" 1 "login stranger is not a member of postgresql:///private?host=$PGSOCK&user=stranger (an admin adds it with 'case-admin member add stranger --role ROLE')" \
	case-report --db "postgresql:///private?host=$PGSOCK&user=stranger" -l

# A schema written by a newer program.
"$TESTS/pgtest" createdb "$PGSOCK" newer
NEWER=$("$TESTS/pgtest" uri "$PGSOCK" newer)
case-admin -q --db "$NEWER" init
psql -X -q -d "$NEWER" -c "UPDATE case_tools.meta SET value = '99' WHERE key = 'schema_version'"
for cmd in "case-admin init" "case-open -k request x" "case-report -l"; do
	refused "a newer schema: ${cmd%% -*}" 1 "has schema version 99, newer than this program's" \
		env CASE_DB="$NEWER" $cmd
done

# pg_trgm missing, and a role that may not create it: the message says
# what a database administrator must run.
"$TESTS/pgtest" createdb "$PGSOCK" notrgm
su_sql "CREATE ROLE clerk LOGIN" >/dev/null
psql -X -q -d "$("$TESTS/pgtest" uri "$PGSOCK" notrgm)" \
	-c "REVOKE CREATE ON DATABASE notrgm FROM PUBLIC" >/dev/null
refused "a server without pg_trgm" 1 \
	"a database administrator must run 'CREATE EXTENSION pg_trgm;'" \
	case-admin init --db "postgresql:///notrgm?host=$PGSOCK&user=clerk"
if [ "$(psql -X -A -t -d "$("$TESTS/pgtest" uri "$PGSOCK" notrgm)" \
	-c "SELECT count(*) FROM pg_namespace WHERE nspname = 'case_tools'")" = 0 ]; then
	ok "a refused init leaves no schema"
else
	not_ok "a refused init leaves no schema"
fi

# ---- search through the trigram index ---------------------------------------

check_sql "pg_trgm takes Chinese text apart into trigrams" "t" \
	"SELECT cardinality(public.show_trgm('华宇社区楼道')) > 0"
sql "SET enable_seqscan = off; EXPLAIN SELECT c.id FROM cases c WHERE c.summary ILIKE '%华宇社区楼道%' OR c.description ILIKE '%华宇社区楼道%' OR c.address ILIKE '%华宇社区楼道%'" >"$T/plan" 2>&1
if grep -q "cases_search" "$T/plan"; then
	ok "EXPLAIN shows the trigram index for a Chinese substring"
else
	not_ok "EXPLAIN shows the trigram index for a Chinese substring"
	sed 's/^/#   /' "$T/plan"
fi
run case-report -l -F csv -H -c id --search 华宇社区楼道
expect "--search finds the Chinese substring" 0 "1" ""

# ---- an import into an empty database builds the index after its rows ----------

# The owner's import into a database without cases drops the trigram
# index and makes it again after the rows (a new index, so a new oid),
# with the same definition; an import into cases already there, or one
# that fails, keeps the index it found.
"$TESTS/pgtest" createdb "$PGSOCK" fresh
FRESH="postgresql:///fresh?host=$PGSOCK&user=case"
case-admin -q init --db "$FRESH"
fresh_sql() { psql_as case fresh -c "$1"; }
index_of() { fresh_sql "SELECT 'case_tools.cases_search'::regclass::oid || ' ' || pg_get_indexdef('case_tools.cases_search'::regclass)"; }
before=$(index_of)
printf 'kind,summary,description\nrequest,坏行,\nrequest,,没有摘要\n' >"$T/bad.csv"
run case-open --db "$FRESH" -q -f "$T/bad.csv"
if [ "$rc" -eq 1 ] && [ "$(index_of)" = "$before" ] &&
	[ "$(fresh_sql "SELECT count(*) FROM case_tools.cases")" = 0 ]; then
	ok "a failed import into the empty database keeps its index and adds nothing"
else
	not_ok "a failed import into the empty database keeps its index and adds nothing"
	_show
fi
printf 'kind,summary,address\nrequest,楼道堆物,华宇社区3号楼\nhazard,井盖缺失,前进街道路口\n' >"$T/two.csv"
run case-open --db "$FRESH" -q -f "$T/two.csv"
after=$(index_of)
if [ "$rc" -eq 0 ] && [ "${after%% *}" != "${before%% *}" ] &&
	[ "${after#* }" = "${before#* }" ]; then
	ok "the owner's import into no cases makes the trigram index again, the same"
else
	not_ok "the owner's import into no cases makes the trigram index again, the same"
	diag "before: $before" "after: $after"
fi
run case-report --db "$FRESH" -l -F csv -H -c id --search 华宇社区
expect "the index made again finds an imported case" 0 "1" ""
run case-open --db "$FRESH" -q -f "$T/two.csv"
if [ "$rc" -eq 0 ] && [ "$(index_of)" = "$after" ]; then
	ok "an import into cases already there keeps the index"
else
	not_ok "an import into cases already there keeps the index"
	_show
fi

# ---- the journal cannot be edited on the server --------------------------------

for stmt in "UPDATE events SET detail = 'x'" "DELETE FROM events" "TRUNCATE events CASCADE"; do
	for who in case officer; do
		if psql_as "$who" cases -c "SET search_path = case_tools" -c "$stmt" \
			>"$T/out" 2>&1 </dev/null; then
			not_ok "$stmt as $who is refused"
		else
			ok "$stmt as $who is refused"
		fi
	done
done
check_sql "the journal is whole" "3" "SELECT count(*) FROM events"

# ---- connections killed in flight ------------------------------------------------

# An import of many rows whose server connection is ended while it runs:
# the command fails with one clear line, and no row of it stays.
awk 'BEGIN { print "kind,summary"; for (i = 0; i < 200000; i++) printf "request,路灯不亮 %d\n", i }' >"$T/big.csv"
snapshot
case-open -q -f "$T/big.csv" >"$T/out" 2>"$T/err" &
pid=$!
killed=0
for i in $(seq 1 100); do
	sleep 0.1
	n=$(su_sql "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = 'cases' AND application_name = 'case' AND pid <> pg_backend_pid() AND state <> 'idle'")
	[ "$n" -gt 0 ] && { killed=1; break; }
done
wait "$pid"
rc=$?
if [ "$killed" = 1 ] && [ "$rc" -eq 1 ] && grep -q "connection to .* was lost\|terminat" "$T/err"; then
	ok "an import whose connection is ended fails with a clear message"
else
	not_ok "an import whose connection is ended fails with a clear message (killed $killed, exit $rc)"
	_show
fi
check_unchanged "the ended import left nothing behind"

# A batch whose connection is ended while it waits for its ids from a slow
# pipe.
snapshot
( echo 1; sleep 3; echo 2 ) | case-followup note -m 'a slow note' >"$T/out" 2>"$T/err" &
pid=$!
sleep 1
su_sql "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'cases' AND application_name = 'case' AND pid <> pg_backend_pid()" >/dev/null
wait "$pid"
rc=$?
if [ "$rc" -eq 1 ] && [ "$(wc -l <"$T/err")" -ge 1 ]; then
	ok "a batch whose connection is ended fails"
else
	not_ok "a batch whose connection is ended fails (exit $rc)"
	_show
fi
check_unchanged "the ended batch changed nothing"

done_testing
