#!/bin/sh
# stop.sh -- `make stop`: stop the PostgreSQL that `make run` started.
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/tests/lib/pg.sh"
pg_stop "$ROOT/var/pg"
