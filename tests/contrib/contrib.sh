#!/bin/sh
# The examples in contrib/ run, in TAP: every job line of the crontab and
# the ExecStart= of every systemd service is run as cron or systemd would
# run it, against a fixture database made with the built binaries at a
# pinned "now", and its output is compared with what the duty office is
# meant to receive.  Each timer must fire when the crontab line of its
# service does, and systemd-analyze, where it exists, must accept the
# units.
#
#   CASE_BIN   the folder holding the built binaries
#   SRC        the top of the source tree

: "${SRC:?SRC must name the top of the source tree}"
. "$SRC/tests/cli/lib.sh"

CONTRIB=$SRC/contrib
NOW='2026-05-04 08:00'
# The binaries to run: lib.sh's wrappers of them, under CASE_WRAP.
RUNBIN=$CASE_BIN
[ -d "$T/bin" ] && RUNBIN=$T/bin

# The fixture, built in the order the day went: units and supervisors, a
# noise complaint left unresolved for a fortnight (level 3 by now), a
# blocked fire exit past its deadline by almost four days (level 2), a gas
# leak past its deadline by twelve hours (level 1, whose supervisor is the
# lead unit's chief), a mended lamp whose return visit is due, a case not
# due yet and one that no unit covers.
at '2026-04-01 09:00'
case-admin -q init &&
	case-admin unit add pcs-qianjin 前进派出所 --type police \
		--place chaoyang/qianjin --chief 王所长 --contact 010-6501-0110 &&
	case-admin unit add mo-huayu 华宇调解室 --type judicial \
		--place chaoyang/qianjin/huayu --contact 010-6501-2200 &&
	case-admin supervisor set 1 刘科长 --contact 010-6501-0001 &&
	case-admin supervisor set 2 李大队长 --contact 010-6501-0002 &&
	case-admin supervisor set 3 张副局长 --contact 010-6501-0003 &&
	at '2026-04-20 09:00' &&
	case-open -r HL-0420 -k dispute -c noise -p high \
		-l chaoyang/qianjin/huayu/g07 夜市音响扰民 >/dev/null &&
	at '2026-04-22 10:00' &&
	case-open -r HL-0422 -k request -c lamp \
		-l chaoyang/qianjin/huayu/g03 路灯不亮 >/dev/null &&
	case-assign -q --auto >/dev/null &&
	at '2026-04-23 15:00' &&
	case-open -k hazard -c fire-exit -l chaoyang/qianjin/xinyuan/g01 \
		消防通道被堵 >/dev/null &&
	case-assign -u pcs-qianjin 3 >/dev/null &&
	at '2026-04-26 11:00' &&
	case-followup resolve -m 已更换灯泡 2 >/dev/null &&
	at '2026-05-02 20:00' &&
	case-open -r HL-0502 -k hazard -c gas -p urgent \
		-l chaoyang/qianjin/xinyuan/g02 楼道有煤气味 >/dev/null &&
	at '2026-05-03 10:00' &&
	case-open -r HL-0503 -k request -c elderly \
		-l chaoyang/qianjin/xinyuan/g02 独居老人需要帮助 >/dev/null &&
	case-open -k dispute -c wall -l chaoyang/jianwai/g01 \
		邻里围墙纠纷 >/dev/null &&
	case-assign -q --auto >/dev/null ||
	{
		echo "Bail out! cannot build the fixture database"
		exit 1
	}
FIXTURE=$T/fixture.db
case-admin backup "$FIXTURE" 2>/dev/null || {
	echo "Bail out! cannot copy the fixture database"
	exit 1
}
unset CASE_DB CASE_ACTOR
at "$NOW"

# What each command prints at 08:00 on 4 May, by the command as the
# examples write it.  The escalation rows come in the order of the
# deadlines.
ESCALATE_OUT='id  level  supervisor  contact        lead         due               overdue  summary
 1      3  张副局长    010-6501-0003  mo-huayu     2026-04-23 09:00  10d23h   夜市音响扰民
 3      2  李大队长    010-6501-0002  pcs-qianjin  2026-04-30 15:00  3d17h    消防通道被堵
 4      1  王所长      010-6501-0110  pcs-qianjin  2026-05-03 20:00  12h      楼道有煤气味'
AGENDA_OUT='id  item      due               attempt  lead         place                         summary
 1  deadline  2026-04-23 09:00        -  mo-huayu     chaoyang/qianjin/huayu/g07    夜市音响扰民
 3  deadline  2026-04-30 15:00        -  pcs-qianjin  chaoyang/qianjin/xinyuan/g01  消防通道被堵
 2  visit     2026-05-03 11:00        1  mo-huayu     chaoyang/qianjin/huayu/g03    路灯不亮
 4  deadline  2026-05-03 20:00        -  pcs-qianjin  chaoyang/qianjin/xinyuan/g02  楼道有煤气味'

# expected_out COMMAND: what COMMAND prints, into $want; 1 for a command
# that the examples are not expected to hold.
expected_out() {
	case $1 in
	'case-assign --escalate') want=$ESCALATE_OUT ;;
	'case-followup due --overdue') want=$AGENDA_OUT ;;
	# The briefing goes to sendmail, and prints nothing.
	*'case-report --brief >'*' | sendmail -t') want= ;;
	*) return 1 ;;
	esac
}

# The systemd calendar expression for a crontab schedule, into $cal.
calendar_of() {
	case $1 in
	'*/10 * * * *') cal='*:0/10' ;;
	'0 8 * * *') cal='*-*-* 08:00:00' ;;
	'0 7 * * 1') cal='Mon *-*-* 07:00:00' ;;
	*) return 1 ;;
	esac
}

# A fresh copy of the fixture for each run, so that every command sees the
# morning as it was.
fresh_db() {
	rm -f "$T/run.db" "$T/run.db-wal" "$T/run.db-shm"
	CASE_DB=$FIXTURE case-admin backup "$T/run.db" 2>/dev/null
}

# ---- the crontab ----------------------------------------------------------

# sendmail(8) for the jobs: it keeps the message it is given.
mkdir -p "$T/sendbin"
cat >"$T/sendbin/sendmail" <<'EOF'
#!/bin/sh
{ printf '%s\n' "sendmail $*"; cat; } >>"$MAILBOX"
EOF
chmod +x "$T/sendbin/sendmail"
MAILBOX=$T/cronmail
export MAILBOX

# check_brief_mail: the message the briefing job gave sendmail -t is one
# HTML attachment, for the leadership, that decodes to the briefing that
# case-report --brief makes of the same database at the same time.
check_brief_mail() {
	CASE_DB=$T/run.db case-report --brief >"$T/brief.html" 2>/dev/null
	if python3 - "$MAILBOX" "$T/brief.html" <<'PYEOF' >"$T/py.out" 2>&1
import email, email.policy, sys
raw = open(sys.argv[1], "rb").read()
first, rest = raw.split(b"\n", 1)
assert first == b"sendmail -t", first
msg = email.message_from_bytes(rest, policy=email.policy.default)
assert msg["To"] == "leaders@example.org", msg["To"]
assert msg.get_content_type() == "text/html", msg.get_content_type()
assert msg.get_filename() == "briefing.html", msg.get_filename()
assert msg.is_attachment()
page = msg.get_payload(decode=True)
assert page == open(sys.argv[2], "rb").read(), "the attachment is not the briefing"
assert page.startswith(b"<!DOCTYPE html>") and b"Case briefing" in page
PYEOF
	then
		ok "$name: sendmail got the briefing as an HTML attachment"
	else
		not_ok "$name: sendmail got the briefing as an HTML attachment"
		sed 's/^/#   /' "$T/py.out"
	fi
}

# cron gives each job the variables set above it, runs it with /bin/sh in
# the home folder, and mails what it prints.  The test keeps PATH's folders
# after the build's and points CASE_DB at a copy of the fixture.
CRON_ENV=$T/cron.env
: >"$CRON_ENV"
njobs=0
lineno=0
vars=
while IFS= read -r line || [ -n "$line" ]; do
	lineno=$((lineno + 1))
	case $line in
	'' | '#'*) continue ;;
	[A-Za-z_]*=*)
		name=${line%%=*}
		case $name in
		*[!A-Za-z0-9_]*) ;;
		*)
			vars="$vars $name"
			printf '%s\n' "$line" >>"$CRON_ENV"
			continue
			;;
		esac
		;;
	esac
	njobs=$((njobs + 1))
	# The five time fields, then the command.
	set -f
	# shellcheck disable=SC2086
	set -- $line
	set +f
	sched="$1 $2 $3 $4 $5"
	cmd=$(printf '%s\n' "$line" |
		sed 's/^[[:space:]]*\([^[:space:]]*[[:space:]]*\)\{5\}//')
	name="crontab line $lineno ($cmd)"
	if printf '%s\n' "$cmd" | grep -q '\(^\|[^\\]\)%'; then
		not_ok "$name: a bare % would end the command (cron reads it as a newline)"
	fi
	if ! expected_out "$cmd"; then
		not_ok "$name: no expected output for this command"
		continue
	fi
	if calendar_of "$sched"; then
		ok "$name: the schedule '$sched' has a timer equivalent"
		printf '%s\t%s\n' "$cmd" "$sched" >>"$T/schedules"
	else
		not_ok "$name: the schedule '$sched' is not in the test's table"
	fi
	fresh_db
	rm -f "$MAILBOX"
	(
		cd "$HOME" || exit 1
		set -a
		. "$CRON_ENV"
		set +a
		PATH=$RUNBIN:$T/sendbin:$PATH
		CASE_DB=$T/run.db
		export CASE_DB
		exec /bin/sh -c "$cmd"
	) >"$T/out" 2>"$T/err"
	rc=$?
	expect "$name" 0 "$want" ""
	case $cmd in
	*'case-report --brief'*) check_brief_mail ;;
	*)
		[ ! -e "$MAILBOX" ] && ok "$name: sends no mail of its own" ||
			not_ok "$name: sends no mail of its own"
		;;
	esac
	# Run again ten minutes later: a second escalation finds nothing new
	# and the agenda is the same, so cron mails only what changed.
	(
		set -a
		. "$CRON_ENV"
		set +a
		PATH=$RUNBIN:$T/sendbin:$PATH
		CASE_DB=$T/run.db
		CASE_NOW='2026-05-04 08:10'
		export CASE_DB CASE_NOW
		exec /bin/sh -c "$cmd"
	) >"$T/out" 2>"$T/err"
	rc=$?
	case $cmd in
	*--escalate*) expect "$name, run again" 0 "" "" ;;
	*) expect "$name, run again" 0 "$want" "" ;;
	esac
	# The crontab's own CASE_DB, which does not exist here, stands for a
	# misspelt one: the job must fail and say so in the mail, and leave
	# no database behind.
	rm -f "$MAILBOX"
	(
		cd "$HOME" || exit 1
		set -a
		. "$CRON_ENV"
		set +a
		PATH=$RUNBIN:$T/sendbin:$PATH
		exec /bin/sh -c "$cmd"
	) >"$T/out" 2>"$T/err"
	rc=$?
	cron_db=$(sed -n 's/^CASE_DB=//p' "$CRON_ENV")
	prog=$(printf '%s\n' "$cmd" | grep -o 'case-[a-z]*' | head -n 1)
	expect "$name, with a database that is not there" 1 "" \
		"$prog: no database at $cron_db (create it with 'case-admin init')"
	[ ! -e "$MAILBOX" ] && ok "$name, with a database that is not there: no mail sent" ||
		not_ok "$name, with a database that is not there: no mail sent"
	[ ! -e "$cron_db" ] && ok "$name: no database was made at $cron_db" ||
		not_ok "$name: no database was made at $cron_db"
done <"$CONTRIB/crontab"

if [ "$njobs" -eq 3 ]; then ok "the crontab has its three jobs"; else
	not_ok "the crontab has its three jobs (found $njobs)"
fi
for v in MAILTO PATH CASE_DB; do
	case " $vars " in
	*" $v "*) ok "the crontab sets $v" ;;
	*) not_ok "the crontab sets $v" ;;
	esac
done

# ---- the systemd units ----------------------------------------------------

# A key's values in a unit file, one per line, with the key's name taken
# off.
unit_values() {
	sed -n "s/^[[:space:]]*$2[[:space:]]*=[[:space:]]*//p" "$1"
}

services=0
# wrapped DB CMD...: run the mail wrapper CMD on database DB, with the
# mail(1) of $T/mailbin; sets rc, $T/out and $T/err as run does.
wrapped() {
	(
		PATH=$T/mailbin:$RUNBIN:/usr/bin:/bin
		CASE_DB=$1
		MAILBOX=$T/mailbox
		export CASE_DB MAILBOX
		shift
		exec "$@"
	) >"$T/out" 2>"$T/err"
	rc=$?
}

for svc in "$CONTRIB"/systemd/*.service; do
	services=$((services + 1))
	base=$(basename "$svc" .service)
	execs=$(unit_values "$svc" ExecStart)
	if [ "$(printf '%s\n' "$execs" | wc -l)" -ne 1 ] || [ -z "$execs" ]; then
		not_ok "$base.service has one ExecStart="
		continue
	fi
	# A leading -, @, :, + or ! changes how systemd runs the command,
	# not the command.
	cmd=$(printf '%s\n' "$execs" | sed 's/^[-@:+!]*//')
	name="$base.service ($cmd)"
	if ! expected_out "$cmd"; then
		not_ok "$name: no expected output for this command"
		continue
	fi
	# systemd runs the command without a shell, with the unit's
	# Environment= and a search path for a bare name; the test puts the
	# build's folder first.
	fresh_db
	(
		cd "$HOME" || exit 1
		unit_values "$svc" Environment >"$T/unit.env"
		while IFS= read -r assign; do
			export "$assign"
		done <"$T/unit.env"
		PATH=$RUNBIN:/usr/bin:/bin
		CASE_DB=$T/run.db
		export CASE_DB
		set -f
		# shellcheck disable=SC2086
		exec $cmd
	) >"$T/out" 2>"$T/err"
	rc=$?
	expect "$name" 0 "$want" ""
	if [ "$(unit_values "$svc" Type)" = oneshot ]; then
		ok "$name is Type=oneshot"
	else
		not_ok "$name is Type=oneshot"
	fi

	# The timer fires when cron would.
	timer=$CONTRIB/systemd/$base.timer
	if [ ! -f "$timer" ]; then
		not_ok "$base.timer exists"
		continue
	fi
	sched=$(awk -F'\t' -v c="$cmd" '$1 == c { print $2 }' "$T/schedules")
	got=$(unit_values "$timer" OnCalendar)
	if [ -z "$sched" ]; then
		not_ok "$base.timer: the crontab runs '$cmd'"
	elif calendar_of "$sched" && [ "$got" = "$cal" ]; then
		ok "$base.timer: OnCalendar=$got as the crontab's '$sched'"
	else
		not_ok "$base.timer: OnCalendar=$got, expected $cal for the crontab's '$sched'"
	fi
	if unit_values "$timer" WantedBy | grep -qx timers.target; then
		ok "$base.timer is wanted by timers.target"
	else
		not_ok "$base.timer is wanted by timers.target"
	fi

	# The mail wrapper that the comment offers, as systemd would unescape
	# it ($$ is $ and %% is %), with a mail(1) that keeps what it is
	# given: it mails the output when there is some, and nothing when a
	# second run has nothing to say.
	wrapper=$(sed -n 's/^#[[:space:]]*ExecStart=//p' "$svc" |
		sed 's/\$\$/$/g; s/%%/%/g')
	if [ -z "$wrapper" ]; then
		not_ok "$name: the comment offers a mail wrapper"
		continue
	fi
	mkdir -p "$T/mailbin"
	cat >"$T/mailbin/mail" <<'EOF'
#!/bin/sh
printf '%s\n' "$*" >>"$MAILBOX"
cat >>"$MAILBOX"
EOF
	chmod +x "$T/mailbin/mail"
	fresh_db
	rm -f "$T/mailbox"
	eval "set -- $wrapper"
	wrapped "$T/run.db" "$@"
	subject=$(printf '%s\n' "$wrapper" | sed -n 's/.*mail -s "\([^"]*\)".*/\1/p')
	expect "$name: the mail wrapper" 0 "" ""
	printf '%s %s\n%s\n' -s "$subject duty-office@example.org" "$want" \
		>"$T/expected"
	if cmp -s "$T/expected" "$T/mailbox" 2>/dev/null; then
		ok "$name: the mail wrapper mails the output"
	else
		not_ok "$name: the mail wrapper mails the output"
		diff "$T/expected" "$T/mailbox" 2>&1 | sed 's/^/#   /'
	fi
	rm -f "$T/mailbox"
	wrapped "$T/run.db" "$@"
	case $cmd in
	*--escalate*)
		expect "$name: the mail wrapper, run again" 0 "" ""
		if [ ! -e "$T/mailbox" ]; then
			ok "$name: the mail wrapper mails nothing when nothing rose"
		else
			not_ok "$name: the mail wrapper mails nothing when nothing rose"
		fi
		;;
	esac
	# A database that cannot be opened fails the unit.
	wrapped "$T/missing/cases.db" "$@"
	check_rc 1 "$name: the mail wrapper fails when the database cannot be used"
done

if [ "$services" -eq 2 ]; then ok "there are two services"; else
	not_ok "there are two services (found $services)"
fi
for timer in "$CONTRIB"/systemd/*.timer; do
	base=$(basename "$timer" .timer)
	if [ -f "$CONTRIB/systemd/$base.service" ]; then
		ok "$base.timer starts $base.service"
	else
		not_ok "$base.timer starts $base.service (no such service)"
	fi
done

# systemd-analyze checks the units as systemd would load them.  It looks
# for a bare command name in systemd's own search path and not in PATH, so
# the copies it checks name the built binaries by their full path; it is
# told not to look for the man pages of Documentation=.
if command -v systemd-analyze >/dev/null 2>&1; then
	mkdir -p "$T/units"
	for f in "$CONTRIB"/systemd/*.service "$CONTRIB"/systemd/*.timer; do
		sed "s|^ExecStart=\([-@:+!]*\)\(case-[a-z]*\)|ExecStart=\1$CASE_BIN/\2|" \
			"$f" >"$T/units/$(basename "$f")"
	done
	if systemd-analyze verify --man=no "$T"/units/* >"$T/out" 2>"$T/err"
	then
		ok "systemd-analyze verify accepts the units"
	else
		not_ok "systemd-analyze verify accepts the units"
		sed 's/^/#   /' "$T/err"
	fi
	for timer in "$CONTRIB"/systemd/*.timer; do
		cal=$(unit_values "$timer" OnCalendar)
		if systemd-analyze calendar "$cal" >/dev/null 2>&1; then
			ok "systemd-analyze reads OnCalendar=$cal"
		else
			not_ok "systemd-analyze reads OnCalendar=$cal"
		fi
	done
else
	skip "systemd-analyze is not installed"
fi

done_testing
