# pg_standby.sh -- a throwaway PostgreSQL primary with a hot standby
# streaming from it, for the read-scaling tests (tests/integration/standby.t).
#
# Source after tests/lib/pg.sh (tap.sh sources it), then:
#   pg_standby_available          0 when pg_basebackup is installed
#   pg_standby_start PDIR SDIR    a primary whose only socket is in PDIR (port
#                                 5432) and a standby made from it with
#                                 pg_basebackup -R, socket in SDIR (port 5433);
#                                 exports PGHOST, PGPORT, PGUSER for the
#                                 primary and PG_STANDBY_HOST, PG_STANDBY_PORT
#   pg_standby_wait PDIR SDIR [S] wait (up to S seconds, default 30) until the
#                                 standby has replayed everything the primary
#                                 had written when called; 1 on timeout
#   pg_standby_stop PDIR SDIR     stop both (immediate: throwaway data)
#
# Why a second pair and not the suite's server: replication needs settings
# (wal_level, wal senders, a replication line in pg_hba.conf) that the
# shared test server has no reason to carry, and the standby must be a copy
# of a cluster, not of one database.
#
# Like pg.sh: unix sockets only, no TCP; as root, both servers run as
# nobody.  The primary keeps full_page_writes on (pg.sh turns it off): a
# base backup is only consistent with full-page images in the WAL.  fsync
# stays off on both, which is safe for data nobody keeps.

PG_STANDBY_PRIMARY_PORT=5432
PG_STANDBY_PORT=5433

pg_standby_available() {
  [ -x "$PG_BINDIR/pg_basebackup" ]
}

# _pg_standby_own DIR: DIR exists and the server's user may write in it.
_pg_standby_own() {
  mkdir -p "$1"
  if [ "$(id -u)" -eq 0 ]; then chown nobody:nogroup "$1"; fi
  chmod 0755 "$1"
}

# _pg_standby_server DIR PORT [OPTION...]: start the cluster in DIR/data.
_pg_standby_server() {
  _sdir=$1 _sport=$2
  shift 2
  pg_as_owner "$PG_BINDIR/pg_ctl" -D "$_sdir/data" -l "$_sdir/server.log" -w -t 60 \
    -o "-k $_sdir -c listen_addresses='' -p $_sport -c fsync=off $*" \
    start >/dev/null || { cat "$_sdir/server.log" >&2; return 1; }
}

pg_standby_start() {
  _pdir=$1 _sbdir=$2
  pg_standby_available || { echo "pg_standby: no pg_basebackup in $PG_BINDIR" >&2; return 1; }
  _pg_standby_own "$_pdir"
  _pg_standby_own "$_sbdir"
  if [ ! -f "$_pdir/data/PG_VERSION" ]; then
    pg_as_owner "$PG_BINDIR/initdb" -D "$_pdir/data" -U postgres -A trust -E UTF8 \
      --locale=C.UTF-8 --no-sync >"$_pdir/initdb.log" 2>&1 \
      || pg_as_owner "$PG_BINDIR/initdb" -D "$_pdir/data" -U postgres -A trust -E UTF8 \
           --locale=C --no-sync >"$_pdir/initdb.log" 2>&1 \
      || { cat "$_pdir/initdb.log" >&2; return 1; }
    # What replication needs, said explicitly rather than left to the
    # defaults of one PostgreSQL version.
    cat >> "$_pdir/data/postgresql.conf" <<'EOF'
# pg_standby.sh: a primary with one streaming standby
wal_level = replica
max_wal_senders = 4
wal_keep_size = '64MB'
hot_standby = on
EOF
    cat >> "$_pdir/data/pg_hba.conf" <<'EOF'
# pg_standby.sh: the standby connects over the local socket
local   replication     all                                     trust
EOF
  fi
  _pg_standby_server "$_pdir" "$PG_STANDBY_PRIMARY_PORT" || return 1

  if [ ! -f "$_sbdir/data/PG_VERSION" ]; then
    # -R writes standby.signal and a primary_conninfo naming the primary's
    # socket directory and port; -X stream copies the WAL of the backup.
    pg_as_owner "$PG_BINDIR/pg_basebackup" -h "$_pdir" -p "$PG_STANDBY_PRIMARY_PORT" -U postgres \
      -D "$_sbdir/data" -R -X stream -c fast --no-sync >"$_sbdir/basebackup.log" 2>&1 \
      || { cat "$_sbdir/basebackup.log" >&2; return 1; }
  fi
  _pg_standby_server "$_sbdir" "$PG_STANDBY_PORT" "-c hot_standby=on" || return 1

  export PGHOST="$_pdir" PGPORT="$PG_STANDBY_PRIMARY_PORT" PGUSER=postgres
  export PG_STANDBY_HOST="$_sbdir"
  export PG_STANDBY_PORT
}

pg_standby_wait() {
  _pdir=$1 _sbdir=$2 _secs=${3:-30}
  _lsn=$("$PG_BINDIR/psql" -X -A -t -h "$_pdir" -p "$PG_STANDBY_PRIMARY_PORT" -U postgres -d postgres \
           -c "SELECT pg_current_wal_lsn()") || return 1
  _tries=$((_secs * 10))
  while [ "$_tries" -gt 0 ]; do
    _done=$("$PG_BINDIR/psql" -X -A -t -h "$_sbdir" -p "$PG_STANDBY_PORT" -U postgres -d postgres \
              -c "SELECT pg_last_wal_replay_lsn() >= '$_lsn'::pg_lsn" 2>/dev/null)
    [ "$_done" = t ] && return 0
    sleep 0.1
    _tries=$((_tries - 1))
  done
  return 1
}

pg_standby_stop() {
  for _d in "$2" "$1"; do
    [ -f "$_d/data/postmaster.pid" ] || continue
    pg_as_owner "$PG_BINDIR/pg_ctl" -D "$_d/data" -m immediate -w stop >/dev/null 2>&1 || true
  done
}
