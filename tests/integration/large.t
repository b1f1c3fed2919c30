#!/bin/sh
# large.t -- a report of 100,000 records goes in whole, with exact totals,
# streamed in batches; its original XML is kept up to xml_keep_max_bytes and
# flagged as cut beyond.
. "$DMARCSTAT_ROOT/tests/lib/tap.sh"
use_db large_t
f="$TEST_DIR/big.xml.gz"
want=$(python3 "$ROOT/tools/gen-report.py" report --records 100000 --format gz --out "$f" --id big-1 | tail -n 1 | tr '\t' ' ')
"$BIN" import -q "$f" 2>"$TEST_DIR/err"; rc=$?
is "$rc" 0 "a 100,000-record report imports"
is "$(sql "SELECT n_records || ' ' || total_count FROM reports WHERE report_id = 'big-1'")" "$want" "report totals exact"
is "$(sql 'SELECT count(*) || $$ $$ || sum(count) FROM records')" "$want" "records table totals exact"
is "$(sql 'SELECT min(ordinal) || $$ $$ || max(ordinal) || $$ $$ || count(DISTINCT ordinal) FROM records')" "1 100000 100000" \
   "records keep their order, each once"
xml_size=$(gzip -dc "$f" | wc -c)
is "$(sql "SELECT xml_bytes FROM report_xml")" "$xml_size" "the size of the whole original is recorded"
printf '[limits]\nxml_keep_max_bytes = 1048576\n' > "$TEST_DIR/small-keep.conf"
use_db large_t2
"$BIN" import -q --config "$TEST_DIR/small-keep.conf" "$f" 2>/dev/null
is "$(sql "SELECT length(xml) || ' ' || is_complete FROM report_xml")" "1048576 false" \
   "beyond xml_keep_max_bytes the kept XML is cut and flagged"
done_testing
