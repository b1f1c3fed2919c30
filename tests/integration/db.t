#!/bin/sh
# db.t -- schema migrations: applied once, recorded, idempotent; exit codes.
. "$DMARCSTAT_ROOT/tests/lib/tap.sh"
use_db db_t

out=$("$BIN" db status 2>&1); rc=$?
is "$rc" 0 "db status on an empty database exits 0"
like "$out" "001_init.sql +pending" "001_init.sql is pending before migrate"

out=$("$BIN" db migrate 2>&1); rc=$?
is "$rc" 0 "db migrate exits 0"
like "$out" "migrations? applied" "db migrate says what it applied"
n=$(ls "$ROOT"/schema/*.sql | wc -l)
is "$(sql 'SELECT count(*) FROM schema_migrations')" "$n" "every migration is recorded"

out=$("$BIN" db migrate 2>&1)
like "$out" "^db migrate: 0 migrations applied" "a second migrate applies nothing"
out=$("$BIN" db status 2>&1)
like "$out" "0 pending" "db status: nothing pending"

# Migrations are concurrent-safe: two at once on a fresh database.
use_db db_t2
"$BIN" db migrate >/dev/null 2>&1 & p1=$!
"$BIN" db migrate >/dev/null 2>&1 & p2=$!
wait $p1; r1=$?; wait $p2; r2=$?
is "$r1$r2" "00" "two concurrent migrates both succeed"
is "$(sql 'SELECT count(*) FROM schema_migrations')" "$n" "and apply each migration once"

"$BIN" db status --db "host=/nonexistent dbname=x" >/dev/null 2>&1
is "$?" 3 "an unreachable database exits 3"
"$BIN" db frobnicate >/dev/null 2>&1
is "$?" 2 "an unknown db action exits 2"
"$BIN" nosuchcommand >/dev/null 2>&1
is "$?" 2 "an unknown command exits 2"
printf '[limits]\nzip_max_entries = banana\n' > "$TEST_DIR/bad.conf"
out=$("$BIN" db status --config "$TEST_DIR/bad.conf" 2>&1); rc=$?
is "$rc" 2 "a bad config value exits 2"
like "$out" "zip_max_entries" "and names the key"
done_testing
