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
mkdir -p build
cat > build/bench.json <<JSON
{"big_records": $big_records, "big_seconds": $big_s, "big_peak_rss_kib": $big_rss,
 "maildir_mails": 1000, "maildir_records": $md_records, "maildir_seconds": $md_s,
 "import_mails_seconds": $imp_s}
JSON
echo "bench: results in build/bench.json" >&2
