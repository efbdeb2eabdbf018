#!/bin/sh
# Output that cannot be written changes nothing (issue 13, item 7).  A
# command that writes prints its ids or rows, flushes them and checks
# them before it commits; when they cannot be written it rolls back and
# exits 1, so that a script which retries opens, assigns or escalates
# nothing twice.  /dev/full refuses every write with ENOSPC.
. "$TESTS/cli/lib.sh"

FULL="cannot write output: No space left on device; nothing was changed"

# unwritten NAME CMD ARGS...: with stdout on /dev/full, CMD exits 1, says
# so on stderr, and the database is as it was.
unwritten() {
	_name=$1
	shift
	snapshot
	"$@" >/dev/full 2>"$T/err"
	rc=$?
	check_rc 1 "$_name: exit 1"
	check_err_has ": $FULL" "$_name: says nothing was changed"
	check_unchanged "$_name: the database is unchanged"
}

case-admin unit add pcs-qianjin 前进派出所 --type police \
	--place chaoyang/qianjin
case-admin supervisor set 1 王所长 --contact 010-6400-1101

# ---- case-open --------------------------------------------------------------

unwritten "case-open, one case" case-open -k request -c 路灯 路灯不亮
unwritten "case-open -F csv, one case" case-open -F csv -k request 路灯不亮
unwritten "case-open -F json, one case" case-open -F json -k request 路灯不亮
check_sql "no case was opened" "0" "SELECT count(*) FROM cases"

printf 'kind,place,summary\nhazard,chaoyang/qianjin/huayu,楼道煤气味\nrequest,chaoyang/qianjin,路灯不亮\n' \
	>"$T/two.csv"
unwritten "case-open --file" case-open -f "$T/two.csv"
unwritten "case-open --file -F csv" case-open -F csv -f "$T/two.csv"
unwritten "case-open --file from stdin" sh -c 'case-open -f - <"$1"' sh "$T/two.csv"
unwritten "case-open --file --skip-bad" case-open --skip-bad -f "$T/two.csv"
check_sql "no case was imported" "0" "SELECT count(*) FROM cases"

# A large import writes its ids while it runs, not only at the end: a
# stdio buffer holds 64 kB, and this is ten times that.
awk 'BEGIN { print "kind,summary"
	for (i = 1; i <= 100000; i++) printf "request,第%d盏路灯不亮\n", i }' \
	>"$T/many.csv"
unwritten "case-open --file, 100000 rows" case-open -f "$T/many.csv"

# A consumer that has gone away: the import dies of SIGPIPE (or, where
# SIGPIPE is ignored, exits 1) before its commit, and nothing is imported.
{
	sleep 1
	case-open -f "$T/two.csv" 2>"$T/err"
	echo $? >"$T/rc"
} | true
rc=$(cat "$T/rc")
if [ "$rc" -ne 0 ]; then ok "case-open --file into a closed pipe fails (exit $rc)"; else
	not_ok "case-open --file into a closed pipe fails (exit 0)"
fi
check_sql "a closed pipe imports nothing" "0" "SELECT count(*) FROM cases"

# With room for the output, the same commands work.
run case-open -f "$T/two.csv"
expect "case-open --file with room" 0 "1
2" ""
run case-open -k request -l chaoyang/qianjin/huayu 电梯停运
expect "case-open with room" 0 "3" ""

# ---- case-assign --------------------------------------------------------------

unwritten "case-assign" case-assign -u pcs-qianjin 1 2
unwritten "case-assign -F csv" case-assign -F csv -u pcs-qianjin 1
unwritten "case-assign, ids on stdin" sh -c 'printf "1\n2\n" | case-assign -u pcs-qianjin'
unwritten "case-assign --skip-bad" case-assign --skip-bad -u pcs-qianjin 1 99
check_sql "no case was assigned" "0" "SELECT count(*) FROM assignments"
unwritten "case-assign --auto" case-assign --auto
unwritten "case-assign --auto -F csv" case-assign --auto -F csv
check_sql "--auto routed nothing" "open|open|open" \
	"SELECT group_concat(status, '|') FROM cases"
run case-assign --auto
check_rc 0 "case-assign --auto with room"

at "2026-05-09T08:00:00+08:00"
unwritten "case-assign --escalate" case-assign --escalate
unwritten "case-assign --escalate -F tsv" case-assign --escalate -F tsv
unwritten "case-assign --escalate --exit-status" case-assign --escalate --exit-status
check_sql "nothing rose" "0" "SELECT max(level) FROM cases"
run case-assign -q --escalate -F csv -H
check_out "1,1,王所长,010-6400-1101,pcs-qianjin,2026-05-08T00:00:00Z,86400,楼道煤气味
2,1,王所长,010-6400-1101,pcs-qianjin,2026-05-08T00:00:00Z,86400,路灯不亮
3,1,王所长,010-6400-1101,pcs-qianjin,2026-05-08T00:00:00Z,86400,电梯停运" \
	"the same escalation with room rises and prints every case"

# ---- case-followup --------------------------------------------------------------

unwritten "case-followup note" case-followup note -m 已联系燃气公司 1
unwritten "case-followup resolve" case-followup resolve -m 已修复 1 2
unwritten "case-followup cancel -F json" case-followup cancel -F json -m 重复 3
check_sql "no case moved" "assigned|assigned|assigned" \
	"SELECT group_concat(status, '|') FROM cases"
run case-followup resolve -m 已修复 2
expect "case-followup resolve with room" 0 "2" ""
at "2026-05-17T08:00:00+08:00"
unwritten "case-followup visit" case-followup visit -o satisfied 2
unwritten "case-followup schedule" case-followup schedule --at +3d 2
check_sql "case 2 is still resolved, with one visit due" "resolved|1" \
	"SELECT status, (SELECT count(*) FROM visits WHERE case_id = 2) FROM cases WHERE id = 2"

# ---- dry runs ---------------------------------------------------------------------

unwritten "case-assign --dry-run" case-assign -n -m 看一看 1
unwritten "case-open --file --dry-run -F csv" case-open -n -F csv -f "$T/two.csv"

# ---- a command that prints nothing ------------------------------------------------

# case-admin's writes print nothing on stdout, so a full stdout is no
# failure of theirs: the write lands and the exit is 0.
run sh -c 'case-admin unit add grid-g07 华宇第七网格 >/dev/full'
expect "case-admin unit add, stdout on /dev/full" 0 "" ""
check_sql "the unit was added" "grid-g07" \
	"SELECT code FROM units WHERE code = 'grid-g07'"

done_testing
