#!/bin/sh
# CLI tests for case-admin.
. "$TESTS/cli/lib.sh"

check_usage "no command is a usage error" case-admin
run case-admin init
check_rc 0 "init creates the database"
done_testing
