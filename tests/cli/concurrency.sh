#!/bin/sh
# Concurrency: eight processes share one database, each running 250 mixed
# operations (open, assign, note, resolve, visit); every operation commits,
# none meets "database is locked", and the database ends holding exactly
# what the processes say they did.  Then readers run against writers and
# each read sees one consistent state.
#
# CASE_TEST_WORKERS and CASE_TEST_OPS size the first part (default 8 and
# 250, as the reliability issue asks).
. "$TESTS/cli/lib.sh"

WORKERS=${CASE_TEST_WORKERS:-8}
OPS=${CASE_TEST_OPS:-250}
export CASE_BUSY_TIMEOUT=60000

case-admin -q init
for u in 1 2 3 4; do
	case-admin unit add "unit-$u" "第${u}单位" --type police
done

# ---- eight writers -----------------------------------------------------------

# One writer.  It keeps the cases it opened in three queues by status and
# picks each operation from what its own cases allow, so every operation
# it attempts is legal and must succeed.  It logs one line per operation:
#   open ID | assign ID UNIT | reassign ID UNIT | note ID | resolve ID |
#   visit ID OUTCOME ATTEMPT
# and, at the end, "final open|assigned|resolved|closed ID..." so that the
# expected end state can be checked too.  Failures go to $log.fail, every
# stderr line to $log.err.
worker() {
	w=$1
	log=$T/w$w.log
	: >"$log"
	: >"$log.err"
	: >"$log.fail"
	open_q=
	asg_q=
	res_q=       # ID:ATTEMPT, the attempt of its next visit
	closed_q=
	k=0          # which outcome comes next
	i=0
	# One command; its status and stderr are logged.
	do_op() {
		"$@" >"$T/w$w.out" 2>>"$log.err"
		_rc=$?
		[ "$_rc" -eq 0 ] || echo "exit $_rc: $*" >>"$log.fail"
		return $_rc
	}
	while [ $i -lt "$OPS" ]; do
		op=$((i % 6))
		# Fall back to opening when the queue an operation needs is empty.
		case $op in
		1 | 5) [ -n "$open_q" ] || [ -n "$asg_q" ] || op=0 ;;
		3) [ -n "$asg_q" ] || op=0 ;;
		4) [ -n "$res_q" ] || op=0 ;;
		esac
		case $op in
		0)
			if do_op case-open -k request -c "worker$w" \
				-l "district/w$w/n$i" "第${w}号进程 第${i}件"; then
				read -r id <"$T/w$w.out"
				echo "open $id" >>"$log"
				open_q="$open_q $id"
			fi
			;;
		1 | 5)
			unit=unit-$(((i / 6 + w) % 4 + 1))
			if [ -n "$open_q" ]; then
				set -- $open_q
				id=$1
				shift
				open_q=$*
				verb=assign
			else
				# A new lead for an assigned case: the old one is
				# released.  It moves to the back of the queue.
				set -- $asg_q
				id=$1
				shift
				asg_q=$*
				verb=reassign
				eval "cur=\$lead_$id"
				[ "$unit" = "$cur" ] && unit=unit-$((${cur#unit-} % 4 + 1))
			fi
			if do_op case-assign -q -u "$unit" "$id"; then
				echo "$verb $id $unit" >>"$log"
				eval "lead_$id=$unit"
			fi
			asg_q="$asg_q $id"
			;;
		2)
			set -- $open_q $asg_q $closed_q
			if [ $# -eq 0 ]; then
				set -- $(echo "$res_q" | sed 's/:[0-9]*//g')
			fi
			if [ $# -gt 0 ]; then
				eval "id=\${$((i % $# + 1))}"
				do_op case-followup note -q -m "进程$w 第$i步 备注" "$id" &&
					echo "note $id" >>"$log"
			else
				do_op case-open -k request "第${w}号进程 第${i}件" &&
					read -r id <"$T/w$w.out" &&
					echo "open $id" >>"$log" && open_q="$open_q $id"
			fi
			;;
		3)
			set -- $asg_q
			id=$1
			shift
			asg_q=$*
			if do_op case-followup resolve -q -m "第$i步 处理完毕" "$id"; then
				echo "resolve $id" >>"$log"
				res_q="$res_q $id:1"
			else
				asg_q="$asg_q $id"
			fi
			;;
		4)
			set -- $res_q
			entry=$1
			shift
			res_q=$*
			id=${entry%:*}
			att=${entry#*:}
			case $((k % 3)) in
			0) outcome=satisfied ;;
			1) outcome=unsatisfied ;;
			2) outcome=unreachable ;;
			esac
			k=$((k + 1))
			if do_op case-followup visit -q -o "$outcome" --method phone "$id"; then
				echo "visit $id $outcome $att" >>"$log"
				case $outcome in
				satisfied) closed_q="$closed_q $id" ;;
				unsatisfied) asg_q="$asg_q $id" ;;
				unreachable)
					if [ "$att" -ge 3 ]; then
						closed_q="$closed_q $id"
					else
						res_q="$res_q $id:$((att + 1))"
					fi
					;;
				esac
			else
				res_q="$res_q $entry"
			fi
			;;
		esac
		i=$((i + 1))
	done
	echo "final open $open_q" >>"$log"
	echo "final assigned $asg_q" >>"$log"
	echo "final resolved $(echo "$res_q" | sed 's/:[0-9]*//g')" >>"$log"
	echo "final closed $closed_q" >>"$log"
}

start=$(date +%s)
w=1
while [ $w -le "$WORKERS" ]; do
	worker $w &
	w=$((w + 1))
done
wait
elapsed=$(($(date +%s) - start))
diag "$WORKERS writers x $OPS operations took ${elapsed}s"

cat "$T"/w*.log | grep -v '^final' >"$T/all.log"
cat "$T"/w*.log.fail >"$T/fail"
cat "$T"/w*.log.err >"$T/err.all"
n_ops=$(wc -l <"$T/all.log")
[ "$n_ops" -eq $((WORKERS * OPS)) ] &&
	ok "every one of the $((WORKERS * OPS)) operations succeeded and was logged" || {
	not_ok "every one of the $((WORKERS * OPS)) operations succeeded and was logged ($n_ops)"
	head -20 "$T/fail" | sed 's/^/#   /'
}
[ ! -s "$T/fail" ] && ok "every command exited 0" || {
	not_ok "every command exited 0 ($(wc -l <"$T/fail") failed)"
	head -20 "$T/fail" | sed 's/^/#   /'
}
if grep -qi "locked" "$T/err.all"; then
	not_ok "no stderr says 'locked'"
	grep -i locked "$T/err.all" | head -5 | sed 's/^/#   /'
else
	ok "no stderr says 'locked'"
fi
[ ! -s "$T/err.all" ] && ok "nothing at all on stderr" || {
	not_ok "nothing at all on stderr"
	head -10 "$T/err.all" | sed 's/^/#   /'
}
for a in open assign reassign note resolve visit; do
	diag "$a: $(grep -c "^$a " "$T/all.log")"
done

# ---- what the logs say must be in the database ------------------------------

count() { grep -c "$1" "$T/all.log"; }
n_open=$(count '^open ')
n_assign=$(count '^assign ')
n_reassign=$(count '^reassign ')
n_note=$(count '^note ')
n_resolve=$(count '^resolve ')
n_visit=$(count '^visit ')
n_sat=$(count '^visit [0-9]* satisfied')
n_unsat=$(count '^visit [0-9]* unsatisfied')
n_unr_last=$(count '^visit [0-9]* unreachable 3$')
n_unr_retry=$(grep -c '^visit [0-9]* unreachable [12]$' "$T/all.log")

# Ids: each open printed a new id, no two processes got the same one, and
# the cases table holds exactly those.
grep '^open ' "$T/all.log" | cut -d' ' -f2 | sort -n >"$T/ids.log"
sort -nu "$T/ids.log" | cmp -s - "$T/ids.log" &&
	ok "no id was handed out twice" || not_ok "no id was handed out twice"
sql "SELECT id FROM cases ORDER BY id" >"$T/ids.db"
cmp -s "$T/ids.log" "$T/ids.db" &&
	ok "the cases are exactly the $n_open the processes opened" ||
	not_ok "the cases are exactly the $n_open the processes opened ($(wc -l <"$T/ids.db") in the database)"

# The journal, action by action, from the lifecycle: a fresh assignment
# writes 'assign'; a new lead also 'release's the old one; unsatisfied
# reopens; satisfied closes; unreachable closes at the third attempt.
check_sql "the journal has one event per action the processes report" \
	"assign|$((n_assign + n_reassign))
close|$((n_sat + n_unr_last))
note|$n_note
open|$n_open
release|$n_reassign
reopen|$n_unsat
resolve|$n_resolve
visit|$n_visit" \
	"SELECT action, count(*) FROM events GROUP BY action ORDER BY action"
# Each note names its process and step: the journal holds exactly the
# notes that were logged, on the cases they were logged for.
check_sql "every note in the journal is one a process wrote" \
	"0" \
	"SELECT count(*) FROM events e WHERE action = 'note' AND detail NOT LIKE '进程% 备注'"
grep '^note ' "$T/all.log" | cut -d' ' -f2 | sort -n >"$T/notes.log"
sql "SELECT case_id FROM events WHERE action = 'note' ORDER BY case_id" >"$T/notes.db"
cmp -s "$T/notes.log" "$T/notes.db" && ok "the notes are on exactly the logged cases" ||
	not_ok "the notes are on exactly the logged cases"
check_sql "visits: one per resolve and per retried unreachable attempt; $n_visit done" \
	"$((n_resolve + n_unr_retry))|$n_visit" \
	"SELECT count(*), count(done_at) FROM visits"
check_sql "visit outcomes as logged" \
	"satisfied|$n_sat
unreachable|$((n_unr_last + n_unr_retry))
unsatisfied|$n_unsat" \
	"SELECT outcome, count(*) FROM visits WHERE done_at IS NOT NULL
	 GROUP BY outcome ORDER BY outcome"
check_sql "assignments: one per assignment, the replaced leads released" \
	"$((n_assign + n_reassign))|$n_reassign" \
	"SELECT count(*), count(released_at) FROM assignments"
check_sql "reopened counts add up to the unsatisfied visits" "$n_unsat" \
	"SELECT coalesce(sum(reopened), 0) FROM cases"

# The end state of every case is the one its process last saw.
for st in open assigned resolved closed; do
	grep -h "^final $st" "$T"/w*.log | cut -d' ' -f3- | tr ' ' '\n' |
		grep -v '^$' | sort -n >"$T/final.$st"
	sql "SELECT id FROM cases WHERE status = '$st' ORDER BY id" >"$T/db.$st"
	cmp -s "$T/final.$st" "$T/db.$st" &&
		ok "the $(wc -l <"$T/db.$st") $st cases are the ones the processes left $st" ||
		not_ok "the $st cases are the ones the processes left $st ($(wc -l <"$T/final.$st") logged, $(wc -l <"$T/db.$st") in the database)"
done
# The lead of every case is the unit its last assignment named.
awk '$1 == "assign" || $1 == "reassign" { lead[$2] = $3 }
	END { for (id in lead) print id "|" lead[id] }' "$T/all.log" |
	sort -t'|' -k1,1n >"$T/leads.log"
sql "SELECT id, lead FROM cases WHERE lead IS NOT NULL ORDER BY id" >"$T/leads.db"
cmp -s "$T/leads.log" "$T/leads.db" && ok "every lead is the last unit assigned" ||
	not_ok "every lead is the last unit assigned"
run case-report -F csv -H
cut -d, -f1,2,4,5,15 "$T/out" >"$T/summary"
printf '%s\n' "$n_open,$(($(wc -l <"$T/final.open") + $(wc -l <"$T/final.assigned"))),$(($(wc -l <"$T/final.resolved") + $(wc -l <"$T/final.closed"))),$(wc -l <"$T/final.closed"),$n_unsat" >"$T/want"
cmp -s "$T/want" "$T/summary" &&
	ok "case-report's summary agrees: opened, open, resolved, closed, reopened" || {
	not_ok "case-report's summary agrees: opened, open, resolved, closed, reopened"
	diag "want: $(cat "$T/want")" "got:  $(cat "$T/summary")"
}
run case-admin check
expect "case-admin check passes after the concurrent run" 0 "" ""

# ---- readers against a bulk import in one transaction ------------------------

before=$(sql "SELECT count(*) FROM cases")
before_ev=$(sql "SELECT count(*) FROM events WHERE action = 'open'")
awk 'BEGIN {
	print "ref,kind,category,priority,place,address,summary"
	for (i = 1; i <= 10000; i++)
		printf "IMP-%05d,%s,%s,%s,chaoyang/qianjin/g%02d,华宇小区%d号楼,导入的第%d件\n",
			i, (i % 3 == 0 ? "hazard" : "request"),
			(i % 2 ? "lamp" : "noise"), (i % 4 ? "normal" : "high"),
			i % 20, i % 50, i
}' >"$T/import.csv"
(
	case-open -q -f "$T/import.csv" >"$T/import.out" 2>"$T/import.err"
	echo $? >"$T/import.rc"
) &
importer=$!
: >"$T/reads"
: >"$T/read.err"
n_reads=0
# Read while the import runs, then a few times after.
after=0
while [ $after -lt 3 ]; do
	kill -0 "$importer" 2>/dev/null || after=$((after + 1))
	o=$(case-report -F csv -H 2>>"$T/read.err" | cut -d, -f1)
	l=$(case-report -l -F csv -H -c id 2>>"$T/read.err" | wc -l)
	e=$(case-report --events -F csv -H 2>>"$T/read.err" | grep -c ',open,')
	echo "$o $l $e" >>"$T/reads"
	n_reads=$((n_reads + 1))
done
wait "$importer"
[ "$(cat "$T/import.rc")" -eq 0 ] && ok "the 10,000-row import succeeded" || {
	not_ok "the 10,000-row import succeeded"
	sed 's/^/#   /' "$T/import.err"
}
check_sql "the import added exactly 10,000 cases" "$((before + 10000))" \
	"SELECT count(*) FROM cases"
b=$before
a=$((before + 10000))
bad=$(awk -v b="$b" -v a="$a" -v be="$before_ev" -v ae="$((before_ev + 10000))" '
	!(($1 == b || $1 == a) && ($2 == b || $2 == a) && ($3 == be || $3 == ae))' "$T/reads")
[ -z "$bad" ] &&
	ok "all $n_reads reads saw $b or $a cases (summary, list and journal), never between" || {
	not_ok "every read saw $b or $a cases, never between"
	echo "$bad" | head -5 | sed 's/^/#   /'
}
diag "$n_reads reads during and after the import; $(grep -c "^$a " "$T/reads") saw it committed"
grep -q "^$b " "$T/reads" && ok "some reads ran while the import was in progress" ||
	skip "no read landed before the import committed (machine too fast)"
[ ! -s "$T/read.err" ] && ok "no read failed" || {
	not_ok "no read failed"
	head -5 "$T/read.err" | sed 's/^/#   /'
}

# ---- readers against a stream of small writers --------------------------------

# One process moves cases through their whole lifecycle, one transaction
# per command; meanwhile each read must be of one state: the grouped
# summary's total equals the sum of its groups, and a case shown with
# --show has the status its own journal ends in.
(
	j=0
	while [ $j -lt 40 ]; do
		id=$(case-open -k dispute -c 并发 -l chaoyang/x "流水 $j" 2>>"$T/writer.err")
		case-assign -q -u unit-1 "$id" >/dev/null 2>>"$T/writer.err"
		case-followup -q note -m 进展 "$id" >/dev/null 2>>"$T/writer.err"
		case-followup -q resolve -m 完成 "$id" >/dev/null 2>>"$T/writer.err"
		case-followup -q visit -o unsatisfied "$id" >/dev/null 2>>"$T/writer.err"
		case-followup -q resolve -m 再次完成 "$id" >/dev/null 2>>"$T/writer.err"
		case-followup -q visit -o satisfied "$id" >/dev/null 2>>"$T/writer.err"
		echo "$id" >"$T/current"
		j=$((j + 1))
	done
) &
writer=$!
n_reads=0
: >"$T/bad_groups"
: >"$T/bad_show"
while kill -0 "$writer" 2>/dev/null; do
	# The grouped summary: total of 'opened' and 'closed' over the groups.
	case-report -g kind,status -c opened,closed 2>>"$T/read.err" | awk '
		NR == 1 { next }
		$1 == "total" { to = $3; tc = $4; next }
		{ so += $3; sc += $4 }
		END { if (so != to || sc != tc) print "groups " so "/" sc " total " to "/" tc }' \
		>>"$T/bad_groups"
	# One case's fields against its own journal.
	if [ -s "$T/current" ]; then
		id=$(cat "$T/current")
		id=$((id + 1))
		case-report --show "$id" 2>/dev/null | awk -v id="$id" '
			$1 == "status" && !f { f = $2 }
			/^journal/ { j = 1; next }
			j && $1 ~ /^[0-9]+$/ { last = $7 }
			END { if (f != "" && last != "" && f != last)
				print "case " id ": status " f ", journal ends " last }' \
			>>"$T/bad_show"
	fi
	n_reads=$((n_reads + 1))
done
wait "$writer"
[ ! -s "$T/writer.err" ] && ok "the lifecycle writer never failed" || {
	not_ok "the lifecycle writer never failed"
	head -5 "$T/writer.err" | sed 's/^/#   /'
}
[ ! -s "$T/bad_groups" ] &&
	ok "$n_reads grouped summaries: each total is the sum of its groups" || {
	not_ok "grouped summaries: each total is the sum of its groups ($(wc -l <"$T/bad_groups") of $n_reads disagree)"
	head -5 "$T/bad_groups" | sed 's/^/#   /'
}
[ ! -s "$T/bad_show" ] &&
	ok "$n_reads --show reads: each case's status is where its journal ends" || {
	not_ok "--show reads: each case's status is where its journal ends ($(wc -l <"$T/bad_show") of $n_reads disagree)"
	head -5 "$T/bad_show" | sed 's/^/#   /'
}
run case-admin check
expect "case-admin check passes at the end" 0 "" ""

done_testing
