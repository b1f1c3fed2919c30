#!/bin/sh
# parallel.t -- several ingest daemons sharing one maildir and one database
# (docs/scaling.md, "many ingest daemons"): each report is stored once, every
# mail ends up filed exactly once, and none is lost, also when daemons are
# killed with -9 while the others carry on.
#
#   1. three daemons at once on 300 generated mails plus 40 re-sent copies
#      (30 with a new Message-ID, 10 byte-identical, some in cur/)
#   2. two `ingest --once` passes started together
#   3. three daemons on 400 larger mails plus the same kind of copies, one
#      of them killed -9 (with its workers) at a random instant and
#      restarted, again and again, then a final --once pass
#
# After each: the stored totals equal expected.tsv exactly, no report or
# record row is there twice, the rollups equal the records' sums, and the
# multiset of mail files filed in .Processed/.Failed is the multiset that
# was delivered (by SHA-256).
#
# Each worker claims its mail (an flock on the file, and the path must
# still name it) before parsing, so no two daemons parse the same mail: no
# duplicate is counted that was never re-sent, and no daemon records a
# mail filed under it by another as an ingest failure.
#
# The daemons run with --no-resolve: the background resolver would look up
# every source IP, which is not what is tested here.
. "$DMARCSTAT_ROOT/tests/lib/tap.sh"
GEN="python3 $ROOT/tools/gen-report.py"


totals() { sql "SELECT count(*) || ' ' || coalesce(sum(n_records), 0) || ' ' || coalesce(sum(total_count), 0) FROM reports"; }
records() { sql "SELECT count(*) || ' ' || coalesce(sum(count), 0) FROM records"; }
expected_totals() { # expected.tsv -> "reports records total"
  awk -F'\t' 'NR > 1 && $1 != "TOTAL" { n++ } $1 == "TOTAL" { r = $5; t = $6 } END { print n " " r " " t }' "$1"
}
dup_reports() {
  sql "SELECT org_name, report_id, domain, count(*) FROM reports
       GROUP BY org_name, report_id, domain HAVING count(*) > 1" | wc -l | tr -d ' '
}
dup_records() {
  sql "SELECT report_id, ordinal FROM records GROUP BY report_id, ordinal HAVING count(*) > 1" \
    | wc -l | tr -d ' '
}
# rollups_agree NAME: the rollup tables (003_rollups.sql), kept by
# concurrent workers with upserts, equal the same sums taken from the raw
# records: per (domain, begin_time, source) the messages, per (domain,
# begin_time, reporter) the reports.  Both directions of EXCEPT, so that a
# missing row and an extra one both count.  Skipped on a schema without them.
rollups_agree() {
  if [ "$(sql "SELECT to_regclass('rollup_sources') IS NOT NULL AND to_regclass('rollup_reporters') IS NOT NULL")" != t ]; then
    TAP_N=$((TAP_N + 1)); echo "ok $TAP_N - $1 # SKIP no rollup tables in this schema"; return
  fi
  _raw_src="SELECT lower(r.domain), r.begin_time, c.source_ip, sum(c.count)
            FROM reports r JOIN records c ON c.report_id = r.id GROUP BY 1, 2, 3"
  _roll_src="SELECT domain_l, begin_time, source_ip, messages FROM rollup_sources"
  _raw_rep="SELECT lower(domain), begin_time, org_name_norm, count(*) FROM reports GROUP BY 1, 2, 3"
  _roll_rep="SELECT domain_l, begin_time, org_norm, reports FROM rollup_reporters"
  is "$(sql "SELECT (SELECT count(*) FROM (($_raw_src EXCEPT $_roll_src) UNION ALL ($_roll_src EXCEPT $_raw_src)) AS d)
          || '|' || (SELECT count(*) FROM (($_raw_rep EXCEPT $_roll_rep) UNION ALL ($_roll_rep EXCEPT $_raw_rep)) AS d)")" \
     "0|0" "$1"
}
waiting() { find "$1/new" "$1/cur" -type f | wc -l | tr -d ' '; }
# wait_empty DIR SECONDS: until new/ and cur/ are empty; 1 on timeout or
# when none of $DAEMON_PIDS is left running.
wait_empty() {
  _i=$(($2 * 5))
  while [ "$(waiting "$1")" -gt 0 ]; do
    [ "$_i" -gt 0 ] || return 1
    _alive=0
    for _p in $DAEMON_PIDS; do kill -0 "$_p" 2>/dev/null && _alive=1; done
    [ "$_alive" -eq 1 ] || return 1
    sleep 0.2
    _i=$((_i - 1))
  done
}
# sums DIR...: the sorted SHA-256 of every file under DIR..., one a line.
sums() { find "$@" -type f -exec sha256sum {} + | cut -d' ' -f1 | sort; }
filed() { sums "$1/.Processed/cur" "$1/.Failed/cur"; }
count_in() { ls "$1" | wc -l | tr -d ' '; }

# resend DIR: 30 re-sent copies (a new Message-ID, the same report) and 10
# byte-identical redeliveries, 5 of those straight into cur/, as a mail
# client that has seen them leaves them.  Each is written to tmp/ first and
# renamed, as a delivery agent does.
resend() {
  _n=0
  for _f in $(ls "$1/new" | awk 'NR % 10 == 3' | head -n 30); do
    _n=$((_n + 1))
    sed 's/^Message-ID: </Message-ID: <resent./' "$1/new/$_f" > "$1/tmp/resent.$_n"
    mv "$1/tmp/resent.$_n" "$1/new/1799000000.R$_n.mx.resend.example"
  done
  _n=0
  for _f in $(ls "$1/new" | grep -v resend | awk 'NR % 30 == 7' | head -n 10); do
    _n=$((_n + 1))
    cp "$1/new/$_f" "$1/tmp/copy.$_n"
    if [ "$_n" -le 5 ]; then
      mv "$1/tmp/copy.$_n" "$1/cur/1799000100.C$_n.mx.resend.example:2,S"
    else
      mv "$1/tmp/copy.$_n" "$1/new/1799000100.C$_n.mx.resend.example"
    fi
  done
}

DAEMON_PIDS=""
# start_daemon MAILDIR LOG [OUT]: one ingest daemon in the background, its
# stderr appended to LOG, its summary line (stdout) to OUT; its pid in $!.
start_daemon() { "$BIN" ingest --maildir "$1" --no-resolve >>"${3:-/dev/null}" 2>>"$2" & }
# kill9 PID: the daemon and its workers at once, as a crash would (workers
# are looked up first: once the daemon is gone they are no longer its).
kill9() {
  _kids=$(pgrep -P "$1" 2>/dev/null | tr '\n' ' ')
  # shellcheck disable=SC2086
  kill -9 "$1" $_kids 2>/dev/null
  wait "$1" 2>/dev/null
}
cleanup() {
  for _p in $DAEMON_PIDS; do kill9 "$_p"; done
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM PIPE

# ---- 1. three daemons, one maildir, with re-sent copies ----
use_db parallel_daemons
MD="$TEST_DIR/md-daemons"
$GEN maildir --mails 300 --records-per-mail 5 --out "$MD" --seed 11 >/dev/null
resend "$MD"
is "$(count_in "$MD/new")|$(count_in "$MD/cur")" "335|5" "340 mails delivered: 300 reports, 40 re-sent copies"
sums "$MD/new" "$MD/cur" > "$TEST_DIR/in.sums"
"$BIN" db migrate >/dev/null 2>&1   # before the race, as a deployment does

: > "$TEST_DIR/daemons.err"
: > "$TEST_DIR/daemons.out"
for _ in 1 2 3; do
  start_daemon "$MD" "$TEST_DIR/daemons.err" "$TEST_DIR/daemons.out"
  DAEMON_PIDS="$DAEMON_PIDS $!"
done
wait_empty "$MD" 300
ok $? "three daemons empty new/ and cur/"
sleep 0.5   # the last workers report back
alive=0
for p in $DAEMON_PIDS; do kill -0 "$p" 2>/dev/null && alive=$((alive + 1)); done
is "$alive" "3" "all three daemons are still running"
rcs=""
for p in $DAEMON_PIDS; do kill -TERM "$p"; wait "$p"; rcs="$rcs$?"; done
DAEMON_PIDS=""
is "$rcs" "000" "SIGTERM stops each daemon with exit 0"
# Each daemon's summary line: "ingest: N inputs, M reports stored, ...".
stored=$(sed -n 's/^ingest: [0-9]* inputs*, \([0-9]*\) reports* stored.*/\1/p' "$TEST_DIR/daemons.out")
is "$(echo "$stored" | awk '{ s += $1 } END { print NR " " s }')" "3 300" \
   "the three daemons' summaries add up to the 300 reports stored"
is "$(echo "$stored" | awk '$1 > 0' | wc -l | tr -d ' ')" "3" "each daemon stored some of them (got: $(echo "$stored" | tr '\n' ' '))"

is "$(totals)" "$(expected_totals "$MD/expected.tsv")" "reports, records and messages equal expected.tsv"
is "$(records)" "$(expected_totals "$MD/expected.tsv" | cut -d' ' -f2,3)" "the records table holds each record once"
is "$(dup_reports)" "0" "no (org_name, report_id, domain) is stored twice"
is "$(dup_records)" "0" "no (report, ordinal) record row is stored twice"
rollups_agree "the rollups equal the records' sums (no re-sent copy added twice)"
is "$(sql "SELECT count(*) FROM mails")" "330" "one mails row per distinct mail file (identical copies share one)"
is "$(count_in "$MD/.Processed/cur")|$(count_in "$MD/.Failed/cur")|$(waiting "$MD")" "340|0|0" \
   "all 340 mails are in .Processed, none in .Failed or left behind"
filed "$MD" | cmp -s - "$TEST_DIR/in.sums"
ok $? "the filed mails are exactly the delivered ones (SHA-256 multiset): none lost, none doubled"
is "$(ls "$MD/.Processed/cur" | sed 's/:2,.*//' | sort | uniq -d | wc -l | tr -d ' ')" "0" \
   "no mail is filed twice under two names"
is "$(sql "SELECT coalesce(sum(duplicates_seen), 0) FROM reports")" "40" \
        "duplicates counted: the 40 re-sent copies, no more"
is "$(sql "SELECT count(*) FROM ingest_failures")" "0" \
        "no ingest failure recorded for a valid mail"

# ---- 2. two --once passes at the same time ----
use_db parallel_once
MD="$TEST_DIR/md-once"
$GEN maildir --mails 300 --records-per-mail 5 --out "$MD" --seed 12 >/dev/null
resend "$MD"
sums "$MD/new" "$MD/cur" > "$TEST_DIR/in.sums"
"$BIN" db migrate >/dev/null 2>&1
"$BIN" ingest --maildir "$MD" --once --no-resolve >/dev/null 2>"$TEST_DIR/once1.err" & p1=$!
"$BIN" ingest --maildir "$MD" --once --no-resolve >/dev/null 2>"$TEST_DIR/once2.err" & p2=$!
DAEMON_PIDS="$p1 $p2"
wait "$p1"; rc1=$?
wait "$p2"; rc2=$?
DAEMON_PIDS=""
is "$(waiting "$MD")" "0" "two concurrent --once passes leave new/ and cur/ empty"
is "$(totals)" "$(expected_totals "$MD/expected.tsv")" "two --once passes: totals equal expected.tsv"
is "$(records)" "$(expected_totals "$MD/expected.tsv" | cut -d' ' -f2,3)" "two --once passes: every record once"
is "$(dup_reports)|$(dup_records)" "0|0" "two --once passes: no report or record row twice"
is "$(count_in "$MD/.Processed/cur")|$(count_in "$MD/.Failed/cur")" "340|0" \
   "two --once passes: all 340 mails in .Processed"
filed "$MD" | cmp -s - "$TEST_DIR/in.sums"
ok $? "two --once passes: the filed mails are exactly the delivered ones"
rollups_agree "two --once passes: the rollups equal the records' sums"
ok "$([ "$rc1" -le 1 ] && [ "$rc2" -le 1 ] && echo 0 || echo 1)" \
   "neither pass crashed or lost the database (exit $rc1, $rc2)"
is "$rc1 $rc2" "0 0" "both passes exit 0 (nothing rejected)"

# ---- 3. daemons killed -9 at random instants while the others go on ----
use_db parallel_kill
MD="$TEST_DIR/md-kill"
$GEN maildir --mails 400 --records-per-mail 40 --out "$MD" --seed 13 >/dev/null
resend "$MD"
sums "$MD/new" "$MD/cur" > "$TEST_DIR/in.sums"
"$BIN" db migrate >/dev/null 2>&1
: > "$TEST_DIR/kill.err"
start_daemon "$MD" "$TEST_DIR/kill.err"; d1=$!
start_daemon "$MD" "$TEST_DIR/kill.err"; d2=$!
start_daemon "$MD" "$TEST_DIR/kill.err"; d3=$!
DAEMON_PIDS="$d1 $d2 $d3"
kills=0
mid_run=0
round=0
while [ "$round" -lt 15 ] && [ "$(waiting "$MD")" -gt 0 ]; do
  round=$((round + 1))
  # A random instant, 0.10 .. 0.59 s; the schedule is printed, so that a
  # failure can be told apart from the next run's.
  pause=$(od -An -N1 -tu1 /dev/urandom | awk '{ printf "0.%02d", 10 + $1 % 50 }')
  sleep "$pause"
  left=$(waiting "$MD")
  case $((round % 3)) in
    1) victim=$d1 ;;
    2) victim=$d2 ;;
    *) victim=$d3 ;;
  esac
  kill9 "$victim"
  kills=$((kills + 1))
  [ "$left" -gt 0 ] && mid_run=$((mid_run + 1))
  echo "# round $round: after ${pause}s, $left mails waiting: kill -9 $victim"
  start_daemon "$MD" "$TEST_DIR/kill.err"
  case $((round % 3)) in
    1) d1=$! ;;
    2) d2=$! ;;
    *) d3=$! ;;
  esac
  DAEMON_PIDS="$d1 $d2 $d3"
done
ok "$([ "$mid_run" -ge 3 ] && echo 0 || echo 1)" \
   "at least three daemons were killed with mails still waiting ($mid_run of $kills)"
wait_empty "$MD" 300
sleep 0.5   # a daemon restarted last has its signal handlers in place
for p in $DAEMON_PIDS; do kill -TERM "$p"; { wait "$p"; } 2>/dev/null; done
DAEMON_PIDS=""
"$BIN" ingest --maildir "$MD" --once --no-resolve >/dev/null 2>>"$TEST_DIR/kill.err"
is "$(waiting "$MD")" "0" "after the kills and a final --once pass, new/ and cur/ are empty"
is "$(totals)" "$(expected_totals "$MD/expected.tsv")" "after $kills kill -9s: totals equal expected.tsv"
is "$(records)" "$(expected_totals "$MD/expected.tsv" | cut -d' ' -f2,3)" "after $kills kill -9s: every record once"
is "$(dup_reports)|$(dup_records)" "0|0" "after $kills kill -9s: no report or record row twice"
is "$(count_in "$MD/.Processed/cur")|$(count_in "$MD/.Failed/cur")" "440|0" \
   "after $kills kill -9s: all 440 mails in .Processed"
filed "$MD" | cmp -s - "$TEST_DIR/in.sums"
ok $? "after $kills kill -9s: the filed mails are exactly the delivered ones"
rollups_agree "after $kills kill -9s: the rollups equal the records' sums"
grep -q 'AddressSanitizer\|runtime error' "$TEST_DIR/daemons.err" "$TEST_DIR/once1.err" \
  "$TEST_DIR/once2.err" "$TEST_DIR/kill.err"
is "$?" "1" "no sanitizer report from any daemon or worker"
done_testing
