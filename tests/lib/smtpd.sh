# smtpd.sh -- throwaway SMTP servers (OpenSMTPD 6.8) on loopback addresses,
# for the tests of `dmarcstat check-smtp`.
#
# Source it, then:
#   smtpd_start DIR NAME ADDR PORT [MODE...] [-- NAME ADDR PORT [MODE...]]...
#       one smtpd with one listener per NAME ADDR PORT group, all of its
#       files in DIR.  NAME is the host name in the 220 greeting and the EHLO
#       reply.  MODEs (defaults first):
#         tls=off | tls=on     STARTTLS offered, with a self-signed RSA
#                              certificate for NAME made with openssl in DIR
#         relay=closed | relay=open
#             closed: mail only for NAME itself (postmaster@NAME), every other
#                     recipient refused at RCPT
#             open:   `match from any for any`, handed to a relay action that
#                     points at 127.0.0.1:9 (nothing listens there), so even a
#                     message that got through DATA could go nowhere
#       ("tls on" and "relay open" as two words work too).  Waits until every
#       listener greets; returns 1 with a message on stderr when it cannot
#       run (a test then calls skip_all).
#   smtpd_stop DIR
#       stop it (our own pid only) and wait for it to exit
#   smtpd_free_port START ADDR...
#       prints the first port from START up that is free on every ADDR
#
# e.g.  smtpd_start "$TEST_DIR/smtpd" smtp-ok.test 127.0.0.2 "$P" tls=on \
#         -- smtp-bad.test 127.0.0.3 "$P" relay=open
#
# What OpenSMTPD 6.8 needs, and why it runs in a mount namespace.  smtpd
# must start as root (privilege separation: it chroots and switches to the
# opensmtpd/opensmtpq users), and its spool (/var/spool/smtpd) and control
# socket (/var/run/smtpd.sock) are compiled in: a second instance beside the
# system's would share its queue, and two instances cannot both hold the
# socket.  So each smtpd_start runs smtpd in a private mount namespace
# (unshare -m) where DIR/spool is bind-mounted on /var/spool and DIR/run on
# /run: the system's smtpd, if there is one, is never touched, and several
# test instances can run at once.  The same namespace swaps /etc/resolv.conf
# for one that says "lookup file": smtpd looks up the PTR of every client
# before it greets, and on a machine without working DNS that costs 20 s per
# connection.
#
# Where unshare is not allowed (an unprivileged container), set
# DMARCSTAT_SMTPD_SYSTEM_PATHS=1 to run smtpd on the real /var/spool/smtpd
# and /run/smtpd.sock instead -- only sensible in a throwaway CI container,
# and refused when another smtpd holds the socket.
#
# TLS: smtpd 6.8 as built for Debian 12 advertises STARTTLS but fails the
# handshake under OpenSSL 3 ("missing private key" in its privsep key
# engine, for RSA and ECDSA keys alike).  check-smtp only reads the EHLO
# extension list, so these servers serve it; a test that needs a real TLS
# handshake needs another server.

smtpd_find() {
  for _s in "$(command -v smtpd 2>/dev/null)" /usr/sbin/smtpd /usr/local/sbin/smtpd; do
    [ -n "$_s" ] && [ -x "$_s" ] && { echo "$_s"; return 0; }
  done
  return 1
}

smtpd_free_port() { # START ADDR...
  python3 - "$@" <<'EOF'
import socket, sys
start, addrs = int(sys.argv[1]), sys.argv[2:]
for port in range(start, start + 200):
    try:
        for a in addrs:
            s = socket.socket(socket.AF_INET6 if ":" in a else socket.AF_INET)
            s.bind((a, port))
            s.close()
    except OSError:
        continue
    print(port)
    sys.exit(0)
sys.exit(1)
EOF
}

# smtpd_wait PID ADDR:PORT...: 0 once every listener has sent its 220,
# 1 when smtpd has died or 10 s have passed.
smtpd_wait() {
  python3 - "$@" <<'EOF'
import os, socket, sys, time
pid, targets = int(sys.argv[1]), sys.argv[2:]

def greets(t):
    addr, port = t.rsplit(":", 1)
    try:
        with socket.create_connection((addr.strip("[]"), int(port)), timeout=2) as s:
            ok = s.recv(512).startswith(b"220")
            s.sendall(b"QUIT\r\n")
            return ok
    except OSError:
        return False

deadline = time.time() + 10
pending = list(targets)
while pending and time.time() < deadline:
    try:
        os.kill(pid, 0)
    except OSError:
        sys.exit(1)
    pending = [t for t in pending if not greets(t)]
    if pending:
        time.sleep(0.1)
sys.exit(1 if pending else 0)
EOF
}

smtpd_cert() { # DIR NAME: DIR/NAME.crt and DIR/NAME.key (0600: smtpd insists)
  ( umask 077
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=$2" \
      -addext "subjectAltName=DNS:$2" \
      -keyout "$1/$2.key" -out "$1/$2.crt" >/dev/null 2>&1 )
}

# smtpd_write_conf DIR SPEC...: DIR/smtpd.conf; prints the ADDR:PORT list.
smtpd_write_conf() {
  _sd=$1; shift
  _sn=0
  _listen="" _match="" _vusers="" _targets=""
  while [ $# -gt 0 ]; do
    [ $# -ge 3 ] || { echo "smtpd_start: want NAME ADDR PORT, got: $*" >&2; return 1; }
    _name=$1 _addr=$2 _port=$3; shift 3
    _tls=off _relay=closed
    while [ $# -gt 0 ] && [ "$1" != "--" ]; do
      case $1 in
        tls=*) _tls=${1#tls=} ;;
        relay=*) _relay=${1#relay=} ;;
        tls|relay) [ $# -ge 2 ] || { echo "smtpd_start: $1 needs a value" >&2; return 1; }
                   eval "_$1=\$2"; shift ;;
        *) echo "smtpd_start: unknown mode $1" >&2; return 1 ;;
      esac
      shift
    done
    [ $# -gt 0 ] && shift   # the "--"
    _sn=$((_sn + 1))
    _tag="L$_sn"
    case $_tls in
      on)  smtpd_cert "$_sd" "$_name" || { echo "smtpd_start: openssl failed" >&2; return 1; }
           _listen="${_listen}pki \"$_name\" cert \"$_sd/$_name.crt\"
pki \"$_name\" key \"$_sd/$_name.key\"
listen on $_addr port $_port hostname \"$_name\" tls pki \"$_name\" tag $_tag
" ;;
      off) _listen="${_listen}listen on $_addr port $_port hostname \"$_name\" tag $_tag
" ;;
      *)   echo "smtpd_start: tls=$_tls: want on or off" >&2; return 1 ;;
    esac
    case $_relay in
      open)   _match="${_match}match tag $_tag from any for any action \"nowhere\"
" ;;
      closed) _match="${_match}match tag $_tag from any for domain \"$_name\" action \"local\"
"
              _vusers="${_vusers}postmaster@$_name nobody
" ;;
      *)      echo "smtpd_start: relay=$_relay: want open or closed" >&2; return 1 ;;
    esac
    _targets="$_targets $_addr:$_port"
  done
  printf '%s' "$_vusers" > "$_sd/vusers"
  {
    echo "# written by tests/lib/smtpd.sh"
    echo "table vusers file:$_sd/vusers"
    printf '%s' "$_listen"
    echo "action \"local\" maildir \"$_sd/maildir\" virtual <vusers>"
    echo "action \"nowhere\" relay host smtp://127.0.0.1:9"
    printf '%s' "$_match"
  } > "$_sd/smtpd.conf"
  echo "$_targets"
}

smtpd_start() {
  _sd=$1; shift
  SMTPD=$(smtpd_find) || {
    echo "smtpd_start: smtpd not found (Debian: apt-get install opensmtpd)" >&2
    return 1
  }
  [ "$(id -u)" -eq 0 ] || {
    echo "smtpd_start: OpenSMTPD must start as root (it drops to its own users)" >&2
    return 1
  }
  for _tool in openssl python3; do
    command -v $_tool >/dev/null 2>&1 || { echo "smtpd_start: $_tool not found" >&2; return 1; }
  done
  mkdir -p "$_sd/spool" "$_sd/run" "$_sd/maildir" && chmod 0755 "$_sd/spool" || return 1
  printf 'lookup file\n' > "$_sd/resolv.conf"
  _stargets=$(smtpd_write_conf "$_sd" "$@") || return 1
  "$SMTPD" -n -f "$_sd/smtpd.conf" > "$_sd/smtpd.log" 2>&1 || {
    echo "smtpd_start: smtpd rejects $_sd/smtpd.conf:" >&2
    sed 's/^/  /' "$_sd/smtpd.log" >&2
    return 1
  }

  if unshare -m true 2>/dev/null; then
    # shellcheck disable=SC2016
    unshare -m sh -c '
      set -e
      rc=$(readlink -f /etc/resolv.conf)
      mount --make-rprivate /
      mount --bind "$1/spool" /var/spool
      mount --bind "$1/run" /run
      case $rc in
        /run/*|/var/run/*) mkdir -p "$(dirname "$rc")"; cp "$1/resolv.conf" "$rc" ;;
        *) [ ! -e "$rc" ] || mount --bind "$1/resolv.conf" "$rc" ;;
      esac
      exec "$2" -d -f "$1/smtpd.conf"' sh "$_sd" "$SMTPD" > "$_sd/smtpd.log" 2>&1 &
  elif [ "${DMARCSTAT_SMTPD_SYSTEM_PATHS:-0}" = 1 ]; then
    if python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX).connect(sys.argv[1])' \
         /var/run/smtpd.sock 2>/dev/null; then
      echo "smtpd_start: another smtpd holds /var/run/smtpd.sock" >&2
      return 1
    fi
    "$SMTPD" -d -f "$_sd/smtpd.conf" > "$_sd/smtpd.log" 2>&1 &
  else
    echo "smtpd_start: no private mount namespace (unshare -m not allowed here);" \
         "set DMARCSTAT_SMTPD_SYSTEM_PATHS=1 to use /var/spool/smtpd and" \
         "/run/smtpd.sock in a throwaway container" >&2
    return 1
  fi
  echo $! > "$_sd/smtpd.job"
  # shellcheck disable=SC2086
  smtpd_wait "$(cat "$_sd/smtpd.job")" $_stargets && return 0
  smtpd_stop "$_sd"
  echo "smtpd_start: smtpd did not greet on$_stargets; its log ($_sd/smtpd.log):" >&2
  tail -n 20 "$_sd/smtpd.log" | sed 's/^/  /' >&2
  return 1
}

smtpd_stop() {
  [ -f "$1/smtpd.job" ] || return 0
  _spid=$(cat "$1/smtpd.job")
  rm -f "$1/smtpd.job"
  kill "$_spid" 2>/dev/null || return 0
  _sn=0
  while kill -0 "$_spid" 2>/dev/null && [ "$_sn" -lt 50 ]; do
    sleep 0.1; _sn=$((_sn + 1))
  done
  kill -9 "$_spid" 2>/dev/null
  wait "$_spid" 2>/dev/null
  return 0
}
