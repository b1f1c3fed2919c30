#!/bin/sh
# check_smtp.t -- `dmarcstat check-smtp HOST[:PORT]` against real servers on
# loopback: OpenSMTPD (tests/lib/smtpd.sh) as a well-run server, a
# misconfigured open relay and a server without PTR, the test zones on Knot
# (tests/lib/knot.sh) for the reverse DNS, and a few hostile fakes.
#
#   127.0.0.2  smtp-ok.test     greets as smtp-ok.test, PTR smtp-ok.test,
#                               STARTTLS, relays for nobody
#   127.0.0.3  smtp-bad.test    greets as smtp-bad.test, PTR other-name.test,
#                               no STARTTLS, open relay (to a dead port)
#   127.0.0.4  smtp-noptr.test  no PTR, no STARTTLS, relays for nobody
#   127.0.0.5                   nothing listens
#   127.0.0.2:FAKE_PORT         a python fake, one behaviour per connection:
#                               HTTP, an endless or overlong greeting, hangs
#                               up at once, 554, silence, a dripped greeting
#
# Needs root (smtpd) and a private mount namespace; see tests/lib/smtpd.sh.
. "$DMARCSTAT_ROOT/tests/lib/tap.sh"
. "$ROOT/tests/lib/knot.sh"
. "$ROOT/tests/lib/smtpd.sh"

cleanup() {
  [ -n "${FAKE_PID:-}" ] && kill "$FAKE_PID" 2>/dev/null
  smtpd_stop "$TEST_DIR/smtpd"
  knot_stop "$TEST_DIR/knot"
}
trap cleanup EXIT

knot_start "$TEST_DIR/knot" 2> "$TEST_DIR/knot.err" \
  || skip_all "no test DNS server: $(head -n 1 "$TEST_DIR/knot.err")"
# A port is free when looked at and may be taken by the time smtpd binds it:
# try a few.
started=1
for try in 1 2 3; do
  P=$(smtpd_free_port $((2525 + 50 * (try - 1))) 127.0.0.2 127.0.0.3 127.0.0.4) || break
  if smtpd_start "$TEST_DIR/smtpd" smtp-ok.test 127.0.0.2 "$P" tls=on relay=closed \
       -- smtp-bad.test 127.0.0.3 "$P" tls=off relay=open \
       -- smtp-noptr.test 127.0.0.4 "$P" tls=off relay=closed 2> "$TEST_DIR/smtpd.err"; then
    started=0; break
  fi
  grep -q "did not greet" "$TEST_DIR/smtpd.err" || break
done
[ "$started" -eq 0 ] || skip_all "no test SMTP server: $(head -n 1 "$TEST_DIR/smtpd.err")"

# probe TARGET: runs check-smtp; its JSON in $OUT, exit status in $STATUS.
OUT="$TEST_DIR/out.json"
probe() {
  "$BIN" check-smtp "$@" --dns-server "$DMARCSTAT_DNS_SERVER" --json > "$OUT" 2> "$TEST_DIR/err"
  STATUS=$?
}
# j EXPR: a python expression over the JSON output j ("" when unreadable).
j() {
  python3 -c "import json,sys; j=json.load(open(sys.argv[1])); print($1)" "$OUT" 2>/dev/null
}
codes() { j '" ".join(sorted(f["code"] for f in j["findings"]))'; }
# field CODE KEY: KEY of the first finding with CODE.
field() { j "[f['$2'] for f in j['findings'] if f['code'] == '$1'][0]"; }

# --- the well-run server, by address and by name
probe "127.0.0.2:$P"
is "$(codes)" "smtp_banner smtp_relay_refused smtp_starttls" "smtp-ok: banner matches the PTR, STARTTLS, no relay"
is "$(j 'j["worst"]')" ok "smtp-ok: worst is ok"
is "$STATUS" 0 "smtp-ok: exit 0"
is "$(field smtp_banner subject)" "127.0.0.2:$P" "smtp-ok: the subject is host:port"
like "$(field smtp_banner message)" 'smtp-ok\.test' "smtp-ok: the message names the server"

probe "smtp-ok.test:$P"
is "$(codes)" "smtp_banner smtp_relay_refused smtp_starttls" "smtp-ok.test by name: the same findings"
is "$(j 'j["host"]')" "smtp-ok.test:$P" "by name: host is reported as given"

# --- the misconfigured open relay
probe "127.0.0.3:$P"
is "$(codes)" "smtp_banner_mismatch smtp_ehlo_mismatch smtp_open_relay smtp_starttls_missing" \
  "smtp-bad: banner and EHLO names differ from the PTR, no STARTTLS, open relay"
is "$(j 'j["worst"]')" critical "smtp-bad: worst is critical"
is "$STATUS" 1 "smtp-bad: exit 1"
is "$(field smtp_open_relay severity)" critical "the open relay is critical"
like "$(field smtp_banner_mismatch message)" 'smtp-bad\.test.*other-name\.test' \
  "the mismatch names both names"
is "$(field smtp_starttls_missing severity)" warning "missing STARTTLS is a warning"
like "$(field smtp_open_relay fix)" '.' "the open relay comes with a fix"
is "$(find "$TEST_DIR/smtpd/spool" -type f -path '*queue*' | wc -l)" 0 \
  "nothing was queued on the open relay (no DATA)"

# --- no PTR
probe "127.0.0.4:$P"
is "$(codes)" "smtp_ptr_missing smtp_relay_refused smtp_starttls_missing" \
  "smtp-noptr: no PTR, no STARTTLS, no relay"
is "$(j 'j["worst"]')" error "smtp-noptr: worst is error"
is "$STATUS" 1 "smtp-noptr: exit 1"
is "$(field smtp_ptr_missing subject)" 127.0.0.4 "the PTR finding's subject is the address"
is "$(field smtp_ptr_missing record)" "4.0.0.127.in-addr.arpa. PTR smtp-noptr.test." \
  "it gives the PTR record to publish"

# --- nothing there
probe "127.0.0.5:$P"
is "$(codes)" smtp_connect_failed "nothing listening: smtp_connect_failed"
is "$(j 'j["worst"]')" error "nothing listening: worst is error"
probe "no-such-host.test:$P"
is "$(codes)" smtp_connect_failed "a name without address: smtp_connect_failed"
like "$(field smtp_connect_failed message)" 'no address' "it says there is no address"

# --- usage
"$BIN" check-smtp "not a host" --dns-server "$DMARCSTAT_DNS_SERVER" --json > "$OUT" 2> "$TEST_DIR/err"
is "$?" 2 "a bad HOST[:PORT] is a usage error (exit 2)"
like "$(cat "$TEST_DIR/err")" 'not HOST\[:PORT\]' "the error says what is wanted"

# --- hostile fakes: each connection gets the next behaviour in the list
cat > "$TEST_DIR/fake.py" <<'EOF'
import socket, sys, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.2", 0))
s.listen(8)
print(s.getsockname()[1], flush=True)
for mode in sys.argv[1:]:
    c, _ = s.accept()
    try:
        if mode == "http":
            c.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
        elif mode == "endless":
            c.sendall(b"220-hello\r\n" * 5000)
        elif mode == "longline":
            c.sendall(b"220 " + b"x" * 100000 + b"\r\n")
        elif mode == "hangup":
            pass
        elif mode == "silent":
            c.recv(100)         # until the client gives up
        elif mode == "drip":    # a byte every 0.2 s: the reply never ends in time
            for b in b"220 " + b"z" * 60 + b"\r\n":
                c.sendall(bytes([b]))
                time.sleep(0.2)
        elif mode == "554":
            c.sendall(b"554 5.3.2 no service for you\r\n")
            c.recv(100)
    except OSError:
        pass
    c.close()
EOF
python3 "$TEST_DIR/fake.py" http endless longline hangup 554 silent drip > "$TEST_DIR/fake.port" &
FAKE_PID=$!
n=0
while [ ! -s "$TEST_DIR/fake.port" ] && [ "$n" -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
FP=$(cat "$TEST_DIR/fake.port")

probe "127.0.0.2:$FP"
is "$(codes)" smtp_protocol "an HTTP server: smtp_protocol"
probe "127.0.0.2:$FP"
is "$(codes)" smtp_protocol "an endless multi-line greeting: smtp_protocol"
like "$(field smtp_protocol message)" '100 lines' "it names the line limit"
probe "127.0.0.2:$FP"
is "$(codes)" smtp_protocol "a 100 kB greeting line: smtp_protocol"
probe "127.0.0.2:$FP"
is "$(codes)" smtp_connect_failed "a server that hangs up at once: smtp_connect_failed"
probe "127.0.0.2:$FP"
is "$(codes)" smtp_protocol "a 554 greeting: smtp_protocol"
like "$(field smtp_protocol message)" '554' "it quotes the reply"
started=$(date +%s)
probe "127.0.0.2:$FP" --timeout 1
is "$(codes)" smtp_connect_failed "a server that never greets: smtp_connect_failed"
like "$(field smtp_connect_failed message)" 'no greeting' "it says so"
probe "127.0.0.2:$FP" --timeout 1
is "$(codes)" smtp_connect_failed "a greeting dripped a byte at a time is not waited for"
elapsed=$(($(date +%s) - started))
[ "$elapsed" -le 6 ]
ok $? "--timeout 1 bounds each reply (both took ${elapsed} s)"
done_testing
