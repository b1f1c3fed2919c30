/*
 * prune.c -- see prune.h.
 */
#include "store/prune.h"
#include "store/db_private.h"
#include "store/rollup.h"

#include <string.h>

static gint64
exec_count (Store *store, const char *what, const char *sql, const char *before, GError **error)
{
  const char *params[] = { before };
  g_autoptr (PGresult) res = store_query (store, what, PGRES_TUPLES_OK, sql, 1, params, error);
  if (res == NULL)
    return -1;
  return g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);
}

gboolean
prune_before (Store *store, const char *before, PruneCounts *counts, GError **error)
{
  g_autofree char *stamp = strlen (before) == 10 ? g_strconcat (before, "T00:00:00Z", NULL)
                                                 : g_strdup (before);
  *counts = (PruneCounts) { 0 };
  if (!store_begin (store, error))
    return FALSE;
  /* Records go with their reports (ON DELETE CASCADE); count them first.
   * The months that end by BEFORE go whole, as partitions dropped
   * (schema/004_partitions.sql): no row-by-row delete, no vacuum debt.
   * The cascade takes the rest, from the month BEFORE falls in. */
  counts->records = exec_count (store, "counting records to prune",
                                "SELECT count(*) FROM records c JOIN reports r ON r.id = c.report_id"
                                " WHERE r.begin_time < $1::timestamptz", stamp, error);
  if (counts->records >= 0
      && exec_count (store, "dropping record partitions",
                     "SELECT dmarcstat_drop_partitions_before($1::timestamptz)", stamp, error) < 0)
    counts->records = -1;
  if (counts->records >= 0)
    counts->reports = exec_count (store, "pruning reports",
                                  "WITH d AS (DELETE FROM reports WHERE begin_time < $1::timestamptz"
                                  " RETURNING 1) SELECT count(*) FROM d", stamp, error);
  if (counts->reports >= 0 && counts->records >= 0)
    counts->rollup_rows = rollup_prune (store, stamp, error);
  if (counts->rollup_rows >= 0 && counts->reports >= 0 && counts->records >= 0)
    counts->failures = exec_count (store, "pruning ingest failures",
                                   "WITH d AS (DELETE FROM ingest_failures"
                                   " WHERE last_seen < $1::timestamptz RETURNING 1)"
                                   " SELECT count(*) FROM d", stamp, error);
  if (counts->records < 0 || counts->reports < 0 || counts->rollup_rows < 0
      || counts->failures < 0 || !store_commit (store, error))
    {
      store_rollback (store);
      return FALSE;
    }
  return TRUE;
}

gboolean
prune_rebuild_rollups (Store *store, GError **error)
{
  g_autoptr (PGresult) res = store_query (store, "rebuilding rollups", PGRES_TUPLES_OK,
                                          "SELECT dmarcstat_rebuild_rollups()", 0, NULL, error);
  return res != NULL;
}
