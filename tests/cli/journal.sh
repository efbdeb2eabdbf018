#!/bin/sh
# The journal: the database itself refuses to change or remove an event,
# even when a user goes around the binaries with the sqlite3 shell, and
# `case-admin check` names every case whose row disagrees with its journal
# (and no other).
. "$TESTS/cli/lib.sh"

# A statement through the sqlite3 shell that the database must refuse:
# sqlite3 exits non-zero, says why, and the database is as it was.
refused_sql() {
	_name=$1
	_msg=$2
	shift 2
	snapshot
	sql "$@" >"$T/out" 2>"$T/err"
	rc=$?
	if [ "$rc" -ne 0 ] && grep -qF -- "$_msg" "$T/err"; then
		ok "$_name"
	else
		not_ok "$_name (expected sqlite3 to fail with: $_msg)"
		_show
	fi
	check_unchanged "$_name: the database is unchanged"
}

case-admin -q init
case-admin unit add pcs-qianjin 前进派出所 --type police
case-admin unit add med-qianjin 前进调解室 --type judicial

# Twenty cases in every state: 1-2 open, 3-6 assigned, 7-12 resolved,
# 13-18 closed (16 reopened once on the way), 19-20 cancelled.
i=1
while [ $i -le 20 ]; do
	case-open -q -k dispute -c noise "案件 $i" >/dev/null
	i=$((i + 1))
done
case-assign -q -u pcs-qianjin $(seq 3 18) >/dev/null
case-assign -q -u med-qianjin -s pcs-qianjin 5 >/dev/null
case-followup resolve -q -m 已处理 $(seq 7 18) >/dev/null
case-followup visit -q -o unsatisfied 16 >/dev/null
case-followup resolve -q -m 再次处理 16 >/dev/null
case-followup visit -q -o satisfied $(seq 13 18) >/dev/null
case-followup cancel -q -m 重复 19 20 >/dev/null
check_sql "the cases are in the states the test expects" \
	"assigned|4
cancelled|2
closed|6
open|2
resolved|6" \
	"SELECT status, count(*) FROM cases GROUP BY status ORDER BY status"
run case-admin check
expect "check passes before any tampering" 0 "" ""

# ---- the journal refuses change ----------------------------------------

n_events=$(sql "SELECT count(*) FROM events")
refused_sql "UPDATE of an event's detail" \
	"the event journal is append-only" \
	"UPDATE events SET detail = 'rewritten' WHERE id = 1"
refused_sql "UPDATE of an event's action and status" \
	"the event journal is append-only" \
	"UPDATE events SET action = 'open', status = 'open' WHERE case_id = 13"
refused_sql "UPDATE of every event" \
	"the event journal is append-only" \
	"UPDATE events SET actor = 'nobody'"
# SQLite's OR REPLACE is its own syntax; a server's way to replace a
# row, the upsert, is refused below on both.
if sqlite_only "UPDATE OR REPLACE of an event"; then
	refused_sql "UPDATE OR REPLACE of an event" \
		"the event journal is append-only" \
		"UPDATE OR REPLACE events SET id = 1 WHERE id = 2"
fi
refused_sql "DELETE of one event" \
	"the event journal is append-only" \
	"DELETE FROM events WHERE id = 1"
refused_sql "DELETE of every event" \
	"the event journal is append-only" \
	"DELETE FROM events"
refused_sql "DELETE inside a transaction" \
	"the event journal is append-only" \
	"BEGIN; DELETE FROM events WHERE case_id = 7; COMMIT"
refused_sql "an upsert that would update an event" \
	"the event journal is append-only" \
	"INSERT INTO events(id, case_id, at, actor, action, status, level, detail)
	 VALUES (1, 1, 0, 'x', 'open', 'open', 0, 'x')
	 ON CONFLICT(id) DO UPDATE SET detail = 'upserted'"
# REPLACE removes the conflicting row without firing DELETE triggers
# (unless recursive_triggers is on), so it is a way to rewrite an event
# that a DELETE trigger alone does not stop.
# (SQLite's syntax: a server has no REPLACE, and its upsert is above.)
if sqlite_only "INSERT OR REPLACE and REPLACE INTO over existing events"; then
	refused_sql "INSERT OR REPLACE over an existing event" \
		"the event journal is append-only" \
		"INSERT OR REPLACE INTO events(id, case_id, at, actor, action, status,
		 level, detail) VALUES (1, 1, 0, 'x', 'open', 'open', 0, 'rewritten')"
	refused_sql "REPLACE INTO from a SELECT of existing events" \
		"the event journal is append-only" \
		"REPLACE INTO events SELECT id, case_id, at, 'forger', action, status,
		 level, detail FROM events WHERE case_id = 3"
fi
# A server checks the journal's reference to its case once a statement,
# not by a foreign key; it refuses what the key refused, with the key's
# words.  (The sqlite3 shell does not enforce foreign keys unless asked;
# the library's connections do, and check names such a case below.)
if [ "$BACKEND" = pg ]; then
	refused_sql "an event of a case that does not exist" \
		'violates foreign key constraint "events_case_id_fkey"' \
		"INSERT INTO events(case_id, at, actor, action, status, level, detail)
		 VALUES (999, 0, 'x', 'note', 'open', 0, 'x')"
	refused_sql "events of many cases, one of which does not exist" \
		'violates foreign key constraint "events_case_id_fkey"' \
		"INSERT INTO events(case_id, at, actor, action, status, level, detail)
		 SELECT id, 0, 'x', 'note', status, 0, 'x' FROM cases
		 UNION ALL SELECT 998, 0, 'x', 'note', 'open', 0, 'x'"
	refused_sql "DELETE of a case that has a journal" \
		'violates foreign key constraint "events_case_id_fkey" on table "events"' \
		"DELETE FROM cases WHERE id = 1"
	refused_sql "a case's id changed under its journal" \
		'violates foreign key constraint "events_case_id_fkey" on table "events"' \
		"UPDATE cases SET id = 999 WHERE id = 2"
else
	skip "the server's checks of the journal's case (a foreign key here)"
fi
check_sql "every event is still there" "$n_events" "SELECT count(*) FROM events"
check_sql "event 1 is still the opening of case 1" \
	"1|tester|open|open|dispute, priority normal" \
	"SELECT case_id, actor, action, status, detail FROM events WHERE id = 1"
run case-admin check
expect "check still passes after the refused statements" 0 "" ""

# ---- check names every case whose row disagrees with its journal ---------

snapshot
tamper() {
	sql "$1" >"$T/out" 2>"$T/err" || {
		not_ok "tampering: $1"
		_show
	}
}
# Each tampered case, and how; cases 1, 6, 9 and 19 are left alone.
tamper "UPDATE cases SET status = 'resolved' WHERE id = 4"  # status
tamper "UPDATE cases SET level = 2 WHERE id = 5"            # level
tamper "UPDATE cases SET reopened = 0 WHERE id = 16"        # reopened count
tamper "UPDATE cases SET reopened = 3 WHERE id = 13"        # reopened count
tamper "UPDATE cases SET lead = NULL WHERE id = 8"          # lead removed
tamper "UPDATE cases SET resolved_at = NULL WHERE id = 7"   # resolved_at (resolved)
tamper "UPDATE cases SET closed_at = opened_at WHERE id = 3" # closed_at on an assigned case
tamper "UPDATE cases SET status = 'closed', closed_at = resolved_at,
	outcome = 'satisfied' WHERE id = 10"                   # closed without journal
tamper "INSERT INTO visits(case_id, due_at) VALUES (14, 1800000000)" # open visit on a closed case
tamper "UPDATE cases SET lead = 'pcs-qianjin' WHERE id = 2" # lead on an open case
tamper "UPDATE cases SET lead = 'med-qianjin' WHERE id = 11" # lead without assignment
tamper "UPDATE visits SET done_at = 1777600000, outcome = 'satisfied'
	WHERE case_id = 11 AND done_at IS NULL"                # resolved without an open visit
tamper "UPDATE cases SET status = 'open', lead = NULL WHERE id = 20" # cancelled reopened by hand
tamper "UPDATE cases SET opened_at = closed_at + 86400 WHERE id = 18" # times out of order
tamper "INSERT INTO cases(kind, summary, status, opened_at, due_at)
	VALUES ('request', '没有日志的案件', 'open', 1777593600, 1778198400)" # no open event: case 21
tamper "UPDATE cases SET resolved_at = NULL WHERE id = 15"  # closed without resolved_at
tamper "UPDATE cases SET outcome = NULL WHERE id = 17"      # closed without outcome
tamper "UPDATE cases SET status = 'assigned', resolved_at = NULL
	WHERE id = 12"                                         # resolved case set back
tampered="2 3 4 5 7 8 10 11 12 13 14 15 16 17 18 20 21"
untampered="1 6 9 19"

run case-admin check -F csv -H
check_rc 1 "check exits 1 when rows disagree with the journal"
cp "$T/out" "$T/findings"
cut -d, -f1 "$T/findings" | sort -n | uniq >"$T/named"
for id in $tampered; do
	if grep -qx "$id" "$T/named"; then
		ok "check names tampered case $id: $(grep "^$id," "$T/findings" | cut -d, -f2- | paste -sd';' -)"
	else
		not_ok "check names tampered case $id"
	fi
done
for id in $untampered; do
	if grep -qx "$id" "$T/named"; then
		not_ok "check names untampered case $id: $(grep "^$id," "$T/findings" | cut -d, -f2- | paste -sd';' -)"
	else
		ok "check does not name untampered case $id"
	fi
done
extra=$(grep -vxF "$(printf '%s\n' $tampered)" "$T/named")
[ -z "$extra" ] && ok "check names no case beyond the tampered ones" ||
	not_ok "check names no case beyond the tampered ones (also: $extra)"

# The finding for each kind of tampering, exactly.
has_finding() {
	if grep -qxF -- "$1" "$T/findings"; then ok "finding: $1"; else
		not_ok "finding: $1"
		sed 's/^/#   /' "$T/findings"
	fi
}
has_finding "4,status is resolved but its journal ends in assigned"
has_finding "5,level is 2 but its journal says 0"
has_finding "16,reopened count is 0 but its journal has 1 reopen events"
has_finding "13,reopened count is 3 but its journal has 0 reopen events"
has_finding "8,is resolved without a lead unit"
has_finding "7,is resolved without resolved_at"
has_finding "10,status is closed but its journal ends in resolved"
has_finding "14,is closed but has an open visit"
has_finding "2,is open but has lead unit pcs-qianjin"
has_finding "11,lead unit med-qianjin has no current lead assignment"
has_finding "11,is resolved but has no open visit"
has_finding "20,status is open but its journal ends in cancelled"
has_finding "18,\"times are out of order (opened, resolved, closed)\""
has_finding "21,has no open event in its journal"
has_finding "15,is closed without resolved_at"
has_finding "17,is closed but outcome is missing"
has_finding "12,status is assigned but its journal ends in resolved"
has_finding "12,is assigned but has an open visit"
has_finding "3,is assigned but closed_at is set"
n=$(wc -l <"$T/findings")
run case-admin check
check_err "case-admin: $n findings" "check counts every finding on stderr"
run case-admin check -q
check_rc 1 "check -q still exits 1"
[ ! -s "$T/err" ] && ok "check -q: nothing on stderr" || not_ok "check -q: nothing on stderr"

# A check only reads.
snapshot
run case-admin check
check_unchanged "check changes nothing, even with findings"

# A case row deleted by hand (the sqlite3 shell leaves foreign keys off)
# leaves its journal behind: check names the case, and still names every
# other tampered case rather than stopping at the first kind of finding.
if [ "$BACKEND" = pg ]; then
	# A server enforces the foreign keys; its superuser goes around
	# them as the sqlite3 shell does, by turning their triggers off.
	tamper "SET session_replication_role = replica;
		DELETE FROM cases WHERE id = 19"
else
	tamper "DELETE FROM cases WHERE id = 19"
fi
run case-admin check -F csv -H
check_rc 1 "check exits 1 after a case row is deleted"
cp "$T/out" "$T/findings"
if grep -q "^19," "$T/findings" || grep -q "case 19\b" "$T/findings"; then
	ok "check names the deleted case 19"
else
	not_ok "check names the deleted case 19"
	sed 's/^/#   /' "$T/findings"
fi
missing=
for id in $tampered; do
	grep -q "^$id," "$T/findings" || missing="$missing $id"
done
[ -z "$missing" ] &&
	ok "with a deleted row too, check still names every tampered case" ||
	not_ok "with a deleted row too, check still names every tampered case (missing:$missing)"

# An import writes its open events with the guard against replacing
# events lifted for its one statement; the guard is back afterwards.
if sqlite_only "an import leaves the journal's guard against REPLACE"; then
	newdb imported
	case-admin -q init
	printf 'kind,summary\nrequest,导入一\nrequest,导入二\n' >"$T/two.csv"
	case-open -q -f "$T/two.csv" >/dev/null
	refused_sql "INSERT OR REPLACE over an event an import wrote" \
		"the event journal is append-only" \
		"INSERT OR REPLACE INTO events(id, case_id, at, actor, action,
		 status, level, detail) SELECT id, case_id, at, 'forger', action,
		 status, level, detail FROM events WHERE case_id = 1"
fi

done_testing
