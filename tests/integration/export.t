#!/bin/sh
# export.t -- dmarcstat export: exact CSV bytes, formula cells neutralised,
# filters, JSON, streaming past one FETCH batch, exit statuses.
#
# The data goes in with psql, not through import, so that this test pins
# the export alone: hostile strings, NULLs, arrays with NULL elements, a
# report without a date range, and 2000 records (two full FETCH batches).
. "$DMARCSTAT_ROOT/tests/lib/tap.sh"

use_db export_t
"$BIN" db migrate >"$TEST_DIR/migrate.out" 2>&1
ok $? "db migrate"
is "$(sql "SELECT to_regclass('reports') IS NOT NULL")" t "db migrate created the tables"

sql "
INSERT INTO reports (id, org_name, org_name_norm, report_id, email, begin_time, end_time,
                     errors, xml_schema, domain, adkim, aspf, p, pct, warnings, source_file)
VALUES (1, '=cmd|'' /C calc''!A0', '=cmd|'' /c calc''!a0', 'r1', 'dmarc@reporter.example',
        '2024-05-01 00:00:00+00', '2024-05-01 23:59:59+00', '{}', '1.0', 'example.com',
        'r', 'r', 'none', 100, '{missing version}', 'mail1.eml'),
       (2, 'Google Inc.', 'google inc.', 'r2', NULL, '2024-06-01 00:00:00+00',
        '2024-06-03 00:00:00+00', '{a,b}', 'draft', 'other.org', NULL, NULL, 'reject',
        NULL, '{}', 'r2.xml.gz'),
       (3, 'No Dates', 'no dates', 'r3', NULL, NULL, NULL, '{}', '1.0', 'Example.COM',
        NULL, NULL, 'none', NULL, '{}', 'r3.xml'),
       (4, 'Big', 'big', 'r4', NULL, '2024-07-01 00:00:00+00', '2024-07-02 00:00:00+00',
        '{}', '1.0', 'big.example', NULL, NULL, 'none', NULL, '{}', 'big.zip');
SELECT setval('reports_id_seq', 4);
INSERT INTO records (report_id, report_time, ordinal, source_ip, count, disposition, dkim_eval, spf_eval,
                     reason_types, reason_comments, envelope_from, header_from,
                     dkim_domains, dkim_selectors, dkim_results, dkim_human_results,
                     spf_domains, spf_scopes, spf_results)
VALUES (1, '2024-05-01 00:00:00+00', 1, '192.0.2.1', 5, 'none', 'pass', 'fail', '{forwarded}',
        ARRAY[E'line1\nsays \"hi\", ok'], 'bounce.example.com', 'example.com',
        '{example.com,Other.Example}', ARRAY['s1', NULL], '{pass,fail}',
        ARRAY['sig ok', NULL], '{example.com}', '{mfrom}', '{fail}'),
       (1, '2024-05-01 00:00:00+00', 2, '2001:db8::1', 1, 'reject', 'fail', 'fail', '{}', '{}', NULL,
        '<script>alert(1)</script>', '{}', '{}', '{}', '{}', '{}', '{}', '{}'),
       (2, '2024-06-01 00:00:00+00', 1, '198.51.100.7', 7, 'none', 'fail', 'pass', '{}', '{}', NULL, 'other.org',
        '{}', '{}', '{}', '{}', '{}', '{}', '{}'),
       (3, '-infinity', 1, NULL, 0, 'none', NULL, NULL, '{}', '{}', NULL, NULL,
        '{}', '{}', '{}', '{}', '{}', '{}', '{}');
INSERT INTO records (report_id, report_time, ordinal, source_ip, count)
SELECT 4, '2024-07-01 00:00:00+00', n, '203.0.113.9', n FROM generate_series(1, 2000) AS n;
" >/dev/null
ok $? "test data inserted"
# Rows put in by hand: the dashboard's rollups are rebuilt from them.
out=$("$BIN" db rebuild-rollups 2>&1)
is "$out" "db rebuild-rollups: done" "db rebuild-rollups after records written by hand"

COLUMNS="xml_schema,org_name,org_email,org_extra_contact_info,report_id,begin_date,end_date,\
normalized_timespan,errors,domain,adkim,aspf,p,sp,np,pct,fo,testing,discovery_method,\
source_ip_address,source_country,source_reverse_dns,source_base_domain,source_name,source_type,\
source_asn,source_as_name,source_as_domain,count,spf_aligned,dkim_aligned,dmarc_aligned,\
disposition,policy_override_reasons,policy_override_comments,envelope_from,header_from,\
envelope_to,dkim_domains,dkim_selectors,dkim_results,spf_domains,spf_scopes,spf_results,\
org_name_normalized,report_db_id,record_ordinal,dkim_human_results,spf_human_results,\
source_file,report_warnings"

csv_rows() { python3 -c 'import csv,sys; print(sum(1 for _ in csv.reader(sys.stdin)) - 1)'; }
json_len() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d))'; }

# --- the whole export --------------------------------------------------------
"$BIN" export --format csv --level records >"$TEST_DIR/all.csv" 2>"$TEST_DIR/all.err"
is "$?" 0 "export exits 0"
is "$(cat "$TEST_DIR/all.err")" "" "export is silent on stderr"
is "$(head -n 1 "$TEST_DIR/all.csv" | tr -d '\r')" "$COLUMNS" "header is parsedmarc's columns, then ours"
is "$(head -n 1 "$TEST_DIR/all.csv" | tail -c 2 | od -An -tx1 | tr -d ' ')" 0d0a \
  "header ends with CRLF"
is "$(csv_rows <"$TEST_DIR/all.csv")" 2004 "every record is a row"
is "$("$BIN" export | csv_rows)" 2004 "csv and records are the defaults"

# --- exact bytes: report 1's two records ---------------------------------------
E=',,,,,,,,'   # source_country .. source_as_domain: not filled yet
{
  printf '%s\r\n' "$COLUMNS"
  printf '%s' "1.0,'=cmd|' /C calc'!A0,dmarc@reporter.example,,r1,2024-05-01T00:00:00Z,"
  printf '%s' "2024-05-01T23:59:59Z,False,,example.com,r,r,none,,,100,,,,192.0.2.1$E,5,"
  printf '%s' "False,True,True,none,forwarded,\"line1"
  printf '\n'
  printf '%s' "says \"\"hi\"\", ok\",bounce.example.com,example.com,,\"example.com,other.example\","
  printf '%s' "\"s1,none\",\"pass,fail\",example.com,mfrom,fail,'=cmd|' /c calc'!a0,1,1,"
  printf '%s\r\n' "sig ok|none,,mail1.eml,missing version"
  printf '%s' "1.0,'=cmd|' /C calc'!A0,dmarc@reporter.example,,r1,2024-05-01T00:00:00Z,"
  printf '%s' "2024-05-01T23:59:59Z,False,,example.com,r,r,none,,,100,,,,2001:db8::1$E,1,"
  printf '%s' "False,False,False,reject,,,,<script>alert(1)</script>,,,,,,,,"
  printf '%s\r\n' "'=cmd|' /c calc'!a0,1,2,,,mail1.eml,missing version"
} >"$TEST_DIR/r1.want"
"$BIN" export --domain example.com --until 2024-05-15 >"$TEST_DIR/r1.csv"
cmp -s "$TEST_DIR/r1.csv" "$TEST_DIR/r1.want"
ok $? "report 1 exports byte for byte (formula quoted, newline and quotes inside a field)"
cmp -s "$TEST_DIR/r1.csv" "$TEST_DIR/r1.want" \
  || diff "$TEST_DIR/r1.csv" "$TEST_DIR/r1.want" | cat -A | sed 's/^/# /' | head -n 20

sed -n 2p "$TEST_DIR/all.csv" | grep -q "^1.0,'=cmd"
ok $? "rows are ordered by report begin, id, ordinal"
like "$(tail -n 1 "$TEST_DIR/all.csv")" '^1\.0,No Dates,.*,r3,,,False,' \
  "a report without a date range comes last, with empty dates"
like "$(grep ',r2,' "$TEST_DIR/all.csv")" \
  '^draft,Google Inc\.,,,r2,2024-06-01T00:00:00Z,2024-06-03T00:00:00Z,True,a\|b,other\.org,' \
  "a range over 24 h is normalized_timespan True; errors joined with |"

# --- filters ----------------------------------------------------------------
is "$("$BIN" export --domain example.com | csv_rows)" 3 "--domain matches case-insensitively"
is "$("$BIN" export --domain OTHER.org | csv_rows)" 1 "--domain OTHER.org"
is "$("$BIN" export --domain nowhere.example | csv_rows)" 0 "--domain without reports"
is "$("$BIN" export --domain nowhere.example | tr -d '\r')" "$COLUMNS" "an empty export is the header"
is "$("$BIN" export --since 2024-05-15 | csv_rows)" 2001 "--since is inclusive of later reports"
is "$("$BIN" export --since 2024-06-01 | csv_rows)" 2001 "--since a report's begin includes it"
is "$("$BIN" export --since 2024-06-01T00:00:01Z | csv_rows)" 2000 "--since with a time"
is "$("$BIN" export --until 2024-06-01 | csv_rows)" 2 "--until is exclusive"
is "$("$BIN" export --since 2024-05-01 --until 2024-05-02 | csv_rows)" 2 "--since and --until together"
is "$("$BIN" export --since '2024-05-01T02:00:00+02:00' --until 2024-05-02 | csv_rows)" 2 \
  "--since with an offset is converted to UTC"

# --- streaming past one FETCH batch -----------------------------------------
"$BIN" export --domain big.example >"$TEST_DIR/big.csv"
is "$(csv_rows <"$TEST_DIR/big.csv")" 2000 "2000 records: two full batches, then the end"
is "$(python3 -c 'import csv,sys
r = list(csv.DictReader(sys.stdin))
print(len(r) == 2000 and all(int(x["record_ordinal"]) == i + 1 and x["count"] == str(i + 1) for i, x in enumerate(r)))' \
  <"$TEST_DIR/big.csv")" True "every batch in order, none lost or repeated"

# --- JSON -------------------------------------------------------------------
"$BIN" export --format json >"$TEST_DIR/all.json"
is "$?" 0 "json export exits 0"
is "$(json_len <"$TEST_DIR/all.json")" 2004 "json parses, one object per record"
is "$("$BIN" export --format json --domain example.com --until 2024-05-15 | python3 -c '
import json, sys
d = json.load(sys.stdin)
r = d[0]
checks = [
  list(r.keys())[:3] == ["xml_schema", "org_name", "org_email"],
  len(r) == 51,
  r["org_name"] == "=cmd|'"'"' /C calc'"'"'!A0",
  r["policy_override_comments"] == "line1\nsays \"hi\", ok",
  r["count"] == 5 and r["pct"] == 100 and r["report_db_id"] == 1,
  r["dkim_aligned"] is True and r["spf_aligned"] is False,
  r["org_extra_contact_info"] is None and r["source_country"] is None,
  r["dkim_domains"] == "example.com,other.example",
  d[1]["header_from"] == "<script>alert(1)</script>",
  d[1]["source_ip_address"] == "2001:db8::1",
]
print(checks)')" "[True, True, True, True, True, True, True, True, True, True]" \
  "json values: text exact, numbers, booleans, nulls"
is "$("$BIN" export --format json --domain nowhere.example | json_len)" 0 "an empty json export is []"

# --- usage errors and an unreachable database ---------------------------------
"$BIN" export --since 2024-13-45 >/dev/null 2>"$TEST_DIR/err"
is "$?" 2 "a bad --since exits 2"
like "$(cat "$TEST_DIR/err")" '^dmarcstat export: --since: ' "and says which option"
"$BIN" export --until yesterday >/dev/null 2>&1
is "$?" 2 "a bad --until exits 2"
"$BIN" export --format xml >/dev/null 2>&1
is "$?" 2 "an unknown --format exits 2"
"$BIN" export --level sources --domain example.com >"$TEST_DIR/out" 2>"$TEST_DIR/err"
is "$?" 0 "--level sources exits 0"
is "$(tr -d '\r' <"$TEST_DIR/out")" "domain,source,source_org,source_name,source_type,\
source_country,messages,dmarc_pass_pct,\
spf_aligned_pct,dkim_aligned_pct,dmarc_fail,delivered,quarantined,rejected,dkim_signers,\
spf_domains,header_froms
example.com,192.0.2.1,(not resolved yet),,,,5,100.0,0.0,100.0,0,5,0,0,example.com/s1 other.example,example.com,example.com
example.com,2001:db8::1,(not resolved yet),,,,1,0.0,0.0,0.0,1,0,0,1,,,<script>alert(1)</script>
example.com,,(no source IP),,,,0,,,,0,0,0,0,,," \
  "--level sources: one row per source of the domain, undated reports included without dates"
"$BIN" export --level sources --format json --since 2024-05-01 | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(len(d), d[0]["domain"], d[0]["messages"], d[0]["dmarc_pass_pct"], d[0]["source_org"])' \
  >"$TEST_DIR/out"
is "$(cat "$TEST_DIR/out")" "4 big.example 2001000 0.0 (not resolved yet)" \
  "--level sources --format json: every domain, numbers as numbers"
"$BIN" export --level everything >/dev/null 2>&1
is "$?" 2 "an unknown --level exits 2"
"$BIN" export stray >/dev/null 2>&1
is "$?" 2 "an operand exits 2"
"$BIN" export --db 'host=/nonexistent' >"$TEST_DIR/out" 2>"$TEST_DIR/err"
is "$?" 3 "an unreachable database exits 3"
is "$(cat "$TEST_DIR/out")" "" "and writes nothing to stdout"
like "$(cat "$TEST_DIR/err")" '^dmarcstat: store: ' "and says so on stderr"

if [ -w /dev/full ]; then
  "$BIN" export >/dev/full 2>"$TEST_DIR/err"
  is "$?" 1 "a failed write to stdout exits 1"
  like "$(cat "$TEST_DIR/err")" '^dmarcstat: export: cannot write to standard output: ' \
    "and says so"
fi

done_testing
