# pg.sh -- a throwaway PostgreSQL for tests, benchmarks and `make run`.
#
# Source it, then:
#   pg_start DIR      initdb (first time) and start a server whose only
#                     socket is in DIR (no TCP); exports PGHOST, PGPORT, PGUSER
#   pg_stop DIR       stop it (immediate: throwaway data)
#   pg_restart DIR    stop and start again (same data)
#   pg_new_db NAME    create an empty database NAME
#
# fsync=off is safe for a test server (a killed server loses nothing the
# kernel has), but synchronous_commit stays on: with it off, a commit that
# dmarcstat was told of can vanish in an immediate shutdown, and the
# exactly-once tests would rightly fail.
#
# As root, the server runs as nobody: initdb refuses root.  Binaries come from
# pg_config --bindir, since a fresh Debian has no initdb on PATH.

PG_BINDIR=$(pg_config --bindir 2>/dev/null)
[ -x "$PG_BINDIR/initdb" ] || PG_BINDIR=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)

pg_as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"
  else
    "$@"
  fi
}

pg_start() {
  _dir=$1
  mkdir -p "$_dir"
  if [ "$(id -u)" -eq 0 ]; then chown nobody:nogroup "$_dir"; fi
  chmod 0755 "$_dir"
  if [ ! -f "$_dir/data/PG_VERSION" ]; then
    pg_as_owner "$PG_BINDIR/initdb" -D "$_dir/data" -U postgres -A trust -E UTF8 \
      --locale=C.UTF-8 --no-sync >"$_dir/initdb.log" 2>&1 \
      || pg_as_owner "$PG_BINDIR/initdb" -D "$_dir/data" -U postgres -A trust -E UTF8 \
           --locale=C --no-sync >"$_dir/initdb.log" 2>&1 \
      || { cat "$_dir/initdb.log" >&2; return 1; }
  fi
  pg_as_owner "$PG_BINDIR/pg_ctl" -D "$_dir/data" -l "$_dir/server.log" -w -t 60 \
    -o "-k $_dir -c listen_addresses='' -c fsync=off -c full_page_writes=off -p 5432" \
    start >/dev/null || { cat "$_dir/server.log" >&2; return 1; }
  export PGHOST="$_dir" PGPORT=5432 PGUSER=postgres
}

pg_stop() {
  [ -f "$1/data/postmaster.pid" ] || return 0
  pg_as_owner "$PG_BINDIR/pg_ctl" -D "$1/data" -m immediate -w stop >/dev/null 2>&1 || true
}

pg_restart() {
  pg_stop "$1"
  pg_start "$1"
}

pg_new_db() {
  PGOPTIONS="-c client_min_messages=warning" "$PG_BINDIR/psql" -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS \"$1\"" \
    -c "CREATE DATABASE \"$1\"" >/dev/null
}
