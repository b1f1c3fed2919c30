#!/bin/sh
# bench.sh BIN -- `make bench`: ingest speed, memory, the dashboard and the
# CSV export on generated data, against a throwaway PostgreSQL (fsync off,
# unix socket), with a bare COPY and Debian's dmarcts-report-parser as the
# yardsticks.  Prints one table (stdout; progress on stderr) and writes the
# same figures to build/bench.json.  Never part of `make test`.
#
# The measuring is tools/bench_run.py; this script installs what only the
# bench needs (the reference peer), starts and always stops the server, and
# removes the generated inputs.  docs/bench.md says how to read the table;
# BENCH_CAP, BENCH_LOAD_CAP, BENCH_SCALE and BENCH_SKIP are described at the
# head of bench_run.py.
set -eu
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

# The reference peer (row 7) and its PostgreSQL driver: installed here, not
# by tools/deps.sh, since nothing but the bench uses them.  A failure only
# costs row 7, which then says so.
peer_deps() {
  missing=""
  for p in dmarcts-report-parser libdbd-pg-perl; do
    case "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" in
      *"install ok installed"*) ;;
      *) missing="$missing $p" ;;
    esac
  done
  [ -z "$missing" ] && return 0
  echo "bench: installing the reference peer:$missing" >&2
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "bench: not root and no sudo" >&2; return 1; }
    SUDO="sudo"
  fi
  export DEBIAN_FRONTEND=noninteractive
  if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mtime -1 2>/dev/null | head -n 1)" ]; then
    $SUDO apt-get update -qq || return 1
  fi
  $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
}
peer_deps || echo "bench: could not install the reference peer; row 7 will be empty" >&2

. "$ROOT/tests/lib/pg.sh"
T=$(mktemp -d /tmp/dmarcstat-bench.XXXXXX)
chmod 0755 "$T"
trap 'pg_stop "$T/pg"; rm -rf "$T"' EXIT
trap 'exit 130' INT TERM
echo "bench: starting a throwaway PostgreSQL in $T/pg" >&2
pg_start "$T/pg"
export PG_BINDIR
python3 "$ROOT/tools/bench_run.py" --bin "$BIN" --tmp "$T" --out "$ROOT/build/bench.json"
