#!/bin/sh
# standby.t -- read scaling (docs/scaling.md): `dmarcstat serve` against a
# streaming-replication hot standby, with a role that may only SELECT.
#
# The test starts its own pair (tests/lib/pg_standby.sh): a primary with
# wal_level=replica and a standby made from it with pg_basebackup -R, each
# with its own socket directory and port.  Reports go into the primary; the
# dashboard reads the standby, configured through [web] conninfo (which
# must win over $DMARCSTAT_DB, here the primary as superuser).  It asserts:
#   - the standby-served overview, domain page, source identities and DNS
#     page show what SQL on the primary says (messages per domain, the
#     sender of a source, the newest DNS check and what changed);
#   - a report imported into the primary afterwards shows on the
#     standby-served dashboard within seconds: the page cache follows the
#     data version, which replication carries like any other row;
#   - serve never tries to write (it keeps running, logs nothing, and the
#     standby logs no error), and its sessions are the read-only role's, on
#     the standby only;
#   - import against the standby fails with exit 3 and a message that says
#     the database is read-only, and changes nothing; db migrate there has
#     nothing to apply.
# Skipped when pg_basebackup is not installed.
. "$DMARCSTAT_ROOT/tests/lib/tap.sh"
. "$ROOT/tests/lib/pg_standby.sh"
pg_standby_available || skip_all "pg_basebackup not found in $PG_BINDIR"

# The servers run as nobody when we are root: they must reach their
# directories under this test's scratch directory.
chmod 0755 "$TEST_DIR"
PRIMARY="$TEST_DIR/primary"
STANDBY="$TEST_DIR/standby"
SERVE_PID=""
PORT=""
cleanup() {
  if [ -n "$SERVE_PID" ]; then kill -KILL "$SERVE_PID" 2>/dev/null; wait "$SERVE_PID" 2>/dev/null; fi
  pg_standby_stop "$PRIMARY" "$STANDBY"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM PIPE

pg_standby_start "$PRIMARY" "$STANDBY"
ok $? "a primary and a hot standby made with pg_basebackup -R start"
[ -n "${PG_STANDBY_HOST:-}" ] || { echo "Bail out! no standby"; exit 1; }

ssql() { # QUERY: on the standby, as the superuser
  "$PG_BINDIR/psql" -X -q -A -t -v ON_ERROR_STOP=1 -h "$PG_STANDBY_HOST" -p "$PG_STANDBY_PORT" \
    -U postgres -d standby_t -c "$1"
}
at_postgres() { # HOST PORT QUERY: in database postgres of either server
  "$PG_BINDIR/psql" -X -A -t -h "$1" -p "$2" -U postgres -d postgres -c "$3"
}
is "$(at_postgres "$PGHOST" "$PGPORT" 'SELECT pg_is_in_recovery()')|$(at_postgres "$PG_STANDBY_HOST" "$PG_STANDBY_PORT" 'SELECT pg_is_in_recovery()')" \
   "f|t" "the primary is not in recovery, the standby is"

# ---- data on the primary ----
use_db standby_t
"$BIN" import -q "$ROOT"/samples/new/* >/dev/null 2>"$TEST_DIR/import.err"
ok $? "samples imported into the primary"

# What the background resolver and `dmarcstat check` would have stored, by
# hand (no DNS here): a source's identity, and two checks of a domain with
# a DKIM key that disappeared between them.
sql "INSERT INTO source_identity (ip, ptr_status, ptr_names, ptr_name, fcrdns, generic,
       base_domain, sender_name, sender_kind, expires_at)
     VALUES ('198.51.100.140', 'ok', '{out-140.mailwave-example.com}', 'out-140.mailwave-example.com',
       true, false, 'mailwave-example.com', 'Mailwave Standby Test', 'esp', now() + interval '1 day')" >/dev/null
sql "WITH c AS (INSERT INTO dns_checks (domain, checked_at, worst, findings)
       VALUES ('bakery-example.com', now() - interval '2 days', 'ok', 2) RETURNING id)
     INSERT INTO dns_check_findings (check_id, ordinal, code, severity, subject, message)
     SELECT id, n, code, sev, subj, msg FROM c, (VALUES
       (1, 'dmarc_ok', 'ok', '_dmarc.bakery-example.com', 'DMARC record: v=DMARC1; p=quarantine'),
       (2, 'dkim_ok', 'ok', 's1', 'DKIM key s1: rsa 2048 bits')) AS f (n, code, sev, subj, msg)" >/dev/null
sql "WITH c AS (INSERT INTO dns_checks (domain, worst, findings)
       VALUES ('bakery-example.com', 'error', 2) RETURNING id)
     INSERT INTO dns_check_findings (check_id, ordinal, code, severity, subject, message, fix)
     SELECT id, n, code, sev, subj, msg, fix FROM c, (VALUES
       (1, 'dkim_missing', 'error', 's1', 'no DKIM key at s1._domainkey.bakery-example.com',
        'publish the key of selector s1'),
       (2, 'dmarc_ok', 'ok', '_dmarc.bakery-example.com', 'DMARC record: v=DMARC1; p=quarantine',
        NULL)) AS f (n, code, sev, subj, msg, fix)" >/dev/null
ok $? "a source identity and two DNS checks stored on the primary"

sql "CREATE ROLE dmarcstat_web LOGIN" >/dev/null
sql "GRANT SELECT ON ALL TABLES IN SCHEMA public TO dmarcstat_web" >/dev/null
ok $? "a read-only role dmarcstat_web (LOGIN, SELECT on every table) on the primary"

pg_standby_wait "$PRIMARY" "$STANDBY" 30
ok $? "the standby replays everything the primary wrote (pg_last_wal_replay_lsn >= pg_current_wal_lsn)"
is "$(ssql "SELECT count(*) || ' ' || sum(total_count) FROM reports")" \
   "$(sql "SELECT count(*) || ' ' || sum(total_count) FROM reports")" "the standby holds the same reports"
is "$(ssql "SELECT rolname FROM pg_roles WHERE rolname = 'dmarcstat_web'")" "dmarcstat_web" \
   "the role is on the standby too (roles replicate with the cluster)"

# ---- serve on the standby ----
CLIENT="$TEST_DIR/client.py"
cat > "$CLIENT" <<'EOF'
# client.py PORT COMMAND ARGS -- what standby.t asks of the dashboard.
#   status PATH       the HTTP status of GET PATH
#   json PATH EXPR    EXPR (Python, the parsed body as j) of GET PATH's JSON
import json, sys, urllib.error, urllib.request
port = int(sys.argv[1])

def get(path):
    try:
        with urllib.request.urlopen("http://127.0.0.1:%d%s" % (port, path), timeout=20) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()

cmd = sys.argv[2]
if cmd == "status":
    print(get(sys.argv[3])[0])
elif cmd == "json":
    status, body = get(sys.argv[3])
    if status != 200:
        print("HTTP %d" % status)
    else:
        print(eval(sys.argv[4], {"j": json.loads(body)}))
EOF
status_of() { python3 "$CLIENT" "$PORT" status "$1"; }
json() { python3 "$CLIENT" "$PORT" json "$1" "$2"; }

STANDBY_CONNINFO="host=$PG_STANDBY_HOST port=$PG_STANDBY_PORT dbname=standby_t user=dmarcstat_web"
printf '[web]\nconninfo = %s\n' "$STANDBY_CONNINFO" > "$TEST_DIR/web.conf"
: > "$TEST_DIR/serve.err"
"$BIN" serve --config "$TEST_DIR/web.conf" --listen 127.0.0.1:0 2>"$TEST_DIR/serve.err" &
SERVE_PID=$!
for _ in $(seq 1 100); do
  PORT=$(sed -n 's|^dmarcstat: serving http://.*:\([0-9][0-9]*\)/$|\1|p' "$TEST_DIR/serve.err")
  [ -n "$PORT" ] && break
  kill -0 "$SERVE_PID" 2>/dev/null || break
  sleep 0.2
done
ok "$([ -n "$PORT" ] && echo 0 || echo 1)" "serve starts with [web] conninfo naming the standby"
[ -n "$PORT" ] || { sed 's/^/#   /' "$TEST_DIR/serve.err"; done_testing; }
# Standby log lines from here on are serve's doing (or replay's).
log_mark=$(wc -l < "$STANDBY/server.log")

is "$(status_of /healthz)" "200" "/healthz is 200 on the standby"
is "$(ssql "SELECT string_agg(DISTINCT usename, ',') FROM pg_stat_activity WHERE application_name = 'dmarcstat'")" \
   "dmarcstat_web" "serve's sessions are on the standby, as dmarcstat_web"
is "$(sql "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'dmarcstat'")" "0" \
   "and none on the primary ([web] conninfo wins over \$DMARCSTAT_DB)"

per_domain_sql() {
  sql "SELECT domain || ' ' || sum(total_count) FROM reports GROUP BY domain ORDER BY domain"
}
overview() { json /api/ "'\n'.join('%s %s' % (d['domain'], d['messages']) for d in sorted(j['domains'], key=lambda d: d['domain']))"; }
want=$(per_domain_sql)
is "$(overview)" "$want" "the overview's messages per domain equal SQL on the primary"
is "$(status_of /)" "200" "the overview page (HTML) is 200"
for d in $(sql "SELECT DISTINCT domain FROM reports ORDER BY 1"); do
  is "$(json "/api/domains/$d" "j['summary'][0]['messages']")" \
     "$(sql "SELECT sum(total_count) FROM reports WHERE domain = '$d'")" \
     "the page of $d shows the messages SQL counts on the primary"
  is "$(json "/api/domains/$d" "sum(s['messages'] for s in j['sources'])")" \
     "$(sql "SELECT sum(c.count) FROM records c JOIN reports r ON r.id = c.report_id WHERE r.domain = '$d'")" \
     "the sources of $d add up to the records' counts"
  is "$(status_of "/domains/$d")" "200" "/domains/$d (HTML, advice panel included) is 200"
done
is "$(json /api/domains/bakery-example.com "[(s['source_org'], s['source_name']) for s in j['sources'] if s['source'] == '198.51.100.140'][0]")" \
   "('Mailwave Standby Test', 'out-140.mailwave-example.com')" \
   "a source's sender and PTR name come from source_identity on the standby"
is "$(json /api/domains/bakery-example.com/sources/198.51.100.140 "sum(r['messages'] for r in j['records'])")" \
   "$(sql "SELECT sum(count) FROM records WHERE source_ip = '198.51.100.140'")" \
   "the source page's records add up to SQL on the primary"
is "$(json /api/domains/bakery-example.com/dns "' '.join(f['code'] for f in j['findings'])")" \
   "dkim_missing dmarc_ok" "the DNS page shows the newest check's findings"
is "$(json /api/domains/bakery-example.com/dns "' '.join(sorted(c['change'] + ':' + c['code'] for c in j['changes']))")" \
   "appeared:dkim_missing disappeared:dkim_ok" "and what changed since the check before"
is "$(status_of /domains/bakery-example.com/dns)" "200" "the DNS page (HTML) is 200"
rid=$(sql "SELECT min(id) FROM reports")
is "$(status_of /reports)|$(status_of "/reports/$rid")|$(status_of /failures)|$(status_of /reports.csv)" \
   "200|200|200|200" "the report list, one report (with its XML), the failures page and a CSV are 200"

# ---- a new report on the primary shows on the standby-served dashboard ----
before=$(json /api/ "[d['messages'] for d in j['domains'] if d['domain'] == 'bakery-example.com'][0]")
before_page=$(json /api/domains/bakery-example.com "j['summary'][0]['messages']")
more=$(python3 "$ROOT/tools/gen-report.py" report --records 4 --domain bakery-example.com \
         --org "Standby Follow Example" --id standby-follow-1 --out "$TEST_DIR/more.xml.gz" \
         | tail -n 1 | cut -f2)
"$BIN" import -q "$TEST_DIR/more.xml.gz" >/dev/null 2>>"$TEST_DIR/import.err"
ok $? "one more report ($more messages) imported into the primary"
start=$(date +%s.%N)
seen=""
for _ in $(seq 1 100); do
  now=$(json /api/ "[d['messages'] for d in j['domains'] if d['domain'] == 'bakery-example.com'][0]")
  if [ "$now" = "$((before + more))" ]; then seen=yes; break; fi
  sleep 0.1
done
took=$(echo "$start $(date +%s.%N)" | awk '{ printf "%.1f", $2 - $1 }')
ok "$([ -n "$seen" ] && echo 0 || echo 1)" "the standby-served overview shows it within 10 s (took ${took} s; cached before)"
is "$(json /api/domains/bakery-example.com "j['summary'][0]['messages']")" "$((before_page + more))" \
   "the cached domain page follows too"
is "$(overview)" "$(per_domain_sql)" "the overview again equals SQL on the primary"

# ---- serve never writes ----
kill -0 "$SERVE_PID" 2>/dev/null
ok $? "serve is still running"
is "$(grep -v '^dmarcstat: serving http://' "$TEST_DIR/serve.err")" "" "serve logged nothing but its address"
is "$(tail -n +"$((log_mark + 1))" "$STANDBY/server.log" | grep -E 'ERROR|FATAL' | head -n 3)" "" \
   "the standby logged no error while serve ran (no write attempted, no permission missing)"

# ---- writers are refused by the standby ----
before_primary=$(sql "SELECT count(*) FROM reports")
more2="$TEST_DIR/more2.xml.gz"
python3 "$ROOT/tools/gen-report.py" report --records 2 --domain bakery-example.com \
  --id standby-refused-1 --out "$more2" >/dev/null
"$BIN" import "$more2" --db "host=$PG_STANDBY_HOST port=$PG_STANDBY_PORT dbname=standby_t user=postgres" \
  >/dev/null 2>"$TEST_DIR/err"; rc=$?
is "$rc" "3" "import against the standby exits 3"
like "$(cat "$TEST_DIR/err")" "^dmarcstat: .*read-only" "saying the database is read-only"
"$BIN" import "$more2" --db "$STANDBY_CONNINFO" >/dev/null 2>"$TEST_DIR/err"; rc=$?
is "$rc" "3" "import against the standby as the read-only role exits 3 too"
# The standby's schema is the primary's: nothing to apply, nothing written.
out=$("$BIN" db migrate --db "host=$PG_STANDBY_HOST port=$PG_STANDBY_PORT dbname=standby_t user=postgres" \
  2>"$TEST_DIR/err"); rc=$?
is "$rc|$out" "0|db migrate: 0 migrations applied" "db migrate against the up-to-date standby writes nothing"
tail -n +"$((log_mark + 1))" "$STANDBY/server.log" | grep -q 'ERROR: .*read-only transaction'
ok $? "the standby logged those refused writes (so the check above could have seen one of serve's)"
pg_standby_wait "$PRIMARY" "$STANDBY" 30
is "$(sql "SELECT count(*) FROM reports")|$(ssql "SELECT count(*) FROM reports WHERE report_id = 'standby-refused-1'")" \
   "$before_primary|0" "nothing was stored anywhere"
is "$(status_of /healthz)" "200" "serve still answers"

kill -TERM "$SERVE_PID"
wait "$SERVE_PID"
is "$?" "0" "SIGTERM stops serve with exit 0"
SERVE_PID=""
done_testing
