#!/bin/sh
# import.t -- `dmarcstat import`: every container format, exact totals,
# duplicates stored once, stdin, exit codes, original XML kept.
. "$DMARCSTAT_ROOT/tests/lib/tap.sh"
use_db import_t
GEN="python3 $ROOT/tools/gen-report.py"

# The committed samples: every report stored with the totals samples/expected.tsv gives.
out=$("$BIN" import "$ROOT"/samples/new/* 2>"$TEST_DIR/err"); rc=$?
is "$rc" 0 "import of samples/ exits 0"
is "$(cat "$TEST_DIR/err")" "" "and prints no rejection"
want=$(awk -F'\t' 'NR > 1 && $1 != "TOTAL" { print $2 "|" $3 "|" $4 "|" $5 "|" $6 }' "$ROOT/samples/expected.tsv" | sort)
got=$(sql "SELECT org_name || '|' || report_id || '|' || domain || '|' || n_records || '|' || total_count FROM reports" | sort)
is "$got" "$want" "each sample report stored with its record count and message total"
want_total=$(awk -F'\t' '$1 == "TOTAL" { print $5 "|" $6 }' "$ROOT/samples/expected.tsv")
is "$(sql 'SELECT count(*) || $$|$$ || sum(count) FROM records')" "$want_total" "records table totals equal expected.tsv"
n_reports=$(echo "$want" | wc -l)
like "$out" "^import: [0-9]+ inputs, $n_reports reports stored, 0 duplicates, 0 rejected" "summary line counts the reports"
is "$(sql 'SELECT count(*) FROM report_xml WHERE is_complete')" "$n_reports" "the original XML of every report is kept whole"
is "$(sql "SELECT count(*) FROM mails WHERE message_id IS NULL")" "0" "every sample mail's Message-ID is kept"

# The same mails again: nothing new, all duplicates.
out=$("$BIN" import "$ROOT"/samples/new/* 2>&1); rc=$?
is "$rc" 0 "re-import exits 0"
like "$out" "0 reports stored, $n_reports duplicates, 0 rejected" "re-import counts duplicates"
is "$(sql 'SELECT count(*) || $$|$$ || sum(count) FROM records')" "$want_total" "re-import stores no record twice"
is "$(sql 'SELECT min(duplicates_seen) FROM reports')" "1" "each report knows it was seen again"

# One mail through standard input.
first=$(ls "$ROOT"/samples/new/* | head -n 1)
out=$("$BIN" import - < "$first" 2>&1); rc=$?
is "$rc" 0 "import - reads a mail from stdin"
like "$out" "0 reports stored, [1-9][0-9]* duplicates?" "stdin mail recognised as a duplicate"

# Every container format of a bare report file, each a distinct report.
i=0
for fmt in xml gz zip eml; do
  i=$((i + 1))
  case $fmt in gz) ext=xml.gz ;; *) ext=$fmt ;; esac
  f="$TEST_DIR/report-$fmt.$ext"
  counts=$($GEN report --records 250 --format $fmt --out "$f" --seed 7$i \
           --org "Fmt $fmt" --id "fmt-$fmt" --domain fmt.example.com | tail -n 1)
  "$BIN" import -q "$f" 2>"$TEST_DIR/err"; rc=$?
  is "$rc" 0 "import of a .$ext report exits 0"
  got=$(sql "SELECT n_records || '	' || total_count FROM reports WHERE report_id = 'fmt-$fmt'")
  is "$got" "$counts" ".$ext report stored with exact record count and total"
done
is "$(sql "SELECT container FROM reports WHERE report_id = 'fmt-zip'")" "zip" "container recorded for a zip"
xml_size=$(wc -c < "$TEST_DIR/report-xml.xml")
is "$(sql "SELECT x.xml_bytes || ' ' || length(x.xml) FROM report_xml x JOIN reports r ON r.id = x.report_id WHERE r.report_id = 'fmt-xml'")" \
   "$xml_size $xml_size" "original XML stored byte for byte"
sql "SELECT convert_from(x.xml, 'UTF8') FROM report_xml x JOIN reports r ON r.id = x.report_id WHERE r.report_id = 'fmt-xml'" > "$TEST_DIR/back.xml"
printf '\n' >> "$TEST_DIR/report-xml.xml"
cmp -s "$TEST_DIR/back.xml" "$TEST_DIR/report-xml.xml"
ok $? "original XML comes back identical"

# A report that repeats in two containers is one report.
"$BIN" import -q "$TEST_DIR/report-gz.xml.gz" >/dev/null 2>&1
is "$(sql "SELECT count(*) FROM reports WHERE report_id = 'fmt-gz'")" "1" "same report imported twice is stored once"

# Rejections: exit 1, one line naming file and stage; good files still stored.
printf 'this is not a report\n' > "$TEST_DIR/junk.xml"
$GEN report --records 3 --format xml --out "$TEST_DIR/good.xml" --id good-after-junk >/dev/null
"$BIN" import -q "$TEST_DIR/junk.xml" "$TEST_DIR/good.xml" 2>"$TEST_DIR/err"; rc=$?
is "$rc" 1 "a rejected file makes import exit 1"
is "$(wc -l < "$TEST_DIR/err" | tr -d ' ')" "1" "one error line for one bad file"
like "$(cat "$TEST_DIR/err")" "^dmarcstat: $TEST_DIR/junk.xml: xml: " "the line names the file and the stage"
is "$(sql "SELECT count(*) FROM reports WHERE report_id = 'good-after-junk'")" "1" "the good file after it is stored"
is "$(sql "SELECT stage FROM ingest_failures WHERE path = '$TEST_DIR/junk.xml'")" "xml" "the failure is recorded with its stage"

"$BIN" import >/dev/null 2>&1
is "$?" 2 "import without a file exits 2"
"$BIN" import --db "host=/nonexistent" "$TEST_DIR/good.xml" >/dev/null 2>&1
is "$?" 3 "import with an unreachable database exits 3"

# Keeping no original XML at all is a valid setting, not a broken row.
use_db import_nokeep
printf '[limits]\nxml_keep_max_bytes = 0\n' >"$TEST_DIR/nokeep.conf"
"$BIN" import -q --config "$TEST_DIR/nokeep.conf" "$ROOT"/samples/new/* >/dev/null 2>&1
is "$?" 0 "xml_keep_max_bytes = 0: the samples import"
is "$(sql 'SELECT count(*), max(length(xml)), bool_or(is_complete) FROM report_xml')" "24|0|f" \
  "xml_keep_max_bytes = 0: no XML kept, each report marked incomplete"
done_testing
