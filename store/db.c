/*
 * db.c -- connecting, running SQL, and classifying libpq's errors.
 */
#include "store/db_private.h"
#include "core/error.h"
#include "core/log.h"

#include <string.h>

#define G_LOG_DOMAIN_STORE "dmarcstat-store"

struct _Store
{
  PGconn *conn;          /* owned */
  GHashTable *prepared;  /* names of the statements prepared on conn */
};

static void
store_notice (void *arg G_GNUC_UNUSED, const char *message)
{
  g_autofree char *line = g_strchomp (g_strdup (message));
  g_log (G_LOG_DOMAIN_STORE, G_LOG_LEVEL_DEBUG, "postgresql: %s", line);
}

Store *
store_open (const char *conninfo, GError **error)
{
  if (conninfo == NULL || *conninfo == '\0')
    conninfo = g_getenv ("DMARCSTAT_DB");
  if (conninfo == NULL)
    conninfo = "";

  const char *keys[] = { "dbname", "application_name", NULL };
  const char *values[] = { conninfo, "dmarcstat", NULL };
  PGconn *conn = PQconnectdbParams (keys, values, 1);

  if (conn == NULL || PQstatus (conn) != CONNECTION_OK)
    {
      g_autofree char *msg = g_strstrip (g_strdup (conn ? PQerrorMessage (conn) : "out of memory"));
      g_strdelimit (msg, "\n\t", ' ');
      g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_STORE_UNAVAILABLE,
                   "cannot connect to the database: %s", msg);
      PQfinish (conn);
      return NULL;
    }
  PQsetNoticeProcessor (conn, store_notice, NULL);

  Store *store = g_new0 (Store, 1);
  store->conn = conn;
  /* Timestamps go out and come back in UTC, whatever the server's zone. */
  if (!store_exec (store, "SET TIME ZONE 'UTC'", error))
    {
      store_close (store);
      return NULL;
    }
  return store;
}

gboolean
store_tune_for_writing (Store *store, GError **error)
{
  return store_exec (store, "SET work_mem = '64MB'", error);
}

void
store_close (Store *store)
{
  if (store == NULL)
    return;
  g_clear_pointer (&store->conn, PQfinish);
  g_clear_pointer (&store->prepared, g_hash_table_unref);
  g_free (store);
}

PGconn *
store_pg (Store *store)
{
  return store->conn;
}

gboolean
store_prepare_once (Store *store, const char *name, const char *sql, int n_params,
                    GError **error)
{
  if (store->prepared == NULL)
    store->prepared = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (g_hash_table_contains (store->prepared, name))
    return TRUE;
  g_autoptr (PGresult) res = PQprepare (store->conn, name, sql, n_params, NULL);
  if (PQresultStatus (res) != PGRES_COMMAND_OK)
    {
      store_set_error (store, res, "preparing a statement", error);
      return FALSE;
    }
  g_hash_table_add (store->prepared, g_strdup (name));
  return TRUE;
}

gboolean
store_is_ok (Store *store)
{
  return store != NULL && PQstatus (store->conn) == CONNECTION_OK;
}

static gboolean
sqlstate_is_transient (const char *sqlstate)
{
  if (sqlstate == NULL)
    return FALSE;
  return g_str_has_prefix (sqlstate, "08")
      || strcmp (sqlstate, "57P01") == 0   /* admin_shutdown */
      || strcmp (sqlstate, "57P02") == 0   /* crash_shutdown */
      || strcmp (sqlstate, "57P03") == 0   /* cannot_connect_now */
      || strcmp (sqlstate, "40001") == 0   /* serialization_failure */
      || strcmp (sqlstate, "40P01") == 0   /* deadlock_detected */
      /* A hot standby (or a primary in read-only mode): nothing can be
       * stored there now, but the same server may be promoted; the input
       * stays and is retried, as when the database is down. */
      || strcmp (sqlstate, "25006") == 0;  /* read_only_sql_transaction */
}

void
store_set_error (Store *store, PGresult *res, const char *what, GError **error)
{
  const char *sqlstate = res ? PQresultErrorField (res, PG_DIAG_SQLSTATE) : NULL;
  const char *raw = res ? PQresultErrorMessage (res) : NULL;

  if (raw == NULL || *raw == '\0')
    raw = PQerrorMessage (store->conn);
  g_autofree char *msg = g_strchomp (g_strdup (raw && *raw ? raw : "unknown error"));
  /* Multi-line libpq messages (DETAIL, HINT) fold into one line. */
  g_strdelimit (msg, "\n\t", ' ');

  int code = DMARCSTAT_ERROR_STORE_FAILED;
  if (PQstatus (store->conn) != CONNECTION_OK)
    code = DMARCSTAT_ERROR_STORE_UNAVAILABLE;
  else if (sqlstate_is_transient (sqlstate))
    code = DMARCSTAT_ERROR_STORE_TRANSIENT;
  g_set_error (error, DMARCSTAT_ERROR, code, "%s: %s%s%s%s", what, msg,
               sqlstate ? " (SQLSTATE " : "", sqlstate ? sqlstate : "",
               sqlstate ? ")" : "");
}

PGresult *
store_query (Store *store, const char *what, ExecStatusType expect,
             const char *sql, int n_params, const char *const *params,
             GError **error)
{
  PGresult *res = PQexecParams (store->conn, sql, n_params, NULL, params,
                                NULL, NULL, 0);
  if (res == NULL || PQresultStatus (res) != expect)
    {
      store_set_error (store, res, what, error);
      PQclear (res);
      return NULL;
    }
  return res;
}

gboolean
store_exec (Store *store, const char *sql, GError **error)
{
  PGresult *res = store_query (store, sql, PGRES_COMMAND_OK, sql, 0, NULL, error);
  PQclear (res);
  return res != NULL;
}

gboolean
store_begin (Store *store, GError **error)
{
  return store_exec (store, "BEGIN", error);
}

gboolean
store_commit (Store *store, GError **error)
{
  return store_exec (store, "COMMIT", error);
}

void
store_rollback (Store *store)
{
  if (store_is_ok (store))
    PQclear (PQexec (store->conn, "ROLLBACK"));
}

gboolean
store_savepoint (Store *store, GError **error)
{
  return store_exec (store, "SAVEPOINT report", error);
}

gboolean
store_release_savepoint (Store *store, GError **error)
{
  return store_exec (store, "RELEASE SAVEPOINT report", error);
}

gboolean
store_rollback_to_savepoint (Store *store, GError **error)
{
  return store_exec (store, "ROLLBACK TO SAVEPOINT report", error);
}
