#!/bin/sh
# security.t -- the dashboard and the parsers against an attacker: reports
# whose every string is markup, SQL or a spreadsheet formula (every page,
# in HTML, CSV and JSON, and once through a real browser); requests that
# try SQL injection, path traversal, response splitting, malformed HTTP and
# connection floods; authentication off loopback; the database roles of
# SECURITY.md, run as written; zip entries that point outside the maildir,
# archive formats we do not unpack, XInclude; mails built to hurt GMime;
# the systemd units' sandbox.  SECURITY.md names the tests here by their
# descriptions, and the last tests check that every name it gives exists.
# (Longer than other tests: sec.py, the HTTP client and the checks of
# HTML, CSV and JSON, is embedded so that the file stands alone.)
#
# Reporters control every byte of a report, the DNS controls PTR names and
# TXT records, and anyone who reaches the port controls the request: each
# section plays one of them.  The server runs from this test's own data; a
# python3 helper (sec.py, below) does the HTTP, since curl is not installed
# on a fresh Debian.
. "$DMARCSTAT_ROOT/tests/lib/tap.sh"

use_db security_t
SERVER=""
AUTH_SERVER=""
cleanup() {
  for pid in $SERVER $AUTH_SERVER; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
}
trap cleanup EXIT

# --- hostile data ------------------------------------------------------------
# P(tag): the field's name, then a script element, an attribute breakout, a
# javascript: URL and U+202E, so that a page showing the value shows which
# field it is.  The policy domain holds no '/' (a path segment cannot).
python3 - "$TEST_DIR" <<'EOF'
import calendar, io, os, sys, zipfile
from xml.sax.saxutils import escape
out = sys.argv[1]
S, A, J, R = "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "javascript:alert(1)", "\u202egnp.exe"

def P(tag):
    return "%s%s'%s %s%s" % (tag, S, A, J, R)

def day(s):
    return calendar.timegm((int(s[:4]), int(s[5:7]), int(s[8:10]), 0, 0, 0))

def el(name, value):
    return "<%s>%s</%s>" % (name, escape(value), name)

def record(ip, v, comment):
    return ("<record><row><source_ip>%s</source_ip><count>7</count><policy_evaluated>"
            "<disposition>none</disposition><dkim>fail</dkim><spf>fail</spf>"
            "<reason><type>local_policy</type>%s</reason></policy_evaluated></row>"
            "<identifiers>%s%s%s</identifiers><auth_results><dkim>%s%s<result>fail</result>%s</dkim>"
            "<spf>%s<scope>mfrom</scope><result>fail</result>%s</spf></auth_results></record>"
            % (ip, el("comment", comment), el("envelope_to", v("eto")), el("envelope_from", v("efrom")),
               el("header_from", v("hfrom")), el("domain", v("dkimd")), el("selector", v("sel")),
               el("human_result", v("dkimh")), el("domain", v("spfd")), el("human_result", v("spfh"))))

def report(name, domain, v, rid, begin, comment, prolog=""):
    xml = ('<?xml version="1.0" encoding="UTF-8"?>\n%s<feedback><version>1.0</version><report_metadata>'
           "%s%s%s%s<date_range><begin>%d</begin><end>%d</end></date_range>%s%s%s</report_metadata>"
           "<policy_published>%s<adkim>r</adkim><aspf>r</aspf><p>none</p><sp>none</sp><pct>100</pct>%s"
           "</policy_published>%s%s</feedback>\n"
           % (prolog, el("org_name", v("org")), el("email", v("email")),
              el("extra_contact_info", J + "//contact " + v("contact")), el("report_id", rid),
              day(begin), day(begin) + 86399, el("error", v("error1")), el("error", v("error2")),
              el("generator", v("gen")), el("domain", domain), el("fo", v("fo")),
              record("203.0.113.66", v, comment), record("2001:db8:bad::66", v, comment)))
    with open(os.path.join(out, name), "w", encoding="utf-8") as f:
        f.write(xml)

D1 = "xss-\"><img src=x onerror=alert(1)><script>alert(1)'\u202e.example"
report("all-fields.xml", D1, P, P("rid"), "2026-10-12", "=cmd|' /C calc'!A0 " + P("comment"))
# Spreadsheet formulas in every string field, for the CSV guard.
F = {"org": "=HYPERLINK(\"http://evil.example/\",\"x\")", "email": "@SUM(1+1)*cmd|' /C calc'!A0",
     "hfrom": "-2+3+cmd|' /C calc'!A0", "efrom": "+cmd|' /C calc'!A0", "eto": "=1+1",
     "dkimd": "=1+2", "sel": "@s1", "spfd": "-spf", "contact": "=c", "gen": "+gen"}
report("formulas.xml", D1, lambda t: F.get(t, "=" + t), "+formula-1", "2026-10-11", "@comment")
# Markup meant for other contexts: a closing </title>, a comment opener, an
# SVG handler, an iframe, CDATA's end, a template expression; and markup in
# the prolog's processing instruction and comment, which only the original
# XML shows.
V = ["</title><script>alert(2)</script>", "<!--", "<svg/onload=alert(3)>", "<iframe src=javascript:alert(4)>",
     "]]><script>alert(5)</script>", "{{constructor.constructor('alert(6)')()}}",
     "<script>document.title='XSS'+'RAN'</script>", "<img src=x onerror=\"document.body.setAttribute('data-xss','1')\">"]
report("contexts.xml", "xss-example.net", lambda t: t + "".join(V), "contexts-1", "2026-10-12",
       "".join(V), prolog="<?xml-stylesheet href=\"javascript:alert(7)\"?>\n<!-- <script>alert(8)</script> -->\n")

# Rejected inputs whose name and reason carry markup.
bad_ip = open(os.path.join(out, "all-fields.xml"), encoding="utf-8").read() \
    .replace("<source_ip>203.0.113.66</source_ip>", "<source_ip>&lt;script&gt;alert(9)&lt;/script&gt;</source_ip>") \
    .replace("<report_id>rid", "<report_id>rejected-rid")
with open(os.path.join(out, "\"><img src=x onerror=alert(10)>.xml"), "w", encoding="utf-8") as f:
    f.write(bad_ip)
with open(os.path.join(out, "<svg onload=alert(11)>.xml"), "w", encoding="utf-8") as f:
    f.write("<script>alert(12)</script>\n")

# A zip whose entries point outside: a relative path climbing out of the
# maildir, an absolute path, and a symlink to /etc/passwd.
good = open(os.path.join(out, "contexts.xml"), encoding="utf-8").read().replace("contexts-1", "zip-entries-1")
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w") as z:
    z.writestr("../../../../../../../../tmp/dmarcstat-sec-pwned.xml", good)
    z.writestr("/tmp/dmarcstat-sec-abs.xml", good.replace("zip-entries-1", "zip-entries-2"))
    link = zipfile.ZipInfo("passwd-link.xml")
    link.external_attr = (0o120777 << 16)
    link.create_system = 3
    z.writestr(link, "/etc/passwd")
with open(os.path.join(out, "entries.zip"), "wb") as f:
    f.write(buf.getvalue())

# Containers libarchive could read but dmarcstat does not register: each
# must reach the XML parser as the bytes it is, and fail there.
import bz2, gzip, lzma, tarfile
tbuf = io.BytesIO()
with tarfile.open(fileobj=tbuf, mode="w") as t:
    data = good.replace("zip-entries-1", "tar-1").encode()
    info = tarfile.TarInfo("report.xml"); info.size = len(data)
    t.addfile(info, io.BytesIO(data))
# Named like reports (.zip, .gz) so that they reach the unpacker, which
# goes by magic bytes, not by the name.
formats = {"tar.tar.gz": gzip.compress(tbuf.getvalue()), "bzip2.xml.gz": bz2.compress(good.encode()),
           "xz.xml.gz": lzma.compress(good.encode()), "rar.zip": b"Rar!\x1a\x07\x00" + bytes(range(256)) * 4,
           "7z.zip": b"7z\xbc\xaf\x27\x1c\x00\x04" + bytes(range(256)) * 4}
for name, data in formats.items():
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)

# XInclude: processed, it would put /etc/passwd into the contact field.
xi = good.replace("zip-entries-1", "xinclude-1").replace(
    "<extra_contact_info>", '<extra_contact_info>contact <xi:include xmlns:xi="http://www.w3.org/2001/XInclude"'
    ' href="file:///etc/passwd" parse="text"/>')
with open(os.path.join(out, "xinclude.xml"), "w", encoding="utf-8") as f:
    f.write(xi)
EOF
ok $? "hostile reports generated"
"$BIN" import "$TEST_DIR/all-fields.xml" "$TEST_DIR/formulas.xml" "$TEST_DIR/contexts.xml" \
  >"$TEST_DIR/import.out" 2>&1
ok $? "reports with markup, formulas and U+202E in every field are stored"
"$BIN" import "$TEST_DIR/\"><img src=x onerror=alert(10)>.xml" "$TEST_DIR/<svg onload=alert(11)>.xml" \
  >"$TEST_DIR/reject.out" 2>&1
is "$?" 1 "inputs whose file name and reason carry markup are rejected (exit 1)"
is "$(sql "SELECT count(*) FROM ingest_failures")" 2 "both rejections are recorded for /failures"
is "$(sql "SELECT count(*) FROM reports WHERE report_id LIKE 'rid<script>%'")" 1 \
   "the report id is stored as sent, markup and all"

# What the DNS says is a third party's: a PTR name, a sender, a country, and
# two checks of the hostile domain whose findings quote TXT records.
sql "INSERT INTO source_identity (ip, ptr_status, ptr_names, ptr_name, fcrdns, generic, base_domain,
       sender_name, sender_kind, country, expires_at)
     VALUES ('203.0.113.66', 'ok', ARRAY['ptr<script>alert(13)</script>.example'],
       'ptr<script>alert(13)</script>\"><img src=x onerror=alert(13)>.example', true, false,
       'base<script>alert(14)</script>.example', 'sender<script>alert(15)</script>',
       'kind<img src=x onerror=alert(16)>', '\"><b>', now() + interval '1 day')" >/dev/null
D1_LOWER=$(sql "SELECT lower(domain) FROM reports WHERE report_id LIKE 'rid<script>%'")
for n in 1 2; do
  sql "WITH c AS (INSERT INTO dns_checks (domain, checked_at, worst, findings)
         VALUES (\$d\$$D1_LOWER\$d\$, now() - interval '$n days', 'error', 1) RETURNING id)
       INSERT INTO dns_check_findings (check_id, ordinal, code, severity, subject, message, fix, record)
       SELECT id, 1, 'spf_syntax$n', 'error', 'txt<script>alert(17)</script>',
         'v=spf1 <img src=x onerror=alert(18)> -all', 'fix\"><script>alert(19)</script>',
         'v=spf1 include:<script>alert(20)</script> -all' FROM c" >/dev/null
done
is "$(sql "SELECT count(*) FROM dns_checks")" 2 "two DNS checks with markup in TXT records are stored"

# --- the server ----------------------------------------------------------------
cat >"$TEST_DIR/sec.py" <<'EOF'
# sec.py BASE COMMAND ARGS -- the HTTP side of security.t.  Checks print
# TAP-ready lines "0|name" (pass) or "1|name|what went wrong".
import csv, html.parser, io, json, os, re, socket, sys, urllib.parse

BASE = sys.argv[1]
HOST, PORT = re.match(r"http://\[?([^\]]+?)\]?:(\d+)$", BASE).groups()
AUTH = os.environ.get("SEC_AUTH")

def request(method, path, headers=(), body=b""):
    """The raw answer to one request on its own connection: (status, headers, body)."""
    lines = ["%s %s HTTP/1.1" % (method, path), "Connection: close"]
    if not any(h.lower().startswith("host:") for h in headers):
        lines.append("Host: dmarcstat.test")
    if AUTH:
        lines.append("Authorization: " + AUTH)
    lines += list(headers)
    return exchange(("\r\n".join(lines) + "\r\n\r\n").encode("utf-8", "surrogateescape") + body)

def send_raw(raw, timeout):
    """RAW's bytes to the server; whatever came back before it closed or
    went quiet for TIMEOUT seconds."""
    s = socket.create_connection((HOST, int(PORT)), timeout=timeout)
    data = b""
    try:
        s.sendall(raw)
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    except (ConnectionResetError, BrokenPipeError, socket.timeout):
        pass
    finally:
        s.close()
    return data

def exchange(raw):
    return parse(send_raw(raw, 30))

def parse(data):
    if not data.startswith(b"HTTP/"):
        return "closed", [], data
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = lines[0].split(b" ")[1].decode()
    headers = [tuple(x.decode("latin-1").split(":", 1)) for x in lines[1:]]
    headers = [(k.lower(), v.strip()) for k, v in headers]
    if ("transfer-encoding", "chunked") in headers:
        body = dechunk(body)
    return status, headers, body

def dechunk(body):
    out = b""
    while body:
        size, _, rest = body.partition(b"\r\n")
        n = int(size.split(b";")[0] or b"0", 16)
        if n == 0:
            return out
        out, body = out + rest[:n], rest[n + 2:]
    return out + b"<<truncated: no last chunk>>"

def label(path):
    """PATH for a test name: the hostile domain (long, once encoded) by name."""
    d = os.environ.get("SEC_D1")
    return path.replace(d, "{hostile domain}") if d else path

def header(headers, name):
    return [v for k, v in headers if k == name]

# Tags the dashboard writes; anything else came from data.
TAGS = set("""html head meta title link body header nav a main footer h1 h2 h3 p div span section
  table caption thead tbody tr th td bdi form label select option input button pre code ul li
  svg g rect text line path polyline circle title desc small strong em br abbr details summary""".split())
URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "poster", "data", "background"}
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")

class Checker(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
    def handle_starttag(self, tag, attrs):
        if tag not in TAGS:
            self.problems.append("element <%s>" % tag)
        for name, value in attrs:
            value = value or ""
            if name.startswith("on") or name in ("style", "srcdoc", "formaction"):
                self.problems.append("attribute %s on <%s>" % (name, tag))
            if name in URL_ATTRS:
                v = value.strip().lower()
                if v.startswith("//") or not v[:1] in ("/", "?", "#") or "javascript:" in v:
                    self.problems.append("%s=%r on <%s>" % (name, value[:80], tag))
    handle_startendtag = handle_starttag

def check_common(headers, problems):
    csp = (header(headers, "content-security-policy") or [""])[0]
    if "default-src 'none'" not in csp or re.search(r"unsafe-|\*|https?:", csp):
        problems.append("CSP %r" % csp)
    if header(headers, "x-content-type-options") != ["nosniff"] or header(headers, "x-frame-options") != ["DENY"]:
        problems.append("nosniff/DENY missing")
    if header(headers, "cache-control") not in (["no-store"], ["public, max-age=3600"]):
        problems.append("cache-control %r" % header(headers, "cache-control"))

def check_html(body, problems, must):
    text = body.decode("utf-8")
    c = Checker()
    c.feed(text)
    c.close()
    problems += c.problems
    if re.search(r"<(script|img|iframe|object|embed|base)\b", text, re.I):
        problems.append("raw markup in the bytes")
    if BIDI.search(text):
        problems.append("raw bidirectional control U+%04X" % ord(BIDI.search(text).group(0)))
    for m in must:
        if m not in text:
            problems.append("missing %r" % m)

def is_number(cell):
    return re.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?", cell) is not None

def check_csv(body, headers, problems, must):
    if not (header(headers, "content-type") or [""])[0].startswith("text/csv"):
        problems.append("content-type %r" % header(headers, "content-type"))
    disp = (header(headers, "content-disposition") or [""])[0]
    if not re.fullmatch(r'attachment; filename="[A-Za-z0-9._-]+"', disp):
        problems.append("content-disposition %r" % disp)
    rows = list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))
    for row in rows:
        for cell in row:
            if cell[:1] in ("=", "+", "-", "@", "\t", "\r") and not is_number(cell):
                problems.append("formula cell %r" % cell[:60])
    cells = {c for row in rows for c in row}
    for m in must:
        if not any(m in c for c in cells):
            problems.append("missing %r" % m)

def check_json(body, headers, problems, must):
    if header(headers, "content-type") != ["application/json"]:
        problems.append("content-type %r" % header(headers, "content-type"))
    if re.search(rb"[<>&]", body):
        problems.append("raw < > or & in JSON")
    try:
        data = json.loads(body)
    except ValueError as e:
        problems.append("invalid JSON: %s" % e)
        return
    strings = set()
    def walk(x):
        if isinstance(x, dict):
            for v in x.values(): walk(v)
        elif isinstance(x, list):
            for v in x: walk(v)
        elif isinstance(x, str):
            strings.add(x)
    walk(data)
    for m in must:
        if not any(m in s for s in strings):
            problems.append("missing %r" % m)

def cmd_pages(listing):
    """Each line of LISTING: STATUS<TAB>PATH<TAB>MUST<TAB>MUST..."""
    for line in open(listing, encoding="utf-8"):
        want, path, *must = line.rstrip("\n").split("\t")
        status, headers, body = request("GET", path)
        problems = [] if status == want else ["status %s, not %s" % (status, want)]
        check_common(headers, problems)
        route = urllib.parse.urlsplit(path).path
        if route.startswith("/api/") or route == "/api":
            check_json(body, headers, problems, must)
        elif route.endswith(".csv") and status == "200":
            check_csv(body, headers, problems, must)
        else:
            check_html(body, problems, must)
        print("%d|%s %s: %s|%s" % (bool(problems), status, label(path)[:100],
              "escaped HTML" if not route.endswith(".csv") and not route.startswith("/api")
              else "CSV formulas neutralised" if route.endswith(".csv") else "valid JSON, < > & escaped",
              "; ".join(problems)[:600]))

def cmd_dom(file, path):
    """The DOM a browser dumped for PATH: the HTML checks, and no sign that
    a script from the data ran."""
    text = open(file, encoding="utf-8", errors="replace").read()
    problems = [] if "<main>" in text else ["no page (%d bytes)" % len(text)]
    check_html(text.encode("utf-8"), problems, [])
    if "XSSRAN" in text or 'data-xss="1"' in text:
        problems.append("a script from the data ran")
    print("%d|browser DOM of %s: no element or handler from the data, no script ran|%s"
          % (bool(problems), label(path)[:100], "; ".join(problems)[:600]))

def cmd_conncap(n):
    """Holds N idle connections, then asks /healthz: what the extra client
    got ("closed", "waiting" for 3 s, or a status); then, the N closed,
    what it gets."""
    import time
    socks = [socket.create_connection((HOST, int(PORT))) for _ in range(int(n))]
    time.sleep(1)
    t = socket.create_connection((HOST, int(PORT)), timeout=3)
    try:
        t.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        data = t.recv(100)
        extra = data.split(b" ")[1].decode() if data.startswith(b"HTTP/") else "closed"
    except socket.timeout:
        extra = "waiting"
    except OSError:
        extra = "closed"
    for s in socks:
        s.close()
    t.close()
    time.sleep(1.5)
    print(extra, request("GET", "/healthz")[0])

def cmd_idle(out):
    """Connects, sends nothing, and writes to OUT how many seconds passed
    until the server hung up."""
    import time
    s = socket.create_connection((HOST, int(PORT)), timeout=120)
    start = time.monotonic()
    try:
        s.recv(1)
    except OSError:
        pass
    open(out, "w").write("%d\n" % (time.monotonic() - start))

def cmd_status(*paths):
    for p in paths:
        print(request("GET", p)[0])

def cmd_get(path):
    sys.stdout.buffer.write(request("GET", path)[2])

def cmd_head(method, path, *headers):
    status, hs, body = request(method, path, headers)
    print(status)
    for k, v in hs:
        print("%s: %s" % (k, v))
    print()
    sys.stdout.buffer.write(body)

def cmd_raw(text):
    """Sends TEXT with Python's backslash escapes (\\r, \\x00) as bytes; prints
    the status (or "closed"), each header line, and how many responses came."""
    # A request the server keeps waiting on (keep-alive, an unfinished
    # header) is not a failure: what came within a few seconds is the answer.
    data = send_raw(text.encode("latin-1").decode("unicode_escape").encode("latin-1"), 4)
    status, headers, _ = parse(data)
    print(status)
    for k, v in headers:
        print("%s: %s" % (k, v))
    print("responses: %d" % data.count(b"HTTP/1."))

def cmd_sqli(pages_file, payloads_file):
    """Every page (a line: PATH) with every payload in every parameter and in
    each {} of the path: what is not 200/400/404 is printed."""
    params = ["days", "since", "until", "from", "result", "org", "domain", "sort", "dir", "page", "table"]
    payloads = [p.rstrip("\n") for p in open(payloads_file, encoding="utf-8")]
    bad, n = {}, 0
    for page in (l.rstrip("\n") for l in open(pages_file, encoding="utf-8")):
        for p in payloads:
            q = urllib.parse.quote(p, safe="")
            targets = [page.replace("{}", q)] if "{}" in page else []
            base = page.replace("{}", "x")
            targets += ["%s%s%s=%s" % (base, "&" if "?" in base else "?", k, q) for k in params]
            for t in targets:
                n += 1
                status = request("GET", t)[0]
                if status not in ("200", "400", "404"):
                    bad.setdefault(page, []).append("%s -> %s" % (t, status))
    for page in (l.rstrip("\n") for l in open(pages_file, encoding="utf-8")):
        print("%d|%s: every parameter and path payload answers 200, 400 or 404|%s"
              % (page in bad, label(page), "; ".join(bad.get(page, []))[:600]))
    print("# %d requests" % n)

globals()["cmd_" + sys.argv[2]](*sys.argv[3:])
EOF

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$BIN" serve --listen "127.0.0.1:$PORT" >"$TEST_DIR/serve.out" 2>"$TEST_DIR/serve.err" &
SERVER=$!
BASE="http://127.0.0.1:$PORT"
W() { python3 "$TEST_DIR/sec.py" "$BASE" "$@"; }
for _ in $(seq 1 100); do [ "$(W status /healthz 2>/dev/null)" = 200 ] && break; sleep 0.1; done
is "$(W status /healthz)" 200 "serve answers"
server_alive() { kill -0 "$SERVER" 2>/dev/null && [ "$(W status /healthz)" = 200 ]; }

# --- XSS: every page, every format ---------------------------------------------------
enc() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"; }
D1=$(enc "$D1_LOWER")
export SEC_D1="$D1"
ID1=$(sql "SELECT id FROM reports WHERE report_id LIKE 'rid<script>%'")
ID2=$(sql "SELECT id FROM reports WHERE report_id = '+formula-1'")
ID3=$(sql "SELECT id FROM reports WHERE report_id = 'contexts-1'")
X='&lt;script&gt;alert(1)&lt;/script&gt;&#39;&quot;&gt;&lt;img src=x onerror=alert(1)&gt; javascript:alert(1)<span class="ctl">[U+202E]</span>gnp.exe'
XP=$(enc '<script>alert(1)</script>"><img src=x onerror=alert(1)>')
T='	'
{
  # HTML: each page, and the reporter fields it shows, escaped.
  echo "200$T/$T&lt;script&gt;alert(1)&#39;"
  echo "200$T/?days=3660&since=2026-01-01$T&lt;script&gt;alert(1)&#39;"
  echo "200$T/domains/$D1$T""org$X${T}dkimd$X${T}spfd$X${T}hfrom$X${T}ptr&lt;script&gt;alert(13)"
  echo "200$T/domains/$D1?days=3660&from=$XP&result=fail$T&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img"
  echo "200$T/domains/$D1/dns${T}txt&lt;script&gt;alert(17)${T}v=spf1 &lt;img src=x onerror=alert(18)&gt; -all"
  echo "200$T/domains/$D1/sources/203.0.113.66${T}rid$X${T}comment$X${T}hfrom$X${T}efrom$X${T}dkimd$X${T}sel$X${T}spfd$X"
  echo "200$T/domains/$D1/sources/2001:db8:bad::66${T}rid$X"
  echo "200$T/domains/xss-example.net$T&lt;/title&gt;&lt;script&gt;alert(2)"
  echo "200$T/domains/xss-example.net/sources/203.0.113.66$T&lt;svg/onload=alert(3)&gt;"
  echo "200$T/reports${T}org$X${T}rid$X"
  echo "200$T/reports?org=$XP&domain=$XP$T&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img"
  echo "200$T/reports/$ID1${T}org$X${T}email$X${T}javascript:alert(1)//contact contact$X${T}rid$X${T}gen$X${T}error1$X${T}error2$X${T}fo$X${T}comment$X${T}hfrom$X${T}efrom$X${T}dkimd$X${T}sel$X${T}spfd$X${T}dkimh&amp;lt;script&amp;gt;"
  echo "200$T/reports/$ID2$T=HYPERLINK("
  echo "200$T/reports/$ID3$T&lt;!-- &lt;script&gt;alert(8)${T}xml-stylesheet href=&quot;javascript:alert(7)"
  echo "200$T/failures$T&lt;img src=x onerror=alert(10)&gt;${T}&lt;svg onload=alert(11)&gt;"
  echo "404$T/domains/$XP"
  echo "404$T/domains/$D1/sources/$XP"
  echo "404$T/reports/$XP"
  echo "400$T/domains/$D1?since=$XP"
  echo "400$T/reports?sort=$XP"
  # CSV: every table of every page.
  for t in domains ingest failures; do echo "200$T/.csv?table=$t"; done
  echo "200$T/domains/$D1.csv$T'=1+2/@s1$T'-spf"
  for t in senders reporters daily; do echo "200$T/domains/$D1.csv?table=$t"; done
  echo "200$T/domains/$D1/sources/203.0.113.66.csv$T'=cmd|' /C calc'!A0$T'=HYPERLINK($T'-2+3+cmd$T'+cmd$T'@comment"
  for t in auth overrides reporters daily; do echo "200$T/domains/$D1/sources/203.0.113.66.csv?table=$t"; done
  echo "200$T/domains/$D1/dns.csv"
  echo "200$T/domains/$D1/dns.csv?table=changes"
  echo "200$T/reports.csv$T'=HYPERLINK($T'+formula-1"
  echo "200$T/reports/$ID2.csv$T'-2+3+cmd$T'+cmd$T'=1+1$T'@comment"
  echo "200$T/failures.csv"
  # JSON: every page.
  echo "200$T/api/$T$D1_LOWER"
  echo "200$T/api/domains/$D1$T$(printf 'org<script>alert(1)</script>')"
  echo "200$T/api/domains/$D1/dns$T<script>alert(17)"
  echo "200$T/api/domains/$D1/sources/203.0.113.66$T""comment<script>alert(1)</script>'\"><img src=x onerror=alert(1)> javascript:alert(1)$(printf '\342\200\256')gnp.exe"
  echo "200$T/api/reports$T=HYPERLINK("
  echo "200$T/api/reports/$ID1$T""email<script>alert(1)</script>"
  echo "200$T/api/reports/$ID3$T<!-- <script>alert(8)"
  echo "200$T/api/failures$T<svg onload=alert(11)>"
  echo "404$T/api/domains/$XP"
} >"$TEST_DIR/pages"
W pages "$TEST_DIR/pages" >"$TEST_DIR/pages.out"
tap_lines <"$TEST_DIR/pages.out"

# A real browser's parser, where there is one: the DOM it builds from the
# hostile pages holds no element or handler from the data, and the
# scripts in the data (which would retitle the page or mark the body) did
# not run.
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -n "$CHROMIUM" ]; then
  for p in "/reports/$ID1" "/reports/$ID3" "/domains/$D1" "/domains/xss-example.net" \
           "/domains/xss-example.net/sources/203.0.113.66" "/failures"; do
    timeout 60 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
      --disable-background-networking --disable-component-update --disable-sync --disable-dev-shm-usage \
      --user-data-dir="$TEST_DIR/chromium" --dump-dom "$BASE$p" >"$TEST_DIR/dom.html" 2>/dev/null
    W dom "$TEST_DIR/dom.html" "$p" >"$TEST_DIR/dom.out"
    tap_lines <"$TEST_DIR/dom.out"
  done
else
  echo "# chromium is not installed: the browser's DOM is not checked"
fi

# The records export (dmarcstat export) goes to auditors' spreadsheets too.
"$BIN" export --domain "$D1_LOWER" >"$TEST_DIR/export.csv"
python3 - "$TEST_DIR/export.csv" <<'EOF'
import csv, re, sys
bad = [c for row in csv.reader(open(sys.argv[1], encoding="utf-8", newline="")) for c in row
       if c[:1] in ("=", "+", "-", "@", "\t", "\r")
       and not re.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?", c)]
print("\n".join(bad))
sys.exit(1 if bad else 0)
EOF
ok $? "dmarcstat export: no cell starts a formula"
grep -q "'=HYPERLINK(" "$TEST_DIR/export.csv"
ok $? "dmarcstat export: the formula org name is kept, behind a quote"

# Every answer carries the headers, errors included.
W head GET "/domains/$XP" >"$TEST_DIR/r"
like "$(cat "$TEST_DIR/r")" "content-security-policy: default-src 'none'" "a 404 carries the CSP"
W head GET "/nonexistent%00" >"$TEST_DIR/r"
like "$(cat "$TEST_DIR/r")" "^400" "an encoded NUL is a 400"
like "$(cat "$TEST_DIR/r")" "content-security-policy: default-src 'none'" "and the 400 carries the CSP"
W head GET "/domains/$D1.csv" >"$TEST_DIR/r"
like "$(cat "$TEST_DIR/r")" 'content-disposition: attachment; filename="[A-Za-z0-9._-]+"' \
  "the CSV's file name, made from the hostile domain, is plain"

# An idle connection, opened now and watched while the injection attempts
# run: the server closes it after its 30 s timeout.
W idle "$TEST_DIR/idle.out" & IDLE=$!

# --- SQL injection ---------------------------------------------------------------
counts() {
  sql "SELECT string_agg(relname || '=' || (xpath('/row/c/text()',
         query_to_xml('SELECT count(*) AS c FROM ' || quote_ident(relname), false, true, '')))[1]::text,
         ' ' ORDER BY relname) FROM pg_class WHERE relkind IN ('r', 'p') AND relnamespace = 'public'::regnamespace"
}
BEFORE=$(counts)
cat >"$TEST_DIR/payloads" <<'EOF'
' OR 1=1--
1;DROP TABLE reports
$$
1' UNION SELECT NULL,NULL--
’ OR ‘1’=‘1
"; DELETE FROM records; --
1) OR (1=1
\'; DROP TABLE reports; --
2026-10-01'::date; DROP TABLE reports; --
%
_
-1
99999999999999999999999
EOF
{
  for s in "" ".csv" ; do
    echo "/$s"; echo "/domains/{}$s"; echo "/domains/$D1$s"; echo "/domains/$D1/sources/{}$s"
    echo "/domains/$D1/sources/203.0.113.66$s"; echo "/domains/{}/dns$s"; echo "/reports$s"
    echo "/reports/{}$s"; echo "/reports/$ID1$s"; echo "/failures$s"
  done
  echo "/api/domains/$D1"; echo "/api/domains/{}"; echo "/api/reports"; echo "/api/reports/{}"
  echo "/domains/$D1/sources/fe80::1%25eth0"; echo "/domains/$D1/sources/::ffff:203.0.113.66"
} >"$TEST_DIR/sqli-pages"
W sqli "$TEST_DIR/sqli-pages" "$TEST_DIR/payloads" >"$TEST_DIR/sqli.out"
tap_lines <"$TEST_DIR/sqli.out"
is "$(counts)" "$BEFORE" "after the injection attempts every table exists with the same row counts"
grep -E 'syntax error|invalid input syntax|ERROR:' "$TEST_DIR/serve.err" | head -n 3 >"$TEST_DIR/sqlerr"
is "$(cat "$TEST_DIR/sqlerr")" "" "no payload reached PostgreSQL as SQL or as a mistyped value"
ok "$(server_alive && echo 0 || echo 1)" "serve still answers after the injection attempts"
wait "$IDLE"
idle=$(cat "$TEST_DIR/idle.out" 2>/dev/null)
ok "$([ -n "$idle" ] && [ "$idle" -ge 25 ] && [ "$idle" -le 90 ] && echo 0 || echo 1)" \
   "a connection that sends nothing is closed by the server after its timeout (30 s; here ${idle:-?} s)"

# --- path traversal ----------------------------------------------------------------
W get /static/style.css >"$TEST_DIR/style.css"
cmp -s "$TEST_DIR/style.css" "$ROOT/web/static/style.css"
ok $? "/static/style.css is the embedded stylesheet"
for p in '/static/../../etc/passwd' '/static/%2e%2e/%2e%2e/etc/passwd' '/static/%2e%2e%2f%2e%2e%2fetc%2fpasswd' \
         '/static/%252e%252e%252f%252e%252e%252fetc%252fpasswd' '/static/..%5c..%5cetc%5cpasswd' \
         '/static/..\..\etc\passwd' '/static/style.css%00.txt' '/static/%00' '/static/..%00/etc/passwd' \
         '/static/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd' '/static/....//....//etc/passwd' \
         '/static//etc/passwd' '/static/./style.css' '/static/style.css/../../../etc/passwd' \
         '/static/..%2fschema%2f001_init.sql' '/static/..' '/static/%2e%2e' '/..%2f..%2fetc%2fpasswd' \
         '//etc/passwd' '/static/STYLE.CSS' '/static/style.css::$DATA' '/static/%2fetc%2fpasswd' \
         '/static/resource:%2f%2f%2fdmarcstat%2fschema%2f001_init.sql' '/api/../static/style.css' \
         '/static/style.css?../../etc/passwd'; do
  st=$(W status "$p")
  W get "$p" >"$TEST_DIR/body"
  if grep -q 'root:x:0:0\|CREATE TABLE' "$TEST_DIR/body"; then leak=1; else leak=0; fi
  shown=$(printf '%s' "$p" | sed 's/\\/<backslash>/g')
  case "$p" in
    '/static/style.css?../../etc/passwd') want=200 ;;
    *) want=4xx ;;
  esac
  if [ "$want" = 200 ]; then
    is "$st:$leak" "200:0" "traversal $shown: the query is not part of the name (the stylesheet)"
  else
    like "$st:$leak" "^(400|404):0$" "traversal $shown: $st, nothing outside the embedded assets"
  fi
done
ok "$(server_alive && echo 0 || echo 1)" "serve still answers after the traversal attempts"

# --- response splitting and malformed requests --------------------------------------
RAW() { W raw "$1"; }
injected() { grep -ci '^x-injected\|^set-cookie' ; }
for target in '/reports?org=%0d%0aX-Injected:%20yes' '/reports?org=%0aX-Injected:%20yes' \
              '/domains/x%0d%0aX-Injected:%20yes' '/domains/x%0d%0aX-Injected:%20yes.csv' \
              '/reports?org=%E5%98%8A%E5%98%8DX-Injected:%20yes' '/reports.csv?org=%0d%0aSet-Cookie:%20a=b' \
              '/domains/'"$D1"'.csv?x=%0d%0aX-Injected:%20yes'; do
  out=$(RAW "GET $target HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
  is "$(printf '%s\n' "$out" | injected)" 0 "CR/LF in $(printf '%s' "$target" | sed "s|$D1|{hostile domain}|") injects no header ($(printf '%s' "$out" | sed -n 1p))"
done
out=$(RAW "GET /reports HTTP/1.1\r\nHost: t\r\nX-A: a\rX-Injected: yes\r\nConnection: close\r\n\r\n")
is "$(printf '%s\n' "$out" | injected)" 0 "a bare CR inside a request header injects nothing ($(printf '%s' "$out" | sed -n 1p))"

long=$(python3 -c 'print("a" * 9000)')
is "$(RAW "GET /reports?org=$long HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n" | sed -n 1p)" 414 \
   "a request line over the 8 KiB URI cap is 414"
huge=$(python3 -c 'print("a" * 70000)')
like "$(RAW "GET /reports?org=$huge HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n" | sed -n 1p)" \
     '^(414|400|closed)$' "a request line over the connection's memory is refused"
is "$(RAW "GET / HTTP/1.1\r\nHost: t\r\nX-Big: $(python3 -c 'print("b" * 20000)')\r\nConnection: close\r\n\r\n" | sed -n 1p)" 431 \
   "a 20 KB header is 431"
many=$(python3 -c 'print("".join("X-H%d: v\\r\\n" % i for i in range(2000)))')
like "$(RAW "GET / HTTP/1.1\r\nHost: t\r\n${many}Connection: close\r\n\r\n" | sed -n 1p)" '^(431|400|closed)$' \
     "2,000 small headers are refused"
for m in POST PUT DELETE TRACE PATCH OPTIONS CONNECT PROPFIND; do
  is "$(RAW "$m /reports HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\nConnection: close\r\n\r\n" | sed -n 1p)" 405 "method $m is refused with 405"
done
out=$(RAW "GET /healthz HTTP/1.1\r\nHost: t\r\nContent-Length: 35\r\n\r\nGET /reports HTTP/1.1\r\nHost: t\r\n\r\n")
is "$(printf '%s\n' "$out" | sed -n 1p)|$(printf '%s\n' "$out" | tail -n 1)" "413|responses: 1" \
   "a GET with a body is refused and the request smuggled in its body is never answered"
out=$(RAW "GET /healthz HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")
is "$(printf '%s\n' "$out" | sed -n 1p)" 413 "so is a chunked GET"
W head GET /reports "Host: attacker-host.invalid" >"$TEST_DIR/r"
is "$(head -n 1 "$TEST_DIR/r"):$(grep -c "attacker-host" "$TEST_DIR/r")" "200:0" \
   "a foreign Host header is not reflected (links are relative)"
for req in 'GET /\r\n' 'GET / HTTP/1.1\r\n\r\n' 'GET / HTTP/9.9\r\nHost: t\r\n\r\n' \
           'GET http://evil.example/ HTTP/1.1\r\nHost: evil.example\r\n\r\n' 'GET * HTTP/1.1\r\nHost: t\r\n\r\n' \
           '\x00\x01\x02\xffgarbage\r\n\r\n' '\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03' \
           'GET /\x00 HTTP/1.1\r\nHost: t\r\n\r\n' 'GET /reports HTTP/1.1\nHost: t\n\n' \
           'GET  /reports  HTTP/1.1\r\nHost: t\r\n\r\n' 'G\tET / HTTP/1.1\r\nHost: t\r\n\r\n' \
           'GET / HTTP/1.1\r\nHost: t\r\nBad Header\r\n\r\n' 'GET / HTTP/1.1\r\nHost: t\r\n: empty\r\n\r\n'; do
  st=$(RAW "$req" | sed -n 1p)
  shown=$(printf '%s' "$req" | sed 's/\\r\\n/ /g; s/\\n/ /g; s/\\/%/g' | cut -c1-40)
  like "$st:$(W status /healthz)" '^(200|400|404|405|413|505|closed):200$' \
       "malformed request '$shown': $st, no crash (/healthz answers right after)"
done
ok "$(server_alive && echo 0 || echo 1)" "serve still answers after every malformed request"
is "$(W conncap 64)" "waiting 200" \
   "64 idle connections hold every slot: the next client waits, unserved; once they go it is answered"

# --- authentication off loopback -----------------------------------------------------
# server_address_is_loopback() is GLib's: 127.0.0.0/8 and ::1.  Anything
# else, the wildcards and IPv4-mapped loopback included, needs credentials.
for addr in 0.0.0.0:0 '[::]:0' '[::ffff:127.0.0.1]:0' '[fd00::1]:0'; do
  "$BIN" serve --listen "$addr" >/dev/null 2>"$TEST_DIR/err"; rc=$?
  is "$rc" 2 "serve --listen $addr without password_hash or token refuses to start (exit 2)"
done
like "$(cat "$TEST_DIR/err")" "refusing to listen on .* without authentication" "saying why"
OWN=$(python3 -c 'import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
try:
    s.connect(("192.0.2.1", 9)); a = s.getsockname()[0]; print("" if a.startswith("127.") else a)
except OSError:
    print("")')
if [ -n "$OWN" ]; then
  "$BIN" serve --listen "$OWN:0" >/dev/null 2>"$TEST_DIR/err"; rc=$?
  is "$rc" 2 "serve on this machine's own address $OWN without credentials exits 2"
else
  echo "# no non-loopback address here: the own-address case is skipped"
fi
"$BIN" serve --listen 127.0.0.2:0 >/dev/null 2>"$TEST_DIR/err" & p=$!
sleep 1; kill "$p" 2>/dev/null; wait "$p"; rc=$?
like "$(cat "$TEST_DIR/err")" "serving http://127\.0\.0\.2:" "127.0.0.2 is loopback: serve starts without credentials"

TOKEN=sec-t-0123456789abcdef0123456789
HASH=$(openssl passwd -6 -salt secTsalt 'right horse' 2>/dev/null)
printf '[web]\ntoken = %s\nuser = ops\n%s\n' "$TOKEN" "${HASH:+password_hash = $HASH}" >"$TEST_DIR/auth.conf"
AHOST=${OWN:-0.0.0.0}
"$BIN" serve --config "$TEST_DIR/auth.conf" --listen "$AHOST:0" >/dev/null 2>"$TEST_DIR/auth.err" &
AUTH_SERVER=$!
APORT=""
for _ in $(seq 1 100); do
  APORT=$(sed -n 's|^dmarcstat: serving http://.*:\([0-9][0-9]*\)/$|\1|p' "$TEST_DIR/auth.err")
  [ -n "$APORT" ] && break; sleep 0.1
done
CHOST=${OWN:-127.0.0.1}
A() { python3 "$TEST_DIR/sec.py" "http://$CHOST:$APORT" "$@"; }
A head GET "/reports/$ID1" >"$TEST_DIR/r"
is "$(head -n 1 "$TEST_DIR/r")" 401 "on $AHOST with credentials configured, no Authorization header is 401"
like "$(cat "$TEST_DIR/r")" "www-authenticate: (Basic|Bearer) realm=\"dmarcstat\"" "the 401 carries WWW-Authenticate"
like "$(cat "$TEST_DIR/r")" "content-security-policy: default-src 'none'" "and the security headers"
ok "$(grep -q 'org&lt;script\|rid<script\|alert(1)\|<table' "$TEST_DIR/r" && echo 1 || echo 0)" "and no data"
is "$(SEC_AUTH="Bearer wrong$TOKEN" A status "/reports/$ID1")" 401 "a wrong token is 401"
is "$(SEC_AUTH="Bearer $TOKEN " A status "/reports/$ID1")" 401 "the token with a trailing space is 401"
is "$(A status "/reports/$ID1?token=$TOKEN")" 401 "a token in the query string is not a credential"
basic() { printf 'Basic %s' "$(printf '%s' "$1" | base64 | tr -d '\n')"; }
is "$(SEC_AUTH="$(basic 'ops:wrong horse')" A status "/reports/$ID1")" 401 "Basic with a wrong password is 401"
is "$(SEC_AUTH="$(basic "ops:$TOKEN")" A status "/reports/$ID1")" 401 "Basic with the token as password is 401"
is "$(SEC_AUTH="Bearer $TOKEN" A status "/reports/$ID1")" 200 "the right token is 200"
is "$(A status "/reports/$ID1")" 401 "a page cached for an authorised request is still 401 without credentials"
is "$(A status "/api/reports/$ID1")|$(A status "/reports/$ID1.csv")|$(A status /static/style.css)" "401|401|401" \
   "JSON, CSV and the stylesheet need credentials too"
if [ -n "$HASH" ]; then
  is "$(SEC_AUTH="$(basic 'ops:right horse')" A status "/reports/$ID1")" 200 "Basic with the right user and password is 200"
  is "$(SEC_AUTH="$(basic 'admin:right horse')" A status "/reports/$ID1")" 401 "the right password under another user is 401"
else
  echo "# openssl absent: the password cases are skipped"
fi
is "$(A status /healthz)" 200 "/healthz answers without credentials (it says ok or unavailable, nothing else)"
sleep 1
is "$(A conncap 16)" "closed 200" \
   "off loopback one client address holds at most 16 connections: the 17th is closed at once"
kill "$AUTH_SERVER"; wait "$AUTH_SERVER"
is "$?" 0 "the authenticated server stops with exit 0"
AUTH_SERVER=""

# --- the database roles of SECURITY.md -----------------------------------------------
# The SQL blocks of SECURITY.md, run as written but for unique role and
# database names: ingest as the owner applies migrations and stores, the
# dashboard's role reads every page and can write nothing.
python3 - "$ROOT/SECURITY.md" "$TEST_DIR" <<'EOF'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
for name in ("cluster", "database"):
    m = re.search(r"<!-- sql:%s -->\s*```sql\n(.*?)```" % name, text, re.S)
    sql = m.group(1) if m else "SELECT 'no sql:%s block in SECURITY.md' AS missing;\n" % name
    for a, b in (("dmarcstat_ingest", "sec_t_ingest"), ("dmarcstat_web", "sec_t_web"),
                 ("DATABASE dmarcstat ", "DATABASE sec_t_roles "), ("DATABASE dmarcstat;", "DATABASE sec_t_roles;")):
        sql = sql.replace(a, b)
    open("%s/roles-%s.sql" % (sys.argv[2], name), "w").write(sql)
EOF
PSQL() { "$PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }
PSQL -d postgres -c "DROP DATABASE IF EXISTS sec_t_roles" >/dev/null 2>&1
PSQL -d postgres -c "DROP ROLE IF EXISTS sec_t_web" -c "DROP ROLE IF EXISTS sec_t_ingest" >/dev/null 2>&1
PSQL -d postgres -f "$TEST_DIR/roles-cluster.sql" >"$TEST_DIR/roles.out" 2>&1
ok $? "SECURITY.md's roles and database are created as written"
"$BIN" db migrate --db "dbname=sec_t_roles user=sec_t_ingest" >>"$TEST_DIR/roles.out" 2>&1
ok $? "the ingest role applies the migrations (it owns the schema)"
PSQL -d sec_t_roles -f "$TEST_DIR/roles-database.sql" >>"$TEST_DIR/roles.out" 2>&1
ok $? "SECURITY.md's grants run as written"
MD="$TEST_DIR/roles-md"
mkdir -p "$MD/new" "$MD/cur"
cp "$ROOT"/samples/new/* "$MD/new/"
"$BIN" ingest --once --no-resolve --maildir "$MD" --db "dbname=sec_t_roles user=sec_t_ingest" >>"$TEST_DIR/roles.out" 2>&1
is "$?" 0 "ingest runs as the ingest role"
is "$(PSQL -At -d sec_t_roles -c "SELECT count(*) FROM reports")" \
   "$(awk -F'\t' 'NR > 1 && $1 != "TOTAL"' "$ROOT/samples/expected.tsv" | wc -l | tr -d ' ')" "and stores every sample report"
PSQL -d sec_t_roles -U sec_t_web -c "INSERT INTO ingest_failures (sha256, part, path, stage, reason) VALUES ('x', '', 'x', 'mail', 'x')" \
  >"$TEST_DIR/ro.out" 2>&1
like "$(cat "$TEST_DIR/ro.out")" "permission denied" "the web role cannot INSERT"
PSQL -d sec_t_roles -U sec_t_web -c "DELETE FROM reports" >"$TEST_DIR/ro.out" 2>&1
like "$(cat "$TEST_DIR/ro.out")" "permission denied" "nor DELETE"
PSQL -d sec_t_roles -U sec_t_web -c "SELECT dmarcstat_drop_partitions_before('infinity')" >"$TEST_DIR/ro.out" 2>&1
like "$(cat "$TEST_DIR/ro.out")" "permission denied" \
  "nor call the partition functions that run as the owner (SECURITY DEFINER)"
is "$(PSQL -At -d sec_t_roles -c "SELECT count(*) FROM records")" \
   "$(awk -F'\t' '$1 == "TOTAL" { print $5 }' "$ROOT/samples/expected.tsv")" "every record is still there"
is "$(PSQL -At -d sec_t_roles -c "SELECT count(*) FROM ONLY records_default WHERE report_time > '-infinity'")" 0 \
  "the ingest role (no superuser, no pg_partman) keeps the partitions: nothing dated is left in the default one"
PSQL -d sec_t_roles -U sec_t_ingest -c "CREATE TABLE later_rollup (n int)" >/dev/null 2>&1
PSQL -d sec_t_roles -U sec_t_web -c "SELECT count(*) FROM later_rollup" >"$TEST_DIR/ro.out" 2>&1
ok $? "a table a later migration creates is readable by the web role (default privileges)"
RPORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$BIN" serve --listen "127.0.0.1:$RPORT" --db "dbname=sec_t_roles user=sec_t_web" >/dev/null 2>"$TEST_DIR/ro-serve.err" &
AUTH_SERVER=$!
R() { python3 "$TEST_DIR/sec.py" "http://127.0.0.1:$RPORT" "$@"; }
for _ in $(seq 1 100); do [ "$(R status /healthz 2>/dev/null)" = 200 ] && break; sleep 0.1; done
RID=$(PSQL -At -d sec_t_roles -c "SELECT min(id) FROM reports")
got=$(R status / /domains/bakery-example.com /domains/bakery-example.com.csv /api/domains/bakery-example.com \
        /domains/bakery-example.com/sources/192.0.2.10 /reports "/reports/$RID" /failures | tr '\n' ' ')
is "$got" "200 200 200 200 200 200 200 200 " "serve as the web role (SELECT only) answers every page"
kill "$AUTH_SERVER"; wait "$AUTH_SERVER"
AUTH_SERVER=""
PSQL -d postgres -c "DROP DATABASE sec_t_roles" -c "DROP ROLE sec_t_web" -c "DROP ROLE sec_t_ingest" >/dev/null 2>&1

# --- zip entries are never written to disk ----------------------------------------------
rm -f /tmp/dmarcstat-sec-pwned.xml /tmp/dmarcstat-sec-abs.xml
"$BIN" import "$TEST_DIR/entries.zip" >"$TEST_DIR/zip.out" 2>&1
is "$(sql "SELECT count(*) FROM reports WHERE report_id IN ('zip-entries-1', 'zip-entries-2')")" 2 \
   "zip entries named ../../tmp/… and /tmp/… are read as reports"
ok "$([ ! -e /tmp/dmarcstat-sec-pwned.xml ] && [ ! -e /tmp/dmarcstat-sec-abs.xml ] && echo 0 || echo 1)" \
   "and nothing is written where their names point"
is "$(sql "SELECT count(*) FROM reports WHERE entry_name = 'passwd-link.xml'")|$(sql "SELECT count(*) FROM report_xml WHERE position('root:x:0'::bytea in xml) > 0")" \
   "0|0" "a symlink entry is skipped: nothing of /etc/passwd is read"
like "$(sql "SELECT entry_name FROM reports WHERE report_id = 'zip-entries-1'")" '^\.\./\.\./' \
     "the entry name is kept as text, for the report page"

for f in tar.tar.gz bzip2.xml.gz xz.xml.gz rar.zip 7z.zip; do
  "$BIN" import "$TEST_DIR/$f" >/dev/null 2>"$TEST_DIR/fmt.err"; rc=$?
  like "$rc:$(cat "$TEST_DIR/fmt.err")" "^1:dmarcstat: [^ ]*/$f: xml: " "$f: not unpacked (only zip and gzip are), rejected by the XML parser"
done
is "$(sql "SELECT count(*) FROM reports WHERE report_id = 'tar-1'")" 0 "nothing inside the tar is read"
"$BIN" import "$TEST_DIR/xinclude.xml" >/dev/null 2>&1
is "$(sql "SELECT count(*) FROM reports WHERE extra_contact_info LIKE '%root:%' OR org_name LIKE '%root:%'")|$(sql "SELECT count(*) FROM report_xml WHERE position('root:x:0'::bytea in xml) > 0")" \
   "0|0" "an xi:include of /etc/passwd is not processed: nothing of the file is stored"

# --- mails built to hurt GMime ------------------------------------------------------------
python3 - "$TEST_DIR" <<'EOF'
import sys
out = sys.argv[1]
deep = "From: a@example.com\nTo: dmarc@example.com\nSubject: deep\nMIME-Version: 1.0\n"
deep += "".join('Content-Type: multipart/mixed; boundary="b%d"\n\n--b%d\n' % (i, i) for i in range(5000))
deep += "Content-Type: text/plain\n\nhello\n" + "".join("--b%d--\n" % i for i in reversed(range(5000)))
open(out + "/deep.eml", "w").write(deep)
sub = "Subject: " + "\n ".join(["x" * 900] * 2300) + "\n"
open(out + "/folded-header.eml", "w").write("From: a@example.com\n" + sub + "MIME-Version: 1.0\nContent-Type: text/plain\n\nhi\n")
open(out + "/long-header.eml", "w").write("From: a@example.com\nSubject: " + "y" * (4 << 20) + "\nContent-Type: text/plain\n\nhi\n")
open(out + "/many-headers.eml", "w").write("From: a@example.com\n" + "".join("X-H%d: v\n" % i for i in range(100000))
                                          + "Content-Type: text/plain\n\nhi\n")
EOF
for m in deep folded-header long-header many-headers; do
  "$BIN" import "$TEST_DIR/$m.eml" >/dev/null 2>"$TEST_DIR/gm.err"; rc=$?
  is "$rc:$(grep -c "$m.eml: mail: " "$TEST_DIR/gm.err")" "1:1" "$m.eml: rejected at stage mail in one line, no crash"
done
like "$(cat "$TEST_DIR/gm.err")" "no report" "a mail of headers alone is rejected as holding no report"

# --- the systemd units' sandbox -----------------------------------------------------
for u in ingest serve; do
  f="$ROOT/dist/dmarcstat-$u.service"
  for d in NoNewPrivileges=yes ProtectSystem=strict ProtectHome=yes PrivateTmp=yes PrivateDevices=yes \
           'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6' RestrictNamespaces=yes MemoryDenyWriteExecute=yes \
           SystemCallFilter=@system-service 'SystemCallFilter=~@privileged' CapabilityBoundingSet= \
           AmbientCapabilities= UMask=0077; do
    grep -qx -- "$d" "$f" || echo "$d"
  done >"$TEST_DIR/missing"
  is "$(tr '\n' ' ' <"$TEST_DIR/missing")" "" "dmarcstat-$u.service: sandboxed (no capabilities, read-only system, no new privileges)"
done
is "$(grep -c '^ReadWritePaths=' "$ROOT/dist/dmarcstat-serve.service")" 0 "the dashboard's unit may write nowhere"
is "$(grep '^ReadWritePaths=' "$ROOT/dist/dmarcstat-ingest.service")" "ReadWritePaths=/var/mail/dmarc" \
   "the ingest unit may write the mail directory only"
is "$(grep -h '^User=' "$ROOT/dist/dmarcstat-ingest.service" "$ROOT/dist/dmarcstat-serve.service" | sort -u | wc -l | tr -d ' ')" 2 \
   "the two units run as two different users"

# --- SECURITY.md names only tests that exist ---------------------------------------------
python3 - "$ROOT" >"$TEST_DIR/refs.out" <<'EOF'
import os, re, sys
root = sys.argv[1]
text = open(os.path.join(root, "SECURITY.md"), encoding="utf-8").read()
refs = re.findall(r'\[(tests/[^:\]]+): "([^"]+)"\]', text)
missing = [(f, n) for f, n in refs
           if not os.path.exists(os.path.join(root, f))
           or n not in open(os.path.join(root, f), encoding="utf-8").read()]
print("%d %s" % (len(refs), "; ".join("%s: %s" % m for m in missing)))
EOF
n_refs=$(cut -d' ' -f1 "$TEST_DIR/refs.out")
ok "$([ "${n_refs:-0}" -ge 40 ] && echo 0 || echo 1)" "SECURITY.md backs its claims with test references ($n_refs)"
is "$(cut -d' ' -f2- "$TEST_DIR/refs.out")" "" "every test SECURITY.md names exists in the file it names"

kill "$SERVER"; wait "$SERVER"
is "$?" 0 "serve exits 0 on SIGTERM after all of it"
SERVER=""
done_testing
