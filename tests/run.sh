#!/bin/sh
# run.sh BUILD -- the whole test suite: unit tests (gtest, TAP) and
# integration tests (shell, TAP) against one throwaway PostgreSQL, under prove.
set -u
BUILD=${1:-build-test}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1

export DMARCSTAT_BIN="$ROOT/$BUILD/dmarcstat"
export DMARCSTAT_ROOT="$ROOT"
SHARED_DEFAULT=$(cd "$ROOT/.." && pwd)/shared
export DMARCSTAT_SHARED="${DMARCSTAT_SHARED:-$SHARED_DEFAULT}"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export G_DEBUG=fatal-criticals

T=$(mktemp -d /tmp/dmarcstat-test.XXXXXX)
chmod 0755 "$T"
export DMARCSTAT_TEST_TMP="$T"
. "$ROOT/tests/lib/pg.sh"
cleanup() { pg_stop "$T/pg"; rm -rf "$T"; }
trap cleanup EXIT INT TERM

pg_start "$T/pg" || { echo "run.sh: cannot start PostgreSQL" >&2; exit 1; }
[ -d "$DMARCSTAT_SHARED/corpus/real" ] \
  || echo "# note: $DMARCSTAT_SHARED absent: tests that read ../shared are skipped"

prove -f --exec "sh $ROOT/tests/lib/run-one.sh" $(ls "$BUILD"/tests/unit/test_* 2>/dev/null | grep -v '\.[od]$') \
  tests/integration/*.t
