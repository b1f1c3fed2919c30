/*
 * migrate.c -- see migrate.h.  Migrations are resources under
 * /dmarcstat/schema/ (see the Makefile); their file names start with the
 * version number.
 */
#include "store/migrate.h"
#include "store/partitions.h"
#include "store/db_private.h"
#include "core/error.h"
#include "core/resources.h"

#include <gio/gio.h>
#include <stdlib.h>
#include <string.h>

#define SCHEMA_PATH "/dmarcstat/schema/"


static const char create_table_sql[] =
  "CREATE TABLE IF NOT EXISTS schema_migrations ("
  " version integer PRIMARY KEY,"
  " name text NOT NULL,"
  " applied_at timestamptz NOT NULL DEFAULT now())";

/* Creates schema_migrations unless it exists: CREATE TABLE IF NOT EXISTS
 * needs the CREATE privilege even when the table is there, and a role
 * with only the data grants (the ingest daemon's, SECURITY.md) must be able
 * to start on an up-to-date database. */
static gboolean
ensure_table (Store *store, GError **error)
{
  g_autoptr (PGresult) res = store_query (store, "looking for schema_migrations",
                                          PGRES_TUPLES_OK,
                                          "SELECT to_regclass('schema_migrations') IS NOT NULL",
                                          0, NULL, error);
  if (res == NULL)
    return FALSE;
  if (strcmp (PQgetvalue (res, 0, 0), "t") == 0)
    return TRUE;
  return store_exec (store, create_table_sql, error);
}

static gint
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* The embedded migration file names, sorted. (transfer full) */
static GPtrArray *
migrate_list (void)
{
  resources_register ();
  g_auto (GStrv) names = g_resources_enumerate_children (SCHEMA_PATH, 0, NULL);
  GPtrArray *list = g_ptr_array_new_with_free_func (g_free);
  for (gsize i = 0; names != NULL && names[i] != NULL; i++)
    if (g_str_has_suffix (names[i], ".sql"))
      g_ptr_array_add (list, g_strdup (names[i]));
  g_ptr_array_sort (list, compare_names);
  return list;
}

static guint
migrate_version_of (const char *name)
{
  return (guint) strtoul (name, NULL, 10);
}

static void
migration_status_free (MigrationStatus *status)
{
  g_free (status->name);
  g_free (status->applied_at);
  g_free (status);
}

static gboolean
migrate_run_one (Store *store, const char *name, GError **error)
{
  g_autofree char *path = g_strconcat (SCHEMA_PATH, name, NULL);
  g_autoptr (GBytes) sql = g_resources_lookup_data (path, 0, error);
  if (sql == NULL)
    return FALSE;

  /* PQexec runs several statements in one call; resources are NUL-terminated. */
  PGresult *res = PQexec (store_pg (store), g_bytes_get_data (sql, NULL));
  if (PQresultStatus (res) != PGRES_COMMAND_OK)
    {
      g_autofree char *what = g_strdup_printf ("migration %s", name);
      store_set_error (store, res, what, error);
      PQclear (res);
      return FALSE;
    }
  PQclear (res);

  g_autofree char *version = g_strdup_printf ("%u", migrate_version_of (name));
  const char *params[] = { version, name };
  g_autoptr (PGresult) ins = store_query (store, "recording migration", PGRES_COMMAND_OK,
                                          "INSERT INTO schema_migrations (version, name)"
                                          " VALUES ($1, $2)", 2, params, error);
  return ins != NULL;
}

static gboolean
migrate_apply_locked (Store *store, guint *n_applied_out, GError **error)
{
  /* Several daemons or workers may start at once: one applies, the others
   * wait for it and then find nothing to do. */
  g_autoptr (PGresult) lock = store_query (store, "taking the migration lock", PGRES_TUPLES_OK,
                                           "SELECT pg_advisory_xact_lock(7718093)", 0, NULL, error);
  if (lock == NULL || !ensure_table (store, error))
    return FALSE;

  g_autoptr (PGresult) res = store_query (store, "reading schema_migrations", PGRES_TUPLES_OK,
                                          "SELECT coalesce(max(version), 0) FROM schema_migrations",
                                          0, NULL, error);
  if (res == NULL)
    return FALSE;
  guint current = (guint) strtoul (PQgetvalue (res, 0, 0), NULL, 10);

  g_autoptr (GPtrArray) names = migrate_list ();
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      if (migrate_version_of (name) <= current)
        continue;
      if (!migrate_run_one (store, name, error))
        return FALSE;
      g_info ("database: applied migration %s", name);
      (*n_applied_out)++;
    }
  return TRUE;
}

gboolean
migrate_apply (Store *store, guint *n_applied_out, GError **error)
{
  guint n_applied = 0;

  if (!store_begin (store, error))
    return FALSE;
  if (!migrate_apply_locked (store, &n_applied, error))
    {
      store_rollback (store);
      return FALSE;
    }
  if (!store_commit (store, error))
    return FALSE;
  if (n_applied_out != NULL)
    *n_applied_out = n_applied;
  partitions_maintain (store);
  return TRUE;
}

GPtrArray *
migrate_status (Store *store, GError **error)
{
  if (!ensure_table (store, error))
    return NULL;
  g_autoptr (PGresult) res = store_query (store, "reading schema_migrations", PGRES_TUPLES_OK,
                                          "SELECT version, to_char(applied_at AT TIME ZONE 'UTC',"
                                          " 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM schema_migrations",
                                          0, NULL, error);
  if (res == NULL)
    return NULL;

  g_autoptr (GPtrArray) names = migrate_list ();
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) migration_status_free);
  for (guint i = 0; i < names->len; i++)
    {
      MigrationStatus *status = g_new0 (MigrationStatus, 1);
      status->name = g_strdup (g_ptr_array_index (names, i));
      status->version = migrate_version_of (status->name);
      for (int row = 0; row < PQntuples (res); row++)
        if ((guint) strtoul (PQgetvalue (res, row, 0), NULL, 10) == status->version)
          status->applied_at = g_strdup (PQgetvalue (res, row, 1));
      g_ptr_array_add (out, status);
    }
  return out;
}
