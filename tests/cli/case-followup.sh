#!/bin/sh
# CLI tests for case-followup: notes, resolution, return visits, closing,
# reopening, cancelling, the agenda and the iCalendar feed.
# SPEC sections 4, 5 and 6; issue 4.
CASE_TEST_NO_INIT=1
. "$TESTS/cli/lib.sh"

# A fresh database with the units every section uses.
fresh() {
	newdb "$1"
	at 2026-05-01T08:00:00+08:00
	case-admin init 2>/dev/null &&
		case-admin unit add pcs-qianjin '前进派出所' --type police \
			--chief '王所长' --contact 010-6400-1101 &&
		case-admin unit add med-qianjin '前进街道人民调解委员会' \
			--type judicial &&
		case-admin unit add law-dacheng '大成律师事务所' --type lawfirm &&
		case-admin unit add grid-g07 '华裕第七网格' --type grid \
			--place chaoyang/qianjin/huayu/g07 &&
		case-admin unit add pcs-qjx '前进西派出所' --type police \
			--place chaoyang/qianjinx ||
		not_ok "set up $1.db"
}

# Times in the journal, UTC.
EVENTS="SELECT datetime(at, 'unixepoch'), action, status, level, detail
	FROM events WHERE case_id = 1 ORDER BY id"
FAILED1="case-followup: 1 of 1 case failed; nothing changed (--skip-bad applies the rest)"

# ---- argument errors ------------------------------------------------------

CMDS="(expected note, resolve, visit, schedule, cancel, due or ics)"
usage_error "no command" \
	"case-followup: a command is missing (note, resolve, visit, schedule, cancel, due or ics)" \
	case-followup
usage_error "unknown command" \
	"case-followup: unknown command 'close' $CMDS" \
	case-followup close 1
usage_error "resolve without --message" \
	"case-followup: resolve: --message is required" \
	case-followup resolve 1
usage_error "note with an empty --message" \
	"case-followup: note: --message is required" \
	case-followup note --message '' 1
usage_error "cancel without --message" \
	"case-followup: cancel: --message is required (the reason)" \
	case-followup cancel 1
usage_error "visit without --outcome" \
	"case-followup: visit: --outcome is required (satisfied, unsatisfied or unreachable)" \
	case-followup visit --method phone 1
usage_error "schedule without --at" \
	"case-followup: schedule: --at is required" \
	case-followup schedule 1
usage_error "an option of another command: due --outcome" \
	"case-followup: due: --outcome does not go with this command" \
	case-followup due --outcome satisfied
usage_error "an option of another command: resolve --within" \
	"case-followup: resolve: --within does not go with this command" \
	case-followup resolve --message x --within 3d 1
usage_error "an option of another command: ics --overdue" \
	"case-followup: ics: --overdue does not go with this command" \
	case-followup ics --overdue
usage_error "an option of another command: due --skip-bad" \
	"case-followup: due: --skip-bad does not go with this command" \
	case-followup due --skip-bad
usage_error "due with ids" \
	"case-followup: due: takes no case ids" \
	case-followup due 1
usage_error "ics with ids" \
	"case-followup: ics: takes no case ids" \
	case-followup ics 1
usage_error "bad --within" \
	"case-followup: --within: bad duration '3x' (expected a number and a unit, such as 90m, 12h, 3d or 2w)" \
	case-followup due --within 3x
usage_error "bad --visit-after" \
	"case-followup: --visit-after: bad duration 'soon' (expected a number and a unit, such as 90m, 12h, 3d or 2w)" \
	case-followup resolve --message x --visit-after soon 1
usage_error "unknown option" \
	"case-followup: unrecognized option '--bogus'" \
	case-followup due --bogus
usage_error "bad --format" \
	"case-followup: --format: unknown format 'xls' (expected text, csv, tsv, json or xlsx)" \
	case-followup due --format xls
usage_error "a bad --outcome" \
	"case-followup: --outcome: unknown outcome 'happy' (expected satisfied, unsatisfied or unreachable)" \
	case-followup visit --outcome happy 1
usage_error "a bad --method" \
	"case-followup: --method: unknown method 'fax' (expected visit, phone, sms or other)" \
	case-followup visit --outcome satisfied --method fax 1
usage_error "a --message of blanks" \
	"case-followup: cancel: --message is required (the reason)" \
	case-followup cancel --message '   ' 1
usage_error "ics has one format" \
	"case-followup: ics: the calendar has one format; --format and --no-header do not go with it" \
	case-followup ics --format csv
usage_error "a bad --place" \
	"case-followup: --place: bad place 'chaoyang/qianjin/' (expected segments joined by '/', such as chaoyang/qianjin/huayu/g07)" \
	case-followup due --place chaoyang/qianjin/
usage_error "bad --at" \
	"case-followup: --at: bad time 'tomorrow-ish' (expected a form such as 2026-05-01, 2026-05-01T14:00, 2026-05-01 14:00:00Z, now, today or +3d)" \
	case-followup schedule --at tomorrow-ish 1
if ! has_db; then
	ok "a usage error creates no database"
else
	not_ok "a usage error creates no database ($CASE_DB exists after the bad --at)"
fi
run case-followup --db "$T/missing.db" due
expect "the agenda of a missing database" 1 "" \
	"case-followup: no database at $T/missing.db (create it with 'case-admin init')"
if [ ! -e "$T/missing.db" ]; then ok "the agenda does not create a database"; else
	not_ok "the agenda does not create a database"
fi
run case-followup --db "$T/missing.db" note -m x 1
expect "a note in a missing database" 1 "" \
	"case-followup: no database at $T/missing.db (create it with 'case-admin init')"
[ ! -e "$T/missing.db" ] && ok "a failing note leaves no file behind" ||
	not_ok "a failing note leaves no file behind"

# ---- the noise case, end to end ----------------------------------------------

fresh noise
run case-open --kind dispute --category noise --source hotline \
	--place chaoyang/qianjin/huayu/g07 --address '华裕路8号美食广场' \
	--reporter '李女士' --contact 13912345678 '美食摊夜间播放音乐扰民'
expect "open the noise case" 0 "1" ""
run case-assign --unit pcs-qianjin 1
expect "assign it to the police station" 0 "1" ""
at 2026-05-03T10:00:00+08:00
run case-followup resolve --message '已约谈摊主，音乐22点后关闭' 1
expect "resolve it" 0 "1" ""
check_sql "resolved, with the first visit due a week later" \
	"resolved|2026-05-03 02:00:00||
2026-05-10 02:00:00||1" \
	"SELECT status, datetime(resolved_at, 'unixepoch'), closed_at, outcome
	 FROM cases WHERE id = 1;
	 SELECT datetime(due_at, 'unixepoch'), done_at, attempt FROM visits"
run case-followup due
expect "nothing is due the same day" 0 "" ""
at 2026-05-10T10:00:00+08:00
run case-followup due
expect "the visit is due a week later" 0 \
	"id  item   due               attempt  lead         place                       summary
 1  visit  2026-05-10 10:00        1  pcs-qianjin  chaoyang/qianjin/huayu/g07  美食摊夜间播放音乐扰民" ""
run case-followup visit --outcome satisfied --method visit \
	--message '居民表示已安静' 1
expect "the resident is satisfied" 0 "1" ""
check_sql "the case is closed, outcome satisfied" \
	"closed|satisfied|2026-05-10 02:00:00|0" \
	"SELECT status, outcome, datetime(closed_at, 'unixepoch'), reopened
	 FROM cases WHERE id = 1"
check_sql "the visit is recorded" \
	"2026-05-10 02:00:00|2026-05-10 02:00:00|visit|satisfied|居民表示已安静|tester|1" \
	"SELECT datetime(due_at, 'unixepoch'), datetime(done_at, 'unixepoch'),
	 method, outcome, note, actor, attempt FROM visits"
check_sql "the journal: open, assign, resolve, visit, close" \
	"2026-05-01 00:00:00|open|open|0|dispute, priority normal
2026-05-01 00:00:00|assign|assigned|0|lead pcs-qianjin
2026-05-03 02:00:00|resolve|resolved|0|已约谈摊主，音乐22点后关闭; first visit due 2026-05-10T02:00:00Z
2026-05-10 02:00:00|visit|resolved|0|satisfied by visit, attempt 1: 居民表示已安静
2026-05-10 02:00:00|close|closed|0|satisfied" "$EVENTS"
run case-followup due --overdue
expect "a closed case leaves the agenda" 0 "" ""

# ---- the reopen path --------------------------------------------------------

fresh reopen
case-open --kind dispute --priority high --place chaoyang/qianjin/huayu \
	'邻居加装围墙占用公共通道' >/dev/null
case-assign --unit med-qianjin 1 >/dev/null
at 2026-05-08T09:00:00+08:00
case-assign --escalate >/dev/null 2>&1
check_sql "overdue four days, the case is at level 2" "2" \
	"SELECT level FROM cases WHERE id = 1"
at 2026-05-08T10:00:00+08:00
run case-followup resolve --message '已调解，约定拆除围墙' 1
expect "resolve the dispute" 0 "1" ""
run case-followup schedule --at 2026-06-30T10:00 1
expect "schedule a later check" 0 "1" ""
at 2026-05-15T10:00:00+08:00
run case-followup visit --outcome unsatisfied --method phone \
	--message '围墙仍未拆除' 1
expect "the resident is unsatisfied" 0 "1" ""
check_sql "reopened: assigned, new deadline from the visit, level 0" \
	"assigned|2026-05-18 02:00:00|0|1||med-qianjin" \
	"SELECT status, datetime(due_at, 'unixepoch'), level, reopened,
	 outcome, lead FROM cases WHERE id = 1"
check_sql "the open visit is marked done; the later check is dropped" \
	"2026-05-15 02:00:00|2026-05-15 02:00:00|phone|unsatisfied|1
0" \
	"SELECT datetime(due_at, 'unixepoch'), datetime(done_at, 'unixepoch'),
	 method, outcome, attempt FROM visits;
	 SELECT count(*) FROM visits WHERE done_at IS NULL"
run case-followup due --overdue
expect "a reopened case is not on the agenda before its new deadline" 0 "" ""
at 2026-05-18T11:00:00+08:00
run case-followup due --overdue --format csv
expect "after its new deadline it is overdue" 0 \
	"id,item,due,attempt,lead,place,summary
1,deadline,2026-05-18T02:00:00Z,,med-qianjin,chaoyang/qianjin/huayu,邻居加装围墙占用公共通道" ""
run case-assign --escalate --format csv
expect "past the new deadline it rises again, from level 0 to 1" 0 \
	"id,level,supervisor,contact,lead,due,overdue,summary
1,1,,,med-qianjin,2026-05-18T02:00:00Z,3600,邻居加装围墙占用公共通道" \
	"case-assign: no supervisor for level 1 (set one with 'case-admin supervisor set 1 NAME')"
run case-assign --unit law-dacheng 1
expect "reassign it" 0 "1" ""
run case-followup resolve --message '律师函送达，围墙已拆除' --visit-after 3d 1
expect "resolve it again, visit after 3 days" 0 "1" ""
at 2026-05-21T11:00:00+08:00
run case-followup visit --outcome satisfied 1
expect "satisfied the second time" 0 "1" ""
check_sql "closed at last; the reopen is counted" \
	"closed|satisfied|2026-05-21 03:00:00|1|law-dacheng" \
	"SELECT status, outcome, datetime(closed_at, 'unixepoch'), reopened, lead
	 FROM cases WHERE id = 1"
check_sql "the journal of the reopen path" \
	"2026-05-01 00:00:00|open|open|0|dispute, priority high
2026-05-01 00:00:00|assign|assigned|0|lead med-qianjin
2026-05-08 01:00:00|escalate|assigned|2|level 2: no supervisor set
2026-05-08 02:00:00|resolve|resolved|2|已调解，约定拆除围墙; first visit due 2026-05-15T02:00:00Z
2026-05-08 02:00:00|schedule|resolved|2|2026-06-30T02:00:00Z
2026-05-15 02:00:00|visit|resolved|2|unsatisfied by phone, attempt 1: 围墙仍未拆除
2026-05-15 02:00:00|reopen|assigned|0|resident unsatisfied; new deadline 2026-05-18T02:00:00Z; 1 scheduled visit dropped
2026-05-18 03:00:00|escalate|assigned|1|level 1: no supervisor set
2026-05-18 03:00:00|release|assigned|1|lead med-qianjin
2026-05-18 03:00:00|assign|assigned|1|lead law-dacheng
2026-05-18 03:00:00|resolve|resolved|1|律师函送达，围墙已拆除; first visit due 2026-05-21T03:00:00Z
2026-05-21 03:00:00|visit|resolved|1|satisfied by other, attempt 1
2026-05-21 03:00:00|close|closed|1|satisfied" "$EVENTS"

# ---- the unreachable path -----------------------------------------------------

fresh unreachable
case-open --kind request --category lamp --place chaoyang/qianjin/huayu/g07 \
	'小区路灯不亮' >/dev/null
case-assign --unit grid-g07 1 >/dev/null
at 2026-05-02T09:00:00+08:00
case-followup resolve --message '已更换灯泡' 1 >/dev/null
at 2026-05-09T09:30:00+08:00
run case-followup visit --outcome unreachable --method phone 1
expect "first attempt: unreachable" 0 "1" ""
run case-followup due
expect "the retry is not due yet" 0 "" ""
at 2026-05-11T09:30:00+08:00
run case-followup due --format tsv
expect "the retry is due two days after the attempt" 0 \
	"id	item	due	attempt	lead	place	summary
1	visit	2026-05-11T01:30:00Z	2	grid-g07	chaoyang/qianjin/huayu/g07	小区路灯不亮" ""
at 2026-05-11T10:00:00+08:00
run case-followup visit --outcome unreachable --method phone 1
expect "second attempt: unreachable" 0 "1" ""
check_sql "still resolved after two attempts" "resolved|" \
	"SELECT status, outcome FROM cases WHERE id = 1"
at 2026-05-13T10:00:00+08:00
run case-followup due --format json
expect "the third attempt is due" 0 \
	'{"id":1,"item":"visit","due":"2026-05-13T02:00:00Z","attempt":3,"lead":"grid-g07","place":"chaoyang/qianjin/huayu/g07","summary":"小区路灯不亮"}' ""
run case-followup visit --outcome unreachable --method visit \
	--message '上门无人应答' 1
expect "third attempt: unreachable" 0 "1" ""
check_sql "closed, outcome unreachable" \
	"closed|unreachable|2026-05-13 02:00:00" \
	"SELECT status, outcome, datetime(closed_at, 'unixepoch') FROM cases"
check_sql "three attempts, each due two days after the one before" \
	"1|2026-05-09 01:00:00|2026-05-09 01:30:00|phone|unreachable
2|2026-05-11 01:30:00|2026-05-11 02:00:00|phone|unreachable
3|2026-05-13 02:00:00|2026-05-13 02:00:00|visit|unreachable" \
	"SELECT attempt, datetime(due_at, 'unixepoch'),
	 datetime(done_at, 'unixepoch'), method, outcome FROM visits ORDER BY id"
check_sql "the journal of the unreachable path" \
	"visit|resolved|unreachable by phone, attempt 1; next attempt due 2026-05-11T01:30:00Z
visit|resolved|unreachable by phone, attempt 2; next attempt due 2026-05-13T02:00:00Z
visit|resolved|unreachable by visit, attempt 3: 上门无人应答
close|closed|unreachable after 3 attempts" \
	"SELECT action, status, detail FROM events WHERE action IN ('visit',
	 'close') ORDER BY id"
run case-followup due --overdue
expect "nothing left on the agenda" 0 "" ""

# The same path under a stored policy: first visit after 3 days, retries
# after 12 hours, closed after 2 attempts.
fresh policy
case-admin policy followup.after 3d && case-admin policy followup.retry 12h &&
	case-admin policy followup.attempts 2
case-open --kind request '小区路灯不亮' >/dev/null
case-assign --unit grid-g07 1 >/dev/null
run case-followup resolve --actor '张网格员' --message '已更换灯泡' 1
expect "resolve under a stored policy" 0 "1" ""
at 2026-05-04T08:00:00+08:00
run case-followup visit --actor '张网格员' --outcome unreachable --method sms 1
expect "unreachable under a stored policy" 0 "1" ""
at 2026-05-04T20:00:00+08:00
run case-followup visit --outcome unreachable --method phone 1
expect "the last attempt under a stored policy" 0 "1" ""
check_sql "followup.after, followup.retry and followup.attempts are obeyed" \
	"1|2026-05-04 00:00:00|2026-05-04 00:00:00|sms|张网格员
2|2026-05-04 12:00:00|2026-05-04 12:00:00|phone|tester
closed|unreachable" \
	"SELECT attempt, datetime(due_at, 'unixepoch'),
	 datetime(done_at, 'unixepoch'), method, actor FROM visits ORDER BY id;
	 SELECT status, outcome FROM cases"
check_sql "--actor is journaled" "resolve|张网格员
visit|张网格员
visit|tester
close|tester" \
	"SELECT action, actor FROM events WHERE action NOT IN ('open', 'assign')
	 ORDER BY id"

# ---- an extra scheduled visit ---------------------------------------------------

fresh extra
case-open --kind dispute --place chaoyang/qianjin '楼上漏水引发邻里纠纷' >/dev/null
case-assign --unit med-qianjin 1 >/dev/null
at 2026-05-02T09:00:00+08:00
case-followup resolve --message '已协商维修' 1 >/dev/null
run case-followup schedule --at '2026-06-01 10:00' 1
expect "schedule a 30-day check" 0 "1" ""
check_sql "the schedule is journaled" "schedule|resolved|2026-06-01T02:00:00Z" \
	"SELECT action, status, detail FROM events WHERE action = 'schedule'"
at 2026-05-09T09:00:00+08:00
run case-followup due
expect "the first visit is due" 0 \
	"id  item   due               attempt  lead         place             summary
 1  visit  2026-05-09 09:00        1  med-qianjin  chaoyang/qianjin  楼上漏水引发邻里纠纷" ""
run case-followup visit --outcome satisfied 1
expect "the first visit: satisfied" 0 "1" ""
check_sql "the extra visit keeps the case open" "resolved||" \
	"SELECT status, outcome, closed_at FROM cases WHERE id = 1"
run case-followup due --within 30d
expect "the 30-day check is on the agenda" 0 \
	"id  item   due               attempt  lead         place             summary
 1  visit  2026-06-01 10:00        1  med-qianjin  chaoyang/qianjin  楼上漏水引发邻里纠纷" ""
at 2026-06-01T10:30:00+08:00
run case-followup visit --outcome satisfied --method visit 1
expect "the 30-day check: satisfied" 0 "1" ""
check_sql "now the case is closed" "closed|satisfied|2026-06-01 02:30:00" \
	"SELECT status, outcome, datetime(closed_at, 'unixepoch') FROM cases"
check_sql "one close event, after the second visit" \
	"visit|satisfied by other, attempt 1
visit|satisfied by visit, attempt 1
close|satisfied" \
	"SELECT action, detail FROM events WHERE action IN ('visit', 'close')
	 ORDER BY id"

# ---- notes, cancel and every illegal transition ----------------------------------

fresh states
for s in '井盖缺失' '楼道堆放杂物' '广场舞噪音' '宠物狗扰民' '路面塌陷'; do
	case-open --kind request --place chaoyang/qianjin "$s" >/dev/null
done
# 1 open, 2 assigned, 3 resolved (a visit due 05-08), 4 closed, 5 open.
case-assign --unit pcs-qianjin 2 3 4 >/dev/null
case-followup resolve --message '已处理' 3 >/dev/null
case-followup resolve --message '已处理' --visit-after 1h 4 >/dev/null
at 2026-05-01T09:00:00+08:00
case-followup visit --outcome satisfied 4 >/dev/null
check_sql "the states are set up" "1|open
2|assigned
3|resolved
4|closed
5|open" "SELECT id, status FROM cases ORDER BY id"

run case-followup note --message '已电话联系报案人' 1 2 3 4
expect "a note in every state" 0 "1
2
3
4" ""
check_sql "each note is journaled with the case's status" \
	"1|open|已电话联系报案人
2|assigned|已电话联系报案人
3|resolved|已电话联系报案人
4|closed|已电话联系报案人" \
	"SELECT case_id, status, detail FROM events WHERE action = 'note'
	 ORDER BY id"

snapshot
run case-followup visit --outcome satisfied 2
expect "visiting an assigned case" 1 "" \
	"case-followup: case 2: cannot record a visit: the case is assigned; only resolved cases are visited
$FAILED1"
check_unchanged "visiting an assigned case changes nothing"
run case-followup resolve --message done 1
expect "resolving a case never assigned" 1 "" \
	"case-followup: case 1: cannot resolve: the case is open; it was never assigned (use case-assign first)
$FAILED1"
check_unchanged "resolving a case never assigned changes nothing"
# A case whose lead was released is open again, but it was assigned: the
# message says what it lacks (issue 13, item 9).
copydb released
case-assign -q --db "$(dbpath released)" -u pcs-qianjin 1 >/dev/null
case-assign -q --db "$(dbpath released)" -r pcs-qianjin 1 >/dev/null
run case-followup --db "$(dbpath released)" resolve --message done 1
expect "resolving a case whose lead was released" 1 "" \
	"case-followup: case 1: cannot resolve: the case is open; it has no lead unit (its lead was released; use case-assign)
$FAILED1"
# A message too long is the option's fault: said once, before any case
# is touched, as a usage error.
big=$(head -c 70000 /dev/zero | tr '\0' x)
usage_error "a --message too long is refused once, up front" \
	"case-followup: --message is 70000 bytes long (at most 65536)" \
	case-followup note --message "$big" 1 2 3
check_unchanged "a --message too long changes nothing"
[ "$(grep -c 'bytes long' "$T/err")" -eq 1 ] && ok "... and is said once" ||
	not_ok "... and is said once"
run case-followup resolve --message done 4
expect "resolving a closed case" 1 "" \
	"case-followup: case 4: cannot resolve: the case is closed
$FAILED1"
check_unchanged "resolving a closed case changes nothing"
run case-followup resolve --message done 3
expect "resolving a resolved case" 1 "" \
	"case-followup: case 3: cannot resolve: the case is resolved
$FAILED1"
check_unchanged "resolving a resolved case changes nothing"
run case-followup schedule --at +30d 1
expect "scheduling on an open case" 1 "" \
	"case-followup: case 1: cannot schedule a visit: the case is open; only resolved cases are visited
$FAILED1"
check_unchanged "scheduling on an open case changes nothing"
run case-followup visit --outcome satisfied 4
expect "visiting a closed case" 1 "" \
	"case-followup: case 4: cannot record a visit: the case is closed; only resolved cases are visited
$FAILED1"
check_unchanged "visiting a closed case changes nothing"
run case-followup cancel --message '重复' 4
expect "cancelling a closed case" 1 "" \
	"case-followup: case 4: cannot cancel: the case is closed
$FAILED1"
check_unchanged "cancelling a closed case changes nothing"
run case-followup note --message x 99
expect "an unknown case id" 1 "" \
	"case-followup: case 99: no such case
$FAILED1"
check_unchanged "an unknown case id changes nothing"
usage_error "a bad outcome" \
	"case-followup: --outcome: unknown outcome 'happy' (expected satisfied, unsatisfied or unreachable)" \
	case-followup visit --outcome happy 3
check_unchanged "a bad outcome changes nothing"
usage_error "a bad method" \
	"case-followup: --method: unknown method 'fax' (expected visit, phone, sms or other)" \
	case-followup visit --outcome satisfied --method fax 3
check_unchanged "a bad method changes nothing"
run case-followup visit --dry-run --outcome ' satisfied ' --method 'phone ' 3
expect "an outcome and a method are taken without the white space around them" \
	0 "3" "case-followup: dry run: 1 case would change; nothing written"
check_unchanged "a dry run with trimmed words changes nothing"
printf 'id\n3\nx3\n' >"$T/ids"
run_in "$T/ids" case-followup note --message x
expect "a bad id on stdin" 1 "" \
	"case-followup: line 3: bad case id 'x3' (expected a positive whole number)
case-followup: 1 of 2 cases failed; nothing changed (--skip-bad applies the rest)"
check_unchanged "a bad id on stdin changes nothing"

# A malformed id on stdin does not hide the other failures.
printf '99\nx3\n2\n' >"$T/ids"
run_in "$T/ids" case-followup resolve --message '已处理'
check_rc 1 "a malformed id among failing ids: exit 1"
check_no_out "a malformed id among failing ids: nothing on stdout"
check_err_has "case-followup: line 2: bad case id 'x3' (expected a positive whole number)" \
	"a malformed id among failing ids: the malformed id is reported"
check_err_has "case-followup: case 99: no such case" \
	"a malformed id among failing ids: the unknown case is reported too"
check_err_has "case-followup: 2 of 3 cases failed; nothing changed (--skip-bad applies the rest)" \
	"a malformed id among failing ids: both failures are counted"
check_unchanged "a malformed id among failing ids changes nothing"
: >"$T/ids"
run_in "$T/ids" case-followup note --message x
expect "no ids on stdin: nothing to do" 0 "" ""
check_unchanged "no ids on stdin changes nothing"

# All or nothing, --skip-bad and --dry-run.
run case-followup resolve --message '已处理' 2 1 99 4
expect "several ids, some failing" 1 "" \
	"case-followup: case 1: cannot resolve: the case is open; it was never assigned (use case-assign first)
case-followup: case 99: no such case
case-followup: case 4: cannot resolve: the case is closed
case-followup: 3 of 4 cases failed; nothing changed (--skip-bad applies the rest)"
check_unchanged "several ids, some failing, change nothing"
run case-followup resolve --dry-run --message '已处理' 2
expect "--dry-run" 0 "2" \
	"case-followup: dry run: 1 case would change; nothing written"
check_unchanged "--dry-run changes nothing"
run case-followup resolve --skip-bad --message '已处理' 2 1 99
expect "--skip-bad" 1 "2" \
	"case-followup: case 1: cannot resolve: the case is open; it was never assigned (use case-assign first)
case-followup: case 99: no such case
case-followup: 2 of 3 cases failed; the others were applied"
check_sql "--skip-bad applied the good id" "1|open
2|resolved
3|resolved" "SELECT id, status FROM cases WHERE id <= 3 ORDER BY id"

# Cancel: an open case and a resolved one with a visit scheduled.
at 2026-05-02T09:00:00+08:00
run case-followup cancel --message '居民撤回投诉' 1 3
expect "cancel an open and a resolved case" 0 "1
3" ""
check_sql "cancelled, with the time and without scheduled visits" \
	"1|cancelled|2026-05-02 01:00:00
3|cancelled|2026-05-02 01:00:00
0" \
	"SELECT id, status, datetime(closed_at, 'unixepoch') FROM cases
	 WHERE id IN (1, 3) ORDER BY id;
	 SELECT count(*) FROM visits WHERE case_id = 3 AND done_at IS NULL"
check_sql "the reason and the dropped visit are journaled" \
	"1|cancel|cancelled|居民撤回投诉
3|cancel|cancelled|居民撤回投诉; 1 scheduled visit dropped" \
	"SELECT case_id, action, status, detail FROM events
	 WHERE action = 'cancel' ORDER BY id"
at 2026-05-10T09:00:00+08:00
run case-followup due --within 30d
expect "a cancelled case's visits leave the agenda" 0 \
	"id  item   due               attempt  lead         place             summary
 2  visit  2026-05-08 09:00        1  pcs-qianjin  chaoyang/qianjin  楼道堆放杂物" ""
snapshot
run case-followup note --message '补充材料' 1
expect "a note on a cancelled case" 1 "" \
	"case-followup: case 1: cannot add a note: the case is cancelled
$FAILED1"
check_unchanged "a note on a cancelled case changes nothing"
run case-followup cancel --message '再次撤回' 3
expect "cancelling a cancelled case" 1 "" \
	"case-followup: case 3: cannot cancel: the case is cancelled
$FAILED1"
check_unchanged "cancelling a cancelled case changes nothing"
run case-followup visit --outcome satisfied 1
expect "visiting a cancelled case" 1 "" \
	"case-followup: case 1: cannot record a visit: the case is cancelled; only resolved cases are visited
$FAILED1"
check_unchanged "visiting a cancelled case changes nothing"

# ---- the agenda ---------------------------------------------------------------

fresh agenda
LONG='美食广场烧烤摊每晚十点以后仍然大声播放音乐并有顾客喧哗，严重影响周边居民休息，多次劝阻无效'
case-open --kind dispute --category noise --place chaoyang/qianjin/huayu/g07 \
	--address '华裕路8号' '烧烤摊音乐扰民' >/dev/null
case-open --kind dispute --category neighbour --place chaoyang/qianjin/huayu \
	'邻里围墙纠纷' >/dev/null
case-open --kind request --category lamp --place chaoyang/qianjinx/dongli \
	--address '前进西路12号;北门\东侧' '路灯不亮' >/dev/null
case-open --kind hazard --category fire --place chaoyang/qianjin \
	'消防通道被堵' >/dev/null
case-open --kind request --priority low '独居老人求助' >/dev/null
case-open --kind dispute --category noise --place chaoyang/qianjin/huayu/g07 \
	--address '华裕路8号, 3单元' --reporter '李女士' --contact 13912345678 \
	"$LONG" >/dev/null 2>&1
case-assign --unit pcs-qianjin 1 6 >/dev/null
case-assign --unit grid-g07 --support med-qianjin 2 >/dev/null
case-assign --unit pcs-qjx 3 >/dev/null
case-assign --unit med-qianjin 4 >/dev/null
# Visits: case 3 due 05-11 08:00 (visit 1), case 1 due 05-09 09:00
# (visit 2), case 6 due 05-12 09:00 (visit 3), case 2 due 05-10 09:00
# (visit 4).  Case 4 is due 05-08 08:00; case 5 is open, due 05-16.
at 2026-05-02T08:00:00+08:00
case-followup resolve --message '已处理' --visit-after 9d 3 >/dev/null
at 2026-05-02T09:00:00+08:00
case-followup resolve --message '已处理' 1 >/dev/null
case-followup resolve --message '已处理' --visit-after 10d 6 >/dev/null
at 2026-05-03T09:00:00+08:00
case-followup resolve --message '已处理' 2 >/dev/null
check_sql "the agenda cases are set up" "1|1|3|2026-05-11 00:00:00
2|1|1|2026-05-09 01:00:00
3|1|6|2026-05-12 01:00:00
4|1|2|2026-05-10 01:00:00" \
	"SELECT id, attempt, case_id, datetime(due_at, 'unixepoch') FROM visits
	 WHERE done_at IS NULL ORDER BY id"

at 2026-05-08T07:00:00+08:00
snapshot
run case-followup due
expect "nothing due: nothing at all" 0 "" ""
run case-followup due --overdue
expect "nothing due or overdue: nothing at all" 0 "" ""
run case-followup due --exit-status
expect "--exit-status when nothing is due" 1 "" ""
run case-followup due --format csv
expect "nothing due, as csv: the header only" 0 \
	"id,item,due,attempt,lead,place,summary" ""
run case-followup due --format json
expect "nothing due, as json: nothing" 0 "" ""
check_unchanged "the agenda changes nothing"

at 2026-05-08T09:00:00+08:00
run case-followup due --overdue --exit-status
expect "--overdue lists a case past its deadline; --exit-status 0" 0 \
	"id  item      due               attempt  lead         place             summary
 4  deadline  2026-05-08 08:00        -  med-qianjin  chaoyang/qianjin  消防通道被堵" ""
run case-followup due --within 3d
expect "--within 3d" 0 \
	"id  item   due               attempt  lead         place                       summary
 1  visit  2026-05-09 09:00        1  pcs-qianjin  chaoyang/qianjin/huayu/g07  烧烤摊音乐扰民
 2  visit  2026-05-10 09:00        1  grid-g07     chaoyang/qianjin/huayu      邻里围墙纠纷
 3  visit  2026-05-11 08:00        1  pcs-qjx      chaoyang/qianjinx/dongli    路灯不亮" ""

at 2026-05-10T12:00:00+08:00
run case-followup due
expect "two visits due, ordered by due time" 0 \
	"id  item   due               attempt  lead         place                       summary
 1  visit  2026-05-09 09:00        1  pcs-qianjin  chaoyang/qianjin/huayu/g07  烧烤摊音乐扰民
 2  visit  2026-05-10 09:00        1  grid-g07     chaoyang/qianjin/huayu      邻里围墙纠纷" ""
run case-followup due --overdue
expect "--overdue: the deadline first, by due time" 0 \
	"id  item      due               attempt  lead         place                       summary
 4  deadline  2026-05-08 08:00        -  med-qianjin  chaoyang/qianjin            消防通道被堵
 1  visit     2026-05-09 09:00        1  pcs-qianjin  chaoyang/qianjin/huayu/g07  烧烤摊音乐扰民
 2  visit     2026-05-10 09:00        1  grid-g07     chaoyang/qianjin/huayu      邻里围墙纠纷" ""
run case-followup due --overdue --format csv
expect "the agenda as csv" 0 \
	"id,item,due,attempt,lead,place,summary
4,deadline,2026-05-08T00:00:00Z,,med-qianjin,chaoyang/qianjin,消防通道被堵
1,visit,2026-05-09T01:00:00Z,1,pcs-qianjin,chaoyang/qianjin/huayu/g07,烧烤摊音乐扰民
2,visit,2026-05-10T01:00:00Z,1,grid-g07,chaoyang/qianjin/huayu,邻里围墙纠纷" ""
run case-followup due --overdue --format tsv --no-header
expect "the agenda as tsv without a header" 0 \
	"4	deadline	2026-05-08T00:00:00Z		med-qianjin	chaoyang/qianjin	消防通道被堵
1	visit	2026-05-09T01:00:00Z	1	pcs-qianjin	chaoyang/qianjin/huayu/g07	烧烤摊音乐扰民
2	visit	2026-05-10T01:00:00Z	1	grid-g07	chaoyang/qianjin/huayu	邻里围墙纠纷" ""
run case-followup due --overdue --format json
expect "the agenda as json" 0 \
	'{"id":4,"item":"deadline","due":"2026-05-08T00:00:00Z","attempt":null,"lead":"med-qianjin","place":"chaoyang/qianjin","summary":"消防通道被堵"}
{"id":1,"item":"visit","due":"2026-05-09T01:00:00Z","attempt":1,"lead":"pcs-qianjin","place":"chaoyang/qianjin/huayu/g07","summary":"烧烤摊音乐扰民"}
{"id":2,"item":"visit","due":"2026-05-10T01:00:00Z","attempt":1,"lead":"grid-g07","place":"chaoyang/qianjin/huayu","summary":"邻里围墙纠纷"}' ""
CASE_FORMAT=csv case-followup due >"$T/out" 2>"$T/err"
rc=$?
expect "CASE_FORMAT picks the format" 0 "id,item,due,attempt,lead,place,summary
1,visit,2026-05-09T01:00:00Z,1,pcs-qianjin,chaoyang/qianjin/huayu/g07,烧烤摊音乐扰民
2,visit,2026-05-10T01:00:00Z,1,grid-g07,chaoyang/qianjin/huayu,邻里围墙纠纷" ""

run case-followup due --overdue --unit med-qianjin --format csv --no-header
expect "--unit: the lead's and the supporting unit's cases" 0 \
	"4,deadline,2026-05-08T00:00:00Z,,med-qianjin,chaoyang/qianjin,消防通道被堵
2,visit,2026-05-10T01:00:00Z,1,grid-g07,chaoyang/qianjin/huayu,邻里围墙纠纷" ""
run case-followup due --unit pcs-qianjin --within 3d --format csv --no-header
expect "--unit with --within" 0 \
	"1,visit,2026-05-09T01:00:00Z,1,pcs-qianjin,chaoyang/qianjin/huayu/g07,烧烤摊音乐扰民
6,visit,2026-05-12T01:00:00Z,1,pcs-qianjin,chaoyang/qianjin/huayu/g07,$LONG" ""
# The attempt comes before the summary, and on a terminal the summary is
# cut with "…" to fit its width, so that a long Chinese summary pushes
# nothing off the line (issue 13, item 3).  A pipe gets it whole, above.
if command -v script >/dev/null 2>&1; then
	script -qec "stty cols 80; case-followup due --unit pcs-qianjin --within 3d" \
		/dev/null >"$T/tty" 2>&1
	rc=$?
	tr -d '\r' <"$T/tty" >"$T/out"
	check_out "id  item   due               attempt  lead         place                       summary
 1  visit  2026-05-09 09:00        1  pcs-qianjin  chaoyang/qianjin/huayu/g07  烧烤摊…
 6  visit  2026-05-12 09:00        1  pcs-qianjin  chaoyang/qianjin/huayu/g07  美食广…" \
		"due on a terminal 80 columns wide: the summary cut to fit"
	# sh, not bash, which would set COLUMNS to the size stty sets.
	COLUMNS=100 SHELL=/bin/sh script -qec \
		"stty cols 80; case-followup due --unit pcs-qianjin --within 3d" \
		/dev/null >"$T/tty" 2>&1
	tr -d '\r' <"$T/tty" >"$T/out"
	check_out "id  item   due               attempt  lead         place                       summary
 1  visit  2026-05-09 09:00        1  pcs-qianjin  chaoyang/qianjin/huayu/g07  烧烤摊音乐扰民
 6  visit  2026-05-12 09:00        1  pcs-qianjin  chaoyang/qianjin/huayu/g07  美食广场烧烤摊每晚十…" \
		"COLUMNS sets the width to fit before the terminal's size"
else
	skip "script(1) is not installed"
	skip "script(1) is not installed"
fi
run env COLUMNS=40 case-followup due --unit pcs-qianjin --within 3d --no-header
expect "COLUMNS does not cut output to a pipe or a file" 0 \
"1  visit  2026-05-09 09:00  1  pcs-qianjin  chaoyang/qianjin/huayu/g07  烧烤摊音乐扰民
6  visit  2026-05-12 09:00  1  pcs-qianjin  chaoyang/qianjin/huayu/g07  $LONG" ""
run case-followup due --unit law-dacheng --overdue --within 30d
expect "--unit with nothing due" 0 "" ""
run case-followup due --unit pcs-qianjn
expect "--unit with an unknown unit" 1 "" \
	"case-followup: --unit: unknown unit 'pcs-qianjn' (did you mean 'pcs-qianjin'?)"
run case-followup due --overdue --within 3d --place chaoyang/qianjin \
	--format csv --no-header
expect "--place matches whole segments: not chaoyang/qianjinx" 0 \
	"4,deadline,2026-05-08T00:00:00Z,,med-qianjin,chaoyang/qianjin,消防通道被堵
1,visit,2026-05-09T01:00:00Z,1,pcs-qianjin,chaoyang/qianjin/huayu/g07,烧烤摊音乐扰民
2,visit,2026-05-10T01:00:00Z,1,grid-g07,chaoyang/qianjin/huayu,邻里围墙纠纷
6,visit,2026-05-12T01:00:00Z,1,pcs-qianjin,chaoyang/qianjin/huayu/g07,$LONG" ""
run case-followup due --overdue --within 3d --place chaoyang/qianjinx \
	--format csv --no-header
expect "--place chaoyang/qianjinx" 0 \
	"3,visit,2026-05-11T00:00:00Z,1,pcs-qjx,chaoyang/qianjinx/dongli,路灯不亮" ""
run case-followup due --within 3d --place chaoyang/qianjin/huayu/g07 \
	--format csv --no-header
expect "--place down to the grid" 0 \
	"1,visit,2026-05-09T01:00:00Z,1,pcs-qianjin,chaoyang/qianjin/huayu/g07,烧烤摊音乐扰民
6,visit,2026-05-12T01:00:00Z,1,pcs-qianjin,chaoyang/qianjin/huayu/g07,$LONG" ""
run case-followup due --overdue --within 3d --place chaoyang/qianjin/huayu/g0
expect "--place with part of a segment matches nothing" 0 "" ""
run case-followup due --overdue --within 30d --unit pcs-qianjin \
	--place chaoyang/qianjinx
expect "--unit and --place together" 0 "" ""

# ---- the iCalendar feed -----------------------------------------------------------

PRODID="PRODID:-//case//$(case-followup --version)//EN"
# Unfold (RFC 5545 3.1) and drop the CRs.
unfold() {
	LC_ALL=C awk '{ sub(/\r$/, "") }
		NR > 1 && /^ / { line = line substr($0, 2); next }
		NR > 1 { print line }
		{ line = $0 }
		END { if (NR) print line }' "$1"
}

at 2026-05-08T09:00:00+08:00
# Each feed: exit 0, nothing on stderr, kept in $T/NAME.ics.
feed() {
	_f=$1
	shift
	run case-followup ics "$@"
	cp "$T/out" "$T/$_f.ics"
	check_rc 0 "ics feed $_f: exit 0"
	if [ ! -s "$T/err" ]; then ok "ics feed $_f: nothing on stderr"; else
		not_ok "ics feed $_f: nothing on stderr"
		_show
	fi
}
feed a
feed pii --pii
feed one --within 1d

for f in a pii one; do
	if [ -s "$T/$f.ics" ] &&
		[ -z "$(LC_ALL=C awk '!/\r$/ || /\r./' "$T/$f.ics")" ]; then
		ok "ics $f: every line ends in CRLF"
	else
		not_ok "ics $f: every line ends in CRLF"
	fi
	LC_ALL=C awk '{ sub(/\r$/, ""); if (length($0) > 75) print NR ": " length($0) " octets" }' \
		"$T/$f.ics" >"$T/out"
	check_no_out "ics $f: no line is longer than 75 octets"
	LC_ALL=C.UTF-8 grep -anvx '.*' "$T/$f.ics" >"$T/out"
	check_no_out "ics $f: folding never splits a UTF-8 character"
done

unfold "$T/one.ics" >"$T/out"
check_out "BEGIN:VCALENDAR
VERSION:2.0
$PRODID
CALSCALE:GREGORIAN
X-WR-CALNAME:Return visits
BEGIN:VEVENT
UID:visit-2.case-1@case
DTSTAMP:20260508T010000Z
DTSTART:20260509T010000Z
DURATION:PT30M
SUMMARY:Return visit\\, case 1: 烧烤摊音乐扰民
LOCATION:chaoyang/qianjin/huayu/g07\\, 华裕路8号
DESCRIPTION:Case 1 (dispute\\, noise)\\, attempt 1\\nLead unit: 前进派出所 (pcs-qianjin)
END:VEVENT
END:VCALENDAR" "ics --within 1d: the whole feed"

run grep -c '^BEGIN:VEVENT' "$T/a.ics"
check_out "4" "ics: one VEVENT per open visit"
unfold "$T/a.ics" | grep -E '^(UID|DTSTART|SUMMARY|LOCATION):' >"$T/out"
check_out "UID:visit-2.case-1@case
DTSTART:20260509T010000Z
SUMMARY:Return visit\\, case 1: 烧烤摊音乐扰民
LOCATION:chaoyang/qianjin/huayu/g07\\, 华裕路8号
UID:visit-4.case-2@case
DTSTART:20260510T010000Z
SUMMARY:Return visit\\, case 2: 邻里围墙纠纷
LOCATION:chaoyang/qianjin/huayu
UID:visit-1.case-3@case
DTSTART:20260511T000000Z
SUMMARY:Return visit\\, case 3: 路灯不亮
LOCATION:chaoyang/qianjinx/dongli\\, 前进西路12号\\;北门\\\\东侧
UID:visit-3.case-6@case
DTSTART:20260512T010000Z
SUMMARY:Return visit\\, case 6: $LONG
LOCATION:chaoyang/qianjin/huayu/g07\\, 华裕路8号\\, 3单元" \
	"ics: uid, UTC start, summary and location of each visit, by due time"
run grep -c '^ ' "$T/a.ics"
if [ "$rc" -eq 0 ] && [ "$(cat "$T/out")" -ge 2 ]; then
	ok "ics: the long summary was folded"
else
	not_ok "ics: the long summary was folded"
fi
unfold "$T/a.ics" | grep -c -e '李女士' -e '13912345678' >"$T/out"
check_out "0" "ics: no reporter or contact without --pii"
unfold "$T/pii.ics" | grep '^DESCRIPTION:Case 6 ' >"$T/out"
check_out 'DESCRIPTION:Case 6 (dispute\, noise)\, attempt 1\nLead unit: 前进派出所 (pcs-qianjin)\nReporter: 李女士\nContact: 13912345678' \
	"ics --pii: the reporter and contact are there"

# The same visits keep their UIDs a day later and after another one is done.
at 2026-05-09T12:00:00+08:00
case-followup visit --outcome satisfied 1 >/dev/null
feed b
grep '^UID:' "$T/a.ics" | sed 1d >"$T/expected"
if grep '^UID:' "$T/b.ics" | cmp -s "$T/expected" -; then
	ok "ics: UIDs are stable across runs"
else
	not_ok "ics: UIDs are stable across runs"
	grep '^UID:' "$T/a.ics" "$T/b.ics" | sed 's/^/#   /'
fi

# A released supporting unit no longer sees the case on its agenda.
case-assign --release med-qianjin 2 >/dev/null
run case-followup due --unit med-qianjin --overdue --within 3d --format csv \
	--no-header
expect "--unit ignores released units" 0 \
	"4,deadline,2026-05-08T00:00:00Z,,med-qianjin,chaoyang/qianjin,消防通道被堵" ""

# An independent reader: Debian's python3-icalendar (only /usr/bin/python3
# has it).
if /usr/bin/python3 -c 'import icalendar' 2>/dev/null; then
	/usr/bin/python3 - "$T/a.ics" >"$T/out" 2>"$T/err" <<'EOF'
import sys
import icalendar

with open(sys.argv[1], 'rb') as f:
    cal = icalendar.Calendar.from_ical(f.read())
events = cal.walk('VEVENT')
print(len(events))
for ev in events:
    print('|'.join([str(ev['UID']), ev.decoded('DTSTART').isoformat(),
                    str(ev['SUMMARY']), str(ev['LOCATION'])]))
EOF
	rc=$?
	expect "python3-icalendar reads the feed" 0 "4
visit-2.case-1@case|2026-05-09T01:00:00+00:00|Return visit, case 1: 烧烤摊音乐扰民|chaoyang/qianjin/huayu/g07, 华裕路8号
visit-4.case-2@case|2026-05-10T01:00:00+00:00|Return visit, case 2: 邻里围墙纠纷|chaoyang/qianjin/huayu
visit-1.case-3@case|2026-05-11T00:00:00+00:00|Return visit, case 3: 路灯不亮|chaoyang/qianjinx/dongli, 前进西路12号;北门\\东侧
visit-3.case-6@case|2026-05-12T01:00:00+00:00|Return visit, case 6: $LONG|chaoyang/qianjin/huayu/g07, 华裕路8号, 3单元" ""
else
	skip "python3-icalendar is not installed for /usr/bin/python3; the feed was not read by an independent parser"
fi

# A pipeline: the agenda straight into the visit command.  With --overdue
# it includes an assigned case, which cannot be visited: nothing changes.
at 2026-05-10T12:00:00+08:00
snapshot
case-followup due --overdue --format tsv |
	case-followup visit --outcome satisfied --method phone \
	>"$T/out" 2>"$T/err"
rc=$?
expect "due --overdue | visit: all or nothing" 1 "" \
	"case-followup: case 4: cannot record a visit: the case is assigned; only resolved cases are visited
case-followup: 1 of 2 cases failed; nothing changed (--skip-bad applies the rest)"
check_unchanged "due --overdue | visit changes nothing"
case-followup due | case-followup visit --outcome satisfied --method phone \
	>"$T/out" 2>"$T/err"
rc=$?
expect "due | visit" 0 "2" ""
check_sql "the piped visit closed the case" "closed|satisfied" \
	"SELECT status, outcome FROM cases WHERE id = 2"

done_testing
