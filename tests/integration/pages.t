#!/bin/sh
# pages.t -- the dashboard's overview, domain and source pages against the
# real server (dmarcstat serve): numbers equal SQL's, filters change them as
# SQL says, each table's CSV equals its JSON, sorting, 404/400, hostile
# strings escaped in HTML and neutralised in CSV, and `export --level
# sources` equal to the web's sources CSV.
#
# Data: samples/ plus two generated reports for hostile-example.org, one
# carrying hostile strings (a script tag as org_name, an attribute-breaking
# report_id, a spreadsheet formula as override comment, a header_from with
# U+202E), one older, outside the default 30 days; and one report for
# many-example.net with 2,500 sources, so that a CSV streams past one FETCH
# batch of 1,000 rows.
. "$DMARCSTAT_ROOT/tests/lib/tap.sh"

use_db pages_t
D=bakery-example.com
H=hostile-example.org

# --- data ---------------------------------------------------------------------
python3 - "$TEST_DIR" <<'EOF'
import calendar, sys
from xml.sax.saxutils import escape
out = sys.argv[1]

def day(s):
    return calendar.timegm((int(s[:4]), int(s[5:7]), int(s[8:10]), 0, 0, 0))

def record(ip, count, disp, dkim, spf, header_from, reasons=()):
    rs = "".join("<reason><type>%s</type><comment>%s</comment></reason>" % (t, escape(c))
                 for t, c in reasons)
    return ("<record><row><source_ip>%s</source_ip><count>%d</count><policy_evaluated>"
            "<disposition>%s</disposition><dkim>%s</dkim><spf>%s</spf>%s</policy_evaluated></row>"
            "<identifiers><header_from>%s</header_from></identifiers><auth_results>"
            "<dkim><domain>hostile-example.org</domain><selector>s1</selector><result>%s</result></dkim>"
            "<spf><domain>hostile-example.org</domain><result>%s</result></spf></auth_results></record>"
            % (ip, count, disp, dkim, spf, rs, escape(header_from), dkim, spf))

def report(path, org, rid, begin, records, domain="hostile-example.org"):
    xml = ('<?xml version="1.0" encoding="UTF-8"?>\n<feedback><version>1.0</version>'
           "<report_metadata><org_name>%s</org_name><email>dmarc@reporter.example</email>"
           "<report_id>%s</report_id><date_range><begin>%d</begin><end>%d</end></date_range>"
           "</report_metadata><policy_published><domain>%s</domain><adkim>r</adkim>"
           "<aspf>r</aspf><p>none</p><sp>none</sp><pct>100</pct></policy_published>%s</feedback>\n"
           % (escape(org), escape(rid), day(begin), day(begin) + 86399, domain, "".join(records)))
    with open(path, "w", encoding="utf-8") as f:
        f.write(xml)

report(out + "/hostile.xml", "<script>alert(1)</script>", "\"'><img src=x onerror=alert(1)>",
       "2026-10-12", [
           record("203.0.113.66", 7, "none", "fail", "fail", "hostile-example.org",
                  [("local_policy", "=cmd|' /C calc'!A0")]),
           record("203.0.113.67", 3, "none", "pass", "pass", "\u202egro.elpmaxe-elitsoh"),
           record("198.51.100.99", 2, "quarantine", "fail", "fail", "hostile-example.org"),
           record("198.51.100.98", 1, "reject", "fail", "fail", "hostile-example.org")])
report(out + "/older.xml", "Quiet Example", "quiet-1", "2026-09-01", [
    record("203.0.113.66", 5, "none", "fail", "fail", "hostile-example.org")])
report(out + "/many.xml", "Many Example", "many-1", "2026-10-05", [
    record("2001:db8:5::%x" % i, 1 + i % 7, "none", "pass" if i % 3 else "fail", "fail",
           "many-example.net") for i in range(2500)], domain="many-example.net")
EOF
ok $? "hostile reports generated"
"$BIN" import "$ROOT"/samples/new/* "$TEST_DIR/hostile.xml" "$TEST_DIR/older.xml" \
  "$TEST_DIR/many.xml" >"$TEST_DIR/import.out" 2>&1
ok $? "samples and generated reports imported"
is "$(sql "SELECT count(*) FROM reports")" 27 "27 reports stored"

# --- the server -----------------------------------------------------------------
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$BIN" serve --listen "127.0.0.1:$PORT" >"$TEST_DIR/serve.out" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null' EXIT
export BASE="http://127.0.0.1:$PORT"

# W get|status|json|csv|same PATH [EXPR]: what the server answers (web.py below).
cat >"$TEST_DIR/web.py" <<'EOF'
import csv, io, json, os, sys, urllib.error, urllib.request
what, path = sys.argv[1], sys.argv[2]
def fetch(p):
    try:
        with urllib.request.urlopen(os.environ["BASE"] + p, timeout=30) as r:
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")
def rows(p):
    return list(csv.DictReader(io.StringIO(fetch(p)[1], newline="")))
def cell(v):   # a JSON value as the CSV writes it, before the formula guard
    return "" if v is None else str(v)
def unguard(v):
    return v[1:] if v[:1] == "'" and v[1:2] in ("=", "+", "-", "@", "\t", "\r") else v
if what == "status":
    print(fetch(path)[0])
elif what == "get":
    sys.stdout.write(fetch(path)[1])
elif what == "json":
    d = json.loads(fetch(path)[1]); print(eval(sys.argv[3]))
elif what == "csv":
    r = rows(path); print(eval(sys.argv[3]))
elif what == "same":   # PATH.csv?Q equals /api/PATH?Q, row by row
    p, _, q = path.partition("?")
    c = [{k: unguard(v) for k, v in x.items()} for x in rows(p + ".csv?" + q)]
    j = [{k: cell(v) for k, v in x.items()} for x in json.loads(fetch("/api" + path)[1])]
    print(len(c) > 0 and c == j)
EOF
W() { python3 "$TEST_DIR/web.py" "$@"; }

for i in $(seq 1 300); do
  [ "$(W status /healthz 2>/dev/null)" = 200 ] && break
  sleep 0.1
done
is "$(W get /healthz)" ok "serve answers /healthz"

# SQL truth: messages of DOMAIN in [LO, HI) with a record condition.
# The default period: 30 days up to the end of the day of the newest report.
end_of() { sql "SELECT to_char(date_trunc('day', max(begin_time) AT TIME ZONE 'UTC') + interval '1 day', 'YYYY-MM-DD') FROM reports WHERE domain = '$1'"; }
back() { sql "SELECT to_char(date '$1' - $2, 'YYYY-MM-DD')"; }
msgs() { # DOMAIN LO HI [CONDITION]
  sql "SELECT coalesce(sum(c.count), 0) FROM records c JOIN reports r ON r.id = c.report_id
       WHERE r.domain = '$1' AND r.begin_time >= '$2' AND r.begin_time < '$3' AND (${4:-true})"
}
PASS="(c.dkim_eval = 'pass' OR c.spf_eval = 'pass')"
D_END=$(end_of $D)
D_LO=$(back "$D_END" 30)
H_END=$(end_of $H)
H_LO=$(back "$H_END" 30)

# --- overview -------------------------------------------------------------------
is "$(W status /)" 200 "the overview answers"
is "$(W json '/api/?table=domains' '" ".join("%s=%s" % (r["domain"], r["messages"]) for r in sorted(d, key=lambda r: r["domain"]))')" \
  "$D=$(msgs $D "$D_LO" "$D_END") $H=$(msgs $H "$H_LO" "$H_END") many-example.net=$(msgs many-example.net 2026-09-06 2026-10-06) patisserie-example.com=$(msgs patisserie-example.com "$(back "$(end_of patisserie-example.com)" 30)" "$(end_of patisserie-example.com)")" \
  "overview: every domain with its messages over its own last 30 days, as SQL"
is "$(W json '/api/?table=domains' '[r["dmarc_pass_pct"] for r in d if r["domain"] == "'$D'"][0]')" \
  "$(sql "SELECT round(100.0 * sum(c.count) FILTER (WHERE $PASS) / sum(c.count), 1) FROM records c JOIN reports r ON r.id = c.report_id WHERE r.domain = '$D' AND r.begin_time >= '$D_LO'")" \
  "overview: DMARC pass % as SQL"
is "$(W json '/api/?table=domains' '[r["policy"] for r in d if r["domain"] == "'$D'"][0]')" \
  "p=quarantine; sp=quarantine; pct=25" "overview: the newest published policy"
is "$(W json '/api/?table=domains' '[r["failing_sources"] for r in d if r["domain"] == "'$D'"][0]')" \
  "$(sql "SELECT count(*) FROM (SELECT c.source_ip FROM records c JOIN reports r ON r.id = c.report_id WHERE r.domain = '$D' AND r.begin_time >= '$D_LO' GROUP BY 1 HAVING sum(c.count) FILTER (WHERE NOT $PASS) > 0) s")" \
  "overview: failing sources as SQL"
is "$(W same '/?table=domains')" True "overview: the domains CSV equals its JSON"
is "$(W json '/api/?table=ingest' 'sum(r["reports"] for r in d)')" 27 "overview: ingest health counts the reports received"
W get / >"$TEST_DIR/overview.html"
like "$(cat "$TEST_DIR/overview.html")" "href=\"/domains/$D\"" "overview links each domain"
like "$(cat "$TEST_DIR/overview.html")" '<svg class="spark"' "overview draws a sparkline"

# --- domain page: the numbers ---------------------------------------------------
is "$(W status /domains/$D)" 200 "the domain page answers"
is "$(W json "/api/domains/$D?table=summary" 'd[0]["messages"]')" "$(msgs $D "$D_LO" "$D_END")" \
  "domain: messages as SQL"
is "$(W json "/api/domains/$D?table=summary" 'd[0]["dmarc_pass_pct"]')" \
  "$(sql "SELECT round(100.0 * sum(c.count) FILTER (WHERE $PASS) / sum(c.count), 1) FROM records c JOIN reports r ON r.id = c.report_id WHERE r.domain = '$D' AND r.begin_time >= '$D_LO'")" \
  "domain: DMARC pass % as SQL"
W get /domains/$D >"$TEST_DIR/domain.html"
MSGS=$(msgs $D "$D_LO" "$D_END")
like "$(cat "$TEST_DIR/domain.html")" "<span class=\"value\">$(python3 -c "print(f'{$MSGS:,}')")</span><span class=\"label\">messages" \
  "domain: the messages card comes first"
like "$(tr -d '\n' <"$TEST_DIR/domain.html")" 'class="cards".*<svg class="chart".*class="advice".*<table class="data"' \
  "domain: cards, then the chart, then the advice, then the tables"
is "$(grep -c '^<g><title>' "$TEST_DIR/domain.html")" 30 "domain: one titled bar per day of the period"
is "$(W csv "/domains/$D.csv" 'len(r)')" \
  "$(sql "SELECT count(DISTINCT c.source_ip) FROM records c JOIN reports r ON r.id = c.report_id WHERE r.domain = '$D' AND r.begin_time >= '$D_LO'")" \
  "sources CSV: one row per source, as SQL"
is "$(W csv "/domains/$D.csv" 'sum(int(x["messages"]) for x in r), sum(int(x["dmarc_fail"]) for x in r), sum(int(x["quarantined"]) for x in r)')" \
  "($MSGS, $(msgs $D "$D_LO" "$D_END" "NOT $PASS"), $(msgs $D "$D_LO" "$D_END" "c.disposition = 'quarantine'"))" \
  "sources CSV: messages, DMARC fails and quarantined sum as SQL"
is "$(W csv "/domains/$D.csv?table=daily" 'sum(int(x["messages"]) for x in r) == sum(int(x["pass"]) + int(x["fail"]) + int(x["quarantined"]) + int(x["rejected"]) for x in r)')" \
  True "daily: the outcomes add up to the messages"
is "$(W csv "/domains/$D.csv?table=reporters" 'sum(int(x["messages"]) for x in r)')" "$MSGS" \
  "reporters: their messages add up"
is "$(W json "/api/domains/$D" '",".join(d.keys())')" "sources,senders,reporters,daily,summary,policy,period" \
  "domain JSON: an object of every table"
for t in sources reporters daily; do
  is "$(W same "/domains/$D?table=$t")" True "domain: the $t CSV equals its JSON"
done

# --- filters ----------------------------------------------------------------------
is "$(W json "/api/domains/$D?table=summary&days=7" 'd[0]["messages"]')" \
  "$(msgs $D "$(back "$D_END" 7)" "$D_END")" "days=7 as SQL"
is "$(W json "/api/domains/$D?table=summary&since=2026-10-15" 'd[0]["messages"]')" \
  "$(msgs $D 2026-10-15 2100-01-01)" "since as SQL"
is "$(W json "/api/domains/$D?table=summary&since=2026-10-05&until=2026-10-10" 'd[0]["messages"]')" \
  "$(msgs $D 2026-10-05 2026-10-10)" "since and until as SQL"
is "$(W json "/api/domains/$D?table=summary&until=2026-10-10" 'd[0]["messages"]')" \
  "$(msgs $D "$(back 2026-10-10 30)" 2026-10-10)" "until alone: 30 days of data before it"
is "$(W json "/api/domains/$D?table=summary&from=NEWS.bakery-example.com" 'd[0]["messages"]')" \
  "$(msgs $D "$D_LO" "$D_END" "c.header_from = 'news.bakery-example.com'")" "from (header_from) as SQL"
for r in pass fail quarantine reject; do
  case $r in
    pass) cond=$PASS ;; fail) cond="NOT $PASS" ;; *) cond="c.disposition = '$r'" ;;
  esac
  is "$(W json "/api/domains/$H?table=summary&days=60&result=$r" 'd[0]["messages"]')" \
    "$(msgs $H "$(back "$H_END" 60)" "$H_END" "$cond")" "result=$r as SQL"
done
is "$(W json "/api/domains/$H?table=summary" 'd[0]["messages"]') $(W json "/api/domains/$H?table=summary&days=60" 'd[0]["messages"]')" \
  "$(msgs $H "$H_LO" "$H_END") $(msgs $H "$(back "$H_END" 60)" "$H_END")" \
  "days=60 takes in the older report, days=30 does not"
is "$(W same "/domains/$D?since=2026-10-01&until=2026-10-15&result=fail&table=sources")" True \
  "filtered sources CSV equals its JSON"

# --- sorting --------------------------------------------------------------------
is "$(W csv "/domains/$D.csv?sort=source&dir=asc" '[x["source"] for x in r] == sorted(x["source"] for x in r)')" \
  True "sort=source&dir=asc orders by source"
is "$(W csv "/domains/$D.csv?sort=messages&dir=asc" '[int(x["messages"]) for x in r] == sorted(int(x["messages"]) for x in r) and r[0]["source"] != "198.51.100.140"')" \
  True "sort=messages&dir=asc reverses the default order"
like "$(W get "/domains/$D?table=reporters&sort=reporter&dir=desc")" \
  'aria-sort="descending"><a href="[^"]*sort=reporter&amp;dir=asc"' "the sorted header shows it and links the other way"
like "$(W get "/domains/$D?days=7")" 'href="\?days=7&amp;sort=messages&amp;dir=desc"' \
  "sort links keep the filters"
like "$(W get "/domains/$D?days=7")" "href=\"/domains/$D.csv\\?days=7&amp;table=reporters\"" \
  "CSV links keep the filters"

# --- errors ---------------------------------------------------------------------
is "$(W status /domains/nowhere.example)" 404 "an unknown domain is a 404"
is "$(W status /api/domains/nowhere.example)" 404 "also in JSON"
is "$(W status "/domains/$D/sources/192.0.2.250")" 404 "a source that never sent for the domain is a 404"
is "$(W status "/domains/$D?since=2026-02-30")" 400 "a bad date is a 400"
is "$(W status "/domains/$D.csv?until=tomorrow")" 400 "also for the CSV"
is "$(W status "/domains/$D?sort=nonsense")" 400 "an unknown sort column is a 400"
is "$(W status "/domains/$D?table=nonsense")" 400 "an unknown table is a 400"

# --- source page ------------------------------------------------------------------
S=198.51.100.77
is "$(W json "/api/domains/$D/sources/$S?table=summary" 'd[0]["messages"]')" \
  "$(msgs $D "$D_LO" "$D_END" "c.source_ip = '$S'")" "source: messages as SQL"
is "$(W csv "/domains/$D/sources/$S.csv" 'len(r)')" \
  "$(sql "SELECT count(*) FROM records c JOIN reports r ON r.id = c.report_id WHERE r.domain = '$D' AND r.begin_time >= '$D_LO' AND c.source_ip = '$S'")" \
  "source: one CSV row per record, as SQL"
is "$(W json "/api/domains/$D/sources/$S?table=overrides" '" ".join("%s=%d" % (r["override"], r["messages"]) for r in d)')" \
  "$(sql "SELECT string_agg(t || '=' || n, ' ' ORDER BY n DESC, t) FROM (SELECT t, sum(c.count) AS n FROM records c JOIN reports r ON r.id = c.report_id, unnest(c.reason_types) AS t WHERE r.domain = '$D' AND r.begin_time >= '$D_LO' AND c.source_ip = '$S' GROUP BY t) s")" \
  "source: override reasons as SQL"
for t in records auth overrides reporters; do
  is "$(W same "/domains/$D/sources/$S?table=$t")" True "source: the $t CSV equals its JSON"
done
is "$(W status "/domains/$D/sources/2001:db8:4860:4864::1b")" 200 "an IPv6 source answers"

# --- hostile strings -----------------------------------------------------------------
for p in "/domains/$H?days=60" "/domains/$H/sources/203.0.113.66?days=60" \
         "/domains/$H/sources/203.0.113.67" "/"; do
  W get "$p" >"$TEST_DIR/page.html"
  grep -q '<script' "$TEST_DIR/page.html"
  is "$?" 1 "no <script in $p"
  grep -qi '<img' "$TEST_DIR/page.html"
  is "$?" 1 "no <img in $p"
  grep -q ' style=' "$TEST_DIR/page.html"
  is "$?" 1 "no style attribute in $p"
  grep -q "$(printf '\342\200\256')" "$TEST_DIR/page.html"
  is "$?" 1 "no raw U+202E in $p"
done
like "$(W get "/domains/$H?days=60")" '&lt;script&gt;alert\(1\)&lt;/script&gt;' "the org name shows escaped"
like "$(W get "/domains/$H/sources/203.0.113.66")" '&quot;&#39;&gt;&lt;img src=x onerror=alert\(1\)&gt;' \
  "the report id shows escaped"
like "$(W get "/domains/$H/sources/203.0.113.67")" '\[U\+202E\]</span>gro\.elpmaxe-elitsoh' \
  "U+202E shows as a visible marker"
is "$(W csv "/domains/$H/sources/203.0.113.66.csv" 'r[0]["override_comments"]')" "'=cmd|' /C calc'!A0" \
  "the formula comment is neutralised in CSV"
is "$(W csv "/domains/$H/sources/203.0.113.66.csv?table=overrides" 'r[0]["comments"]')" "'=cmd|' /C calc'!A0" \
  "also in the overrides CSV"
is "$(W json "/api/domains/$H/sources/203.0.113.66?table=records" 'd[0]["override_comments"]')" "=cmd|' /C calc'!A0" \
  "JSON keeps the comment as sent"
W get "/api/domains/$H?days=60" >"$TEST_DIR/h.json"
grep -q '<script' "$TEST_DIR/h.json"
is "$?" 1 "no raw <script in JSON"
is "$(W same "/domains/$H/sources/203.0.113.66?table=records")" True \
  "hostile records: CSV equals JSON (but for the formula guard)"

# --- a CSV streamed past one FETCH batch -----------------------------------------------
M=many-example.net
is "$(W csv "/domains/$M.csv" 'len(r), len(set(x["source"] for x in r)), sum(int(x["messages"]) for x in r)')" \
  "($(sql "SELECT count(DISTINCT c.source_ip) FROM records c JOIN reports r ON r.id = c.report_id WHERE r.domain = '$M'"), 2500, $(msgs $M 2026-10-01 2026-10-06))" \
  "2,500 sources stream as 2,500 distinct rows, messages as SQL"
is "$(W same "/domains/$M?table=sources")" True "and the streamed CSV equals the JSON"

# --- export --level sources equals the web's sources CSV ----------------------------
for args in "--domain $D --since 2026-10-01 --until 2026-10-15" "--domain $H --since 2026-01-01" \
            "--domain $D --since 2026-10-15" "--domain many-example.net --since 2026-10-01"; do
  set -- $args
  "$BIN" export --level sources $args >"$TEST_DIR/cli.csv"
  W get "/domains/$2.csv?since=$4${6:+&until=$6}" >"$TEST_DIR/web.csv"
  cmp -s "$TEST_DIR/cli.csv" "$TEST_DIR/web.csv"
  ok $? "export --level sources $args equals the web's sources CSV"
done
is "$("$BIN" export --level sources --domain $D --since 2026-10-01 | python3 -c 'import csv,sys; print(sum(1 for _ in csv.reader(sys.stdin)) - 1)')" \
  "$(sql "SELECT count(DISTINCT c.source_ip) FROM records c JOIN reports r ON r.id = c.report_id WHERE r.domain = '$D' AND r.begin_time >= '2026-10-01'")" \
  "export --level sources: one row per source"

kill "$SERVER"
wait "$SERVER"
is "$?" 0 "serve exits 0 on SIGTERM"
trap - EXIT
like "$(cat "$TEST_DIR/serve.out")" 'serving http://127.0.0.1:' "serve said where it listens"
done_testing
