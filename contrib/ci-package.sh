#!/bin/sh
# Build the Debian packages of this checkout, check them with lintian,
# install them with apt-get and try them as a user would: the demo's day
# from the installed binaries (debian/tests/demo), the man pages, the
# completions of bash, zsh and fish, and a C program built against the
# installed libcase.  For CI on Debian 12, as root, after the test suite:
#
#	sh contrib/ci-package.sh
#
# The packages are built in a copy of the tree in a temporary folder, since
# dpkg-buildpackage writes its results beside the source folder, and they
# are removed again at the end unless KEEP=1 is set.
set -eu
export DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8

top=$(cd "$(dirname "$0")/.." && pwd)
if [ "$(id -u)" -ne 0 ]; then
	echo "ci-package: run me as root (apt-get installs the packages)" >&2
	exit 2
fi

W=$(mktemp -d "${TMPDIR:-/tmp}/case-pkg.XXXXXX")
installed=
cleanup() {
	rc=$?
	if [ -n "$installed" ] && [ "${KEEP:-0}" != 1 ]; then
		apt-get purge -y -q case-tools libcase-dev >/dev/null || rc=1
	fi
	rm -rf "$W"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

step() { printf '\n==> %s\n' "$*"; }

# The tree as git knows it (tracked files and new ones not ignored), or
# everything but the build folders.
step "installing what the package check needs"
"$top/tests/need" build-essential debhelper dpkg-dev lintian man-db \
	bash-completion zsh fish

step "copying the source"
version=$(dpkg-parsechangelog -l "$top/debian/changelog" -S Version)
src=$W/case-${version%-*}
mkdir "$src"
if git -C "$top" rev-parse --git-dir >/dev/null 2>&1; then
	(cd "$top" && git ls-files -z --cached --others --exclude-standard |
		tar --null -T - --ignore-failed-read -cf -) | tar -xf - -C "$src"
else
	(cd "$top" && tar --exclude='./build*' --exclude=./.git -cf - .) |
		tar -xf - -C "$src"
fi

step "installing the build dependencies"
apt-get build-dep -y -q "$src" >/dev/null

# The build runs the whole test suite (dh_auto_test).
step "dpkg-buildpackage -us -uc -b"
(cd "$src" && dpkg-buildpackage -us -uc -b)

step "lintian"
lintian --fail-on error --info "$W"/*.changes

step "apt-get install"
installed=1
apt-get install -y -q "$W"/case-tools_*.deb "$W"/libcase-dev_*.deb

failed=0
check() {
	name=$1
	shift
	if "$@" >"$W/out" 2>&1; then
		echo "ok - $name"
	else
		failed=1
		echo "not ok - $name"
		sed 's/^/#   /' "$W/out"
	fi
}

step "the demo from the installed binaries"
check "debian/tests/demo" sh "$src/debian/tests/demo"
cat "$W/out"

step "man pages and completions"
for page in case-open case-admin case-assign case-followup case-report; do
	check "man -w $page" sh -c \
		"[ \"\$(man -w $page)\" = /usr/share/man/man1/$page.1.gz ]"
done
check "man -w 7 case" sh -c \
	'[ "$(man -w 7 case)" = /usr/share/man/man7/case.7.gz ]'
for b in case-open case-admin case-assign case-followup case-report; do
	f=_case_${b#case-}
	# _completion_loader returns 124 when it loaded a completion, to
	# have bash try again.
	check "bash-completion loads the completion of $b" bash -c \
		". /usr/share/bash-completion/bash_completion
		_completion_loader $b
		[ \"\$(complete -p $b)\" = 'complete -F $f $b' ]"
done
if command -v zsh >/dev/null 2>&1; then
	check "zsh completes case-report with _case" zsh -fc \
		'autoload -U compinit && compinit -u -D &&
		[[ $_comps[case-report] == _case ]]'
fi
# fish finds vendor completions through its own config.fish, so it runs
# with that but with an empty home.
if command -v fish >/dev/null 2>&1; then
	check "fish completes case-report --gr" sh -c \
		"HOME='$W' XDG_CONFIG_HOME='$W' fish -c 'complete -C\"case-report --gr\"' |
		grep -q '^--group'"
fi

step "a program against the installed libcase-dev"
cat >"$W/prog.c" <<'EOF'
#include <stdio.h>
#include <case.h>
int main(int argc, char **argv) {
	struct case_db *db; struct case_err err; struct case_opened res;
	const char *v[CASE_F_COUNT] = {0};
	v[CASE_F_KIND] = "request"; v[CASE_F_SUMMARY] = "Street lamp out";
	if (argc != 2 || case_db_open(&db, argv[1], CASE_DB_CREATE, &err) < 0 || case_db_begin(db, &err) < 0 ||
	    case_open(db, v, &res, &err) < 0 || case_db_commit(db, &err) < 0)
		return fprintf(stderr, "prog: %s\n", argc == 2 ? err.msg : "usage: prog file"), 1;
	printf("%lld\n", (long long)res.id); case_db_close(db); return 0; }
EOF
# shellcheck disable=SC2046
check "cc prog.c \$(pkg-config --cflags --libs libcase)" sh -c \
	"cc -std=c11 -Wall -Wextra -Werror -o '$W/prog' '$W/prog.c' \
		\$(pkg-config --cflags --libs libcase)"
check "the program opens a case" sh -c \
	"[ \"\$('$W/prog' '$W/prog.db')\" = 1 ]"

exit "$failed"
