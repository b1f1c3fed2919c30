# knot.sh -- a throwaway authoritative DNS server (Knot DNS) on loopback,
# serving the test zones in tests/lib/zones/.
#
# Source it, then:
#   knot_start DIR   write DIR/knot.conf (rundir, database, control socket
#                    and log all inside DIR), start knotd in the background
#                    on 127.0.0.1 at the first free port from 25353 up, wait
#                    until every zone answers; exports KNOT_PORT and
#                    DMARCSTAT_DNS_SERVER=127.0.0.1:PORT.  Returns 1 with a
#                    message on stderr when knotd is missing or will not start
#                    (a test then calls skip_all).
#   knot_stop DIR    stop it (our own pid only) and wait for it to exit
#
# A test does:
#   knot_start "$TEST_DIR/knot" || skip_all "no Knot DNS (apt-get install knot)"
#   trap 'knot_stop "$TEST_DIR/knot"' EXIT
#
# knotd runs as whoever calls it (no `user:` in the config, so it never
# switches to the knot user, as root or not) and writes only inside DIR.  The
# zone files are read in place and never written back (zonefile-sync: -1,
# no journal), so the checkout stays clean.
#
# The zones.  Every name is under the reserved .test TLD except the reverse
# zones and sendgrid.net, which exists only on this loopback server so that
# the identity code can map 198.51.100.7 to SendGrid.  One domain per
# scenario; apart from its one fault, each scenario domain has DMARC
# p=reject with rua to itself, SPF "v=spf1 ip4:192.0.2.0/24 -all" and
# MX 10 mx1.good.test, so a check of it finds exactly that fault.  Each zone
# file opens with a comment saying what it seeds.
#
#   test                 parent: NXDOMAIN for unknown .test names; the SMTP
#                        hosts smtp-ok (127.0.0.2), smtp-bad and other-name
#                        (127.0.0.3), smtp-noptr (127.0.0.4)
#   good.test            everything right (DKIM s1 RSA 2048, ed Ed25519; MX
#                        mx1 192.0.2.25 and mx6 2001:db8::25, PTRs confirmed);
#                        sub.good.test has no _dmarc of its own
#   thirdparty.test      report receiver; authorises dmarc-extok.test only
#   isp.test esp.test sendgrid.net    the names reverse zones point at
#   nodmarc dmarc-multi dmarc-bad dmarc-none dmarc-ext dmarc-extok
#   dmarc-syntax dmarc-dup dmarc-pct dmarc-sp dmarc-uri          (.test)
#   spf-hostbits spf-plusall spf-neutral spf-softfail spf-two spf-type99
#   spf-ptr spf-toomany spf-ten spf-loop spf-void spf-missing
#   spf-include-missing spf-noall spf-syntax spf-redirect        (.test)
#   dkim.test            selectors missing revoked weak k1024 k2048 ed bad
#                        testing
#   mx-noptr mx-generic mx-mismatch mx-alias mx-noaddr nullmx nomx (.test)
#   127.in-addr.arpa 2.0.192.in-addr.arpa 100.51.198.in-addr.arpa
#   113.0.203.in-addr.arpa 8.b.d.0.1.0.0.2.ip6.arpa (2001:db8::/32)
#
# A name outside every zone (say refused.example) gets REFUSED: that is how a
# test makes a lookup fail.

KNOT_ZONE_DIR="${DMARCSTAT_ROOT:?}/tests/lib/zones"

knot_find_knotd() {
  for _k in "$(command -v knotd 2>/dev/null)" /usr/sbin/knotd /usr/local/sbin/knotd; do
    [ -n "$_k" ] && [ -x "$_k" ] && { echo "$_k"; return 0; }
  done
  return 1
}

# knot_port_free PORT: both UDP and TCP on 127.0.0.1:PORT can be bound now.
knot_port_free() {
  python3 - "$1" <<'EOF'
import socket, sys
port = int(sys.argv[1])
try:
    for kind in (socket.SOCK_DGRAM, socket.SOCK_STREAM):
        s = socket.socket(socket.AF_INET, kind)
        s.bind(("127.0.0.1", port))
        s.close()
except OSError:
    sys.exit(1)
EOF
}

# knot_wait PORT PID ZONE...: 0 once every zone's SOA comes back
# authoritatively, 1 when knotd has died or 10 s have passed.
knot_wait() {
  python3 - "$@" <<'EOF'
import os, random, socket, struct, sys, time
port, pid, zones = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]

def answered(zone):
    qid = random.randrange(65536)
    q = struct.pack(">HHHHHH", qid, 0, 1, 0, 0, 0)
    for label in zone.split("."):
        q += bytes([len(label)]) + label.encode()
    q += b"\0" + struct.pack(">HH", 6, 1)          # SOA IN
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(0.3)
    try:
        s.sendto(q, ("127.0.0.1", port))
        r = s.recv(4096)
    except OSError:
        return False
    finally:
        s.close()
    rid, flags, _, an = struct.unpack(">HHHH", r[:8])
    return rid == qid and flags & 0x0400 and flags & 0x000f == 0 and an > 0

pending = list(zones)
deadline = time.time() + 10
while pending and time.time() < deadline:
    try:
        os.kill(pid, 0)
    except OSError:
        sys.exit(1)
    pending = [z for z in pending if not answered(z)]
    if pending:
        time.sleep(0.1)
if pending:
    print("knot_start: no answer for %s" % " ".join(pending[:5]), file=sys.stderr)
sys.exit(1 if pending else 0)
EOF
}

knot_write_conf() { # DIR PORT
  {
    echo "# written by tests/lib/knot.sh"
    echo "server:"
    echo "    rundir: \"$1\""
    echo "    pidfile: \"$1/knotd.pid\""
    echo "    listen: 127.0.0.1@$2"
    echo "    udp-workers: 1"
    echo "    tcp-workers: 1"
    echo "    background-workers: 1"
    echo "control:"
    echo "    listen: \"$1/knot.sock\""
    echo "database:"
    echo "    storage: \"$1/db\""
    echo "log:"
    echo "  - target: stderr"
    echo "    any: info"
    echo "template:"
    echo "  - id: default"
    echo "    storage: \"$KNOT_ZONE_DIR\""
    echo "    file: \"%s.zone\""
    echo "    zonefile-load: whole"
    echo "    zonefile-sync: -1"
    echo "    journal-content: none"
    echo "zone:"
    for _z in "$KNOT_ZONE_DIR"/*.zone; do
      echo "  - domain: \"$(basename "$_z" .zone).\""
    done
  } > "$1/knot.conf"
}

knot_start() {
  _kdir=$1
  KNOTD=$(knot_find_knotd) || {
    echo "knot_start: knotd not found (Debian: apt-get install knot)" >&2
    return 1
  }
  command -v python3 >/dev/null 2>&1 || {
    echo "knot_start: python3 not found" >&2; return 1; }
  mkdir -p "$_kdir/db" || return 1
  _kzones=""
  for _z in "$KNOT_ZONE_DIR"/*.zone; do _kzones="$_kzones $(basename "$_z" .zone)"; done
  _kport=25353
  # A port found free can be taken before knotd binds it: then knotd exits
  # and the next port is tried.
  while [ "$_kport" -lt 25453 ]; do
    if knot_port_free "$_kport"; then
      knot_write_conf "$_kdir" "$_kport"
      "$KNOTD" -c "$_kdir/knot.conf" > "$_kdir/knotd.log" 2>&1 &
      echo $! > "$_kdir/knotd.job"
      # shellcheck disable=SC2086
      if knot_wait "$_kport" "$(cat "$_kdir/knotd.job")" $_kzones; then
        export KNOT_PORT=$_kport
        export DMARCSTAT_DNS_SERVER="127.0.0.1:$_kport"
        return 0
      fi
      knot_stop "$_kdir"
      grep -qi "address already in use" "$_kdir/knotd.log" || {
        echo "knot_start: knotd did not start; its log ($_kdir/knotd.log):" >&2
        tail -n 20 "$_kdir/knotd.log" | sed 's/^/  /' >&2
        return 1
      }
    fi
    _kport=$((_kport + 1))
  done
  echo "knot_start: no free port on 127.0.0.1 in 25353..25452" >&2
  return 1
}

knot_stop() {
  [ -f "$1/knotd.job" ] || return 0
  _kpid=$(cat "$1/knotd.job")
  rm -f "$1/knotd.job"
  kill "$_kpid" 2>/dev/null || return 0
  _kn=0
  while kill -0 "$_kpid" 2>/dev/null && [ "$_kn" -lt 50 ]; do
    sleep 0.1; _kn=$((_kn + 1))
  done
  kill -9 "$_kpid" 2>/dev/null
  wait "$_kpid" 2>/dev/null
  return 0
}
