#!/bin/sh
# load.sh BIN -- the dashboard under load, with figures (part of `make bench`,
# never of `make test`):
#
#   1. 1,000,000 stored records; `dmarcstat serve` on loopback
#   2. wrk, 2 threads, 64 connections, 60 s, over the overview, a domain
#      page, a source page, the report list and the failures page: requests
#      per second, p50/p95/p99, errors (connect/read/write/timeout/non-2xx),
#      and serve's resident memory before and after
#   3. slow clients, against a second `serve` bound to 0.0.0.0 with a token
#      (so that authentication and the per-address connection cap apply, as
#      in production): 48 connections from three other loopback addresses
#      sending one header byte a second for 30 s, while a normal client
#      fetches the overview every 0.2 s: how many of its requests were
#      answered and their worst latency
#   4. 10,000 small report mails ingested (`ingest --once`, its own
#      workers) while wrk keeps 64 connections on the dashboard: totals
#      compared with the generator's expected.tsv
#
# Prints "load: KEY VALUE" lines and writes them to build/load.json, with
# the machine noted.  Needs wrk and python3 (make deps installs them).
set -eu
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
. "$ROOT/tests/lib/pg.sh"
T=$(mktemp -d /tmp/dmarcstat-load.XXXXXX)
chmod 0755 "$T"
SERVE=""; PUBLIC=""
cleanup() {
  for p in $SERVE $PUBLIC; do kill "$p" 2>/dev/null; done
  pg_stop "$T/pg"; rm -rf "$T"
}
trap cleanup EXIT INT TERM
pg_start "$T/pg"
pg_new_db load
export DMARCSTAT_DB="dbname=load"
GEN="python3 $ROOT/tools/gen-report.py"
say() { echo "load: $1 $2"; printf '%s\t%s\n' "$1" "$2" >>"$T/figures.tsv"; }
rss_kib() { sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$1/status"; }

echo "load: generating and storing 1,000,000 records" >&2
$GEN maildir --mails 1000 --records-per-mail 1000 --out "$T/md1m" --seed 9 \
  --domain big.example.com >/dev/null
"$BIN" import -q "$T"/md1m/new/* >/dev/null
DOMAIN=big.example.com
SOURCE=$("$PG_BINDIR/psql" -X -A -t -d load -c \
  "SELECT host(source_ip) FROM rollup_sources WHERE source_ip IS NOT NULL ORDER BY messages DESC LIMIT 1")

TOKEN=load-test-token-0123456789
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("0.0.0.0", 0)); print(s.getsockname()[1])'; }
wait_up() { # URL
  for _ in $(seq 1 100); do
    python3 -c "import urllib.request; urllib.request.urlopen('$1/healthz')" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}
PORT=$(free_port)
"$BIN" serve --listen "127.0.0.1:$PORT" 2>"$T/serve.log" & SERVE=$!
URL="http://127.0.0.1:$PORT"
wait_up "$URL"
# Warm the page cache once, as a user's first visits would.
for p in / "/domains/$DOMAIN" "/domains/$DOMAIN/sources/$SOURCE" /reports /failures; do
  python3 -c "import urllib.request as u; u.urlopen(u.Request('$URL$p', headers={'Authorization': 'Bearer $TOKEN'}), timeout=300).read()"
done
rss_before=$(rss_kib "$SERVE")

cat >"$T/paths.lua" <<EOF
local paths = { "/", "/domains/$DOMAIN", "/domains/$DOMAIN/sources/$SOURCE", "/reports", "/failures" }
local i = 0
wrk.headers["Authorization"] = "Bearer $TOKEN"
request = function()
  i = i + 1
  return wrk.format(nil, paths[(i % #paths) + 1])
end
EOF
cat "$ROOT/tools/wrk-percentiles.lua" >>"$T/paths.lua"
echo "load: wrk, 64 connections, 60 s" >&2
wrk -t2 -c64 -d60s --timeout 10s -s "$T/paths.lua" "$URL" >"$T/wrk.out" 2>&1
rss_after=$(rss_kib "$SERVE")
non2xx=$(sed -n 's/^ *Non-2xx or 3xx responses: *\([0-9]*\)/\1/p' "$T/wrk.out")
say wrk_requests "$(sed -n 's/^requests //p' "$T/wrk.out")"
say wrk_requests_per_s "$(sed -n 's/^Requests\/sec: *//p' "$T/wrk.out")"
say wrk_p50_ms "$(awk '/^p50 /{ printf "%.2f", $2 / 1000 }' "$T/wrk.out")"
say wrk_p95_ms "$(awk '/^p95 /{ printf "%.2f", $2 / 1000 }' "$T/wrk.out")"
say wrk_p99_ms "$(awk '/^p99 /{ printf "%.2f", $2 / 1000 }' "$T/wrk.out")"
say wrk_errors "$(sed -n 's/^errors //p' "$T/wrk.out")"
say wrk_error_kinds "$(sed -n 's/^error_kinds //p' "$T/wrk.out" | tr ' ' ',')"
say wrk_non2xx "${non2xx:-0}"
say serve_rss_before_kib "$rss_before"
say serve_rss_after_kib "$rss_after"

echo "load: 48 slow clients for 30 s" >&2
printf '[web]\ntoken = %s\n' "$TOKEN" >"$T/web.conf"
PUBLIC_PORT=$(free_port)
"$BIN" serve --config "$T/web.conf" --listen "0.0.0.0:$PUBLIC_PORT" 2>"$T/public.log" & PUBLIC=$!
wait_up "http://127.0.0.1:$PUBLIC_PORT"
python3 - "$PUBLIC_PORT" "$TOKEN" >"$T/slow.out" <<'EOF'
import socket, sys, threading, time, urllib.request
port, token = int(sys.argv[1]), sys.argv[2]
stop = time.time() + 30
def slow(addr):
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=5, source_address=(addr, 0))
        line = b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 4000
        for b in line:
            if time.time() > stop:
                break
            s.send(bytes([b]))
            time.sleep(1)
        s.close()
    except OSError:
        pass
threads = [threading.Thread(target=slow, args=("127.0.0.%d" % (2 + i % 3),)) for i in range(48)]
for t in threads:
    t.start()
time.sleep(2)
ok = fail = 0
worst = 0.0
while time.time() < stop - 1:
    t0 = time.time()
    try:
        r = urllib.request.urlopen(urllib.request.Request(
            "http://127.0.0.1:%d/" % port, headers={"Authorization": "Bearer " + token}), timeout=10)
        r.read()
        ok += 1
    except Exception:
        fail += 1
    worst = max(worst, time.time() - t0)
    time.sleep(0.2)
print("slow_client_answered", ok)
print("slow_client_failed", fail)
print("slow_client_worst_ms", int(worst * 1000))
for t in threads:
    t.join()
EOF
while read -r k v; do say "$k" "$v"; done <"$T/slow.out"
kill "$PUBLIC"; wait "$PUBLIC" 2>/dev/null || true; PUBLIC=""

echo "load: 10,000 mails ingested while wrk runs" >&2
pg_new_db load_ingest
$GEN maildir --mails 10000 --records-per-mail 20 --out "$T/md10k" --seed 17 >/dev/null
start=$(date +%s.%N)
DMARCSTAT_DB="dbname=load_ingest" "$BIN" ingest --once --no-resolve --maildir "$T/md10k" \
  >"$T/ingest.out" 2>&1 & INGEST=$!
# wrk in 15 s runs while the ingest lasts: a run stopped by a signal would
# count the requests it cut off as errors.
: >"$T/wrk2.out"
while kill -0 "$INGEST" 2>/dev/null; do
  wrk -t2 -c64 -d15s --timeout 10s -s "$T/paths.lua" "$URL" >>"$T/wrk2.out" 2>&1
done
wait "$INGEST" || true
end=$(date +%s.%N)
got=$("$PG_BINDIR/psql" -X -A -t -d load_ingest -c "SELECT count(*) || ' ' || sum(n_records) || ' ' || sum(total_count) FROM reports")
want=$(awk -F'\t' '$1 == "TOTAL" { print 10000 " " $5 " " $6 }' "$T/md10k/expected.tsv")
say ingest_under_load_seconds "$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')"
say ingest_under_load_mails_per_s "$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.0f", 10000 / (b - a) }')"
say ingest_under_load_totals "$([ "$got" = "$want" ] && echo exact || echo "DIFFER got=$got want=$want")"
say ingest_under_load_wrk_requests "$(awk '/^requests /{ n += $2 } END { print n + 0 }' "$T/wrk2.out")"
say ingest_under_load_wrk_errors "$(awk '/^errors /{ n += $2 } END { print n + 0 }' "$T/wrk2.out")"
say ingest_under_load_wrk_error_kinds "$(awk '/^error_kinds / { for (i = 2; i <= NF; i++) { split($i, kv, "="); n[kv[1]] += kv[2] } }
  END { printf "connect=%d,read=%d,write=%d,status=%d,timeout=%d", n["connect"], n["read"], n["write"], n["status"], n["timeout"] }' "$T/wrk2.out")"
say ingest_under_load_wrk_non2xx "$(sed -n 's/^ *Non-2xx or 3xx responses: *\([0-9]*\)/\1/p' "$T/wrk2.out" | awk '{ n += $1 } END { print n + 0 }')"
mkdir -p "$ROOT/build"
python3 - "$T/figures.tsv" "$ROOT/build/load.json" <<'EOF'
import json, os, platform, sys
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "")
figures = dict(line.rstrip("\n").split("\t", 1) for line in open(sys.argv[1]))
json.dump({"machine": {"cores": os.cpu_count(), "cpu": cpu, "kernel": platform.release()},
           "figures": figures}, open(sys.argv[2], "w"), indent=2)
EOF
echo "load: figures in build/load.json" >&2
