#!/bin/sh
# The Simplified Chinese pages under man/zh_CN stay in step with the
# English pages (issue 16), in TAP.  For each translated page:
#   - mandoc -Tlint -Wwarning finds nothing (its first section keeps the
#     title NAME, by which mandoc and groff know the page's name line; the
#     other titles are Chinese);
#   - it has as many .Sh and .Ss as the English page;
#   - it has the same options, the words of its .Fl macros;
#   - its examples are the English page's commands, line for line, in
#     order (the lines of the EXAMPLES section's literal blocks and .Dl
#     lines that are not blank and not # comments, which are translated);
#   - meson install --destdir puts it at share/man/zh_CN/manN/NAME.N,
#     and man -L zh_CN finds it there and shows it through groff without
#     a warning.
# Then every page of man/ has its translation.
#
#   SRC        the top of the source tree
#   BUILD      the build folder to install from
#   PREFIX, MANDIR   the build's install folders, as meson's options give
#              them
set -u
: "${SRC:?SRC must name the top of the source tree}"
: "${BUILD:?BUILD must name the build folder}"
: "${PREFIX:?PREFIX must be the install prefix}"
. "$SRC/tests/tap.sh"

T=$(mktemp -d "${TMPDIR:-/tmp}/case-man-zh.XXXXXX")
trap 'rm -rf "$T"' EXIT
export LC_ALL=C.UTF-8
unset MANPATH MANOPT LANGUAGE DESTDIR

for tool in mandoc man; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "Bail out! $tool is not installed (tests/need mandoc man-db)"
		exit 1
	fi
done

case ${MANDIR:-share/man} in
/*) mandir=${MANDIR} ;;
*) mandir=$PREFIX/${MANDIR:-share/man} ;;
esac

# options PAGE: the words of its .Fl macros, one a line, sorted, once each.
options() {
	awk '/^\./ {
		sub(/^\./, "")
		for (i = 1; i <= NF; i++) {
			if ($i != "Fl") continue
			for (j = i + 1; j <= NF; j++) {
				if ($j ~ /^[A-Z][a-z][a-z]?$/ || $j ~ /^[][(),.;:|]$/) break
				print $j
			}
		}
	}' "$1" | sort -u
}

# commands PAGE: the example commands, in order.
commands() {
	awk '
		/^\.Sh / { inex = ($0 ~ /^\.Sh (EXAMPLES|示例)[ \t]*$/); next }
		!inex { next }
		/^\.Bd -literal/ { lit = 1; next }
		/^\.Ed/ { lit = 0; next }
		/^\.Dl / { print substr($0, 5); next }
		lit && !/^[ \t]*(#|$)/ { print }
	' "$1"
}

# same WHAT EXTRACT: the lines that EXTRACT takes from the English page
# and from its translation are the same; WHAT names them.
same() {
	"$2" "$en" >"$T/en.x"
	"$2" "$zh" >"$T/zh.x"
	if [ ! -s "$T/en.x" ]; then
		not_ok "man/$name has $1 (found none)"
	elif cmp -s "$T/en.x" "$T/zh.x"; then
		ok "$page has the $(wc -l <"$T/en.x") $1 of man/$name"
	else
		not_ok "$page has the $1 of man/$name"
		diag "only in man/$name (<) or only in $page (>):"
		diff "$T/en.x" "$T/zh.x" | sed -n 's/^[<>]/#   &/p'
	fi
}

# count PAGE MACRO
count() { grep -c "^\\.$2 " "$1"; }

# ---- the pages, one by one ---------------------------------------------

if meson install -C "$BUILD" --destdir "$T/root" --tags man --no-rebuild \
	--quiet >"$T/install.out" 2>&1; then
	ok "meson install --tags man into a DESTDIR"
else
	not_ok "meson install --tags man into a DESTDIR"
	sed 's/^/#   /' "$T/install.out"
fi

n=0
for zh in "$SRC"/man/zh_CN/*.[1-9]; do
	[ -f "$zh" ] || continue
	n=$((n + 1))
	name=${zh##*/}
	page=zh_CN/$name
	en=$SRC/man/$name
	if [ ! -f "$en" ]; then
		not_ok "$page translates man/$name (there is no such page)"
		continue
	fi

	mandoc -Tlint -Wwarning "$zh" >"$T/lint" 2>&1
	if [ -s "$T/lint" ]; then
		not_ok "$page: mandoc -Tlint -Wwarning finds nothing"
		sed 's/^/#   /' "$T/lint"
	else
		ok "$page: mandoc -Tlint -Wwarning finds nothing"
	fi

	for m in Sh Ss; do
		e=$(count "$en" $m)
		z=$(count "$zh" $m)
		if [ "$e" -eq "$z" ]; then
			ok "$page has the $e .$m of man/$name"
		else
			not_ok "$page has $z .$m, man/$name has $e"
			grep "^\\.$m " "$en" >"$T/en.$m"
			grep "^\\.$m " "$zh" >"$T/zh.$m"
			diag "man/$name | $page:"
			paste -d '|' "$T/en.$m" "$T/zh.$m" | sed 's/^/#   /'
		fi
	done

	same "options (.Fl)" options
	same "example lines, in order," commands

	sec=${name##*.}
	inst=$T/root$mandir/zh_CN/man$sec/$name
	if [ -f "$inst" ] && cmp -s "$zh" "$inst"; then
		ok "$page is installed as ${mandir#/}/zh_CN/man$sec/$name"
	else
		not_ok "$page is installed as ${mandir#/}/zh_CN/man$sec/$name (not there; is it in meson.build's man_pages_zh_CN?)"
	fi
	# man-db looks in a folder's zh_CN/ for a zh_CN locale on MANPATH
	# (not with -M, which it takes as it is).
	found=$(MANPATH=$T/root$mandir man -L zh_CN -w "$sec" "${name%.*}" 2>&1)
	if [ "$found" = "$inst" ]; then
		ok "man -L zh_CN $sec ${name%.*} finds $page"
	else
		not_ok "man -L zh_CN $sec ${name%.*} finds $page"
		diag "it found: $found"
	fi
	# And shows it, through groff as man-db does, without a warning
	# (a line of Chinese prose with no space in it cannot be broken).
	MANPATH=$T/root$mandir MANWIDTH=80 man -L zh_CN "$sec" "${name%.*}" \
		>"$T/shown" 2>"$T/shown.err"
	if [ -s "$T/shown.err" ] || ! grep -q '^描述$' "$T/shown"; then
		not_ok "man -L zh_CN $sec ${name%.*} shows $page, without a warning"
		sed 's/^/#   /' "$T/shown.err"
		head -n 5 "$T/shown" | sed 's/^/#   /'
	else
		ok "man -L zh_CN $sec ${name%.*} shows $page, without a warning"
	fi
done

# Every English page has its translation; and a test that finds no page
# checks nothing, and passes nothing.
missing=
for en in "$SRC"/man/*.[1-9]; do
	[ -f "$en" ] || continue
	[ -f "$SRC/man/zh_CN/${en##*/}" ] || missing="$missing ${en##*/}"
done
if [ -z "$missing" ] && [ "$n" -gt 0 ]; then
	ok "every page of man/ has its translation: $n pages under man/zh_CN"
else
	not_ok "every page of man/ has its translation under man/zh_CN (missing:${missing:- all})"
fi

done_testing
