#!/bin/sh
# serve.t -- `dmarcstat serve`: status codes, the security headers on every
# kind of response, limits (oversized request, slow client, many clients at
# once), authentication off loopback, the database going away, and a clean
# shutdown (exit 0 on SIGTERM, nothing leaked under ASan).
#
# Requests go through a small python3 client (tests/lib has no HTTP tool,
# and curl is not on a fresh Debian); serve listens on port 0 and the test
# reads the port from its "serving http://..." line, so runs never collide.
. "$DMARCSTAT_ROOT/tests/lib/tap.sh"
use_db serve_t
"$BIN" import -q "$ROOT"/samples/new/* >/dev/null 2>&1
ok $? "samples imported"

CLIENT="$TEST_DIR/client.py"
cat > "$CLIENT" <<'EOF'
# client.py PORT COMMAND ARGS -- what serve.t asks of an HTTP server.
#   req METHOD PATH [NAME:VALUE...]  status, then "name: value" (names
#                                    lower-cased), a blank line, the body
#   bigheader SIZE                   status of a GET with one SIZE-byte header,
#                                    or "closed" when the server hung up
#   slow SECONDS                     a client dribbling one byte a second while
#                                    another asks /healthz: its status and time
#   many N                           N connections at once, each GET /healthz:
#                                    how many got 200
import http.client, socket, sys, threading, time
port = int(sys.argv[1])

def request(method, path, headers=()):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    c.request(method, path, headers=dict(h.split(":", 1) for h in headers))
    r = c.getresponse()
    body = r.read()
    c.close()
    return r, body

def cmd_req(method, path, *headers):
    r, body = request(method, path, headers)
    print(r.status)
    for k, v in r.getheaders():
        print("%s: %s" % (k.lower(), v))
    print()
    sys.stdout.write(body.decode("utf-8", "replace"))

def cmd_bigheader(size):
    s = socket.create_connection(("127.0.0.1", port), timeout=20)
    try:
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * int(size) + b"\r\n\r\n")
        data = s.recv(4096)
        print(data.split(b" ")[1].decode() if data.startswith(b"HTTP/") else "closed")
    except OSError:
        print("closed")

def cmd_slow(seconds):
    def dribble():
        s = socket.create_connection(("127.0.0.1", port))
        for b in b"GET /healthz HTTP/1.1\r\nHost: x\r\n"[: int(seconds)]:
            s.send(bytes([b]))
            time.sleep(1)
        s.close()
    t = threading.Thread(target=dribble)
    t.start()
    time.sleep(1.5)
    start = time.monotonic()
    r, _ = request("GET", "/healthz")
    print(r.status, "%.1f" % (time.monotonic() - start))
    t.join()

def cmd_many(n):
    got = []
    def one():
        try:
            got.append(request("GET", "/healthz")[0].status)
        except Exception as e:
            got.append(str(e))
    threads = [threading.Thread(target=one) for _ in range(int(n))]
    for t in threads: t.start()
    for t in threads: t.join()
    print(got.count(200))

globals()["cmd_" + sys.argv[2]](*sys.argv[3:])
EOF

SERVE_PID=""
PORT=""
# start_serve ARGS...: serve in the background; waits for its "serving" line.
start_serve() {
  "$BIN" serve "$@" 2>"$TEST_DIR/serve.err" &
  SERVE_PID=$!
  for _ in $(seq 1 100); do
    PORT=$(sed -n 's|^dmarcstat: serving http://.*:\([0-9][0-9]*\)/$|\1|p' "$TEST_DIR/serve.err")
    [ -n "$PORT" ] && return 0
    kill -0 "$SERVE_PID" 2>/dev/null || break
    sleep 0.2
  done
  echo "# serve did not start:"; sed 's/^/#   /' "$TEST_DIR/serve.err"
  return 1
}
# stop_serve NAME: SIGTERM; passes when serve exits 0 within 10 s.
stop_serve() {
  kill -TERM "$SERVE_PID" 2>/dev/null
  for _ in $(seq 1 50); do
    kill -0 "$SERVE_PID" 2>/dev/null || break
    sleep 0.2
  done
  kill -KILL "$SERVE_PID" 2>/dev/null
  wait "$SERVE_PID"
  _rc=$?
  is "$_rc" "0" "$1"
  [ "$_rc" -eq 0 ] || sed 's/^/#   /' "$TEST_DIR/serve.err"
}
req() { python3 "$CLIENT" "$PORT" req "$@"; }
status_of() { req "$@" | sed -n 1p; }
header() { # header NAME: that header of the response on stdin
  sed -n "2,/^\$/s/^$1: //p" | tr -d '\r'
}

CSP="default-src 'none'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
# has_security_headers WHAT FILE: the four headers every response carries.
has_security_headers() {
  is "$(header content-security-policy < "$2")" "$CSP" "$1: Content-Security-Policy"
  is "$(header x-content-type-options < "$2")|$(header x-frame-options < "$2")|$(header referrer-policy < "$2")" \
     "nosniff|DENY|no-referrer" "$1: nosniff, frame DENY, no referrer"
}

# ---- loopback, no auth ----
start_serve --listen 127.0.0.1:0
ok $? "serve starts on 127.0.0.1 port 0 and says where"
like "$(cat "$TEST_DIR/serve.err")" "^dmarcstat: serving http://127\.0\.0\.1:[0-9]+/$" "the serving line names the address"

req GET /healthz > "$TEST_DIR/r"
is "$(head -n 1 "$TEST_DIR/r")|$(tail -n 1 "$TEST_DIR/r")" "200|ok" "/healthz answers 200 ok"
has_security_headers "/healthz" "$TEST_DIR/r"
is "$(header cache-control < "$TEST_DIR/r")" "no-store" "/healthz is not cached"

req GET / > "$TEST_DIR/r"
like "$(head -n 1 "$TEST_DIR/r")" "^(200|501)$" "/ answers (200, or 501 while the page is unwritten)"
has_security_headers "/" "$TEST_DIR/r"
like "$(header content-type < "$TEST_DIR/r")" "^text/html; charset=utf-8$" "/ is HTML in UTF-8"

req GET /no/such/page > "$TEST_DIR/r"
is "$(head -n 1 "$TEST_DIR/r")" "404" "an unknown path is 404"
has_security_headers "404" "$TEST_DIR/r"

req GET /static/style.css > "$TEST_DIR/r"
is "$(head -n 1 "$TEST_DIR/r")" "200" "/static/style.css is served"
has_security_headers "stylesheet" "$TEST_DIR/r"
is "$(header content-type < "$TEST_DIR/r")|$(header cache-control < "$TEST_DIR/r")" \
   "text/css; charset=utf-8|public, max-age=3600" "the stylesheet is text/css, cached for an hour"
sed '1,/^$/d' "$TEST_DIR/r" | cmp -s - "$ROOT/web/static/style.css"
ok $? "the stylesheet is the embedded web/static/style.css"
is "$(status_of GET /static/..%2Fstyle.css)|$(status_of GET /static/Style.CSS)|$(status_of GET /static/nope.css)" \
   "404|404|404" "other static names are 404"

req GET "/reports.csv?days=30" > "$TEST_DIR/r"
like "$(head -n 1 "$TEST_DIR/r")" "^(200|501)$" "/reports.csv answers"
has_security_headers "CSV" "$TEST_DIR/r"
if [ "$(head -n 1 "$TEST_DIR/r")" = 200 ]; then
  like "$(header content-disposition < "$TEST_DIR/r")" '^attachment; filename="[A-Za-z0-9._-]+"$' \
       "the CSV is an attachment with a plain file name"
fi
req GET /api/reports > "$TEST_DIR/r"
has_security_headers "JSON" "$TEST_DIR/r"

req POST / > "$TEST_DIR/r"
is "$(head -n 1 "$TEST_DIR/r")|$(header allow < "$TEST_DIR/r")" "405|GET, HEAD" "POST is 405 with Allow: GET, HEAD"
has_security_headers "405" "$TEST_DIR/r"
is "$(status_of DELETE /healthz)|$(status_of OPTIONS /)" "405|405" "DELETE and OPTIONS are 405"
is "$(status_of GET /healthz "Content-Length: 3")" "413" "a GET announcing a body is refused"
req HEAD /healthz > "$TEST_DIR/r"
is "$(head -n 1 "$TEST_DIR/r")|$(sed '1,/^$/d' "$TEST_DIR/r")" "200|" "HEAD gets the headers only"

is "$(status_of GET /reports/%00)" "400" "an encoded NUL in the path is 400"
is "$(status_of GET '/reports?org=%00')" "400" "an encoded NUL in a query value is 400"
is "$(status_of GET '/reports?org=%zz')" "400" "a broken escape is 400"
is "$(status_of GET '/reports?org=%C3%28')" "400" "a value that is not UTF-8 is 400"
long=$(head -c 3000 /dev/zero | tr '\0' a)
is "$(status_of GET "/reports/$long")|$(status_of GET "/reports?org=$long")" "414|414" \
   "a path or a value over 2 KiB is 414"

# Oversized requests: our own 431 below MHD's memory cap, MHD's answer (or a
# hang-up) above it; either way the server carries on.
is "$(python3 "$CLIENT" "$PORT" bigheader 20000)" "431" "a 20 KB header is 431"
like "$(python3 "$CLIENT" "$PORT" bigheader 100000)" "^(4[0-9][0-9]|closed)$" \
     "a 100 KB header is refused"
is "$(status_of GET /healthz)" "200" "and the server still answers"

# A slowloris client holds one connection, not a worker.
out=$(python3 "$CLIENT" "$PORT" slow 5)
like "$out" "^200 [01]\." "a request beside a client sending a byte a second is answered at once"
is "$(python3 "$CLIENT" "$PORT" many 50)" "50" "50 concurrent requests are all answered"

"$BIN" serve --listen "127.0.0.1:$PORT" >/dev/null 2>"$TEST_DIR/err"; rc=$?
is "$rc" "2" "a second serve on the same port exits 2"
like "$(cat "$TEST_DIR/err")" "^dmarcstat serve: cannot listen on 127\.0\.0\.1:$PORT: " "saying it cannot listen there"

# The pool: connections killed under it are replaced.
sql "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'serve_t' AND pid <> pg_backend_pid()" >/dev/null
is "$(status_of GET /healthz)|$(status_of GET /healthz)" "200|200" "connections killed by the server are replaced"
n=$(sql "SELECT count(*) FROM pg_stat_activity WHERE datname = 'serve_t' AND application_name = 'dmarcstat'")
ok "$([ "$n" -ge 1 ] && [ "$n" -le 8 ] && echo 0 || echo 1)" "serve holds between 1 and 8 connections (got $n)"
stop_serve "SIGTERM stops serve with exit 0 (and ASan finds no leak)"

# A database that goes away.
pg_new_db serve_gone
"$BIN" db migrate --db dbname=serve_gone >/dev/null 2>&1
start_serve --listen 127.0.0.1:0 --db dbname=serve_gone
"$PG_BINDIR/psql" -X -q -d postgres -c "DROP DATABASE serve_gone WITH (FORCE)" >/dev/null 2>&1
req GET /healthz > "$TEST_DIR/r"
is "$(head -n 1 "$TEST_DIR/r")|$(tail -n 1 "$TEST_DIR/r")" "503|database unavailable" \
   "/healthz says 503 database unavailable when the database is gone"
req GET / > "$TEST_DIR/r"
is "$(head -n 1 "$TEST_DIR/r")" "503" "a page is 503 when the database is gone"
has_security_headers "503" "$TEST_DIR/r"
stop_serve "serve still stops cleanly"

# ---- usage errors ----
"$BIN" serve --listen 0.0.0.0:0 >/dev/null 2>"$TEST_DIR/err"; rc=$?
is "$rc" "2" "listening on 0.0.0.0 without authentication exits 2"
is "$(cat "$TEST_DIR/err")" \
   "dmarcstat serve: refusing to listen on 0.0.0.0:0 without authentication: set [web] password_hash or [web] token in the config file" \
   "with one line saying what to set"
"$BIN" serve --listen '[::]:0' >/dev/null 2>&1
is "$?" "2" "so does [::]"
for bad in 127.0.0.1 localhost:8080 127.0.0.1:99999 ::1:8080 '[127.0.0.1]:80'; do
  "$BIN" serve --listen "$bad" >/dev/null 2>"$TEST_DIR/err"; rc=$?
  is "$rc" "2" "--listen $bad is a usage error"
done
like "$(cat "$TEST_DIR/err")" "^dmarcstat serve: --listen \"\[127\.0\.0\.1\]:80\": expected a numeric ADDRESS:PORT" \
     "naming the bad value"
"$BIN" serve --listen 127.0.0.1:0 --db "host=/nonexistent" >/dev/null 2>"$TEST_DIR/err"; rc=$?
is "$rc" "3" "an unreachable database exits 3"
like "$(cat "$TEST_DIR/err")" "^dmarcstat: store: cannot connect" "naming the store"
printf '[web]\npassword_hash = not-a-hash\n' > "$TEST_DIR/bad.conf"
"$BIN" serve --config "$TEST_DIR/bad.conf" --listen 127.0.0.1:0 >/dev/null 2>"$TEST_DIR/err"; rc=$?
is "$rc" "2" "a password_hash libcrypt cannot use exits 2"
like "$(cat "$TEST_DIR/err")" "password_hash: not a crypt\(3\) hash" "naming the key"

# ---- a token ----
TOKEN=0123456789abcdef0123456789abcdef
printf '[web]\ntoken = %s\n' "$TOKEN" > "$TEST_DIR/token.conf"
start_serve --config "$TEST_DIR/token.conf" --listen 0.0.0.0:0
ok $? "with a token configured, serve listens on 0.0.0.0"
req GET / > "$TEST_DIR/r"
is "$(head -n 1 "$TEST_DIR/r")|$(header www-authenticate < "$TEST_DIR/r")" '401|Bearer realm="dmarcstat"' \
   "a page without credentials is 401 with a Bearer challenge"
has_security_headers "401" "$TEST_DIR/r"
is "$(status_of GET / "Authorization: Bearer wrong$TOKEN")" "401" "a wrong token is 401"
is "$(status_of GET / "Authorization: Basic YWRtaW46YWRtaW4=")" "401" "Basic credentials are 401 when only a token is set"
like "$(status_of GET /reports "Authorization: Bearer $TOKEN")" "^(200|501)$" "the right token is let in"
is "$(status_of GET /static/style.css)|$(status_of GET /reports.csv)" "401|401" \
   "the stylesheet and the CSV need it too"
is "$(status_of GET /static/style.css "Authorization: bearer $TOKEN")" "200" "the scheme name is case-insensitive"
is "$(status_of GET /healthz)" "200" "/healthz needs no credentials"
stop_serve "serve with auth stops with exit 0"

# ---- a password ----
HASH=$(openssl passwd -6 -salt serveTsalt 's3cret pass' 2>/dev/null \
       || python3 -W ignore -c "import crypt; print(crypt.crypt('s3cret pass', '\$6\$serveTsalt'))" 2>/dev/null)
if [ -n "$HASH" ]; then
  printf '[web]\nlisten = 127.0.0.1:0\nuser = ops\npassword_hash = %s\n' "$HASH" > "$TEST_DIR/pw.conf"
  start_serve --config "$TEST_DIR/pw.conf"
  ok $? "[web] listen is where serve listens without --listen"
  basic() { printf '%s' "$1" | base64 | tr -d '\n'; }
  req GET / > "$TEST_DIR/r"
  is "$(head -n 1 "$TEST_DIR/r")|$(header www-authenticate < "$TEST_DIR/r")" '401|Basic realm="dmarcstat"' \
     "a password configured: 401 with a Basic challenge"
  like "$(status_of GET /reports "Authorization: Basic $(basic 'ops:s3cret pass')")" "^(200|501)$" \
       "the right user and password are let in"
  is "$(status_of GET / "Authorization: Basic $(basic 'ops:s3cret')")" "401" "a wrong password is 401"
  is "$(status_of GET / "Authorization: Basic $(basic 'admin:s3cret pass')")" "401" "a wrong user is 401"
  is "$(status_of GET / "Authorization: Basic !!!")" "401" "a malformed header is 401"
  grep -q "unknown key" "$TEST_DIR/serve.err"
  is "$?" "1" "[web] user is a known key"
  stop_serve "and stops with exit 0"
else
  echo "# neither openssl nor python3's crypt: password case skipped"
fi
done_testing
