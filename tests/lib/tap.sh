# tap.sh -- TAP output and helpers for the shell integration tests.
#
# Source after setting nothing; tests/run.sh exports DMARCSTAT_BIN,
# DMARCSTAT_ROOT, DMARCSTAT_SHARED, DMARCSTAT_TEST_TMP and PGHOST/PGPORT/PGUSER.
#   is GOT WANT NAME        pass when GOT = WANT (prints got/want otherwise)
#   ok STATUS NAME          pass when STATUS is 0
#   like TEXT PATTERN NAME  pass when TEXT matches the extended regex
#   tap_lines               "0|name" / "1|name|detail" lines on stdin as results
#   skip_all REASON         skip the whole file
#   use_db NAME             fresh database NAME, exported as DMARCSTAT_DB
#   sql QUERY               run QUERY in $DMARCSTAT_DB, unaligned, no header
#   done_testing            print the plan

set -u
TAP_N=0
TAP_FAILED=0
BIN=${DMARCSTAT_BIN:?run through tests/run.sh}
ROOT=${DMARCSTAT_ROOT:?}
SHARED=${DMARCSTAT_SHARED:-$ROOT/../shared}
. "$ROOT/tests/lib/pg.sh"

tap_result() { # STATUS NAME
  TAP_N=$((TAP_N + 1))
  if [ "$1" -eq 0 ]; then echo "ok $TAP_N - $2"; else
    echo "not ok $TAP_N - $2"; TAP_FAILED=$((TAP_FAILED + 1)); fi
}
is() {
  if [ "$1" = "$2" ]; then tap_result 0 "$3"; else
    tap_result 1 "$3"; printf '#   got:  %s\n#   want: %s\n' "$1" "$2"; fi
}
ok() { tap_result "$1" "$2"; }
like() {
  if printf '%s' "$1" | grep -Eq -- "$2"; then tap_result 0 "$3"; else
    tap_result 1 "$3"; printf '#   got: %s\n#   want match: %s\n' "$(printf '%s' "$1" | head -c 2000)" "$2"; fi
}
# Lines "0|name" or "1|name|detail" (from a test's helper script) as TAP
# results; lines starting with "#" pass through.
tap_lines() {
  while IFS='|' read -r st name detail; do
    case $st in
      "#"*) echo "$st" ;;
      *) ok "$st" "$name"; [ "$st" = 0 ] || echo "#   $detail" ;;
    esac
  done
}
skip_all() { echo "1..0 # SKIP $1"; exit 0; }
done_testing() { echo "1..$TAP_N"; [ "$TAP_FAILED" -eq 0 ]; exit $?; }

use_db() {
  pg_new_db "$1"
  export DMARCSTAT_DB="dbname=$1"
}
sql() { "$PG_BINDIR/psql" -X -q -A -t -v ON_ERROR_STOP=1 -d "${DMARCSTAT_DB#dbname=}" -c "$1"; }

# A scratch directory for this test file, removed by run.sh at the end.
TEST_DIR=$(mktemp -d "${DMARCSTAT_TEST_TMP:-/tmp}/t.XXXXXX")
