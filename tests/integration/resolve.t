#!/bin/sh
# resolve.t -- the background resolver against a real authoritative DNS
# server (Knot DNS on loopback, tests/lib/knot.sh): every source IP gets its
# PTR name, forward confirmation, generic-name verdict, base domain, known
# sender; the record-level CSV and the dashboard show them; the advice names
# the sender's fix; domain checks are recorded with their history; the
# answers are cached in PostgreSQL with their TTL; and a resolver that never
# answers changes nothing in what the ingest daemon stores.
. "$DMARCSTAT_ROOT/tests/lib/tap.sh"
. "$ROOT/tests/lib/knot.sh"

KNOT="$TEST_DIR/knot"
knot_start "$KNOT" || skip_all "no Knot DNS server (apt-get install knot)"
cleanup() { knot_stop "$KNOT"; [ -n "${BH_PID:-}" ] && kill "$BH_PID" 2>/dev/null; }
trap cleanup EXIT
use_db resolve_t
DNS="--dns-server $DMARCSTAT_DNS_SERVER"

# --- data: one report for good.test from six sources ----------------------------
python3 - "$TEST_DIR" <<'EOF'
import sys
out = sys.argv[1]
def record(ip, count, dkim, spf, selector="s1", dkim_domain="good.test", dkim_result=None):
    return ("<record><row><source_ip>%s</source_ip><count>%d</count><policy_evaluated>"
            "<disposition>none</disposition><dkim>%s</dkim><spf>%s</spf></policy_evaluated></row>"
            "<identifiers><header_from>good.test</header_from></identifiers><auth_results>"
            "<dkim><domain>%s</domain><selector>%s</selector><result>%s</result></dkim>"
            "<spf><domain>good.test</domain><result>%s</result></spf></auth_results></record>"
            % (ip, count, dkim, spf, dkim_domain, selector, dkim_result or dkim, spf))
records = [
    record("192.0.2.10", 500, "pass", "pass"),          # mail.good.test, confirmed
    record("192.0.2.11", 40, "fail", "fail"),           # generic dynamic name
    record("192.0.2.12", 30, "fail", "fail"),           # no PTR
    record("192.0.2.13", 20, "pass", "fail"),           # PTR not forward-confirmed
    record("198.51.100.7", 300, "fail", "fail", "s1", "sendgrid.info", "pass"),  # SendGrid
    record("2001:db8::25", 10, "pass", "pass", "ed"),   # mx6.good.test over IPv6
]
xml = ('<?xml version="1.0"?><feedback><report_metadata><org_name>Resolver Test</org_name>'
       "<email>r@example.net</email><report_id>resolve-1</report_id><date_range>"
       "<begin>1790000000</begin><end>1790086399</end></date_range></report_metadata>"
       "<policy_published><domain>good.test</domain><adkim>r</adkim><aspf>r</aspf><p>none</p>"
       "<pct>100</pct></policy_published>%s</feedback>" % "".join(records))
open(out + "/good.xml", "w").write(xml)
EOF
"$BIN" import "$TEST_DIR/good.xml" >/dev/null 2>&1
is "$?" 0 "the report imports"

# --- offline: nothing is looked up, nothing stored ---------------------------------
out=$("$BIN" resolve --once --offline 2>&1)
is "$?" 0 "resolve --offline exits 0"
is "$(sql "SELECT count(*) FROM source_identity")" 0 "offline: no identity stored"

# --- one pass --------------------------------------------------------------------
out=$("$BIN" resolve --once $DNS 2>"$TEST_DIR/err")
is "$?" 0 "resolve --once exits 0"
is "$out" "resolved 6 sources, checked 1 domains" "one pass names the six sources and checks the domain"
is "$(sql "SELECT ptr_name, fcrdns, generic, base_domain FROM source_identity WHERE ip = '192.0.2.10'")" \
  "mail.good.test|t|f|good.test" "192.0.2.10: PTR mail.good.test, forward-confirmed, not generic"
is "$(sql "SELECT ptr_name, fcrdns, generic FROM source_identity WHERE ip = '192.0.2.11'")" \
  "dynamic-192-0-2-11.pool.isp.test|t|t" "192.0.2.11: a generic (dynamic pool) name"
is "$(sql "SELECT ptr_status, coalesce(ptr_name, '-'), coalesce(fcrdns::text, '-') FROM source_identity WHERE ip = '192.0.2.12'")" \
  "nxdomain|-|-" "192.0.2.12: no PTR record"
is "$(sql "SELECT fcrdns FROM source_identity WHERE ip = '192.0.2.13'")" "f" \
  "192.0.2.13: a PTR name whose A record is another address is not confirmed"
is "$(sql "SELECT ptr_name, base_domain, sender_name, sender_kind FROM source_identity WHERE ip = '198.51.100.7'")" \
  "o1.ptr1234.sendgrid.net|sendgrid.net|SendGrid|esp" "198.51.100.7 is SendGrid, a known ESP"
is "$(sql "SELECT ptr_name, fcrdns FROM source_identity WHERE ip = '2001:db8::25'")" \
  "mx6.good.test|t" "IPv6: nibble PTR and AAAA confirmation"
is "$(sql "SELECT count(*) > 0 FROM dns_cache WHERE qtype = 12 AND expires_at > now()")" "t" \
  "PTR answers are cached in PostgreSQL with an expiry"

again=$("$BIN" resolve --once $DNS 2>/dev/null)
is "$again" "resolved 0 sources, checked 0 domains" "a second pass has nothing to do"

# --- countries from a MaxMind-format database ---------------------------------------
if perl "$ROOT/tests/lib/make-mmdb.pl" "$TEST_DIR/country.mmdb" 192.0.2.0/24=NL 2001:db8::/32=DE \
     >/dev/null 2>&1; then
  printf '[dns]\ngeoip_database = %s\n' "$TEST_DIR/country.mmdb" >"$TEST_DIR/geo.conf"
  sql "DELETE FROM source_identity" >/dev/null
  "$BIN" resolve --once --no-checks --config "$TEST_DIR/geo.conf" $DNS >/dev/null 2>&1
  is "$(sql "SELECT string_agg(host(ip) || '=' || coalesce(country, '-'), ' ' ORDER BY ip) FROM source_identity")" \
    "192.0.2.10=NL 192.0.2.11=NL 192.0.2.12=NL 192.0.2.13=NL 198.51.100.7=- 2001:db8::25=DE" \
    "countries come from the configured database, v4 and v6"
else
  ok 0 "# skip: no MaxMind::DB::Writer (libmaxmind-db-writer-perl)"
fi

# --- exports and pages show the identity -------------------------------------------
"$BIN" export --domain good.test >"$TEST_DIR/records.csv"
row=$(python3 - "$TEST_DIR/records.csv" <<'EOF'
import csv, sys
for r in csv.DictReader(open(sys.argv[1], newline="")):
    if r["source_ip_address"] == "198.51.100.7":
        print(r["source_reverse_dns"], r["source_base_domain"], r["source_name"], r["source_type"])
EOF
)
is "$row" "o1.ptr1234.sendgrid.net sendgrid.net SendGrid esp" \
  "record CSV: source_reverse_dns, source_base_domain, source_name, source_type filled"
"$BIN" export --level sources --domain good.test --format json >"$TEST_DIR/sources.json"
is "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(" ".join(sorted(r["source_org"] for r in d)))' "$TEST_DIR/sources.json")" \
  "(no reverse DNS) SendGrid good.test good.test good.test isp.test" \
  "sources are labelled by sender, else by the PTR's base domain"

# --- the domain check and its history ------------------------------------------------
is "$(sql "SELECT count(*) FROM dns_checks WHERE domain = 'good.test'")" 1 "the pass recorded one check of good.test"
is "$(sql "SELECT string_agg(subject, ' ' ORDER BY subject) FROM dns_check_findings f JOIN dns_checks c ON c.id = f.check_id WHERE c.domain = 'good.test' AND f.code = 'dkim_ok'")" \
  "ed s1" "the selectors seen in the reports (s1, ed) were checked and found"
# A check from March that still saw a selector since gone.
sql "INSERT INTO dns_checks (domain, checked_at, worst, findings) VALUES ('good.test', '2026-03-01 06:00+00', 'ok', 1);
     INSERT INTO dns_check_findings (check_id, ordinal, code, severity, subject, message)
       SELECT id, 1, 'dkim_ok', 'ok', 'old', 'RSA 2048-bit key' FROM dns_checks WHERE checked_at = '2026-03-01 06:00+00'" >/dev/null
out=$("$BIN" check good.test --selector old --json $DNS 2>/dev/null)
like "$out" '"code":"dkim_missing","severity":"error","subject":"old"' "a selector without a key is dkim_missing"

# --- the dashboard ---------------------------------------------------------------
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$BIN" serve --listen "127.0.0.1:$PORT" >"$TEST_DIR/serve.out" 2>&1 &
SERVE_PID=$!
URL="http://127.0.0.1:$PORT"
# get PATH: the body; status PATH: the HTTP status.
get() { python3 -c 'import sys, urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1]).read().decode())' "$URL$1" 2>/dev/null; }
status() { python3 -c '
import sys, urllib.request, urllib.error
try: print(urllib.request.urlopen(sys.argv[1]).status)
except urllib.error.HTTPError as e: print(e.code)' "$URL$1"; }
for _ in $(seq 1 100); do
  [ "$(status /healthz 2>/dev/null)" = 200 ] && break
  sleep 0.1
done
page=$(get /domains/good.test)
like "$page" 'SendGrid' "the domain page names SendGrid among the sending services"
like "$page" 'href="/domains/good.test/dns"' "the domain page links to its DNS page"
dns=$(get /domains/good.test/dns)
like "$dns" 'dkim_missing' "the DNS page shows the newest check's findings"
like "$dns" 'disappeared' "the DNS page shows what changed since the previous check"
like "$(get /api/domains/good.test/dns)" '"change":"appeared","severity":"error","code":"dkim_missing","subject":"old"' \
  "the changes say when the old selector's key went missing"
is "$(status /domains/never-checked.test/dns)" 404 \
  "a domain never checked has no DNS page"
kill "$SERVE_PID"; wait "$SERVE_PID" 2>/dev/null

# --- advice names the sender's fix -----------------------------------------------------
# One day of data: let a sender seen on one day count as legitimate.
printf '[advise]\nlegit_min_days = 1\n' >"$TEST_DIR/advise.conf"
advice=$("$BIN" advise good.test --config "$TEST_DIR/advise.conf" 2>/dev/null)
like "$advice" 'SendGrid: sign with DKIM d=good.test' "advice names SendGrid and its DKIM fix"
like "$advice" 'include:sendgrid.net' "advice gives SendGrid's SPF include"

# --- the running resolver: new reports, expired names -------------------------------------
# Between its hourly full passes it reads only the records of reports newer
# than the last pass, and the identities that expired.
"$BIN" resolve --interval 1 --no-checks $DNS >"$TEST_DIR/loop.out" 2>&1 &
LOOP=$!
sleep 2
python3 - "$TEST_DIR" <<'PY'
import sys
open(sys.argv[1] + "/later.xml", "w").write(
    '<?xml version="1.0"?><feedback><report_metadata><org_name>Resolver Test</org_name>'
    "<email>r@example.net</email><report_id>resolve-2</report_id><date_range>"
    "<begin>1790086400</begin><end>1790172799</end></date_range></report_metadata>"
    "<policy_published><domain>good.test</domain><p>none</p></policy_published>"
    "<record><row><source_ip>192.0.2.99</source_ip><count>3</count><policy_evaluated>"
    "<disposition>none</disposition><dkim>fail</dkim><spf>fail</spf></policy_evaluated></row>"
    "<identifiers><header_from>good.test</header_from></identifiers><auth_results>"
    "<spf><domain>good.test</domain><result>fail</result></spf></auth_results></record>"
    # no PTR; SendGrid's DKIM and SPF pass: SendGrid sent it
    "<record><row><source_ip>192.0.2.98</source_ip><count>5</count><policy_evaluated>"
    "<disposition>none</disposition><dkim>fail</dkim><spf>fail</spf></policy_evaluated></row>"
    "<identifiers><header_from>good.test</header_from></identifiers><auth_results>"
    "<dkim><domain>sendgrid.net</domain><selector>s1</selector><result>pass</result></dkim>"
    "<spf><domain>bounces.sendgrid.net</domain><result>pass</result></spf></auth_results></record>"
    # no PTR; SendGrid's signature passes but SPF fails: a forwarder, not SendGrid
    "<record><row><source_ip>192.0.2.97</source_ip><count>2</count><policy_evaluated>"
    "<disposition>none</disposition><dkim>fail</dkim><spf>fail</spf></policy_evaluated></row>"
    "<identifiers><header_from>good.test</header_from></identifiers><auth_results>"
    "<dkim><domain>sendgrid.net</domain><selector>s1</selector><result>pass</result></dkim>"
    "<spf><domain>lists.example.org</domain><result>fail</result></spf></auth_results></record>"
    "</feedback>")
PY
"$BIN" import -q "$TEST_DIR/later.xml" >/dev/null 2>&1
sql "UPDATE source_identity SET ptr_name = 'stale.example', expires_at = now() - interval '1 minute'
     WHERE ip = '192.0.2.10'" >/dev/null
for _ in $(seq 1 100); do
  [ "$(sql "SELECT count(*) FROM source_identity WHERE ip IN ('192.0.2.97', '192.0.2.98', '192.0.2.99') OR (ip = '192.0.2.10' AND expires_at > now())")" = 4 ] && break
  sleep 0.2
done
is "$(sql "SELECT ptr_status FROM source_identity WHERE ip = '192.0.2.99'")" nxdomain \
  "the running resolver names a source of a report stored after its last pass"
is "$(sql "SELECT ptr_name FROM source_identity WHERE ip = '192.0.2.10' AND expires_at > now()")" mail.good.test \
  "and looks up again a source whose name expired"
kill "$LOOP"; wait "$LOOP" 2>/dev/null
is "$(sql "SELECT ptr_status || '|' || coalesce(sender_name, '-') || '|' || coalesce(sender_by, '-') FROM source_identity WHERE ip = '192.0.2.98'")" \
  "nxdomain|SendGrid|dkim" "no PTR, but SendGrid's DKIM and SPF passed on its mail: named SendGrid, by DKIM"
is "$(sql "SELECT coalesce(sender_name, '-') FROM source_identity WHERE ip = '192.0.2.97'")" "-" \
  "SendGrid's signature alone (a forwarder, SPF failed) names nobody"
is "$(sql "SELECT sender_by FROM source_identity WHERE ip = '198.51.100.7'")" ptr "SendGrid by its PTR name says so"
out=$("$BIN" export --level sources --domain good.test | python3 -c '
import csv, sys
for r in csv.DictReader(sys.stdin):
    if r["source"] in ("192.0.2.97", "192.0.2.98"): print(r["source"], r["source_org"])' | sort | tr '\n' ';')
is "$out" "192.0.2.97 (no reverse DNS);192.0.2.98 SendGrid (by DKIM and SPF);" \
  "the sources table says how the sender was named"

# --- a resolver that never answers changes nothing in ingest ------------------------------
BH_PORT_FILE="$TEST_DIR/bh.port"
python3 - "$BH_PORT_FILE" "$TEST_DIR/bh.count" <<'EOF' &
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
open(sys.argv[1], "w").write(str(s.getsockname()[1]))
n = 0
while True:
    s.recvfrom(4096)          # swallow every query, answer none
    n += 1
    open(sys.argv[2], "w").write(str(n))
EOF
BH_PID=$!
for _ in $(seq 1 50); do [ -s "$BH_PORT_FILE" ] && break; sleep 0.1; done
use_db resolve_bh
MD="$TEST_DIR/md"
mkdir -p "$MD/new" "$MD/cur" "$MD/tmp"
cp "$ROOT"/samples/new/* "$MD/new/"
printf '[dns]\nresolve_interval_seconds = 1\n' >"$TEST_DIR/fast.conf"
"$BIN" ingest --maildir "$MD" --config "$TEST_DIR/fast.conf" --dns-server "127.0.0.1:$(cat "$BH_PORT_FILE")" \
  >"$TEST_DIR/daemon.out" 2>&1 &
DAEMON=$!
want=$(ls "$ROOT"/samples/new | wc -l | tr -d ' ')
for _ in $(seq 1 300); do
  [ "$(ls "$MD/.Processed/cur" 2>/dev/null | wc -l | tr -d ' ')" -ge "$want" ] && break
  sleep 0.1
done
is "$(ls "$MD/.Processed/cur" | wc -l | tr -d ' ')" "$want" "every sample mail is filed while DNS never answers"
is "$(sql "SELECT count(*), sum(n_records), sum(total_count) FROM reports")" \
  "$(awk -F'\t' 'NR > 1 && $1 != "TOTAL" { r++; n += $5; t += $6 } END { print r "|" n "|" t }' "$ROOT/samples/expected.tsv")" \
  "totals exact while the resolver is stuck"
for _ in $(seq 1 50); do [ -s "$TEST_DIR/bh.count" ] && break; sleep 0.1; done
ok "$([ -s "$TEST_DIR/bh.count" ] && echo 0 || echo 1)" "the background resolver was asking the silent server meanwhile"
kill -TERM "$DAEMON"; wait "$DAEMON"
is "$?" 0 "the daemon stops cleanly with its resolver"
sleep 0.3
is "$(pgrep -f "dmarcstat resolve" | wc -l | tr -d ' ')" 0 "no resolver outlives the daemon"

done_testing
