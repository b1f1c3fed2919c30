#!/bin/sh
# partitions.t -- records partitioned by month (schema/004_partitions.sql):
# pg_partman creates the months ahead when it is there, our own upkeep when
# it is not (or declined); rows of a month without a partition wait in the
# default partition and move into their month when a writer next opens the
# database or the ingest daemon's queue drains; `db prune` drops whole
# months (a new database gets the year before at once); a database of the previous schema keeps every record through the
# migration; queries on a time window read only its months.
. "$DMARCSTAT_ROOT/tests/lib/tap.sh"

# Rows per child partition of records that holds any, and the default
# partition's: "name:rows" sorted, one line.
layout() {
  sql "SELECT string_agg(c.relname || ':' || (SELECT count(*) FROM records r WHERE r.tableoid = c.oid),
                         ' ' ORDER BY c.relname)
       FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
       WHERE i.inhparent = 'records'::regclass
         AND (c.relname = 'records_default' OR EXISTS (SELECT 1 FROM records r WHERE r.tableoid = c.oid))"
}
month_of_now() { sql "SELECT 'records_p' || to_char(now() AT TIME ZONE 'UTC', 'YYYY_MM')"; }
month_ahead() { sql "SELECT 'records_p' || to_char((now() AT TIME ZONE 'UTC') + interval '4 months', 'YYYY_MM')"; }
exists() { sql "SELECT to_regclass('$1') IS NOT NULL"; }

# Three reports a month apart, 40 records each, and one without a date
# range (filed under -infinity: it stays in the default partition).
python3 - "$TEST_DIR" <<'PY'
import calendar, sys
def write(name, rid, dates):
    recs = "".join(
        "<record><row><source_ip>192.0.2.%d</source_ip><count>%d</count><policy_evaluated>"
        "<disposition>none</disposition><dkim>pass</dkim><spf>fail</spf></policy_evaluated></row>"
        "<identifiers><header_from>part.example</header_from></identifiers><auth_results>"
        "<dkim><domain>part.example</domain><result>pass</result></dkim></auth_results></record>"
        % (i, i) for i in range(1, 41))
    open("%s/%s.xml" % (sys.argv[1], name), "w").write(
        "<feedback><report_metadata><org_name>Partition Test</org_name><email>p@example.net</email>"
        "<report_id>%s</report_id>%s</report_metadata><policy_published><domain>part.example</domain>"
        "<p>none</p></policy_published>%s</feedback>" % (rid, dates, recs))
for day in ("2025-01-10", "2025-02-10", "2025-03-10"):
    t = calendar.timegm((int(day[:4]), int(day[5:7]), int(day[8:]), 0, 0, 0))
    write("r-" + day, "part-" + day, "<date_range><begin>%d</begin><end>%d</end></date_range>" % (t, t + 86399))
write("undated", "part-undated", "")
# Two mails for the daemon, from before the months a new database is
# given (a year back): their rows start in the default partition.
import base64, gzip, os
md = sys.argv[1] + "/md"
for sub in ("new", "cur", "tmp"):
    os.makedirs(md + "/" + sub, exist_ok=True)
for day in ("2024-06-10", "2024-07-10"):
    t = calendar.timegm((int(day[:4]), int(day[5:7]), int(day[8:]), 0, 0, 0))
    write("mail-" + day, "mail-" + day, "<date_range><begin>%d</begin><end>%d</end></date_range>" % (t, t + 86399))
    body = base64.encodebytes(gzip.compress(open("%s/mail-%s.xml" % (sys.argv[1], day), "rb").read())).decode()
    open("%s/new/%d.part.example" % (md, t), "w").write(
        "From: dmarc@reporter.example\nTo: rua@part.example\nSubject: Report Domain: part.example\n"
        "Message-ID: <%s@reporter.example>\nMIME-Version: 1.0\n"
        "Content-Type: application/gzip; name=\"r.xml.gz\"\nContent-Transfer-Encoding: base64\n\n%s" % (day, body))
PY

# --- with pg_partman ----------------------------------------------------------
use_db partitions_partman
if [ "$(sql "SELECT count(*) FROM pg_available_extensions WHERE name = 'pg_partman'")" = 1 ]; then
  "$BIN" db migrate >/dev/null 2>&1
  is "$(sql "SELECT relkind FROM pg_class WHERE relname = 'records'")" p "records is a partitioned table"
  is "$(sql "SELECT partition_interval || ' ' || premake FROM partman.part_config WHERE parent_table = 'public.records'")" \
    "1 mon 4" "pg_partman manages it, monthly, four months ahead"
  is "$(exists "$(month_of_now)") $(exists "$(month_ahead)")" "t t" "this month's and the fourth next month's partitions exist"
  is "$(sql "SELECT column_name FROM information_schema.key_column_usage WHERE table_name = 'records' AND constraint_name LIKE '%pkey'")" \
    "" "no primary key: a row is named by (report_id, ordinal)"

  "$BIN" import -q "$TEST_DIR"/r-*.xml "$TEST_DIR"/undated.xml >/dev/null 2>&1
  is "$?" 0 "four reports imported"
  is "$(layout)" "records_default:40 records_p2025_01:40 records_p2025_02:40 records_p2025_03:40" \
    "import's upkeep moved the rows of months without a partition into their own; the undated report stays in the default"
  is "$(sql "SELECT count(*) || ' ' || sum(count) FROM records")" "160 3280" "every record is stored"
  like "$("$BIN" db status | tail -n 1)" \
    "^records: [0-9]+ monthly partitions, 2025-01 to [0-9]{4}-[0-9]{2}, kept by pg_partman; default partition: 0 rows waiting for their month, 40 undated$" \
    "db status says how the partitions stand"
  is "$(sql "SELECT count(*) FROM records c JOIN reports r ON r.id = c.report_id
             WHERE c.report_time IS DISTINCT FROM coalesce(r.begin_time, '-infinity')")" 0 \
    "each record carries its report's begin_time (-infinity when undated)"
  is "$(sql "SELECT count(*) || ' ' || sum(count) FROM records")" "160 3280" "nothing lost in the move"
  plan=$(sql "EXPLAIN (COSTS OFF) SELECT sum(count) FROM records
              WHERE report_time >= '2025-02-01' AND report_time < '2025-03-01'")
  like "$plan" "records_p2025_02" "a month's query reads its partition"
  ok "$(printf '%s' "$plan" | grep -Ec 'records_(p2025_01|p2025_03|default)')" "and no other"
  # export --since/--until asks for the same window on the partition key
  out=$("$BIN" export --level records --domain part.example --since 2025-02-01 --until 2025-03-01 | tail -n +2 | wc -l)
  is "$out" 40 "export of one month: its 40 records"

  # The daemon: its queue drains, the upkeep runs, no second command.
  "$BIN" ingest --once --no-resolve --maildir "$TEST_DIR/md" >/dev/null 2>&1
  is "$?" 0 "ingest --once of two mails from 2024"
  is "$(ls "$TEST_DIR/md/.Processed/cur" | wc -l | tr -d ' ')" 2 "both filed"
  is "$(sql "SELECT count(*) FROM ONLY records_default WHERE report_time > '-infinity'")|$(sql "SELECT count(*) FROM records_p2024_06")|$(sql "SELECT count(*) FROM records_p2024_07")" \
    "0|40|40" "the daemon moved their rows out of the default partition into their months when its queue drained"
  is "$(sql "SELECT count(*) FROM records")" 240 "160 + 80 records"

  # --- prune by whole months ---
  out=$("$BIN" db prune --before 2025-02-15 2>&1)
  like "$out" "^db prune: 4 reports, 160 records," "db prune: the four reports before the date, 160 records"
  is "$(exists records_p2024_06) $(exists records_p2024_07) $(exists records_p2025_01)" "f f f" \
    "the months that ended before the date are dropped whole"
  is "$(exists records_p2025_02)" t "the month the date falls in is kept"
  is "$(sql "SELECT count(*) FROM records_p2025_02")" 0 "its older report's records went by cascade"
  is "$(sql "SELECT count(*) FROM records_p2025_03") $(sql "SELECT count(*) FROM ONLY records_default WHERE report_time = '-infinity'")" \
    "40 40" "later months and the undated report are kept"
  is "$(sql 'SELECT count(*) FROM records c LEFT JOIN reports r ON r.id = c.report_id WHERE r.id IS NULL')" 0 \
    "no record is left without its report"
  is "$(sql "SELECT count(*) FROM reports r WHERE n_records <> (SELECT count(*) FROM records c WHERE c.report_id = r.id)")" 0 \
    "every report keeps all of its records"
else
  ok 0 "# SKIP pg_partman is not installed (Debian: postgresql-15-partman)"
fi

# --- the upkeep beside storing transactions: no deadlock ------------------------
# Two imports side by side, two files per process, so that each one's
# upkeep (when it ends) runs while the other stores: the upkeep locks
# reports before the partitions, as a storing transaction does.
use_db partitions_concurrent
mkdir -p "$TEST_DIR/many"
python3 - "$TEST_DIR/many" <<'PY'
import calendar, sys
for k in range(80):
    y, mo = 2023 + k // 40, 1 + (k % 40) // 4
    t = calendar.timegm((y, mo, 1 + k % 4, 0, 0, 0))
    recs = "".join("<record><row><source_ip>198.51.100.%d</source_ip><count>1</count><policy_evaluated>"
                   "<disposition>none</disposition><dkim>pass</dkim><spf>pass</spf></policy_evaluated></row>"
                   "<identifiers><header_from>many.example</header_from></identifiers><auth_results>"
                   "<spf><domain>many.example</domain><result>pass</result></spf></auth_results></record>"
                   % i for i in range(1, 26))
    open("%s/m%02d.xml" % (sys.argv[1], k), "w").write(
        "<feedback><report_metadata><org_name>Many</org_name><email>m@example.net</email>"
        "<report_id>many-%d</report_id><date_range><begin>%d</begin><end>%d</end></date_range>"
        "</report_metadata><policy_published><domain>many.example</domain><p>none</p>"
        "</policy_published>%s</feedback>" % (k, t, t + 86399, recs))
PY
"$BIN" db migrate >/dev/null 2>&1
ls "$TEST_DIR"/many/m*.xml | awk 'NR % 2 == 0' >"$TEST_DIR/even"
ls "$TEST_DIR"/many/m*.xml | awk 'NR % 2 == 1' >"$TEST_DIR/odd"
xargs -n 2 -a "$TEST_DIR/even" "$BIN" import -q 2>"$TEST_DIR/even.err" & pa=$!
xargs -n 2 -a "$TEST_DIR/odd" "$BIN" import -q 2>"$TEST_DIR/odd.err" & pb=$!
wait $pa; ra=$?; wait $pb; rb=$?
is "$ra $rb" "0 0" "two imports side by side, each running the upkeep every two files"
is "$(cat "$TEST_DIR/even.err" "$TEST_DIR/odd.err" | grep -c deadlock)" 0 "no deadlock"
is "$(sql "SELECT count(*) || ' ' || (SELECT count(*) FROM records) FROM reports")" "80 2000" \
  "every report and record stored"
is "$(sql "SELECT count(*) FROM ONLY records_default")" 0 "and every row is in its month"

# --- without pg_partman: our own upkeep --------------------------------------
use_db partitions_plain
sql "ALTER DATABASE partitions_plain SET dmarcstat.partman = 'off'" >/dev/null
"$BIN" db migrate >/dev/null 2>&1
is "$?" 0 "db migrate with pg_partman declined"
is "$(sql "SELECT count(*) FROM pg_extension WHERE extname = 'pg_partman'")" 0 "the extension is not created"
is "$(exists "$(month_of_now)") $(exists "$(month_ahead)") $(exists records_default)" "t t t" \
  "the upkeep made this month, four ahead and the default partition"
"$BIN" import -q "$TEST_DIR"/r-*.xml "$TEST_DIR"/undated.xml >/dev/null 2>&1
is "$(layout)" "records_default:40 records_p2025_01:40 records_p2025_02:40 records_p2025_03:40" \
  "old months get their partitions and their rows"
is "$(exists "$(sql "SELECT 'records_p' || to_char((now() AT TIME ZONE 'UTC') - interval '12 months', 'YYYY_MM')")")" t \
  "a new database is given the year before, for a backlog"
out=$("$BIN" db prune --before 2025-02-01 2>&1)
like "$out" "^db prune: 1 reports, 40 records," "prune --before the first of a month"
is "$(exists records_p2025_01) $(exists records_p2025_02)" "f t" "drops exactly the month before it"
like "$("$BIN" db status | tail -n 1)" "^records: [0-9]+ monthly partitions, 2025-02 to [0-9-]+, kept by dmarcstat;" \
  "db status: kept by dmarcstat itself"

# --- a database of the previous schema (003) keeps its records -----------------
use_db partitions_upgrade
for f in 001_init 002_dns 003_rollups; do
  "$PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -d partitions_upgrade -f "$ROOT/schema/$f.sql" >/dev/null 2>&1 \
    || echo "# $f.sql failed"
done
sql "CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL,
                                     applied_at timestamptz NOT NULL DEFAULT now());
     INSERT INTO schema_migrations (version, name)
     VALUES (1, '001_init.sql'), (2, '002_dns.sql'), (3, '003_rollups.sql');
     INSERT INTO reports (id, org_name, org_name_norm, report_id, begin_time, end_time, xml_schema,
                          domain, source_file)
     VALUES (1, 'Old', 'old', 'o1', '2024-11-03 00:00:00+00', '2024-11-03 23:59:59+00', '1.0', 'old.example', 'a'),
            (2, 'Old', 'old', 'o2', '2024-12-30 00:00:00+00', '2024-12-30 23:59:59+00', '1.0', 'old.example', 'b'),
            (3, 'Old', 'old', 'o3', NULL, NULL, '1.0', 'old.example', 'c');
     SELECT setval('reports_id_seq', 3);
     INSERT INTO records (report_id, ordinal, source_ip, count)
     SELECT 1 + n % 3, n, '198.51.100.1', n FROM generate_series(1, 300) AS n;" >/dev/null
before=$(sql "SELECT string_agg(id || ':' || report_id || ':' || ordinal || ':' || count, ',' ORDER BY id) FROM records" | md5sum)
"$BIN" db migrate >/dev/null 2>&1
is "$?" 0 "db migrate from the previous schema"
after=$(sql "SELECT string_agg(id || ':' || report_id || ':' || ordinal || ':' || count, ',' ORDER BY id) FROM records" | md5sum)
is "$after" "$before" "every record kept, with its id"
is "$(layout)" "records_default:100 records_p2024_11:100 records_p2024_12:100" \
  "old rows in their months, the undated report's in the default"
is "$(sql "SELECT to_regclass('records_unpartitioned') IS NULL")" t "the old table is gone"
next=$(sql "SELECT nextval('records_id_seq')")
ok "$([ "$next" -gt 300 ]; echo $?)" "the id sequence goes on from the old table's"

done_testing
