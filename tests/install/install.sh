#!/bin/sh
# meson install puts every piece in its place, in TAP: the build is
# installed into a temporary DESTDIR, the layout is checked file by file
# against the list below (nothing missing, nothing else), and a small C
# program is compiled against the installed libcase through pkg-config and
# run.
#
#   BUILD      the build folder to install from
#   SRC        the top of the source tree
#   PREFIX, BINDIR, LIBDIR, INCLUDEDIR, MANDIR, DATADIR, LOCALEDIR
#              the build's install folders, as meson's options give them
#              (relative to PREFIX, or absolute)
#   SANITIZE   the build's b_sanitize, such as address,undefined, or none

set -u
: "${BUILD:?BUILD must name the build folder}"
: "${SRC:?SRC must name the top of the source tree}"
: "${PREFIX:?PREFIX must be the install prefix}"

T=$(mktemp -d "${TMPDIR:-/tmp}/case-install.XXXXXX")
trap 'rm -rf "$T"' EXIT
unset CASE_DB CASE_FORMAT CASE_NOW XDG_DATA_HOME DESTDIR
export HOME="$T/home" LC_ALL=C.UTF-8 TZ=Asia/Shanghai
mkdir -p "$HOME"
ROOT=$T/root

. "$SRC/tests/tap.sh"

# An install folder as an absolute path (meson gives it relative to the
# prefix when it is under it).
abs() {
	case $1 in
	/*) printf '%s\n' "$1" ;;
	*) printf '%s\n' "$PREFIX/$1" ;;
	esac
}
bindir=$(abs "${BINDIR:-bin}")
libdir=$(abs "${LIBDIR:-lib}")
includedir=$(abs "${INCLUDEDIR:-include}")
mandir=$(abs "${MANDIR:-share/man}")
datadir=$(abs "${DATADIR:-share}")
localedir=$(abs "${LOCALEDIR:-share/locale}")

BINARIES="case-admin case-assign case-followup case-open case-report"

if meson install -C "$BUILD" --destdir "$ROOT" --no-rebuild --quiet \
	>"$T/out" 2>&1; then
	ok "meson install into a DESTDIR"
else
	not_ok "meson install into a DESTDIR"
	sed 's/^/#   /' "$T/out"
	echo "1..$_n"
	exit 1
fi

# ---- the layout ------------------------------------------------------------

# Every file that should be installed, with how to check it: x for an
# executable, the source file it should be a copy of, or - for a file that
# need only exist.
: >"$T/expected"
want() { printf '%s\t%s\n' "$1" "$2" >>"$T/expected"; }
for b in $BINARIES; do
	want "$bindir/$b" x
	want "$mandir/man1/$b.1" "$SRC/man/$b.1"
	# bash-completion loads a command's completion from a file named
	# after it; one file serves every binary.
	want "$datadir/bash-completion/completions/$b" \
		"$SRC/completions/bash/case"
	want "$datadir/fish/vendor_completions.d/$b.fish" \
		"$SRC/completions/fish/$b.fish"
done
for f in __case_units __case_common __case_operands __case_d; do
	want "$datadir/fish/vendor_functions.d/$f.fish" \
		"$SRC/completions/fish/functions/$f.fish"
done
want "$mandir/man7/case.7" "$SRC/man/case.7"
# The translated pages, each under its language's folder.
for p in "$SRC"/man/*/*.[1-9]; do
	[ -f "$p" ] || continue
	lang=${p%/*}
	lang=${lang##*/}
	want "$mandir/$lang/man${p##*.}/${p##*/}" "$p"
done
want "$datadir/zsh/site-functions/_case" "$SRC/completions/zsh/_case"
want "$localedir/zh_CN/LC_MESSAGES/case.mo" -
want "$libdir/libcase.a" -
want "$libdir/pkgconfig/libcase.pc" -
want "$includedir/case.h" "$SRC/include/case.h"
for h in "$SRC"/include/case/*.h; do
	want "$includedir/case/${h##*/}" "$h"
done
sort -o "$T/expected" "$T/expected"

while IFS="$(printf '\t')" read -r path how; do
	f=$ROOT$path
	case $how in
	x)
		if [ -f "$f" ] && [ -x "$f" ]; then ok "$path, executable"
		else not_ok "$path, executable"; fi
		;;
	-)
		if [ -f "$f" ] && [ -s "$f" ]; then ok "$path"
		else not_ok "$path"; fi
		;;
	*)
		if [ -f "$f" ] && cmp -s "$how" "$f"; then
			ok "$path, a copy of ${how#"$SRC"/}"
		else
			not_ok "$path, a copy of ${how#"$SRC"/}"
		fi
		;;
	esac
done <"$T/expected"

# Nothing else: no test programs, fuzz targets or benchmarks.
(cd "$ROOT" && find . -type f -o -type l) | sed 's/^\.//' | sort >"$T/found"
cut -f1 "$T/expected" >"$T/wanted"
if cmp -s "$T/wanted" "$T/found"; then
	ok "nothing else is installed"
else
	not_ok "nothing else is installed"
	diff "$T/wanted" "$T/found" | sed -n 's/^[<>]/#   &/p'
fi

# The installed binaries run from where they were put.
if out=$("$ROOT$bindir/case-admin" --version 2>&1) &&
	[ "$out" = "case-admin $(sed -n "s/^ *version: '\(.*\)',/\1/p" \
		"$SRC/meson.build")" ]; then
	ok "the installed case-admin runs"
else
	not_ok "the installed case-admin runs"
	diag "$out"
fi

# ---- libcase.pc and a program against the installed library ---------------

PC=$ROOT$libdir/pkgconfig/libcase.pc
if grep -q "$BUILD\|$SRC" "$PC"; then
	not_ok "libcase.pc names no build or source folder"
	sed 's/^/#   /' "$PC"
else
	ok "libcase.pc names no build or source folder"
fi

if ! command -v pkg-config >/dev/null 2>&1; then
	skip "pkg-config is not installed"
elif ! command -v cc >/dev/null 2>&1; then
	skip "cc is not installed"
else
	# The .pc file names the real prefix; the sysroot puts the DESTDIR
	# in front of its -I and -L folders, as for a cross build.
	pc() {
		PKG_CONFIG_PATH=$ROOT$libdir/pkgconfig PKG_CONFIG_SYSROOT_DIR=$ROOT \
			pkg-config "$@"
	}
	if flags=$(pc --cflags --libs libcase 2>"$T/err"); then
		ok "pkg-config --cflags --libs libcase"
	else
		not_ok "pkg-config --cflags --libs libcase"
		sed 's/^/#   /' "$T/err"
	fi
	# libcase is static: a program links its dependencies itself, so
	# they are in Libs, not only in Libs.private.
	for l in -lcase -lsqlite3 -lcsv; do
		case " $flags " in
		*" $l "*) ok "pkg-config --libs libcase gives $l" ;;
		*) not_ok "pkg-config --libs libcase gives $l"; diag "$flags" ;;
		esac
	done
	case " $flags " in
	*" -I$ROOT$includedir "* | *" -I$ROOT$includedir"/\ *) ok "the -I folder is the installed one" ;;
	*)
		if [ "$includedir" = /usr/include ]; then
			ok "the -I folder is the system's"
		else
			not_ok "the -I folder is the installed one"
			diag "$flags"
		fi
		;;
	esac

	# A sanitized libcase.a needs the sanitizers' runtimes.
	san=
	case ${SANITIZE:-none} in
	none | '') ;;
	*) san=-fsanitize=$SANITIZE ;;
	esac

	# Ten lines: open a database, open one case in a transaction, print
	# its id.
	cat >"$T/prog.c" <<'EOF'
#include <stdio.h>
#include <case.h>
int main(int argc, char **argv) {
	struct case_db *db; struct case_err err; struct case_opened res;
	const char *v[CASE_F_COUNT] = {0};
	v[CASE_F_KIND] = "request"; v[CASE_F_SUMMARY] = "路灯不亮";
	if (argc != 2 || case_db_open(&db, argv[1], CASE_DB_CREATE, &err) < 0 || case_db_begin(db, &err) < 0 ||
	    case_open(db, v, &res, &err) < 0 || case_db_commit(db, &err) < 0)
		return fprintf(stderr, "prog: %s\n", argc == 2 ? err.msg : "usage: prog file"), 1;
	printf("%lld\n", (long long)res.id); case_db_close(db); return 0; }
EOF
	# shellcheck disable=SC2086
	if cc -std=c11 -Wall -Wextra -Werror $san -o "$T/prog" "$T/prog.c" $flags \
		>"$T/err" 2>&1; then
		ok "a C program compiles and links against the installed libcase"
	else
		not_ok "a C program compiles and links against the installed libcase"
		diag "cc -std=c11 ... $flags"
		sed 's/^/#   /' "$T/err"
	fi
	if [ -x "$T/prog" ]; then
		mkdir "$T/db"
		if out=$("$T/prog" "$T/db/cases.db" 2>&1) && [ "$out" = 1 ] &&
			out=$("$T/prog" "$T/db/cases.db" 2>&1) && [ "$out" = 2 ]; then
			ok "the program opens cases and prints their ids"
		else
			not_ok "the program opens cases and prints their ids"
			diag "$out"
		fi
		# The installed case-report reads what the program wrote.
		if out=$("$ROOT$bindir/case-report" --db "$T/db/cases.db" -l \
			-F csv -c id,kind,status,summary 2>&1) &&
			[ "$out" = "$(printf '%s\n' id,kind,status,summary \
				1,request,open,路灯不亮 2,request,open,路灯不亮)" ]; then
			ok "the installed case-report lists them"
		else
			not_ok "the installed case-report lists them"
			diag "$out"
		fi
	else
		skip "the program was not built"
		skip "the program was not built"
	fi
	# The same with --static, for those who read Libs.private.
	# shellcheck disable=SC2086
	if sflags=$(pc --static --cflags --libs libcase 2>/dev/null) &&
		cc -std=c11 $san -o "$T/prog2" "$T/prog.c" $sflags >"$T/err" 2>&1; then
		ok "the program links with pkg-config --static too"
	else
		not_ok "the program links with pkg-config --static too"
		sed 's/^/#   /' "$T/err"
	fi
fi

done_testing
