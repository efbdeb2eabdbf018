#!/bin/sh
# The upgrade from schema 3 to 4 (issue 18) of a database that the release
# before it made: tests/cli/fixtures/make-v3.sh built the fixtures with the
# binaries of that commit (named in each fixture's head), with imported
# closures that release recorded as satisfied return visits that never
# happened, and cases worked by hand whose visits did happen.
CASE_TEST_NO_INIT=1
. "$TESTS/cli/lib.sh"

F=$TESTS/cli/fixtures/v3-imported.sql
[ "$BACKEND" = pg ] && F=$TESTS/cli/fixtures/v3-imported.pg.sql

# Provenance: the fixture names the script and the commit that made it,
# and that commit's schema is version 3.
commit=$(sed -n 's/^-- with the binaries of commit \([0-9a-f]\{40\}\)\.$/\1/p' "$F")
if [ -n "$commit" ] && head -1 "$F" | grep -q 'made by tests/cli/fixtures/make-v3.sh'; then
	ok "the fixture names make-v3.sh and the commit $commit"
else
	not_ok "the fixture names make-v3.sh and the commit"
fi
if git -C "$TESTS" cat-file -e "$commit^{commit}" 2>/dev/null; then
	if git -C "$TESTS" show "$commit:include/case/db.h" |
		grep -q '^#define CASE_SCHEMA_VERSION 3$'; then
		ok "the fixture's commit has schema version 3"
	else
		not_ok "the fixture's commit has schema version 3"
	fi
else
	skip "the fixture's commit has schema version 3 (no git history here)"
fi

# The fixture, loaded as the dump holds it.
newdb v3
sql "$(sed '/^--/d' "$F")" >/dev/null 2>"$T/load.err" ||
	{ echo "Bail out! cannot load $F: $(cat "$T/load.err")"; exit 1; }
if [ "$BACKEND" = pg ]; then
	check_sql "the fixture is schema 3" 3 \
		"SELECT value FROM meta WHERE key = 'schema_version'"
else
	check_sql "the fixture is schema 3" 3 "PRAGMA user_version"
fi
check_sql "the fixture: imported closures with made-up satisfied visits" \
	"1|satisfied|other|imported
2|satisfied|other|imported" \
	"SELECT case_id, outcome, method, note FROM visits WHERE note = 'imported' ORDER BY id"
sql "SELECT id, case_id, at, actor, action, status, level, detail FROM events ORDER BY id" \
	>"$T/events.before"
sql "SELECT id, case_id, due_at, done_at, method, outcome, note, actor, attempt FROM visits WHERE note IS NULL OR note <> 'imported' ORDER BY id" \
	>"$T/visits.before"

run case-report
expect "a reader refuses the schema-3 database" 1 "" \
	"case-report: $CASE_DB has schema version 3 and needs an upgrade to 7 (run 'case-admin init')"

run case-admin init
expect "init upgrades it" 0 "" \
	"case-admin: upgraded $CASE_DB from schema 3 to 7"

check_sql "the imported closures are closed with the outcome unknown; the cases worked by hand keep theirs" \
	"1|closed|unknown
2|closed|unknown
3|resolved|
4|cancelled|
5|open|
6|closed|satisfied
7|closed|unreachable" \
	"SELECT id, status, outcome FROM cases ORDER BY id"
check_sql "the made-up visits are gone" 0 \
	"SELECT count(*) FROM visits WHERE note = 'imported'"
sql "SELECT id, case_id, due_at, done_at, method, outcome, note, actor, attempt FROM visits ORDER BY id" \
	>"$T/visits.after"
cmp -s "$T/visits.before" "$T/visits.after" &&
	ok "every visit that happened, and the one still due, stays as it was" ||
	not_ok "every visit that happened, and the one still due, stays as it was"

# The journal is only added to: the events before, unchanged, and then one
# event per corrected case.
n=$(wc -l <"$T/events.before")
sql "SELECT id, case_id, at, actor, action, status, level, detail FROM events ORDER BY id" \
	>"$T/events.after"
head -n "$n" "$T/events.after" | cmp -s "$T/events.before" - &&
	ok "the journal before the upgrade is unchanged" ||
	not_ok "the journal before the upgrade is unchanged"
run case-report --events -F csv --after "$n"
expect "the journal records each correction" 0 \
	"event,at,case,actor,action,status,level,detail
$((n + 1)),2026-05-01T00:00:00Z,1,tester,correct,closed,0,\"the upgrade to schema version 4 corrected this imported closure: no return visit happened, so the satisfied visit the import recorded is removed and the outcome is unknown\"
$((n + 2)),2026-05-01T00:00:00Z,2,tester,correct,closed,0,\"the upgrade to schema version 4 corrected this imported closure: no return visit happened, so the satisfied visit the import recorded is removed and the outcome is unknown\"" ""

# Satisfaction counts only the visits that happened: case 6's unsatisfied
# and satisfied ones (case 7's three were unreachable), 1 of 2.
run case-report -F csv -c visits_done,satisfied_pct,closed_unreachable,closed_unvisited
expect "the statistics: satisfaction of the visits that happened, the imported closures unvisited" 0 \
	"visits_done,satisfied_pct,closed_unreachable,closed_unvisited
5,50.0,1,2" ""

# case-admin check on a server needs the branch pgtests (its iif);
# the copy into a file below is checked on both engines.
if [ "$BACKEND" = pg ]; then
	skip "check finds nothing after the upgrade (on a server: branch pgtests)"
else
	run case-admin check
	expect "check finds nothing after the upgrade" 0 "" ""
fi

run case-report -l -F csv -c id --search 楼上漏
expect "the rebuilt table is still found by the search index" 0 "id
1" ""

# Again: nothing more to do, nothing more written.
snapshot
run case-admin init
expect "a second init finds it up to date" 0 "" \
	"case-admin: $CASE_DB is up to date (schema 7)"
check_unchanged "a second init corrects nothing twice"

# The upgraded database takes new cases, with coordinates, at the next id.
run case-open -k request --lat 31.2304 --lon 121.4737 升级后的新案件
expect "a new case after the upgrade" 0 8 ""
run case-report -l --pii -F csv -c id,lat,lon -s open
expect "its coordinates" 0 "id,lat,lon
5,,
8,31.2304,121.4737" ""

# case-admin copy carries the new columns (lib/copy.c), into a file from
# either engine.
run case-admin copy "$T/copy.db"
check_rc 0 "the upgraded database copies"
for db in "$CASE_DB" "$T/copy.db"; do
	CASE_DB=$db case-report -l --pii -F csv -c id,status,outcome,lat,lon
done >"$T/both"
half=$(($(wc -l <"$T/both") / 2))
head -n "$half" "$T/both" >"$T/src"
tail -n "$half" "$T/both" >"$T/dst"
cmp -s "$T/src" "$T/dst" && grep -q '^8,open,,31.2304,121.4737$' "$T/dst" &&
	ok "the copy has the same cases, outcomes and coordinates" ||
	not_ok "the copy has the same cases, outcomes and coordinates"
run case-admin --db "$T/copy.db" check
expect "check finds nothing in the upgraded database's copy" 0 "" ""

done_testing
