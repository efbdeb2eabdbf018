#!/bin/sh
# Full disks and read-only media.  A write that cannot be stored gives a
# clear error (exit 1), leaves the database as it was (no partial import,
# no half transition) and the file sound: sqlite3's integrity_check and
# `case-admin check` pass, and once there is room again the next write
# works.
#
# The full disk is real where it can be: as root, a 2 MB tmpfs.  Everywhere
# (root or not) a file-size limit (ulimit -f, with SIGXFSZ ignored) makes
# the kernel refuse the write with EFBIG, which SQLite meets exactly where
# it would meet ENOSPC.  PRAGMA max_page_count cannot stand in: it holds
# for one connection only, and the binaries open their own.
#
# Read-only media: a 0444 file in a 0555 folder, written by an account
# that does not own it (as root, nobody through setpriv), and, as root, a
# read-only bind mount, which stops root too.
. "$TESTS/cli/lib.sh"

MOUNTS=
cleanup() {
	for m in $MOUNTS; do
		umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null
	done
	chmod -R u+w "$T" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# The database's contents, read without writing anything beside it (a
# reader of a WAL file otherwise creates -shm, which would change a
# read-only folder and spoil the read-only tests).
dump_of() {
	sqlite3 -batch "file:$1?immutable=1" .dump 2>&1
}
save() { dump_of "$1" >"$T/before.dump"; }
kept() {
	dump_of "$1" >"$T/after.dump"
	if cmp -s "$T/before.dump" "$T/after.dump"; then ok "$2"; else
		not_ok "$2 (the database changed)"
		diff "$T/before.dump" "$T/after.dump" | head -10 | sed 's/^/#   /'
	fi
}
sound() {
	run sqlite3 -batch "$1" "PRAGMA integrity_check"
	check_out "ok" "$2: sqlite3's integrity_check"
	run case-admin --db "$1" check
	expect "$2: case-admin check" 0 "" ""
}

# fails NAME DB MSG1|MSG2 CMD ARGS...: exit 1, stderr one line naming the
# problem (either message), the database unchanged.  A command prints
# before it commits, so a commit that fails may follow ids on stdout: then
# stderr must say that nothing was changed.
fails() {
	_name=$1
	_db=$2
	_msgs=$3
	shift 3
	save "$_db"
	run "$@"
	_m1=${_msgs%%|*}
	_m2=${_msgs#*|}
	if [ "$rc" -eq 1 ] &&
		{ [ ! -s "$T/out" ] || grep -qF "nothing was changed" "$T/err"; } &&
		{ grep -qF -- "$_m1" "$T/err" || grep -qF -- "$_m2" "$T/err"; }; then
		ok "$_name: exit 1, $(head -n 1 "$T/err")"
	else
		not_ok "$_name (expected exit 1 and: $_m1)"
		_show
	fi
	kept "$_db" "$_name: the database is unchanged"
}

# A small database with a case in each of open, assigned and resolved.
seed() {
	case-admin -q --db "$1" init
	case-admin --db "$1" unit add pcs-qianjin 前进派出所 --type police
	case-admin --db "$1" unit add med-qianjin 前进调解室 --type judicial
	for s in 楼下噪音 楼道煤气味 路灯不亮; do
		case-open -q --db "$1" -k request -c 现场 "$s" >/dev/null
	done
	case-assign -q --db "$1" -u pcs-qianjin 2 3 >/dev/null
	case-followup -q --db "$1" resolve -m 已修复 3 >/dev/null
}

# Twenty thousand rows: several megabytes of database.
awk 'BEGIN {
	print "kind,category,place,address,reporter,summary,description"
	for (i = 1; i <= 20000; i++)
		printf "request,lamp,chaoyang/qianjin/g%02d,华宇小区%d号楼,居民%d,第%d盏路灯不亮,\"晚上七点以后整条路都是黑的, 已经%d天了\"\n",
			i % 30, i % 40, i, i, i % 9 + 1
}' >"$T/import.csv"

# ---- (a) a real full disk: a 2 MB tmpfs --------------------------------------

mkdir "$T/tmpfs"
if [ "$(id -u)" -eq 0 ] && mount -t tmpfs -o size=2m tmpfs "$T/tmpfs" 2>/dev/null; then
	MOUNTS="$T/tmpfs $MOUNTS"
	DB=$T/tmpfs/cases.db
	seed "$DB"
	diag "tmpfs: $(df -k "$T/tmpfs" | tail -n 1)"
	fails "tmpfs: an import that fills the disk" "$DB" \
		"the disk holding $DB is full|the disk holding $DB is full" \
		case-open --db "$DB" -q -f "$T/import.csv"
	sound "$DB" "tmpfs: after the failed import"
	# Now no room at all: one more byte cannot be written.
	dd if=/dev/zero of="$T/tmpfs/filler" bs=4k 2>/dev/null
	diag "tmpfs filled: $(df -k "$T/tmpfs" | tail -n 1)"
	full="the disk holding $DB is full|the disk holding $DB is full"
	fails "tmpfs full: case-open" "$DB" "$full" \
		case-open --db "$DB" -k hazard -c gas 楼道煤气味又出现
	fails "tmpfs full: case-assign" "$DB" "$full" \
		case-assign --db "$DB" -u med-qianjin 1
	fails "tmpfs full: case-followup resolve" "$DB" "$full" \
		case-followup --db "$DB" resolve -m 已处理 2
	fails "tmpfs full: case-followup visit" "$DB" "$full" \
		case-followup --db "$DB" visit -o satisfied 3
	fails "tmpfs full: case-admin unit add" "$DB" "$full" \
		case-admin --db "$DB" unit add grid-g07 华宇第七网格
	run case-report --db "$DB" -l -F csv -H -c id,status
	check_out "1,open
2,assigned
3,resolved" "tmpfs full: case-report still reads"
	sound "$DB" "tmpfs full"
	rm -f "$T/tmpfs/filler"
	run case-assign --db "$DB" -u med-qianjin 1
	check_out "1" "tmpfs with room again: the next write works"
	sound "$DB" "tmpfs with room again"
else
	skip "tmpfs: not root or cannot mount a tmpfs here; the file-size limit below stands in"
fi

# ---- (a) the same through a file-size limit ------------------------------------

# limited BLOCKS CMD ARGS...: run with writes past BLOCKS x 512 bytes
# refused (EFBIG) rather than killing the process.  The limit covers
# every file the command writes, its stderr file included, so it is
# never so small that the message itself cannot be written.
limited() {
	_blocks=$1
	shift
	sh -c 'trap "" XFSZ; ulimit -f "$0"; exec "$@"' "$_blocks" "$@"
}
mkdir "$T/fsize"
DB=$T/fsize/cases.db
seed "$DB"
# The database is written only at checkpoints; a transaction grows the
# -wal file.  512 kB of -wal holds a few thousand of the rows.  32 kB is
# just what the -shm file needs; each single command below carries 60 kB
# of text (within the 64 kB a message may have), so its pages cannot fit.
io="disk I/O error|is full"
fails "file-size limit: an import that outgrows it" "$DB" "$io" \
	limited 1024 case-open --db "$DB" -q -f "$T/import.csv"
sound "$DB" "file-size limit: after the failed import"
long=$(awk 'BEGIN { while (n++ < 20000) printf "说" }')
fails "file-size limit: case-open" "$DB" "$io" \
	limited 64 case-open --db "$DB" -k hazard -c gas -d "$long" 楼道煤气味又出现
fails "file-size limit: case-assign" "$DB" "$io" \
	limited 64 case-assign --db "$DB" -u med-qianjin -m "$long" 1
fails "file-size limit: case-followup note" "$DB" "$io" \
	limited 64 case-followup --db "$DB" note -m "$long" 1
fails "file-size limit: case-followup resolve" "$DB" "$io" \
	limited 64 case-followup --db "$DB" resolve -m "$long" 2
fails "file-size limit: case-followup visit" "$DB" "$io" \
	limited 64 case-followup --db "$DB" visit -o unsatisfied -m "$long" 3
# One unit is a page or two of -wal; a registry is not.
awk 'BEGIN { print "code,name,type,place"
	for (i = 1; i <= 2000; i++)
		printf "grid-%04d,第%d网格,grid,chaoyang/qianjin/g%04d\n", i, i, i }' >"$T/units.csv"
fails "file-size limit: case-admin unit import" "$DB" "$io" \
	limited 64 case-admin --db "$DB" unit import "$T/units.csv"
sound "$DB" "file-size limit: after the failed writes"
run case-open --db "$DB" -q -f "$T/import.csv"
check_rc 0 "without the limit, the same import works"
run sqlite3 -batch "$DB" "SELECT count(*) FROM cases"
check_out "20003" "without the limit, the import adds all 20,000 rows"
sound "$DB" "file-size limit: after the import"

# ---- (b) a read-only file, written by someone else -----------------------------

if [ "$(id -u)" -eq 0 ]; then
	as_other() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
	who="nobody"
else
	as_other() { "$@"; }
	who="its owner"
fi
chmod 711 "$T"
mkdir "$T/ro"
DB=$T/ro/cases.db
seed "$DB"
chmod 444 "$DB"
chmod 555 "$T/ro"
ls "$T/ro" >"$T/ro.files"
if as_other sh -c 'test -w "$1" || test -w "$(dirname "$1")"' sh "$DB"; then
	not_ok "the file and its folder are read-only for $who"
else
	ok "the file and its folder are read-only for $who"
fi
ro="$DB is read-only|$DB is read-only"
fails "read-only file: case-open" "$DB" "$ro" \
	as_other case-open --db "$DB" -k request 新的案件
fails "read-only file: case-open --file" "$DB" "$ro" \
	as_other case-open --db "$DB" -q -f "$T/import.csv"
fails "read-only file: case-assign" "$DB" "$ro" \
	as_other case-assign --db "$DB" -u med-qianjin 1
fails "read-only file: case-assign --escalate" "$DB" "$ro" \
	as_other case-assign --db "$DB" --escalate
fails "read-only file: case-followup note" "$DB" "$ro" \
	as_other case-followup --db "$DB" note -m 进展 1
fails "read-only file: case-followup resolve" "$DB" "$ro" \
	as_other case-followup --db "$DB" resolve -m 已处理 2
fails "read-only file: case-followup visit" "$DB" "$ro" \
	as_other case-followup --db "$DB" visit -o satisfied 3
fails "read-only file: case-admin unit add" "$DB" "$ro" \
	as_other case-admin --db "$DB" unit add grid-g07 华宇第七网格
ls "$T/ro" | cmp -s - "$T/ro.files" &&
	ok "read-only file: no -wal, -shm or other file appeared beside it" ||
	not_ok "read-only file: no -wal, -shm or other file appeared beside it ($(ls "$T/ro" | paste -sd' ' -))"
run as_other case-report --db "$DB" -l -F csv -H -c id,status,summary
check_out "1,open,楼下噪音
2,assigned,楼道煤气味
3,resolved,路灯不亮" "read-only file: case-report still reads it"
run as_other case-followup --db "$DB" due --within 30d -F csv -H
check_rc 0 "read-only file: case-followup due still reads it"
run sqlite3 -batch "file:$DB?immutable=1" "PRAGMA integrity_check"
check_out "ok" "read-only file: sqlite3's integrity_check"
run as_other case-admin --db "$DB" check
expect "read-only file: case-admin check" 0 "" ""
chmod 755 "$T/ro"
chmod 644 "$DB"

# ---- (b) a read-only mount -------------------------------------------------------

mkdir "$T/rw" "$T/romnt"
seed "$T/rw/cases.db"
DB=$T/romnt/cases.db
if [ "$(id -u)" -eq 0 ] && mount --bind "$T/rw" "$T/romnt" 2>/dev/null; then
	MOUNTS="$T/romnt $MOUNTS"
	if mount -o remount,bind,ro "$T/romnt" 2>/dev/null &&
		! touch "$T/romnt/probe" 2>/dev/null; then
		ok "a read-only bind mount stops even root"
		ro="$DB is read-only|$DB is read-only"
		fails "read-only mount: case-open" "$DB" "$ro" \
			case-open --db "$DB" -k request 新的案件
		fails "read-only mount: case-assign" "$DB" "$ro" \
			case-assign --db "$DB" -u med-qianjin 1
		fails "read-only mount: case-followup resolve" "$DB" "$ro" \
			case-followup --db "$DB" resolve -m 已处理 2
		fails "read-only mount: case-followup visit" "$DB" "$ro" \
			case-followup --db "$DB" visit -o unreachable 3
		fails "read-only mount: case-admin policy" "$DB" "$ro" \
			case-admin --db "$DB" policy due.high 2d
		run case-report --db "$DB" -l -F csv -H -c id,status
		check_out "1,open
2,assigned
3,resolved" "read-only mount: case-report still reads it"
		run case-admin --db "$DB" check
		expect "read-only mount: case-admin check" 0 "" ""
		cmp -s "$T/rw/cases.db" "$T/romnt/cases.db" &&
			ok "read-only mount: the file is the one under the mount" ||
			not_ok "read-only mount: the file is the one under the mount"
	else
		skip "read-only mount: cannot remount the bind read-only here"
	fi
else
	skip "read-only mount: not root or cannot bind-mount here"
fi

done_testing
