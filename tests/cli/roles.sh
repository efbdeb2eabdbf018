#!/bin/sh
# Who may do what, and who read what (issue 15).  On both engines: reading
# personal data is journaled, one access event per case whose reporter or
# contact is shown, and nothing personal is shown when that record cannot
# be written.  On SQLite: roles are refused, honestly, and init --group
# shares a file with a Unix group (two Unix users, when run as root).  On
# a server: every role against every action through the binaries, the
# same visibility through psql logged in as each member, the journal's
# actor, a member removed while a command of theirs runs, a case moved
# between units, and hostile input through the new commands' options.
. "$TESTS/cli/lib.sh"

at 2026-03-01T09:00
case-admin unit add pcs-qianjin 前进派出所 --type police --place chaoyang/qianjin >/dev/null
case-admin unit add grid-g07 网格七 --type grid --parent pcs-qianjin >/dev/null
case-admin unit add med-cy 朝阳调解委员会 --type judicial >/dev/null
case-open -q -k dispute -c noise --reporter 张三 --contact 13800000001 \
	-l chaoyang/qianjin/g07 楼上噪音 >/dev/null   # 1
case-open -q -k hazard -c gas 楼道煤气味 >/dev/null      # 2: no personal data
case-open -q -k request -c lamp --reporter 李四 路灯不亮 >/dev/null  # 3
case-assign -q -u pcs-qianjin 1 2 >/dev/null
case-assign -q -u med-cy 3 >/dev/null
at 2026-05-01T08:00

# A command's stderr has exactly one line, equal to TEXT.
one_line() { # NAME TEXT
	if [ "$(wc -l <"$T/err")" -eq 1 ] && [ "$(cat "$T/err")" = "$2" ]; then
		ok "$1"
	else
		not_ok "$1 (expected one line: $2)"
		_show
	fi
}

# ---- reading personal data is journaled, on both engines --------------------

run case-report -l --pii -F csv -H -c id,reporter,contact
expect "--list --pii shows the personal data" 0 "1,张三,13800000001
2,,
3,李四," ""
check_sql "--list --pii: one access event per case with personal data, in order" \
"1|tester|access|assigned|0|personal data read by tester with case-report --list --pii
3|tester|access|assigned|0|personal data read by tester with case-report --list --pii" \
	"SELECT case_id, actor, action, status, level, detail FROM events WHERE action = 'access' ORDER BY id"
run case-report -l -F csv -H -c id,summary
check_sql "a listing without --pii writes nothing" "2" \
	"SELECT count(*) FROM events WHERE action = 'access'"
run case-report -l --pii -F csv -H -c id,summary
check_sql "--pii with no personal column shows none, and journals none" "2" \
	"SELECT count(*) FROM events WHERE action = 'access'"

run case-report --show --pii 3
check_rc 0 "--show --pii"
if grep -q '^reporter     李四$' "$T/out" &&
	grep -q "access.*personal data read by tester with case-report --show --pii" "$T/out"; then
	ok "--show --pii shows the reporter, and its own access event in the journal"
else
	not_ok "--show --pii shows the reporter, and its own access event in the journal"
	_show
fi
run case-report --events -F csv -H --after 6
expect "--events streams the access events" 0 \
"7,2026-05-01T00:00:00Z,1,tester,access,assigned,0,personal data read by tester with case-report --list --pii
8,2026-05-01T00:00:00Z,3,tester,access,assigned,0,personal data read by tester with case-report --list --pii
9,2026-05-01T00:00:00Z,3,tester,access,assigned,0,personal data read by tester with case-report --show --pii" ""
run case-report --show --pii -F csv 2
check_sql "--show --pii of a case without personal data, or in csv, journals nothing" "3" \
	"SELECT count(*) FROM events WHERE action = 'access'"

# Reading is no change: the list's updated_at and Open311's last step
# leave access events out, and the journal still ends in each case's
# state, as case-admin check wants.
run case-report -l -F csv -H -c id,updated_at
expect "updated_at is the last change, not the last reading" 0 \
"1,2026-03-01T01:00:00Z
2,2026-03-01T01:00:00Z
3,2026-03-01T01:00:00Z" ""
run case-report -l -F open311 --kind request
if grep -q '"status_notes":"assign: lead med-cy"' "$T/out" &&
	grep -q '"updated_datetime":"2026-03-01T01:00:00Z"' "$T/out"; then
	ok "Open311's status notes and update time leave readings out"
else
	not_ok "Open311's status notes and update time leave readings out"
	_show
fi
# case-admin check is not yet written for a server on this branch's base
# (its invariants use SQLite's iif and strftime; branch pgtests ports it).
if sqlite_only "case-admin check finds nothing in access events"; then
	run case-admin check
	expect "case-admin check finds nothing in access events" 0 "" ""
fi

at 2026-05-10T09:00
case-followup resolve -q -m 已修复 3 --visit-after 1d >/dev/null
run case-followup ics --pii
if [ "$rc" -eq 0 ] && grep -q "Reporter: 李四" "$T/out"; then
	ok "ics --pii shows the reporter"
else
	not_ok "ics --pii shows the reporter"
	_show
fi
check_sql "ics --pii journals the cases it shows" \
	"3|personal data read by tester with case-followup ics --pii" \
	"SELECT case_id, detail FROM events WHERE detail LIKE '%ics%'"
run case-followup ics
check_sql "ics without --pii journals nothing" "1" \
	"SELECT count(*) FROM events WHERE detail LIKE '%ics%'"

# When the record cannot be written, nothing personal is shown.
if [ "$BACKEND" = pg ]; then
	sql "CREATE FUNCTION no_access() RETURNS trigger LANGUAGE plpgsql AS
		\$\$BEGIN RAISE EXCEPTION 'the journal is full'; END\$\$;
	     CREATE TRIGGER no_access BEFORE INSERT ON events FOR EACH ROW
		WHEN (new.action = 'access') EXECUTE FUNCTION no_access()" >/dev/null
else
	sql "CREATE TRIGGER no_access BEFORE INSERT ON events
		WHEN new.action = 'access' BEGIN
		SELECT RAISE(ABORT, 'the journal is full'); END"
fi
snapshot
for cmd in "case-report -l --pii" "case-report --show --pii 1" "case-followup ics --pii"; do
	run $cmd
	if [ "$rc" -eq 1 ] && [ ! -s "$T/out" ] &&
		grep -q "cannot record who reads personal data, so none is shown: .*the journal is full" "$T/err"; then
		ok "${cmd% *}: an access record that cannot be written shows nothing"
	else
		not_ok "${cmd% *}: an access record that cannot be written shows nothing"
		_show
	fi
done
check_unchanged "the refused readings changed nothing"
sql "DROP TRIGGER no_access$([ "$BACKEND" = pg ] && echo ' ON events'); $([ "$BACKEND" = pg ] && echo 'DROP FUNCTION no_access()')" >/dev/null
at 2026-05-01T08:00

# ---- SQLite: the file's permissions are the boundary ---------------------------

if [ "$BACKEND" != pg ]; then
	snapshot
	run case-admin member add zhang --role unit --unit pcs-qianjin
	expect "member add on SQLite is refused" 1 "" \
"case-admin: roles need a PostgreSQL server: on an SQLite file, the file's permissions decide who may read and write it (see 'case-admin init --group')"
	run case-admin member list
	expect "member list on SQLite is refused" 1 "" \
"case-admin: roles need a PostgreSQL server: on an SQLite file, the file's permissions decide who may read and write it (see 'case-admin init --group')"
	run case-admin member remove zhang
	expect "member remove on SQLite is refused" 1 "" \
"case-admin: roles need a PostgreSQL server: on an SQLite file, the file's permissions decide who may read and write it (see 'case-admin init --group')"
	check_unchanged "the refused member commands changed nothing"

	# init --group: a folder of the group's, setgid, and files it may
	# read and write.
	GRP=$(id -gn)
	SH=$T/shared
	run case-admin --db "$SH/cases.db" init --group "$GRP"
	expect "init --group" 0 "" \
"case-admin: created $SH/cases.db (schema 10)
case-admin: $SH/cases.db is shared by group $GRP: its folder $SH is setgid and 2770, its files 0660"
	check_out_stat() { # NAME WANT FILE [FORMAT]
		_got=$(stat -c "${4:-%a %G}" "$3" 2>&1)
		if [ "$_got" = "$2" ]; then ok "$1"; else
			not_ok "$1 (got $_got, expected $2)"
		fi
	}
	check_out_stat "the folder is setgid and 2770 for the group" "2770 $GRP" "$SH"
	check_out_stat "the database is 0660 for the group" "660 $GRP" "$SH/cases.db"
	# SQLite makes its -wal and -shm files while a writer works: hold a
	# write open on a fifo to see them.
	mkfifo "$T/fifo"
	case-open --db "$SH/cases.db" -q -f "$T/fifo" >/dev/null 2>&1 &
	pid=$!
	exec 7>"$T/fifo"
	printf 'kind,summary\nrequest,一\n' >&7
	sleep 0.5
	check_out_stat "the -wal file is 0660 for the group" "660 $GRP" "$SH/cases.db-wal"
	check_out_stat "the -shm file is 0660 for the group" "660 $GRP" "$SH/cases.db-shm"
	exec 7>&-
	wait "$pid"
	run case-admin --db "$SH/cases.db" init --group "$GRP"
	check_rc 0 "init --group again on the shared database"
	run case-admin --db "$T/cases.db" init --group "$GRP"
	expect "init --group in a folder that is not the group's" 1 "" \
"case-admin: $T exists but is not a folder of group $GRP with mode 2770 and setgid; give a new folder, or run: chgrp $GRP $T && chmod 2770 $T"
	usage_error "init --group with an unknown group" \
		"case-admin: --group: no group 'no-such-group' on this machine (see getent group)" \
		case-admin --db "$T/x/cases.db" init --group no-such-group
	usage_error "init --group with a hostile group" \
		"case-admin: --group: no group '\$(id)\\x0a' on this machine (see getent group)" \
		case-admin --db "$T/x/cases.db" init --group '$(id)
'
	if [ -e "$T/x" ]; then not_ok "a refused --group makes no folder"; else
		ok "a refused --group makes no folder"; fi
	usage_error "--group goes with init" "case-admin: --group goes with 'init'" \
		case-admin unit list --group "$GRP"
	usage_error "--group on a server" \
		"case-admin: --group shares an SQLite file; on a server, members have roles (see 'case-admin member')" \
		case-admin --db "postgresql:///x?host=/nonexistent" init --group "$GRP"

	# Two Unix users of the group share the file; a third, outside it,
	# may not even read it.  The actor is each one's login name.
	if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
		G=$(getent group users | cut -d: -f3)
		SH2=$T/district
		case-admin -q --db "$SH2/cases.db" init --group users
		chmod 711 "$T"
		as_uid() { # UID GROUP CMD...
			_u=$1 _g=$2
			shift 2
			setpriv --reuid="$_u" --regid="$_u" --groups="$_g" -- \
				env -u CASE_ACTOR HOME=/nonexistent "$@"
		}
		as_uid 60001 "$G" case-open --db "$SH2/cases.db" -k request 一号的案件 >"$T/out" 2>"$T/err"
		rc=$?
		expect "the first user of the group opens a case" 0 "1" ""
		# The first user's reader holds the database open (and so its
		# -wal and -shm files, which it made) while the second writes.
		mkfifo "$T/ids"
		as_uid 60001 "$G" case-report --db "$SH2/cases.db" --show >/dev/null 2>&1 <"$T/ids" &
		pid=$!
		exec 7>"$T/ids"
		sleep 0.5
		check_out_stat "the first user's -shm file is 0660 for the group" \
			"660 users 60001" "$SH2/cases.db-shm" '%a %G %u'
		as_uid 60002 "$G" case-followup --db "$SH2/cases.db" note -m 二号的记录 1 >"$T/out" 2>"$T/err"
		rc=$?
		expect "the second user writes to it meanwhile" 0 "1" ""
		check_out_stat "the -wal file is 0660 for the group" \
			"660 users" "$SH2/cases.db-wal"
		exec 7>&-
		wait "$pid"
		as_uid 60002 "$G" case-report --db "$SH2/cases.db" --events -F csv -H -c id >/dev/null 2>&1
		check_sql_file() { _want=$2; _got=$(sqlite3 -batch "$3" "$4" 2>&1)
			if [ "$_got" = "$_want" ]; then ok "$1"; else not_ok "$1 (got $_got)"; fi; }
		check_sql_file "the journal's actor is each one's login name" \
			"uid60001|open
uid60002|note" "$SH2/cases.db" "SELECT actor, action FROM events ORDER BY id"
		as_uid 60003 60003 case-report --db "$SH2/cases.db" -l >"$T/out" 2>"$T/err"
		rc=$?
		if [ "$rc" -eq 1 ] && [ ! -s "$T/out" ] && [ -s "$T/err" ]; then
			ok "a user outside the group cannot read it"
		else
			not_ok "a user outside the group cannot read it"
			_show
		fi
	else
		skip "two Unix users sharing a file need root and setpriv"
	fi
	done_testing
fi

# ---- a server: members and their roles ------------------------------------------

PGSOCK=$T/pg
as() { # LOGIN CMD...: run CMD logged in as LOGIN, as the member would
	_u=$1
	shift
	env -u CASE_ACTOR CASE_DB="postgresql:///cases?host=$PGSOCK&user=$_u" "$@"
}
psql_as() { # LOGIN SQL: psql logged in as LOGIN, in the case schema
	psql -X -q -A -t -v ON_ERROR_STOP=1 \
		-d "postgresql:///cases?host=$PGSOCK&user=$1" \
		-c "SET search_path = case_tools" -c "$2"
}

# Members: an admin, the centre, two units' members (one above a grid),
# a supervisor of one unit and one of the whole district, an analyst.
for m in "wang admin" "li centre" "zhang unit pcs-qianjin" "zhao unit med-cy" \
	"sun supervisor med-cy" "zhou supervisor" "ana analyst"; do
	set -- $m
	login=$1 role=$2
	run case-admin member add "$login" --role "$role" ${3:+--unit "$3"}
	if [ "$rc" -eq 0 ] && [ ! -s "$T/out" ] && grep -q "login $login did not exist and was made without a password (NOLOGIN)" "$T/err"; then
		ok "member add $login --role $role"
	else
		not_ok "member add $login --role $role"
		_show
	fi
	sql "ALTER ROLE \"$login\" LOGIN" >/dev/null
done
run case-admin member list -F csv
expect "member list" 0 "login,role,units,can_login
ana,analyst,,yes
li,centre,,yes
sun,supervisor,med-cy,yes
wang,admin,,yes
zhang,unit,pcs-qianjin,yes
zhao,unit,med-cy,yes
zhou,supervisor,,yes" ""
run case-admin member add zhang --role unit --unit pcs-qianjin
expect "member add of an existing member says nothing" 0 "" ""
check_sql "the login holds its role's group and no other" "case_unit" \
	"SELECT string_agg(b.rolname, ',') FROM pg_auth_members m JOIN pg_roles a ON a.oid = m.member JOIN pg_roles b ON b.oid = m.roleid WHERE a.rolname = 'zhang'"

# A login that is no member is refused at once.
sql "CREATE ROLE stranger LOGIN" >/dev/null
run as stranger case-report -l
expect "a login that is not a member is refused" 1 "" \
"case-report: login stranger is not a member of postgresql:///cases?host=$PGSOCK&user=stranger (an admin adds it with 'case-admin member add stranger --role ROLE')"

# init sets up the roles, which needs CREATEROLE; the group roles belong
# to the cluster, and a second database of it shares them.
sql "CREATE ROLE plain LOGIN" >/dev/null
sql "CREATE DATABASE other OWNER plain" >/dev/null
run case-admin --db "postgresql:///other?host=$PGSOCK&user=plain" init
expect "init without CREATEROLE says who must run it" 1 "" \
"case-admin: postgresql:///other?host=$PGSOCK&user=plain: setting up the roles of members needs a login with CREATEROLE: run 'case-admin init' as the database's administrator"
if [ "$(psql -X -A -t -d "postgresql:///other?host=$PGSOCK&user=case" \
	-c "SELECT count(*) FROM pg_namespace WHERE nspname = 'case_tools'")" = 0 ]; then
	ok "and leaves no schema behind"
else
	not_ok "and leaves no schema behind"
fi
run case-admin --db "postgresql:///other?host=$PGSOCK&user=case" init
expect "init of a second database of the cluster shares the group roles" 0 "" \
"case-admin: created postgresql:///other?host=$PGSOCK&user=case (schema 10)"
# A centre member's import into that empty database: only the schema's
# owner may drop and make again the trigram index, so the member's rows go
# through the index as it stands, which is the same index afterwards.
OTHER="postgresql:///other?host=$PGSOCK&user=case"
case-admin -q --db "$OTHER" member add wu --role centre
sql "ALTER ROLE wu LOGIN" >/dev/null
other_index() { psql -X -A -t -d "$OTHER" -c "SELECT 'case_tools.cases_search'::regclass::oid"; }
before=$(other_index)
printf 'kind,summary\nrequest,楼道堆物\nhazard,井盖缺失\n' >"$T/two.csv"
run env -u CASE_ACTOR CASE_DB="postgresql:///other?host=$PGSOCK&user=wu" \
	case-open -q -f "$T/two.csv"
expect "a centre member imports into an empty database" 0 "1
2" ""
if [ "$(other_index)" = "$before" ]; then
	ok "the member's import keeps the trigram index it found"
else
	not_ok "the member's import keeps the trigram index it found"
fi

# ---- every role against every action --------------------------------------------

# Each role acts on cases of its own, made here by the schema's owner:
# ASG open, NOTE, RES and CAN assigned to the role's unit, VIS resolved.
fresh() { # UNIT: sets ASG NOTE RES VIS CAN
	ASG=$(case-open -k request "待分派 $1")
	NOTE=$(case-open -k request --reporter 王五 "待记录 $1")
	RES=$(case-open -k request "待办结 $1")
	VIS=$(case-open -k request "待回访 $1")
	CAN=$(case-open -k request "待撤销 $1")
	case-assign -q -u "$1" "$NOTE" "$RES" "$VIS" "$CAN" >/dev/null
	case-followup resolve -q -m done "$VIS" >/dev/null
}

# The first line a refused action prints, for a role (empty: allowed).
refusal() { # ROLE LOGIN ACTION PROGRAM CASE
	_analyst="$4: login $2 is an analyst, and analysts only read"
	_admin="$4: login $2 has role $1, and only an admin manages units, supervisors, policy and members"
	case $1:$3 in
	admin:* | *:list | *:show | *:statistics) ;;
	centre:unit\ add | centre:policy | centre:member\ add) echo "$_admin" ;;
	centre:*) ;;
	unit:assign) echo "$4: case $5: login $2 is a unit member, and only the centre assigns and escalates cases" ;;
	unit:escalate) echo "$4: login $2 is a unit member, and only the centre assigns and escalates cases" ;;
	unit:unit\ add | unit:policy | unit:member\ add) echo "$_admin" ;;
	unit:*) ;;
	supervisor:note | supervisor:pii) ;;
	supervisor:open | supervisor:escalate) echo "$4: login $2 is a supervisor, and supervisors only add notes" ;;
	supervisor:unit\ add | supervisor:policy | supervisor:member\ add) echo "$_admin" ;;
	supervisor:*) echo "$4: case $5: login $2 is a supervisor, and supervisors only add notes" ;;
	analyst:pii) echo "$4: --pii: login $2 is an analyst, and analysts never see personal data (reporter, contact, exact coordinates)" ;;
	analyst:*) echo "$_analyst" ;;
	esac
}

# matrix ROLE LOGIN UNIT: every action of the issue, allowed or refused
# (exit 1, its first line, nothing changed) as the role table says, on
# cases of the role's own, made here by the schema's owner: ASG open,
# NOTE, RES and CAN assigned to UNIT, VIS resolved.
matrix() {
	_role=$1 _login=$2
	ASG=$(case-open -k request "待分派 $3")
	NOTE=$(case-open -k request --reporter 王五 "待记录 $3")
	RES=$(case-open -k request "待办结 $3")
	VIS=$(case-open -k request "待回访 $3")
	CAN=$(case-open -k request "待撤销 $3")
	case-assign -q -u "$3" "$NOTE" "$RES" "$VIS" "$CAN" >/dev/null
	case-followup resolve -q -m done "$VIS" >/dev/null
	while IFS='|' read -r _act _case _cmd; do
		_msg=$(refusal "$_role" "$_login" "$_act" "${_cmd%% *}" "$_case")
		snapshot
		run as "$_login" $_cmd
		if [ -z "$_msg" ] && [ "$rc" -eq 0 ]; then
			ok "$_role: $_act is allowed"
		elif [ -n "$_msg" ] && [ "$rc" -eq 1 ] && [ ! -s "$T/out" ] &&
			[ "$(sed -n 1p "$T/err")" = "$_msg" ]; then
			ok "$_role: $_act is refused"
			check_unchanged "$_role: the refused $_act changed nothing"
		else
			not_ok "$_role: $_act (expected ${_msg:-success})"
			_show
		fi
	done <<EOF
open||case-open -k request 新案件
assign|$ASG|case-assign -u med-cy $ASG
escalate||case-assign --escalate
note|$NOTE|case-followup note -m 督办意见 $NOTE
resolve|$RES|case-followup resolve -m 已办结 $RES
visit|$VIS|case-followup visit -o satisfied $VIS
cancel|$CAN|case-followup cancel -m 重复 $CAN
list||case-report -l
show||case-report --show $NOTE
pii||case-report -l --pii
statistics||case-report --group lead
unit add||case-admin unit add new-$_role 新单位
policy||case-admin policy due.low 16d
member add||case-admin member add newbie-$_role --role analyst
EOF
}

# Overdue cases, for the escalation to raise.
at 2026-04-01T09:00
case-open -q -k hazard -p urgent 消防通道堵塞 >/dev/null
at 2026-05-01T08:00
matrix admin wang med-cy
matrix centre li med-cy
matrix unit zhang pcs-qianjin
matrix supervisor sun med-cy
matrix analyst ana med-cy


# ---- a case another unit leads: refused by name ---------------------------------

# Q is pcs-qianjin's, G its grid's (a unit below it), M med-cy's.
Q=$(case-open -k dispute --reporter 赵六 --contact 13900000002 前进的案件)
G=$(case-open -k request --reporter 钱七 网格的案件)
M=$(case-open -k dispute --reporter 孙八 --contact 13900000003 调解的案件)
case-assign -q -u pcs-qianjin "$Q" >/dev/null
case-assign -q -u grid-g07 "$G" >/dev/null
case-assign -q -u med-cy "$M" >/dev/null
for cmd in "case-followup resolve -m 已办结 $M" "case-followup note -m 记录 $M" \
	"case-followup cancel -m 重复 $M" "case-report --show $M"; do
	snapshot
	run as zhang $cmd
	if [ "$rc" -eq 1 ] && [ ! -s "$T/out" ] &&
		[ "$(sed -n 1p "$T/err")" = "${cmd%% *}: case $M is not assigned to your units (pcs-qianjin)" ]; then
		ok "unit: ${cmd#* } of another unit's case is refused by name"
	else
		not_ok "unit: ${cmd#* } of another unit's case is refused by name"
		_show
	fi
	check_unchanged "unit: the refused ${cmd#* } changed nothing"
done
run as zhang case-followup note -m 记录 99999
expect "unit: a case that does not exist is no such case" 1 "" \
"case-followup: case 99999: no such case
case-followup: 1 of 1 case failed; nothing changed (--skip-bad applies the rest)"
run as zhang case-followup note -m 网格的记录 "$G"
expect "unit: a case of a unit below its own is its to work" 0 "$G" ""
run as sun case-followup resolve -m 已办结 "$M"
one_line_first() { # NAME TEXT: the first line of stderr is TEXT, exit 1
	if [ "$rc" -eq 1 ] && [ "$(sed -n 1p "$T/err")" = "$2" ]; then ok "$1"; else
		not_ok "$1 (expected exit 1 and: $2)"
		_show
	fi
}
one_line_first "supervisor: resolving is refused, supervisors add notes" \
	"case-followup: case $M: login sun is a supervisor, and supervisors only add notes"

# ---- listings cover what the member may see ---------------------------------------

run as zhang case-report -l -F csv -H -c id,lead --search 的案件
expect "unit: the list holds its units' cases and those below them" 0 "$Q,pcs-qianjin
$G,grid-g07" ""
run as zhao case-report -l -F csv -H -c id,lead --search 的案件
expect "another unit's list holds its own" 0 "$M,med-cy" ""
run as zhou case-report -l -F csv -H -c id --search 的案件
expect "supervisor without a unit: every case" 0 "$Q
$G
$M" ""
run as ana case-report -F csv -H -g lead --search 的案件
expect "analyst: statistics of every case" 0 "$(case-report -F csv -H -g lead --search 的案件)" ""
run as zhang case-report -F csv -H -g lead --search 的案件
expect "unit: statistics of its own cases only" 0 \
	"$(case-report -F csv -H -g lead --search 的案件 | grep -v '^med-cy,')" ""

# Personal data only where one of the member's own units leads: not where
# a unit below them does, nor where they only support.
run as zhang case-report -l --pii -F csv -H -c id,reporter,contact --search 的案件
expect "unit --pii: its own units' reporters and contacts" 0 "$Q,赵六,13900000002
$G,," ""
run as sun case-report -l --pii -F csv -H -c id,reporter --search 的案件
expect "supervisor --pii: where one of its units leads" 0 "$M,孙八" ""
check_sql "the readings journal the reader's login, for the cases shown" "zhang|$Q
sun|$M" \
	"SELECT actor, case_id FROM events WHERE action = 'access' AND actor IN ('zhang', 'sun') AND case_id >= $Q ORDER BY id"

# ---- the same visibility through psql, logged in as each member ---------------------

psql_check() { # NAME LOGIN SQL WANT
	_got=$(psql_as "$2" "$3" 2>&1)
	if [ "$_got" = "$4" ]; then ok "$1"; else
		not_ok "$1 (got: $_got; expected: $4)"
	fi
}
psql_refused() { # NAME LOGIN SQL: an error, and no row
	if _got=$(psql_as "$2" "$3" 2>&1); then
		not_ok "$1 (psql succeeded: $_got)"
	elif echo "$_got" | grep -q "^ERROR:  permission denied\|^ERROR:  new row violates row-level security\|^ERROR:  the actor must be"; then
		ok "$1"
	else
		not_ok "$1 (got: $_got)"
	fi
}
psql_check "psql as a unit member: another unit's case is no row" zhang \
	"SELECT count(*) FROM cases WHERE id = $M" 0
psql_check "psql as a unit member: nor its journal, visits or assignments" zhang \
	"SELECT (SELECT count(*) FROM events WHERE case_id = $M) + (SELECT count(*) FROM assignments WHERE case_id = $M) + (SELECT count(*) FROM visits WHERE case_id = $M)" 0
psql_check "psql as a unit member: its own case and the grid's below" zhang \
	"SELECT id FROM cases WHERE id IN ($Q, $G, $M) ORDER BY id" "$Q
$G"
psql_check "psql as a unit member: personal data where its unit leads" zhang \
	"SELECT id || '|' || coalesce(reporter, '') FROM case_pii WHERE id IN ($Q, $G, $M) ORDER BY id" "$Q|赵六"
psql_refused "psql as a unit member: contact from the cases table is refused" zhang \
	"SELECT contact FROM cases WHERE id = $Q"
psql_check "psql as a supervisor of med-cy: pcs-qianjin's case is no row" sun \
	"SELECT count(*) FROM cases WHERE id = $Q" 0
psql_refused "psql as an analyst: SELECT contact is refused" ana \
	"SELECT contact FROM cases"
psql_refused "psql as an analyst: the personal data view is refused" ana \
	"SELECT * FROM case_pii"
psql_refused "psql as an analyst: writing is refused" ana \
	"UPDATE cases SET status = 'closed' WHERE id = $Q"
psql_check "psql as an analyst: every case" ana \
	"SELECT count(*) FROM cases WHERE id IN ($Q, $G, $M)" 3
psql_check "psql as a unit member: updating another unit's case changes no row" zhang \
	"UPDATE cases SET status = 'cancelled' WHERE id = $M RETURNING id" ""
psql_refused "psql as a supervisor: a journal event other than a note is refused" sun \
	"INSERT INTO events(case_id, at, actor, action, status, level) VALUES ($M, 0, 'sun', 'resolve', 'resolved', 0)"
psql_refused "psql as a unit member: a journal event on another unit's case is refused" zhang \
	"INSERT INTO events(case_id, at, actor, action, status, level) VALUES ($M, 0, 'zhang', 'note', 'assigned', 0)"
for login in wang li zhang sun zhou ana; do
	snapshot
	psql_refused "psql as $login: UPDATE on the journal is refused" "$login" \
		"UPDATE events SET detail = 'rewritten'"
	psql_refused "psql as $login: DELETE on the journal is refused" "$login" \
		"DELETE FROM events"
	check_unchanged "psql as $login: the journal is as it was"
done

# ---- who did what -----------------------------------------------------------------

snapshot
run env CASE_ACTOR=someone CASE_DB="postgresql:///cases?host=$PGSOCK&user=zhang" \
	case-followup note -m 冒名 "$Q"
expect "a forged CASE_ACTOR from a unit member is refused" 1 "" \
"case-followup: CASE_ACTOR: on a server the journal names the login that did the work (zhang); only an admin may name another actor, for backfills"
run as zhang case-followup --actor someone note -m 冒名 "$Q"
expect "a forged --actor from a unit member is refused" 1 "" \
"case-followup: --actor: on a server the journal names the login that did the work (zhang); only an admin may name another actor, for backfills"
check_unchanged "the forged actors changed nothing"
psql_refused "psql as a unit member: a journal event with a forged actor is refused" zhang \
	"INSERT INTO events(case_id, at, actor, action, status, level) VALUES ($Q, 0, 'someone', 'note', 'assigned', 0)"
# The actor is checked once per statement: one forged row among true ones
# refuses them all, with the actor's own message; an admin's backfill
# names both.
snapshot
_got=$(psql_as zhang "INSERT INTO events(case_id, at, actor, action, status, level) VALUES ($Q, 0, 'zhang', 'note', 'assigned', 0), ($Q, 0, 'someone', 'note', 'assigned', 0), ($Q, 0, 'zhang', 'note', 'assigned', 0)" 2>&1)
if [ "$(echo "$_got" | head -n 1)" = "ERROR:  the actor must be the login zhang" ]; then
	ok "psql: one forged actor among three rows refuses the statement"
else
	not_ok "psql: one forged actor among three rows refuses the statement (got: $_got)"
fi
check_unchanged "psql: none of the three rows was written"
psql_check "psql as an admin: a backfill's actor names the admin" wang \
	"INSERT INTO events(case_id, at, actor, action, status, level) VALUES ($Q, 0, 'clerk (by admin wang)', 'note', 'assigned', 0) RETURNING actor" \
	"clerk (by admin wang)"
psql_refused "psql as an admin: any other actor is refused" wang \
	"INSERT INTO events(case_id, at, actor, action, status, level) VALUES ($Q, 0, 'clerk', 'note', 'assigned', 0)"
run as zhang case-followup note -m 真名 "$Q"
check_sql "the journal shows the true login" "zhang" \
	"SELECT actor FROM events WHERE case_id = $Q AND detail = '真名'"
run env CASE_ACTOR=clerk CASE_DB="postgresql:///cases?host=$PGSOCK&user=wang" \
	case-followup note -m 补录 "$Q"
check_sql "an admin's backfill names both" "clerk (by admin wang)" \
	"SELECT actor FROM events WHERE case_id = $Q AND detail = '补录'"

# ---- a member removed while a command of theirs runs ----------------------------

mkfifo "$T/slow"
# The server may still be ending the session of zhang's last command,
# which would pass for this one's below.
for i in 1 2 3 4 5 6 7 8 9 10; do
	[ "$(sql "SELECT count(*) FROM pg_stat_activity WHERE usename = 'zhang'")" -eq 0 ] && break
	sleep 0.3
done
as zhang case-followup note -m 迟到的记录 <"$T/slow" >"$T/out2" 2>"$T/err2" &
pid=$!
exec 8>"$T/slow"
# The command has opened the database and waits for its ids.
for i in 1 2 3 4 5 6 7 8 9 10; do
	[ "$(sql "SELECT count(*) FROM pg_stat_activity WHERE usename = 'zhang'")" -ge 1 ] && break
	sleep 0.3
done
case-admin -q member remove zhang
echo "$Q" >&8
exec 8>&-
wait "$pid"
rc=$?
if [ "$rc" -eq 1 ] && [ ! -s "$T/out2" ] &&
	grep -q "^case-followup: login zhang is no longer a member with role unit" "$T/err2"; then
	ok "a member removed while their command runs is refused on its next step"
else
	not_ok "a member removed while their command runs is refused on its next step"
	cat "$T/err2" | sed 's/^/# /'
fi
check_sql "nothing was written for the removed member" 0 \
	"SELECT count(*) FROM events WHERE detail = '迟到的记录'"
run as zhang case-report -l
expect "a removed member is refused on the next command" 1 "" \
"case-report: login zhang is not a member of postgresql:///cases?host=$PGSOCK&user=zhang (an admin adds it with 'case-admin member add zhang --role ROLE')"
check_sql "remove takes the group away, and leaves the login" "0|1" \
	"SELECT (SELECT count(*) FROM members WHERE login = 'zhang'), (SELECT count(*) FROM pg_roles WHERE rolname = 'zhang')"
run case-admin member remove zhang
expect "removing a login that is not a member" 1 "" \
"case-admin: login zhang is not a member (see 'case-admin member list')"
case-admin -q member add zhang --role unit --unit pcs-qianjin

# ---- a case moved from one unit to another ------------------------------------------

run as li case-assign -u med-cy "$Q"
check_rc 0 "the centre moves a case to another unit"
run as zhang case-report -l -F csv -H -c id --search 的案件
expect "the moved case leaves the first unit's list" 0 "$G" ""
run as zhao case-report -l -F csv -H -c id --search 的案件
expect "and appears in the second's" 0 "$Q
$M" ""
psql_check "psql: the moved case is no row for the first unit" zhang \
	"SELECT count(*) FROM cases WHERE id = $Q" 0

# ---- members: the command's own input ------------------------------------------------

snapshot
sql "SELECT login, role FROM members ORDER BY 1" >"$T/members"
usage_error "member add without --role" \
	"case-admin: member add: --role is required (admin, centre, unit, supervisor or analyst)" \
	case-admin member add qian
usage_error "member add: a misspelt role" \
	"case-admin: member add: --role: unknown role 'centr' (did you mean 'centre'?)" \
	case-admin member add qian --role centr
usage_error "member add: a unit member without a unit" \
	"case-admin: member add: a unit member needs a unit: give --unit CODE (one or more)" \
	case-admin member add qian --role unit
usage_error "member add: an analyst with a unit" \
	"case-admin: member add: --unit goes with roles unit and supervisor; role analyst covers every case" \
	case-admin member add qian --role analyst --unit med-cy
run case-admin member add qian --role unit --unit pcs-qianji
expect "member add: a misspelt unit" 1 "" \
"case-admin: --unit: unknown unit 'pcs-qianji' (did you mean 'pcs-qianjin'?)"
# refused NAME RC PATTERN: the command just run exited RC (or any failure
# for "fail"), printed nothing, and its first line on stderr matches.
refused() {
	if { [ "$2" = fail ] && [ "$rc" -ne 0 ] || [ "$rc" = "$2" ]; } &&
		[ ! -s "$T/out" ] && sed -n 1p "$T/err" | grep -q -- "$3"; then
		ok "$1"
	else
		not_ok "$1"
		_show
	fi
}
printable() { printf %s "$1" | head -c 20 | tr '\n' ' '; }
for bad in "'; DROP TABLE cases; --" '$(id)' 'a"b' "$(printf 'x\ny')" "" \
	pg_monitor case_owner public \
	aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa; do
	run case-admin member add "$bad" --role analyst
	refused "member add refuses the login $(printable "$bad")" 2 \
		"^case-admin: member add: bad login '.*' (expected up to 63 ASCII letters"
	run case-admin member remove "$bad"
	refused "member remove refuses the login $(printable "$bad")" fail "bad login"
done
for bad in "'; DROP TABLE cases; --" '$(id)' "$(printf 'unit\n')admin" ""; do
	run case-admin member add qian --role "$bad"
	refused "member add refuses the role $(printable "$bad")" 2 \
		"^case-admin: member add: --role: unknown role"
	run case-admin member add qian --role unit --unit "$bad"
	refused "member add refuses the unit $(printable "$bad")" fail "--unit"
done
sql "CREATE ROLE boss SUPERUSER" >/dev/null
run case-admin member add boss --role analyst
if [ "$rc" -eq 1 ] && grep -q "superuser or owns the schema" "$T/err"; then
	ok "member add refuses a superuser, whom row-level security does not bind"
else
	not_ok "member add refuses a superuser, whom row-level security does not bind"
	_show
fi
check_unchanged "the refused member commands changed no case"
check_sql "nor any member" "$(cat "$T/members")" "SELECT login, role FROM members ORDER BY 1"
check_sql "and made no login" 0 \
	"SELECT count(*) FROM pg_roles WHERE rolname IN ('qian', 'x
y', 'a\"b')"

# ---- coordinates are personal data on the server too (issue 18) --------------------

# K1 is pcs-qianjin's, K2 med-cy's, K3 the grid's below pcs-qianjin (zhang
# sees it, but may not read its personal data), K4 has no coordinates.
# The values round up (31.2345), down to no sign (-0.0004), and away from
# zero below it (-12.3455).
K1=$(case-open -k dispute --reporter 周九 --lat 31.2345 --lon -0.0004 坐标甲)
K2=$(case-open -k request --lat -12.3455 --lon 121.47351 坐标乙)
K3=$(case-open -k request --lat 39.9042 --lon 116.4074 坐标丙)
K4=$(case-open -k request 坐标丁)
case-assign -q -u pcs-qianjin "$K1" "$K4" >/dev/null
case-assign -q -u med-cy "$K2" >/dev/null
case-assign -q -u grid-g07 "$K3" >/dev/null

psql_refused "psql as an analyst: lat from the cases table is refused" ana \
	"SELECT lat FROM case_tools.cases"
psql_refused "psql as an analyst: lon from the cases table is refused" ana \
	"SELECT lon FROM case_tools.cases WHERE id = $K2"
psql_refused "psql as a unit member: lat of another unit's case is refused" zhang \
	"SELECT lat FROM case_tools.cases WHERE id = $K2"
psql_refused "psql as a unit member: lat of its own unit's case is refused too" zhang \
	"SELECT lat, lon FROM case_tools.cases WHERE id = $K1"
psql_check "psql as the centre: exact coordinates through case_pii" li \
	"SELECT id || '|' || lat || '|' || lon FROM case_pii WHERE id IN ($K1, $K2) ORDER BY id" \
	"$K1|31.2345|-0.0004
$K2|-12.3455|121.47351"
psql_check "psql as a unit member: exact ones where its unit leads, through case_pii" zhang \
	"SELECT id || '|' || lat || '|' || lon FROM case_pii WHERE id IN ($K1, $K2, $K3) ORDER BY id" \
	"$K1|31.2345|-0.0004"
psql_refused "psql as an analyst: case_pii is refused" ana \
	"SELECT lat FROM case_pii"
psql_check "psql as an analyst: case_coarse rounds to 3 decimals" ana \
	"SELECT id || '|' || coalesce(lat, '-') || '|' || coalesce(lon, '-') FROM case_coarse WHERE id IN ($K1, $K2, $K3, $K4) ORDER BY id" \
	"$K1|31.235|0.000
$K2|-12.346|121.474
$K3|39.904|116.407
$K4|-|-"
psql_check "psql as a unit member: case_coarse has its cases, not another unit's" zhang \
	"SELECT id || '|' || lat || '|' || lon FROM case_coarse WHERE id IN ($K1, $K2, $K3) ORDER BY id" \
	"$K1|31.235|0.000
$K3|39.904|116.407"
for login in li zhang zhao sun zhou ana; do
	psql_check "psql as $login: case_coarse covers exactly the cases it sees" "$login" \
		"SELECT (SELECT string_agg(id::text, ',' ORDER BY id) FROM case_coarse) IS NOT DISTINCT FROM (SELECT string_agg(id::text, ',' ORDER BY id) FROM cases)" t
done

# The tools round as the views do: the same map as an SQLite copy of the
# same data draws, from the C rounding of the exact values.
case-admin -q copy "$T/copy.db"
for who in "ana 坐标" "zhang 坐标甲" "zhou 坐标" "li 坐标"; do
	set -- $who
	run as "$1" case-report -l -F geojson --coarse -c id,summary --search "$2"
	cp "$T/out" "$T/pg.geojson"
	cp "$T/err" "$T/pg.err"
	run case-report --db "$T/copy.db" -l -F geojson --coarse -c id,summary --search "$2"
	if [ "$rc" -eq 0 ] && cmp -s "$T/out" "$T/pg.geojson" && cmp -s "$T/err" "$T/pg.err"; then
		ok "--coarse as $1: the map an SQLite copy draws"
	else
		not_ok "--coarse as $1: the map an SQLite copy draws"
		diff "$T/pg.geojson" "$T/out" | sed 's/^/# /'
		diff "$T/pg.err" "$T/err" | sed 's/^/# /'
	fi
done
run as ana case-report -l -F geojson --coarse -c id --search 坐标
expect "--coarse as an analyst: rounded, up, down and away from zero" 0 \
"{\"type\":\"FeatureCollection\",\"features\":[
{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[0.000,31.235]},\"properties\":{\"id\":$K1}},
{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[121.474,-12.346]},\"properties\":{\"id\":$K2}},
{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[116.407,39.904]},\"properties\":{\"id\":$K3}}
]}" "case-report: 1 case without coordinates is left out of the map"
run as zhang case-report -l -F geojson --coarse -c id --search 坐标
expect "--coarse as a unit member: its own cases, rounded" 0 \
"{\"type\":\"FeatureCollection\",\"features\":[
{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[0.000,31.235]},\"properties\":{\"id\":$K1}},
{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[116.407,39.904]},\"properties\":{\"id\":$K3}}
]}" "case-report: 1 case without coordinates is left out of the map"

# Exact ones follow the rule of reporter and contact.
snapshot
run as ana case-report -l -F geojson --pii -c id --search 坐标
expect "--pii map as an analyst is refused" 1 "" \
"case-report: --pii: login ana is an analyst, and analysts never see personal data (reporter, contact, exact coordinates)"
run as ana case-report -l -F open311 --pii --search 坐标
expect "--pii Open311 as an analyst is refused" 1 "" \
"case-report: --pii: login ana is an analyst, and analysts never see personal data (reporter, contact, exact coordinates)"
check_unchanged "the refused readings changed nothing"
run as li case-report -l -F geojson --pii -c id --search 坐标
cp "$T/out" "$T/pg.geojson"
run case-report --db "$T/copy.db" -l -F geojson --pii -c id --search 坐标
if [ "$rc" -eq 0 ] && cmp -s "$T/out" "$T/pg.geojson" && grep -q '\[-0.0004,31.2345\]' "$T/out"; then
	ok "--pii map as the centre: exact, as an SQLite copy draws it"
else
	not_ok "--pii map as the centre: exact, as an SQLite copy draws it"
	diff "$T/pg.geojson" "$T/out" | sed 's/^/# /'
fi
run as zhang case-report -l -F geojson --pii -c id --search 坐标
expect "--pii map as a unit member: exact where its own unit leads, not where the grid below it does" 0 \
"{\"type\":\"FeatureCollection\",\"features\":[
{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[-0.0004,31.2345]},\"properties\":{\"id\":$K1}}
]}" "case-report: 2 cases without coordinates are left out of the map"
check_sql "the --pii map journals the reading of the case it shows exactly" "zhang|$K1" \
	"SELECT actor, case_id FROM events WHERE action = 'access' AND actor = 'zhang' AND case_id >= $K1 ORDER BY id"
run as zhang case-report -l -F open311 --pii --search 坐标
python3 -c 'import json, sys
got = {r["service_request_id"]: [r["lat"], r["long"]] for r in json.load(open(sys.argv[1]))}
assert got == {sys.argv[2]: [31.2345, -0.0004], sys.argv[3]: [None, None], sys.argv[4]: [None, None]}, got' \
	"$T/out" "$K1" "$K3" "$K4" 2>"$T/py" &&
	ok "--pii Open311 as a unit member: lat and long where its own unit leads" ||
	{ not_ok "--pii Open311 as a unit member: lat and long where its own unit leads"; sed 's/^/# /' "$T/py"; }
run as li case-report -l -F open311 --pii --search 坐标
cp "$T/out" "$T/pg.json"
run case-report --db "$T/copy.db" -l -F open311 --pii --search 坐标
if [ "$rc" -eq 0 ] && cmp -s "$T/out" "$T/pg.json"; then
	ok "--pii Open311 as the centre: as an SQLite copy writes it"
else
	not_ok "--pii Open311 as the centre: as an SQLite copy writes it"
	diff "$T/pg.json" "$T/out" | sed 's/^/# /'
fi
run as zhang case-report --show --pii "$K1"
if [ "$rc" -eq 0 ] && grep -q '^lat  *31.2345$' "$T/out" && grep -q '^lon  *-0.0004$' "$T/out"; then
	ok "--show --pii as a unit member: the exact coordinates of its unit's case"
else
	not_ok "--show --pii as a unit member: the exact coordinates of its unit's case"
	_show
fi

# An upgrade from version 5.  A database this program made is put back to
# version 5 by hand, undoing what versions 6 and 7 do: the members' SELECT
# of lat and lon given back, case_coarse and one of the indexes that
# row-level security reads dropped, the journal's foreign key put back in
# place of the triggers that check its case, the stored version set to 5.
# The other index is left, as an administrator might have made it by
# hand: the upgrade makes it only if it is missing, and the server's
# notice that it skipped it is not printed.
V5="postgresql:///v5?host=$PGSOCK&user=case"
sql "CREATE DATABASE v5" >/dev/null
case-admin -q --db "$V5" init
case-admin -q --db "$V5" unit add pcs-qianjin 前进派出所
case-admin -q --db "$V5" member add ana --role analyst 2>/dev/null
case-admin -q --db "$V5" member add zhang --role unit --unit pcs-qianjin 2>/dev/null
case-open -q --db "$V5" -k request --lat -0.0005 --lon 179.9995 边界 >/dev/null
psql -X -q -v ON_ERROR_STOP=1 -d "$V5" -c "
	GRANT SELECT (lat, lon) ON case_tools.cases TO case_admin, case_centre,
		case_unit, case_supervisor, case_analyst;
	DROP VIEW case_tools.case_coarse;
	DROP INDEX case_tools.assignments_support;
	DROP TRIGGER events_check ON case_tools.events;
	DROP TRIGGER cases_keep_journal ON case_tools.cases;
	DROP TRIGGER cases_keep_id ON case_tools.cases;
	DROP FUNCTION case_tools.check_journal(), case_tools.keep_journal();
	ALTER TABLE case_tools.events ADD CONSTRAINT events_case_id_fkey
		FOREIGN KEY (case_id) REFERENCES case_tools.cases(id);
	UPDATE case_tools.meta SET value = '5' WHERE key = 'schema_version'"
v5_sql() { psql -X -A -t -d "$V5" -c "$1" 2>&1; }
if [ "$(v5_sql "SELECT has_column_privilege('case_analyst', 'case_tools.cases', 'lat', 'SELECT')")" = t ]; then
	ok "the version-5 database: an analyst may read lat"
else
	not_ok "the version-5 database: an analyst may read lat"
fi
run env -u CASE_ACTOR CASE_DB="postgresql:///v5?host=$PGSOCK&user=zhang" case-open -k request 新案件
expect "version 5: a member's write says who must upgrade" 1 "" \
"case-open: postgresql:///v5?host=$PGSOCK&user=zhang needs an upgrade of its schema to version 10, which only the database's administrator may make: run 'case-admin init' as the administrator"
run env -u CASE_ACTOR CASE_DB="postgresql:///v5?host=$PGSOCK&user=ana" case-report -l
expect "version 5: a member's reading says it needs the upgrade" 1 "" \
"case-report: postgresql:///v5?host=$PGSOCK&user=ana has schema version 5 and needs an upgrade to 10 (run 'case-admin init')"
run case-open --db "$V5" -k request 升级
check_rc 0 "version 5: the administrator's first write upgrades it"
if [ -s "$T/err" ]; then
	not_ok "version 5: the upgrade prints nothing on stderr, no server notice"
	_show
else
	ok "version 5: the upgrade prints nothing on stderr, no server notice"
fi
if [ "$(v5_sql "SELECT value FROM case_tools.meta WHERE key = 'schema_version'")" = 10 ] &&
	[ "$(v5_sql "SELECT has_column_privilege(r, 'case_tools.cases', c, 'SELECT') FROM unnest(ARRAY['case_admin', 'case_centre', 'case_unit', 'case_supervisor', 'case_analyst']) r, unnest(ARRAY['lat', 'lon']) c" | sort -u)" = f ] &&
	[ "$(v5_sql "SELECT viewowner FROM pg_views WHERE schemaname = 'case_tools' AND viewname = 'case_coarse'")" = case_owner ]; then
	ok "the upgrade takes lat and lon from every group and makes case_coarse"
else
	not_ok "the upgrade takes lat and lon from every group and makes case_coarse"
fi
if [ "$(v5_sql "SELECT indexname || ' ' || indexdef FROM pg_indexes WHERE schemaname = 'case_tools' AND indexname IN ('cases_active_lead', 'assignments_support') ORDER BY 1")" = \
"assignments_support CREATE INDEX assignments_support ON case_tools.assignments USING btree (unit, case_id) WHERE ((role = 'support'::text) AND (released_at IS NULL))
cases_active_lead CREATE INDEX cases_active_lead ON case_tools.cases USING btree (lead, due_at) WHERE (status = ANY (ARRAY['open'::text, 'assigned'::text]))" ]; then
	ok "the upgrade indexes open cases by lead and supporting assignments by unit"
else
	not_ok "the upgrade indexes open cases by lead and supporting assignments by unit"
	diag "$(v5_sql "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'case_tools'")"
fi
if [ "$(v5_sql "SELECT count(*) FROM pg_constraint WHERE conrelid = 'case_tools.events'::regclass AND contype = 'f'")" = 0 ] &&
	[ "$(v5_sql "SELECT string_agg(tgname, ' ' ORDER BY tgname) FROM pg_trigger WHERE tgrelid IN ('case_tools.events'::regclass, 'case_tools.cases'::regclass) AND NOT tgisinternal")" = \
	"cases_keep_id cases_keep_journal cases_lead events_check events_no_change events_no_truncate" ]; then
	ok "the upgrade checks the journal's case by triggers, not by a foreign key"
else
	not_ok "the upgrade checks the journal's case by triggers, not by a foreign key"
	diag "$(v5_sql "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")"
fi
run env -u CASE_ACTOR CASE_DB="postgresql:///v5?host=$PGSOCK&user=ana" case-report -l -F geojson --coarse -c id
expect "after the upgrade, an analyst's map is rounded, half away from zero" 0 \
'{"type":"FeatureCollection","features":[
{"type":"Feature","geometry":{"type":"Point","coordinates":[180.000,-0.001]},"properties":{"id":1}}
]}' "case-report: 1 case without coordinates is left out of the map"
if _got=$(psql -X -A -t -d "postgresql:///v5?host=$PGSOCK&user=ana" -c "SELECT lat FROM case_tools.cases" 2>&1); then
	not_ok "after the upgrade, psql as an analyst: lat is refused (got $_got)"
else
	ok "after the upgrade, psql as an analyst: lat is refused"
fi
run case-admin --db "$V5" check
expect "case-admin check after the upgrade" 0 "" ""

done_testing
