#!/bin/sh
# Every example runs (issue 13, item 13): each literal block of the
# EXAMPLES section of every page under man/, and of every translated page
# under man/*/, is run as written, so that an example can never drift
# from the programs.
#
# A page's examples run in order, in one shell, as a user would type them
# one after the other: what one sets (export CASE_DB=...) or makes (a CSV
# file, a backup) the next may use.  They run with bash -e -o pipefail, so
# that any command that fails, even on the left of a pipe, fails the
# example; the left side of && or || may fail, as in any shell.  A block
# with crontab lines is run as cron would: its variables are set (PATH
# keeps the built binaries first) and each job's command runs, with \%
# read as %.
#
# What the examples take to exist is made here: /srv and /var are folders
# under the page's scratch root (every path in a block is moved there); a
# page that runs `case-admin init` starts without a database, the others
# with a fixture district at /srv/case/cases.db, which is also CASE_DB; the
# input files the examples name are written into the folder they run in,
# and /srv/www, /srv/hotline/today.csv and /var/backups/case exist.  mail,
# sendmail and localc are stubs that keep what they are given, and date
# tells the pinned CASE_NOW.
. "$TESTS/cli/lib.sh"

SRC=${SRC:-$TESTS/..}
RUNBIN=$CASE_BIN
[ -d "$T/bin" ] && RUNBIN=$T/bin

# ---- the examples ---------------------------------------------------------

# extract PAGE DIR: each literal block of PAGE's EXAMPLES section into
# DIR/01, DIR/02, ..., with mdoc's escapes read (\e is a backslash).  A
# macro line inside a block, which the shell would be handed as is, goes
# into DIR/bad.
extract() {
	mkdir -p "$2"
	awk -v dir="$2" '
		/^\.Sh / { inex = ($0 ~ /^\.Sh (EXAMPLES|示例)[ \t]*$/); next }
		inex && /^\.Bd -literal/ { f = sprintf("%s/%02d", dir, ++n); printf "" >f; next }
		f != "" && /^\.Ed/ { close(f); f = ""; next }
		f != "" && /^\./ { print FILENAME ": a macro in an example: " $0 >(dir "/bad"); next }
		f != "" { print >f }
	' "$1"
	for _b in "$2"/[0-9]*; do
		[ -f "$_b" ] || continue
		sed -i -e 's/\\e/\x01/g' -e 's/\\&//g' -e 's/\\-/-/g' \
			-e "s/\\\\(aq/'/g" -e 's/\\(dq/"/g' -e 's/\x01/\\/g' "$_b"
	done
}

# Whether a line is a crontab job: five time fields, or @daily and the
# like, then a command.
CRON_JOB='^[[:space:]]*(@[a-z]+|[0-9*/,-]+[[:space:]]+[0-9*/,-]+[[:space:]]+[0-9*/,-]+[[:space:]]+[0-9A-Za-z*/,-]+[[:space:]]+[0-9A-Za-z*/,-]+)[[:space:]]+[^[:space:]]'

# as_script BLOCK ROOT: the block as lines of a bash script, its paths
# under /srv and /var moved under ROOT; a crontab becomes exports and its
# jobs' commands.
as_script() {
	sed -e "s|\\([[:space:]=\"'<>(:]\\)/srv/|\\1$2/srv/|g; s|^/srv/|$2/srv/|" \
		-e "s|\\([[:space:]=\"'<>(:]\\)/var/|\\1$2/var/|g; s|^/var/|$2/var/|" \
		"$1" >"$T/block"
	if ! grep -Eq "$CRON_JOB" "$T/block"; then
		cat "$T/block"
		return
	fi
	while IFS= read -r _l || [ -n "$_l" ]; do
		case $_l in
		'' | '#'*) continue ;;
		PATH=*)
			printf 'export PATH="$TESTPATH:%s"\n' "${_l#PATH=}"
			;;
		"CASE_DB=$2/srv/case/cases.db")
			# On a server, the page's database is the fixture's
			# copy there, which CASE_DB names already.
			[ "$BACKEND" = pg ] ||
				printf "export CASE_DB='%s'\n" "${_l#*=}"
			;;
		[A-Za-z_]*=*)
			_v=$(printf '%s\n' "${_l#*=}" | sed "s/'/'\\\\''/g")
			printf "export %s='%s'\n" "${_l%%=*}" "$_v"
			;;
		*)
			if ! printf '%s\n' "$_l" | grep -Eq "$CRON_JOB"; then
				printf 'echo "a crontab line that is neither a job nor a variable" >&2; false\n'
			elif printf '%s\n' "$_l" | grep -q '\(^\|[^\\]\)%'; then
				printf 'echo "a bare %% in a crontab job (cron reads it as a newline)" >&2; false\n'
			else
				printf '%s\n' "$_l" | sed -E \
					-e 's/^[[:space:]]*(@[a-z]+|([^[:space:]]+[[:space:]]+){5})//' \
					-e 's/^[[:space:]]*//' -e 's/\\%/%/g'
			fi
			;;
		esac
	done <"$T/block"
}

# ---- what the examples take to exist --------------------------------------

# Stubs for what a test cannot have, and the wrappers that count the
# commands of case that each page runs.
mkdir -p "$T/stubs" "$T/logbin"
cat >"$T/stubs/mail" <<'EOF'
#!/bin/sh
# mail(1) and sendmail(8) for the examples: keep the message.
{ printf '%s\n' "$0 $*"; cat; } >>"$MAILBOX"
EOF
cp "$T/stubs/mail" "$T/stubs/sendmail"
cat >"$T/stubs/localc" <<'EOF'
#!/bin/sh
# LibreOffice Calc for the examples: the file must be there, a CSV file
# with a header or an xlsx workbook (a zip archive).
[ $# -eq 1 ] && [ -s "$1" ] && {
	head -n 1 "$1" | grep -q '^\(\xef\xbb\xbf\)\?id,' ||
		[ "$(head -c 4 "$1" | od -An -tx1 | tr -d ' ')" = 504b0304 ]
} && printf '%s\n' "$0 $*" >>"$MAILBOX"
EOF
cat >"$T/stubs/date" <<'EOF'
#!/bin/sh
# date(1) for the examples: the time is the pinned CASE_NOW.
exec /bin/date -d "$CASE_NOW" "$@"
EOF
for _b in "$RUNBIN"/case-*; do
	[ -f "$_b" ] && [ -x "$_b" ] || continue
	printf '#!/bin/sh\necho "$0 $*" >>"$CASELOG"\nexec "%s" "$@"\n' "$_b" \
		>"$T/logbin/${_b##*/}"
done
chmod 755 "$T/stubs"/* "$T/logbin"/*
TESTPATH=$T/logbin:$T/stubs
export TESTPATH

# The fixture district, for the pages that do not make their own: four
# units and supervisors; a thousand closed cases of last year, so that the
# cases of this spring have the ids the examples use; and those cases, in
# the states the examples find them in at 08:00 on 1 May.
fixture() {
	case-admin unit add pcs-qianjin 前进派出所 --type police \
		--place chaoyang/qianjin --chief 王所长 --contact 010-6501-0110 &&
		case-admin unit add med-chaoyang 朝阳调解中心 --type judicial \
			--place chaoyang &&
		case-admin unit add law-tianyuan 天元律师事务所 --type lawfirm &&
		case-admin unit add grid-g07 第七网格 --type grid \
			--parent pcs-qianjin --place chaoyang/qianjin/huayu/g07 &&
		case-admin supervisor set 1 刘科长 --contact 010-6501-0001 &&
		case-admin supervisor set 2 李大队长 --contact 010-6501-0002 &&
		case-admin supervisor set 3 张副局长 --contact 010-6501-0003 || return 1
	awk 'BEGIN {
		print "ref,kind,category,place,summary,opened_at,status,lead,resolved_at,closed_at"
		for (i = 1; i <= 1041; i++)
			printf "OLD-%04d,request,lamp,chaoyang/qianjin/huayu/g%02d,旧案 %d,2025-03-01 09:00,closed,pcs-qianjin,2025-03-02 09:00,2025-03-09 09:00\n", i, i % 9 + 1, i
	}' >"$T/old.csv"
	case-open -q -f "$T/old.csv" >/dev/null || return 1
	at 2026-04-10T09:00 &&
		# 1042: the night market's noise, with the police station.
		case-open -k dispute -c noise -l chaoyang/qianjin/huayu/g07 \
			-a "华宇社区 3 号楼" 夜市音响扰民 &&
		case-assign -u pcs-qianjin 1042 &&
		at 2026-04-28T10:00 &&
		# 1043: a gas valve; 1044: a dispute over a wall, resolved and
		# waiting; 1045: noise resolved, its visit due.
		case-open -k hazard -c gas -p high -l chaoyang/qianjin/xinyuan \
			燃气阀门漏气 &&
		case-assign -u pcs-qianjin 1043 &&
		case-open -k dispute -c wall -l chaoyang/qianjin/huayu/g07 \
			邻里围墙纠纷 &&
		case-assign -u grid-g07 1044 &&
		case-followup resolve -m 双方达成协议 1044 &&
		at 2026-04-20T10:00 &&
		case-open -k dispute -c noise -l chaoyang/qianjin/huayu/g07 \
			广场舞音响太响 &&
		case-assign -u grid-g07 1045 &&
		case-followup resolve -m 约定音量 1045 &&
		at 2026-04-30T09:00 &&
		# 1046 and 1047: duplicates of 1042; 1048 and 1049: resolved
		# lamps whose residents were called today; 1050: open, in
		# the street; 1051: past its deadline, no unit covers it.
		case-open -k dispute -c noise -l chaoyang/qianjin/huayu/g07 \
			夜市吵闹 &&
		case-open -k dispute -c noise -l chaoyang/qianjin/huayu/g07 \
			夜市噪音 &&
		case-open -k request -c lamp -l chaoyang/qianjin/huayu/g07 路灯不亮 &&
		case-open -k request -c lamp -l chaoyang/qianjin/huayu/g03 路灯闪烁 &&
		case-assign -u grid-g07 1048 1049 &&
		case-followup resolve -m 已更换灯泡 --visit-after 1d 1048 1049 &&
		case-open -k request -c elderly -l chaoyang/qianjin/xinyuan \
			独居老人需要帮助 &&
		at 2026-04-20T09:00 &&
		case-open -k hazard -p urgent -c fire-exit -l chaoyang/jianwai/g01 \
			消防通道被堵 &&
		at "$CASE_NOW_EXAMPLES"
}

# The input files that the examples name, in the folder they run in.
inputs() {
	printf '%s\n' 'ref,kind,category,priority,place,opened_at,summary' \
		'HL-0501-001,dispute,noise,high,chaoyang/qianjin/huayu/g07,2026-04-30 23:40,夜市音响扰民' \
		'HL-0501-002,hazard,gas,urgent,chaoyang/qianjin/xinyuan/g02,2026-05-01 01:15,楼道有煤气味' \
		'HL-0501-003,request,lamp,normal,chaoyang/jianwai/g01,2026-05-01 02:30,路灯不亮' \
		>night.csv
	printf '%s\n' 'ref,kind,category,place,summary' \
		'IN-001,request,lamp,chaoyang/qianjin/huayu/g07,北门路灯不亮' \
		'IN-002,dispute,parking,chaoyang/qianjin/xinyuan,车位被占' >intake.csv
	printf '%s\n' '工单号,诉求,网格,地址,受理时间' \
		'GD-0001,楼道堆放杂物,chaoyang/qianjin/huayu/g07,华宇社区 5 号楼,2026-04-30 15:00' \
		>工单.csv
	printf '%s\n' 'unique_key,created_date,complaint_type,descriptor,incident_address,status' \
		'60000001,2026-04-30T21:05:00,Noise - Residential,Loud Music/Party,12 MAIN ST,Open' \
		>311.csv
	printf '%s\n' 'unique_key,descriptor,status,latitude,longitude' \
		'60000002,Loud Music/Party,In Progress,40.7128,-74.0060' \
		'60000003,Blocked Driveway,Open,,' >export.csv
	printf '%s\n' '1048,satisfied' '1049,unsatisfied' >calls.csv
	printf '%s\n' 1046 1047 >duplicates.txt
}

# ---- run them -------------------------------------------------------------

CASE_NOW_EXAMPLES=$CASE_NOW
at "$CASE_NOW_EXAMPLES"
MAILBOX=$T/mailbox
CASELOG=$T/caselog
export MAILBOX CASELOG
fixture >/dev/null 2>"$T/fixture.err" || {
	echo "Bail out! cannot make the fixture district: $(cat "$T/fixture.err")"
	exit 1
}
FIXTURE=$T/fixture.db
[ "$BACKEND" = pg ] || cp "$CASE_DB" "$FIXTURE"

npages=0
nblocks=0
for page in "$SRC"/man/*.[1-9] "$SRC"/man/*/*.[1-9]; do
	[ -f "$page" ] || continue
	name=${page#"$SRC"/man/}
	P=$T/p/$(printf '%s\n' "$name" | tr / _)
	extract "$page" "$P/ex"
	npages=$((npages + 1))
	if [ -f "$P/ex/bad" ]; then
		not_ok "$name: every line of an example is for the shell"
		diag "$(cat "$P/ex/bad")"
		continue
	fi
	blocks=$(ls "$P/ex" | wc -l)
	if [ "$blocks" -eq 0 ]; then
		not_ok "$name has examples"
		continue
	fi
	nblocks=$((nblocks + blocks))

	# The page's world.
	ROOT=$P/root
	mkdir -p "$ROOT/srv/www" "$ROOT/srv/hotline" "$ROOT/var/backups/case" \
		"$P/work"
	if grep -q 'case-admin.* init' "$P/ex"/*; then
		db=$ROOT/srv/case/cases.db
	elif [ "$BACKEND" = pg ]; then
		# The fixture's copy on the server, where CASE_DB leads the
		# examples that do not name a file themselves.
		mkdir -p "$ROOT/srv/case"
		copydb "page$npages"
		db=$(dbpath "page$npages")
	else
		mkdir -p "$ROOT/srv/case"
		db=$ROOT/srv/case/cases.db
		cp "$FIXTURE" "$db"
	fi
	(cd "$P/work" && inputs)
	cp "$P/work/intake.csv" "$ROOT/srv/hotline/today.csv"

	# One script: each block, after a line that says which is running.
	: >"$P/run.sh"
	for b in "$P/ex"/*; do
		i=${b##*/}
		printf '\necho %s >"$STATE"; echo "== %s" >>"$CASELOG"\n' "$i" "$i" \
			>>"$P/run.sh"
		as_script "$b" "$ROOT" >>"$P/run.sh"
	done
	printf '\necho done >"$STATE"\n' >>"$P/run.sh"
	# Nothing may reach the machine's own /srv or /var.
	if sed "s|$ROOT/||g" "$P/run.sh" |
		grep -Eq '(^|[^A-Za-z0-9_.-])/(srv|var)/'; then
		not_ok "$name: every path of its examples under /srv and /var was moved"
		sed "s|$ROOT/||g" "$P/run.sh" |
			grep -E '(^|[^A-Za-z0-9_.-])/(srv|var)/' | sed 's/^/#   /'
		continue
	fi
	: >"$CASELOG"
	(
		cd "$P/work" || exit 1
		PATH=$TESTPATH:$PATH
		CASE_DB=$db
		STATE=$P/state
		export CASE_DB STATE
		exec bash -e -o pipefail "$P/run.sh"
	) >"$P/out" 2>"$P/err"
	rc=$?
	state=$(cat "$P/state" 2>/dev/null)
	cp "$CASELOG" "$P/caselog"

	# One result per example: those before the one that failed ran.
	for b in "$P/ex"/*; do
		i=${b##*/}
		if [ "$state" = done ] || [ "$i" \< "$state" ]; then
			ok "$name, example $i runs"
		elif [ "$i" = "$state" ]; then
			not_ok "$name, example $i runs (exit $rc)"
			diag "the example:"
			sed 's/^/#   /' "$b"
			diag "its standard error, last lines:"
			tail -n 15 "$P/err" | sed 's/^/#   /'
		else
			not_ok "$name, example $i runs (not run: an example before it failed)"
		fi
	done
	ran=$(grep -c '^/' "$P/caselog")
	if [ "$ran" -gt 0 ]; then
		ok "$name: its examples ran $ran commands of case"
	else
		not_ok "$name: its examples ran commands of case (they ran none)"
	fi
done

# A test that finds no examples runs nothing, and passes nothing.
if [ "$npages" -ge 6 ] && [ "$nblocks" -ge "$npages" ]; then
	ok "$nblocks examples in $npages pages"
else
	not_ok "every page was read: $nblocks examples in $npages pages"
fi

done_testing
