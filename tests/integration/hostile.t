#!/bin/sh
# hostile.t -- hostile and broken mails through the ingest daemon: each one
# rejected with exactly one line naming file, stage and reason, filed in
# .Failed with its reason in the database; the daemon keeps running, and a
# valid report full of hostile strings is stored as written.
. "$DMARCSTAT_ROOT/tests/lib/tap.sh"
use_db hostile_t
MD="$TEST_DIR/maildir"
python3 "$ROOT/tests/lib/make-hostile.py" "$MD" >/dev/null || { echo "Bail out! make-hostile.py failed"; exit 1; }
n_bad=$(awk -F'\t' 'NR > 1' "$MD/expected-rejects.tsv" | wc -l)

"$BIN" ingest --maildir "$MD" --once >"$TEST_DIR/out" 2>"$TEST_DIR/err"; rc=$?
is "$rc" 1 "ingest --once exits 1 when mails were rejected"
is "$(find "$MD/new" "$MD/cur" -type f | wc -l | tr -d ' ')" "0" "no mail is left behind in new/ or cur/"
is "$(ls "$MD/.Failed/cur" | wc -l | tr -d ' ')" "$n_bad" "every hostile mail is in .Failed/cur"

awk -F'\t' 'NR > 1 { print $1 "\t" $2 "\t" $3 }' "$MD/expected-rejects.tsv" > "$TEST_DIR/rejects"
while IFS='	' read -r file stage reason; do
  lines=$(grep -F "/$file: " "$TEST_DIR/err" | grep -v 'warning:')
  n=$(printf '%s\n' "$lines" | grep -c .)
  is "$n" "1" "$file: one error line"
  like "$lines" "^dmarcstat: [^ ]*/$file: $stage: " "$file: rejected at stage $stage"
  if [ -n "$reason" ]; then
    printf '%s' "$lines" | grep -qiF -- "$reason"
    ok $? "$file: the reason mentions '$reason'"
  fi
  ls "$MD/.Failed/cur" | grep -qF "$file"
  ok $? "$file: kept in .Failed/cur"
  got=$(sql "SELECT stage FROM ingest_failures WHERE part = '' AND path LIKE '%/.Failed/cur/$file%'")
  is "$got" "$stage" "$file: failure recorded with stage $stage"
done < "$TEST_DIR/rejects"

# Nothing from a hostile file leaks into what is stored.
is "$(sql "SELECT count(*) FROM report_xml WHERE position('\\x$(printf 'root:x:0' | od -An -tx1 | tr -d ' \n')'::bytea in xml) > 0")" "0" \
   "no external entity content was expanded into stored XML"

# The valid report with hostile strings is stored, strings exactly as sent.
awk -F'\t' 'NR > 1 && $1 != "TOTAL" { print $2 "\t" $3 "\t" $5 "\t" $6 }' "$MD/expected-valid.tsv" > "$TEST_DIR/valid"
while IFS='	' read -r org id records total; do
  got=$(sql "SELECT n_records || '	' || total_count FROM reports WHERE org_name = \$q\$$org\$q\$ AND report_id = \$q\$$id\$q\$")
  is "$got" "$records	$total" "hostile-string report stored verbatim with its totals"
done < "$TEST_DIR/valid"
is "$(ls "$MD/.Processed/cur" | wc -l | tr -d ' ')" "$(awk -F'\t' 'NR > 1 && $1 != "TOTAL"' "$MD/expected-valid.tsv" | cut -f1 | sort -u | wc -l | tr -d ' ')" \
   "the valid mail is in .Processed/cur"
like "$(grep -c . "$TEST_DIR/err")" "^$n_bad\$" "stderr holds one line per rejected mail and nothing else"
if grep -q "$(printf '\033')" "$TEST_DIR/err"; then ok 1 "no raw escape character reaches stderr"; else ok 0 "no raw escape character reaches stderr"; fi

# The daemon (not --once) goes through the same mails again and keeps running.
use_db hostile_t2
rm -rf "$MD"; python3 "$ROOT/tests/lib/make-hostile.py" "$MD" >/dev/null
"$BIN" ingest --maildir "$MD" >"$TEST_DIR/dout" 2>"$TEST_DIR/derr" & daemon=$!
i=0; while [ $i -lt 300 ] && [ "$(ls "$MD/new" | wc -l)" -gt 0 ]; do sleep 0.2; i=$((i + 1)); done
sleep 0.5
kill -0 $daemon 2>/dev/null; ok $? "the daemon is still running after every hostile mail"
python3 "$ROOT/tools/gen-report.py" report --records 5 --format eml --id after-hostile --out "$MD/tmp/late.eml" >/dev/null
mv "$MD/tmp/late.eml" "$MD/new/1900000000.late.mx"
i=0; while [ $i -lt 100 ] && [ -e "$MD/new/1900000000.late.mx" ]; do sleep 0.2; i=$((i + 1)); done
is "$(sql "SELECT count(*) FROM reports WHERE report_id = 'after-hostile'")" "1" "a good mail delivered afterwards is stored"
kill -TERM $daemon; wait $daemon; rc=$?
is "$rc" 0 "SIGTERM stops the daemon cleanly"
done_testing
