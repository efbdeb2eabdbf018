#!/bin/sh
# The upgrade from schema 3 to 4 (issue 18) of a database that the release
# before it made: tests/cli/fixtures/make-v3.sh built the fixtures with the
# binaries of that commit (named in each fixture's head), with imported
# closures that release recorded as satisfied return visits that never
# happened, and cases worked by hand whose visits did happen.  Then the
# upgrade from schema 7 to 8, which makes SQLite's trigram index again
# without its table of column sizes, of a file that the last release of
# schema 7 made (tests/cli/fixtures/make-v7.sh) and of a file of 20,000
# cases, which the upgrade indexes in chunks.  Then the upgrade from 8 to
# 9, which makes SQLite's index of leads again over the cases that have
# one, of a file that the last release of schema 8 made
# (tests/cli/fixtures/make-v8.sh).
CASE_TEST_NO_INIT=1
. "$TESTS/cli/lib.sh"

F=$TESTS/cli/fixtures/v3-imported.sql
[ "$BACKEND" = pg ] && F=$TESTS/cli/fixtures/v3-imported.pg.sql

# Provenance: the fixture names the script and the commit that made it,
# and that commit's schema is the version it should be.
# provenance FILE SCRIPT VERSION
provenance() {
	_c=$(sed -n 's/^-- with the binaries of commit \([0-9a-f]\{40\}\)\.$/\1/p' "$1")
	if [ -n "$_c" ] && head -1 "$1" | grep -q "made by tests/cli/fixtures/$2"; then
		ok "the fixture names $2 and the commit $_c"
	else
		not_ok "the fixture names $2 and the commit"
	fi
	if git -C "$TESTS" cat-file -e "$_c^{commit}" 2>/dev/null; then
		if git -C "$TESTS" show "$_c:include/case/db.h" |
			grep -q "^#define CASE_SCHEMA_VERSION $3\$"; then
			ok "the fixture's commit has schema version $3"
		else
			not_ok "the fixture's commit has schema version $3"
		fi
	else
		skip "the fixture's commit has schema version $3 (no git history here)"
	fi
}

# A new database vVERSION of the fixture FILE, loaded as its dump holds
# it, after its provenance.
# load_fixture FILE SCRIPT VERSION
load_fixture() {
	provenance "$1" "$2" "$3"
	newdb "v$3"
	sql "$(sed '/^--/d' "$1")" >/dev/null 2>"$T/load.err" ||
		{ echo "Bail out! cannot load $1: $(cat "$T/load.err")"; exit 1; }
}

# One line for each word of WORDS: the word, and what the SQL that the
# function QUERY writes for it answers.
# answers WORDS QUERY
answers() {
	for _w in $1; do
		printf '%s:' "$_w"
		sql "$($2 "$_w")"
	done
}

load_fixture "$F" make-v3.sh 3
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
	"case-report: $CASE_DB has schema version 3 and needs an upgrade to 10 (run 'case-admin init')"

run case-admin init
expect "init upgrades it" 0 "" \
	"case-admin: upgraded $CASE_DB from schema 3 to 10"

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
	"case-admin: $CASE_DB is up to date (schema 10)"
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


# ---- 7 to 8: the trigram index without column sizes (SQLite only) -------

# What the index finds for each of a few phrases, asked through the
# sqlite3 shell as case-report asks it, one line per phrase.
TERMS='前进路 路灯不 和平街 streetlight 消防通道 单元 夜间装修 已三天 dark since'
match_q() {
	echo "SELECT group_concat(rowid, ' ') FROM (SELECT rowid FROM cases_fts WHERE cases_fts MATCH '\"$1\"' ORDER BY rowid)"
}
found() { answers "$TERMS" match_q; }

if sqlite_only "the upgrade from schema 7 to 8 (SQLite's trigram index)"; then
	# The fixture's cases were opened in October and November.
	at 2026-11-10T09:00:00+08:00
	load_fixture "$TESTS/cli/fixtures/v7-search.sql" make-v7.sh 7
	check_sql "the fixture is schema 7, its index with column sizes" "7
1" "PRAGMA user_version; SELECT count(*) FROM sqlite_schema WHERE name = 'cases_fts_docsize'"
	found >"$T/found.before"
	grep -qx '前进路:1 2 3 5 7' "$T/found.before" &&
		grep -qx 'streetlight:4' "$T/found.before" &&
		ok "the schema-7 index finds the fixture's cases" ||
		not_ok "the schema-7 index finds the fixture's cases"

	run case-admin init
	expect "init upgrades it through 8" 0 "" \
		"case-admin: upgraded $CASE_DB from schema 7 to 10"
	check_sql "the index keeps no column sizes" "10
0
1" "PRAGMA user_version;
SELECT count(*) FROM sqlite_schema WHERE name = 'cases_fts_docsize';
SELECT sql LIKE '%columnsize=0%' FROM sqlite_schema WHERE name = 'cases_fts'"
	found >"$T/found.after"
	cmp -s "$T/found.before" "$T/found.after" &&
		ok "the new index finds what the old one found" ||
		not_ok "the new index finds what the old one found"
	sql "INSERT INTO cases_fts(cases_fts) VALUES ('integrity-check')" \
		>"$T/out" 2>&1 && [ ! -s "$T/out" ] &&
		ok "FTS5's own check of the new index" || not_ok "FTS5's own check of the new index"
	run case-admin check
	expect "check finds nothing after the upgrade to 8" 0 "" ""
	run case-report -l -F csv -c id --search 前进路
	expect "case-report searches the new index" 0 "id
1
2
3
5
7" ""
	run case-open -k request -a '前进路 20 号' 升级后路灯不亮
	expect "a case opened after the upgrade" 0 8 ""
	run case-report -l -F csv -c id --search 路灯不
	expect "is found by the new index" 0 "id
3
8" ""

	# A file of 20,000 cases, its index made as schema 7 made it (the
	# only difference between 7 and 8): the upgrade indexes them in
	# chunks, and leaves the settings a large index needs.
	newdb big
	init_db
	awk 'BEGIN {
		print "ref,kind,summary,description,address,opened_at"
		for (i = 1; i <= 20000; i++)
			printf "B%d,request,第%d号路灯不亮,灯杆%d号夜间不亮,和平街%d号,2026-0%d-%02d 09:00\n",
				i, i, i % 97, i % 500, 1 + i % 9, 1 + i % 28
	}' >"$T/big.csv"
	case-open -q -f "$T/big.csv" >/dev/null ||
		{ echo "Bail out! cannot import $T/big.csv"; exit 1; }
	# Schema 7 also indexed each case by a trigger as it came; version 10
	# keeps the triggers as schema 9 had them, and the index's mark.
	sql "DROP TABLE cases_fts;
CREATE VIRTUAL TABLE cases_fts USING fts5(summary, description, address, content='cases', content_rowid='id', tokenize='trigram');
INSERT INTO cases_fts(cases_fts) VALUES ('rebuild');
DROP TRIGGER cases_fts_delete;
DROP TRIGGER cases_fts_update;
DROP TABLE search_upto;
$(grep '^CREATE TRIGGER cases_fts_' "$TESTS/cli/fixtures/v9-search.sql")
PRAGMA user_version = 7" >/dev/null
	TERMS='第1234号 灯杆13号 和平街499号 路灯不亮 第20000号'
	found >"$T/found.before"
	grep -qx '第20000号:20000' "$T/found.before" &&
		[ "$(grep -c '^路灯不亮:' "$T/found.before")" = 1 ] &&
		[ "$(sed -n 's/^路灯不亮://p' "$T/found.before" | wc -w)" = 20000 ] &&
		ok "the schema-7 index of 20,000 cases finds them" ||
		not_ok "the schema-7 index of 20,000 cases finds them"
	run case-admin init
	expect "init upgrades the 20,000 cases through 8" 0 "" \
		"case-admin: upgraded $CASE_DB from schema 7 to 10"
	found >"$T/found.after"
	cmp -s "$T/found.before" "$T/found.after" &&
		ok "the index made in chunks finds what the old one found" ||
		not_ok "the index made in chunks finds what the old one found"
	sql "INSERT INTO cases_fts(cases_fts) VALUES ('integrity-check')" \
		>"$T/out" 2>&1 && [ ! -s "$T/out" ] &&
		ok "FTS5's own check of the index made in chunks" || not_ok "FTS5's own check of the index made in chunks"
	level0=$(/usr/bin/python3 "$TESTS/fts_level0.py" "$CASE_DB")
	[ "$level0" = 0 ] &&
		ok "the chunks left no segment on the index's lowest level" ||
		not_ok "the chunks left no segment on the index's lowest level ($level0)"
	check_sql "the chunks left the settings of a large index" "4|64|1048576" \
		"SELECT (SELECT v FROM cases_fts_config WHERE k = 'automerge'),
(SELECT v FROM cases_fts_config WHERE k = 'crisismerge'),
(SELECT v FROM cases_fts_config WHERE k = 'hashsize')"
fi

# ---- 8 to 9: the index of leads without the cases that have none --------

# The entries of the index of leads, from its pages: every cell of an
# index's b-tree, inner or leaf, is one entry.
ENTRIES="SELECT coalesce(sum(ncell), 0) FROM dbstat WHERE name = 'cases_lead'"
# Each unit's cases as lead unit, asked as case-report --unit asks.
lead_q() {
	echo "SELECT group_concat(id, ' ') FROM (SELECT id FROM cases WHERE lead = '$1' ORDER BY id)"
}
leads() { answers 'pcs-qianjin med-qianjin grid-01 none' lead_q; }

if sqlite_only "the upgrade from schema 8 to 9 (SQLite's index of leads)"; then
	at 2026-11-25T09:00:00+08:00
	load_fixture "$TESTS/cli/fixtures/v8-lead.sql" make-v8.sh 8
	check_sql "the fixture is schema 8, its index of leads over all 8 cases" "8
CREATE INDEX cases_lead ON cases(lead)
8" "PRAGMA user_version;
SELECT sql FROM sqlite_schema WHERE name = 'cases_lead';
$ENTRIES"
	leads >"$T/leads.before"
	grep -qx 'med-qianjin:2 4' "$T/leads.before" &&
		grep -qx 'grid-01:3 7' "$T/leads.before" &&
		ok "the fixture's leads: imported, assigned and handed over" ||
		not_ok "the fixture's leads: imported, assigned and handed over"

	run case-admin init
	expect "init upgrades it through 9" 0 "" \
		"case-admin: upgraded $CASE_DB from schema 8 to 10"
	check_sql "the index of leads holds the 5 cases with a lead, and no other" "10
CREATE INDEX cases_lead ON cases(lead) WHERE lead IS NOT NULL
5|5" "PRAGMA user_version;
SELECT sql FROM sqlite_schema WHERE name = 'cases_lead';
SELECT ($ENTRIES), (SELECT count(*) FROM cases WHERE lead IS NOT NULL)"
	leads >"$T/leads.after"
	cmp -s "$T/leads.before" "$T/leads.after" &&
		ok "each unit leads the same cases" || not_ok "each unit leads the same cases"
	sql "EXPLAIN QUERY PLAN SELECT id FROM cases WHERE lead = 'grid-01'" |
		grep -q 'INDEX cases_lead' &&
		sql "EXPLAIN QUERY PLAN SELECT id FROM cases WHERE lead IN ('grid-01', 'pcs-qianjin')" |
		grep -q 'INDEX cases_lead' &&
		ok "a question that names leads still reads the index" ||
		not_ok "a question that names leads still reads the index"
	check_sql "the upgraded file passes SQLite's integrity check" ok "PRAGMA integrity_check"
	run case-admin check
	expect "check finds nothing after the upgrade to 9" 0 "" ""
	run case-report -l -F csv -c id,lead --unit grid-01
	expect "case-report --unit finds a unit's cases" 0 "id,lead
3,grid-01
7,grid-01" ""

	# A case opened without a lead adds no entry; one assigned adds one.
	run case-open -k request 升级后井盖松动
	expect "a case opened after the upgrade" 0 9 ""
	check_sql "a case without a lead is not in the index" 5 "$ENTRIES"
	run case-assign -u pcs-qianjin 9
	expect "is assigned" 0 9 ""
	check_sql "then it is" "6
pcs-qianjin:6 9" "$ENTRIES;
SELECT 'pcs-qianjin:' || group_concat(id, ' ') FROM (SELECT id FROM cases WHERE lead = 'pcs-qianjin' ORDER BY id)"
fi


# ---- 9 to 10: the trigram index takes new cases in batches --------------

# What the index itself finds (match_q, above), and what case-report
# finds, for a few phrases of the fixture's summaries, descriptions and
# addresses.
V10_TERMS='幸福路 路灯不亮 和平街 lamp gate 100% 楼道堆 night 犬吠扰 后来的'
searched() {
	for _w in $V10_TERMS; do
		printf '%s:' "$_w"
		case-report -l -H -F tsv -c id --search "$_w" | paste -sd' ' -
	done
}
FTS_TRIGGERS="SELECT group_concat(name || ':' || (sql LIKE '% WHEN old.id <= (SELECT id FROM search_upto) %'), ' ')
FROM (SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'cases_fts_%' ORDER BY name)"

if sqlite_only "the upgrade from schema 9 to 10 (SQLite's trigram index in batches)"; then
	at 2026-12-02T09:00:00+08:00
	load_fixture "$TESTS/cli/fixtures/v9-search.sql" make-v9.sh 9
	check_sql "the fixture is schema 9, its 7 cases indexed by triggers" "9
cases_fts_delete:0 cases_fts_insert:0 cases_fts_update:0
7" "PRAGMA user_version; $FTS_TRIGGERS; SELECT count(*) FROM cases"
	answers "$V10_TERMS" match_q >"$T/fts.before"
	grep -qx '幸福路:1 2 5' "$T/fts.before" && grep -qx 'gate:4' "$T/fts.before" &&
		grep -qx '100%:7' "$T/fts.before" && grep -qx '犬吠扰:7' "$T/fts.before" &&
		ok "the schema-9 index finds the fixture's cases" ||
		not_ok "the schema-9 index finds the fixture's cases"

	run case-admin init
	expect "init upgrades it to 10" 0 "" \
		"case-admin: upgraded $CASE_DB from schema 9 to 10"
	check_sql "no trigger on insert, the others only up to the mark, the mark at the last case" "10
cases_fts_delete:1 cases_fts_update:1
7" "PRAGMA user_version; $FTS_TRIGGERS; SELECT id FROM search_upto"
	answers "$V10_TERMS" match_q >"$T/fts.after"
	searched >"$T/searched.after"
	cmp -s "$T/fts.before" "$T/fts.after" && cmp -s "$T/fts.before" "$T/searched.after" &&
		ok "the index finds what it found, and case-report the same" ||
		not_ok "the index finds what it found, and case-report the same"
	sql "INSERT INTO cases_fts(cases_fts) VALUES ('integrity-check')" \
		>"$T/out" 2>&1 && [ ! -s "$T/out" ] &&
		ok "FTS5's own check of the upgraded index" || not_ok "FTS5's own check of the upgraded index"
	run case-admin check
	expect "check finds nothing after the upgrade to 10" 0 "" ""

	# New cases wait for the 64th id; searches find them meanwhile.
	run case-open -k request -a 幸福路8号 后来的第8件
	expect "a case opened after the upgrade" 0 8 ""
	check_sql "it is not in the index" "7
后来的:" "SELECT id FROM search_upto; SELECT '后来的:' || coalesce(($(match_q 后来的)), '')"
	run case-report -l -H -F tsv -c id --search 幸福路
	expect "case-report finds it with the indexed cases" 0 "1
2
5
8" ""
	i=9
	while [ $i -le 64 ]; do
		case-open -q -k request "后来的第${i}件" >/dev/null || break
		i=$((i + 1))
	done
	check_sql "the 64th indexes the 57 cases after the mark" "64
57" "SELECT id FROM search_upto;
SELECT count(*) FROM cases_fts WHERE cases_fts MATCH '\"后来的\"'"
	# An indexed case whose text an administrator changes changes in the
	# index.
	sql "UPDATE cases SET address = '光明路1号' WHERE id = 1"
	[ "$(answers '幸福路 光明路' match_q)" = "幸福路:2 5 8
光明路:1" ] && ok "a case's changed address changes in the index" ||
		not_ok "a case's changed address changes in the index"
fi

done_testing
