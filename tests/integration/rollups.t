#!/bin/sh
# rollups.t -- the dashboard's rollups (003_rollups.sql) stay equal to what
# the records say: kept at ingest by parallel workers storing reports of
# the same domains and days at once, rebuilt from the records, and pruned
# with `dmarcstat db prune --before DATE`, which deletes exactly the reports
# that begin before the date.
. "$DMARCSTAT_ROOT/tests/lib/tap.sh"
GEN="python3 $ROOT/tools/gen-report.py"

# The rollups as they are, against what a rebuild from the records gives.
rollup_diff() {
  sql "CREATE TEMP TABLE a1 AS SELECT * FROM rollup_sources;
       CREATE TEMP TABLE a3 AS SELECT * FROM rollup_reporters;
       CREATE TEMP TABLE a4 AS SELECT * FROM rollup_advice;
       CREATE TEMP TABLE a5 AS SELECT * FROM rollup_advice_auth;
       SELECT dmarcstat_rebuild_rollups();
       SELECT (SELECT count(*) FROM (SELECT * FROM a1 EXCEPT ALL SELECT * FROM rollup_sources) x)
            + (SELECT count(*) FROM (SELECT * FROM rollup_sources EXCEPT ALL SELECT * FROM a1) x)
            + (SELECT count(*) FROM (SELECT * FROM a3 EXCEPT ALL SELECT * FROM rollup_reporters) x)
            + (SELECT count(*) FROM (SELECT * FROM rollup_reporters EXCEPT ALL SELECT * FROM a3) x)
            + (SELECT count(*) FROM (SELECT * FROM a4 EXCEPT ALL SELECT * FROM rollup_advice) x)
            + (SELECT count(*) FROM (SELECT * FROM rollup_advice EXCEPT ALL SELECT * FROM a4) x)
            + (SELECT count(*) FROM (SELECT * FROM a5 EXCEPT ALL SELECT * FROM rollup_advice_auth) x)
            + (SELECT count(*) FROM (SELECT * FROM rollup_advice_auth EXCEPT ALL SELECT * FROM a5) x)" \
    | tail -n 1
}

use_db rollups_t
MD="$TEST_DIR/md"
$GEN maildir --mails 120 --records-per-mail 25 --out "$MD" --seed 21 >/dev/null
printf '[ingest]\nworkers = 3\n' >"$TEST_DIR/three.conf"
"$BIN" ingest --once --no-resolve --config "$TEST_DIR/three.conf" --maildir "$MD" >/dev/null 2>&1
is "$?" 0 "three workers ingest 120 mails"
is "$(sql 'SELECT sum(messages) FROM rollup_sources')" "$(sql 'SELECT sum(count) FROM records')" \
  "every message is in the rollups once"
is "$(sql 'SELECT sum(reports) FROM rollup_reporters')" \
  "$(sql 'SELECT count(DISTINCT report_id) FROM records')" "every report with records is counted once"
is "$(rollup_diff)" 0 "the rollups kept at ingest equal a rebuild from the records"
is "$(sql "SELECT count(*) FROM rollup_sources WHERE messages <> o_pass + o_fail + o_quarantined + o_rejected")" 0 \
  "each message has exactly one outcome"
is "$(sql "SELECT sum(total) FROM rollup_advice")" \
  "$(sql "SELECT sum(c.count) FROM records c JOIN reports r ON r.id = c.report_id WHERE c.source_ip IS NOT NULL AND r.begin_time IS NOT NULL")" \
  "the advice rollup holds every dated message with a source"

# --- prune ------------------------------------------------------------------
use_db rollups_prune
python3 - "$TEST_DIR" <<'PY'
import calendar, sys
for day in ("2025-01-10", "2025-02-10", "2025-03-10"):
    t = calendar.timegm((int(day[:4]), int(day[5:7]), int(day[8:]), 0, 0, 0))
    recs = "".join(
        "<record><row><source_ip>192.0.2.%d</source_ip><count>%d</count><policy_evaluated>"
        "<disposition>none</disposition><dkim>pass</dkim><spf>fail</spf></policy_evaluated></row>"
        "<identifiers><header_from>prune.example</header_from></identifiers><auth_results>"
        "<dkim><domain>prune.example</domain><result>pass</result></dkim></auth_results></record>"
        % (i, i) for i in range(1, 41))
    open("%s/r-%s.xml" % (sys.argv[1], day), "w").write(
        "<feedback><report_metadata><org_name>Prune Test</org_name><email>p@example.net</email>"
        "<report_id>prune-%s</report_id><date_range><begin>%d</begin><end>%d</end></date_range>"
        "</report_metadata><policy_published><domain>prune.example</domain><p>none</p>"
        "</policy_published>%s</feedback>" % (day, t, t + 86399, recs))
PY
"$BIN" import -q "$TEST_DIR"/r-*.xml >/dev/null 2>&1
is "$(sql 'SELECT count(*) FROM reports')" 3 "three reports, one a month"
want_records=$(sql "SELECT count(*) FROM records c JOIN reports r ON r.id = c.report_id WHERE r.begin_time < '2025-02-15'")
out=$("$BIN" db prune --before 2025-02-15 2>&1)
is "$?" 0 "db prune exits 0"
like "$out" "^db prune: 2 reports, $want_records records, [0-9]+ rollup rows, 0 ingest failures deleted$" \
  "db prune says what it deleted"
is "$(sql "SELECT string_agg(to_char(begin_time AT TIME ZONE 'UTC', 'YYYY-MM-DD'), ' ') FROM reports")" "2025-03-10" \
  "only the report from after the date is left"
is "$(sql 'SELECT count(*) FROM records c LEFT JOIN reports r ON r.id = c.report_id WHERE r.id IS NULL')" 0 \
  "no record is left without its report"
is "$(rollup_diff)" 0 "the rollups still equal the records after prune"
is "$(sql 'SELECT count(*) FROM mails')" 3 "the mails log is kept"
"$BIN" db prune >/dev/null 2>&1
is "$?" 2 "db prune without --before is a usage error"
"$BIN" db prune --before yesterday >/dev/null 2>&1
is "$?" 2 "db prune with a bad date is a usage error"
done_testing
