/*
 * partitions.c -- see partitions.h.  The work itself is in SQL
 * (schema/004_partitions.sql), where it runs as the schema owner.
 */
#include "store/partitions.h"
#include "store/db_private.h"

#include <string.h>

void
partitions_maintain (Store *store)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (PGresult) res = store_query (store, "maintaining record partitions", PGRES_TUPLES_OK,
                                          "SELECT dmarcstat_maintain_partitions()", 0, NULL, &error);
  if (res == NULL)
    g_warning ("database: %s", error->message);
  else if (g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10) > 0)
    g_info ("database: moved %s records from the default partition into their months",
            PQgetvalue (res, 0, 0));
}

char *
partitions_status (Store *store, GError **error)
{
  g_autoptr (PGresult) kind = store_query (
      store, "looking at the records table", PGRES_TUPLES_OK,
      "SELECT to_regclass('records_default') IS NOT NULL", 0, NULL, error);
  if (kind == NULL || strcmp (PQgetvalue (kind, 0, 0), "t") != 0)
    return NULL;
  g_autoptr (PGresult) res = store_query (
      store, "reading the record partitions", PGRES_TUPLES_OK,
      "SELECT count(*), coalesce(min(m), '-'), coalesce(max(m), '-'),"
      " CASE WHEN to_regclass('partman.part_config') IS NULL THEN 'dmarcstat' ELSE 'pg_partman' END,"
      " (SELECT count(*) FROM ONLY records_default WHERE report_time > '-infinity'),"
      " (SELECT count(*) FROM ONLY records_default WHERE report_time = '-infinity')"
      " FROM (SELECT replace(substring(c.relname FROM '^records_p([0-9]{4}_[0-9]{2})$'), '_', '-') AS m"
      "  FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
      "  WHERE i.inhparent = 'records'::regclass) AS p WHERE m IS NOT NULL",
      0, NULL, error);
  if (res == NULL)
    return NULL;
  return g_strdup_printf ("records: %s monthly partitions, %s to %s, kept by %s;"
                          " default partition: %s rows waiting for their month, %s undated",
                          PQgetvalue (res, 0, 0), PQgetvalue (res, 0, 1), PQgetvalue (res, 0, 2),
                          PQgetvalue (res, 0, 3), PQgetvalue (res, 0, 4), PQgetvalue (res, 0, 5));
}
