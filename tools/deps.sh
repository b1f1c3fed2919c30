#!/bin/sh
# deps.sh -- install the Debian packages dmarcstat builds, runs and tests with.
# Idempotent and quiet when everything is there; apt only.
set -e
PACKAGES="gcc make pkg-config libc6-dev perl python3 ca-certificates
libglib2.0-dev libglib2.0-dev-bin libgmime-3.0-dev libarchive-dev libxml2-dev
libpq-dev libmicrohttpd-dev libcrypt-dev libc-ares-dev libpsl-dev publicsuffix
libmaxminddb-dev
postgresql postgresql-contrib postgresql-15-partman util-linux procps time
chromium fonts-dejavu-core wrk
knot knot-dnsutils openssl libmaxmind-db-writer-perl
clang libclang-rt-14-dev"

# The SMTP server the check-smtp tests talk to.  OpenSMTPD is a mail
# transport agent: apt would remove another one (Postfix, Exim) to install
# it, so it is only added where there is none; the test then skips.
if [ ! -e /usr/sbin/sendmail ] || [ -x /usr/sbin/smtpd ]; then
  PACKAGES="$PACKAGES opensmtpd"
fi

missing=""
for p in $PACKAGES; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  case "$status" in
    *"install ok installed"*) ;;
    *) missing="$missing $p" ;;
  esac
done
[ -z "$missing" ] && exit 0

echo "deps: installing:$missing"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "deps: not root and no sudo; install these packages:$missing" >&2; exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
# Refresh the package lists once when they are missing or older than a day.
if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mtime -1 2>/dev/null | head -n 1)" ]; then
  $SUDO apt-get update -qq
fi
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
