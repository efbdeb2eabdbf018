#!/bin/sh
# CLI tests for case-assign: dispatch, auto-routing by place, escalation.
# SPEC sections 4, 5 and 6; issue 3.
CASE_TEST_NO_INIT=1
. "$TESTS/cli/lib.sh"

BAD_TIME="(expected a form such as 2026-05-01, 2026-05-01T14:00, 2026-05-01 14:00:00Z, now, today or +3d)"
FAILED1="case-assign: 1 of 1 case failed; nothing changed (--skip-bad applies the rest)"

# ---- argument errors ------------------------------------------------------

usage_error "nothing to do" \
	"case-assign: nothing to do: give --unit, --support, --release, --due or --note" \
	case-assign 1
usage_error "nothing to do, no ids either" \
	"case-assign: nothing to do: give --unit, --support, --release, --due or --note" \
	case-assign
usage_error "--auto with ids" \
	"case-assign: --auto takes no case ids and no dispatch options" \
	case-assign --auto 1 2
usage_error "--auto with --unit" \
	"case-assign: --auto takes no case ids and no dispatch options" \
	case-assign --auto --unit pcs-qianjin
usage_error "--escalate with --note" \
	"case-assign: --escalate takes no case ids and no dispatch options" \
	case-assign --escalate --note x
usage_error "--auto and --escalate together" \
	"case-assign: --auto and --escalate exclude each other" \
	case-assign --auto --escalate
usage_error "--exit-status without --escalate" \
	"case-assign: --exit-status goes with --escalate" \
	case-assign --exit-status --unit pcs-qianjin 1
usage_error "--exit-status with --auto" \
	"case-assign: --exit-status goes with --escalate" \
	case-assign --auto --exit-status
usage_error "unknown option" \
	"case-assign: unrecognized option '--bogus'" \
	case-assign --bogus --unit pcs-qianjin 1
usage_error "--unit without its argument" \
	"case-assign: option '--unit' requires an argument" \
	case-assign --unit
usage_error "bad --format" \
	"case-assign: --format: unknown format 'xml' (expected text, csv, tsv, json or xlsx)" \
	case-assign --escalate --format xml
usage_error "an empty --note" \
	"case-assign: --note is empty" \
	case-assign --unit pcs-qianjin --note '  ' 1
usage_error "bad --due" \
	"case-assign: --due: bad time 'next week' $BAD_TIME" \
	case-assign --due 'next week' 1
if ! has_db; then
	ok "a usage error creates no database"
else
	not_ok "a usage error creates no database ($CASE_DB exists after the bad --due)"
fi

# A crontab that forgets or misspells CASE_DB must fail loudly, not
# escalate nothing in a new empty database on every run.
run env HOME="$T/newhome" CASE_DB= case-assign --escalate
expect "CASE_DB set but empty" 1 "" \
	"case-assign: CASE_DB is set but empty (unset it for the default database)"
(
	unset CASE_DB
	run env HOME="$T/newhome" case-assign --escalate
	expect "--escalate without a database" 1 "" \
		"case-assign: no database at $T/newhome/.local/share/case/cases.db (create it with 'case-admin init')"
	echo "$_n $_failed" >"$T/counts"
)
read -r _n _failed <"$T/counts"
[ ! -e "$T/newhome" ] && ok "--escalate without a database creates nothing" ||
	not_ok "--escalate without a database creates nothing"
run env CASE_DB="$T/typo.db" case-assign -u pcs-qianjin 5
expect "assigning in a misspelt database" 1 "" \
	"case-assign: no database at $T/typo.db (create it with 'case-admin init')"
[ ! -e "$T/typo.db" ] && ok "a failing command leaves no file behind" ||
	not_ok "a failing command leaves no file behind"

# ---- the registry ---------------------------------------------------------

# Every test database gets the same units: a street, a community, a grid,
# a police station with a chief, a mediation office, a law firm, and two
# units covering the same place (for the tie).
units() {
	case-admin init 2>/dev/null &&
		case-admin unit add st-qianjin '前进街道办事处' --type department \
			--place chaoyang/qianjin &&
		case-admin unit add cm-huayu '华裕社区' --type community \
			--parent st-qianjin --place chaoyang/qianjin/huayu &&
		case-admin unit add grid-g07 '华裕第七网格' --type grid \
			--parent cm-huayu --place chaoyang/qianjin/huayu/g07 &&
		case-admin unit add pcs-qianjin '前进派出所' --type police \
			--chief '王所长' --contact 010-6400-1101 &&
		case-admin unit add med-qianjin '前进街道人民调解委员会' \
			--type judicial &&
		case-admin unit add law-dacheng '大成律师事务所' --type lawfirm &&
		case-admin unit add cm-anzhen '安贞社区' --type community \
			--place chaoyang/anzhen &&
		case-admin unit add pcs-anzhen '安贞派出所' --type police \
			--place chaoyang/anzhen
}

run units
expect "register units with case-admin, which names the tie it makes" 0 "" \
	"case-admin: units cm-anzhen and pcs-anzhen cover place chaoyang/anzhen equally: case-assign --auto leaves the cases there open"
run case-admin unit list --format csv
check_out "code,name,type,parent,place,chief,contact
cm-anzhen,安贞社区,community,,chaoyang/anzhen,,
cm-huayu,华裕社区,community,st-qianjin,chaoyang/qianjin/huayu,,
grid-g07,华裕第七网格,grid,cm-huayu,chaoyang/qianjin/huayu/g07,,
law-dacheng,大成律师事务所,lawfirm,,,,
med-qianjin,前进街道人民调解委员会,judicial,,,,
pcs-anzhen,安贞派出所,police,,chaoyang/anzhen,,
pcs-qianjin,前进派出所,police,,,王所长,010-6400-1101
st-qianjin,前进街道办事处,department,,chaoyang/qianjin,," \
	"the units are registered"

usage_error "bad --due with a known unit" \
	"case-assign: --due: bad time '2026-13-01': no such month $BAD_TIME" \
	case-assign --unit pcs-qianjin --due 2026-13-01 1

# ---- dispatch -------------------------------------------------------------

# Six cases, all opened at 2026-05-01 08:00 (due 05-08 08:00, 7 days).
run case-open --kind dispute --category noise \
	--place chaoyang/qianjin/huayu/g07 --address '华裕路8号' \
	'烧烤摊夜间播放音乐扰民'
expect "open case 1" 0 "1" ""
run case-open --kind dispute --category neighbour \
	--place chaoyang/qianjin/huayu '邻里因围墙归属发生纠纷'
expect "open case 2" 0 "2" ""
run case-open --kind request --category lamp --place chaoyang/qianjin \
	'路灯不亮'
expect "open case 3" 0 "3" ""
run case-open --kind hazard --category gas '楼道有煤气味'
expect "open case 4" 0 "4" ""
run case-open --kind request --category elderly '独居老人需要帮助'
expect "open case 5" 0 "5" ""
run case-open --kind hazard --category fire '消防通道被堵'
expect "open case 6" 0 "6" ""

# Lead assignment.
run case-assign --unit pcs-qianjin 1
expect "assign a lead" 0 "1" ""
check_sql "the case is assigned to its lead" "assigned|pcs-qianjin" \
	"SELECT status, lead FROM cases WHERE id = 1"
check_sql "one lead assignment" "pcs-qianjin|lead|1777593600|" \
	"SELECT unit, role, assigned_at, released_at FROM assignments
	 WHERE case_id = 1 ORDER BY id"

snapshot
run case-assign --unit pcs-qianjin 1
expect "the same lead again changes nothing and prints nothing" 0 "" ""
check_unchanged "the same lead again leaves the database unchanged"
run case-assign --unit "$(printf ' pcs-qianjin\t')" 1
expect "a unit code is taken without the white space around it" 0 "" ""
check_unchanged "... and is the same lead"

# Reassignment a day later: the old lead is released, then the new one
# assigned, both journaled.
at 2026-05-02T09:00:00+08:00
run case-assign --unit med-qianjin 1
expect "reassign to a new lead" 0 "1" ""
check_sql "the new lead replaces the old" "assigned|med-qianjin" \
	"SELECT status, lead FROM cases WHERE id = 1"
check_sql "the old assignment is released when the new one begins" \
	"pcs-qianjin|lead|1777593600|1777683600
med-qianjin|lead|1777683600|" \
	"SELECT unit, role, assigned_at, released_at FROM assignments
	 WHERE case_id = 1 ORDER BY id"
check_sql "the journal has open, assign, release, assign" \
	"1777593600|tester|open|open|dispute, priority normal
1777593600|tester|assign|assigned|lead pcs-qianjin
1777683600|tester|release|assigned|lead pcs-qianjin
1777683600|tester|assign|assigned|lead med-qianjin" \
	"SELECT at, actor, action, status, detail FROM events
	 WHERE case_id = 1 ORDER BY id"
at 2026-05-01T08:00:00+08:00

# Supporting units: police, mediation and a law firm on one dispute.
run case-assign --unit pcs-qianjin --support med-qianjin \
	--support law-dacheng 2
expect "a lead and two supporting units" 0 "2" ""
check_sql "three active assignments" \
	"pcs-qianjin|lead||
med-qianjin|support||
law-dacheng|support||" \
	"SELECT unit, role, released_at, '' FROM assignments
	 WHERE case_id = 2 ORDER BY id"
check_sql "each unit is journaled" \
	"assign|lead pcs-qianjin
support|support med-qianjin
support|support law-dacheng" \
	"SELECT action, detail FROM events WHERE case_id = 2 AND
	 action <> 'open' ORDER BY id"
snapshot
run case-assign --support law-dacheng 2
expect "a support already on the case is no change" 0 "" ""
check_unchanged "a repeated support leaves the database unchanged"

# Releasing a supporting unit, then the lead.
run case-assign --release law-dacheng 2
expect "release a supporting unit" 0 "2" ""
check_sql "the support is released; the case stays assigned" \
	"assigned|pcs-qianjin
law-dacheng|1777593600" \
	"SELECT status, lead FROM cases WHERE id = 2;
	 SELECT unit, released_at FROM assignments WHERE case_id = 2
	 AND released_at IS NOT NULL"
run case-assign --release pcs-qianjin 2
expect "release the lead" 0 "2" ""
check_sql "without its lead the case is open again" "open||0" \
	"SELECT status, lead, level FROM cases WHERE id = 2"
check_sql "both releases are journaled" \
	"release|assigned|support law-dacheng
release|open|lead pcs-qianjin" \
	"SELECT action, status, detail FROM events WHERE case_id = 2
	 AND action = 'release' ORDER BY id"
check_sql "only the mediation office is still on the case" "med-qianjin|support" \
	"SELECT unit, role FROM assignments WHERE case_id = 2
	 AND released_at IS NULL"

# A supporting unit made lead: its support role ends, its lead role begins.
run case-assign --unit med-qianjin 2
expect "a supporting unit becomes the lead" 0 "2" ""
check_sql "one active assignment: the new lead" "assigned|med-qianjin
med-qianjin|lead" \
	"SELECT status, lead FROM cases WHERE id = 2;
	 SELECT unit, role FROM assignments WHERE case_id = 2
	 AND released_at IS NULL"
check_sql "the support's end and the lead's start are journaled" \
	"release|open|support med-qianjin
assign|assigned|lead med-qianjin" \
	"SELECT action, status, detail FROM (SELECT * FROM events
	 WHERE case_id = 2 ORDER BY id DESC LIMIT 2) AS last ORDER BY id"

# Deadline and note.
run case-assign --due 2026-05-20 --note '约双方周五调解' 3
expect "--due and --note" 0 "3" ""
check_sql "the deadline is the local midnight of the day given" "1779206400" \
	"SELECT due_at FROM cases WHERE id = 3"
snapshot
run case-assign --due 2026-04-30 3
expect "a deadline before the opening" 1 "" \
	"case-assign: case 3: the deadline would be before the case was opened
$FAILED1"
check_unchanged "a deadline before the opening changes nothing"
check_sql "the deadline and the note are journaled" \
	"due|open|2026-05-19T16:00:00Z
note|open|约双方周五调解" \
	"SELECT action, status, detail FROM events WHERE case_id = 3
	 AND action <> 'open' ORDER BY id"

# Ids from stdin: a header, a comment, blank lines.
printf 'id\n1\n# a comment\n\n2\n' >"$T/ids"
run_in "$T/ids" case-assign --unit law-dacheng
expect "ids from stdin, with a header and a comment" 0 "1
2" ""
check_sql "both cases read from stdin changed" "1|law-dacheng
2|law-dacheng
3|" "SELECT id, lead FROM cases WHERE id <= 3 ORDER BY id"
printf '3,路灯不亮\n1\tx\n' >"$T/ids"
run_in "$T/ids" case-assign --unit law-dacheng
expect "only the ids that changed are printed" 0 "3" ""

# Close case 4 and cancel case 5 for the errors below.
case-assign --unit pcs-qianjin 4 >/dev/null &&
	case-followup resolve --message '已关闭阀门' --visit-after 1h 4 >/dev/null &&
	CASE_NOW=2026-05-01T09:00:00+08:00 case-followup visit \
		--outcome satisfied 4 >/dev/null &&
	case-followup cancel --message '重复报案' 5 >/dev/null
check_sql "case 4 is closed and case 5 cancelled" "4|closed
5|cancelled" "SELECT id, status FROM cases WHERE id IN (4, 5) ORDER BY id"

# ---- errors: each names the problem and changes nothing ---------------------

snapshot
run case-assign --unit pcs-qianjn 6
expect "an unknown lead unit" 1 "" \
	"case-assign: --unit: unknown unit 'pcs-qianjn' (did you mean 'pcs-qianjin'?)"
check_unchanged "an unknown lead unit changes nothing"
run case-assign --unit pcs-qianjin --support law-dachen 6
expect "an unknown supporting unit" 1 "" \
	"case-assign: --support: unknown unit 'law-dachen' (did you mean 'law-dacheng'?)"
check_unchanged "an unknown supporting unit changes nothing"
run case-assign --release zzzzzz 6
expect "an unknown unit to release" 1 "" \
	"case-assign: --release: unknown unit 'zzzzzz' (see 'case-admin unit list')"
check_unchanged "an unknown unit to release changes nothing"

run case-assign --unit pcs-qianjin 4
expect "assigning a closed case" 1 "" \
	"case-assign: case 4: cannot assign: the case is closed
$FAILED1"
check_unchanged "assigning a closed case changes nothing"
run case-assign --support med-qianjin 4
expect "a support on a closed case" 1 "" \
	"case-assign: case 4: cannot assign: the case is closed
$FAILED1"
run case-assign --unit pcs-qianjin 5
expect "assigning a cancelled case" 1 "" \
	"case-assign: case 5: cannot assign: the case is cancelled
$FAILED1"
check_unchanged "assigning a cancelled case changes nothing"
run case-assign --unit pcs-qianjin 99
expect "an unknown case id" 1 "" \
	"case-assign: case 99: no such case
$FAILED1"
check_unchanged "an unknown case id changes nothing"
run case-assign --support med-qianjin 6
expect "a support without a lead" 1 "" \
	"case-assign: case 6: cannot add supporting unit med-qianjin: the case has no lead unit (give --unit too)
$FAILED1"
check_unchanged "a support without a lead changes nothing"
run case-assign --release med-qianjin 3
expect "releasing a unit that is not on the case" 1 "" \
	"case-assign: case 3: cannot release med-qianjin: it is not assigned to the case
$FAILED1"
check_unchanged "releasing a unit that is not on the case changes nothing"
run case-assign --unit pcs-qianjin 6 x7
expect "a bad id operand" 1 "" \
	"case-assign: bad case id 'x7' (expected a positive whole number)
case-assign: 1 of 2 cases failed; nothing changed (--skip-bad applies the rest)"
check_unchanged "a bad id operand changes nothing"
printf '6\nabc\n' >"$T/ids"
run_in "$T/ids" case-assign --unit pcs-qianjin
expect "a bad id on stdin" 1 "" \
	"case-assign: line 2: bad case id 'abc' (expected a positive whole number)
case-assign: 1 of 2 cases failed; nothing changed (--skip-bad applies the rest)"
check_unchanged "a bad id on stdin changes nothing"
: >"$T/ids"
run_in "$T/ids" case-assign --unit pcs-qianjin
expect "no ids on stdin: nothing to do" 0 "" ""
check_unchanged "no ids on stdin changes nothing"

# One bad id among good ones: everything or nothing.
run case-assign --unit pcs-qianjin 6 4 3 99
expect "failing ids among good ones" 1 "" \
	"case-assign: case 4: cannot assign: the case is closed
case-assign: case 99: no such case
case-assign: 2 of 4 cases failed; nothing changed (--skip-bad applies the rest)"
check_unchanged "failing ids among good ones change nothing"

# A malformed id does not hide the other failures: every one is reported.
run case-assign --unit pcs-qianjin 99 x7 6
check_rc 1 "a malformed id among failing ids: exit 1"
check_no_out "a malformed id among failing ids: nothing on stdout"
check_err_has "case-assign: bad case id 'x7' (expected a positive whole number)" \
	"a malformed id among failing ids: the malformed id is reported"
check_err_has "case-assign: case 99: no such case" \
	"a malformed id among failing ids: the unknown case is reported too"
check_err_has "case-assign: 2 of 3 cases failed; nothing changed (--skip-bad applies the rest)" \
	"a malformed id among failing ids: both failures are counted"
check_unchanged "a malformed id among failing ids changes nothing"

run case-assign --dry-run --unit med-qianjin 6 3
expect "--dry-run" 0 "6
3" "case-assign: dry run: 2 cases would change; nothing written"
check_unchanged "--dry-run changes nothing"

run case-assign --skip-bad --unit pcs-qianjin 6 4 3 99
expect "--skip-bad" 1 "6
3" "case-assign: case 4: cannot assign: the case is closed
case-assign: case 99: no such case
case-assign: 2 of 4 cases failed; the others were applied"
check_sql "--skip-bad applied the good ids" "3|assigned|pcs-qianjin
4|closed|pcs-qianjin
6|assigned|pcs-qianjin" \
	"SELECT id, status, lead FROM cases WHERE id IN (3, 4, 6) ORDER BY id"

run case-assign --unit med-qianjin --format csv 6
expect "the changed ids as csv" 0 "id
6" ""
run case-assign --unit pcs-qianjin --format json 6
expect "the changed ids as json" 0 '{"id":6}' ""

# A pipeline: the overdue listing a week later, straight into case-assign.
# Cases 1, 2 and 6 are past their deadline (05-08 08:00); 3 is due 05-20.
at 2026-05-09T09:00:00+08:00
case-followup due --overdue --format csv >"$T/due.csv" 2>"$T/due.err"
run cat "$T/due.csv"
check_out "id,item,due,attempt,lead,place,summary
1,deadline,2026-05-08T00:00:00Z,,law-dacheng,chaoyang/qianjin/huayu/g07,烧烤摊夜间播放音乐扰民
2,deadline,2026-05-08T00:00:00Z,,law-dacheng,chaoyang/qianjin/huayu,邻里因围墙归属发生纠纷
6,deadline,2026-05-08T00:00:00Z,,pcs-qianjin,,消防通道被堵" \
	"the overdue listing as csv"
case-followup due --overdue --format csv | case-assign --unit st-qianjin \
	>"$T/out" 2>"$T/err"
rc=$?
expect "case-followup due --overdue --format csv | case-assign --unit" 0 \
	"1
2
6" ""
check_sql "the piped cases have the new lead" "1|st-qianjin
2|st-qianjin
3|pcs-qianjin
6|st-qianjin" "SELECT id, lead FROM cases WHERE id IN (1, 2, 3, 6) ORDER BY id"
case-followup due --overdue | case-assign --note '街道督办' >"$T/out" 2>"$T/err"
rc=$?
expect "the text listing pipes too" 0 "1
2
6" ""

# A writer piped into a writer: case-assign reads its ids before it takes
# the write lock, so case-open can commit first.
CASE_BUSY_TIMEOUT=3000 case-open --kind request --place chaoyang/qianjin \
	'井盖缺失' 2>"$T/err1" | CASE_BUSY_TIMEOUT=3000 case-assign \
	--unit st-qianjin >"$T/out" 2>"$T/err"
rc=$?
cat "$T/err1" >>"$T/err"
expect "case-open | case-assign" 0 "7" ""
check_sql "the new case is assigned" "7|assigned|st-qianjin" \
	"SELECT id, status, lead FROM cases WHERE id = 7"
at 2026-05-01T08:00:00+08:00

# ---- auto-routing -----------------------------------------------------------

newdb auto
units 2>/dev/null
for p in chaoyang/qianjin/huayu/g07/b3 chaoyang/qianjin/huayu \
	chaoyang/qianjin/huayux chaoyang/qianjin haidian/zhongguancun \
	chaoyang/anzhen/xili; do
	case-open --kind request --place "$p" "报修 $p" >/dev/null
done
case-open --kind request '无地点的求助' >/dev/null
case-open --kind request --place chaoyang/qianjin/huayu/g07 '已派的案件' \
	>/dev/null
case-assign --unit pcs-qianjin 8 >/dev/null

AUTO_ERR="case-assign: case 5: left open: no unit covers place haidian/zhongguancun
case-assign: case 6: left open: place chaoyang/anzhen/xili matches cm-anzhen and pcs-anzhen equally
case-assign: case 7: left open: no unit covers its empty place"
AUTO_OUT="id  lead        place
 1  grid-g07    chaoyang/qianjin/huayu/g07/b3
 2  cm-huayu    chaoyang/qianjin/huayu
 3  st-qianjin  chaoyang/qianjin/huayux
 4  st-qianjin  chaoyang/qianjin"

snapshot
run case-assign --auto --dry-run
expect "--auto --dry-run" 0 "$AUTO_OUT" "$AUTO_ERR
case-assign: dry run: 4 cases would be routed; nothing written"
check_unchanged "--auto --dry-run changes nothing"

run case-assign --auto
expect "--auto: grid before community before street" 0 "$AUTO_OUT" "$AUTO_ERR"
check_sql "routed cases are assigned; no match and tie are left open" \
	"1|assigned|grid-g07
2|assigned|cm-huayu
3|assigned|st-qianjin
4|assigned|st-qianjin
5|open|
6|open|
7|open|
8|assigned|pcs-qianjin" "SELECT id, status, lead FROM cases ORDER BY id"
check_sql "routing is journaled as an assignment" \
	"1|assign|lead grid-g07
2|assign|lead cm-huayu
3|assign|lead st-qianjin
4|assign|lead st-qianjin" \
	"SELECT case_id, action, detail FROM events WHERE case_id <= 4
	 AND action <> 'open' ORDER BY id"

snapshot
run case-assign --auto
expect "--auto again routes nothing new" 0 "" "$AUTO_ERR"
check_unchanged "--auto again changes nothing"
run case-assign --auto --format csv --quiet
expect "--auto --quiet --format csv" 0 "id,lead,place" ""

# A tie of three names all three (issue 13, item 5).
copydb auto3
run case-admin --db "$(dbpath auto3)" unit add grid-anzhen '安贞网格' \
	--place chaoyang/anzhen
expect "unit add that widens a tie names every unit of it" 0 "" \
	"case-admin: units cm-anzhen, grid-anzhen and pcs-anzhen cover place chaoyang/anzhen equally: case-assign --auto leaves the cases there open"
run case-assign --db "$(dbpath auto3)" --auto --dry-run
check_err_has "case-assign: case 6: left open: place chaoyang/anzhen/xili matches cm-anzhen, grid-anzhen and pcs-anzhen equally" \
	"--auto names every unit of a tie of three"

# The pipeline of issue 3: the cases auto-routing left open, listed by
# case-report, dispatched by hand.
case-report --list --status open --columns id,status,lead,place \
	>"$T/out" 2>"$T/err"
rc=$?
expect "case-report lists the cases left open" 0 \
	"id  status  lead  place
 5  open    -     haidian/zhongguancun
 6  open    -     chaoyang/anzhen/xili
 7  open    -     -" ""
case-report --list --status open | case-assign --unit pcs-anzhen \
	>"$T/out" 2>"$T/err"
rc=$?
expect "case-report --list --status open | case-assign --unit" 0 "5
6
7" ""
check_sql "no case is left open" "0" \
	"SELECT count(*) FROM cases WHERE status = 'open'"

# ---- escalation -------------------------------------------------------------

newdb esc
units
case-admin supervisor set 1 '值班所长' --contact 010-6400-0001 &&
	case-admin supervisor set 2 '治安大队长' --contact 010-6400-0002 &&
	case-admin supervisor set 3 '副局长' --contact 010-6400-0003
# 1: led by the police station, whose chief is the level-1 supervisor.
# 2: led by the mediation office, which has no chief.
# 3: high priority (due 05-04), resolved on 05-02 before its deadline.
# 4: closed on 05-03.  5: cancelled on 05-02.  All due before 05-15.
# 6: opened a month ago (due 04-08): long overdue.
case-open --kind dispute --category noise '烧烤摊夜间播放音乐扰民' >/dev/null
case-open --kind dispute '邻里因围墙归属发生纠纷' >/dev/null
case-open --kind hazard --priority high '楼道有煤气味' >/dev/null
case-open --kind request '路灯不亮' >/dev/null
case-open --kind request '独居老人需要帮助' >/dev/null
case-open --kind hazard --at 2026-04-01T08:00 '消防通道被杂物堵塞' >/dev/null
case-assign --unit pcs-qianjin 1 3 4 6 >/dev/null
case-assign --unit med-qianjin 2 >/dev/null
at 2026-05-02T09:00:00+08:00
case-followup resolve --message '已维修燃气管道' 3 >/dev/null
case-followup resolve --message '已修复' --visit-after 1d 4 >/dev/null
case-followup cancel --message '重复报案' 5 >/dev/null
at 2026-05-03T09:00:00+08:00
case-followup visit --outcome satisfied 4 >/dev/null
check_sql "the escalation cases are set up" "1|assigned|1778198400
2|assigned|1778198400
3|resolved|1777852800
4|closed|1778198400
5|cancelled|1778198400
6|assigned|1775606400" "SELECT id, status, due_at FROM cases ORDER BY id"

# A daily cron run at 09:00 over a fortnight.
HEAD="id  level  supervisor  contact        lead         due               overdue  summary"
rows_for() {
	case $1 in
	01) printf '%s\n' "id  level  supervisor  contact        lead         due               overdue  summary" \
		" 6      3  副局长      010-6400-0003  pcs-qianjin  2026-04-08 08:00  23d1h    消防通道被杂物堵塞" ;;
	08) printf '%s\n' "id  level  supervisor  contact        lead         due               overdue  summary" \
		" 1      1  王所长      010-6400-1101  pcs-qianjin  2026-05-08 08:00  1h       烧烤摊夜间播放音乐扰民" \
		" 2      1  值班所长    010-6400-0001  med-qianjin  2026-05-08 08:00  1h       邻里因围墙归属发生纠纷" ;;
	11) printf '%s\n' "id  level  supervisor  contact        lead         due               overdue  summary" \
		" 1      2  治安大队长  010-6400-0002  pcs-qianjin  2026-05-08 08:00  3d1h     烧烤摊夜间播放音乐扰民" \
		" 2      2  治安大队长  010-6400-0002  med-qianjin  2026-05-08 08:00  3d1h     邻里因围墙归属发生纠纷" ;;
	15) printf '%s\n' "id  level  supervisor  contact        lead         due               overdue  summary" \
		" 1      3  副局长      010-6400-0003  pcs-qianjin  2026-05-08 08:00  7d1h     烧烤摊夜间播放音乐扰民" \
		" 2      3  副局长      010-6400-0003  med-qianjin  2026-05-08 08:00  7d1h     邻里因围墙归属发生纠纷" ;;
	esac
}

# Before the first run, a dry run previews the long-overdue case.
at 2026-05-01T09:00:00+08:00
snapshot
run case-assign --escalate --dry-run
expect "--escalate --dry-run" 0 "$(rows_for 01)" \
	"case-assign: dry run: 1 case would rise; nothing written"
check_unchanged "--escalate --dry-run changes nothing"
# On a terminal the rows fit its width: the summary, last, is cut with
# "…" (issue 13, item 3); a pipe gets it whole, as above.
if command -v script >/dev/null 2>&1; then
	script -qec "stty cols 90; case-assign --escalate --dry-run 2>/dev/null" \
		/dev/null >"$T/tty" 2>&1
	rc=$?
	tr -d '\r' <"$T/tty" >"$T/out"
	check_out "id  level  supervisor  contact        lead         due               overdue  summary
 6      3  副局长      010-6400-0003  pcs-qianjin  2026-04-08 08:00  23d1h    消防通道被…" \
		"--escalate on a terminal 90 columns wide cuts the summary to fit"
else
	skip "script(1) is not installed"
fi

for d in 01 02 03 04 05 06 07 08 09 10 11 12 13 14 15; do
	at "2026-05-${d}T09:00:00+08:00"
	run case-assign --escalate
	_want=$(rows_for $d)
	if [ -n "$_want" ]; then
		expect "escalation on 05-$d" 0 "$_want" ""
	else
		expect "no escalation on 05-$d" 0 "" ""
	fi
done
check_sql "the journal holds each rise once, on its day" \
	"6|2026-05-01 01:00:00|escalate|assigned|3|level 3: 副局长
1|2026-05-08 01:00:00|escalate|assigned|1|level 1: 王所长 (chief of the lead unit)
2|2026-05-08 01:00:00|escalate|assigned|1|level 1: 值班所长
1|2026-05-11 01:00:00|escalate|assigned|2|level 2: 治安大队长
2|2026-05-11 01:00:00|escalate|assigned|2|level 2: 治安大队长
1|2026-05-15 01:00:00|escalate|assigned|3|level 3: 副局长
2|2026-05-15 01:00:00|escalate|assigned|3|level 3: 副局长" \
	"SELECT case_id, datetime(at, 'unixepoch'), action, status, level,
	 detail FROM events WHERE action = 'escalate' ORDER BY id"
check_sql "resolved, closed and cancelled cases never rose" "1|3
2|3
3|0
4|0
5|0
6|3" "SELECT id, level FROM cases ORDER BY id"

# A repeated run the same day: nothing printed, nothing changed.
snapshot
run case-assign --escalate
expect "a second run the same day" 0 "" ""
check_unchanged "a second run the same day changes nothing"
run case-assign --escalate --exit-status
expect "--exit-status when nothing rose" 1 "" ""
check_unchanged "--exit-status when nothing rose changes nothing"

# Rows in every format: a new case overdue a day and a half later.
at 2026-05-15T09:00:00+08:00
case-open --kind request --priority urgent --place chaoyang/qianjin \
	--address '前进路1号' '井盖缺失, "危险"' >/dev/null
case-assign --unit pcs-qianjin --support law-dacheng 7 >/dev/null
at 2026-05-16T21:30:00+08:00
snapshot
run case-assign --escalate --dry-run --format text
expect "escalation rows as text" 0 \
	"id  level  supervisor  contact        lead         due               overdue  summary
 7      1  王所长      010-6400-1101  pcs-qianjin  2026-05-16 09:00  12h30m   井盖缺失, \"危险\"" \
	"case-assign: dry run: 1 case would rise; nothing written"
run case-assign --escalate --dry-run --format csv
expect "escalation rows as csv" 0 \
	"id,level,supervisor,contact,lead,due,overdue,summary
7,1,王所长,010-6400-1101,pcs-qianjin,2026-05-16T01:00:00Z,45000,\"井盖缺失, \"\"危险\"\"\"" \
	"case-assign: dry run: 1 case would rise; nothing written"
run case-assign --escalate --dry-run --format tsv
expect "escalation rows as tsv" 0 \
	"id	level	supervisor	contact	lead	due	overdue	summary
7	1	王所长	010-6400-1101	pcs-qianjin	2026-05-16T01:00:00Z	45000	井盖缺失, \"危险\"" \
	"case-assign: dry run: 1 case would rise; nothing written"
run case-assign --escalate --dry-run --format json
expect "escalation rows as json" 0 \
	'{"id":7,"level":1,"supervisor":"王所长","contact":"010-6400-1101","lead":"pcs-qianjin","due":"2026-05-16T01:00:00Z","overdue":45000,"summary":"井盖缺失, \"危险\""}' \
	"case-assign: dry run: 1 case would rise; nothing written"
run case-assign --escalate --dry-run --format csv --no-header
expect "escalation rows without a header" 0 \
	"7,1,王所长,010-6400-1101,pcs-qianjin,2026-05-16T01:00:00Z,45000,\"井盖缺失, \"\"危险\"\"\"" \
	"case-assign: dry run: 1 case would rise; nothing written"
check_unchanged "dry runs in every format change nothing"
run case-assign --escalate --exit-status --format tsv
expect "--exit-status when something rose" 0 \
	"id	level	supervisor	contact	lead	due	overdue	summary
7	1	王所长	010-6400-1101	pcs-qianjin	2026-05-16T01:00:00Z	45000	井盖缺失, \"危险\"" ""
check_sql "case 7 is at level 1" "1" "SELECT level FROM cases WHERE id = 7"

# The levels follow the stored policy.
newdb policy
at 2026-05-01T08:00:00+08:00
units
case-admin policy due.normal 2d && case-admin policy escalate.2 1d &&
	case-admin policy escalate.3 2d &&
	case-admin supervisor set 1 '值班所长' --contact 010-6400-0001 &&
	case-admin supervisor set 2 '治安大队长' &&
	case-admin supervisor set 3 '副局长'
case-open --kind request '路灯不亮' >/dev/null
case-assign --unit law-dacheng 1 >/dev/null
for d in 03 04 05; do
	at "2026-05-${d}T09:00:00+08:00"
	case-assign --escalate --format csv --no-header
done >"$T/out" 2>"$T/err"
rc=$?
expect "escalate.2 and escalate.3 from the stored policy" 0 \
	"1,1,值班所长,010-6400-0001,law-dacheng,2026-05-03T00:00:00Z,3600,路灯不亮
1,2,治安大队长,,law-dacheng,2026-05-03T00:00:00Z,90000,路灯不亮
1,3,副局长,,law-dacheng,2026-05-03T00:00:00Z,176400,路灯不亮" ""

# Without configured supervisors, the rows say so and stderr names the fix.
CASE_DB=$(dbpath auto)
at 2026-05-08T09:00:00+08:00
run case-assign --escalate --format csv
expect "escalation with no supervisors set" 0 \
	"id,level,supervisor,contact,lead,due,overdue,summary
1,1,,,grid-g07,2026-05-08T00:00:00Z,3600,报修 chaoyang/qianjin/huayu/g07/b3
2,1,,,cm-huayu,2026-05-08T00:00:00Z,3600,报修 chaoyang/qianjin/huayu
3,1,,,st-qianjin,2026-05-08T00:00:00Z,3600,报修 chaoyang/qianjin/huayux
4,1,,,st-qianjin,2026-05-08T00:00:00Z,3600,报修 chaoyang/qianjin
5,1,,,pcs-anzhen,2026-05-08T00:00:00Z,3600,报修 haidian/zhongguancun
6,1,,,pcs-anzhen,2026-05-08T00:00:00Z,3600,报修 chaoyang/anzhen/xili
7,1,,,pcs-anzhen,2026-05-08T00:00:00Z,3600,无地点的求助
8,1,王所长,010-6400-1101,pcs-qianjin,2026-05-08T00:00:00Z,3600,已派的案件" \
	"case-assign: no supervisor for level 1 (set one with 'case-admin supervisor set 1 NAME')"

done_testing
