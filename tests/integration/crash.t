#!/bin/sh
# crash.t -- exactly once under crashes: kill -9 at named fault points and
# at random instants, PostgreSQL stopped mid-run, a worker that segfaults.
# After each, the stored totals equal the expected ones and nothing is
# stored twice.
. "$DMARCSTAT_ROOT/tests/lib/tap.sh"
GEN="python3 $ROOT/tools/gen-report.py"
PGDIR="$DMARCSTAT_TEST_TMP/pg"

totals() { sql "SELECT count(*) || ' ' || coalesce(sum(n_records), 0) || ' ' || coalesce(sum(total_count), 0) FROM reports"; }
records() { sql "SELECT count(*) || ' ' || coalesce(sum(count), 0) FROM records"; }
expected_totals() { # expected.tsv -> "reports records total"
  awk -F'\t' 'NR > 1 && $1 != "TOTAL" { n++ } $1 == "TOTAL" { r = $5; t = $6 } END { print n " " r " " t }' "$1"
}
wait_empty() { # maildir, tries
  i=0; while [ $i -lt "$2" ] && [ -n "$(find "$1/new" "$1/cur" -type f | head -n 1)" ]; do sleep 0.2; i=$((i + 1)); done
}

# 1. kill -9 at each fault point of import, then import again.
use_db crash_points
f="$TEST_DIR/one.xml.gz"
want=$($GEN report --records 3000 --format gz --out "$f" --id crash-1 | tail -n 1 | tr '\t' ' ')
for point in mid_copy before_commit after_commit; do
  use_db "crash_$point"
  DMARCSTAT_FAULT=$point "$BIN" import -q "$f" >/dev/null 2>&1; rc=$?
  is "$rc" 137 "import killed at $point"
  "$BIN" import -q "$f" >/dev/null 2>&1
  "$BIN" import -q "$f" >/dev/null 2>&1
  is "$(totals)" "1 $want" "after a kill at $point and two re-imports: one report, exact totals"
  is "$(records)" "$want" "after a kill at $point: the records table holds each record once"
done

# 2. The worker killed after filing, and before committing, in the daemon.
use_db crash_worker
MD="$TEST_DIR/md-worker"
$GEN maildir --mails 6 --records-per-mail 40 --out "$MD" --seed 11 >/dev/null
DMARCSTAT_FAULT=after_rename "$BIN" ingest --maildir "$MD" --once >/dev/null 2>"$TEST_DIR/err"
"$BIN" ingest --maildir "$MD" --once >/dev/null 2>>"$TEST_DIR/err"
is "$(totals)" "$(expected_totals "$MD/expected.tsv")" "worker killed after each rename: exact totals"
is "$(ls "$MD/.Processed/cur" | wc -l | tr -d ' ')" "6" "all six mails filed in .Processed"

# 3. A worker that crashes on a mail: three strikes, then .Failed.
use_db crash_segv
MD="$TEST_DIR/md-segv"
$GEN maildir --mails 2 --records-per-mail 5 --out "$MD" --seed 12 >/dev/null
DMARCSTAT_FAULT=segv_parse "$BIN" ingest --maildir "$MD" --once >/dev/null 2>"$TEST_DIR/err"; rc=$?
is "$rc" 1 "ingest --once exits 1 when workers crashed"
is "$(ls "$MD/.Failed/cur" | wc -l | tr -d ' ')" "2" "after three crashes each mail is in .Failed"
is "$(sql "SELECT count(*) FROM ingest_failures WHERE stage = 'worker' AND reason LIKE 'parser crashed%'")" "2" \
   "'parser crashed' is recorded for each"
is "$(grep -c 'strike' "$TEST_DIR/err")" "6" "each crash is logged as a strike"

# 4. kill -9 the daemon and its worker at random instants, then finish.
use_db crash_random
MD="$TEST_DIR/md-random"
$GEN maildir --mails 60 --records-per-mail 30 --out "$MD" --seed 13 >/dev/null
for round in 1 2 3 4 5 6; do
  "$BIN" ingest --maildir "$MD" >/dev/null 2>&1 & daemon=$!
  sleep "0.$(awk -v s=$round 'BEGIN { srand(s); printf "%d", 2 + rand() * 7 }')"
  kill -9 $daemon 2>/dev/null
  pkill -9 -f "ingest-one --stdin --maildir $MD" 2>/dev/null
  wait $daemon 2>/dev/null
done
"$BIN" ingest --maildir "$MD" --once >/dev/null 2>&1
is "$(totals)" "$(expected_totals "$MD/expected.tsv")" "six random kill -9s: exact totals, no report twice"
is "$(records)" "$(expected_totals "$MD/expected.tsv" | cut -d' ' -f2,3)" "six random kill -9s: every record once"
is "$(ls "$MD/.Processed/cur" | wc -l | tr -d ' ')" "60" "every mail filed in .Processed"

# 5. PostgreSQL stopped in the middle of a run, then started again.
use_db crash_pgdown
MD="$TEST_DIR/md-pgdown"
$GEN maildir --mails 200 --records-per-mail 100 --out "$MD" --seed 14 >/dev/null
"$BIN" ingest --maildir "$MD" >/dev/null 2>"$TEST_DIR/derr" & daemon=$!
# Stop the server once a few mails are in: mid-run, whatever the speed.
for _ in $(seq 1 200); do
  [ "$(ls "$MD/.Processed/cur" 2>/dev/null | wc -l)" -ge 3 ] && break
  sleep 0.05
done
pg_stop "$PGDIR"
sleep 4
kill -0 $daemon 2>/dev/null; ok $? "the daemon keeps running while PostgreSQL is down"
left=$(find "$MD/new" "$MD/cur" -type f | wc -l)
is "$(grep -c 'database unavailable' "$TEST_DIR/derr")" "1" "the outage is logged once, not once per mail"
pg_start "$PGDIR"
export DMARCSTAT_DB="dbname=crash_pgdown"
wait_empty "$MD" 400
sleep 0.5
kill -TERM $daemon; wait $daemon
is "$(totals)" "$(expected_totals "$MD/expected.tsv")" "PostgreSQL restarted mid-run: exact totals"
is "$(grep -c 'database available again' "$TEST_DIR/derr")" "1" "recovery is logged once"
ok "$([ "$left" -gt 0 ] && echo 0 || echo 1)" "mails stayed in the maildir during the outage ($left left)"
done_testing
