#!/bin/sh
# run.sh BIN -- `make run`: a local PostgreSQL under ./var (unix socket only,
# no TCP), the samples ingested from a copy of samples/, a summary of what
# was stored, then the dashboard on 127.0.0.1:8080 (or the first free port
# above) in the foreground until Ctrl-C.  PostgreSQL keeps running
# afterwards: `make stop` ends it.
#
# With DMARCSTAT_RUN_NO_SERVE=1 it stops after the summary instead of
# serving (the server otherwise runs until Ctrl-C or SIGTERM, with or
# without a terminal, so that `make run &` serves too).
set -eu
BIN=$1
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VAR="$ROOT/var"
cd "$ROOT"
. "$ROOT/tests/lib/pg.sh"

mkdir -p "$VAR"
chmod 0755 "$VAR"
if [ "$(id -u)" -eq 0 ] && ! setpriv --reuid=nobody --regid=nogroup --clear-groups test -x "$VAR"; then
  echo "run: PostgreSQL runs as 'nobody' and cannot reach $VAR; clone the repository somewhere world-readable" >&2
  exit 1
fi
if [ -f "$VAR/pg/data/postmaster.pid" ] && "$PG_BINDIR/pg_ctl" -D "$VAR/pg/data" status >/dev/null 2>&1; then
  export PGHOST="$VAR/pg" PGPORT=5432 PGUSER=postgres
else
  pg_start "$VAR/pg"
fi
"$PG_BINDIR/psql" -X -q -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'dmarcstat'" | grep -q 1 \
  || "$PG_BINDIR/createdb" dmarcstat
export DMARCSTAT_DB="host=$VAR/pg port=5432 user=postgres dbname=dmarcstat"

# Ingest a copy: the daemon files each mail away, and samples/ stays as committed.
rm -rf "$VAR/maildir"
mkdir -p "$VAR/maildir"
cp -R samples/new samples/cur "$VAR/maildir/"
"$BIN" ingest --maildir "$VAR/maildir" --once || [ $? -eq 1 ]

echo
echo "Stored in PostgreSQL ($DMARCSTAT_DB):"
"$PG_BINDIR/psql" -X -q -d dmarcstat -P footer=off -c "
SELECT r.domain,
       count(DISTINCT r.id) AS reports,
       count(DISTINCT r.org_name) AS reporters,
       to_char(min(r.begin_time), 'YYYY-MM-DD') AS first_day,
       to_char(max(r.end_time), 'YYYY-MM-DD') AS last_day,
       sum(c.count) AS messages,
       round(100.0 * coalesce(sum(c.count) FILTER (WHERE c.dkim_eval = 'pass' OR c.spf_eval = 'pass')
             , 0) / nullif(sum(c.count), 0), 1) AS dmarc_pass_pct
  FROM reports r JOIN records c ON c.report_id = r.id
 GROUP BY r.domain ORDER BY messages DESC;"
"$PG_BINDIR/psql" -X -q -d dmarcstat -P footer=off -c "
SELECT host(c.source_ip) AS source_ip, sum(c.count) AS messages,
       sum(c.count) FILTER (WHERE c.spf_eval = 'pass') AS spf_aligned,
       sum(c.count) FILTER (WHERE c.dkim_eval = 'pass') AS dkim_aligned,
       string_agg(DISTINCT c.disposition, ',') AS dispositions
  FROM records c GROUP BY c.source_ip ORDER BY messages DESC LIMIT 15;"
echo "PostgreSQL keeps running on $VAR/pg; 'make stop' stops it."
echo "Try: DMARCSTAT_DB='$DMARCSTAT_DB' $BIN export --format csv | head"

if [ "${DMARCSTAT_RUN_NO_SERVE:-0}" = 1 ]; then
  echo "Dashboard: DMARCSTAT_DB='$DMARCSTAT_DB' $BIN serve"
  exit 0
fi
# The first port from 8080 up that nothing listens on (loopback only).
PORT=$(python3 -c '
import socket
for port in range(8080, 8180):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", port))
        print(port)
        break
    except OSError:
        pass
    finally:
        s.close()')
if [ -z "$PORT" ]; then
  echo "run: no free port between 8080 and 8179 for the dashboard" >&2
  exit 1
fi
echo
echo "Dashboard: http://127.0.0.1:$PORT/ (Ctrl-C stops it)"
exec "$BIN" serve --listen "127.0.0.1:$PORT"
