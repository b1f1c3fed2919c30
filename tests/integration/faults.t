#!/bin/sh
# faults.t -- what the machine can do to a running dmarcstat: the disk
# where .Processed lives fills up, the maildir turns read-only, PostgreSQL
# drops the connection under a streaming export, a worker dies in the
# middle of unpacking an archive.  After each: exact totals, no report
# twice, every mail in the right folder, and one clear line in the log.
#
# The disk scenarios mount file systems.  Each runs as a script of its own
# in a private mount namespace (unshare -m, or unshare -r -m without root),
# so its mounts go away with it whatever happens; its umount trap is for
# the case where namespaces are not available and root mounts directly.
# Without any of those the scenario is skipped with a note.  Their results
# come back as lines "0|name" or "1|name|detail" (see t_is below).
. "$DMARCSTAT_ROOT/tests/lib/tap.sh"
GEN="python3 $ROOT/tools/gen-report.py"
SAMPLES_REPORTS=$(awk -F'\t' 'NR > 1 && $1 != "TOTAL"' "$ROOT/samples/expected.tsv" | wc -l | tr -d ' ')
SAMPLES_MAILS=$(ls "$ROOT/samples/new" | wc -l | tr -d ' ')
SAMPLES_TOTALS="$SAMPLES_REPORTS|$(awk -F'\t' '$1 == "TOTAL" { print $5 "|" $6 }' "$ROOT/samples/expected.tsv")"

fresh_db() { use_db "$1"; "$BIN" db migrate >/dev/null 2>&1; }
PIDS=""
cleanup() { for p in $PIDS; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; }
trap cleanup EXIT

# What the scenario scripts share: their result lines, SQL, counts.
cat >"$TEST_DIR/lib.sh" <<'EOF'
t_is() { if [ "$1" = "$2" ]; then echo "0|$3"; else echo "1|$3|got: $(printf '%s' "$1" | tr '\n|' '  ') want: $2"; fi; }
t_like() {
  if printf '%s' "$1" | grep -Eq -- "$2"; then echo "0|$3"
  else echo "1|$3|got: $(printf '%s' "$1" | head -c 400 | tr '\n|' '  ') want match: $2"; fi
}
sql() { "$PG_BINDIR/psql" -X -q -A -t -v ON_ERROR_STOP=1 -d "${DMARCSTAT_DB#dbname=}" -c "$1"; }
files() { find "$@" -type f 2>/dev/null | wc -l | tr -d ' '; }
totals() { sql "SELECT count(*) || '|' || coalesce(sum(n_records), 0) || '|' || coalesce(sum(total_count), 0) FROM reports"; }
twice() { sql "SELECT count(*) - count(DISTINCT (org_name, report_id, domain)) FROM reports"; }
# maildir MD: new/, cur/ and both folders, with the samples in new/.
maildir() {
  for d in new cur tmp .Processed/cur .Processed/new .Processed/tmp .Failed/cur .Failed/new .Failed/tmp; do
    mkdir -p "$1/$d"
  done
  touch "$1/.Processed/maildirfolder" "$1/.Failed/maildirfolder"
  cp "$ROOT"/samples/new/* "$1/new/"
}
# named_in LOG REASON: the sample mails LOG says could not be moved for REASON.
named_in() { sed -n "s|^dmarcstat: warning: .*/new/\([^/:]*\): cannot move to .*: $2\$|\1|p" "$1" | sort -u; }
# reports_of FILE...: how many reports samples/expected.tsv lists for them.
reports_of() { for f in "$@"; do awk -F'\t' -v f="$f" '$1 == f' "$ROOT/samples/expected.tsv"; done | wc -l | tr -d ' '; }
wait_for() { # SECONDS COMMAND...: until COMMAND succeeds
  _n=$(($1 * 10)); shift
  while [ $_n -gt 0 ] && ! "$@"; do sleep 0.1; _n=$((_n - 1)); done
}
EOF
export BIN ROOT PG_BINDIR SAMPLES_MAILS SAMPLES_TOTALS
export LIB="$TEST_DIR/lib.sh"

# How to give a scenario its own mounts.
NS=""
if [ "$(id -u)" -eq 0 ] && unshare -m --propagation private true 2>/dev/null; then
  NS="unshare -m --propagation private"
elif unshare -r -m true 2>/dev/null; then
  NS="unshare -r -m"
fi
mkdir -p "$TEST_DIR/probe"
CAN_MOUNT=0
$NS sh -c 'mount -t tmpfs -o size=64k tmpfs "$1" && umount "$1"' sh "$TEST_DIR/probe" 2>/dev/null && CAN_MOUNT=1
# run_scenario NAME: $TEST_DIR/NAME.sh with its mounts, results as TAP.
run_scenario() {
  if [ "$CAN_MOUNT" = 0 ]; then
    echo "# skipped $1: this user cannot mount a file system (no root, no user namespaces)"
    return
  fi
  $NS sh "$TEST_DIR/$1.sh" "$TEST_DIR/$1" >"$TEST_DIR/$1.out" 2>"$TEST_DIR/$1.err"
  tap_lines <"$TEST_DIR/$1.out"
  [ -s "$TEST_DIR/$1.out" ] || { ok 1 "$1 ran"; sed 's/^/#   /' "$TEST_DIR/$1.err"; }
}

# --- 1. the disk of .Processed is full: the move fails after COMMIT -------------
# On tmpfs a rename never needs space, so a full tmpfs cannot make it
# fail; on ext4 it does when the target directory must grow a block.  The
# maildir is a 4 MiB ext4 image: its data blocks are filled, then
# .Processed/cur's directory block with short names, so that moving a mail
# in needs a block there is none of.
fresh_db faults_diskfull
cat >"$TEST_DIR/diskfull.sh" <<'EOF'
. "$LIB"
MD=$1
mkdir -p "$MD"
trap 'umount "$MD" 2>/dev/null' EXIT
truncate -s 4M "$MD.img"
if ! mkfs.ext4 -q -F -b 1024 -m 0 -N 256 -O ^has_journal "$MD.img" >/dev/null 2>&1 \
   || ! mount -o loop "$MD.img" "$MD" 2>/dev/null; then
  echo "# skipped: no ext4 loop mount here (mkfs.ext4 or loop devices missing)"
  exit 0
fi
maildir "$MD"
dd if=/dev/zero of="$MD/fill" bs=1k >/dev/null 2>&1
i=0; while [ $i -lt 5000 ] && touch "$MD/.Processed/cur/f$i" 2>/dev/null; do i=$((i + 1)); done

"$BIN" ingest --once --no-resolve --maildir "$MD" >"$MD.out1" 2>"$MD.err1"; rc=$?
full=$(named_in "$MD.err1" "No space left on device")
t_like "$full" "." "disk full: the mails whose move failed are named, with ENOSPC ($(echo $full))"
t_is "$(for f in $full; do grep -c "/new/$f: cannot move to .*/\.Processed/cur/$f:2,: No space left on device\$" "$MD.err1"; done | sort -u)" 1 \
     "disk full: one line per mail, naming the file, where it was going, and the reason"
t_is "$(files "$MD/new")" "$SAMPLES_MAILS" "disk full: those mails are still in new/, and so are the rest"
t_is "$(sql "SELECT count(*) FROM reports")" "$(reports_of $full)" \
     "disk full: exactly their reports are stored (committed before the move)"
t_is "$(twice)" 0 "disk full: no report stored twice"
t_like "$rc" "^[1-9]" "disk full: ingest --once does not end as a success (exit $rc)"
t_is "$(grep -c 'database unavailable' "$MD.err1")" 0 "disk full: no line blames the database"
rm -f "$MD/fill"
"$BIN" ingest --once --no-resolve --maildir "$MD" >"$MD.out2" 2>"$MD.err2"; rc=$?
t_is "$rc" 0 "space freed: the next pass exits 0"
t_is "$(totals)" "$SAMPLES_TOTALS" "space freed: exact totals"
t_is "$(twice)" 0 "space freed: the stored mail's reports counted as duplicates, not stored twice"
t_like "$(cat "$MD.out2")" " $(reports_of $full) duplicates?," "space freed: the summary counts them as duplicates"
t_is "$(files "$MD/new" "$MD/cur")|$(ls "$MD/.Processed/cur" | grep -vc '^f[0-9]')" "0|$SAMPLES_MAILS" \
     "space freed: every mail is in .Processed/cur, none left in new/ or cur/"
EOF
run_scenario diskfull

# The same disk full on tmpfs, where it shows differently: no inode left
# for the folders the daemon creates on its first start.
fresh_db faults_inodes
cat >"$TEST_DIR/inodes.sh" <<'EOF'
. "$LIB"
MD=$1
mkdir -p "$MD"
trap 'umount "$MD" 2>/dev/null' EXIT
mount -t tmpfs -o size=1m,nr_inodes=1000 tmpfs "$MD"
mkdir -p "$MD/new" "$MD/cur" "$MD/tmp"
cp "$ROOT"/samples/new/* "$MD/new/"
used=$(df -i "$MD" | awk 'NR == 2 { print $3 }')
mount -o remount,nr_inodes="$used" "$MD"
"$BIN" ingest --once --no-resolve --maildir "$MD" >"$MD.out1" 2>"$MD.err1"; rc=$?
t_is "$rc" 2 "no inode left: ingest refuses to start (exit 2)"
t_is "$(cat "$MD.err1")" "dmarcstat: cannot create $MD/.Processed/cur: No space left on device" \
     "no inode left: one line naming the folder and ENOSPC"
t_is "$(sql "SELECT count(*) FROM reports")|$(files "$MD/new")" "0|$SAMPLES_MAILS" \
     "no inode left: nothing stored, every mail still in new/"
mount -o remount,nr_inodes=1000 "$MD"
"$BIN" ingest --once --no-resolve --maildir "$MD" >/dev/null 2>"$MD.err2"; rc=$?
t_is "$rc|$(totals)|$(twice)" "0|$SAMPLES_TOTALS|0" "inodes freed: the next pass stores everything once, exact totals"
t_is "$(files "$MD/new" "$MD/cur")|$(files "$MD/.Processed/cur")" "0|$SAMPLES_MAILS" "inodes freed: every mail in .Processed/cur"
EOF
run_scenario inodes

# --- 2. the maildir is read-only (root ignores permissions: a ro mount) ---------
# The daemon, not --once: it stores the first mail, cannot move it, and
# retries with backoff; each retry finds the reports stored.  Made writable
# again while it runs, it files everything.
fresh_db faults_readonly
cat >"$TEST_DIR/readonly.sh" <<'EOF'
. "$LIB"
MD=$1
mkdir -p "$MD"
D=""
trap '[ -n "$D" ] && kill "$D" 2>/dev/null; wait 2>/dev/null; umount "$MD" 2>/dev/null' EXIT
mount -t tmpfs -o size=4m tmpfs "$MD"
maildir "$MD"
mount -o remount,ro "$MD"
"$BIN" ingest --no-resolve --maildir "$MD" >"$MD.d.out" 2>"$MD.d.err" & D=$!
# Wait for a retry: some mail named twice.
retried() { [ -n "$(sed -n 's|.*/new/\([^/:]*\): cannot move to .*: Read-only file system$|\1|p' "$MD.d.err" | sort | uniq -d)" ]; }
wait_for 60 retried
ro=$(named_in "$MD.d.err" "Read-only file system")
t_like "$ro" "." "read-only: the mails whose move failed are named, with EROFS ($(echo $ro))"
t_is "$(grep 'Read-only file system' "$MD.d.err" | grep -vc '^dmarcstat: warning: [^ ]*/new/[^/ ]*: cannot move to [^ ]*/\.Processed/cur/[^/ ]*:2,: Read-only file system$')" 0 \
     "read-only: each such line names the file, where it was going, and the reason"
t_is "$(sql "SELECT count(*) FROM reports")|$(twice)" "$(reports_of $ro)|0" \
     "read-only: their reports are stored once, however often they are retried"
t_is "$(files "$MD/new")" "$SAMPLES_MAILS" "read-only: every mail is still in new/"
kill -0 "$D" 2>/dev/null && alive=yes || alive=no
t_is "$alive" yes "read-only: the daemon keeps running"
t_is "$(grep -c 'retrying with backoff' "$MD.d.err")" 1 "read-only: the retry is announced once, not once per attempt"
t_is "$(grep -c 'database unavailable' "$MD.d.err")" 0 "read-only: the announcement does not blame the database"
mount -o remount,rw "$MD"
empty() { [ "$(files "$MD/new" "$MD/cur")" = 0 ]; }
wait_for 90 empty
kill -TERM "$D"; wait "$D"; rc=$?; D=""
t_is "$rc" 0 "writable again: the daemon stops cleanly on SIGTERM"
t_is "$(totals)|$(twice)" "$SAMPLES_TOTALS|0" "writable again: exact totals, no report twice"
t_is "$(files "$MD/new" "$MD/cur")|$(files "$MD/.Processed/cur")|$(files "$MD/.Failed/cur")" "0|$SAMPLES_MAILS|0" \
     "writable again: every mail in .Processed/cur, none in .Failed"
EOF
run_scenario readonly

# --- 3. the database connection dropped under a streaming export ---------------
# 20,000 records: twenty FETCH batches for the export.  Its stdout is a
# FIFO read only after its backend was terminated, so the export is
# blocked mid-stream at that moment, whatever the machine's speed.
fresh_db faults_stream
# A second report with 40,000 distinct sources: its sources CSV (some 10 MB)
# is larger than the socket buffers (at most 4 MiB each way), so a client
# that stops reading stops the stream mid-cursor.
$GEN report --records 20000 --out "$TEST_DIR/big.xml.gz" --id stream-1 >/dev/null
python3 - "$TEST_DIR/wide.xml" <<'EOF'
import sys
with open(sys.argv[1], "w") as f:
    f.write('<?xml version="1.0"?>\n<feedback><version>1.0</version><report_metadata><org_name>Wide Example</org_name>'
            "<email>dmarc@wide.example</email><report_id>wide-1</report_id><date_range><begin>1791849600</begin>"
            "<end>1791935999</end></date_range></report_metadata><policy_published><domain>wide-example.net</domain>"
            "<p>none</p></policy_published>\n")
    for i in range(40000):
        f.write("<record><row><source_ip>2001:db8:%x:%x::1</source_ip><count>%d</count><policy_evaluated>"
                "<disposition>none</disposition><dkim>fail</dkim><spf>pass</spf></policy_evaluated></row>"
                "<identifiers><header_from>wide-example.net</header_from></identifiers><auth_results><spf>"
                "<domain>bounce.wide-example.net</domain><result>pass</result></spf></auth_results></record>\n"
                % (i >> 16, i & 0xffff, 1 + i % 9))
    f.write("</feedback>\n")
EOF
"$BIN" import -q "$TEST_DIR/big.xml.gz" "$TEST_DIR/wide.xml" >/dev/null 2>&1
ok $? "a 20,000-record report and one of 40,000 sources imported"
RECORDS=$(sql "SELECT count(*) FROM records")
# terminate_fetch: ends the backend that is in the middle of a FETCH loop.
terminate_fetch() {
  sql "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
       WHERE datname = current_database() AND pid <> pg_backend_pid()
         AND state = 'idle in transaction' AND query LIKE 'FETCH%'"
}
fetching() { [ "$(sql "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
                         AND state = 'idle in transaction' AND query LIKE 'FETCH%'")" -ge 1 ]; }
wait_fetching() { i=0; while [ $i -lt 300 ] && ! fetching; do sleep 0.1; i=$((i + 1)); done; }

mkfifo "$TEST_DIR/export.fifo"
"$BIN" export >"$TEST_DIR/export.fifo" 2>"$TEST_DIR/export.err" & EXPORT=$!
PIDS="$EXPORT"
exec 3<"$TEST_DIR/export.fifo"
wait_fetching
is "$(terminate_fetch)" 1 "the export's backend is terminated while it streams"
cat <&3 >"$TEST_DIR/export.csv"
exec 3<&-
wait "$EXPORT"; rc=$?
PIDS=""
ok "$([ "$rc" -ne 0 ] && echo 0 || echo 1)" "the export does not end as a success (exit $rc)"
rows=$(($(wc -l <"$TEST_DIR/export.csv") - 1))
ok "$([ "$rows" -lt "$RECORDS" ] && echo 0 || echo 1)" "the output is cut short ($rows of $RECORDS rows), and the exit status says so"
is "$(wc -l <"$TEST_DIR/export.err" | tr -d ' ')" 1 "one line on stderr"
like "$(cat "$TEST_DIR/export.err")" "^dmarcstat: export: .*(terminat|connection|server closed)" "naming the lost connection"
is "$rc" 3 "exit 3: the database went away"

# The dashboard's streamed CSV: a client that reads 4 KiB and pauses holds
# the stream after its first FETCH; the backend is terminated; the client
# reads on.
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$BIN" serve --listen "127.0.0.1:$PORT" >/dev/null 2>"$TEST_DIR/serve.err" & SERVER=$!
PIDS="$SERVER"
cat >"$TEST_DIR/slow.py" <<'EOF'
# slow.py PORT PATH GO_FILE: GET PATH, read 4 KiB, wait until GO_FILE
# exists, read the rest.  Prints "complete" when the chunked body ended
# with its last chunk, else "cut"; then the CSV rows received.
import csv, io, os, socket, sys, time
port, path, go = int(sys.argv[1]), sys.argv[2], sys.argv[3]
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s.connect(("127.0.0.1", port))
s.sendall(("GET %s HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n" % path).encode())
data = s.recv(4096)
open(go + ".paused", "w").close()
while not os.path.exists(go):
    time.sleep(0.05)
s.settimeout(60)
while True:
    try:
        chunk = s.recv(65536)
    except OSError:
        break
    if not chunk:
        break
    data += chunk
rest, body, complete = data.partition(b"\r\n\r\n")[2], b"", False
while rest:
    size, sep, rest = rest.partition(b"\r\n")
    if not sep:
        break
    n = int(size.split(b";")[0] or b"0", 16)
    if n == 0:
        complete = True
        break
    body, rest = body + rest[:n], rest[n + 2:]
print("complete" if complete else "cut")
print(len(list(csv.reader(io.StringIO(body.decode("utf-8", "replace"), newline="")))))
EOF
for _ in $(seq 1 100); do python3 -c "import socket; socket.create_connection(('127.0.0.1', $PORT))" 2>/dev/null && break; sleep 0.1; done
D=wide-example.net
python3 "$TEST_DIR/slow.py" "$PORT" "/domains/$D.csv?days=3660" "$TEST_DIR/go" >"$TEST_DIR/slow.out" & CLIENT=$!
i=0; while [ $i -lt 100 ] && [ ! -e "$TEST_DIR/go.paused" ]; do sleep 0.1; i=$((i + 1)); done
wait_fetching
is "$(terminate_fetch)" 1 "the server's backend is terminated under a CSV it streams"
touch "$TEST_DIR/go"
wait "$CLIENT"
is "$(sed -n 1p "$TEST_DIR/slow.out")" cut "the response is cut off, not ended as if complete"
is "$(grep -c 'streaming a CSV' "$TEST_DIR/serve.err")" 1 "the server logs it in one line"
python3 - "$PORT" >"$TEST_DIR/after.out" <<'EOF'
import sys, urllib.request
print(urllib.request.urlopen("http://127.0.0.1:%s/healthz" % sys.argv[1], timeout=30).status)
EOF
is "$(cat "$TEST_DIR/after.out")" 200 "and keeps answering: /healthz is 200"
rm -f "$TEST_DIR/go" "$TEST_DIR/go.paused"
touch "$TEST_DIR/go"
python3 "$TEST_DIR/slow.py" "$PORT" "/domains/$D.csv?days=3660" "$TEST_DIR/go" >"$TEST_DIR/again.out"
want=$(sql "SELECT count(DISTINCT c.source_ip) FROM records c JOIN reports r ON r.id = c.report_id WHERE r.domain = '$D'")
is "$(sed -n 1p "$TEST_DIR/again.out")|$(($(sed -n 2p "$TEST_DIR/again.out") - 1))" "complete|$want" \
   "the same CSV asked again streams whole: one row per source"
kill "$SERVER"; wait "$SERVER"
is "$?" 0 "serve exits 0 on SIGTERM afterwards"
PIDS=""

# --- 4. a worker killed while it unpacks (fault point mid_unpack) ---------------
# mid_unpack raises SIGKILL after a chunk of an archive was inflated,
# inside the mail's transaction.
fresh_db faults_unpack
MD="$TEST_DIR/md-unpack"
$GEN maildir --mails 3 --records-per-mail 2500 --out "$MD" --seed 31 >/dev/null
M=$(ls "$MD/new" | sort | head -n 1)
DMARCSTAT_FAULT=mid_unpack "$BIN" ingest-one --maildir "$MD" "$MD/new/$M" >/dev/null 2>&1; rc=$?
is "$rc" 137 "the worker is killed (SIGKILL) in the middle of an unpack"
is "$(sql "SELECT count(*) FROM reports")|$(sql "SELECT count(*) FROM records")|$(sql "SELECT count(*) FROM ingest_failures")" "0|0|0" \
   "nothing of the mail is stored, not even as a failure"
ok "$([ -f "$MD/new/$M" ] && echo 0 || echo 1)" "the mail stays in new/"
"$BIN" ingest --once --no-resolve --maildir "$MD" >"$TEST_DIR/unpack.out" 2>"$TEST_DIR/unpack.err"; rc=$?
expected() { awk -F'\t' 'NR > 1 && $1 != "TOTAL" { n++ } $1 == "TOTAL" { r = $5; t = $6 } END { print n "|" r "|" t }' "$1"; }
is "$rc|$(sql "SELECT count(*) || '|' || sum(n_records) || '|' || sum(total_count) FROM reports")" "0|$(expected "$MD/expected.tsv")" \
   "the next pass stores every report once: exact totals"
is "$(sql "SELECT count(*) || '|' || sum(count) FROM records")" "$(expected "$MD/expected.tsv" | cut -d'|' -f2,3)" \
   "the records table holds each record once"
is "$(ls "$MD/.Processed/cur" | wc -l | tr -d ' ')|$(find "$MD/new" "$MD/cur" -type f | wc -l | tr -d ' ')" "3|0" \
   "every mail is in .Processed/cur"

# A zip of two reports killed in its second entry: the first report, saved
# in the same transaction, goes too; the next pass stores both.
fresh_db faults_unpack_zip
MD="$TEST_DIR/md-zip"
mkdir -p "$MD/new" "$MD/cur" "$MD/tmp"
$GEN report --records 1 --out "$TEST_DIR/z1.xml" --id zip-entry-1 --seed 41 >/dev/null
$GEN report --records 3000 --out "$TEST_DIR/z2.xml" --id zip-entry-2 --seed 42 >/dev/null
python3 - "$TEST_DIR/z1.xml" "$TEST_DIR/z2.xml" "$MD/new/1800000000.zip2.mx" <<'EOF'
import email.message, sys, zipfile, io
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
    z.write(sys.argv[1], "a-first.xml")
    z.write(sys.argv[2], "b-second.xml")
m = email.message.EmailMessage()
m["From"], m["To"], m["Subject"] = "dmarc@reporter.example", "dmarc@example.com", "two reports"
m["Message-ID"] = "<zip2@reporter.example>"
m.set_content("two reports")
m.add_attachment(buf.getvalue(), maintype="application", subtype="zip", filename="two.zip")
open(sys.argv[3], "wb").write(bytes(m))
EOF
DMARCSTAT_FAULT=mid_unpack:2 "$BIN" ingest-one --maildir "$MD" "$MD/new/1800000000.zip2.mx" >/dev/null 2>&1; rc=$?
is "$rc|$(sql "SELECT count(*) FROM reports")|$(sql "SELECT count(*) FROM records")" "137|0|0" \
   "killed in the second zip entry: the first entry's report is rolled back with it"
"$BIN" ingest --once --no-resolve --maildir "$MD" >/dev/null 2>&1
is "$(sql "SELECT string_agg(report_id || ':' || n_records, ' ' ORDER BY report_id) FROM reports")" "zip-entry-1:1 zip-entry-2:3000" \
   "the next pass stores both reports once"
is "$(ls "$MD/.Processed/cur" | wc -l | tr -d ' ')" 1 "and files the mail in .Processed/cur"

# Killed at every attempt, in the daemon: three strikes, then .Failed, and
# still nothing half-stored.
fresh_db faults_unpack_strikes
MD="$TEST_DIR/md-strikes"
$GEN maildir --mails 1 --records-per-mail 2500 --out "$MD" --seed 32 >/dev/null
DMARCSTAT_FAULT=mid_unpack "$BIN" ingest --once --no-resolve --maildir "$MD" >/dev/null 2>"$TEST_DIR/strikes.err"; rc=$?
is "$rc" 1 "a mail that kills its worker every time: ingest --once exits 1"
is "$(grep -c 'worker killed by signal 9 (strike' "$TEST_DIR/strikes.err")" 3 "each kill is logged as a strike"
is "$(ls "$MD/.Failed/cur" | wc -l | tr -d ' ')|$(sql "SELECT count(*) FROM reports")|$(sql "SELECT count(*) FROM records")" "1|0|0" \
   "after three strikes the mail is in .Failed, and nothing of it is stored"
like "$(sql "SELECT stage || ': ' || reason FROM ingest_failures")" "^worker: parser crashed \(signal 9\) 3 times" \
     "the failure is recorded as 'parser crashed'"

# --- 5. the worker's resource limits ------------------------------------------------
# A worker waits on a table lock held by another session: by then it has
# set its limits (before it opened the database), so /proc shows them.
fresh_db faults_limits
MD="$TEST_DIR/md-limits"
mkdir -p "$MD/new" "$MD/cur" "$MD/tmp" "$MD/.Processed/cur"
cp "$ROOT/samples/new/$(ls "$ROOT/samples/new" | sort | head -n 1)" "$MD/new/"
PGAPPNAME=faults_lock "$PG_BINDIR/psql" -X -q -d faults_limits -c "BEGIN" \
  -c "LOCK TABLE mails IN ACCESS EXCLUSIVE MODE" -c "SELECT pg_sleep(300)" >/dev/null 2>&1 & LOCKER=$!
PIDS="$LOCKER"
locked() { [ "$(sql "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid)
                      WHERE a.application_name = 'faults_lock' AND l.mode = 'AccessExclusiveLock' AND l.granted")" -ge 1 ]; }
i=0; while [ $i -lt 100 ] && ! locked; do sleep 0.1; i=$((i + 1)); done
"$BIN" ingest-one --maildir "$MD" "$MD/new/$(ls "$MD/new")" >/dev/null 2>"$TEST_DIR/limits.err" & W=$!
PIDS="$LOCKER $W"
waiting() { [ "$(sql "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()")" -ge 1 ]; }
i=0; while [ $i -lt 300 ] && ! waiting; do sleep 0.1; i=$((i + 1)); done
limits=$(cat "/proc/$W/limits" 2>/dev/null)
like "$(printf '%s\n' "$limits" | grep 'Max cpu time')" 'Max cpu time +300 +330 +seconds' \
     "the worker limits its CPU time (RLIMIT_CPU 300 s soft, 330 s hard)"
if grep -q 'libasan\|libclang_rt.asan' "/proc/$W/maps" 2>/dev/null || nm "$BIN" 2>/dev/null | grep -q '__asan_init'; then
  echo "# sanitizer build: RLIMIT_AS is not set (ASan maps terabytes of shadow memory)"
else
  like "$(printf '%s\n' "$limits" | grep 'Max address space')" 'Max address space +[0-9]+ +[0-9]+ +bytes' \
       "the worker limits its address space (RLIMIT_AS)"
fi
sql "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'faults_lock'" >/dev/null
wait "$W"; rc=$?
wait "$LOCKER" 2>/dev/null
PIDS=""
is "$rc|$(ls "$MD/.Processed/cur" | wc -l | tr -d ' ')" "0|1" "once the lock is gone the worker stores and files the mail"
done_testing
