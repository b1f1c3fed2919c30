#!/bin/sh
# bench.sh BIN -- `make bench`: ingest speed and memory on generated data,
# against a throwaway PostgreSQL (fsync off, unix socket).  Prints a table
# and writes build/bench.json.  Never part of `make test`.
set -eu
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
. "$ROOT/tests/lib/pg.sh"
T=$(mktemp -d /tmp/dmarcstat-bench.XXXXXX)
chmod 0755 "$T"
trap 'pg_stop "$T/pg"; rm -rf "$T"' EXIT INT TERM
pg_start "$T/pg"
GEN="python3 $ROOT/tools/gen-report.py"
MEASURE="python3 $ROOT/tools/measure.py"

newdb() { pg_new_db "$1"; export DMARCSTAT_DB="dbname=$1"; "$BIN" db migrate >/dev/null; }
secs() { sed -n 's/^measure: \([0-9.]*\) s, \([0-9]*\) KiB$/\1/p' "$1"; }
rss() { sed -n 's/^measure: \([0-9.]*\) s, \([0-9]*\) KiB$/\2/p' "$1"; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / s }'; }

echo "bench: generating inputs in $T" >&2
$GEN report --records 100000 --format gz --out "$T/big.xml.gz" --id bench-big >"$T/big.truth"
$GEN maildir --mails 1000 --records-per-mail 5 --out "$T/md" --seed 5 >/dev/null
big_records=$(cut -f1 "$T/big.truth")
md_records=$(awk -F'\t' '$1 == "TOTAL" { print $5 }' "$T/md/expected.tsv")

newdb bench_big
$MEASURE "$BIN" import -q "$T/big.xml.gz" 2>"$T/big.m"
big_s=$(secs "$T/big.m"); big_rss=$(rss "$T/big.m")

newdb bench_md
$MEASURE "$BIN" ingest --once --maildir "$T/md" >/dev/null 2>"$T/md.m"
md_s=$(secs "$T/md.m")

newdb bench_import
$MEASURE "$BIN" import -q "$T"/md/.Processed/cur/* 2>"$T/imp.m"
imp_s=$(secs "$T/imp.m")

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
printf '\n%-52s %12s %12s\n' "dmarcstat bench ($(nproc) cores, $cpu)" "value" "unit"
printf '%-52s %12s %12s\n' "import 1 report x $big_records records: time" "$big_s" "s"
printf '%-52s %12s %12s\n' "  records/s" "$(rate "$big_records" "$big_s")" "rec/s"
printf '%-52s %12s %12s\n' "  peak RSS" "$(( big_rss / 1024 ))" "MiB"
printf '%-52s %12s %12s\n' "ingest --once, maildir of 1000 mails: time" "$md_s" "s"
printf '%-52s %12s %12s\n' "  mails/s (worker process per mail)" "$(rate 1000 "$md_s")" "mails/s"
printf '%-52s %12s %12s\n' "  records/s" "$(rate "$md_records" "$md_s")" "rec/s"
printf '%-52s %12s %12s\n' "import of the same 1000 mails (one process)" "$imp_s" "s"
printf '%-52s %12s %12s\n' "  mails/s" "$(rate 1000 "$imp_s")" "mails/s"

# The dashboard with 1,000,000 stored records: one domain, 1,000 reports of
# 1,000 records over 28 days (the default 30-day window covers them all:
# the worst case for the domain page).
echo "bench: loading 1,000,000 records for the dashboard" >&2
newdb bench_web
$GEN maildir --mails 1000 --records-per-mail 1000 --out "$T/md1m" --seed 9 --domain big.example.com >/dev/null
$MEASURE "$BIN" import -q "$T"/md1m/new/* 2>"$T/load.m"
load_s=$(secs "$T/load.m")
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$BIN" serve --listen "127.0.0.1:$PORT" 2>"$T/serve.log" & SERVE=$!
i=0; until python3 -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:$PORT/healthz', timeout=2)" 2>/dev/null; do
  i=$((i + 1)); [ $i -lt 100 ] || { cat "$T/serve.log" >&2; exit 1; }; sleep 0.1; done
page() { # NAME PATH -> "p50 p95 p99 rps errors cold" in ms
  # The first request computes the page (cold); wrk then measures the page
  # as users get it until the data changes (kept by serve's page cache).
  cold=$(python3 -c "import time, urllib.request; t = time.monotonic(); urllib.request.urlopen('http://127.0.0.1:$PORT$2', timeout=120).read(); print('%.0f' % ((time.monotonic() - t) * 1000))")
  wrk -t2 -c16 -d10s -s "$ROOT/tools/wrk-percentiles.lua" "http://127.0.0.1:$PORT$2" > "$T/wrk.$1" 2>&1
  awk '/^p50 /{a=$2} /^p95 /{b=$2} /^p99 /{c=$2} /^requests /{r=$2} /^errors /{e=$2} /^seconds /{s=$2}
       END { printf "%.1f %.1f %.1f %.0f %d %s\n", a/1000, b/1000, c/1000, r/s, e, cold }' cold="$cold" "$T/wrk.$1"
}
dom=$(page domain /domains/big.example.com)
ovw=$(page overview /)
kill -TERM $SERVE; wait $SERVE 2>/dev/null || true

printf '%-52s %12s %12s\n' "load 1,000,000 records (import, 1000 mails)" "$load_s" "s"
for row in "domain page:$dom" "overview page:$ovw"; do
  name=${row%%:*}; set -- ${row#*:}
  printf '%-52s %12s %12s\n' "$name, 1M records, wrk 16 conns: p50" "$1" "ms"
  printf '%-52s %12s %12s\n' "  p95 / p99" "$2 / $3" "ms"
  printf '%-52s %12s %12s\n' "  requests/s, errors" "$4, $5" ""
  printf '%-52s %12s %12s\n' "  first (uncached) request" "$6" "ms"
done

mkdir -p build
set -- $dom
cat > build/bench.json <<JSON
{"big_records": $big_records, "big_seconds": $big_s, "big_peak_rss_kib": $big_rss,
 "maildir_mails": 1000, "maildir_records": $md_records, "maildir_seconds": $md_s,
 "import_mails_seconds": $imp_s, "load_1m_seconds": $load_s,
 "domain_page_ms": {"p50": $1, "p95": $2, "p99": $3, "rps": $4, "errors": $5, "cold": $6}}
JSON
echo "bench: results in build/bench.json" >&2
