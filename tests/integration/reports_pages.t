#!/bin/sh
# reports_pages.t -- the report list, one report and the ingest failures,
# through the real server (dmarcstat serve) over HTTP.
#
# Data: samples/, a report full of hostile strings (script tags, an
# attribute-breaking report id, a spreadsheet formula, U+202E), a report of
# 3000 records whose XML is over 1 MiB, 120 small reports of one domain (more
# than one page), and a rejected file whose name carries markup.  Every
# number the pages show is compared with what SQL says.
. "$DMARCSTAT_ROOT/tests/lib/tap.sh"

"$BIN" serve --help >/dev/null 2>&1 || skip_all "serve not built yet"

use_db reports_pages_t
"$BIN" db migrate >"$TEST_DIR/migrate.out" 2>&1
ok $? "db migrate"

# --- data -------------------------------------------------------------------
"$BIN" import -q "$ROOT"/samples/new/* 2>"$TEST_DIR/import.err"
is "$?" 0 "samples imported"

# hostile.xml: markup, a formula and U+202E; then a report in windows-1252,
# one in UTF-16 with a BOM, and one with a UTF-8 BOM whose XML is kept cut.
python3 - "$TEST_DIR" <<'EOF'
import sys
from xml.sax.saxutils import escape
rec = """<record><row><source_ip>{ip}</source_ip><count>{n}</count>
<policy_evaluated><disposition>none</disposition><dkim>fail</dkim><spf>fail</spf>{reason}
</policy_evaluated></row><identifiers><header_from>{hf}</header_from></identifiers>
<auth_results><spf><domain>hostile-example.com</domain><result>fail</result></spf></auth_results>
</record>"""
def report(encoding, org, rid, comment):
    return f"""<?xml version="1.0" encoding="{encoding}"?>
<feedback><version>1.0</version>
<report_metadata><org_name>{escape(org)}</org_name><email>dmarc@hostile.example</email>
<report_id>{escape(rid, {'"': '&quot;'})}</report_id>
<date_range><begin>1791331200</begin><end>1791417599</end></date_range></report_metadata>
<policy_published><domain>hostile-example.com</domain><p>none</p><pct>100</pct></policy_published>
{rec.format(ip="192.0.2.99", n=3, hf="hostile-example.com",
            reason="<reason><type>other</type><comment>" + escape(comment) + "</comment></reason>")}
{rec.format(ip="2001:db8::99", n=2, hf=escape("<b>x</b>.example"), reason="")}
</feedback>
"""
d = sys.argv[1]
cafe = "Caf\u00e9 \u20ac Org"
open(d + "/hostile.xml", "wb").write(report(
    "UTF-8", "<script>alert(1)</script>\u202eevil.example", "\"'><img src=x onerror=alert(1)>",
    "=cmd|' /C calc'!A0").encode())
open(d + "/cp1252.xml", "wb").write(
    report("windows-1252", cafe, "cp1252-report", "x").encode("cp1252"))
open(d + "/utf16.xml", "wb").write(
    b"\xff\xfe" + report("UTF-16", cafe, "utf16-report", "x").encode("utf-16-le"))
open(d + "/cut.xml", "wb").write(
    b"\xef\xbb\xbf" + report("UTF-8", cafe, "cut-report", "x").encode())
EOF
"$BIN" import -q "$TEST_DIR/hostile.xml" 2>>"$TEST_DIR/import.err"
is "$?" 0 "hostile report imported"
"$BIN" import -q "$TEST_DIR/cp1252.xml" "$TEST_DIR/utf16.xml" 2>>"$TEST_DIR/import.err"
is "$?" 0 "windows-1252 and UTF-16 reports imported"
printf '[limits]\nxml_keep_max_bytes = 100\n' >"$TEST_DIR/cut.conf"
"$BIN" import -q --config "$TEST_DIR/cut.conf" "$TEST_DIR/cut.xml" 2>>"$TEST_DIR/import.err"
is "$?" 0 "a report whose XML is kept cut imported"

python3 "$ROOT/tools/gen-report.py" report --records 3000 --format xml --seed 5 \
  --org "Big Org" --id big-report --domain big.example --out "$TEST_DIR/big.xml" >/dev/null
"$BIN" import -q "$TEST_DIR/big.xml" 2>>"$TEST_DIR/import.err"
is "$?" 0 "a report of 3000 records (XML over 1 MiB) imported"

sql "
INSERT INTO reports (org_name, org_name_norm, report_id, xml_schema, domain, p,
                     begin_time, end_time, source_file, n_records, total_count)
SELECT 'Pager Org', 'pager org', 'pager-' || n, '1.0', 'paging.example', 'none',
       timestamptz '2026-09-01 00:00:00+00' + n * interval '1 hour',
       timestamptz '2026-09-01 00:00:00+00' + n * interval '1 hour' + interval '1 hour',
       'pager.xml', 0, n
FROM generate_series(1, 120) AS n" >/dev/null
ok $? "120 reports of paging.example inserted"

BAD="$TEST_DIR/rejected-<b>bold&\"'.xml"
printf 'this is not a report\n' >"$BAD"
"$BIN" import -q "$BAD" 2>"$TEST_DIR/reject.err"
is "$?" 1 "a file without a report is rejected"
is "$(sql "SELECT stage FROM ingest_failures WHERE path = '$TEST_DIR/rejected-<b>bold&\"''.xml'")" xml \
  "and its failure is recorded"

# --- the server -------------------------------------------------------------
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$BIN" serve --listen "127.0.0.1:$PORT" >"$TEST_DIR/serve.log" 2>&1 &
SERVE_PID=$!
trap 'kill "$SERVE_PID" 2>/dev/null; wait "$SERVE_PID" 2>/dev/null' EXIT
up=1
for _ in $(seq 1 100); do
  if python3 -c "import urllib.request, sys
sys.exit(urllib.request.urlopen('http://127.0.0.1:$PORT/healthz', timeout=2).read() != b'ok\n')" 2>/dev/null
  then up=0; break; fi
  kill -0 "$SERVE_PID" 2>/dev/null || break
  sleep 0.1
done
ok "$up" "serve answers /healthz"
[ "$up" -eq 0 ] || { sed 's/^/# /' "$TEST_DIR/serve.log"; done_testing; }

# --- the pages, against SQL ---------------------------------------------------
# check.py prints "ok NAME" or "not ok NAME" with "# " detail lines.
cat >"$TEST_DIR/check.py" <<'EOF'
import csv, io, json, os, re, subprocess, sys, urllib.error, urllib.request

BASE = "http://127.0.0.1:%s" % sys.argv[1]
PSQL = [os.environ["PG_BINDIR"] + "/psql", "-X", "-q", "-A", "-t", "-F", "\t",
        "-v", "ON_ERROR_STOP=1", "-d", os.environ["DMARCSTAT_DB"].split("=", 1)[1]]
HOSTILE = ["<script>alert(1)</script>", "\"'><img src=x onerror=alert(1)>",
           "<img src=x", "<b>bold", "<b>x</b>", "\u202e"]

def sql(query):
    out = subprocess.run(PSQL + ["-c", query], check=True, capture_output=True,
                         text=True).stdout
    return [line.split("\t") for line in out.splitlines()]

def get(path):
    try:
        with urllib.request.urlopen(BASE + path, timeout=30) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read().decode("utf-8", "replace")

def check(cond, name, got=None, want=None):
    print(("ok " if cond else "not ok ") + name)
    if not cond and (got is not None or want is not None):
        print("#   got:  %r\n#   want: %r" % (str(got)[:300], str(want)[:300]))

def esc(text):
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#39;"))

html_pages = {}

def page(path):
    status, ctype, body = get(path)
    if ctype.startswith("text/html"):
        html_pages[path] = body
    return status, body

def api_ids(query):
    status, _, body = get("/api/reports" + query)
    return status, sorted(int(r["id"]) for r in json.loads(body)) if status == 200 else []

def sql_ids(where):
    return sorted(int(r[0]) for r in sql("SELECT id FROM reports r WHERE " + where))

def csv_rows(body):
    return list(csv.DictReader(io.StringIO(body)))

# -- the list
n_reports = int(sql("SELECT count(*) FROM reports")[0][0])
status, body = page("/reports")
check(status == 200, "/reports answers 200", status, 200)
check("of %d." % n_reports in body, "/reports counts every report", None, n_reports)
status, ids = api_ids("?page=1")
check(status == 200 and len(ids) == 100, "/api/reports gives one page of 100", len(ids), 100)
all_ids = []
for p in range(1, (n_reports + 99) // 100 + 1):
    all_ids += api_ids("?page=%d" % p)[1]
check(sorted(all_ids) == sql_ids("true"),
      "the pages of /api/reports hold every report once", len(all_ids), n_reports)
status, _, body = get("/reports.csv?page=2")
check(len(csv_rows(body)) == min(100, n_reports - 100), "/reports.csv?page=2 has page 2's rows")
status, body = page("/reports?domain=paging.example&page=2")
links = set(int(x) for x in re.findall(r'href="/reports/(\d+)"', body))
want = set(int(r[0]) for r in sql("SELECT id FROM reports WHERE domain = 'paging.example'"
                                  " ORDER BY begin_time DESC, id DESC OFFSET 100"))
check(links == want and len(want) == 20, "page 2 of a domain links its 20 oldest reports",
      sorted(links), sorted(want))
check("of 120." in body, "and says 120 match")
prev = re.search(r'href="([^"]*)">Previous page', body)
check(prev is not None and "domain=paging.example" in prev.group(1),
      "the previous-page link keeps the domain filter", prev and prev.group(1))
status, body = page("/reports?domain=paging.example")
nxt = re.search(r'href="([^"]*)">Next page', body)
check(nxt is not None and "page=2" in nxt.group(1) and "domain=paging.example" in nxt.group(1),
      "page 1 links page 2 with the filter", nxt and nxt.group(1))
check(re.search(r'href="/reports\.csv\?domain=paging\.example"', body) is not None,
      "the CSV link carries the filter")
check(api_ids("?domain=paging.example&page=3")[1] == [], "a page past the end is empty")

# -- filters, as SQL says
for query, where, name in [
    ("?domain=PATISSERIE-example.com", "lower(domain) = 'patisserie-example.com'", "domain, any case"),
    ("?org=OUTLOOK", "strpos(lower(org_name), 'outlook') > 0", "org substring, any case"),
    ("?org=%3Cscript", "strpos(org_name, '<script') > 0", "org with markup"),
    ("?since=2026-10-15", "begin_time >= '2026-10-15T00:00:00Z'", "since"),
    ("?since=2026-10-08&until=2026-10-09&domain=bakery-example.com",
     "begin_time >= '2026-10-08Z' AND begin_time < '2026-10-09Z'"
     " AND domain = 'bakery-example.com'", "since, until and domain"),
    ("?domain=bakery-example.com&days=3",
     "domain = 'bakery-example.com' AND begin_time >= (SELECT max(begin_time) FROM reports"
     " WHERE domain = 'bakery-example.com') - interval '3 days'", "days from the newest report"),
]:
    want = sql_ids(where)
    got = api_ids(query)[1]
    check(got == want and len(want) > 0, "filter %s narrows as SQL does" % name, got, want)

status, _, body = get("/api/reports?sort=messages&dir=desc&domain=bakery-example.com")
msgs = [int(r["messages"]) for r in json.loads(body)]
check(msgs == sorted(msgs, reverse=True) and len(msgs) > 1, "sort=messages&dir=desc orders", msgs)
for query in ["sort=nope", "sort=id;drop", "since=2026-13-45", "until=yesterday", "page=0",
              "page=abc", "days=0", "domain=" + "x" * 300]:
    status, _, _ = get("/reports?" + query)
    check(status == 400, "/reports?%s is a 400" % query[:30], status, 400)

# -- one report: the DMARCbis sample, with a mail behind it
rid = sql("SELECT id FROM reports WHERE np IS NOT NULL AND generator IS NOT NULL"
          " ORDER BY id LIMIT 1")[0][0]
cols = ["org_name", "email", "report_id", "domain", "p", "np", "testing", "discovery_method",
        "generator", "xml_schema", "source_file", "attachment_name", "container", "pct",
        "n_records", "total_count", "duplicates_seen"]
meta = dict(zip(cols, sql("SELECT " + ", ".join(cols) + " FROM reports WHERE id = " + rid)[0]))
mail = sql("SELECT m.message_id, m.subject, m.path FROM reports r JOIN mails m"
           " ON m.id = r.mail_id WHERE r.id = " + rid)[0]
status, body = page("/reports/" + rid)
check(status == 200, "/reports/%s answers 200" % rid, status)
missing = [c for c in cols if esc(meta[c]) not in body]
missing += [v for v in mail if esc(v) not in body]
check(missing == [], "the report page shows its metadata and mail", missing)
domain = meta["domain"].lower()
n_links = body.count('href="/domains/%s/sources/' % domain)
check(n_links == int(meta["n_records"]), "one source link per record", n_links, meta["n_records"])
pre = re.search(r"<pre>(.*?)</pre>", body, re.S)
check(pre is not None and "<feedback" not in pre.group(1) and "&lt;feedback" in pre.group(1),
      "the original XML is shown as escaped text")
records = sql("SELECT ordinal, host(source_ip), count FROM records WHERE report_id = %s"
              " ORDER BY ordinal" % rid)
status, ctype, body = get("/reports/%s.csv" % rid)
rows = csv_rows(body)
check(status == 200 and ctype.startswith("text/csv"), "the records CSV is text/csv", ctype)
got = [[r["ordinal"], r["source_ip"], r["count"]] for r in rows]
check(got == records, "its rows are the report's records", got[:2], records[:2])
status, ctype, body = get("/api/reports/" + rid)
doc = json.loads(body)
check(int(doc["report"]["records"]) == int(meta["n_records"])
      and int(doc["report"]["messages"]) == int(meta["total_count"])
      and len(doc["records"]) == int(meta["n_records"])
      and sum(int(r["count"]) for r in doc["records"]) == int(meta["total_count"]),
      "/api/reports/%s has the same numbers" % rid)
xml_head = sql("SELECT encode(substring(xml FROM 1 FOR 60), 'escape') FROM report_xml"
               " WHERE report_id = " + rid)[0][0]
check(doc["xml"].lstrip("\ufeff").startswith(xml_head.lstrip("\ufeff")[:40]),
      "and the original XML as a string", doc["xml"][:40], xml_head[:40])

doc = json.loads(get("/api/reports/%s?sort=count&dir=desc" % rid)[2])
counts = [int(r["count"]) for r in doc["records"]]
check(counts == sorted(counts, reverse=True) and len(counts) > 1, "records sort by count", counts)
bad = [c for c in ["source_ip", "count", "disposition", "dkim", "spf", "reasons",
                   "reason_comments", "header_from", "envelope_from", "dkim_domains",
                   "dkim_selectors", "dkim_results", "spf_domains", "spf_scopes", "spf_results"]
       if get("/reports/%s?sort=%s&dir=desc" % (rid, c))[0] != 200]
check(bad == [], "every records column sorts", bad)
check(get("/reports/%s?sort=nope" % rid)[0] == 400, "an unknown records sort is a 400")

# -- the hostile report
# The first of the four hostile-example.com reports (imported first).
hid = sql("SELECT min(id) FROM reports WHERE domain = 'hostile-example.com'")[0][0]
status, body = page("/reports/" + hid)
check(esc("<script>alert(1)</script>") in body and esc("\"'><img src=x onerror=alert(1)>") in body,
      "hostile org name and report id are shown escaped")
check("[U+202E]" in body, "U+202E is shown, not obeyed")
status, _, body = get("/reports/%s.csv" % hid)
cells = [r["reason_comments"] for r in csv_rows(body)]
check("'=cmd|' /C calc'!A0" in cells, "a formula comment is neutralised in the CSV", cells)
doc = json.loads(get("/api/reports/" + hid)[2])
check(doc["report"]["org_name"] == "<script>alert(1)</script>\u202eevil.example"
      and doc["records"][0]["reason_comments"] == "=cmd|' /C calc'!A0",
      "JSON carries the hostile strings exactly")
page("/reports?org=%3Cscript")
status, body = page("/reports?domain=%3Cscript%3Ealert(1)%3C%2Fscript%3E"
                    "&org=%22%27%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E")
check(status == 200 and 'value="&lt;script&gt;' in body, "filter values are echoed escaped")

# -- encodings, and XML the database kept only in part
for report_id, encoding in [("cp1252-report", "WINDOWS-1252"), ("utf16-report", "UTF-16LE")]:
    xid = sql("SELECT id FROM reports WHERE report_id = '%s'" % report_id)[0][0]
    status, body = page("/reports/" + xid)
    pre = re.search(r"<pre>(.*?)</pre>", body, re.S)
    check(pre is not None and "&lt;org_name&gt;Caf\u00e9 \u20ac Org&lt;/org_name&gt;" in pre.group(1)
          and "Decoded from %s" % encoding in body, "XML in %s is shown decoded" % encoding)
xid, path = sql("SELECT r.id, m.path FROM reports r JOIN mails m ON m.id = r.mail_id"
                " WHERE report_id = 'cut-report'")[0]
status, body = page("/reports/" + xid)
check("the first 100 of the original" in body and "mail file <code>%s</code>" % esc(path) in body,
      "XML kept in part says where the whole original is")
doc = json.loads(get("/api/reports/" + xid)[2])
check(doc["report"]["xml_is_complete"] is False and doc["xml"].startswith("<?xml")
      and doc["xml_is_cut"] is False, "and the JSON says it is not complete")

# -- the big report: XML cut for display, records paged
bid = sql("SELECT id FROM reports WHERE report_id = 'big-report'")[0][0]
status, body = page("/reports/" + bid)
check("the first 1048576 bytes of" in body, "an XML over 1 MiB is cut, with a note")
check(body.count('href="/domains/big.example/sources/') == 1000, "1000 records a page")
doc = json.loads(get("/api/reports/%s?page=3" % bid)[2])
check(doc["xml_is_cut"] is True and [int(r["ordinal"]) for r in doc["records"]]
      == list(range(2001, 3001)), "page 3 of the JSON holds records 2001-3000")
check(get("/reports/%s.csv?page=4" % bid)[2].count("\n") == 1, "page 4 of the CSV is its header")

# -- not found
for path in ["/reports/999999", "/reports/abc", "/reports/0", "/reports/-1", "/reports/1x",
             "/reports/99999999999999999999", "/api/reports/999999", "/reports/999999.csv"]:
    status, _, _ = get(path)
    check(status == 404, "%s is a 404" % path, status, 404)

# -- failures
fails = sql("SELECT stage, reason, path FROM ingest_failures")
status, body = page("/failures")
check(status == 200 and all(esc(f[1]) in body and esc(f[2]) in body for f in fails)
      and re.search(r"<td>(<bdi>)?xml(</bdi>)?</td>", body) is not None,
      "/failures shows each failure's stage, reason and file")
check(not re.search(r'href="[^"]*rejected', body), "the mail path is text, not a link")
status, ctype, body = get("/failures.csv")
got = [[r["stage"], r["reason"], r["path"]] for r in csv_rows(body)]
check(sorted(got) == sorted(fails) and len(got) == 1, "/failures.csv rows are SQL's", got, fails)
status, _, body = get("/api/failures?since=2000-01-01")
check(len(json.loads(body)) == len(fails), "/api/failures with since")
status, _, body = get("/api/failures?until=2000-01-01")
check(json.loads(body) == [], "/api/failures until long ago is empty")
check(get("/failures?since=junk")[0] == 400, "a bad since on /failures is a 400")

for path, body in html_pages.items():
    raw = [h for h in HOSTILE if h in body]
    check(raw == [], "no hostile string appears raw in %s" % path[:40], raw)
EOF

export PG_BINDIR
python3 "$TEST_DIR/check.py" "$PORT" >"$TEST_DIR/check.out" 2>&1
py_status=$?
while IFS= read -r line; do
  case $line in
    "ok "*) tap_result 0 "${line#ok }" ;;
    "not ok "*) tap_result 1 "${line#not ok }" ;;
    *) printf '%s\n' "$line" | sed 's/^\([^#]\)/# \1/' ;;
  esac
done <"$TEST_DIR/check.out"
is "$py_status" 0 "the checks ran to the end"

kill "$SERVE_PID" 2>/dev/null
wait "$SERVE_PID" 2>/dev/null
trap - EXIT
done_testing
