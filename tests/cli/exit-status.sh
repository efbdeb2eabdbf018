#!/bin/sh
# The exit status of every binary (issue 13, item 6), against the one rule
# that case(7) states: 0 success (and no ids at all is nothing to do), 1 a
# failure at run time, 2 a usage error.  Each entry is a case that the
# EXIT STATUS section of the binary's page lists, in the page's order; no
# ids at a terminal, also exit 2, is in ids.sh, under a terminal.
. "$TESTS/cli/lib.sh"

# One entry: STATUS, TAB, the case as the page words it, TAB, a shell
# command, run with standard input from /dev/null unless it says
# otherwise; a line "# ---- PROGRAM(1)" names the program of the entries
# after it.  A usage error (2) must also print nothing on stdout and the
# message then the usage on stderr; a failure (1) must say why, as
# "PROGRAM: ..." on stderr, but for a listing's --exit-status, which says
# nothing, as grep -q does.
statuses() {
	while IFS='	' read -r want name cmd; do
		case $want in
		'# ---- '*) prog=${want#'# ---- '} prog=${prog%'(1)'} ;;
		esac
		case $want in '' | '#'*) continue ;; esac
		eval "$cmd" </dev/null >"$T/out" 2>"$T/err"
		rc=$?
		why=
		if [ "$rc" -ne "$want" ]; then
			why="exit $rc, expected $want"
		elif [ "$want" -eq 2 ] && { [ -s "$T/out" ] ||
			[ "$(sed -n 1p "$T/err" | cut -d: -f1)" != "$prog" ] ||
			! sed -n 2p "$T/err" | grep -q "^usage: $prog"; }; then
			why="expected the message and the usage on stderr, nothing on stdout"
		elif [ "$want" -eq 1 ] && [ -z "${cmd##*--exit-status*}" ]; then
			if [ -s "$T/out" ] || [ -s "$T/err" ]; then
				why="expected nothing on stdout or stderr"
			fi
		elif [ "$want" -eq 1 ] && ! grep -q "^$prog: " "$T/err"; then
			why="expected a message on stderr"
		fi
		if [ -z "$why" ]; then ok "$prog $want: $name"; else
			not_ok "$prog $want: $name ($why)"
			diag "command: $cmd"
			_show
		fi
	done
}

case-admin unit add pcs-qianjin 前进派出所 --type police \
	--place chaoyang/qianjin --chief 王所长 >/dev/null &&
	case-admin unit add grid-g07 第七网格 --type grid --parent pcs-qianjin \
		--place chaoyang/qianjin/huayu/g07 >/dev/null &&
	at 2026-04-01 &&
	case-open -k dispute -l chaoyang/qianjin/huayu/g07 夜市音响扰民 >/dev/null &&
	at 2026-04-30 &&
	case-open -k request -l haidian/x 路灯不亮 >/dev/null &&
	at 2026-05-01T08:00 || {
	echo "Bail out! cannot make the fixture"
	exit 1
}
copydb tampered
TAMPERED=$(dbpath tampered)
CASE_DB=$TAMPERED sql "UPDATE cases SET status = 'closed' WHERE id = 2"
printf 'code,name\npcs-x,x\nbad code,y\n' >"$T/units.csv"
printf 'summary,kind\n好,request\n坏,dispte\n' >"$T/cases.csv"
printf '1,"never closed\n' >"$T/badcsv"
printf 'x\n' >"$T/notanid"
printf '1\n2\n' >"$T/two"
: >"$T/empty"
MISSING="--db $(dbpath missing)"

statuses <<'TABLE'
# ---- case-admin(1)
0	success	case-admin policy
0	check found nothing	case-admin check
1	check found something	case-admin --db $TAMPERED check
1	the unit already exists	case-admin unit add pcs-qianjin x
1	the parent of unit add is not a unit	case-admin unit add g1 x --parent nosuch
1	escalate.2 would not be shorter than escalate.3	case-admin policy escalate.2 8d
1	a row of unit import was bad	case-admin unit import $T/units.csv
1	a file could not be read	case-admin unit import $T/nosuch.csv
1	a file could not be written	case-admin backup $T/nosuch/copy.db
1	the database could not be used	case-admin $MISSING check
2	no command	case-admin
2	an unknown command	case-admin frobnicate
2	too few operands	case-admin unit add g2
2	too many operands	case-admin check now
2	an option the command does not take	case-admin check --type police
2	a supervisor level other than 1, 2 or 3	case-admin supervisor set 4 某人
2	an unknown option	case-admin --frob check
2	a bad unit code	case-admin unit add 'a b' x
2	a bad unit name	case-admin unit add g3 ''
2	a bad unit type	case-admin unit add g3 x --type cop
2	a bad unit place	case-admin unit add g3 x --place a//b
2	a bad chief	case-admin unit add g3 x --chief "$(printf 'a\nb')"
2	a bad contact	case-admin unit add g3 x --contact "$(printf 'a\033b')"
2	a unit as its own parent	case-admin unit add g3 x --parent g3
2	an empty supervisor name	case-admin supervisor set 1 ''
2	a bad supervisor contact	case-admin supervisor set 1 某人 --contact "$(printf 'a\007')"
2	an unknown policy key	case-admin policy due.nromal
2	a bad value for a policy key	case-admin policy due.normal 3x
2	a bad -F	case-admin -F xml policy
2	a bad CASE_FORMAT	env CASE_FORMAT=xml case-admin policy
2	a bad --actor	case-admin --actor '' policy due.normal 5d

# ---- case-assign(1)
0	every case given was changed	case-assign -u pcs-qianjin 1
0	every case given was already as asked	case-assign -u pcs-qianjin 1
0	no ids came at all	case-assign -u pcs-qianjin <$T/empty
0	--auto ran, even if it left some cases open	case-assign --auto
0	--escalate ran, and with --exit-status at least one case rose	case-assign --escalate --exit-status
0	with -n, everything checked is good	case-assign -n -u grid-g07 1 2
1	a unit code is unknown	case-assign -u nosuch 1
1	an id is not a number	case-assign -u pcs-qianjin x
1	an id names no case	case-assign -u pcs-qianjin 99
1	a change the case's status forbids	case-followup resolve -m 好 1 >/dev/null && case-assign --due +1d 1
1	one id failed, even with --skip-bad	case-assign --skip-bad -u grid-g07 99 2
1	the ids on standard input are malformed CSV	case-assign -u pcs-qianjin <$T/badcsv
1	the database is missing	case-assign $MISSING -u pcs-qianjin 1
1	with --escalate and --exit-status, no case rose	case-assign --escalate --exit-status
2	an unknown option	case-assign --frob 1
2	a bad -F	case-assign -F xml -u pcs-qianjin 1
2	a bad CASE_FORMAT	env CASE_FORMAT=xml case-assign -u pcs-qianjin 1
2	a bad --actor	case-assign --actor '' -u pcs-qianjin 1
2	a bad --due	case-assign --due 'next week' 1
2	an empty -m	case-assign -m ' ' 1
2	a -m that is too long	case-assign -m "$(head -c 70000 /dev/zero | tr '\0' x)" 1
2	a -m that is not valid text	case-assign -m "$(printf 'a\033]0;x\007')" 1
2	none of -m, -r, -s, -u and --due	case-assign 1
2	--auto together with --escalate	case-assign --auto --escalate
2	case ids with --auto	case-assign --auto 1
2	dispatch options with --escalate	case-assign --escalate -u pcs-qianjin
2	--skip-bad with --auto	case-assign --auto --skip-bad
2	--exit-status without --escalate	case-assign --exit-status -u pcs-qianjin 1

# ---- case-followup(1)
0	every case given was changed	case-followup note -m 看过 1
0	no ids came at all	case-followup note -m 看过 <$T/empty
0	the agenda was written	case-followup due
0	the calendar was written	case-followup ics
0	with due --exit-status, at least one row was listed	case-followup due --within 2w --exit-status
0	with -n, everything checked is good	case-followup -n note -m 看过 1 2
1	an id is not a number	case-followup note -m 看过 <$T/notanid
1	an id names no case	case-followup note -m 看过 99
1	a command the case's status forbids	case-followup visit -o satisfied 2
1	one id failed, even with --skip-bad	case-followup note --skip-bad -m 看过 99 1
1	the ids on standard input are malformed CSV	case-followup note -m 看过 <$T/badcsv
1	the unit of --unit is unknown	case-followup due --unit nosuch
1	the database is missing, for due	case-followup $MISSING due
1	the database is missing, for ics	case-followup $MISSING ics
1	the database is missing, for a change	case-followup $MISSING note -m x 1
1	with due --exit-status, nothing is due	case-followup due --exit-status --unit grid-g07
2	no command	case-followup
2	an unknown command	case-followup frob
2	an option the command does not take	case-followup note -m x --at +1d 1
2	a missing -m for note	case-followup note 1
2	an empty -m for resolve	case-followup resolve -m '' 1
2	a missing -m for cancel	case-followup cancel 1
2	a missing -o for visit	case-followup visit 1
2	a missing --at for schedule	case-followup schedule 1
2	a bad -o	case-followup visit -o happy 1
2	a bad --method	case-followup visit -o satisfied --method fax 1
2	a -m that is too long	case-followup note -m "$(head -c 70000 /dev/zero | tr '\0' x)" 1
2	a -m that is not valid text	case-followup cancel -m "$(printf 'a\001b')" 1
2	a bad --at	case-followup schedule --at someday 1
2	a bad --visit-after	case-followup resolve -m x --visit-after 3x 1
2	a bad --within	case-followup due --within -3d
2	case ids given to due	case-followup due 1
2	case ids given to ics	case-followup ics 1
2	an unknown option	case-followup note --frob -m x 1
2	a bad -F	case-followup due -F xml
2	a bad CASE_FORMAT	env CASE_FORMAT=xml case-followup due
2	a bad --actor	case-followup note --actor '' -m x 1

# ---- case-open(1)
0	every case was opened	case-open -k request 新案件
0	with -n, everything checked is good	case-open -n -k request 试一试
0	every case was already present by its ref	case-open -k request -r R1 有编号 && case-open -q -k request -r R1 有编号
1	a field from the file had a bad value, so no row was imported	case-open -f $T/cases.csv
1	a row of the file was bad, even with --skip-bad	case-open --skip-bad -f $T/cases.csv
1	the file could not be read	case-open -f $T/nosuch.csv
1	the database could not be opened	case-open $MISSING -k request x
2	an unknown option	case-open --frob x
2	a bad -F	case-open -F xml -k request x
2	a bad CASE_FORMAT	env CASE_FORMAT=xml case-open -k request x
2	a bad --actor	case-open --actor '' -k request x
2	a missing summary	case-open -k request
2	an empty summary	case-open -k request ''
2	more than one summary operand	case-open -k request a b
2	no -k for one case	case-open 没有类别
2	a summary together with -f	case-open -f $T/cases.csv x
2	-m without -f	case-open -m ref=id -k request x
2	--skip-bad without -f	case-open --skip-bad -k request x
2	-r with -f	case-open -r R2 -f $T/cases.csv
2	a bad -m map	case-open -m nosuch=x -f $T/cases.csv
2	an unknown kind	case-open -k dispte x
2	an unknown priority	case-open -k request -p asap x
2	a bad time	case-open -k request --due someday x
2	a bad place	case-open -k request -l a//b x
2	text with control characters	case-open -k request "$(printf 'a\033b')"
2	a --due before the opening	case-open -k request --at 2026-04-10 --due 2026-04-09 x
2	an --at in the future	case-open -k request --at tomorrow x

# ---- case-report(1)
0	success	case-report
0	with --exit-status, at least one row was listed	case-report -l --exit-status
0	with --show, no ids at all	case-report --show <$T/empty
1	the database is missing	case-report $MISSING
1	the unit of -u is unknown	case-report -u nosuch
1	with --show, an id is not a number	case-report --show <$T/notanid
1	with --show, an id names no case	case-report --show 99
1	with --show, the ids are malformed CSV	case-report --show <$T/badcsv
1	the output could not be written	case-report -l >/dev/full
1	with --exit-status, no row was listed	case-report -l --exit-status -s cancelled
2	an unknown option	case-report --frob
2	a missing argument	case-report -g
2	a bad -F	case-report -F xml
2	a bad CASE_FORMAT	env CASE_FORMAT=xml case-report
2	a bad -k	case-report -k dispte
2	a bad -p	case-report -p asap
2	a bad -s	case-report -s shut
2	a bad --level	case-report --level 4
2	a bad --place	case-report --place a//b
2	a bad --since	case-report --since someday
2	a bad --until	case-report --until someday
2	a bad --after	case-report --events --after x
2	an empty --search	case-report --search ''
2	an unknown column	case-report -l -c colour
2	reporter without --pii	case-report -l -c reporter
2	an unknown group field	case-report -g colour
2	a bad place:N	case-report -g place:0
2	more than two group fields	case-report -g kind,status,lead
2	two of -l, --show and --events	case-report -l --events
2	-c without -l	case-report -c id
2	-F open311 without -l	case-report -F open311
2	--spreadsheet with --show	case-report --show --spreadsheet 1
2	-g with another mode	case-report -l -g kind
2	--bars with another mode	case-report -l --bars
2	--bars in a format other than text	case-report -g kind --bars -F csv
2	--after without --events	case-report -l --after 1
2	--exit-status without -l or --events	case-report --exit-status
2	--pii with statistics	case-report --pii
2	filters with --show	case-report --show -k request 1
2	case ids without --show	case-report -l 1
TABLE

done_testing
