#!/bin/sh
# browser.t -- a real browser (Debian's headless Chromium) loads the
# overview and a domain page served by `dmarcstat serve` from the samples:
# the numbers it renders equal the database's, the CSV link answers a CSV
# download, and screenshots go to tests/out/ for a person to look at.
. "$DMARCSTAT_ROOT/tests/lib/tap.sh"
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CHROMIUM" ] || skip_all "chromium is not installed (make deps installs it)"
use_db browser_t
"$BIN" import -q "$ROOT"/samples/new/* >/dev/null 2>&1
OUT="$ROOT/tests/out"
mkdir -p "$OUT"

"$BIN" serve --listen 127.0.0.1:0 2>"$TEST_DIR/serve.log" & SERVE=$!
i=0; PORT=""
while [ $i -lt 100 ] && [ -z "$PORT" ]; do
  PORT=$(sed -n 's|.*serving http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$TEST_DIR/serve.log" | head -n 1)
  sleep 0.1; i=$((i + 1))
done
[ -n "$PORT" ] || { cat "$TEST_DIR/serve.log" | sed 's/^/# /'; echo "Bail out! serve did not start"; exit 1; }
URL="http://127.0.0.1:$PORT"

browse() { # MODE(dump|shot) PATH [FILE]
  flags="--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
         --disable-component-update --disable-sync --disable-dev-shm-usage --user-data-dir=$TEST_DIR/chromium"
  if [ "$1" = dump ]; then
    timeout 60 "$CHROMIUM" $flags --dump-dom "$URL$2" 2>/dev/null
  else
    timeout 60 "$CHROMIUM" $flags --hide-scrollbars --window-size=1280,1800 --screenshot="$3" "$URL$2" >/dev/null 2>&1
  fi
}

# What a card or a table row says, from the DOM the browser built.
cat > "$TEST_DIR/dom.py" <<'PY'
import sys, re
from html.parser import HTMLParser

class Cards(HTMLParser):
    def __init__(self):
        super().__init__()
        self.cards, self.cur, self.field, self.links = {}, None, None, []
        self.rows, self.row, self.cell = [], None, None
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = a.get("class") or ""
        if tag == "div" and "card" in cls.split():
            self.cur = {"value": "", "label": ""}
        elif tag == "span" and self.cur is not None and cls in ("value", "label"):
            self.field = cls
        elif tag == "a":
            self.links.append((cls, a.get("href", "")))
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = ""
    def handle_endtag(self, tag):
        if tag == "span":
            self.field = None
        elif tag == "div" and self.cur is not None:
            self.cards[self.cur["label"].strip()] = self.cur["value"].strip()
            self.cur = None
        elif tag in ("td", "th") and self.row is not None and self.cell is not None:
            self.row.append(self.cell.strip()); self.cell = None
        elif tag == "tr" and self.row is not None:
            self.rows.append(self.row); self.row = None
    def handle_data(self, data):
        if self.cur is not None and self.field:
            self.cur[self.field] += data
        if self.cell is not None:
            self.cell += data

p = Cards(); p.feed(sys.stdin.read())
what = sys.argv[1]
if what == "card":
    for label, value in p.cards.items():
        if label.lower().startswith(sys.argv[2]):
            print(re.sub(r"[^0-9.]", "", value)); break
elif what == "csv-link":
    for cls, href in p.links:
        if "csv" in cls.split():
            print(href); break
elif what == "row":
    for r in p.rows:
        if r and sys.argv[2] in r[0]:
            print("|".join(re.sub(r"[\s\u202f\u00a0,]", "", c) for c in r)); break
PY

DOMAIN=bakery-example.com
dom=$(browse dump "/domains/$DOMAIN")
like "$dom" "<h1" "the browser renders the domain page"
want=$(sql "SELECT sum(c.count) FROM records c JOIN reports r ON r.id = c.report_id WHERE r.domain = '$DOMAIN'")
got=$(printf '%s' "$dom" | python3 "$TEST_DIR/dom.py" card messages)
is "$got" "$want" "the messages card shows the database's total"
want_pct=$(sql "SELECT round(100.0 * sum(c.count) FILTER (WHERE c.dkim_eval = 'pass' OR c.spf_eval = 'pass') / sum(c.count), 1) FROM records c JOIN reports r ON r.id = c.report_id WHERE r.domain = '$DOMAIN'")
got_pct=$(printf '%s' "$dom" | python3 "$TEST_DIR/dom.py" card dmarc)
is "$got_pct" "$want_pct" "the DMARC pass card shows the database's rate"
like "$dom" "class=\"advice" "the advice panel is on the domain page"
like "$dom" "<svg" "the daily chart is drawn"

csv=$(printf '%s' "$dom" | python3 "$TEST_DIR/dom.py" csv-link)
like "$csv" "\\.csv" "the domain page links its CSV"
python3 - "$URL$csv" > "$TEST_DIR/csv.out" <<'PY'
import sys, urllib.request
r = urllib.request.urlopen(sys.argv[1].replace("&amp;", "&"))
body = r.read().decode()
print(r.headers.get("Content-Type"))
print(r.headers.get("Content-Disposition"))
print(len([l for l in body.splitlines() if l.strip()]) - 1)
PY
like "$(sed -n 1p "$TEST_DIR/csv.out")" "^text/csv" "the CSV link answers text/csv"
like "$(sed -n 2p "$TEST_DIR/csv.out")" "^attachment; filename=" "and downloads as an attachment"
ok "$([ "$(sed -n 3p "$TEST_DIR/csv.out")" -gt 0 ] && echo 0 || echo 1)" "with rows"

ovw=$(browse dump "/")
row=$(printf '%s' "$ovw" | python3 "$TEST_DIR/dom.py" row "$DOMAIN")
like "$row" "(^|\\|)$want(\\||$)" "the overview row of $DOMAIN shows its message total"

browse shot "/domains/$DOMAIN" "$OUT/domain.png"
ok $? "screenshot of the domain page in tests/out/domain.png"
browse shot "/" "$OUT/overview.png"
ok $? "screenshot of the overview in tests/out/overview.png"
size=$(wc -c < "$OUT/domain.png" 2>/dev/null || echo 0)
ok "$([ "$size" -gt 20000 ] && echo 0 || echo 1)" "the domain screenshot is not blank ($size bytes)"

# Pages are cached until the data changes: a report stored now shows at once.
count_reports() { python3 -c "import urllib.request; b = urllib.request.urlopen('$URL/reports.csv').read().decode(); print(len([l for l in b.splitlines() if l.strip()]) - 1)"; }
before=$(count_reports); again=$(count_reports)
is "$again" "$before" "the report list answers the same twice"
python3 "$ROOT/tools/gen-report.py" report --records 3 --format xml --id cache-check --out "$TEST_DIR/new.xml" >/dev/null
"$BIN" import -q "$TEST_DIR/new.xml" >/dev/null 2>&1
is "$(count_reports)" "$((before + 1))" "a report stored while serving appears on the next request"

# The DNS page of a domain checked against the test zones (Knot on loopback).
. "$ROOT/tests/lib/knot.sh"
if knot_start "$TEST_DIR/knot" 2>/dev/null; then
  "$BIN" check dkim.test --selector k2048 --selector weak --dns-server "$DMARCSTAT_DNS_SERVER" \
    >/dev/null 2>&1
  knot_stop "$TEST_DIR/knot"
  dns=$(browse dump "/domains/dkim.test/dns")
  row=$(printf '%s' "$dns" | python3 "$TEST_DIR/dom.py" row error)
  like "$row" "^error\|dkim_weak_key\|weak\|RSA512-bit" "the DNS page renders the weak key as an error row"
  like "$dns" "k2048" "and the good key's selector"
  browse shot "/domains/dkim.test/dns" "$OUT/dns.png"
  ok $? "screenshot of the DNS page in tests/out/dns.png"
else
  ok 0 "# skip: no Knot DNS for the DNS page"
fi

kill -TERM $SERVE; wait $SERVE
is "$?" 0 "serve stops cleanly"
done_testing
