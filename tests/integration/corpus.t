#!/bin/sh
# corpus.t -- every real report in ../shared/corpus/real: each valid one
# imports with the exact report count, record count and message total that
# an independent reader (tests/lib/report_truth.py) computes from the file
# itself; each broken one is rejected with one clear line and exit 1.
. "$DMARCSTAT_ROOT/tests/lib/tap.sh"
CORPUS="$SHARED/corpus/real"
[ -d "$CORPUS" ] || skip_all "../shared/corpus/real not present"
use_db corpus_t
"$BIN" db migrate >/dev/null

find "$CORPUS" -type f ! -name '*.md' | sort > "$TEST_DIR/files"
python3 "$ROOT/tests/lib/report_truth.py" $(cat "$TEST_DIR/files") > "$TEST_DIR/truth" \
  || { echo "Bail out! report_truth.py failed"; exit 1; }

n_valid=0; n_broken=0
while IFS='	' read -r file reports records total; do
  name=${file#"$CORPUS"/}
  sql "TRUNCATE reports, records, report_xml, mails, ingest_failures" >/dev/null
  "$BIN" import -q "$file" >/dev/null 2>"$TEST_DIR/err"; rc=$?
  got=$(sql "SELECT count(*) || ' ' || coalesce(sum(n_records), 0) || ' ' || coalesce(sum(total_count), 0) FROM reports")
  if [ "$reports" -gt 0 ]; then
    n_valid=$((n_valid + 1))
    is "$rc" 0 "$name: imports"
    is "$got" "$reports $records $total" "$name: $reports report(s), $records record(s), $total message(s)"
    is "$(sql 'SELECT count(*) || $$ $$ || coalesce(sum(count), 0) FROM records')" "$records $total" "$name: records table agrees"
  else
    n_broken=$((n_broken + 1))
    is "$rc" 1 "$name: rejected with exit 1"
    is "$got" "0 0 0" "$name: nothing stored"
    like "$(cat "$TEST_DIR/err")" "^dmarcstat: .*$name: (mail|unpack|xml): " "$name: one line naming file and stage"
    is "$(grep -c . "$TEST_DIR/err")" "1" "$name: exactly one error line"
    echo "# $(head -c 300 "$TEST_DIR/err")"
  fi
done < "$TEST_DIR/truth"
ok "$([ $n_valid -ge 60 ] && echo 0 || echo 1)" "the corpus has valid reports ($n_valid)"
ok "$([ $n_broken -ge 6 ] && echo 0 || echo 1)" "and broken ones ($n_broken)"

# All of it at once: duplicates across containers are stored once.
sql "TRUNCATE reports, records, report_xml, mails, ingest_failures" >/dev/null
"$BIN" import -q $(cat "$TEST_DIR/files") >/dev/null 2>&1
is "$(sql 'SELECT count(*) FROM (SELECT org_name, report_id, domain FROM reports GROUP BY 1, 2, 3 HAVING count(*) > 1) d')" "0" \
   "the whole corpus at once: no report stored twice"
done_testing
