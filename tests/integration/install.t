#!/bin/sh
# install.t -- `make install` honours PREFIX and DESTDIR and installs the
# binary, the systemd unit (with the binary's path) and the documentation.
. "$DMARCSTAT_ROOT/tests/lib/tap.sh"
BUILD_DIR=$(basename "$(dirname "$BIN")")
D="$TEST_DIR/root"
make -s -C "$ROOT" BUILD="$BUILD_DIR" MODE=test install PREFIX=/opt/dm DESTDIR="$D" >/dev/null 2>&1
ok $? "make install with PREFIX and DESTDIR"
[ -x "$D/opt/dm/bin/dmarcstat" ]; ok $? "the binary is installed"
unit="$D/opt/dm/lib/systemd/system/dmarcstat-ingest.service"
like "$(cat "$unit" 2>/dev/null)" "ExecStart=/opt/dm/bin/dmarcstat ingest" "the unit starts the installed binary"
like "$(cat "$unit" 2>/dev/null)" "NoNewPrivileges=yes" "the unit is sandboxed"
like "$(cat "$unit" 2>/dev/null)" "KillMode=mixed" "SIGTERM goes to the supervisor only"
serve_unit="$D/opt/dm/lib/systemd/system/dmarcstat-serve.service"
like "$(cat "$serve_unit" 2>/dev/null)" "ExecStart=/opt/dm/bin/dmarcstat serve" "the dashboard's unit starts the installed binary"
[ -f "$D/opt/dm/share/doc/dmarcstat/dmarcstat.conf.example" ]; ok $? "the example configuration is installed"
if command -v systemd-analyze >/dev/null 2>&1; then
  out=$(systemd-analyze verify "$unit" 2>&1 | grep -v -e 'dmarcstat-ingest.service: Command /opt' -e 'not executable' -e 'Failed to' -e 'User=' -e 'sd_bus')
  is "$out" "" "systemd-analyze finds nothing wrong in the unit"
fi
"$D/opt/dm/bin/dmarcstat" --help >/dev/null 2>&1
ok $? "the installed binary runs"
done_testing
